/**
 * The one passphrase → key → sealed bytes helper of the app: scrypt for the key, AES-256-GCM for
 * the bytes. Bundles (bundle/seal.ts) and the browser mode's secret store (passphrase-cipher.ts)
 * both go through it, so their cost bounds and memory ceiling cannot drift apart. The formats
 * around the bytes (headers, version bytes) stay with their owners: what earlier versions wrote
 * must still open.
 */
import { createCipheriv, createDecipheriv, scrypt, type ScryptOptions } from 'node:crypto';

/** scrypt's cost parameters: N (a power of two), block size r, parallelism p. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** Bytes of a derived key (AES-256). */
export const KEY_BYTES = 32;
/** Bytes of an AES-GCM nonce and of its authentication tag. */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * The memory ceiling handed to scrypt: it needs 128 · N · r · p bytes; twice that leaves room for
 * Node's own bookkeeping, and the callers bound N, r and p before asking (a hostile header or store
 * must not get gigabytes).
 */
export function scryptMaxmem(o: ScryptParams): number {
  return 256 * o.N * o.r * o.p;
}

/** A 32-byte key from a passphrase (NFC-normalised, so the same words typed anywhere give the same key). */
export function deriveKey(passphrase: string, salt: Uint8Array, o: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: scryptMaxmem(o) };
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, options, (e, key) => (e ? reject(e) : resolve(key))));
}

/** AES-256-GCM: the ciphertext and its tag; `aad` is authenticated, not encrypted. */
export function gcmSeal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array, aad?: Uint8Array): { body: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { body, tag: cipher.getAuthTag() };
}

/** Opens what gcmSeal sealed; throws when the key, nonce, tag, body or aad do not match. */
export function gcmOpen(key: Uint8Array, nonce: Uint8Array, body: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}
