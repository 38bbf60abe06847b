import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatchApp, JobRegistry } from '../../../../../main/ipc/dispatch';
import { createHandlers } from '../../../../../main/ipc/handlers';
import { NO_CIPHER } from '../../../../../main/services/deps';
import { openConfStore } from '../../../../../main/services/store';
import { SecretVault } from '../../../../../main/services/vault';

describe('the saved draft (a plain JSON file)', () => {
  it('never keeps a password typed into a URL answer, and keeps everything else', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ao-draft-'));
    const store = await openConfStore(dataDir);
    const handlers = createHandlers({ mode: 'browser', version: 't', store, cipher: NO_CIPHER, dataDir, vault: new SecretVault() }, new JobRegistry());
    const ctx = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
    const draft = {
      platform: 'harness',
      variant: 'docker',
      step: 'details',
      answers: {
        accountId: 'acc_1',
        proxyUrl: 'http://ops:Pr0xyS3cret@proxy.corp:3128',
        nested: [{ url: 'https://u:AnotherS3cret@git.corp/x' }],
        httpTokens: 'required',
      },
    };
    const saved = await dispatchApp(handlers, 'draft:save', draft, ctx);
    expect(saved.ok).toBe(true);
    const file = readdirSync(dataDir).find((f) => f.endsWith('.json'))!;
    const onDisk = readFileSync(path.join(dataDir, file), 'utf8');
    expect(onDisk).not.toContain('Pr0xyS3cret');
    expect(onDisk).not.toContain('AnotherS3cret');
    const loaded = await dispatchApp(handlers, 'draft:load', {}, ctx);
    expect(loaded.ok && loaded.value).toMatchObject({
      answers: { accountId: 'acc_1', proxyUrl: 'http://proxy.corp:3128', nested: [{ url: 'https://git.corp/x' }], httpTokens: 'required' },
    });
  });

  it.each([
    ['an @ in the password', 'http://ops:p@ss@proxy.corp:3128', 'http://proxy.corp:3128', 'p@ss'],
    ['no scheme', 'alice:Pr0xyS3cret@proxy.corp:3128', 'proxy.corp:3128', 'Pr0xyS3cret'],
    ['a space in the password', 'http://ops:two words@proxy.corp:3128/', 'http://proxy.corp:3128/', 'two words'],
  ])('removes credentials with %s (issue 14 item 5)', async (_what, given, kept, secret) => {
    const { handlers, ctx, dataDir } = await setup();
    expect((await dispatchApp(handlers, 'draft:save', { platform: 'harness', variant: 'docker', step: 'details', answers: { proxyUrl: given } }, ctx)).ok).toBe(
      true,
    );
    const onDisk = readFileSync(
      path.join(
        dataDir,
        readdirSync(dataDir).find((f) => f.endsWith('.json'))!,
      ),
      'utf8',
    );
    expect(onDisk).not.toContain(secret);
    const loaded = await dispatchApp(handlers, 'draft:load', {}, ctx);
    expect(loaded.ok && loaded.value).toMatchObject({ answers: { proxyUrl: kept } });
  });

  it('keeps values that only look a little like credentials', async () => {
    const { scrubString } = await import('../../../../../shared/history');
    for (const v of ['bob@example.com', 'git@github.com:org/repo.git', 'https://proxy.corp:3128', 'http://host/path?q=a:b@c', 'key=value'])
      expect(scrubString(v)).toBe(v);
  });

  it('refuses an answer over the length bound, and JSON nested 100,000 deep, with BAD_INPUT (never INTERNAL)', async () => {
    const { handlers, ctx, dataDir } = await setup();
    const long = await dispatchApp(
      handlers,
      'draft:save',
      { platform: 'harness', variant: 'docker', step: 'details', answers: { proxyUrl: 'a'.repeat(150_000) + '@' } },
      ctx,
    );
    expect(long.ok === false && long.error.code).toBe('BAD_INPUT');
    expect(long.ok === false && long.error.message).toContain('longer than');
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const nested = await dispatchApp(handlers, 'draft:save', { platform: 'harness', variant: 'docker', step: 'details', answers: { deep } }, ctx);
    expect(nested.ok === false && nested.error.code).toBe('BAD_INPUT');
    expect(await dispatchApp(handlers, 'draft:load', {}, ctx)).toEqual({ ok: true, value: null });
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
  });
});

async function setup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ao-draft-'));
  const store = await openConfStore(dataDir);
  const handlers = createHandlers({ mode: 'browser', version: 't', store, cipher: NO_CIPHER, dataDir, vault: new SecretVault() }, new JobRegistry());
  const ctx = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
  return { handlers, ctx, dataDir };
}
