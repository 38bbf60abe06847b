/**
 * Unpacking a bundle into a folder: all checks in memory first, then one all-or-nothing batch
 * through the file service (backups, refuses files changed since the plan).
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../../../shared/bundle';
import { err, ok, type Result } from '../../../shared/result';
import { artifactPath, readSnapshot, sha256, writeFilesAtomic, type WriteOutcome, type WriteRequest } from '../files';
import type { BundleLimits } from './common';
import { describeProblems, openBundle, type CheckedFile } from './open';

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
  opts: {
    passphrase?: string;
    overwrite?: boolean;
    expectedBundleSha256?: string;
    expectedTargets?: Record<string, string | null>;
    limits?: BundleLimits;
    signal?: AbortSignal;
  } = {},
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
