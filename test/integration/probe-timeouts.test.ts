/**
 * Nothing a remote host does can hang the probe: a port that accepts and never speaks, a
 * black-holed port (SYNs dropped by the kernel), a DNS server that answers late or never, and a
 * user who cancels. Real listeners and a real UDP DNS server on 127.0.0.1. The assertions are
 * about the contract (each step ends at its limit, the run ends by its deadline), with margins
 * far wider than any scheduling jitter; speed itself is measured by bench/probe.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEndpoint } from '../../shared/probe';
import { runProbes } from '../../main/services/probe';
import { startBlackHole, startDns, startSilent, type Running } from '../support/net-servers';

let silent: Running;
let blackHole: Running;
let slowDns: Running & { queries: string[] };
let fastDns: Running & { queries: string[] };

beforeAll(async () => {
  [silent, blackHole, slowDns, fastDns] = await Promise.all([startSilent(), startBlackHole(), startDns('127.0.0.1', 3_000), startDns('127.0.0.1', 0)]);
});

afterAll(async () => {
  await Promise.all([silent, blackHole, slowDns, fastDns].map((s) => s?.stop()));
});

const ep = (id: string, port: number, protocol: ProbeEndpoint['protocol'], host = '127.0.0.1'): ProbeEndpoint => ({ id, host, port, protocol, purpose: '' });

describe('probe limits', () => {
  it('calls a port that accepts and never speaks SILENT, for SSH, TLS and HTTP alike', async () => {
    const run = await runProbes([ep('ssh', silent.port, 'ssh'), ep('tls', silent.port, 'https'), ep('http', silent.port, 'http')], {
      timeoutMs: 400,
      deadlineMs: 5_000,
    });
    expect(run.results.map((r) => r.verdict)).toEqual(['SILENT', 'SILENT', 'SILENT']);
    expect(run.results[0]?.detail).toContain('no SSH banner within 400 ms');
    expect(run.results[0]?.checks.map((c) => `${c.step}:${c.status}`)).toEqual(['tcp:pass', 'banner:fail', 'tcp:pass', 'tls:fail']);
    expect(run.ms).toBeLessThan(run.deadlineMs);
  });

  it('tries TLS beside the wait for an SSH banner: a silent SSH or auto port ends SILENT inside a deadline of 1.6 limits (it used to take two)', async () => {
    const run = await runProbes([ep('ssh', silent.port, 'ssh'), ep('auto', silent.port, 'auto')], { timeoutMs: 1_000, deadlineMs: 1_600 });
    expect(run.results.map((r) => r.verdict)).toEqual(['SILENT', 'SILENT']);
    expect(run.results[0]?.detail).toContain('no answer to a TLS handshake either');
  });

  it('says TIMEOUT at the TCP step for a black-holed port, naming the firewall', async () => {
    const run = await runProbes([ep('bh', blackHole.port, 'ssh')], { timeoutMs: 400, deadlineMs: 5_000 });
    const r = run.results[0]!;
    expect(r.verdict).toBe('TIMEOUT');
    expect(r.checks).toEqual([expect.objectContaining({ step: 'tcp', status: 'fail' })]);
    expect(r.detail).toContain('dropped by a firewall');
  });

  it('says DNS_TIMEOUT when the DNS server answers too late, and resolves through a DNS server that answers', async () => {
    const slow = await runProbes([ep('slow', silent.port, 'tcp', 'agent.example.test')], { timeoutMs: 400, dnsServers: [`127.0.0.1:${slowDns.port}`] });
    expect(slow.results[0]?.verdict).toBe('DNS_TIMEOUT');
    expect(slowDns.queries).toContain('agent.example.test 1');
    const fast = await runProbes([ep('fast', silent.port, 'tcp', 'agent.example.test')], { timeoutMs: 2_000, dnsServers: [`127.0.0.1:${fastDns.port}`] });
    expect(fast.results[0]).toMatchObject({ verdict: 'TCP_OK', dns: { addresses: ['127.0.0.1'] } });
  });

  it('ends every endpoint by the run deadline even when each step is allowed longer', async () => {
    const run = await runProbes([ep('a', silent.port, 'ssh'), ep('b', blackHole.port, 'tcp')], { timeoutMs: 10_000, deadlineMs: 600 });
    expect(run.results.map((r) => r.verdict)).toEqual(['TIMEOUT', 'TIMEOUT']);
    expect(run.results[0]?.detail).toContain("run's deadline");
    expect(run.ms).toBeLessThan(5_000);
  });

  it('probes endpoints side by side: twenty silent ports end within the deadline that one sequential pass could never meet', async () => {
    const endpoints = Array.from({ length: 20 }, (_, i) => ep(`s${i}`, silent.port, 'tcp'));
    const tcpSilent = await runProbes(endpoints, { timeoutMs: 400, deadlineMs: 20 * 400 });
    expect(tcpSilent.results.every((r) => r.verdict === 'TCP_OK')).toBe(true);
    const bannerSilent = await runProbes(
      endpoints.map((e) => ({ ...e, protocol: 'ssh' as const })),
      { timeoutMs: 300, deadlineMs: 20 * 300 },
    );
    // Sequentially each would cost two limits (banner, then the TLS try): 12 s; here all end by the 6 s deadline as SILENT, not TIMEOUT.
    expect(bannerSilent.results.map((r) => r.verdict)).toEqual(Array(20).fill('SILENT'));
  });

  it('cancels at once: unfinished endpoints end as CANCELLED, finished ones keep their verdict', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const pending = runProbes(
      [ep('closed', 1, 'tcp'), ep('bh', blackHole.port, 'tcp'), ep('silent', silent.port, 'ssh')],
      { timeoutMs: 30_000 },
      {
        signal: controller.signal,
        onResult: (r) => {
          seen.push(r.endpoint.id);
          if (r.endpoint.id === 'closed') setTimeout(() => controller.abort(), 100);
        },
      },
    );
    const run = await pending;
    expect(run.results.map((r) => r.verdict)).toEqual(['REFUSED', 'CANCELLED', 'CANCELLED']);
    expect(seen[0]).toBe('closed');
    expect(run.ms).toBeLessThan(5_000);
  });

  it('returns at once when cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = await runProbes([ep('bh', blackHole.port, 'tcp')], { timeoutMs: 30_000 }, { signal: controller.signal });
    expect(run.results[0]?.verdict).toBe('CANCELLED');
  });
});
