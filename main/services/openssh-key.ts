/**
 * The OpenSSH key containers, as glue over real crypto: the SSH wire encoding of public keys
 * (`ssh-ed25519 AAAA… comment` lines, SHA256 fingerprints as `ssh-keygen -l` prints them) and the
 * openssh-key-v1 private key file, unencrypted or encrypted the way ssh-keygen does it
 * (bcrypt-pbkdf with 16 rounds and a 16-byte salt, then aes256-ctr). Used to write keys that
 * already exist (imported ones) in OpenSSH format; fresh keys come from ssh2's generator.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import bcryptPbkdf from 'bcrypt-pbkdf';

/** The numbers of a key, each an unsigned big-endian magnitude. */
export type RawKey = { type: 'rsa'; n: Buffer; e: Buffer; d: Buffer; iqmp: Buffer; p: Buffer; q: Buffer } | { type: 'ed25519'; seed: Buffer; pub: Buffer };

/** ssh-keygen's KDF work factor and salt length for new keys. */
export const BCRYPT_ROUNDS = 16;
const SALT_LEN = 16;
const CIPHER = 'aes256-ctr';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An SSH `string`: uint32 length, then the bytes. */
export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** An SSH `mpint` of a non-negative magnitude: minimal, with a 0 byte when the top bit is set. */
export function mpint(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return sshString(m.length && m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

function algorithm(key: RawKey): string {
  return key.type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519';
}

/** The public key blob (what authorized_keys carries in base64 and what is fingerprinted). */
export function publicBlob(key: RawKey): Buffer {
  if (key.type === 'rsa') return Buffer.concat([sshString('ssh-rsa'), mpint(key.e), mpint(key.n)]);
  return Buffer.concat([sshString('ssh-ed25519'), sshString(key.pub)]);
}

function privateFields(key: RawKey): Buffer {
  if (key.type === 'rsa') {
    return Buffer.concat([sshString('ssh-rsa'), mpint(key.n), mpint(key.e), mpint(key.d), mpint(key.iqmp), mpint(key.p), mpint(key.q)]);
  }
  return Buffer.concat([sshString('ssh-ed25519'), sshString(key.pub), sshString(Buffer.concat([key.seed, key.pub]))]);
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, exactly as `ssh-keygen -l` prints it. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The blob inside a one-line OpenSSH public key (`type base64 [comment]`), or undefined. */
export function blobOfPublicLine(line: string): Buffer | undefined {
  const b64 = line.trim().split(/\s+/)[1];
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  return Buffer.from(b64, 'base64');
}

/** `ssh-ed25519 AAAA… comment` (no comment part when the comment is empty). */
export function publicKeyLine(key: RawKey, comment: string): string {
  return `${algorithm(key)} ${publicBlob(key).toString('base64')}${comment ? ` ${comment}` : ''}`;
}

function derive(passphrase: string, salt: Buffer): { key: Buffer; iv: Buffer } {
  const out = Buffer.alloc(48);
  const pass = Buffer.from(passphrase, 'utf8');
  if (bcryptPbkdf.pbkdf(pass, pass.length, salt, salt.length, out, out.length, BCRYPT_ROUNDS) !== 0) {
    throw new Error('bcrypt-pbkdf refused its arguments');
  }
  return { key: out.subarray(0, 32), iv: out.subarray(32) };
}

/**
 * The openssh-key-v1 private key file for `key`, as ssh-keygen writes it (70-column base64).
 * With a non-empty passphrase the private section is encrypted with bcrypt-pbkdf + aes256-ctr.
 */
export function encodeOpenSshPrivateKey(key: RawKey, comment: string, passphrase?: string): string {
  const encrypt = Boolean(passphrase);
  const blockLen = encrypt ? 16 : 8;
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, privateFields(key), sshString(comment)]);
  const pad = (blockLen - (section.length % blockLen)) % blockLen;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  let kdfOptions = Buffer.alloc(0);
  if (encrypt) {
    const salt = randomBytes(SALT_LEN);
    kdfOptions = Buffer.concat([sshString(salt), u32(BCRYPT_ROUNDS)]);
    const { key: k, iv } = derive(passphrase!, salt);
    const cipher = createCipheriv('aes-256-ctr', k, iv);
    section = Buffer.concat([cipher.update(section), cipher.final()]);
    k.fill(0);
  }
  const body = Buffer.concat([
    MAGIC,
    sshString(encrypt ? CIPHER : 'none'),
    sshString(encrypt ? 'bcrypt' : 'none'),
    sshString(kdfOptions),
    u32(1),
    sshString(publicBlob(key)),
    sshString(section),
  ]);
  const b64 = body.toString('base64');
  const lines = b64.match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
