/**
 * Whether Electron's safeStorage really protects saved secrets. On Linux without a keyring
 * (`getSelectedStorageBackend()` is `basic_text`), "encryption" uses a fixed password built into
 * Chromium: anyone who can read the store can decrypt it. That case is treated like browser mode:
 * a passphrase the user sets, or nothing saved. Pure decision logic, so it is unit-tested without
 * Electron; main/index.ts only passes in what safeStorage says.
 */
import type { Deps, SecretCipher } from './deps';
import type { KeyValueStore } from './store';
import { browserModeDeps } from './passphrase-cipher';
import { SecretVault } from './vault';

export interface KeychainFacts {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable() */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux (undefined elsewhere). */
  backend?: string;
}

/** Linux backends that do not protect anything: a fixed password, or none found. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

/** 'keychain' when the OS keychain protects secrets; otherwise 'passphrase' and why. */
export function secretStorageChoice(f: KeychainFacts): { use: 'keychain' } | { use: 'passphrase'; reason: string } {
  if (!f.encryptionAvailable) return { use: 'passphrase', reason: 'No OS keychain is available.' };
  if (f.platform === 'linux' && (f.backend === undefined || WEAK_BACKENDS.has(f.backend)))
    return {
      use: 'passphrase',
      reason: `No keyring was found (safeStorage backend "${f.backend ?? 'unknown'}"): the OS keychain would only hide secrets behind a fixed, public password, so they are sealed with a passphrase you set instead.`,
    };
  return { use: 'keychain' };
}

/** The desktop app's dependencies: the keychain when it protects, else browser mode's passphrase lock. */
export function desktopDeps(
  store: KeyValueStore,
  dataDir: string,
  version: string,
  keychain: SecretCipher,
  facts: KeychainFacts,
): { deps: Deps; note?: string } {
  const choice = secretStorageChoice(facts);
  if (choice.use === 'keychain') return { deps: { mode: 'electron', version, store, cipher: keychain, dataDir, vault: new SecretVault(keychain, store) } };
  return { deps: { ...browserModeDeps(store, dataDir, version), mode: 'electron' }, note: choice.reason };
}
