import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DraftService, MemoryStore, migrateStore, openConfStore, STORE_VERSION } from '../../../../main/services/store';
import type { Draft } from '../../../../shared/ipc';

describe('store', () => {
  it('migrates a version-0 store (draft under `wizard`) to the current version', () => {
    const store = new MemoryStore();
    store.set('wizard', { platform: 'harness', variant: 'helm', step: 'details', answers: {} });
    expect(migrateStore(store)).toEqual([0]);
    expect(store.get('storeVersion')).toBe(STORE_VERSION);
    expect(new DraftService(store).load()?.platform).toBe('harness');
    expect(migrateStore(store)).toEqual([]);
  });

  it('keeps the Connectivity proxy choice without a password: neither the field nor one typed into the URL', () => {
    const store = new MemoryStore();
    const drafts = new DraftService(store);
    const proxy = { mode: 'manual', url: 'http://ann:s3cret@proxy.corp:3128', noProxy: '.corp', username: 'ann', password: 'hunter2' };
    drafts.save({ platform: 'buildkite', variant: 'cfg', step: 'connectivity', answers: {}, proxy } as Draft);
    expect(drafts.load()?.proxy).toEqual({ mode: 'manual', url: 'http://proxy.corp:3128', noProxy: '.corp', username: 'ann' });
    expect(JSON.stringify(store.get('draft'))).not.toMatch(/s3cret|hunter2/);
  });

  it('loads a damaged draft as null instead of failing', () => {
    const store = new MemoryStore();
    store.set('draft', { platform: 42 });
    expect(new DraftService(store).load()).toBeNull();
  });

  it('persists the draft across reopening the conf store on disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-store-'));
    const first = new DraftService(await openConfStore(dir));
    first.save({ platform: 'armorcode', variant: 'docker', step: 'credentials', answers: { server: 'example.com' } });
    const again = new DraftService(await openConfStore(dir));
    expect(again.load()).toEqual({ platform: 'armorcode', variant: 'docker', step: 'credentials', answers: { server: 'example.com' } });
    expect(JSON.parse(readFileSync(path.join(dir, 'agent-onboard.json'), 'utf8')).storeVersion).toBe(STORE_VERSION);
  });

  it('refuses to open a store file that breaks the schema rather than wiping it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-store-'));
    writeFileSync(path.join(dir, 'agent-onboard.json'), JSON.stringify({ secrets: { a: 1 } }));
    await expect(openConfStore(dir)).rejects.toThrow();
    expect(readFileSync(path.join(dir, 'agent-onboard.json'), 'utf8')).toContain('"a":1');
  });
});
