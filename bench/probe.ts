// Connectivity probe: 50 endpoints on 127.0.0.1 of which 10 never answer (listeners that accept
// and stay silent), probed all at once by runProbes, against a sequential baseline (one endpoint
// at a time, the pre-launch-check way) in the same process. Runs alternate between the two so
// both see the same machine load; medians are printed with the ratio sequential / parallel and
// the parallel total against the per-step timeout (the slowest endpoint — a silent SSH port —
// costs one limit: TLS is tried beside the banner wait, within what is left of the limit).
//   npm run bench -- probe            PROBE_RUNS=1 PROBE_TIMEOUT_MS=500 npm run bench -- probe
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProbeEndpoint, ProbeRun } from '../shared/probe';
import { keyForSsh2 } from '../main/services/keys';
import { runProbes } from '../main/services/probe';
import { startHttps, startSilent, type Running } from '../test/support/net-servers';
import { startSshd } from '../test/support/sshd';
import { makeTestCerts } from '../test/support/tls-certs';
import net from 'node:net';
import { median } from './timing';

const RUNS = Number(process.env.PROBE_RUNS ?? 3);
const TIMEOUT = Number(process.env.PROBE_TIMEOUT_MS ?? 1000);

async function startTcp(): Promise<Running> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.end('hello\r\n');
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  return { port, stop: () => new Promise((r) => server.close(() => r())) };
}

function check(run: ProbeRun): void {
  const silent = run.results.filter((r) => r.verdict === 'SILENT').length;
  const passed = run.results.filter((r) => r.level === 'pass').length;
  if (silent !== 10 || passed !== 40)
    throw new Error(`unexpected verdicts: ${silent} silent, ${passed} passed: ${run.results.map((r) => r.verdict).join(' ')}`);
}

async function sequential(endpoints: ProbeEndpoint[], options: Parameters<typeof runProbes>[1]): Promise<{ ms: number; run: ProbeRun }> {
  const start = performance.now();
  const results = [];
  for (const e of endpoints) results.push(...(await runProbes([e], options)).results);
  const ms = performance.now() - start;
  return { ms, run: { startedAt: '', finishedAt: '', ms, timeoutMs: TIMEOUT, deadlineMs: 0, passed: false, results, suggestions: [] } };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ao-bench-probe-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', path.join(dir, 'id')]);
  const key = keyForSsh2(readFileSync(path.join(dir, 'id'), 'utf8'));
  if (!key.ok) throw new Error(key.error.message);
  const certs = await makeTestCerts();
  // MaxStartups: 20 SSH handshakes arrive at once; OpenSSH's default would drop some.
  const sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'id.pub'), 'utf8')], extraConfig: ['MaxStartups 200', 'MaxSessions 200'] });
  const https = await startHttps(certs.trusted);
  const tcp = await startTcp();
  const silent = await Promise.all(Array.from({ length: 10 }, () => startSilent()));
  const endpoints: ProbeEndpoint[] = [
    ...Array.from({ length: 20 }, (_, i) => ({ id: `ssh-${i}`, host: '127.0.0.1', port: sshd.port, protocol: 'ssh' as const, purpose: 'sshd, key login' })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `https-${i}`, host: 'localhost', port: https.port, protocol: 'https' as const, purpose: 'HTTPS' })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `tcp-${i}`, host: '127.0.0.1', port: tcp.port, protocol: 'tcp' as const, purpose: 'TCP' })),
    ...silent.map((s, i) => ({ id: `silent-${i}`, host: '127.0.0.1', port: s.port, protocol: 'ssh' as const, purpose: 'accepts, never speaks' })),
  ];
  const options = { timeoutMs: TIMEOUT, extraCa: [certs.caPem], ssh: { user: sshd.user, key: key.value } };
  const par: number[] = [];
  const seq: number[] = [];
  let slowest = { id: '', ms: 0 };
  try {
    await runProbes(endpoints.slice(0, 3), options); // warm up module loading and JIT
    for (let i = 0; i < RUNS; i++) {
      const p = await runProbes(endpoints, options);
      check(p);
      par.push(p.ms);
      const top = p.results.reduce((a, r) => (r.ms > a.ms ? { id: r.endpoint.id, ms: r.ms } : a), { id: '', ms: 0 });
      if (top.ms > slowest.ms) slowest = top;
      const s = await sequential(endpoints, options);
      check(s.run);
      seq.push(s.ms);
    }
  } finally {
    await Promise.all([sshd.stop(), https.stop(), tcp.stop(), ...silent.map((s) => s.stop())]);
    certs.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  const p = median(par);
  const s = median(seq);
  console.log(`50 endpoints (20 SSH with key login, 10 HTTPS, 10 TCP, 10 silent), per-step timeout ${TIMEOUT} ms, ${RUNS} run(s) each, medians:`);
  console.log(`  parallel (runProbes)      ${(p / 1000).toFixed(2).padStart(7)} s   [${par.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
  console.log(`  sequential (one by one)   ${(s / 1000).toFixed(2).padStart(7)} s   [${seq.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
  console.log(`  ratio sequential / parallel: ${(s / p).toFixed(1)}×`);
  console.log(
    `  parallel total vs timeout: ${(p / TIMEOUT).toFixed(2)}× the per-step timeout (slowest endpoint ${slowest.id}: ${(slowest.ms / TIMEOUT).toFixed(2)}× — a silent SSH port costs one limit: TLS is tried beside the banner wait)`,
  );
}

await main();
