/**
 * Secret storage for front ends without an OS keychain (browser mode), as the design's safety
 * rules allow: nothing secret is persisted unless the user gives a passphrase. The key comes from
 * the passphrase by scrypt (N = 2^17, r = 8, p = 1: about 128 MiB and a few hundred ms, so
 * guessing is slow) with a random salt; each secret is sealed with AES-256-GCM under a fresh IV.
 * The store keeps only the salt, the parameters and a sealed check value to recognise the right
 * passphrase; the key lives in memory until the process ends or the user locks it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../../shared/result';
import type { Deps, SecretCipher, SecretLock, SecretLockState } from './deps';
import { deriveKey, gcmOpen, gcmSeal, NONCE_BYTES, TAG_BYTES } from './kdf-aead';
import type { KeyValueStore } from './store';
import { SecretVault } from './vault';

/** The store key holding the KDF parameters and the check value (never the key itself). */
export const SECRETS_KEY = 'secretsKey';
/** Shortest passphrase accepted when setting one up: it guards every saved secret on disk. */
export const MIN_STORE_PASSPHRASE = 12;

const VERSION = 1;
const CHECK = Buffer.from('agent-onboard secrets v1', 'utf8');
const KDF = { N: 2 ** 17, r: 8, p: 1 };

interface KeyRecord {
  v: number;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  check: string;
}

/** A sealed secret: version byte, nonce, tag, ciphertext. */
function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(NONCE_BYTES);
  const { body, tag } = gcmSeal(key, iv, plain);
  return Buffer.concat([Buffer.from([VERSION]), iv, tag, body]);
}

function open(key: Buffer, blob: Buffer): Buffer {
  const head = 1 + NONCE_BYTES + TAG_BYTES;
  if (blob.length < head || blob[0] !== VERSION) throw new Error('not a sealed secret');
  return gcmOpen(key, blob.subarray(1, 1 + NONCE_BYTES), blob.subarray(head), blob.subarray(1 + NONCE_BYTES, head));
}

function readRecord(raw: unknown): KeyRecord | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Partial<KeyRecord>;
  const sane = r.v === VERSION && r.kdf === 'scrypt' && typeof r.salt === 'string' && typeof r.check === 'string';
  // Bounded cost: a store edited to ask for a huge N must not freeze the app.
  const bounded = Number.isInteger(r.N) && r.N! >= 2 ** 14 && r.N! <= 2 ** 20 && r.r === 8 && r.p === 1;
  return sane && bounded ? (r as KeyRecord) : undefined;
}

export class PassphraseCipher implements SecretCipher, SecretLock {
  private key: Buffer | undefined;

  constructor(private readonly store: KeyValueStore) {}

  state(): SecretLockState {
    if (this.key) return 'unlocked';
    return readRecord(this.store.get(SECRETS_KEY)) ? 'locked' : 'unset';
  }

  /**
   * Sets the passphrase up (first time) or unlocks with it. Failure codes: BAD_INPUT (too short
   * when setting up), PASSPHRASE_WRONG (unlocking with another one), ALREADY_EXISTS (setting up
   * when one is set: unlock or reset instead).
   */
  async unlock(passphrase: string, create: boolean): Promise<Result<SecretLockState>> {
    const record = readRecord(this.store.get(SECRETS_KEY));
    if (create) {
      if (record)
        return err('ALREADY_EXISTS', 'A passphrase is already set for the saved secrets.', 'Unlock with it, or forget the saved secrets to start again.');
      if (passphrase.length < MIN_STORE_PASSPHRASE)
        return err('BAD_INPUT', `Use at least ${MIN_STORE_PASSPHRASE} characters: this passphrase guards every saved secret on this disk.`);
      const salt = randomBytes(16);
      const key = await deriveKey(passphrase, salt, KDF);
      this.store.set(SECRETS_KEY, {
        v: VERSION,
        kdf: 'scrypt',
        ...KDF,
        salt: salt.toString('base64'),
        check: seal(key, CHECK).toString('base64'),
      } satisfies KeyRecord);
      this.key = key;
      return ok('unlocked');
    }
    if (!record) return err('NOT_FOUND', 'No passphrase is set up here yet, so there is nothing to unlock.');
    const key = await deriveKey(passphrase, Buffer.from(record.salt, 'base64'), record);
    let check: Buffer;
    try {
      check = open(key, Buffer.from(record.check, 'base64'));
    } catch {
      key.fill(0);
      return err(
        'PASSPHRASE_WRONG',
        'That is not the passphrase the saved secrets were locked with.',
        'Try again, or forget the saved secrets and create them again.',
      );
    }
    if (check.length !== CHECK.length || !timingSafeEqual(check, CHECK))
      return err('PASSPHRASE_WRONG', 'That is not the passphrase the saved secrets were locked with.');
    this.key = key;
    return ok('unlocked');
  }

  /** Forgets the key (the saved secrets stay, locked). */
  lock(): void {
    this.key?.fill(0);
    this.key = undefined;
  }

  /** Forgets the passphrase set-up and every saved secret (for a forgotten passphrase). */
  reset(): void {
    this.lock();
    this.store.delete(SECRETS_KEY);
    this.store.delete('secrets');
  }

  available(): boolean {
    return this.key !== undefined;
  }

  encrypt(plain: string): Uint8Array {
    if (!this.key) throw new Error('the saved secrets are locked');
    return seal(this.key, Buffer.from(plain, 'utf8'));
  }

  decrypt(blob: Uint8Array): string {
    if (!this.key) throw new Error('the saved secrets are locked');
    return open(this.key, Buffer.from(blob)).toString('utf8');
  }
}

/**
 * What browser mode's handlers get: no keychain, so secrets are saved only once the user sets a
 * passphrase, and unlocked after each start.
 */
export function browserModeDeps(store: KeyValueStore, dataDir: string, version: string): Deps {
  const secretLock = new PassphraseCipher(store);
  return { mode: 'browser', version, store, cipher: secretLock, dataDir, vault: new SecretVault(secretLock, store), secretLock };
}
