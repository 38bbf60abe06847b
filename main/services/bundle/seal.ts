/**
 * Secret files of a bundle, sealed with a passphrase: AES-256-GCM, one scrypt per export and a key
 * per file from it (HKDF, fresh salt and nonce per file; see KeySession), the file's path
 * authenticated with it. Reads both formats ever written (AOENC1: a scrypt per file; AOENC2).
 * The KDF and AEAD themselves are the app's one helper (../kdf-aead).
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../../../shared/result';
import { deriveKey, gcmOpen, gcmSeal, NONCE_BYTES, TAG_BYTES } from '../kdf-aead';

/** scrypt cost of a new encryption: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms per file). */
const SCRYPT = { logN: 15, r: 8, p: 1 };
const MAGIC = Buffer.from('AOENC1\0\0', 'latin1');
const HEADER_BYTES = MAGIC.length + 4 + 16 + NONCE_BYTES;

function scrypt(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return deriveKey(passphrase, salt, { N: 2 ** logN, r, p });
}

/*
 * One scrypt per export, not per file (AOENC2). scrypt is there to make each passphrase guess
 * expensive; its salt stops one precomputation serving many passphrases. Running it once per file
 * bought nothing: every file of a bundle (and every bundle of a fleet) is under the same
 * passphrase, so cracking any one already opens all. So a KeySession runs scrypt once (its own
 * random salt, stored in every header), and each file gets its own AES key from that master key
 * with HKDF-SHA256 and a fresh 16-byte per-file salt, plus a fresh nonce: no two files share a key,
 * a guess still costs one full scrypt against any file, and a blob is still bound to its path (AAD).
 * A fleet export shares one session across its bundles; createBundle alone makes one per bundle.
 */

/** One passphrase's scrypt result for a run of encryptions (see above). */
export interface KeySession {
  passphrase: string;
  salt: Buffer;
  master: Promise<Buffer>;
}

/** Starts a key session: scrypt runs once, when the first file is encrypted. */
export function keySession(passphrase: string): KeySession {
  const salt = randomBytes(16);
  return { passphrase, salt, master: scrypt(passphrase, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p) };
}

const MAGIC2 = Buffer.from('AOENC2\0\0', 'latin1');
const HEADER2_BYTES = MAGIC2.length + 4 + 16 + 16 + NONCE_BYTES;
const HKDF_INFO = Buffer.from('agent-onboard bundle file key v2', 'utf8');

function fileKey(master: Buffer, fileSalt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, fileSalt, HKDF_INFO, 32));
}

/**
 * Encrypts one file: header (magic, scrypt logN/r/p, scrypt salt, file salt, nonce) + AES-256-GCM
 * ciphertext + tag. The header and the file's path are authenticated, so a blob moved to another
 * path fails. `session` (same passphrase) shares its scrypt; without one the file gets its own.
 */
export async function encryptFile(plain: Uint8Array, filePath: string, passphrase: string, session?: KeySession): Promise<Uint8Array> {
  const s = session?.passphrase === passphrase ? session : keySession(passphrase);
  const fileSalt = randomBytes(16);
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([MAGIC2, Buffer.from([SCRYPT.logN, SCRYPT.r, SCRYPT.p, 0]), s.salt, fileSalt, nonce]);
  const { body, tag } = gcmSeal(fileKey(await s.master, fileSalt), nonce, plain, Buffer.concat([header, Buffer.from(filePath, 'utf8')]));
  return Buffer.concat([header, body, tag]);
}

/**
 * Decrypts a blob from encryptFile. PASSPHRASE_WRONG when authentication fails (wrong passphrase,
 * or a blob altered or moved), BUNDLE_INVALID when the header is not one this version reads.
 */
export async function decryptFile(blob: Uint8Array, filePath: string, passphrase: string): Promise<Result<Uint8Array>> {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const v2 = buf.subarray(0, MAGIC2.length).equals(MAGIC2);
  const headerBytes = v2 ? HEADER2_BYTES : HEADER_BYTES;
  if (buf.length < headerBytes + TAG_BYTES || !(v2 || buf.subarray(0, MAGIC.length).equals(MAGIC))) {
    return err('BUNDLE_INVALID', `${filePath}: the encrypted file has no valid header.`);
  }
  const logN = buf[8]!;
  const r = buf[9]!;
  const p = buf[10]!;
  // A hostile header could ask scrypt for gigabytes per file: only this version's r and p, and N up to 2^17 (128 MiB), are accepted.
  if (logN < 14 || logN > 17 || r !== SCRYPT.r || p !== SCRYPT.p)
    return err('BUNDLE_INVALID', `${filePath}: the encrypted file asks for unsupported scrypt parameters.`);
  const header = buf.subarray(0, headerBytes);
  const salt = buf.subarray(12, 28);
  const nonce = buf.subarray(headerBytes - NONCE_BYTES, headerBytes);
  const derived = await scrypt(passphrase, Buffer.from(salt), logN, r, p);
  const key = v2 ? fileKey(derived, Buffer.from(buf.subarray(28, 44))) : derived;
  try {
    const aad = Buffer.concat([header, Buffer.from(filePath, 'utf8')]);
    return ok(new Uint8Array(gcmOpen(key, nonce, buf.subarray(headerBytes, buf.length - TAG_BYTES), buf.subarray(buf.length - TAG_BYTES), aad)));
  } catch {
    return err(
      'PASSPHRASE_WRONG',
      'The passphrase does not open the encrypted files of this bundle.',
      'Check the passphrase with whoever made the bundle (it is case-sensitive).',
    );
  }
}
