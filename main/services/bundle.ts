/**
 * Config bundles: one standard zip per agent with its config files, keys, a README with the next
 * steps, the connectivity report and manifest.json (per file: path, size, SHA-256, mode, secret).
 *
 * - Written with fflate; Unix modes are kept in each entry's external attributes, so `unzip`
 *   restores them. Secret files can be encrypted with a passphrase: AES-256-GCM, one scrypt per
 *   export and a key per file from it (HKDF, fresh salt and nonce per file; see KeySession), the
 *   file's path authenticated with it. The
 *   manifest's SHA-256 is sealed the same way (manifest.json.auth), so with the passphrase the
 *   plain files are authenticated too. The passphrase is never stored.
 * - Read with yauzl from the central directory (the source of truth for names, sizes and modes).
 *   Hostile bundles are refused before anything is written: unsafe names ('..', absolute,
 *   drive letters, backslashes), symlinks and other special files, duplicate names (also
 *   case-insensitively), too many entries, too much uncompressed data (counted while
 *   inflating, not trusted from headers), suspicious compression ratios, entries the manifest
 *   does not list, checksums that do not match, a wrong passphrase.
 */
import { randomBytes, createCipheriv, createDecipheriv, hkdfSync, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { readRegularFile, UserFileError } from './user-file';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import yauzl from 'yauzl';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  COMPANY_CA_FILE,
  ENCRYPTED_SUFFIX,
  MANIFEST_AUTH_NAME,
  MANIFEST_NAME,
  REPORT_NAME,
  checkEntryPath,
  collisionKey,
  companyCaSteps,
  isPrivateKeyText,
  isSecretFile,
  manifestSchema,
  renderReadme,
  type Manifest,
  type ManifestFile,
} from '../../shared/bundle';
import { getPlatform } from '../../shared/platforms';
import { secretsIn } from '../../shared/token-finders';
import type { Artifact, Command, Generated, PlatformId, Removal } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { artifactPath, readSnapshot, sha256, writeFileAtomic, writeFilesAtomic, type WriteOutcome, type WriteRequest } from './files';

/** One file to pack. `path` is relative with '/' separators. */
export interface BundleFile {
  path: string;
  data: Uint8Array;
  /** Unix permission bits. */
  mode: number;
  secret: boolean;
  /** What makes it secret, in words (a private key, a token and where), when its content does. */
  secretBecause?: string[];
  description?: string;
}

/** Ceilings for reading a bundle (and for packing a folder). Sizes in bytes. */
export interface BundleLimits {
  /** Size of the zip file itself. */
  maxBundleBytes: number;
  maxEntries: number;
  /** Sum of all entries' inflated sizes, counted while inflating. */
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Largest inflated/compressed ratio accepted for an entry bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Agent configs are small: these leave two orders of magnitude of room and stop zip bombs. */
export const DEFAULT_LIMITS: BundleLimits = {
  maxBundleBytes: 64 * 1024 * 1024,
  maxEntries: 2000,
  maxTotalBytes: 128 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

/** scrypt cost of a new encryption: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms per file). */
const SCRYPT = { logN: 15, r: 8, p: 1 };
const MAGIC = Buffer.from('AOENC1\0\0', 'latin1');
const HEADER_BYTES = MAGIC.length + 4 + 16 + 12;
const TAG_BYTES = 16;

function scrypt(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r * p };
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 32, options, (e, key) => (e ? reject(e) : resolve(key))));
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
const HEADER2_BYTES = MAGIC2.length + 4 + 16 + 16 + 12;
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
  const nonce = randomBytes(12);
  const header = Buffer.concat([MAGIC2, Buffer.from([SCRYPT.logN, SCRYPT.r, SCRYPT.p, 0]), s.salt, fileSalt, nonce]);
  const cipher = createCipheriv('aes-256-gcm', fileKey(await s.master, fileSalt), nonce);
  cipher.setAAD(Buffer.concat([header, Buffer.from(filePath, 'utf8')]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
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
  const nonce = buf.subarray(headerBytes - 12, headerBytes);
  const derived = await scrypt(passphrase, Buffer.from(salt), logN, r, p);
  const key = v2 ? fileKey(derived, Buffer.from(buf.subarray(28, 44))) : derived;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.concat([header, Buffer.from(filePath, 'utf8')]));
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    return ok(new Uint8Array(Buffer.concat([decipher.update(buf.subarray(headerBytes, buf.length - TAG_BYTES)), decipher.final()])));
  } catch {
    return err(
      'PASSPHRASE_WRONG',
      'The passphrase does not open the encrypted files of this bundle.',
      'Check the passphrase with whoever made the bundle (it is case-sensitive).',
    );
  }
}

/** What createBundle packs besides the files. */
export interface BundleOptions {
  files: BundleFile[];
  platform: PlatformId | null;
  variant: string | null;
  appVersion: string;
  /** The bundle's file name, used in the README's commands. */
  bundleName: string;
  commands?: Command[];
  notes?: string[];
  /** How to take the agent away again (a README section). */
  removal?: Removal;
  /** The connectivity report (text), added as connectivity-report.txt. */
  report?: string;
  /** Encrypts the secret files when given (at least 8 characters). */
  passphrase?: string;
  /** Shares one scrypt across bundles encrypted with the same passphrase (a fleet export). */
  keySession?: KeySession;
  agent?: { name: string; host?: string };
  now?: Date;
  signal?: AbortSignal;
}

export interface CreatedBundle {
  zip: Uint8Array;
  manifest: Manifest;
}

function enc(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function decodeText(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(data);
}

/** Refuses unsafe names, reserved names, duplicates and a file that is also a folder of another. */
function checkFileSet(paths: string[]): Result<true> {
  const keys = new Map<string, string>();
  for (const p of paths) {
    const checked = checkEntryPath(p);
    if (!checked.ok) return checked;
    const key = collisionKey(p);
    const clash = keys.get(key);
    if (clash !== undefined)
      return err(
        'BUNDLE_INVALID',
        `The bundle names ${JSON.stringify(p)} twice${clash !== p ? ` (as ${JSON.stringify(clash)}: the same file on case-insensitive disks)` : ''}; nothing was unpacked.`,
        'The bundle was not made by Agent Onboard or was tampered with: do not use it.',
      );
    keys.set(key, p);
  }
  for (const [key, p] of keys) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (keys.has(dir))
        return err(
          'BUNDLE_INVALID',
          `The bundle has both a file ${JSON.stringify(keys.get(dir))} and a file inside it (${JSON.stringify(p)}); nothing was unpacked.`,
        );
    }
  }
  return ok(true);
}

function readmeName(paths: string[]): string {
  const taken = new Set(paths.map(collisionKey));
  return taken.has('readme.md') ? 'README-bundle.md' : 'README.md';
}

/** A secret's mode: the owner's read/write bits only (0600 or 0400). */
function secretMode(mode: number): number {
  return mode & 0o600 || 0o600;
}

/** Entry attributes: Unix "made by", S_IFREG | mode in the high 16 bits. */
function zipAttrs(mode: number, mtime: Date, level: 0 | 6): { os: number; attrs: number; mtime: Date; level: 0 | 6 } {
  return { os: 3, attrs: ((0o100000 | (mode & 0o777)) << 16) >>> 0, mtime, level };
}

/**
 * Packs files into a bundle (in memory). Adds README.md (README-bundle.md when the files have
 * their own README), the report and manifest.json. Failure codes: BAD_INPUT (unsafe or duplicate
 * path, short passphrase), CANCELLED.
 */
export async function createBundle(o: BundleOptions): Promise<Result<CreatedBundle>> {
  if (o.passphrase !== undefined && o.passphrase.length < 8) return err('BAD_INPUT', 'The passphrase must have at least 8 characters.');
  const now = o.now ?? new Date();
  const session = o.passphrase === undefined ? undefined : o.keySession?.passphrase === o.passphrase ? o.keySession : keySession(o.passphrase);
  const createdAt = now.toISOString();
  const files: BundleFile[] = [...o.files];
  if (o.report !== undefined) files.push({ path: REPORT_NAME, data: enc(o.report), mode: 0o644, secret: false, description: 'Connectivity report' });
  const names = files.map((f) => f.path);
  const readme = readmeName(names);
  const set = checkFileSet([...names, readme, MANIFEST_NAME, MANIFEST_AUTH_NAME]);
  if (!set.ok) return err('BAD_INPUT', set.error.message.replace(/; nothing was unpacked\./, '.'));

  const entries: Manifest['files'] = [];
  const zippable: Zippable = {};
  for (const f of files) {
    if (o.signal?.aborted) return err('CANCELLED', 'The export was cancelled; nothing was written.');
    const mode = f.secret ? secretMode(f.mode) : f.mode & 0o777;
    const record: ManifestFile = {
      path: f.path,
      size: f.data.byteLength,
      sha256: sha256(f.data),
      mode,
      secret: f.secret,
      ...(f.description ? { description: f.description.slice(0, 500) } : {}),
    };
    if (f.secret && o.passphrase !== undefined) {
      const blob = await encryptFile(f.data, f.path, o.passphrase, session);
      record.encrypted = { cipher: 'aes-256-gcm', kdf: 'scrypt', storedSize: blob.byteLength, storedSha256: sha256(blob) };
      zippable[f.path + ENCRYPTED_SUFFIX] = [blob, zipAttrs(0o600, now, 0)];
    } else {
      zippable[f.path] = [f.data, zipAttrs(mode, now, 6)];
    }
    entries.push(record);
  }
  const platform = o.platform ? getPlatform(o.platform) : undefined;
  const readmeText = renderReadme({
    platform,
    variant: o.variant,
    appVersion: o.appVersion,
    createdAt,
    files: entries,
    commands: o.commands ?? [],
    notes: o.notes ?? [],
    hasReport: o.report !== undefined,
    ...(o.removal ? { removal: o.removal } : {}),
    bundleName: o.bundleName,
    ...(o.agent ? { agent: o.agent } : {}),
  });
  const readmeBytes = enc(readmeText);
  entries.unshift({
    path: readme,
    size: readmeBytes.byteLength,
    sha256: sha256(readmeBytes),
    mode: 0o644,
    secret: false,
    description: 'What is inside and the next steps',
  });
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    platform: o.platform,
    variant: o.variant,
    appVersion: o.appVersion,
    createdAt,
    ...(o.agent ? { agent: o.agent } : {}),
    files: entries,
  };
  const manifestBytes = enc(JSON.stringify(manifest, null, 2) + '\n');
  const ordered: Zippable = {
    [readme]: [readmeBytes, zipAttrs(0o644, now, 6)],
    ...zippable,
    [MANIFEST_NAME]: [manifestBytes, zipAttrs(0o644, now, 6)],
  };
  if (o.passphrase !== undefined) ordered[MANIFEST_AUTH_NAME] = [await encryptFile(enc(sha256(manifestBytes)), MANIFEST_NAME, o.passphrase, session), zipAttrs(0o600, now, 0)];
  return ok({ zip: zipSync(ordered), manifest });
}

/** Texts longer than this are searched for secrets in their first this-many characters only. */
const SECRET_SCAN_CHARS = 1024 * 1024;

/**
 * Whether a file is secret, and why: its mode (owner-only), its generator's mark, or what it
 * holds (a private key block, a token the platforms' finders locate, or one of `known`, raw or
 * base64), never its name.
 */
export function classifySecret(file: { path: string; mode: number; text: string; markedSecret?: boolean | undefined }, known: readonly string[] = []): { secret: boolean; because: string[] } {
  const because = secretsIn(file.text.slice(0, SECRET_SCAN_CHARS), file.path, known);
  return { secret: because.length > 0 || isSecretFile({ mode: file.mode, text: '', markedSecret: file.markedSecret }), because };
}

/**
 * Turns a generator's artifacts into bundle files; private keys are left out unless asked for.
 * `known`: token values this onboarding uses (a file holding one is secret).
 */
export function artifactsToFiles(artifacts: Artifact[], includePrivateKey: boolean, known: readonly string[] = []): { files: BundleFile[]; left: string[] } {
  const files: BundleFile[] = [];
  const left: string[] = [];
  for (const a of artifacts) {
    if (!includePrivateKey && isPrivateKeyText(a.text)) {
      left.push(a.path);
      continue;
    }
    const { secret, because } = classifySecret({ path: a.path, mode: a.mode, text: a.text, markedSecret: a.secret }, known);
    files.push({
      path: a.path,
      data: enc(a.text),
      mode: a.mode,
      secret,
      ...(because.length ? { secretBecause: because } : {}),
      ...(a.description ? { description: a.description } : {}),
    });
  }
  return { files, left };
}

/**
 * One agent's bundle parts from its generator: the files (private keys left out unless asked
 * for), commands and notes, plus the company CA and how to trust it on the agent host when the
 * connectivity checks trusted one (draft.trustedCa).
 */
export function generatedParts(
  generated: Generated,
  o: { platform: PlatformId; includePrivateKey: boolean; trustedCa?: string | undefined; known?: readonly string[] },
): { files: BundleFile[]; left: string[]; commands: Command[]; notes: string[]; removal?: Removal } {
  const { files, left } = artifactsToFiles(generated.files, o.includePrivateKey, o.known);
  const removal = generated.removal ? { removal: generated.removal } : {};
  if (!o.trustedCa) return { files, left, commands: generated.commands, notes: generated.notes, ...removal };
  const steps = companyCaSteps(o.platform);
  files.push({ path: COMPANY_CA_FILE, data: enc(o.trustedCa), mode: 0o644, secret: false, description: 'Company CA the connectivity checks trusted (certificate only)' });
  return { files, left, commands: [...steps.commands, ...generated.commands], notes: [...generated.notes, ...steps.notes], ...removal };
}

const BACKUP = /\.bak-\d{8}T\d{6}Z(-\d+)?$/;
const TEMP = /\.tmp-ao-[0-9a-f]+$/;

/**
 * Reads a folder as it is (recursively) into bundle files: modes from disk, secret by mode 0600,
 * `markedSecret` or what the file holds (classifySecret: a private key, a token the finders
 * locate, one of `known`). The file service's own backups (`*.bak-<stamp>`) and temp files are
 * skipped (listed in `skipped`), as are the paths in `exclude` (e.g. the bundle being written).
 * With `leaveOutPrivateKeys`, files holding a private key are not packed (listed in `keysLeft`).
 * Symlinks and special files are refused (BAD_INPUT): a bundle carries regular files.
 * NOT_FOUND when the folder does not exist; BAD_INPUT past the entry or size limits.
 */
export async function collectFolder(
  dir: string,
  opts: { exclude?: string[]; limits?: BundleLimits; markedSecret?: (rel: string) => boolean; known?: readonly string[]; leaveOutPrivateKeys?: boolean } = {},
): Promise<Result<{ files: BundleFile[]; skipped: string[]; keysLeft: string[] }>> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const root = path.resolve(dir);
  const exclude = new Set((opts.exclude ?? []).map((p) => path.resolve(p)));
  try {
    if (!(await stat(root)).isDirectory()) return err('BAD_INPUT', `${dir} is not a folder.`);
  } catch {
    return err('NOT_FOUND', `The folder ${dir} does not exist.`);
  }
  const files: BundleFile[] = [];
  const skipped: string[] = [];
  const keysLeft: string[] = [];
  let total = 0;
  const walk = async (abs: string, rel: string): Promise<Result<true>> => {
    const items = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      const childAbs = path.join(abs, item.name);
      const childRel = rel ? `${rel}/${item.name}` : item.name;
      if (exclude.has(childAbs)) continue;
      if (item.isSymbolicLink())
        return err(
          'BAD_INPUT',
          `${childRel} is a symbolic link: bundles carry regular files only. Replace it with the file it points to, or move it out of ${dir}.`,
        );
      if (item.isDirectory()) {
        const inner = await walk(childAbs, childRel);
        if (!inner.ok) return inner;
        continue;
      }
      if (!item.isFile()) return err('BAD_INPUT', `${childRel} is not a regular file (a device, socket or pipe).`);
      if (BACKUP.test(item.name) || TEMP.test(item.name)) {
        skipped.push(childRel);
        continue;
      }
      const checked = checkEntryPath(childRel);
      if (!checked.ok)
        return err(
          'BAD_INPUT',
          `${childRel}: this file name cannot go into a bundle (${checked.error.message.replace(/^The bundle entry \S+ /, '').replace(/; nothing was unpacked\.$/, '')}).`,
        );
      const info = await lstat(childAbs);
      total += info.size;
      if (files.length + 1 > limits.maxEntries)
        return err('BAD_INPUT', `${dir} holds more than ${limits.maxEntries} files: that is not an agent's config folder.`);
      if (info.size > limits.maxEntryBytes || total > limits.maxTotalBytes)
        return err(
          'BAD_INPUT',
          `${dir} is too big for a bundle (more than ${Math.round(limits.maxTotalBytes / 1048576)} MiB, or a file over ${Math.round(limits.maxEntryBytes / 1048576)} MiB).`,
        );
      // Through a fresh open that refuses a link and anything but a regular file, within the
      // entry limit: the lstat above may be stale by now.
      const data = new Uint8Array(await readRegularFile(childAbs, { noFollow: true, maxBytes: limits.maxEntryBytes }));
      const mode = info.mode & 0o777;
      const text = data.includes(0) ? '' : decodeText(data.subarray(0, SECRET_SCAN_CHARS));
      if (opts.leaveOutPrivateKeys && isPrivateKeyText(text)) {
        keysLeft.push(childRel);
        continue;
      }
      const { secret, because } = classifySecret({ path: childRel, mode, text, markedSecret: opts.markedSecret?.(childRel) }, opts.known);
      files.push({ path: childRel, data, mode, secret, ...(because.length ? { secretBecause: because } : {}) });
    }
    return ok(true);
  };
  try {
    const walked = await walk(root, '');
    return walked.ok ? ok({ files, skipped, keysLeft }) : walked;
  } catch (error) {
    return err('IO_ERROR', `Could not read ${dir}: ${(error as Error).message}.`);
  }
}

/**
 * Writes a bundle to `out` through the file service (atomic; 0600 when it holds a secret that is
 * not encrypted). ALREADY_EXISTS when `out` exists and `overwrite` is not set.
 */
export async function writeBundle(out: string, bundle: CreatedBundle, overwrite: boolean): Promise<Result<WriteOutcome>> {
  const plainSecret = bundle.manifest.files.some((f) => f.secret && !f.encrypted);
  const result = await writeFileAtomic({
    path: out,
    data: bundle.zip,
    mode: plainSecret ? 0o600 : 0o644,
    secret: plainSecret,
    ...(overwrite ? {} : { expectedSha256: null }),
  });
  if (!result.ok && result.error.code === 'FILE_CHANGED' && !overwrite)
    return err('ALREADY_EXISTS', `${out} already exists; nothing was written.`, 'Choose another file name, or allow overwriting it.');
  return result;
}

/** A zip entry as read: its name, its Unix mode when the zip records one, its inflated bytes. */
interface RawEntry {
  name: string;
  mode: number | null;
  data: Uint8Array;
}

const HOSTILE_HINT = 'The bundle was not made by Agent Onboard or was tampered with: do not use it.';

function invalid(message: string): Result<never> {
  return err('BUNDLE_INVALID', `${message}; nothing was unpacked.`, HOSTILE_HINT);
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The entry's Unix file type and mode, when it was made on Unix and records one. */
function unixMode(entry: yauzl.Entry): number | null {
  if (entry.versionMadeBy >> 8 !== 3) return null;
  const mode = entry.externalFileAttributes >>> 16;
  return mode === 0 ? null : mode;
}

const BOMB_MESSAGE = (declared: number): string => `An entry inflates to more than its header says (${declared} bytes) or past the size limit: a zip bomb`;

function inflateEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number): Promise<Result<Uint8Array>> {
  return new Promise((resolve) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return resolve(invalid(`The entry ${JSON.stringify(String(entry.fileNameRaw))} cannot be read (${error?.message ?? 'no data'})`));
      const chunks: Buffer[] = [];
      let count = 0;
      let done = false;
      const finish = (r: Result<Uint8Array>): void => {
        if (done) return;
        done = true;
        resolve(r);
      };
      stream.on('data', (chunk: Buffer) => {
        count += chunk.length;
        // The real inflated size, counted as it comes: a header that lies about the size is caught here.
        if (count > cap || count > entry.uncompressedSize) {
          stream.destroy();
          finish(invalid(BOMB_MESSAGE(entry.uncompressedSize)));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) =>
        // yauzl's own byte count (validateEntrySizes) may notice the lie before our counter does.
        finish(invalid(/too many bytes/.test(e.message) ? BOMB_MESSAGE(entry.uncompressedSize) : `An entry is damaged (${e.message})`)),
      );
      stream.on('end', () => finish(ok(new Uint8Array(Buffer.concat(chunks)))));
    });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const UNICODE_PATH_EXTRA = 0x7075;

/** Checks one central-directory entry; returns its name, or null for a folder entry. */
function checkEntry(entry: yauzl.Entry, limits: BundleLimits): Result<{ name: string; mode: number | null } | null> {
  let name: string;
  try {
    name = utf8.decode(entry.fileNameRaw);
  } catch {
    return invalid('An entry name is not valid UTF-8');
  }
  if (entry.extraFields.some((f) => f.id === UNICODE_PATH_EXTRA))
    return invalid(`The entry ${JSON.stringify(name)} carries a second (Unicode) name that tools could unpack elsewhere`);
  const mode = unixMode(entry);
  const isDir = name.endsWith('/') || (mode !== null && (mode & S_IFMT) === S_IFDIR);
  if (mode !== null && (mode & S_IFMT) === S_IFLNK) return invalid(`The entry ${JSON.stringify(name)} is a symbolic link`);
  if (mode !== null && !isDir && (mode & S_IFMT) !== S_IFREG && (mode & S_IFMT) !== 0)
    return invalid(`The entry ${JSON.stringify(name)} is a device, pipe or socket`);
  const checked = checkEntryPath(isDir ? name.replace(/\/$/, '') : name);
  if (!checked.ok) return checked;
  if (isDir) return ok(null);
  if (entry.isEncrypted()) return invalid(`The entry ${JSON.stringify(name)} uses zip password encryption, which Agent Onboard never writes`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    return invalid(`The entry ${JSON.stringify(name)} uses compression method ${entry.compressionMethod} (only stored and deflate are read)`);
  if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
    return invalid(
      `The entry ${JSON.stringify(name)} is compressed ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1 (over ${limits.maxRatio}:1): a zip bomb`,
    );
  }
  if (entry.uncompressedSize > limits.maxEntryBytes)
    return invalid(`The entry ${JSON.stringify(name)} would inflate to ${entry.uncompressedSize} bytes, over the ${limits.maxEntryBytes}-byte limit`);
  return ok({ name, mode: mode === null ? null : mode & 0o7777 });
}

/** Reads every entry of a zip, refusing hostile ones (see the module comment). */
async function readEntries(bytes: Uint8Array, limits: BundleLimits, signal?: AbortSignal): Promise<Result<Map<string, RawEntry>>> {
  if (bytes.byteLength > limits.maxBundleBytes) return invalid(`The bundle is ${bytes.byteLength} bytes, over the ${limits.maxBundleBytes}-byte limit`);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
        (e, z) => (e || !z ? reject(e ?? new Error('no zip')) : resolve(z)),
      ),
    );
  } catch (error) {
    return err(
      'BUNDLE_INVALID',
      `This is not a zip file Agent Onboard can read (${(error as Error).message}).`,
      'Check that you picked the bundle (.zip) and that it was copied completely.',
    );
  }
  if (zip.entryCount > limits.maxEntries) return invalid(`The bundle has ${zip.entryCount} entries, over the ${limits.maxEntries}-entry limit`);
  const entries = new Map<string, RawEntry>();
  const keys = new Map<string, string>();
  let total = 0;
  let waiting: { resolve(e: yauzl.Entry | null): void; reject(e: Error): void } | undefined;
  // Listeners stay for the zip's whole life: an 'error' with no listener would throw.
  zip.on('entry', (e: yauzl.Entry) => waiting?.resolve(e));
  zip.on('end', () => waiting?.resolve(null));
  zip.on('error', (e: Error) => waiting?.reject(e));
  const nextEntry = (): Promise<yauzl.Entry | null> =>
    new Promise((resolve, reject) => {
      waiting = { resolve, reject };
      zip.readEntry();
    });
  try {
    for (;;) {
      if (signal?.aborted) return err('CANCELLED', 'Cancelled; nothing was unpacked.');
      const entry = await nextEntry();
      if (!entry) break;
      const checked = checkEntry(entry, limits);
      if (!checked.ok) return checked;
      if (!checked.value) continue;
      const { name, mode } = checked.value;
      const key = collisionKey(name);
      const clash = keys.get(key);
      if (clash !== undefined)
        return invalid(
          clash === name
            ? `The entry ${JSON.stringify(name)} appears twice`
            : `The entries ${JSON.stringify(clash)} and ${JSON.stringify(name)} are the same file on case-insensitive disks`,
        );
      keys.set(key, name);
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) return invalid(`The bundle would inflate to more than ${limits.maxTotalBytes} bytes`);
      const data = await inflateEntry(zip, entry, limits.maxEntryBytes);
      if (!data.ok) return data;
      entries.set(name, { name, mode, data: data.value });
    }
  } catch (error) {
    return invalid(`The zip is damaged (${(error as Error).message})`);
  } finally {
    zip.close();
  }
  return ok(entries);
}

/** One file of an opened bundle, checked against the manifest. */
export interface CheckedFile {
  path: string;
  size: number;
  mode: number;
  secret: boolean;
  encrypted: boolean;
  /**
   * ok: the bytes match; mismatch: size or SHA-256 differ; missing: no such entry; locked: an
   * encrypted file whose stored bytes match, not opened (no passphrase given).
   */
  status: 'ok' | 'mismatch' | 'missing' | 'locked';
  expectedSha256: string;
  actualSha256?: string;
  /** Plain bytes (absent unless status is ok). */
  data?: Uint8Array;
}

export interface OpenedBundle {
  manifest: Manifest;
  files: CheckedFile[];
  /** True when every file is ok or locked. */
  ok: boolean;
}

function parseManifest(entry: RawEntry | undefined): Result<Manifest> {
  if (!entry) return invalid('The bundle has no manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(entry.data));
  } catch {
    return invalid('manifest.json is not valid JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(`manifest.json is not an Agent Onboard manifest (${issue ? `${issue.path.join('.') || 'top'}: ${issue.message}` : 'unknown shape'})`);
  }
  const set = checkFileSet([...parsed.data.files.map((f) => f.path), MANIFEST_NAME, MANIFEST_AUTH_NAME]);
  return set.ok ? ok(parsed.data) : set;
}

async function checkFile(f: ManifestFile, entries: Map<string, RawEntry>, passphrase: string | undefined): Promise<Result<CheckedFile>> {
  const entryName = f.encrypted ? f.path + ENCRYPTED_SUFFIX : f.path;
  const base = { path: f.path, size: f.size, mode: f.mode, secret: f.secret, encrypted: Boolean(f.encrypted), expectedSha256: f.sha256 };
  const entry = entries.get(entryName);
  if (!entry) return ok({ ...base, status: 'missing' });
  let plain = entry.data;
  if (f.encrypted) {
    const stored = sha256(entry.data);
    if (stored !== f.encrypted.storedSha256 || entry.data.byteLength !== f.encrypted.storedSize)
      return ok({ ...base, status: 'mismatch', actualSha256: stored });
    if (passphrase === undefined) return ok({ ...base, status: 'locked' });
    const opened = await decryptFile(entry.data, f.path, passphrase);
    if (!opened.ok) return opened;
    plain = opened.value;
  }
  const actual = sha256(plain);
  if (actual !== f.sha256 || plain.byteLength !== f.size) return ok({ ...base, status: 'mismatch', actualSha256: actual });
  // Whatever the manifest claims, a private key is secret.
  const secret = f.secret || isPrivateKeyText(decodeText(plain.subarray(0, 64 * 1024)));
  return ok({ ...base, secret, status: 'ok', actualSha256: actual, data: plain });
}

/**
 * With the passphrase, a bundle must carry the seal of exactly this manifest.json: otherwise its
 * plain files and manifest may have been rewritten by someone who could not read the secrets.
 * BUNDLE_INVALID (encrypted files but no seal, or a seal of another manifest), PASSPHRASE_WRONG,
 * or BUNDLE_NOT_ENCRYPTED when there is neither a seal nor an encrypted file.
 */
async function checkManifestAuth(entries: Map<string, RawEntry>, manifest: Manifest, passphrase: string): Promise<Result<true>> {
  const seal = entries.get(MANIFEST_AUTH_NAME);
  if (!seal) {
    // No seal and nothing encrypted: a plain bundle, perhaps put in place of the encrypted one the
    // user expects (a downgrade). The passphrase proves nothing about it, so it must not look vouched for.
    return manifest.files.some((f) => f.encrypted)
      ? invalid(`The bundle has encrypted files but no ${MANIFEST_AUTH_NAME} tying manifest.json to the passphrase (its plain files may have been changed)`)
      : err(
          'BUNDLE_NOT_ENCRYPTED',
          'This bundle is not encrypted, so a passphrase cannot vouch for it; nothing was unpacked.',
          'Open it without the passphrase only if you trust where it came from.',
        );
  }
  const opened = await decryptFile(seal.data, MANIFEST_NAME, passphrase);
  if (!opened.ok) return opened;
  if (decodeText(opened.value) !== sha256(entries.get(MANIFEST_NAME)!.data))
    return invalid('manifest.json was changed after the bundle was made (it no longer matches the seal made with the passphrase)');
  return ok(true);
}

/**
 * Opens a bundle and checks every file against the manifest (decrypting with `passphrase` when
 * given; then manifest.json must also match its passphrase seal, MANIFEST_AUTH_NAME). Hostile or
 * malformed bundles: BUNDLE_INVALID; a wrong passphrase: PASSPHRASE_WRONG; a passphrase given for
 * a bundle with no seal and no encrypted file: BUNDLE_NOT_ENCRYPTED. Checksum problems are not errors here: they are in `files[].status` (see verify/import).
 */
export async function openBundle(
  bytes: Uint8Array,
  opts: { passphrase?: string; limits?: BundleLimits; signal?: AbortSignal } = {},
): Promise<Result<OpenedBundle>> {
  const entries = await readEntries(bytes, opts.limits ?? DEFAULT_LIMITS, opts.signal);
  if (!entries.ok) return entries;
  const manifest = parseManifest(entries.value.get(MANIFEST_NAME));
  if (!manifest.ok) return manifest;
  const listed = new Set([MANIFEST_NAME, MANIFEST_AUTH_NAME, ...manifest.value.files.map((f) => (f.encrypted ? f.path + ENCRYPTED_SUFFIX : f.path))]);
  for (const name of entries.value.keys()) {
    if (!listed.has(name)) return invalid(`The entry ${JSON.stringify(name)} is not listed in manifest.json`);
  }
  const files: CheckedFile[] = [];
  for (const f of manifest.value.files) {
    if (opts.signal?.aborted) return err('CANCELLED', 'Cancelled; nothing was unpacked.');
    const checked = await checkFile(f, entries.value, opts.passphrase);
    if (!checked.ok) return checked;
    files.push(checked.value);
  }
  if (opts.passphrase !== undefined) {
    const authentic = await checkManifestAuth(entries.value, manifest.value, opts.passphrase);
    if (!authentic.ok) return authentic;
  }
  return ok({ manifest: manifest.value, files, ok: files.every((f) => f.status === 'ok' || f.status === 'locked') });
}

/**
 * Reads a bundle file from disk. NOT_FOUND when absent, BUNDLE_INVALID when larger than the
 * limit (checked before reading it), IO_ERROR otherwise.
 */
export async function readBundleFile(file: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<Result<Uint8Array>> {
  try {
    return ok(new Uint8Array(await readRegularFile(file, { maxBytes: limits.maxBundleBytes })));
  } catch (error) {
    if (error instanceof UserFileError && error.code === 'EFBIG') return invalid(`${error.message.replace(/\.$/, '')}`);
    if (error instanceof UserFileError) return err('BAD_INPUT', error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return err('NOT_FOUND', `There is no file ${file}.`);
    return err('IO_ERROR', `Could not read ${file}: ${(error as Error).message}.`);
  }
}

/** Summary of a mismatch for messages: "a.txt (mismatch), b.pem (missing)". */
export function describeProblems(files: CheckedFile[]): string {
  return files
    .filter((f) => f.status === 'mismatch' || f.status === 'missing')
    .slice(0, 5)
    .map((f) => `${f.path} (${f.status === 'missing' ? 'missing' : 'checksum differs'})`)
    .join(', ');
}

/** What unpacking would do to one file of the target folder. */
export interface ImportPlanItem {
  path: string;
  absPath: string;
  status: 'create' | 'overwrite' | 'same';
  currentSha256: string | null;
}

/**
 * What unpacking a bundle's files into `dir` would touch. BAD_INPUT when a path inside `dir` goes
 * through a symbolic link or lands on something that is not a regular file (a hostile target
 * layout could otherwise redirect the writes).
 */
export async function planImport(dir: string, files: { path: string; expectedSha256: string }[]): Promise<Result<ImportPlanItem[]>> {
  const root = path.resolve(dir);
  const plan: ImportPlanItem[] = [];
  for (const f of files) {
    const absPath = artifactPath(root, f.path);
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const at = path.join(root, ...parts.slice(0, i));
      const info = await lstat(at).catch(() => null);
      if (!info) break;
      if (info.isSymbolicLink())
        return err('BAD_INPUT', `${at} is a symbolic link; refusing to unpack through it.`, 'Unpack into a folder without links, or remove the link.');
      if (i < parts.length && !info.isDirectory()) return err('BAD_INPUT', `${at} is a file where the bundle needs a folder.`);
      if (i === parts.length && !info.isFile()) return err('BAD_INPUT', `${at} exists and is not a regular file.`);
    }
    const current = await readSnapshot(absPath);
    plan.push({
      path: f.path,
      absPath,
      status: !current.exists ? 'create' : current.sha256 === f.expectedSha256 ? 'same' : 'overwrite',
      currentSha256: current.sha256,
    });
  }
  return ok(plan);
}

export interface ImportResult {
  manifest: Manifest;
  written: WriteOutcome[];
}

/** The mode a file is unpacked with: secrets 0600, others as the manifest says without setuid, group- or world-write (at most 0755). */
export function unpackMode(f: Pick<CheckedFile, 'secret' | 'mode'>): number {
  return f.secret ? 0o600 : f.mode & 0o755;
}

/**
 * Unpacks a bundle into `dir`. Every entry is inflated, decrypted and checked against the manifest
 * in memory first (bounded by the limits), so a hostile or damaged bundle is refused before the
 * first byte is written; the files then go through the file service's all-or-nothing batch write
 * (temp file beside each target, fsync, rename; a failed rename rolls the batch back), which is
 * why no separate temp folder is needed. Existing files are never replaced unless `overwrite` is
 * set (then they are backed up first, and the write is refused if a file changed since the plan).
 * `expectedBundleSha256` ties the import to the bundle the user inspected (and approved overwrites
 * for): when `bytes` hash to anything else, nothing is opened or written (FILE_CHANGED).
 *
 * Failure codes: BUNDLE_INVALID (hostile, malformed), CHECKSUM_MISMATCH, PASSPHRASE_REQUIRED,
 * PASSPHRASE_WRONG, BUNDLE_NOT_ENCRYPTED, ALREADY_EXISTS (files would be overwritten), BAD_INPUT
 * (links in the target), FILE_CHANGED (the bundle or a target file changed), IO_ERROR, CANCELLED.
 */
export async function importBundle(
  bytes: Uint8Array,
  dir: string,
  opts: { passphrase?: string; overwrite?: boolean; expectedBundleSha256?: string; expectedTargets?: Record<string, string | null>; limits?: BundleLimits; signal?: AbortSignal } = {},
): Promise<Result<ImportResult>> {
  if (opts.expectedBundleSha256 !== undefined && sha256(bytes) !== opts.expectedBundleSha256.toLowerCase())
    return err(
      'FILE_CHANGED',
      'The bundle file changed since it was opened (its SHA-256 differs); nothing was unpacked.',
      'Open and verify it again, and check what it would overwrite before unpacking.',
    );
  const opened = await openBundle(bytes, opts);
  if (!opened.ok) return opened;
  const { files, manifest } = opened.value;
  const bad = files.filter((f) => f.status === 'mismatch' || f.status === 'missing');
  if (bad.length)
    return err(
      'CHECKSUM_MISMATCH',
      `${bad.length} file(s) do not match the manifest: ${describeProblems(files)}; nothing was unpacked.`,
      'The bundle was damaged in transit or altered: get a fresh copy.',
    );
  if (files.some((f) => f.status === 'locked'))
    return err('PASSPHRASE_REQUIRED', 'This bundle has encrypted files: give its passphrase to unpack it; nothing was unpacked.');
  const plan = await planImport(
    dir,
    files.map((f) => ({ path: f.path, expectedSha256: f.expectedSha256 })),
  );
  if (!plan.ok) return plan;
  const conflicts = plan.value.filter((p) => p.status === 'overwrite');
  if (conflicts.length && !opts.overwrite) {
    return err(
      'ALREADY_EXISTS',
      `${conflicts.length} file(s) in ${dir} would be overwritten (${conflicts
        .slice(0, 5)
        .map((c) => c.path)
        .join(', ')}); nothing was unpacked.`,
      'Unpack into an empty folder, or allow overwriting (the old files are backed up).',
    );
  }
  if (opts.signal?.aborted) return err('CANCELLED', 'Cancelled; nothing was unpacked.');
  const reqs: WriteRequest[] = files.map((f, i) => ({
    path: plan.value[i]!.absPath,
    root: dir,
    data: f.data!,
    mode: unpackMode(f),
    secret: f.secret,
    // Pinned to what inspect showed when given (a file not shown must not be there), else to what
    // the plan just read: either way the batch is refused whole if a target changes before the move.
    expectedSha256: opts.expectedTargets ? (opts.expectedTargets[f.path] ?? null) : plan.value[i]!.currentSha256,
  }));
  const written = await writeFilesAtomic(reqs);
  return written.ok ? ok({ manifest, written: written.value }) : written;
}
