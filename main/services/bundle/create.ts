/**
 * Packing a bundle: one standard zip (fflate) with the files, a README with the next steps, the
 * connectivity report and manifest.json. Unix modes are kept in each entry's external attributes,
 * so `unzip` restores them; secret files are sealed (./seal) when a passphrase is given, and the
 * manifest's SHA-256 is sealed the same way (manifest.json.auth).
 */
import { zipSync, type Zippable } from 'fflate';
import {
  ENCRYPTED_SUFFIX,
  MANIFEST_AUTH_NAME,
  MANIFEST_NAME,
  REPORT_NAME,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  collisionKey,
  renderReadme,
  type Manifest,
  type ManifestFile,
} from '../../../shared/bundle';
import { getPlatform } from '../../../shared/platforms';
import type { Command, PlatformId, Removal } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import { sha256, writeFileAtomic, type WriteOutcome } from '../files';
import { checkFileSet, enc, type BundleFile } from './common';
import { encryptFile, keySession, type KeySession } from './seal';

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
  /** The platform's warnings about the files packed (also in the README's notes). */
  warnings: string[];
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
  const warnings = platform?.bundleWarnings?.(files.map((f) => f.path)) ?? [];
  const readmeText = renderReadme({
    platform,
    variant: o.variant,
    appVersion: o.appVersion,
    createdAt,
    files: entries,
    commands: o.commands ?? [],
    notes: [...warnings, ...(o.notes ?? [])],
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
  if (o.passphrase !== undefined)
    ordered[MANIFEST_AUTH_NAME] = [await encryptFile(enc(sha256(manifestBytes)), MANIFEST_NAME, o.passphrase, session), zipAttrs(0o600, now, 0)];
  return ok({ zip: zipSync(ordered), manifest, warnings });
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
