/**
 * The probe:run job through the real dispatch, with the key taken from the vault by id, against
 * a real sshd: one progress event per finished endpoint carrying its row, the answer validated
 * against the contract, cancellation through job:cancel, and no secret in anything that leaves.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { probeHandlers } from '../../main/ipc/handlers/probe';
import type { Deps } from '../../main/services/deps';
import { NO_CIPHER } from '../../main/services/deps';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { contract, type JobEvent } from '../../shared/ipc';
import { endpointResultSchema, probeRunSchema } from '../../shared/probe';
import { startBlackHole, type Running } from '../support/net-servers';
import { startProxy, type RunningProxy } from '../support/http-proxy';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';

const run = promisify(execFile);
const probeContract = { 'probe:run': contract['probe:run'], 'probe:proxy-env': contract['probe:proxy-env'], 'job:cancel': contract['job:cancel'] };

let dir: string;
let sshd: RunningSshd;
let blackHole: Running;
let authProxy: RunningProxy;
let privateKey: string;
let vault: SecretVault;
let keyId: string;

function setup(env: Record<string, string> = {}): { call(channel: string, input: unknown): Promise<unknown>; events: JobEvent[]; jobs: JobRegistry } {
  const jobs = new JobRegistry();
  const deps = { mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: dir, vault } as Deps;
  const handlers = {
    ...probeHandlers(deps, jobs, env),
    'job:cancel': async ({ jobId }: { jobId: string }, ctx: { senderId: string }) => ({
      ok: true as const,
      value: { cancelled: jobs.cancel(ctx.senderId, jobId) },
    }),
  };
  const events: JobEvent[] = [];
  const ctx: CallContext = { senderId: 'w1', jobs, emit: (e) => events.push(e) };
  return { call: (channel, input) => dispatch(probeContract, handlers, channel, input, ctx), events, jobs };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-ipc-'));
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ipc', '-f', path.join(dir, 'id')]);
  privateKey = readFileSync(path.join(dir, 'id'), 'utf8');
  sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'id.pub'), 'utf8')] });
  blackHole = await startBlackHole();
  authProxy = await startProxy({ auth: { user: 'u', pass: 'Secr3t-proxy-pass' } });
  vault = new SecretVault();
  keyId = vault.put('ssh-private-key', privateKey, { type: 'ed25519' });
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), blackHole?.stop(), authProxy?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('probe:run over the dispatch', () => {
  it('streams one row per finished endpoint and answers the whole run, using the vault key by id', async () => {
    const { call, events } = setup();
    const closed = await freePort();
    const remote = await freePort();
    const result = (await call('probe:run', {
      jobId: 'job-1',
      endpoints: [
        { id: 'ssh', host: '127.0.0.1', port: sshd.port, protocol: 'ssh', purpose: 'server' },
        { id: 'closed', host: '127.0.0.1', port: closed, protocol: 'ssh', purpose: 'fallback', optional: true },
      ],
      timeoutMs: 3000,
      credentialId: keyId,
      sshUser: sshd.user,
      forwardPorts: [remote],
      forwardBind: '',
    })) as { ok: boolean; value: unknown };
    expect(result.ok).toBe(true);
    const value = probeRunSchema.parse(result.value);
    expect(value.results.map((r) => r.verdict)).toEqual(['SSH_OK', 'REFUSED']);
    expect(value.results[0]?.ssh).toMatchObject({ auth: 'accepted', fingerprint: sshd.hostKeyFingerprint, forwards: [{ port: remote, status: 'allowed' }] });
    expect(value.passed).toBe(true);

    expect(events).toHaveLength(2);
    const rows = events.map((e) => endpointResultSchema.parse(e.data));
    expect(rows.map((r) => r.endpoint.id).sort()).toEqual(['closed', 'ssh']);
    expect(events.map((e) => e.fraction)).toEqual([0.5, 1]);
    expect(JSON.stringify([result, events])).not.toContain(privateKey.split('\n')[1]);
  });

  it('refuses an unknown key id with SECRET_UNAVAILABLE and a host that could start an option with BAD_INPUT', async () => {
    const { call } = setup();
    const missing = (await call('probe:run', {
      jobId: 'j2',
      endpoints: [{ id: 'a', host: '127.0.0.1', port: sshd.port, protocol: 'ssh' }],
      credentialId: 'sec_AAAAAAAAAAAAAAAAAAAA',
    })) as { ok: false; error: { code: string } };
    expect(missing.error.code).toBe('SECRET_UNAVAILABLE');
    const hostile = (await call('probe:run', { jobId: 'j3', endpoints: [{ id: 'a', host: '-oProxyCommand=touch /tmp/x', port: 22, protocol: 'ssh' }] })) as {
      ok: false;
      error: { code: string };
    };
    expect(hostile.error.code).toBe('BAD_INPUT');
  });

  it('cancels through job:cancel at any moment', async () => {
    const { call } = setup();
    const pending = call('probe:run', {
      jobId: 'slow',
      endpoints: [{ id: 'bh', host: '127.0.0.1', port: blackHole.port, protocol: 'tcp' }],
      timeoutMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(await call('job:cancel', { jobId: 'slow' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(((await pending) as { ok: false; error: { code: string } }).error.code).toBe('CANCELLED');
  });

  it('takes a proxy password in, reports the 407 or the pass, and never sends the password back', async () => {
    const { call } = setup();
    const input = (password: string) => ({
      jobId: `p-${password}`,
      endpoints: [{ id: 'a', host: '127.0.0.1', port: sshd.port, protocol: 'ssh' }],
      timeoutMs: 3000,
      proxy: { mode: 'manual', url: authProxy.url, username: 'u', password },
    });
    const wrong = (await call('probe:run', input('wrong'))) as { ok: true; value: { results: { verdict: string }[] } };
    expect(wrong.value.results[0]?.verdict).toBe('PROXY_AUTH');
    const right = (await call('probe:run', input('Secr3t-proxy-pass'))) as { ok: true; value: { results: { verdict: string; via: string }[] } };
    expect(right.value.results[0]).toMatchObject({ verdict: 'SSH_OK', via: expect.stringContaining('u:***@') });
    expect(JSON.stringify(right)).not.toContain('Secr3t');
  });

  it('shows the environment proxy without its password', async () => {
    const { call } = setup({ HTTPS_PROXY: 'http://me:hunter2@proxy.corp.example:3128', no_proxy: '.corp.example' });
    expect(await call('probe:proxy-env', {})).toEqual({ ok: true, value: { httpsProxy: 'http://me:***@proxy.corp.example:3128', noProxy: '.corp.example' } });
  });
});
