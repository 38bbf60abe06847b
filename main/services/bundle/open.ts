/**
 * Opening a bundle: every entry checked against manifest.json (size, SHA-256, listed at all),
 * secret files decrypted with the passphrase when given, and then the manifest's own seal.
 */
import {
  ENCRYPTED_SUFFIX,
  MANIFEST_AUTH_NAME,
  MANIFEST_NAME,
  isPrivateKeyText,
  manifestSchema,
  type Manifest,
  type ManifestFile,
} from '../../../shared/bundle';
import { err, ok, type Result } from '../../../shared/result';
import { sha256 } from '../files';
import { checkFileSet, decodeText, DEFAULT_LIMITS, invalid, utf8, type BundleLimits } from './common';
import { decryptFile } from './seal';
import { readEntries, type RawEntry } from './zip-read';

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

/** Summary of a mismatch for messages: "a.txt (mismatch), b.pem (missing)". */
export function describeProblems(files: CheckedFile[]): string {
  return files
    .filter((f) => f.status === 'mismatch' || f.status === 'missing')
    .slice(0, 5)
    .map((f) => `${f.path} (${f.status === 'missing' ? 'missing' : 'checksum differs'})`)
    .join(', ');
}
