/**
 * TLS, HTTP and proxy probes against real servers on 127.0.0.1: Node HTTPS servers with
 * certificates made by openssl (a test CA, self-signed, expired), a plain HTTP server, a real
 * sshd, and an HTTP CONNECT proxy with and without required credentials, one that refuses
 * destinations, and one that intercepts TLS like a corporate inspection proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftSchema } from '../../shared/ipc';
import type { ProbeEndpoint } from '../../shared/probe';
import { keepReport } from '../../shared/probe-report';
import { planProxy, runProbes, type ProxyPlan } from '../../main/services/probe';
import { startProxy, type RunningProxy } from '../support/http-proxy';
import { startHttp, startHttps, type Running } from '../support/net-servers';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';

let certs: TestCerts;
let trusted: Running;
let trustedOn2: Running;
let selfSigned: Running;
let expired: Running;
let failing: Running;
let plain: Running & { requests: string[] };
let sshd: RunningSshd;
let proxy: RunningProxy;
let authProxy: RunningProxy;
let ntlmProxy: RunningProxy;
let strictProxy: RunningProxy;
let mitm: RunningProxy;
let dir: string;

const https = (port: number, host = 'localhost', extra: Partial<ProbeEndpoint> = {}): ProbeEndpoint => ({
  id: `https-${host}-${port}`,
  host,
  port,
  protocol: 'https',
  purpose: 'test server',
  ...extra,
});
const plan = (spec: Parameters<typeof planProxy>[0], env: Record<string, string> = {}): ProxyPlan => {
  const p = planProxy(spec, env);
  if ('error' in p) throw new Error(p.error);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-tls-'));
  certs = await makeTestCerts();
  [trusted, trustedOn2, selfSigned, expired, failing, plain, sshd] = await Promise.all([
    startHttps(certs.trusted),
    startHttps(certs.trusted, 200, '127.0.0.2'),
    startHttps(certs.selfSigned),
    startHttps(certs.expired),
    startHttps(certs.trusted, 503),
    startHttp(204),
    startSshd({ authorizedKeys: [] }),
  ]);
  [proxy, authProxy, ntlmProxy, strictProxy, mitm] = await Promise.all([
    startProxy(),
    startProxy({ auth: { user: 'agent', pass: 'p@ss:word' } }),
    startProxy({ auth: { user: 'x', pass: 'y' }, authSchemes: ['NTLM', 'Negotiate'] }),
    // Like most corporate proxies: CONNECT to SSH's port is not allowed.
    startProxy({ denyPorts: [22] }),
    startProxy({ intercept: certs.intercepted }),
  ]);
});

afterAll(async () => {
  await Promise.all([trusted, trustedOn2, selfSigned, expired, failing, plain, sshd, proxy, authProxy, ntlmProxy, strictProxy, mitm].map((s) => s?.stop()));
  certs?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS and HTTP probes', () => {
  it('passes a server whose certificate chains to a trusted CA, with version, subject, issuer, expiry and the HTTP status', async () => {
    const run = await runProbes([https(trusted.port)], { timeoutMs: 5000, extraCa: [certs.caPem] });
    const r = run.results[0]!;
    expect(r.verdict, r.detail).toBe('HTTP_OK');
    expect(r.tls).toMatchObject({
      protocol: 'TLSv1.3',
      subject: 'CN=localhost',
      issuer: 'CN=Agent Onboard Test CA, O=Agent Onboard Tests',
      trusted: true,
      selfSigned: false,
    });
    expect(r.tls?.altNames).toEqual(['localhost', '127.0.0.1']);
    expect(r.tls?.daysLeft).toBeGreaterThanOrEqual(28);
    expect(r.http).toMatchObject({ status: 200, server: 'test-https' });
  });

  it('calls a self-signed certificate TLS_UNTRUSTED, not interception, and still reports what answered', async () => {
    const run = await runProbes([https(selfSigned.port, '127.0.0.1')], { timeoutMs: 5000 });
    const r = run.results[0]!;
    expect(r.verdict).toBe('TLS_UNTRUSTED');
    expect(r.tls?.selfSigned).toBe(true);
    expect(r.tls?.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(r.http?.status).toBe(200);
  });

  it('calls a certificate from a private CA the host does not trust TLS_UNTRUSTED when nothing points at a middlebox', async () => {
    const run = await runProbes([https(trusted.port)], { timeoutMs: 5000 });
    expect(run.results[0]).toMatchObject({ verdict: 'TLS_UNTRUSTED', tls: { trusted: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
  });

  it('says TLS_EXPIRED for an expired certificate, even from a trusted CA, naming the date', async () => {
    const run = await runProbes([https(expired.port, 'localhost', { protocol: 'tls' })], { timeoutMs: 5000, extraCa: [certs.caPem] });
    expect(run.results[0]?.verdict).toBe('TLS_EXPIRED');
    expect(run.results[0]?.detail).toContain('expired on 2020-02-01');
  });

  it('says TLS_NAME_MISMATCH when a trusted certificate does not name the host connected to', async () => {
    const run = await runProbes([https(trustedOn2.port, '127.0.0.2')], { timeoutMs: 5000, extraCa: [certs.caPem] });
    expect(run.results[0]?.verdict).toBe('TLS_NAME_MISMATCH');
    expect(run.results[0]?.detail).toContain('localhost, 127.0.0.1');
  });

  it('says HTTP_ERROR for a 5xx answer and HTTP_OK for a plain HTTP server', async () => {
    const run = await runProbes(
      [https(failing.port), { id: 'plain', host: '127.0.0.1', port: plain.port, protocol: 'http', purpose: '', path: '/agentServer/' }],
      { timeoutMs: 5000, extraCa: [certs.caPem] },
    );
    expect(run.results.map((r) => [r.verdict, r.http?.status])).toEqual([
      ['HTTP_ERROR', 503],
      ['HTTP_OK', 204],
    ]);
    expect(plain.requests).toContain('GET /agentServer/');
  });

  it('calls the same untrusted issuer across hosts of different domains interception (one CA re-signing everyone)', async () => {
    const run = await runProbes([https(trusted.port, 'localhost'), https(trusted.port, '127.0.0.1')], { timeoutMs: 5000 });
    expect(run.results.map((r) => r.verdict)).toEqual(['TLS_INTERCEPTED', 'TLS_INTERCEPTED']);
    expect(run.results[0]?.detail).toContain('also signed the certificates of 127.0.0.1');
  });

  it('auto-detects TLS and plain HTTP on ports that do not speak first', async () => {
    const run = await runProbes(
      [
        { id: 'a', host: 'localhost', port: trusted.port, protocol: 'auto', purpose: '' },
        { id: 'b', host: '127.0.0.1', port: plain.port, protocol: 'auto', purpose: '' },
      ],
      { timeoutMs: 3000, autoSniffMs: 300, extraCa: [certs.caPem] },
    );
    expect(run.results.map((r) => [r.answered, r.verdict])).toEqual([
      ['tls', 'HTTP_OK'],
      ['http', 'HTTP_OK'],
    ]);
  });

  it('says NOT_SSH when an SSH port answers with TLS, with the certificate it showed', async () => {
    const run = await runProbes([{ id: 's', host: 'localhost', port: trusted.port, protocol: 'ssh', purpose: '' }], { timeoutMs: 600 });
    const r = run.results[0]!;
    expect(r.verdict).toBe('NOT_SSH');
    expect(r.answered).toBe('tls');
    expect(r.detail).toContain('speaks TLS, not SSH');
    expect(r.tls?.issuer).toContain('Agent Onboard Test CA');
  });
});

describe('proxies', () => {
  it('tunnels through a CONNECT proxy given by hand and says so', async () => {
    const run = await runProbes([https(trusted.port)], { timeoutMs: 5000, extraCa: [certs.caPem], proxy: plan({ mode: 'manual', url: proxy.url }) });
    const r = run.results[0]!;
    expect(r.verdict, r.detail).toBe('HTTP_OK');
    expect(r.via).toBe(`http://127.0.0.1:${proxy.port} (given by hand)`);
    expect(r.checks.map((c) => c.step)).toEqual(['proxy', 'tls', 'http']);
    expect(proxy.log).toContain(`CONNECT localhost:${trusted.port} 200`);
  });

  it('checks the proxy itself directly, never by asking it to CONNECT to itself (issue 12 item 8)', async () => {
    const self = { id: 'proxy', host: '127.0.0.1', port: proxy.port, protocol: 'tcp' as const, purpose: 'HTTP proxy' };
    const before = proxy.log.length;
    const manual = await runProbes([self, https(trusted.port)], { timeoutMs: 5000, extraCa: [certs.caPem], proxy: plan({ mode: 'manual', url: proxy.url }) });
    expect(manual.results.map((r) => [r.verdict, Boolean(r.via)])).toEqual([
      ['TCP_OK', false],
      ['HTTP_OK', true],
    ]);
    const env = await runProbes([{ ...self, protocol: 'https' as const }], { timeoutMs: 3000, proxy: plan({ mode: 'env' }, { HTTPS_PROXY: proxy.url }) });
    expect(env.results[0]?.via).toBeUndefined();
    const logged = proxy.log.slice(before);
    expect(logged).toContain(`CONNECT localhost:${trusted.port} 200`);
    expect(logged.filter((l) => l.includes(`:${proxy.port} `))).toEqual([]);
  });

  it('explains a 407: no credentials given, then wrong ones; passes with the right ones and never echoes the password', async () => {
    const none = await runProbes([https(trusted.port)], { timeoutMs: 5000, proxy: plan({ mode: 'manual', url: authProxy.url }) });
    expect(none.results[0]?.verdict).toBe('PROXY_AUTH');
    expect(none.results[0]?.detail).toContain('no credentials were given');
    expect(none.results[0]?.detail).toContain('Basic');

    const wrong = await runProbes([https(trusted.port)], {
      timeoutMs: 5000,
      proxy: plan({ mode: 'manual', url: authProxy.url, username: 'agent', password: 'nope' }),
    });
    expect(wrong.results[0]?.detail).toContain('credentials for user agent were refused');

    const right = await runProbes([https(trusted.port)], {
      timeoutMs: 5000,
      extraCa: [certs.caPem],
      proxy: plan({ mode: 'manual', url: authProxy.url, username: 'agent', password: 'p@ss:word' }),
    });
    expect(right.results[0]?.verdict).toBe('HTTP_OK');
    expect(JSON.stringify(right)).not.toContain('p@ss:word');
    expect(right.proxy).toContain('agent:***@');
    // What the draft keeps for the Export step is as clean, and the draft schema takes it.
    const kept = keepReport(right);
    expect(kept.text).not.toContain('p@ss');
    expect(draftSchema.safeParse({ platform: null, variant: null, step: 'connectivity', answers: {}, connectivity: kept }).success).toBe(true);
  });

  it('tells a proxy that only offers NTLM/Negotiate apart: a password alone will not do', async () => {
    const run = await runProbes([https(trusted.port)], { timeoutMs: 5000, proxy: plan({ mode: 'manual', url: ntlmProxy.url }) });
    expect(run.results[0]?.verdict).toBe('PROXY_AUTH');
    expect(run.results[0]?.detail).toContain('NTLM, Negotiate');
    expect(run.results[0]?.detail).toContain('does not offer Basic');
  });

  it('says PROXY_REFUSED when the proxy will not open a tunnel to that port, and PROXY_UNREACHABLE when it is not there', async () => {
    const refused = await runProbes([{ id: 'x', host: '127.0.0.1', port: 22, protocol: 'ssh', purpose: '' }], {
      timeoutMs: 3000,
      proxy: plan({ mode: 'manual', url: strictProxy.url }),
    });
    expect(refused.results[0]?.verdict).toBe('PROXY_REFUSED');
    expect(refused.results[0]?.detail).toContain('403 Forbidden');
    const gone = await freePort();
    const unreachable = await runProbes([https(trusted.port)], { timeoutMs: 3000, proxy: plan({ mode: 'manual', url: `http://127.0.0.1:${gone}` }) });
    expect(unreachable.results[0]?.verdict).toBe('PROXY_UNREACHABLE');
  });

  it('takes HTTPS_PROXY and NO_PROXY from the environment: HTTPS goes through the proxy, NO_PROXY hosts and SSH go direct', async () => {
    const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,.internal.example' };
    const run = await runProbes(
      [https(trusted.port, '127.0.0.1'), https(trusted.port, 'localhost'), { id: 'ssh', host: '127.0.0.1', port: sshd.port, protocol: 'ssh', purpose: '' }],
      { timeoutMs: 5000, extraCa: [certs.caPem], proxy: plan({ mode: 'env' }, env) },
    );
    expect(run.results.map((r) => Boolean(r.via))).toEqual([true, false, false]);
    expect(run.results[2]?.verdict).toBe('SSH_OK');
    expect(run.proxy).toContain('HTTPS_PROXY');
  });

  it('sends plain HTTP through the proxy in absolute form, as agents do', async () => {
    const run = await runProbes([{ id: 'p', host: '127.0.0.1', port: plain.port, protocol: 'http', purpose: '' }], {
      timeoutMs: 5000,
      proxy: plan({ mode: 'env' }, { http_proxy: proxy.url }),
    });
    expect(run.results[0]?.verdict).toBe('HTTP_OK');
    expect(proxy.log).toContain(`GET http://127.0.0.1:${plain.port}/ forward`);
  });

  it('flags TLS interception: through an inspecting proxy the certificate comes from its own CA', async () => {
    const run = await runProbes([https(trusted.port)], { timeoutMs: 5000, extraCa: [certs.caPem], proxy: plan({ mode: 'manual', url: mitm.url }) });
    const r = run.results[0]!;
    expect(r.verdict).toBe('TLS_INTERCEPTED');
    expect(r.tls?.issuer).toBe('CN=Corp Inspection CA, O=Example Corp Security');
    expect(r.detail).toContain('went through a proxy');
  });

  it('names an SSH port that an inspecting proxy answers with TLS: NOT_SSH, likely interception', async () => {
    const run = await runProbes([{ id: 's', host: '127.0.0.1', port: sshd.port, protocol: 'ssh', purpose: '' }], {
      timeoutMs: 700,
      proxy: plan({ mode: 'manual', url: mitm.url }),
    });
    const r = run.results[0]!;
    expect(r.verdict).toBe('NOT_SSH');
    expect(r.detail).toContain('likely TLS interception');
    expect(r.tls?.issuer).toContain('Corp Inspection CA');
  });
});
