import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../../shared/ipc';
import { HistoryService } from '../../../../main/services/history';
import { MemoryStore } from '../../../../main/services/store';

const draft = (answers: Record<string, unknown> = {}): Draft => ({
  platform: 'bamboo-remote',
  variant: 'installer',
  step: 'export',
  answers: { serverUrl: 'https://bamboo.example.com', ...answers },
  outDir: '/opt/agent',
  credentialId: 'sec_abcdefghijklmnopqrstuv',
  knownHosts: 'host ssh-ed25519 AAAA',
  connectivity: { text: 'Agent Onboard — connectivity report\n', at: '2026-01-02T03:00:00.000Z', passed: true, endpoints: ['bamboo.example.com:443/https'] },
});

describe('HistoryService', () => {
  it('records an onboarding without its credential or any secret-looking answer', () => {
    const store = new MemoryStore();
    const h = new HistoryService(store, () => new Date('2026-01-02T03:04:05Z'));
    const r = h.add(draft({ token: 'secret-token', proxyUrl: 'http://u:pw@proxy:3128' }), { bundlePath: '/tmp/a.zip' });
    expect(r.ok).toBe(true);
    const stored = JSON.stringify(store.get('history'));
    expect(stored).not.toMatch(/secret-token|pw@|sec_abcdefghijklmnopqrstuv|ssh-ed25519|connectivity report/);
    expect(h.list()).toEqual([
      expect.objectContaining({
        platform: 'bamboo-remote',
        variant: 'installer',
        at: '2026-01-02T03:04:05.000Z',
        outDir: '/opt/agent',
        bundlePath: '/tmp/a.zip',
      }),
    ]);
  });

  it('updates the newest entry when the same onboarding is recorded again, and adds a new one otherwise', () => {
    const h = new HistoryService(new MemoryStore());
    h.add(draft());
    h.add(draft(), { bundlePath: '/tmp/b.zip' });
    expect(h.list()).toHaveLength(1);
    expect(h.list()[0]!.bundlePath).toBe('/tmp/b.zip');
    h.add(draft({ agentHome: '/srv/other' }));
    expect(h.list()).toHaveLength(2);
    h.add(draft({ agentHome: '/srv/other' }), { bundlePath: '/tmp/fleet', agents: 5 });
    expect(h.list().map((e) => e.agents)).toEqual([5, undefined, undefined]);
  });

  it('reopens an entry as a new draft on the Details step, without a credential or the old connectivity report', () => {
    const h = new HistoryService(new MemoryStore());
    const entry = h.add(draft());
    const reopened = entry.ok ? h.reopen(entry.value.id) : undefined;
    expect(reopened?.ok && reopened.value).toEqual({
      platform: 'bamboo-remote',
      variant: 'installer',
      step: 'details',
      answers: { serverUrl: 'https://bamboo.example.com' },
      outDir: '/opt/agent',
    });
    expect(h.reopen('h_missing1').ok).toBe(false);
  });

  it('drops damaged entries instead of failing, removes entries, and refuses a draft without a platform', () => {
    const store = new MemoryStore();
    store.set('history', [{ id: 'nope' }, 42]);
    const h = new HistoryService(store);
    expect(h.list()).toEqual([]);
    const entry = h.add(draft());
    expect(entry.ok && h.remove(entry.value.id)).toBe(true);
    expect(h.list()).toEqual([]);
    expect(h.add({ ...draft(), platform: null }).ok).toBe(false);
  });
});

describe('scrubAnswers keeps settings that only mention a token', () => {
  it("keeps Bamboo elastic's httpTokens and drops real secrets", async () => {
    const { scrubAnswers } = await import('../../../../shared/history');
    expect(scrubAnswers({ httpTokens: 'required', hopLimit: 2, token: 'abc', agentToken: 'x', apiKey: 'y', proxyUrl: 'http://u:p@proxy:3128' })).toEqual({
      httpTokens: 'required',
      hopLimit: 2,
      proxyUrl: 'http://proxy:3128',
    });
  });
});

describe('host installs in the history', () => {
  const record = (host: string, prefix = '/', id = 'inst-1') => ({
    id,
    at: '2026-01-02T03:04:05.000Z',
    host,
    port: 22,
    user: 'deploy',
    prefix,
    platform: 'armorcode',
    variant: 'supervisord',
    files: [{ target: `${prefix === '/' ? '' : prefix}/etc/armorcode/private-key.pem`, sha256: 'a'.repeat(64), mode: 0o600 }],
    dirsCreated: [],
    stop: [],
    agentMade: [],
    where: {},
  });

  it('keeps one entry per host (and install root), newest first, with the record undo works from and no secret', () => {
    const store = new MemoryStore();
    let t = 0;
    const h = new HistoryService(store, () => new Date(Date.UTC(2026, 0, 2, 3, 4, t++)));
    const pin = '[10.0.0.5]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    expect(
      h.addHostInstall('armorcode', 'supervisord', {
        record: record('10.0.0.5'),
        knownHosts: pin,
        online: false,
        leftAt: 'Registered with the server: failed.',
      }).ok,
    ).toBe(true);
    expect(h.addHostInstall('armorcode', 'supervisord', { record: record('10.0.0.6'), knownHosts: pin, online: true }).ok).toBe(true);
    expect(h.addHostInstall('armorcode', 'supervisord', { record: record('10.0.0.5', '/', 'inst-2'), knownHosts: pin, online: true }).ok).toBe(true);
    expect(h.addHostInstall('armorcode', 'supervisord', { record: record('10.0.0.5', '/srv/test'), knownHosts: pin, online: true }).ok).toBe(true);
    const rows = h.list();
    expect(rows.map((e) => `${e.hostInstall?.record.host}${e.hostInstall?.record.prefix}:${e.hostInstall?.record.id}`)).toEqual([
      '10.0.0.5/srv/test:inst-1',
      '10.0.0.5/:inst-2',
      '10.0.0.6/:inst-1',
    ]);
    expect(rows[1]).toMatchObject({ platform: 'armorcode', variant: 'supervisord', answers: {}, hostInstall: { online: true, knownHosts: pin } });
    expect(JSON.stringify(store.get('history'))).not.toMatch(/PRIVATE KEY/);
    // Onboardings and host installs live side by side.
    expect(h.add(draft()).ok).toBe(true);
    expect(h.list()).toHaveLength(4);
  });

  it('refuses a record that is not one (nothing stored)', () => {
    const store = new MemoryStore();
    const h = new HistoryService(store);
    expect(
      h.addHostInstall('armorcode', null, {
        record: { ...record('10.0.0.5'), files: [{ target: 'relative/path', sha256: 'x', mode: 1 }] },
        knownHosts: '',
        online: false,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(h.list()).toEqual([]);
  });
});
