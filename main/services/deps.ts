/**
 * What the handlers need from the outside world, injected by each front end: Electron
 * (main/index.ts), browser mode (main/serve.ts) and tests. Nothing here imports electron.
 */
import type { Result } from '../../shared/result';
import type { KeyValueStore } from './store';
import type { ClipboardGuard } from './clipboard-guard';
import type { SecretVault } from './vault';

/** OS-keychain encryption (Electron safeStorage). Browser mode and the CLI have none. */
export interface SecretCipher {
  available(): boolean;
  encrypt(plain: string): Uint8Array;
  decrypt(blob: Uint8Array): string;
}

export type SecretLockState = 'unset' | 'locked' | 'unlocked';

/**
 * A passphrase that guards saved secrets where there is no keychain (browser mode; see
 * passphrase-cipher.ts). Set up once, unlocked after each start, locked or reset on request.
 */
export interface SecretLock {
  state(): SecretLockState;
  unlock(passphrase: string, create: boolean): Promise<Result<SecretLockState>>;
  lock(): void;
  reset(): void;
}

/** A cipher for front ends without a keychain: nothing secret is persisted. */
export const NO_CIPHER: SecretCipher = {
  available: () => false,
  encrypt: () => {
    throw new Error('no secret storage on this front end');
  },
  decrypt: () => {
    throw new Error('no secret storage on this front end');
  },
};

export interface Deps {
  mode: 'electron' | 'browser';
  version: string;
  store: KeyValueStore;
  cipher: SecretCipher;
  /** Where the app keeps its own files (not the user's output folders). */
  dataDir: string;
  /** The in-memory secret vault (keys, tokens); persists only through `cipher`. */
  vault: SecretVault;
  /** Browser mode: the passphrase lock behind `cipher`. Absent where a keychain (or nothing) persists secrets. */
  secretLock?: SecretLock;
  /** Desktop: remembers secrets handed out for copying, so quitting clears them from the clipboard. */
  clipboardGuard?: ClipboardGuard;
}
