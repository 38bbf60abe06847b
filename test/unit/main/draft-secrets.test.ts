import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatchApp, JobRegistry } from '../../../main/ipc/dispatch';
import { createHandlers } from '../../../main/ipc/handlers';
import { NO_CIPHER } from '../../../main/services/deps';
import { openConfStore } from '../../../main/services/store';
import { SecretVault } from '../../../main/services/vault';

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
      answers: { accountId: 'acc_1', proxyUrl: 'http://ops:Pr0xyS3cret@proxy.corp:3128', nested: [{ url: 'https://u:AnotherS3cret@git.corp/x' }], httpTokens: 'required' },
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
});
