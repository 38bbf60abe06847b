/**
 * The Install step's channels over the dispatch, with a real sshd: the host key read without any
 * login attempt, login keys named by path (an encrypted one sent to the ssh-agent, never asked
 * for), a plan kept per caller and used once, and the draft's secret files never in an answer.
 * The whole install → online → undo runs in test/e2e/install.spec.ts.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../../main/ipc/dispatch';
import { remoteHandlers } from '../../../../../main/ipc/handlers/remote';
import type { Deps } from '../../../../../main/services/deps';
import { NO_CIPHER } from '../../../../../main/services/deps';
import { MemoryStore } from '../../../../../main/services/store';
import { SecretVault } from '../../../../../main/services/vault';
import { contract, type Draft, type JobEvent } from '../../../../../shared/ipc';
import { runCliProcess } from '../../../../support/cli';
import { startProxy } from '../../../../support/http-proxy';
import { freePort, startSshd, type RunningSshd } from '../../../../support/sshd';

const run = promisify(execFile);
const remoteContract = Object.fromEntries(Object.entries(contract).filter(([k]) => k.startsWith('remote:'))) as Pick<
  typeof contract,
  `remote:${string}` & keyof typeof contract
>;

let dir: string;
let sshd: RunningSshd;
let vault: SecretVault;
let tunnelKeyId: string;

/** A dispatch answer as the tests read it (values are checked by shape with toMatchObject). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several channels, read field by field
type Answer = { ok: boolean; value?: any; error?: any };

function setup(
  senderId = 'w1',
  env: Record<string, string> = {},
): { call(channel: string, input: unknown): Promise<Answer>; events: JobEvent[]; store: MemoryStore } {
  const jobs = new JobRegistry();
  const store = new MemoryStore();
  const deps = { mode: 'browser', version: 'test', store, cipher: NO_CIPHER, dataDir: dir, vault } as Deps;
  const handlers = remoteHandlers(deps, jobs, env);
  const events: JobEvent[] = [];
  const ctx: CallContext = { senderId, jobs, emit: (e) => events.push(e) };
  return { call: (channel, input) => dispatch(remoteContract, handlers as never, channel, input, ctx), events, store };
}

const draft = (): Draft => ({
  platform: 'armorcode',
  variant: 'docker',
  step: 'install',
  answers: { server: '127.0.0.1', user: 'acme', port: '22', services: [{ name: 'svc', url: 'http://127.0.0.1:8080', remotePort: '5000' }] },
  credentialId: tunnelKeyId,
  knownHosts: '127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-remote-ipc-'));
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', path.join(dir, 'admin')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-C', 'locked', '-f', path.join(dir, 'locked')]);
  await run('openssl', ['genrsa', '-traditional', '-out', path.join(dir, 'tunnel.pem'), '2048']);
  sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'admin.pub'), 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
  vault = new SecretVault();
  tunnelKeyId = vault.put('ssh-private-key', readFileSync(path.join(dir, 'tunnel.pem'), 'utf8'), { type: 'rsa' });
});

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('remote:* channels', () => {
  it('reads the host key in the key exchange, with no login attempt, and compares it with the pins', async () => {
    const { call } = setup();
    const before = sshd.log().length;
    const fresh = await call('remote:host-key', { jobId: 'k1', host: '127.0.0.1', port: sshd.port, knownHosts: '' });
    expect(fresh).toMatchObject({ ok: true, value: { type: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint, line: sshd.knownHostsLine, pinned: 'no' } });
    const pinned = await call('remote:host-key', { jobId: 'k2', host: '127.0.0.1', port: sshd.port, knownHosts: `${sshd.knownHostsLine}\n` });
    expect(pinned.value.pinned).toBe('yes');
    const other = `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`;
    expect((await call('remote:host-key', { jobId: 'k3', host: '127.0.0.1', port: sshd.port, knownHosts: other })).value.pinned).toBe('mismatch');
    expect(sshd.log().slice(before)).not.toMatch(/Accepted|Failed|Postponed|Invalid user/);
    const dead = await freePort();
    const refused = await call('remote:host-key', { jobId: 'k4', host: '127.0.0.1', port: dead, knownHosts: '' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONNECTION_LOST', message: expect.stringContaining(`Could not reach SSH on 127.0.0.1:${dead}`) },
    });
  });

  it('says whether the install type is installed from here, with the manual commands when not', async () => {
    const { call } = setup();
    expect(await call('remote:support', { source: { kind: 'draft', draft: draft() } })).toMatchObject({
      ok: true,
      value: { supported: true, title: expect.stringContaining('supervisord') },
    });
    // The systemd units install under / only (systemd reads units from its own folders); under another root the commands are shown.
    const systemdDraft = { ...draft(), variant: 'systemd' };
    expect(await call('remote:support', { source: { kind: 'draft', draft: systemdDraft } })).toMatchObject({
      ok: true,
      value: { supported: true, title: expect.stringContaining('systemd units') },
    });
    const systemd = await call('remote:support', { source: { kind: 'draft', draft: systemdDraft }, prefix: '/home/me/agent' });
    expect(systemd).toMatchObject({
      ok: true,
      value: { supported: false, reason: expect.stringContaining('systemd would never start them'), hint: expect.stringContaining('Docker Compose') },
    });
    expect(systemd.value.commands.length).toBeGreaterThan(0);
  });

  it('plans with a key file read in main; answers no file contents; the plan is used once, by its caller only', async () => {
    const w1 = setup('w1');
    const login = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      key: { kind: 'file', path: path.join(dir, 'admin') },
      knownHosts: `${sshd.knownHostsLine}\n`,
    };
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const planned = await w1.call('remote:plan', { jobId: 'p1', source: { kind: 'draft', draft: draft() }, login, prefix });
    expect(planned.ok, JSON.stringify(planned.error)).toBe(true);
    expect(planned.value.plan.files.map((f: { target: string }) => f.target)).toContain(`${prefix}/etc/armorcode/private-key.pem`);
    expect(JSON.stringify(planned.value)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(w1.events)).not.toContain('PRIVATE KEY');
    // Another window cannot use it.
    expect(await setup('w2').call('remote:install', { jobId: 'i0', planId: planned.value.planId, timeoutMs: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await w1.call('remote:install', { jobId: 'i1', planId: 'plan-0000', timeoutMs: 5000 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('sends a passphrase-protected key to the ssh-agent instead of asking for it, and needs an agent to use one', async () => {
    const { call } = setup('w1', {});
    const base = { host: '127.0.0.1', port: sshd.port, user: sshd.user, knownHosts: `${sshd.knownHostsLine}\n` };
    const locked = await call('remote:plan', {
      jobId: 'p2',
      source: { kind: 'draft', draft: draft() },
      login: { ...base, key: { kind: 'file', path: path.join(dir, 'locked') } },
      prefix: '/tmp',
    });
    expect(locked).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_REQUIRED', field: 'key.path', hint: expect.stringContaining('ssh-add') } });
    const noAgent = await call('remote:plan', {
      jobId: 'p3',
      source: { kind: 'draft', draft: draft() },
      login: { ...base, key: { kind: 'agent' } },
      prefix: '/tmp',
    });
    expect(noAgent).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', field: 'key', message: expect.stringContaining('SSH_AUTH_SOCK') } });
    const relative = await call('remote:plan', {
      jobId: 'p4',
      source: { kind: 'draft', draft: draft() },
      login: { ...base, key: { kind: 'file', path: 'id_ed25519' } },
      prefix: '/tmp',
    });
    expect(relative).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', field: 'key.path' } });
    const missing = await call('remote:plan', {
      jobId: 'p5',
      source: { kind: 'draft', draft: draft() },
      login: { ...base, key: { kind: 'file', path: path.join(dir, 'nope') } },
      prefix: '/tmp',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'IO_ERROR', message: expect.stringContaining('no such file') } });
    const badRoot = await call('remote:plan', {
      jobId: 'p6',
      source: { kind: 'draft', draft: draft() },
      login: { ...base, key: { kind: 'agent' } },
      prefix: 'relative/root',
    });
    expect(badRoot).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', field: 'prefix' } });
  });

  it('installs from a bundle too (the Bundles page): opened in main, its encrypted key needing the passphrase, refused when it changed since it was inspected', async () => {
    // A bundle as the CLI exports it, with the private key encrypted.
    const out = path.join(dir, 'gen');
    writeFileSync(
      path.join(dir, 'answers.json'),
      JSON.stringify({ server: '127.0.0.1', port: 22, user: 'acme', services: [{ name: 'svc', url: 'http://127.0.0.1:8080', remotePort: 5000 }] }),
    );
    writeFileSync(path.join(dir, 'server_known_hosts'), '127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n');
    const g = await runCliProcess([
      'generate',
      'armorcode',
      '--variant',
      'docker',
      '--answers',
      path.join(dir, 'answers.json'),
      '--key',
      path.join(dir, 'tunnel.pem'),
      '--known-hosts',
      path.join(dir, 'server_known_hosts'),
      '--out',
      out,
    ]);
    expect(g.code, g.stderr).toBe(0);
    const zip = path.join(dir, 'agent.zip');
    const b = await runCliProcess(
      ['bundle', 'export', out, '--out', zip, '--passphrase-env', 'BUNDLE_PASS', '--platform', 'armorcode', '--variant', 'docker'],
      { env: { BUNDLE_PASS: 'correct horse battery' } },
    );
    expect(b.code, b.stderr).toBe(0);
    const sha256 = createHash('sha256').update(readFileSync(zip)).digest('hex');

    const { call } = setup();
    const locked = await call('remote:support', { source: { kind: 'bundle', file: zip } });
    expect(locked).toMatchObject({
      ok: false,
      error: { code: 'PASSPHRASE_REQUIRED', field: 'source.passphrase', message: expect.stringContaining('private-key.pem') },
    });
    const source = { kind: 'bundle', file: zip, passphrase: 'correct horse battery', sha256 };
    expect(await call('remote:support', { source })).toMatchObject({ ok: true, value: { supported: true } });
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const login = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      key: { kind: 'file', path: path.join(dir, 'admin') },
      knownHosts: `${sshd.knownHostsLine}\n`,
    };
    const planned = await call('remote:plan', { jobId: 'pb', source, login, prefix });
    expect(planned.ok, JSON.stringify(planned.error)).toBe(true);
    expect(planned.value.plan.files).toContainEqual(expect.objectContaining({ target: `${prefix}/etc/armorcode/private-key.pem`, mode: 0o600, secret: true }));
    expect(await call('remote:support', { source: { ...source, sha256: '0'.repeat(64) } })).toMatchObject({ ok: false, error: { code: 'FILE_CHANGED' } });
  });
});

/**
 * The optional vendor-side confirmation, end to end over the channels: the read-only token given
 * once and kept in main (only a reference comes back), then Check again on a real host over SSH
 * reads the runner's log and asks the vendor. GitLab Runner is the host-installable platform with
 * a vendor agent API; GitLab itself is a STAND-IN (a loopback HTTP server answering GET
 * /api/v4/runners/:id with the documented shape, doc/api/runners.md), since no GitLab is reachable
 * from here. Its log lines are the runner's own (commands/multi.go, commands/verify.go, network/gitlab.go).
 */
describe('remote:vendor-token and the vendor check (GitLab stand-in)', () => {
  const READ_TOKEN = 'glpat-readonly-0123456789abcdef';
  let gitlab: http.Server;
  let base: string;
  const seen: { url: string; token: string | undefined }[] = [];
  let answer: { status: number; body: unknown } = {
    status: 200,
    body: { id: 42, description: 'ci-host-1', status: 'online', paused: false, contacted_at: '2026-12-07T13:00:00Z' },
  };

  beforeAll(async () => {
    gitlab = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', token: req.headers['private-token'] as string | undefined });
      const a = req.url === '/api/v4/runners/42' ? answer : { status: 404, body: { message: '404 Not found' } };
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => gitlab.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(gitlab.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => gitlab.close(() => r())));

  /** A runner "installed" under a prefix on the host: its log file and a pid file naming a live process. */
  function runnerOnHost(lines: string[]): string {
    const prefix = mkdtempSync(path.join(dir, 'glr-'));
    mkdirSync(path.join(prefix, 'var/log'), { recursive: true });
    mkdirSync(path.join(prefix, 'run'), { recursive: true });
    writeFileSync(path.join(prefix, 'var/log/gitlab-runner.log'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(prefix, 'run/gitlab-runner.pid'), `${process.pid}\n`);
    return prefix;
  }
  const ONLINE = [
    'Runtime platform                                    arch=amd64 os=linux pid=812 revision=1d3d2bc4 version=17.6.0',
    'Configuration loaded                                builds=0 max_builds=1',
    'Verifying runner... is valid                        runner=AbCdEfGh',
    'Checking for jobs... received                       job=1 repo_url=https://gitlab.corp.example/g/p.git runner=AbCdEfGh',
  ];

  it('keeps the token in main (a reference only comes back), asks the vendor about the runner once the log proved it, and names 401 and "offline"', async () => {
    const w1 = setup('w1');
    const login = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      key: { kind: 'file', path: path.join(dir, 'admin') },
      knownHosts: `${sshd.knownHostsLine}\n`,
    };
    const prefix = runnerOnHost(ONLINE);

    // Bad input is refused with a clear message, and nothing is kept.
    expect(await w1.call('remote:vendor-token', { platform: 'gitlab-runner', baseUrl: base, token: READ_TOKEN })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/Runner ID is required/) },
    });
    expect(await w1.call('remote:vendor-token', { platform: 'armorcode', baseUrl: base, token: READ_TOKEN })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/no vendor agent list/) },
    });
    expect(await w1.call('remote:vendor-token', { platform: 'gitlab-runner', baseUrl: 'ftp://x', token: READ_TOKEN, scope: '42' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });

    const kept = await w1.call('remote:vendor-token', { platform: 'gitlab-runner', baseUrl: base, token: READ_TOKEN, scope: '42' });
    expect(kept).toMatchObject({ ok: true, value: { vendorRef: expect.stringMatching(/^vt-[0-9a-f]{16}$/), needs: expect.stringMatching(/read_api/) } });
    expect(JSON.stringify(kept)).not.toContain(READ_TOKEN);
    const vendorRef = kept.value.vendorRef as string;

    const verified = await w1.call('remote:verify', { jobId: 'v1', login, platform: 'gitlab-runner', prefix, timeoutMs: 5_000, vendorRef });
    expect(verified.ok, JSON.stringify(verified.error)).toBe(true);
    expect(verified.value.hops.map((h: { hop: string; state: string }) => `${h.hop}:${h.state}`)).toEqual([
      'ssh:passed',
      'started:passed',
      'registered:passed',
      'connected:passed',
      'vendor:passed',
    ]);
    expect(verified.value.hops.at(-1).detail).toMatch(/GitLab lists runner "ci-host-1" as online/);
    expect(verified.value.online).toBe(true);
    // Asked with the read-only token, in its documented header; never echoed in an answer or an event.
    expect(seen.at(-1)).toEqual({ url: '/api/v4/runners/42', token: READ_TOKEN });
    expect(JSON.stringify(verified)).not.toContain(READ_TOKEN);
    expect(JSON.stringify(w1.events)).not.toContain(READ_TOKEN);
    // Not in the store either (the draft, the history and persisted secrets live there), nor in the vault beside the agent token.
    expect(JSON.stringify(['history', 'secrets', 'draft'].map((k) => w1.store.get(k) ?? null))).not.toContain(READ_TOKEN);
    expect(vault.knownTokens()).not.toContain(READ_TOKEN);

    // The vendor refuses the token: the vendor hop fails and says what to do.
    answer = { status: 401, body: { message: '401 Unauthorized' } };
    const refused = await w1.call('remote:verify', { jobId: 'v2', login, platform: 'gitlab-runner', prefix, timeoutMs: 5_000, vendorRef });
    expect(refused.value.online).toBe(false);
    expect(refused.value.hops.at(-1)).toMatchObject({ hop: 'vendor', state: 'failed', detail: expect.stringMatching(/refused the read-only token \(401\)/) });
    // GitLab lists the runner as offline: not online, whatever the log says.
    answer = { status: 200, body: { id: 42, description: 'ci-host-1', status: 'offline', contacted_at: '2026-12-06T10:00:00Z' } };
    const offline = await w1.call('remote:verify', { jobId: 'v3', login, platform: 'gitlab-runner', prefix, timeoutMs: 5_000, vendorRef });
    expect(offline.value.hops.at(-1)).toMatchObject({ hop: 'vendor', state: 'failed', detail: expect.stringMatching(/as offline/) });

    // The vendor is not asked before the log proves the runner connected.
    const asked = seen.length;
    const early = await w1.call('remote:verify', {
      jobId: 'v4',
      login,
      platform: 'gitlab-runner',
      prefix: runnerOnHost(ONLINE.slice(0, 2)),
      timeoutMs: 0,
      vendorRef,
    });
    expect(early.value.hops.map((h: { hop: string }) => h.hop)).not.toContain('vendor');
    expect(seen.length).toBe(asked);

    // The reference is this window's, for this platform; an unknown one says to paste again.
    expect(await setup('w2').call('remote:verify', { jobId: 'v5', login, platform: 'gitlab-runner', prefix, timeoutMs: 0, vendorRef })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await w1.call('remote:verify', { jobId: 'v6', login, platform: 'armorcode', prefix, timeoutMs: 0, vendorRef })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await w1.call('remote:install', { jobId: 'i9', planId: 'plan-0000', timeoutMs: 5000, vendorRef })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('asks the vendor through the proxy given with the token (a real CONNECT proxy on loopback), and refuses a CA that is not a certificate', async () => {
    const proxy = await startProxy();
    try {
      const w1 = setup('w1');
      const login = {
        host: '127.0.0.1',
        port: sshd.port,
        user: sshd.user,
        key: { kind: 'file', path: path.join(dir, 'admin') },
        knownHosts: `${sshd.knownHostsLine}\n`,
      };
      answer = { status: 200, body: { id: 42, description: 'ci-host-1', status: 'online', contacted_at: '2026-12-07T13:00:00Z' } };
      const token = { platform: 'gitlab-runner', baseUrl: base, token: READ_TOKEN, scope: '42' };
      expect(await w1.call('remote:vendor-token', { ...token, trustedCa: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT', message: expect.stringMatching(/^trusted CA: /) },
      });
      const kept = await w1.call('remote:vendor-token', { ...token, proxy: { mode: 'manual', url: proxy.url } });
      expect(kept.ok).toBe(true);
      const verified = await w1.call('remote:verify', {
        jobId: 'p1',
        login,
        platform: 'gitlab-runner',
        prefix: runnerOnHost(ONLINE),
        timeoutMs: 5_000,
        vendorRef: kept.value.vendorRef,
      });
      expect(verified.value.hops.at(-1), JSON.stringify(verified.value.hops.at(-1))).toMatchObject({ hop: 'vendor', state: 'passed' });
      expect(proxy.log).toEqual([`CONNECT ${new URL(base).host} 200`]);
      expect(JSON.stringify(proxy.log)).not.toContain(READ_TOKEN);
    } finally {
      await proxy.stop();
    }
  });
});
