import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_CIPHER } from '../../../../main/services/deps';
import { desktopDeps, secretStorageChoice } from '../../../../main/services/keychain';
import { MemoryStore, openConfStore } from '../../../../main/services/store';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('the store on disk (issue 14 item 7)', () => {
  it('is 0600 in a 0700 folder, even under umask 0', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'ao-store-')), 'browser-mode');
    const before = process.umask(0);
    try {
      const store = await openConfStore(dir);
      store.set('secretLock', { probe: 'x' });
    } finally {
      process.umask(before);
    }
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'agent-onboard.json'))).toBe(0o600);
  });

  it('tightens a store an older version left 0644 in a 0755 folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-store-old-'));
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'agent-onboard.json');
    writeFileSync(file, '{"storeVersion":1}', { mode: 0o644 });
    chmodSync(file, 0o644);
    await openConfStore(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });
});

describe('the OS keychain, or a passphrase (issue 14 item 7)', () => {
  it('uses the keychain where it protects', () => {
    expect(secretStorageChoice({ platform: 'linux', encryptionAvailable: true, backend: 'gnome_libsecret' })).toEqual({ use: 'keychain' });
    expect(secretStorageChoice({ platform: 'linux', encryptionAvailable: true, backend: 'kwallet5' })).toEqual({ use: 'keychain' });
    expect(secretStorageChoice({ platform: 'darwin', encryptionAvailable: true })).toEqual({ use: 'keychain' });
    expect(secretStorageChoice({ platform: 'win32', encryptionAvailable: true })).toEqual({ use: 'keychain' });
  });

  it('treats Linux basic_text (a fixed password) and no keychain like browser mode, and says why', () => {
    const basic = secretStorageChoice({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' });
    expect(basic).toMatchObject({ use: 'passphrase' });
    expect(basic.use === 'passphrase' && basic.reason).toContain('fixed, public password');
    expect(secretStorageChoice({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toMatchObject({ use: 'passphrase' });
    expect(secretStorageChoice({ platform: 'darwin', encryptionAvailable: false })).toMatchObject({ use: 'passphrase' });
  });

  it('gives the desktop app a passphrase lock instead of the keychain cipher on basic_text', () => {
    const keychain = { ...NO_CIPHER, available: () => true };
    const weak = desktopDeps(new MemoryStore(), '/tmp/x', 't', keychain, { platform: 'linux', encryptionAvailable: true, backend: 'basic_text' });
    expect(weak.deps.mode).toBe('electron');
    expect(weak.deps.secretLock).toBeDefined();
    expect(weak.deps.cipher).not.toBe(keychain);
    expect(weak.note).toContain('basic_text');
    const strong = desktopDeps(new MemoryStore(), '/tmp/x', 't', keychain, { platform: 'linux', encryptionAvailable: true, backend: 'gnome_libsecret' });
    expect(strong.deps.cipher).toBe(keychain);
    expect(strong.deps.secretLock).toBeUndefined();
  });
});
