/**
 * Online detection for the agents that cannot run here (Buildkite, Harness, Bamboo need their
 * vendors' servers). STAND-INS, said plainly: the logs are built only from the lines quoted from
 * each agent's source in reference/next-platforms.md Part A, and they are read the way the app
 * reads them — `journalctl -u`, `docker logs` and the log file — each run over SSH on a real sshd
 * (the test host has no systemd journal and no Docker daemon, so `journalctl` and `docker` are
 * small scripts on that session's PATH that print those logs). The health endpoint and the vendor
 * APIs are loopback HTTP servers answering with the documented shapes (including 401, 403 and
 * "not connected"), reached through the SSH session as the app reaches them.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type HostSession } from '../../main/services/remote/session';
import { httpGet, vendorCheck } from '../../main/services/remote/watch';
import { readHealth } from '../../shared/online';
import { buildkiteOnline } from '../../shared/platforms/buildkite/online';
import type { OnlineSignal } from '../../shared/platforms/types';
import { runCliProcess } from '../support/cli';
import { startProxy, type RunningProxy } from '../support/http-proxy';
import { startSshd, type RunningSshd } from '../support/sshd';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';

const run = promisify(execFile);

// Lines quoted from buildkite/agent (clicommand/agent_start.go, core/client.go, agent/agent_worker_streaming.go).
const BUILDKITE_LOG = [
  '2026-12-07 03:10:00 NOTICE Starting buildkite-agent v3.87.1 with PID: 812',
  '2026-12-07 03:10:00 INFO   Registering agent with Buildkite...',
  '2026-12-07 03:10:01 INFO   Successfully registered agent "ci-host-1" with tags [queue=default]',
  '2026-12-07 03:10:01 INFO   Connecting to Buildkite...',
  '2026-12-07 03:10:01 INFO   ci-host-1 Ping stream connection established',
].join('\n');
const BUILDKITE_401 = [
  '2026-12-07 03:10:00 NOTICE Starting buildkite-agent v3.87.1 with PID: 812',
  '2026-12-07 03:10:00 INFO   Registering agent with Buildkite...',
  '2026-12-07 03:10:01 ERROR  POST https://agent-edge.buildkite.com/v3/register: 401 Unauthorized',
].join('\n');
// Lines quoted from harness-core 260-delegate DelegateAgentServiceImpl.java.
const HARNESS_LOG = [
  '2026-12-07 03:10:00,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Registering delegate with delegate name: docker-delegate-1',
  '2026-12-07 03:10:01,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Delegate registered with id AbC123xyz',
  '2026-12-07 03:10:02,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Event:OPEN, message:[Delegate connected]',
].join('\n');
const HARNESS_REVOKED = [
  '2026-12-07 03:10:00,000 [main] INFO  Registering delegate with delegate name: docker-delegate-1',
  '2026-12-07 03:10:01,000 [main] WARN  Delegate used revoked token. It will be frozen and drained.',
].join('\n');
// The Bamboo agent log line (atlassian-bamboo-agent.log, through the Java Service Wrapper).
const BAMBOO_LOG =
  "INFO   | jvm 1    | 2026/12/07 03:10:00 | 2026-12-07 03:10:00,123 INFO [AgentRunnerThread] [RemoteAgent] * Bamboo agent 'build-host' ready to receive builds.";

describe("online detection over SSH on log streams built from the agents' own lines (stand-ins)", () => {
  let dir: string;
  let sshd: RunningSshd;
  let session: HostSession;
  const args = (): string[] => [
    '--host',
    '127.0.0.1',
    '--port',
    String(sshd.port),
    '--user',
    sshd.user,
    '--key',
    path.join(dir, 'k'),
    '--known-hosts',
    path.join(dir, 'known_hosts'),
    '--timeout-ms',
    '0',
    '--json',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-online-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(path.join(dir, 'logs'));
    // Stand-in journalctl/docker: print logs/<unit or container>.log, as `-o cat` / `docker logs` would.
    writeFileSync(path.join(bin, 'journalctl'), `#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -u ] && unit=$2; shift; done\ncat "${dir}/logs/$unit.log"\n`);
    writeFileSync(path.join(bin, 'systemctl'), '#!/bin/sh\necho active\n');
    writeFileSync(
      path.join(bin, 'docker'),
      `#!/bin/sh\nif [ "$1" = inspect ]; then echo running; exit 0; fi\nfor a; do last=$a; done\ncat "${dir}/logs/$last.log"\n`,
    );
    for (const f of ['journalctl', 'systemctl', 'docker']) chmodSync(path.join(bin, f), 0o755);
    sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'k.pub'), 'utf8')], extraConfig: [`SetEnv PATH=${bin}:/usr/bin:/bin`] });
    writeFileSync(path.join(dir, 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const s = await openSession({
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      privateKey: readFileSync(path.join(dir, 'k'), 'utf8'),
      knownHosts: `${sshd.knownHostsLine}\n`,
    });
    if (!s.ok) throw new Error(s.error.message);
    session = s.value;
  });
  afterAll(async () => {
    session?.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const log = (name: string, text: string): void => writeFileSync(path.join(dir, 'logs', `${name}.log`), text + '\n');
  type Out = { online: boolean; name?: string; hops: { hop: string; state: string; detail: string }[] };

  it('Buildkite via journalctl -u: online with its resolved name; a 401 fails the registered hop (exit 1)', async () => {
    log('buildkite-agent', BUILDKITE_LOG);
    const ok = await runCliProcess(['verify', '--platform', 'buildkite', '--unit', 'buildkite-agent', ...args()]);
    expect(ok.code, ok.stderr).toBe(0);
    const out = JSON.parse(ok.stdout) as Out;
    expect(out.name).toBe('ci-host-1');
    expect(out.hops.map((h) => `${h.hop}:${h.state}`)).toEqual(['ssh:passed', 'started:passed', 'registered:passed', 'connected:passed']);
    log('buildkite-agent', BUILDKITE_401);
    const bad = await runCliProcess(['verify', '--platform', 'buildkite', '--unit', 'buildkite-agent', ...args()]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as Out).hops.find((h) => h.state === 'failed')?.hop).toBe('registered');
  }, 60_000);

  it('Harness via docker logs: online; a revoked token is named', async () => {
    log('docker-delegate-1', HARNESS_LOG);
    const ok = await runCliProcess(['verify', '--platform', 'harness', '--container', 'docker-delegate-1', ...args()]);
    expect(ok.code, ok.stderr).toBe(0);
    log('docker-delegate-1', HARNESS_REVOKED);
    const bad = await runCliProcess(['verify', '--platform', 'harness', '--container', 'docker-delegate-1', ...args()]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as Out).hops.find((h) => h.state === 'failed')?.detail).toMatch(/token/i);
  }, 60_000);

  it('Bamboo via its log file: "ready to receive builds" is online', async () => {
    log('bamboo', BAMBOO_LOG);
    const r = await runCliProcess(['verify', '--platform', 'bamboo-remote', '--log-file', path.join(dir, 'logs/bamboo.log'), ...args()]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Out).name).toBe('build-host');
  }, 60_000);

  it('Kubernetes: pasted `kubectl logs` output is read with the same lines', async () => {
    const r = await runCliProcess(['verify', '--platform', 'harness', '--log', '-', '--json'], { input: HARNESS_LOG });
    expect(r.code, r.stderr).toBe(0);
    const bad = await runCliProcess(['verify', '--platform', 'harness', '--log', '-', '--json'], { input: HARNESS_REVOKED });
    expect(bad.code).toBe(1);
  }, 60_000);

  it('the Buildkite health endpoint (a stand-in answering as agent_pool.go does), reached through the SSH session', async () => {
    let answer: [number, string] = [200, 'OK: no heartbeat yet'];
    const srv = http.createServer((req, res) => {
      if (req.url !== '/agent/1') return res.writeHead(404).end();
      res.writeHead(answer[0]).end(answer[1]);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    const signal = buildkiteOnline.find((s): s is Extract<OnlineSignal, { kind: 'health' }> => s.kind === 'health')!;
    const ask = async (): Promise<string> => {
      const r = await httpGet((h, p) => session.forward(h, p), port, signal.path);
      if (!r.ok) throw new Error(r.error.message);
      return readHealth(signal, r.value.status, r.value.body).state;
    };
    try {
      expect(await ask()).toBe('waiting');
      answer = [200, 'OK: last heartbeat successful 3s ago'];
      expect(await ask()).toBe('passed');
      answer = [500, 'ERROR: last heartbeat failed: dial tcp: i/o timeout. last successful was 2m0s ago'];
      expect(await ask()).toBe('failed');
    } finally {
      srv.close();
    }
  });
});

describe('vendor-side confirmation against stand-ins speaking the documented shapes', () => {
  let srv: http.Server;
  let base: string;
  const seen: { url: string; auth: string | undefined; key: string | undefined; body: string }[] = [];
  let mode: 'ok' | '401' | '403' | 'disconnected' = 'ok';

  beforeAll(async () => {
    srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, key: req.headers['x-api-key'] as string | undefined, body });
        if (mode === '401') return res.writeHead(401).end('{"message":"Unauthorized"}');
        if (mode === '403') return res.writeHead(403).end('{"message":"Forbidden: missing scope"}');
        const json = (v: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
        if (req.url?.startsWith('/v2/organizations/acme/agents'))
          return json(mode === 'disconnected' ? [] : [{ name: 'ci-host-1', connection_state: 'connected', hostname: 'ci-host' }]);
        if (req.url?.startsWith('/ng/api/delegate-setup/listDelegates'))
          return json({
            status: 'SUCCESS',
            resource: [{ type: 'DOCKER', name: 'docker-delegate-1', connected: mode !== 'disconnected', lastHeartBeat: Date.now(), delegateReplicas: [] }],
          });
        if (req.url === '/rest/api/latest/agent/remote?online=true')
          return json(mode === 'disconnected' ? [] : [{ id: 1, name: 'build-host', type: 'REMOTE', active: true, enabled: true, busy: false }]);
        if (req.url === '/rest/api/latest/agent/authentication?pending=true') return json([{ uuid: '0b4c-…', ip: '10.0.0.9', approved: false }]);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  afterAll(() => srv?.close());

  it('Buildkite: Bearer token, by resolved name; connected, then 401 and a missing read_agents scope', async () => {
    mode = 'ok';
    expect((await vendorCheck('buildkite', 'ci-host-1', { baseUrl: base, token: 'bkua_read', scope: 'acme' })).state).toBe('passed');
    expect(seen.at(-1)).toMatchObject({ url: '/v2/organizations/acme/agents?name=ci-host-1', auth: 'Bearer bkua_read' });
    mode = '401';
    expect((await vendorCheck('buildkite', 'ci-host-1', { baseUrl: base, token: 'bad', scope: 'acme' })).detail).toMatch(/refused the read-only token/);
    mode = '403';
    expect((await vendorCheck('buildkite', 'ci-host-1', { baseUrl: base, token: 'x', scope: 'acme' })).detail).toMatch(/read_agents/);
  });

  it('Harness: x-api-key and the documented filter body; "not connected" is a failure', async () => {
    mode = 'disconnected';
    const r = await vendorCheck('harness', 'docker-delegate-1', { baseUrl: base, token: 'pat.acct.id.secret', scope: 'acct' });
    expect(r.state).toBe('failed');
    expect(r.detail).toMatch(/not connected/);
    expect(seen.at(-1)).toMatchObject({ url: '/ng/api/delegate-setup/listDelegates?accountIdentifier=acct', key: 'pat.acct.id.secret' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ filterType: 'Delegate', delegateName: 'docker-delegate-1' });
    mode = '403';
    expect((await vendorCheck('harness', 'd', { baseUrl: base, token: 't', scope: 'acct' })).detail).toMatch(/core_delegate_view/);
  });

  it('Bamboo: online by name; not listed but an agent awaits approval is "pending", not a failure', async () => {
    mode = 'ok';
    expect((await vendorCheck('bamboo-remote', 'build-host', { baseUrl: base, token: 'pat' })).state).toBe('passed');
    mode = 'disconnected';
    expect((await vendorCheck('bamboo-remote', 'build-host', { baseUrl: base, token: 'pat' })).state).toBe('pending');
  });
});

/**
 * The vendor check goes out the way the other vendor calls do (sendVendorRequest): through the
 * company's HTTP proxy (a real CONNECT proxy on loopback, test/support/http-proxy) and trusting the
 * company CA (made with openssl). The vendor is a STAND-IN again: an HTTPS loopback server answering
 * Buildkite's documented GET /v2/organizations/:org/agents?name=, as no Buildkite is reachable here.
 */
describe('vendor check through the proxy and company CA (stand-in Buildkite API over HTTPS)', () => {
  let certs: TestCerts;
  let srv: https.Server;
  let proxy: RunningProxy;
  let base: string;
  let dir: string;
  const seen: string[] = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    srv = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/v2/organizations/acme/agents?name=ci-host-1' && req.headers.authorization === 'Bearer bkua_read')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ name: 'ci-host-1', connection_state: 'connected' }]));
      res.writeHead(404).end();
    });
    srv.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    base = `https://localhost:${(srv.address() as AddressInfo).port}`;
    proxy = await startProxy();
    dir = mkdtempSync(path.join(tmpdir(), 'ao-vendor-reach-'));
    writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
    writeFileSync(path.join(dir, 'buildkite.log'), `${BUILDKITE_LOG}\n`);
  });
  afterAll(async () => {
    await new Promise((r) => srv?.close(r));
    await proxy?.stop();
    certs?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks through the proxy (CONNECT) trusting the company CA; without the CA it says to trust it, and nothing reaches the vendor', async () => {
    const check = { baseUrl: base, token: 'bkua_read', scope: 'acme' };
    const before = proxy.log.length;
    const r = await vendorCheck('buildkite', 'ci-host-1', { ...check, reach: { proxy: { mode: 'manual', url: proxy.url }, caPems: [certs.caPem] } });
    expect(r).toMatchObject({ hop: 'vendor', state: 'passed' });
    expect(proxy.log.slice(before)).toEqual([`CONNECT ${new URL(base).host} 200`]);
    expect(seen.at(-1)).toBe('/v2/organizations/acme/agents?name=ci-host-1');

    const asked = seen.length;
    const untrusted = await vendorCheck('buildkite', 'ci-host-1', { ...check, reach: { proxy: { mode: 'manual', url: proxy.url } } });
    expect(untrusted).toMatchObject({ hop: 'vendor', state: 'failed', detail: expect.stringMatching(/certificate this app does not trust.*trust its CA/) });
    expect(seen.length).toBe(asked);
    // The proxy from the environment (mode env) is used too, as by the token check.
    const viaEnv = proxy.log.length;
    const env = await vendorCheck('buildkite', 'ci-host-1', {
      ...check,
      reach: { proxy: { mode: 'env' }, env: { HTTPS_PROXY: proxy.url }, caPems: [certs.caPem] },
    });
    expect(env.state).toBe('passed');
    expect(proxy.log.length).toBeGreaterThan(viaEnv);
  });

  it('verify --vendor-url goes through --proxy trusting --ca-file, and refuses them without a vendor check', async () => {
    const vendorArgs = ['--vendor-url', base, '--vendor-token-env', 'BK_READ', '--vendor-scope', 'acme'];
    const logArgs = ['verify', '--platform', 'buildkite', '--log-file', path.join(dir, 'buildkite.log'), '--timeout-ms', '5000', '--json'];
    const before = proxy.log.length;
    const r = await runCliProcess([...logArgs, ...vendorArgs, '--proxy', proxy.url, '--ca-file', path.join(dir, 'ca.pem')], {
      env: { BK_READ: 'bkua_read' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { hops: { hop: string; state: string }[] }).hops.at(-1)).toMatchObject({ hop: 'vendor', state: 'passed' });
    expect(proxy.log.slice(before)).toContain(`CONNECT ${new URL(base).host} 200`);

    const noCa = await runCliProcess([...logArgs, ...vendorArgs, '--proxy', proxy.url], { env: { BK_READ: 'bkua_read' } });
    expect(noCa.code).toBe(1);
    expect(noCa.stdout).toMatch(/does not trust/);
    const stray = await runCliProcess([...logArgs, '--proxy', proxy.url]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/are for the vendor check/);
  });
});
