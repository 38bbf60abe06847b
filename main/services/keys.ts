/**
 * SSH key pairs: generate (Ed25519; RSA 2048/3072/4096), import (OpenSSH, PKCS#1, PKCS#8,
 * encrypted or not) and convert to the format a platform needs, then write the pair through the
 * file service. Glue over libraries: ssh2 generates keys in OpenSSH format (bcrypt-pbkdf +
 * aes256-ctr when a passphrase is given, as ssh-keygen does; every pair is checked, see
 * wellFormedPublicKey) and parses OpenSSH keys; node-forge does RSA, PEM and PKCS#1/#8 (its
 * generator runs on Node's native crypto); Node's crypto reads Ed25519 PKCS#8 keys;
 * openssh-key.ts writes imported keys in OpenSSH format. Every failure is a Result with a code from shared/result.ts.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import forge from 'node-forge';
import ssh2 from 'ssh2';
import { commentProblem, detectKey, MIN_PASSPHRASE, RSA_BITS, type KeyFormat, type KeyType } from '../../shared/key-format';
import { err, ok, type Result } from '../../shared/result';
import { readSnapshot, writeFilesAtomic, type WriteOutcome } from './files';
import { BCRYPT_ROUNDS, blobOfPublicLine, encodeOpenSshPrivateKey, fingerprintOfBlob, publicKeyLine, type RawKey } from './openssh-key';

/** A key pair as the app keeps it: the private key file text and the public facts. */
export interface KeyPair {
  type: KeyType;
  /** Modulus size for RSA, 256 for Ed25519 (what `ssh-keygen -l` prints). */
  bits: number;
  /** Format of `privateKey`. */
  format: KeyFormat;
  /** True when `privateKey` is passphrase-encrypted. */
  encrypted: boolean;
  /** The private key file's text (LF line ends, trailing newline). */
  privateKey: string;
  /** One line: `ssh-ed25519 AAAA… comment` (no newline). */
  publicKey: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: string;
  comment: string;
}

/** An imported key: the pair in the wanted format, and what it was before. */
export interface ImportedKey extends KeyPair {
  sourceFormat: KeyFormat;
  /** False when the file text was kept as it came (only re-wrapped and with LF line ends). */
  converted: boolean;
}

/** What to generate. */
export interface GenerateRequest {
  type: KeyType;
  /** RSA only: 2048, 3072 (default, as ssh-keygen) or 4096. */
  bits?: number;
  /** Default openssh. Ed25519 keys are always OpenSSH format. */
  format?: KeyFormat;
  /** Empty or absent: not encrypted. Otherwise at least MIN_PASSPHRASE characters. */
  passphrase?: string;
  comment?: string;
}

/** A private key's text to import, and the format wanted back. */
export interface ImportRequest {
  text: string;
  passphrase?: string;
  /** The format to hand back; default: the key's own. Ed25519 keys are always OpenSSH format. */
  format?: KeyFormat;
  /** Comment for the public key line when the key file has none (PEM keys never do). */
  comment?: string;
}

/** Progress and cancellation of a long operation. */
export interface JobHooks {
  signal?: AbortSignal;
  progress?(message: string, fraction?: number): void;
}

/** PBKDF2 iterations for encrypted PKCS#8 (ten times OpenSSL 3's default of 2048). */
const PKCS8_ITERATIONS = 20_000;
const HEARTBEAT_MS = 500;

type RsaKey = forge.pki.rsa.PrivateKey;

/** The private key format a platform needs for a key type: Ed25519 keys only exist as OpenSSH files. */
export function formatFor(type: KeyType, wanted: KeyFormat | undefined): KeyFormat {
  return type === 'ed25519' ? 'openssh' : (wanted ?? 'openssh');
}

/** Default file names: `id_<type>` and `id_<type>.pub`, as ssh-keygen names them. */
export function defaultKeyNames(type: KeyType): { privateKey: string; publicKey: string } {
  return { privateKey: `id_${type}`, publicKey: `id_${type}.pub` };
}

function toBuffer(n: forge.jsbn.BigInteger): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

function rawRsa(key: RsaKey): RawKey {
  return { type: 'rsa', n: toBuffer(key.n), e: toBuffer(key.e), d: toBuffer(key.d), iqmp: toBuffer(key.qInv), p: toBuffer(key.p), q: toBuffer(key.q) };
}

/** PKCS#1 or PKCS#8 PEM of an RSA key, encrypted with the passphrase when there is one. */
function rsaPem(key: RsaKey, format: 'pkcs1' | 'pkcs8', passphrase?: string): string {
  let pem: string;
  if (passphrase) {
    pem =
      format === 'pkcs1'
        ? forge.pki.encryptRsaPrivateKey(key, passphrase, { legacy: true, algorithm: 'aes256' })
        : forge.pki.encryptRsaPrivateKey(key, passphrase, { algorithm: 'aes256', prfAlgorithm: 'sha256', count: PKCS8_ITERATIONS, saltSize: 16 });
  } else {
    pem = format === 'pkcs1' ? forge.pki.privateKeyToPem(key) : forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  }
  return pem.replace(/\r\n/g, '\n').replace(/\n*$/, '\n');
}

/** The private key file of a raw key in `format` (RSA only for the PEM formats). */
function encodePrivate(raw: RawKey, rsa: RsaKey | undefined, format: KeyFormat, comment: string, passphrase?: string): string {
  if (format === 'openssh') return encodeOpenSshPrivateKey(raw, comment, passphrase);
  if (!rsa) throw new Error('PEM output needs an RSA key');
  return rsaPem(rsa, format, passphrase);
}

function pairOf(raw: RawKey, bits: number, format: KeyFormat, privateKey: string, comment: string, encrypted: boolean): KeyPair {
  const publicKey = publicKeyLine(raw, comment);
  return { type: raw.type, bits, format, encrypted, privateKey, publicKey, fingerprint: fingerprintOfBlob(blobOfPublicLine(publicKey)!), comment };
}

// ---------------------------------------------------------------------------------------------
// Generation

function checkGenerate(req: GenerateRequest): Result<{ bits: number; format: KeyFormat }> {
  const format = req.format ?? 'openssh';
  if (req.type === 'ed25519' && format !== 'openssh') {
    return err(
      'KEY_UNSUPPORTED',
      `Ed25519 keys are written in OpenSSH format only, not ${format.toUpperCase()}.`,
      'Use --format openssh, or choose an RSA key for PEM.',
    );
  }
  const bits = req.type === 'rsa' ? (req.bits ?? 3072) : 256;
  if (req.type === 'rsa' && !(RSA_BITS as readonly number[]).includes(bits)) return err('BAD_INPUT', `RSA keys are ${RSA_BITS.join(', ')} bits, not ${bits}.`);
  if (req.type === 'ed25519' && req.bits !== undefined && req.bits !== 256) return err('BAD_INPUT', 'Ed25519 keys have a fixed size; leave the bits out.');
  if (req.passphrase && req.passphrase.length < MIN_PASSPHRASE)
    return err('BAD_INPUT', `The passphrase is too short: use at least ${MIN_PASSPHRASE} characters, or none.`);
  if (req.passphrase && req.passphrase.length > 1024) return err('BAD_INPUT', 'The passphrase is longer than 1024 characters.');
  const problem = commentProblem(req.comment ?? '');
  if (problem) return err('BAD_INPUT', problem);
  return ok({ bits, format });
}

/** Rejects with an AbortError when `signal` aborts first (the work itself runs on and is dropped). */
function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new DOMException('cancelled', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DOMException('cancelled', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function sshGenerate(type: KeyType, bits: number, comment: string, passphrase?: string): Promise<{ private: string; public: string }> {
  const opts = { comment, ...(passphrase ? { passphrase, cipher: 'aes256-ctr' as const, rounds: BCRYPT_ROUNDS } : {}) };
  return new Promise((resolve, reject) => {
    const done = (e: Error | null, pair: { private: string; public: string }): void => (e ? reject(e) : resolve(pair));
    if (type === 'rsa') ssh2.utils.generateKeyPair('rsa', { bits, ...opts }, done);
    else ssh2.utils.generateKeyPair('ed25519', opts, done);
  });
}

/** Length of an Ed25519 public key blob: string "ssh-ed25519" (4 + 11) and the 32-byte key (4 + 32). */
const ED25519_BLOB_LENGTH = 51;

/**
 * True when ssh2 wrote the pair whole. ssh2's generator strips every leading zero byte from an
 * Ed25519 public key (mscdex/ssh2#1390, open), so about one key in 256 comes out 31 bytes long,
 * in the .pub line and inside the private key alike, and ssh-keygen refuses it ("not a public key
 * file"). Such a pair is thrown away and another generated: it leaves out the 1/256 of keys whose
 * first byte is zero, which costs under 0.006 bits of the key's 128-bit strength.
 */
export function wellFormedPublicKey(type: KeyType, publicLine: string): boolean {
  const blob = blobOfPublicLine(publicLine);
  if (!blob || ssh2.utils.parseKey(publicLine) instanceof Error) return false;
  return type !== 'ed25519' || blob.length === ED25519_BLOB_LENGTH;
}

function forgeGenerate(bits: number): Promise<RsaKey> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (e, pair) => (e ? reject(e) : resolve(pair.privateKey)));
  });
}

async function generateOpenSsh(type: KeyType, bits: number, comment: string, passphrase: string | undefined, signal?: AbortSignal): Promise<KeyPair> {
  // Eight malformed pairs in a row has a chance of 1 in 256^8: reaching the throw means ssh2 changed.
  for (let attempt = 0; attempt < 8; attempt++) {
    const pair = await abortable(sshGenerate(type, bits, comment, passphrase), signal);
    if (!wellFormedPublicKey(type, pair.public)) continue;
    return {
      type,
      bits,
      format: 'openssh',
      encrypted: Boolean(passphrase),
      privateKey: pair.private,
      publicKey: pair.public,
      fingerprint: fingerprintOfBlob(blobOfPublicLine(pair.public)!),
      comment,
    };
  }
  throw new Error('ssh2 generated eight malformed key pairs in a row');
}

async function generatePem(bits: number, format: 'pkcs1' | 'pkcs8', comment: string, passphrase: string | undefined, signal?: AbortSignal): Promise<KeyPair> {
  const key = await abortable(forgeGenerate(bits), signal);
  return pairOf(rawRsa(key), key.n.bitLength(), format, rsaPem(key, format, passphrase), comment, Boolean(passphrase));
}

/**
 * Generates a key pair. Long for RSA (seconds for 4096 bits): `hooks.progress` gets a message
 * every half second, and aborting `hooks.signal` answers CANCELLED at once. Failure codes:
 * BAD_INPUT (bits, passphrase, comment), KEY_UNSUPPORTED (Ed25519 in a PEM format), CANCELLED.
 */
export async function generateKeyPair(req: GenerateRequest, hooks: JobHooks = {}): Promise<Result<KeyPair>> {
  const checked = checkGenerate(req);
  if (!checked.ok) return checked;
  const { bits, format } = checked.value;
  const comment = req.comment ?? '';
  const passphrase = req.passphrase || undefined;
  const what = req.type === 'rsa' ? `a ${bits}-bit RSA key` : 'an Ed25519 key';
  const started = Date.now();
  hooks.progress?.(`Generating ${what}…`, 0);
  const timer = setInterval(() => hooks.progress?.(`Generating ${what}… ${((Date.now() - started) / 1000).toFixed(1)} s`), HEARTBEAT_MS);
  try {
    const pair =
      format === 'openssh'
        ? await generateOpenSsh(req.type, bits, comment, passphrase, hooks.signal)
        : await generatePem(bits, format, comment, passphrase, hooks.signal);
    hooks.progress?.(`Generated ${what}.`, 1);
    return ok(pair);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') return err('CANCELLED', 'Key generation was cancelled; no key was kept.');
    throw error;
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Import

/** A parsed key: its numbers, the forge key for RSA, and its comment (OpenSSH keys carry one). */
interface Parsed {
  raw: RawKey;
  rsa?: RsaKey;
  bits: number;
  comment: string;
}

function passphraseRequired(): Result<never> {
  return err('PASSPHRASE_REQUIRED', 'This key is encrypted: enter its passphrase.');
}

function wrongPassphrase(): Result<never> {
  return err('PASSPHRASE_WRONG', 'The passphrase does not open this key.', 'Check the passphrase (it is case-sensitive) and try again.');
}

const ED25519_OID = '1.3.101.112';
const RSA_OID = '1.2.840.113549.1.1.1';
const EC_OID = '1.2.840.10045.2.1';

function fromForgeRsa(key: RsaKey): Result<Parsed> {
  // A damaged file can still parse; p·q = n catches keys whose numbers do not belong together.
  if (!key.p.multiply(key.q).equals(key.n))
    return err('KEY_MALFORMED', 'The key is damaged: its numbers do not belong together.', 'Import an undamaged copy of the key.');
  const bits = key.n.bitLength();
  if (bits < 2048) return err('KEY_UNSUPPORTED', `This RSA key has only ${bits} bits; 2048 is the minimum.`, 'Generate a new key here.');
  if (bits > 16384) return err('KEY_UNSUPPORTED', `This RSA key has ${bits} bits; 16384 is the maximum.`);
  return ok({ raw: rawRsa(key), rsa: key, bits, comment: '' });
}

function fromEd25519Der(der: Buffer): Result<Parsed> {
  const jwk = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  if (!jwk.d || !jwk.x) return err('KEY_MALFORMED', 'The Ed25519 key is incomplete.');
  return ok({ raw: { type: 'ed25519', seed: Buffer.from(jwk.d, 'base64url'), pub: Buffer.from(jwk.x, 'base64url') }, bits: 256, comment: '' });
}

/** A PKCS#8 PrivateKeyInfo (already decrypted): RSA through forge, Ed25519 through Node. */
function fromPrivateKeyInfo(info: forge.asn1.Asn1): Result<Parsed> {
  let oid: string;
  try {
    const algorithm = (info.value as forge.asn1.Asn1[])[1]!;
    oid = forge.asn1.derToOid((algorithm.value as forge.asn1.Asn1[])[0]!.value as string);
  } catch {
    return err('KEY_MALFORMED', 'The PKCS#8 key is damaged.');
  }
  if (oid === RSA_OID) return fromForgeRsa(forge.pki.privateKeyFromAsn1(info));
  if (oid === ED25519_OID) return fromEd25519Der(Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'));
  if (oid === EC_OID) return err('KEY_UNSUPPORTED', 'This is an ECDSA key; use an Ed25519 or RSA key.', 'Generate a new key here.');
  return err('KEY_UNSUPPORTED', `Keys of algorithm ${oid} are not supported; use an Ed25519 or RSA key.`);
}

function pemBody(block: string): forge.asn1.Asn1 {
  const [msg] = forge.pem.decode(block);
  if (!msg) throw new Error('no PEM message');
  return forge.asn1.fromDer(msg.body);
}

function parsePkcs8(block: string, encrypted: boolean, passphrase: string | undefined): Result<Parsed> {
  let outer: forge.asn1.Asn1;
  try {
    outer = pemBody(block);
  } catch {
    return err('KEY_MALFORMED', 'The PKCS#8 key is damaged.', 'Copy the whole key again.');
  }
  if (!encrypted) return fromPrivateKeyInfo(outer);
  if (!passphrase) return passphraseRequired();
  let info: forge.asn1.Asn1 | null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(outer, passphrase);
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/unsupported|unknown|not supported/i.test(message))
      return err(
        'KEY_UNSUPPORTED',
        'This key is encrypted with a method the app cannot read.',
        'Re-encrypt it: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out KEY.new',
      );
    info = null;
  }
  if (!info) return wrongPassphrase();
  try {
    return fromPrivateKeyInfo(info);
  } catch {
    return wrongPassphrase();
  }
}

function parsePkcs1(block: string, encrypted: boolean, passphrase: string | undefined): Result<Parsed> {
  if (!encrypted) {
    try {
      return fromForgeRsa(forge.pki.privateKeyFromPem(block));
    } catch {
      return err('KEY_MALFORMED', 'The RSA key is damaged.', 'Copy the whole key again, from the -----BEGIN line to the -----END line.');
    }
  }
  if (!passphrase) return passphraseRequired();
  let key: RsaKey | null;
  try {
    key = forge.pki.decryptRsaPrivateKey(block, passphrase);
  } catch (error) {
    if (/unsupported/i.test((error as Error).message ?? ''))
      return err('KEY_UNSUPPORTED', 'This key is encrypted with a cipher the app cannot read.', 'Re-encrypt it with AES-256: ssh-keygen -p -f KEY');
    key = null;
  }
  if (!key) return wrongPassphrase();
  return fromForgeRsa(key);
}

function sshError(error: Error): Result<never> {
  const m = error.message;
  if (/no passphrase given/i.test(m)) return passphraseRequired();
  if (/bad passphrase/i.test(m)) return wrongPassphrase();
  if (/Unsupported (OpenSSH private key type|cipher|kdf)/i.test(m))
    return err('KEY_UNSUPPORTED', `This OpenSSH key cannot be used: ${m.replace(/^Unsupported /, 'unsupported ')}.`, 'Use an Ed25519 or RSA key.');
  return err('KEY_MALFORMED', 'The OpenSSH key is damaged.', 'Copy the whole key again, from the -----BEGIN line to the -----END line.');
}

function parseOpenSsh(block: string, passphrase: string | undefined): Result<Parsed> {
  const parsed = ssh2.utils.parseKey(block, passphrase);
  if (parsed instanceof Error) return sshError(parsed);
  if (Array.isArray(parsed)) return err('KEY_MALFORMED', 'The file holds more than one key.', 'Import one key at a time.');
  if (parsed.type === 'ssh-rsa') {
    const rsa = fromForgeRsa(forge.pki.privateKeyFromPem(parsed.getPrivatePEM()));
    return rsa.ok ? ok({ ...rsa.value, comment: parsed.comment }) : rsa;
  }
  if (parsed.type === 'ssh-ed25519') {
    const ed = fromEd25519Der(createPrivateKey(parsed.getPrivatePEM()).export({ format: 'der', type: 'pkcs8' }));
    return ed.ok ? ok({ ...ed.value, comment: parsed.comment }) : ed;
  }
  return err('KEY_UNSUPPORTED', `This is a ${parsed.type} key; use an Ed25519 or RSA key.`, 'Generate a new key here.');
}

/**
 * Imports a private key from its text: detects the format (OpenSSH, PKCS#1, PKCS#8, encrypted or
 * not), opens it with the passphrase, checks it, and hands it back in `req.format`. A key already
 * in that format keeps its file text (and its encryption); a converted key is encrypted again with
 * the same passphrase. Failure codes: KEY_MALFORMED (not a private key, damaged, cut off),
 * KEY_UNSUPPORTED (ECDSA, DSA, PuTTY, short RSA, unknown ciphers), PASSPHRASE_REQUIRED,
 * PASSPHRASE_WRONG, BAD_INPUT (comment).
 */
export function importKey(req: ImportRequest): Result<ImportedKey> {
  const detected = detectKey(req.text);
  if (detected.kind === 'unsupported') return err('KEY_UNSUPPORTED', detected.message, detected.hint);
  if (detected.kind === 'malformed') return err('KEY_MALFORMED', detected.message, detected.hint);
  const problem = commentProblem(req.comment ?? '');
  if (problem) return err('BAD_INPUT', problem);
  const passphrase = req.passphrase || undefined;
  const { format: source, encrypted, block } = detected;
  const parsed =
    source === 'openssh'
      ? parseOpenSsh(block, passphrase)
      : source === 'pkcs1'
        ? parsePkcs1(block, encrypted, passphrase)
        : parsePkcs8(block, encrypted, passphrase);
  if (!parsed.ok) return parsed;
  const { raw, rsa, bits } = parsed.value;
  // A comment holding "\nssh-ed25519 AAAA… other" would make the public key two lines: Copy would
  // hand the user a second, foreign key to authorize.
  if (commentProblem(parsed.value.comment)) {
    return err(
      'BAD_INPUT',
      `The key's own comment has a control character or a line break (it could add a second public key line); nothing was imported.`,
      'Change the comment with `ssh-keygen -c -f KEYFILE`, then import it again.',
    );
  }
  const comment = parsed.value.comment || req.comment || '';
  const target = formatFor(raw.type, req.format ?? source);
  const keep = target === source;
  const privateKey = keep ? block : encodePrivate(raw, rsa, target, comment, encrypted ? passphrase : undefined);
  return ok({ ...pairOf(raw, bits, target, privateKey, comment, encrypted), sourceFormat: source, converted: !keep });
}

// ---------------------------------------------------------------------------------------------
// Files

/** ALREADY_EXISTS when either key file is there (or cannot be checked); undefined when both are free. */
export async function existingKeyFile(dir: string, names: { privateKey: string; publicKey: string }): Promise<Result<never> | undefined> {
  for (const file of [path.join(dir, names.privateKey), path.join(dir, names.publicKey)]) {
    if ((await readSnapshot(file).catch(() => ({ exists: true }))).exists) {
      return err(
        'ALREADY_EXISTS',
        `${file} already exists; nothing was written.`,
        'Choose another name or folder, or replace it with --force (the old file is backed up).',
      );
    }
  }
  return undefined;
}

/**
 * Writes the pair as `dir/names.privateKey` (0600) and `dir/names.publicKey` (0644, the one-line
 * public key) through the file service, all-or-nothing. Without `force` an existing file is
 * never touched: ALREADY_EXISTS. With `force` the old files are backed up first. IO_ERROR for
 * permissions and disks.
 */
export async function writeKeyPair(
  dir: string,
  names: { privateKey: string; publicKey: string },
  pair: KeyPair,
  force = false,
): Promise<Result<WriteOutcome[]>> {
  const privatePath = path.join(dir, names.privateKey);
  const publicPath = path.join(dir, names.publicKey);
  if (!force) {
    const existing = await existingKeyFile(dir, names);
    if (existing) return existing;
  }
  const expected = force ? {} : { expectedSha256: null };
  const written = await writeFilesAtomic([
    { path: privatePath, data: pair.privateKey, secret: true, mode: 0o600, ...expected },
    { path: publicPath, data: `${pair.publicKey}\n`, mode: 0o644, ...expected },
  ]);
  if (!written.ok && written.error.code === 'FILE_CHANGED')
    return err('ALREADY_EXISTS', 'A key file appeared while writing; nothing was written.', 'Choose another name or folder, or use --force.');
  return written;
}

/** A private key as ssh2's client takes it (`privateKey`, `passphrase`), and what it is. */
export interface Ssh2Key {
  privateKey: string;
  passphrase?: string;
  /** As ssh2 names it: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256… */
  type: string;
}

/** PKCS#8 as PKCS#1 (RSA) or SEC1 (ECDSA) PEM, still encrypted with the passphrase when it was. */
function pkcs8AsPem(block: string, encrypted: boolean, passphrase: string | undefined): Result<string> {
  if (encrypted && !passphrase) return passphraseRequired();
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block, format: 'pem', ...(encrypted ? { passphrase } : {}) });
  } catch {
    return encrypted ? wrongPassphrase() : err('KEY_MALFORMED', 'The PKCS#8 key is damaged.', 'Copy the whole key again.');
  }
  const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : key.asymmetricKeyType === 'ec' ? 'sec1' : undefined;
  if (!type) {
    return err(
      'KEY_UNSUPPORTED',
      `A ${key.asymmetricKeyType ?? 'this'} key in PKCS#8 form cannot be used by OpenSSH.`,
      'Write the key in OpenSSH format (the Credentials step and `agent-onboard keygen --format openssh` do).',
    );
  }
  return ok(String(key.export({ type, format: 'pem', ...(encrypted ? { cipher: 'aes-256-cbc', passphrase } : {}) })));
}

/**
 * A private key's text (from the vault or a file) in the form ssh2's client reads, opened once
 * with the passphrase so a wrong one is said here rather than as a failed login. ssh2 has no
 * PKCS#8 reader, so PKCS#8 RSA and ECDSA keys (what `openssl genrsa` writes since OpenSSL 3)
 * become PKCS#1/SEC1 PEM, encrypted again when they were; other formats are kept as they are.
 * Wider than importKey, because it tests a key rather than adopting one: any key ssh2 can log in
 * with passes (ECDSA, RSA under 2048 bits), except Ed25519 in PKCS#8, which OpenSSH — the agent —
 * cannot read either. Never echoes key material. Failure codes: KEY_MALFORMED (a public key,
 * damaged text), KEY_UNSUPPORTED, PASSPHRASE_REQUIRED, PASSPHRASE_WRONG.
 */
export function keyForSsh2(text: string, passphrase?: string): Result<Ssh2Key> {
  const given = passphrase || undefined;
  const detected = detectKey(text);
  if (detected.kind === 'malformed') return err('KEY_MALFORMED', detected.message, detected.hint);
  // Kinds the app does not import (ECDSA PEM, DSA, PuTTY) are still tried: ssh2 may read them.
  const block =
    detected.kind === 'unsupported'
      ? ok(text.trim())
      : detected.format === 'pkcs8'
        ? pkcs8AsPem(detected.block, detected.encrypted, given)
        : ok(detected.block);
  if (!block.ok) return block;
  const parsed = ssh2.utils.parseKey(block.value, given);
  if (parsed instanceof Error) {
    const failure = sshError(parsed);
    return detected.kind === 'unsupported' && !failure.ok && failure.error.code === 'KEY_MALFORMED'
      ? err('KEY_UNSUPPORTED', detected.message, detected.hint)
      : failure;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return err('KEY_MALFORMED', 'The file holds no private key.');
  return ok({ privateKey: block.value, ...(given ? { passphrase: given } : {}), type: key.type });
}
