import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../../shared/ipc';
import { hostOutcome, isPinnedLine, loginOf, plannedHops, readEvents } from '../../../../../renderer/steps/install/install-state';
import { hopsForDraft, installDraftSchema } from '../../../../../shared/remote-contract';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('loginOf', () => {
  it('builds the login from the draft, with port 22 and root / by default, the key as a file path', () => {
    expect(loginOf({ host: 'agent1.internal', user: 'deploy', keyPath: '~/.ssh/id_ed25519' })).toEqual({
      login: { host: 'agent1.internal', port: 22, user: 'deploy', key: { kind: 'file', path: '~/.ssh/id_ed25519' }, knownHosts: '' },
      prefix: '/',
    });
    expect(loginOf({ host: '10.0.0.5', port: '2222', user: 'root', key: 'agent', prefix: '/home/deploy/ac' })).toMatchObject({
      login: { port: 2222, key: { kind: 'agent' } },
      prefix: '/home/deploy/ac',
    });
  });

  it('names each missing or wrong field, and refuses a relative or .. install root', () => {
    const r = loginOf({ host: '-oProxyCommand=x', port: '70000', prefix: 'opt/x' });
    expect('errors' in r && r.errors).toMatchObject({
      host: expect.stringMatching(/host name/),
      port: expect.stringMatching(/65535/),
      user: 'is required',
      keyPath: 'is required',
      prefix: expect.stringMatching(/absolute/),
    });
    const dots = loginOf({ host: 'h', user: 'u', key: 'agent', prefix: '/opt/../etc' });
    expect('errors' in dots && dots.errors.prefix).toMatch(/without \.\./);
  });
});

describe('isPinnedLine', () => {
  it('is true only for the same key of the same host and port', () => {
    const line = `[10.0.0.5]:2222 ssh-ed25519 ${KEY}`;
    expect(isPinnedLine(`${line}\n`, '10.0.0.5', 2222, line)).toBe(true);
    expect(isPinnedLine(`${line}\n`, '10.0.0.5', 22, line)).toBe(false);
    expect(isPinnedLine(`[10.0.0.5]:2222 ssh-ed25519 ${KEY.slice(0, -4)}AAAA\n`, '10.0.0.5', 2222, line)).toBe(false);
    expect(isPinnedLine(`@revoked ${line}\n`, '10.0.0.5', 2222, line)).toBe(false);
    expect(isPinnedLine(undefined, '10.0.0.5', 2222, line)).toBe(false);
  });
});

describe('readEvents', () => {
  const ev = (data: unknown): JobEvent => ({ jobId: 'j', message: 'm', data });
  it('joins the streamed output in order and keeps the latest hops', () => {
    const hops1 = { kind: 'hops', hops: [{ hop: 'ssh', state: 'passed', detail: 'ok' }], leftMs: 9000, timeoutMs: 10000 };
    const hops2 = { ...hops1, leftMs: 8000 };
    expect(readEvents([ev({ kind: 'output', text: 'a\n' }), ev(hops1), ev({ kind: 'output', text: 'b\n' }), ev(hops2), ev({ other: 1 })])).toEqual({
      output: 'a\nb\n',
      hops: hops2,
    });
    expect(readEvents([])).toEqual({ output: '' });
  });
});

describe('plannedHops', () => {
  it('lists ArmorCode hops from SSH to connected, none seen yet', () => {
    expect(plannedHops('armorcode').map((h) => `${h.hop}:${h.state}`)).toEqual([
      'ssh:not-checked',
      'files:not-checked',
      'started:not-checked',
      'stayed-up:not-checked',
      'registered:not-checked',
      'connected:not-checked',
    ]);
  });
});

describe('what the Done step says about an install on a host', () => {
  const record = {
    id: 'inst-1',
    at: '2026-12-07T13:00:00Z',
    host: 'agent1.internal',
    port: 22,
    user: 'deploy',
    prefix: '/',
    platform: 'armorcode',
    variant: 'supervisord',
    files: [],
    dirsCreated: [],
    stop: [],
    agentMade: [],
    where: {},
  };
  const hops = hopsForDraft([
    { hop: 'ssh', state: 'passed', detail: 'deploy@agent1.internal:22' },
    { hop: 'started', state: 'passed', detail: 'autossh started ssh', line: 'starting ssh (count 1)' },
    { hop: 'registered', state: 'failed', detail: 'The server refuses the key: send public-key.pem', line: 'acme@tunnel: Permission denied (publickey).' },
    { hop: 'connected', state: 'not-checked', detail: 'waits for the hop before it' },
  ]);

  it('keeps the hops in the draft without their log lines, and the draft schema takes them', () => {
    expect(hops.every((h) => !('line' in h))).toBe(true);
    expect(installDraftSchema.safeParse({ record, online: false, hops, name: 'tunnel-jira' }).success).toBe(true);
  });

  it('"Online on HOST" only when it was seen online; otherwise the hop left and why', () => {
    expect(hostOutcome({ record, online: true, hops: hops.map((h) => ({ ...h, state: 'passed' as const })), name: 'ci-host-1' })).toEqual({
      online: true,
      lead: 'Online on agent1.internal as ci-host-1.',
    });
    const failed = hostOutcome({ record, online: false, hops });
    expect(failed.online).toBe(false);
    expect(failed.lead).toBe(
      'Installed on agent1.internal; not seen online: "Registered with the server" failed. The server refuses the key: send public-key.pem',
    );
    expect(hostOutcome({ record, online: false, hops: [{ hop: 'connected', state: 'waiting', detail: 'waiting for the session to hold' }] }).lead).toMatch(
      /"Connected" was not seen yet/,
    );
    expect(hostOutcome({ record, online: false }).lead).toBe('Installed on agent1.internal; not seen online yet.');
    expect(hostOutcome({ online: true }).lead).toBe('');
  });
});
