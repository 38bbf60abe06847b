/**
 * The file service: the one way the app writes anything. A write goes to a temp file in the same
 * folder, is fsynced, then renamed over the target (atomic on POSIX), so a crash leaves either
 * the old file or the new one, never a truncated or missing one. The previous file is backed up
 * first; a write is refused when the file changed since it was read; secrets get 0600; writing
 * the same bytes again changes nothing.
 *
 * Links: no component under the folder the caller chose (WriteRequest.root) may be a symbolic
 * link, and the target is opened without following one; its backup is made from the bytes read
 * through that open handle, never by a second lookup of the name (which a swap could redirect).
 * Folders the app creates are 0700 (for a secret) or 0755, whatever the umask.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { redactedDiff } from '../../shared/diff';
import { secretSafeDiff } from '../../shared/token-finders';
import type { Artifact } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { MAX_BUNDLE_FILE_BYTES, openRegularFile, readAllBounded, readRegularFile, UserFileError } from './user-file';

export interface Snapshot {
  path: string;
  exists: boolean;
  /** UTF-8 text of the file (absent when it does not exist). */
  text?: string;
  /** SHA-256 (hex) of the bytes, or null when the file does not exist. */
  sha256: string | null;
}

export interface WriteRequest {
  path: string;
  data: string | Uint8Array;
  /** File mode; defaults to 0600 for secrets and 0644 otherwise. */
  mode?: number;
  secret?: boolean;
  /** The SHA-256 seen when the file was read; null = it must not exist; undefined = no check. */
  expectedSha256?: string | null;
  /**
   * The folder the user chose (default: the file's own folder). Links above it are the user's
   * business; every folder between it and the file must be a real folder, never a link.
   */
  root?: string;
}

export interface WriteOutcome {
  path: string;
  status: 'created' | 'updated' | 'unchanged';
  backupPath?: string;
  sha256: string;
}

export interface PlannedFile {
  /** Relative path, '/'-separated, as the artifact named it. */
  path: string;
  absPath: string;
  status: 'create' | 'update' | 'same';
  /** Unified diff against the file on disk (redacted for secrets). */
  diff: string;
  currentSha256: string | null;
  secret: boolean;
  mode: number;
}

/** SHA-256 (hex) of text (as UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * Reads a file as it is now (bytes hashed, text decoded as UTF-8). A missing file is not an error.
 * Regular files only, up to 256 MiB (a bundle's limit): throws UserFileError (ENOTREG, EFBIG).
 */
export async function readSnapshot(file: string): Promise<Snapshot> {
  try {
    const bytes = await readRegularFile(file, { maxBytes: MAX_BUNDLE_FILE_BYTES });
    return { path: file, exists: true, text: bytes.toString('utf8'), sha256: sha256(bytes) };
  } catch (error) {
    if (isNotFound(error)) return { path: file, exists: false, sha256: null };
    throw error;
  }
}

/** The target as read through one handle opened without following a link (ELOOP when it is one). */
interface Target {
  exists: boolean;
  bytes?: Buffer;
  mode?: number;
  sha256: string | null;
}

async function readTarget(file: string): Promise<Target> {
  let opened;
  try {
    opened = await openRegularFile(file, { noFollow: true, maxBytes: MAX_BUNDLE_FILE_BYTES });
  } catch (error) {
    if (isNotFound(error)) return { exists: false, sha256: null };
    throw error;
  }
  try {
    const bytes = await readAllBounded(opened.handle, file, MAX_BUNDLE_FILE_BYTES);
    return { exists: true, bytes, mode: opened.mode & 0o777, sha256: sha256(bytes) };
  } finally {
    await opened.handle.close();
  }
}

/** A refusal the writer explains itself (a link in the path, a folder that is a file…). */
class Refusal extends Error {}

function ioError(error: unknown, what: string): Result<never> {
  if (error instanceof Refusal)
    return err('UNSAFE_VALUE', error.message, 'Nothing was written. Choose a folder without links inside it, or remove the link and write again.');
  if (error instanceof UserFileError)
    return err('IO_ERROR', `Could not ${what}: ${error.message}`, 'Only regular files are read or replaced; choose another file.');
  const e = error as NodeJS.ErrnoException;
  const reason =
    e?.code === 'EACCES' || e?.code === 'EPERM'
      ? 'permission denied'
      : e?.code === 'ENOSPC'
        ? 'the disk is full'
        : e?.code === 'EROFS'
          ? 'the file system is read-only'
          : (e?.message ?? String(error));
  return err(
    'IO_ERROR',
    `Could not ${what}: ${reason}.`,
    e?.code === 'EACCES' || e?.code === 'EPERM' ? 'Choose a folder you can write to, or fix its permissions.' : undefined,
  );
}

/** O_NOFOLLOW | O_DIRECTORY where the platform has them (0 elsewhere). */
const DIR_NOFOLLOW = fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_DIRECTORY ?? 0);

/**
 * Creates one folder with exactly `mode` (mkdir's mode is masked by the umask, so the mode is
 * set again through a handle opened without following a link: a swap cannot redirect it).
 * An existing folder is left as it is.
 */
async function makeFolder(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  const handle = await open(dir, DIR_NOFOLLOW);
  try {
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

/** Creates `dir` and its missing parents, each with exactly `mode`. Links above it are followed. */
async function makeFolders(dir: string, mode: number): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (await stat(d).catch(() => undefined)) break;
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) await makeFolder(d, mode);
}

/**
 * Walks from `root` down to the folder of `file` without following links: every folder between
 * them must be a real folder. With `create`, missing folders are made (`mode`). Throws Refusal.
 */
async function walkFolders(root: string, file: string, create: boolean, mode: number): Promise<void> {
  const top = path.resolve(root);
  const rel = path.relative(top, path.dirname(path.resolve(file)));
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Refusal(`${file} is not inside ${root}; nothing was written.`);
  if (create) await makeFolders(top, mode);
  let at = top;
  for (const part of rel ? rel.split(path.sep) : []) {
    at = path.join(at, part);
    const info = await lstat(at).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (!info) {
      if (!create) throw new Refusal(`${at} is gone since the write was prepared; nothing was written.`);
      await makeFolder(at, mode);
      const made = await lstat(at);
      if (!made.isDirectory()) throw new Refusal(`${at} was replaced while it was created; nothing was written.`);
      continue;
    }
    if (info.isSymbolicLink()) {
      const to = await readlink(at).catch(() => '?');
      throw new Refusal(`${at} is a symbolic link (to ${to}); nothing was written through it.`);
    }
    if (!info.isDirectory()) throw new Refusal(`${at} is not a folder; nothing was written.`);
  }
}

/** `name.bak-20261122T061500Z` (with -1, -2… when taken; a dangling link counts as taken). */
async function freeBackupPath(file: string): Promise<string> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  for (let i = 0; ; i++) {
    const candidate = `${file}.bak-${stamp}${i ? `-${i}` : ''}`;
    try {
      await lstat(candidate);
    } catch (error) {
      if (isNotFound(error)) return candidate;
      throw error;
    }
  }
}

const TEMP_MARK = '.tmp-ao-';

/** A temp file younger than this may belong to a write still running in another process. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Temp files a killed write left behind for this target (same folder, our marker, old). */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}${TEMP_MARK}`;
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix))
      .map(async (n) => {
        const temp = path.join(dir, n);
        const info = await stat(temp).catch(() => undefined);
        if (info && now - info.mtimeMs > STALE_TEMP_MS) await unlink(temp).catch(() => undefined);
      }),
  );
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** Creates `file` (never an existing name, never through a link) with `data` and exactly `mode`, fsynced. */
async function writeNew(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | (fsc.O_NOFOLLOW ?? 0), mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Changes the mode of `file` through a handle opened without following a link. */
async function chmodNoFollow(file: string, mode: number): Promise<void> {
  const handle = await open(file, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw new Refusal(`${file} is no longer a regular file; its mode was left as it is.`);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

/** Writes data to a new temp file beside `file` with `mode`, fsynced; returns its path. */
async function writeTemp(file: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  await writeNew(temp, data, mode);
  return temp;
}

interface Prepared {
  req: WriteRequest;
  mode: number;
  hash: string;
  root: string;
  folderMode: number;
  before: Target;
  beforeMode?: number;
  temp?: string;
  backupPath?: string;
  status: WriteOutcome['status'];
}

async function prepare(req: WriteRequest): Promise<Result<Prepared>> {
  const mode = req.mode ?? (req.secret ? 0o600 : 0o644);
  if (req.secret && (mode & 0o077) !== 0) return err('UNSAFE_VALUE', `${req.path}: a secret file must not be readable by others (mode ${mode.toString(8)}).`);
  const hash = sha256(req.data);
  const root = req.root ?? path.dirname(req.path);
  const folderMode = req.secret ? 0o700 : 0o755;
  let before: Target;
  try {
    // A link in a folder under the chosen one would carry the file somewhere else while the
    // outcome still said "created" here: every folder on the way is checked, none followed.
    await walkFolders(root, req.path, true, folderMode);
    // A link as the target: reads, the hash check, the backup and a mode-only chmod would follow it
    // while the rename replaced it, so the file it points to could be chmodded (a key made 0644)
    // or silently left behind with the old token. Refused instead; rotation resolves links itself.
    before = await readTarget(req.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      const to = await readlink(req.path).catch(() => '?');
      return err(
        'UNSAFE_VALUE',
        `${req.path} is a symbolic link (to ${to}); nothing was written through it.`,
        'Write to the file it points to, or remove the link and write again.',
      );
    }
    return ioError(error, `read ${req.path}`);
  }
  const beforeMode = before.mode;
  if (req.expectedSha256 !== undefined && before.sha256 !== req.expectedSha256) {
    return err(
      'FILE_CHANGED',
      req.expectedSha256 === null
        ? `${req.path} appeared since it was checked; nothing was written.`
        : `${req.path} changed since it was read; nothing was written.`,
      'Review the file, then preview again.',
    );
  }
  const status = !before.exists ? 'created' : before.sha256 === hash && beforeMode === mode ? 'unchanged' : 'updated';
  return ok({ req, mode, hash, root, folderMode, before, beforeMode, status });
}

/** Temp file + backup for one prepared write (nothing visible changes yet). */
async function stage(p: Prepared): Promise<void> {
  if (p.status === 'unchanged') return;
  await removeStaleTemps(p.req.path);
  p.temp = await writeTemp(p.req.path, p.req.data, p.mode);
  if (p.before.exists && p.before.sha256 !== p.hash) {
    p.backupPath = await freeBackupPath(p.req.path);
    // From the bytes read through the handle prepare() opened (no second lookup by name, which a
    // swap could point at another file); a backup of a secret is as secret as the file.
    await writeNew(p.backupPath, p.before.bytes!, p.req.secret ? 0o600 : (p.beforeMode ?? 0o644));
  }
}

async function discard(p: Prepared): Promise<void> {
  if (p.temp) await unlink(p.temp).catch(() => undefined);
  if (p.backupPath) await unlink(p.backupPath).catch(() => undefined);
  p.temp = undefined;
  p.backupPath = undefined;
}

/** Checks the folders and the target are still what prepare() saw, right before the rename. */
async function stillAsSeen(p: Prepared): Promise<boolean> {
  try {
    await walkFolders(p.root, p.req.path, false, p.folderMode);
    return (await readTarget(p.req.path)).sha256 === p.before.sha256;
  } catch {
    return false;
  }
}

function outcome(p: Prepared): WriteOutcome {
  return { path: p.req.path, status: p.status, sha256: p.hash, ...(p.backupPath ? { backupPath: p.backupPath } : {}) };
}

/**
 * Moves a file out of the way (renamed to `NAME.bak-<UTC time>`, so nothing is lost) when it is
 * still exactly `expectedSha256`. Failure codes: FILE_CHANGED (it changed or is gone), UNSAFE_VALUE
 * (a symbolic link), IO_ERROR. Returns where it went.
 */
export async function moveAside(file: string, expectedSha256: string): Promise<Result<string>> {
  try {
    const link = await lstat(file).catch(() => undefined);
    if (link?.isSymbolicLink()) return err('UNSAFE_VALUE', `${file} is now a symbolic link; it was left as it is.`);
    if ((await readSnapshot(file)).sha256 !== expectedSha256)
      return err('FILE_CHANGED', `${file} changed (or is gone) since it was written; it was left as it is.`);
    const aside = await freeBackupPath(file);
    await rename(file, aside);
    await fsyncDir(path.dirname(file));
    return ok(aside);
  } catch (error) {
    return ioError(error, `move ${file} aside`);
  }
}

/**
 * Writes one file atomically. Failure codes: FILE_CHANGED (the file is not what the caller read),
 * IO_ERROR (permissions, disk), UNSAFE_VALUE (a secret with a loose mode, or a target that is a
 * symbolic link: links are never written through nor replaced). On failure the target is untouched.
 */
export async function writeFileAtomic(req: WriteRequest): Promise<Result<WriteOutcome>> {
  const result = await writeFilesAtomic([req]);
  return result.ok ? ok(result.value[0]!) : result;
}

/**
 * Writes several files all-or-nothing: every expectation is checked and every temp file and
 * backup made before the first rename; if a rename fails, the files already replaced are put
 * back from their backups (and created ones removed). Same failure codes as writeFileAtomic.
 */
export async function writeFilesAtomic(reqs: WriteRequest[]): Promise<Result<WriteOutcome[]>> {
  const seen = new Set<string>();
  for (const r of reqs) {
    const abs = path.resolve(r.path);
    if (seen.has(abs)) return err('BAD_INPUT', `${r.path} is written twice in one batch.`);
    seen.add(abs);
  }
  const prepared: Prepared[] = [];
  for (const req of reqs) {
    const p = await prepare(req);
    if (!p.ok) return p;
    prepared.push(p.value);
  }
  try {
    for (const p of prepared) await stage(p);
  } catch (error) {
    await Promise.all(prepared.map(discard));
    return ioError(error, 'prepare the files');
  }
  const done: Prepared[] = [];
  for (const p of prepared) {
    if (p.status === 'unchanged') continue;
    try {
      if (!(await stillAsSeen(p))) {
        await rollback(done);
        await Promise.all(prepared.map(discard));
        return err('FILE_CHANGED', `${p.req.path} changed while writing; nothing was written.`, 'Review the file, then preview again.');
      }
      if (p.status === 'updated' && !p.backupPath) {
        // Same bytes, new mode: only the mode changes.
        await chmodNoFollow(p.req.path, p.mode);
        if (p.temp) await unlink(p.temp).catch(() => undefined);
        p.temp = undefined;
      } else {
        await rename(p.temp!, p.req.path);
        p.temp = undefined;
      }
      done.push(p);
      await fsyncDir(path.dirname(p.req.path));
    } catch (error) {
      await rollback(done);
      await Promise.all(prepared.map(discard));
      return ioError(error, `write ${p.req.path}`);
    }
  }
  return ok(prepared.map(outcome));
}

/** Puts back what a failed batch already replaced. */
async function rollback(done: Prepared[]): Promise<void> {
  for (const p of done.reverse()) {
    try {
      if (p.backupPath) {
        const temp = await writeTemp(p.req.path, p.before.bytes!, p.beforeMode ?? 0o644);
        await rename(temp, p.req.path);
      } else if (p.status === 'created') {
        await unlink(p.req.path);
      } else if (p.beforeMode !== undefined) {
        await chmodNoFollow(p.req.path, p.beforeMode);
      }
    } catch {
      // Best effort: the backup file stays on disk for the user.
    }
  }
}

/** The absolute path of an artifact inside `dir`; refuses absolute paths and `..`. */
export function artifactPath(dir: string, rel: string): string {
  const parts = rel.split('/');
  if (rel.startsWith('/') || path.isAbsolute(rel) || parts.some((s) => s === '..' || s === '' || s.includes('\\') || s.includes('\0'))) {
    throw new Error(`unsafe artifact path ${JSON.stringify(rel)}`);
  }
  return path.join(path.resolve(dir), ...parts);
}

/** What writing `artifacts` into `dir` would do: per file create / update / same, with a diff. */
export async function planWrites(dir: string, artifacts: Artifact[]): Promise<PlannedFile[]> {
  return Promise.all(
    artifacts.map(async (a) => {
      const absPath = artifactPath(dir, a.path);
      // Never read through a link (it could show another file, a key, in the diff): the write
      // refuses a link anyway, so the preview shows the file as new.
      const current = await readTarget(absPath).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { exists: false, sha256: null } satisfies Target;
        throw error;
      });
      const same = current.sha256 === sha256(a.text);
      const sameMode = !current.exists || current.mode === a.mode;
      const old = current.exists ? (current.bytes?.toString('utf8') ?? '') : null;
      return {
        path: a.path,
        absPath,
        status: !current.exists ? 'create' : same && sameMode ? 'same' : 'update',
        // Masked by what either side holds: an old file on disk may hold a token the new one does not.
        diff: a.secret ? redactedDiff(old, a.text, a.path) : secretSafeDiff(old, a.text, a.path),
        currentSha256: current.sha256,
        secret: a.secret,
        mode: a.mode,
      };
    }),
  );
}

/**
 * Writes artifacts into `dir` all-or-nothing. `expected` maps an artifact path to the hash its
 * preview saw (from planWrites); paths not in it are written without a check.
 */
export async function writeArtifacts(dir: string, artifacts: Artifact[], expected?: Record<string, string | null>): Promise<Result<WriteOutcome[]>> {
  let reqs: WriteRequest[];
  try {
    reqs = artifacts.map((a) => ({
      path: artifactPath(dir, a.path),
      root: dir,
      data: a.text,
      mode: a.mode,
      secret: a.secret,
      ...(expected && a.path in expected ? { expectedSha256: expected[a.path] } : {}),
    }));
  } catch (error) {
    return err('UNSAFE_VALUE', (error as Error).message);
  }
  return writeFilesAtomic(reqs);
}
