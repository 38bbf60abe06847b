/**
 * Reading a file the user named (a path typed in the app, an argument of the CLI): regular files
 * only, with a size limit. A device (`/dev/zero`) would be read without end and a FIFO would block
 * a thread of the pool until every other call stopped answering, so both are refused before a
 * byte is read; the open itself is non-blocking so a FIFO without a writer cannot hang it.
 */
import { constants as fsc } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The largest file read as text (configs, logs, answers, policies): 16 MiB. */
export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024;
/** The largest bundle (zip) read: 256 MiB. */
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;

/** A refusal with the errno-like code `ENOTREG` (not a regular file) or `EFBIG` (over the limit). */
export class UserFileError extends Error {
  constructor(
    readonly code: 'ENOTREG' | 'EFBIG',
    message: string,
  ) {
    super(message);
    this.name = 'UserFileError';
  }
}

export interface ReadOptions {
  /** Refuse more than this many bytes (default MAX_TEXT_FILE_BYTES). */
  maxBytes?: number;
  /** Do not follow a symbolic link as the last component (ELOOP instead). */
  noFollow?: boolean;
}

/** What a stat mode is, in words, for an error message. */
function kind(handleStat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (handleStat.isDirectory()) return 'a folder';
  if (handleStat.isFIFO()) return 'a FIFO (named pipe)';
  if (handleStat.isCharacterDevice() || handleStat.isBlockDevice()) return 'a device';
  if (handleStat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens `file` for reading and checks it is a regular file of at most `maxBytes`; the caller
 * reads from (and closes) the handle, so what was checked is what is read. Throws UserFileError
 * (ENOTREG, EFBIG) or the system error (ENOENT, EACCES, ELOOP with noFollow).
 */
export async function openRegularFile(file: string, opts: ReadOptions = {}): Promise<{ handle: FileHandle; size: number; mode: number }> {
  const maxBytes = opts.maxBytes ?? MAX_TEXT_FILE_BYTES;
  const flags = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (opts.noFollow ? (fsc.O_NOFOLLOW ?? 0) : 0);
  const handle = await open(file, flags);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UserFileError('ENOTREG', `${file} is ${kind(info)}, not a regular file; only regular files are read.`);
    if (info.size > maxBytes) throw new UserFileError('EFBIG', `${file} is ${info.size} bytes, over the limit of ${maxBytes} bytes.`);
    return { handle, size: info.size, mode: info.mode & 0o7777 };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads all of an opened regular file, refusing it if it grew past `maxBytes` meanwhile. */
export async function readAllBounded(handle: FileHandle, file: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw new UserFileError('EFBIG', `${file} grew over the limit of ${maxBytes} bytes while it was read.`);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads a regular file the user named, with a size limit. Throws UserFileError (ENOTREG, EFBIG)
 * or the system error (ENOENT, EACCES, ELOOP with noFollow).
 */
export async function readRegularFile(file: string, opts: ReadOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? MAX_TEXT_FILE_BYTES;
  const { handle } = await openRegularFile(file, opts);
  try {
    return await readAllBounded(handle, file, maxBytes);
  } finally {
    await handle.close();
  }
}

/** readRegularFile decoded as UTF-8. */
export async function readRegularTextFile(file: string, opts: ReadOptions = {}): Promise<string> {
  return (await readRegularFile(file, opts)).toString('utf8');
}

/** The one-line reason for a read error, for a CLI's stderr or an IO_ERROR message. */
export function readErrorReason(error: unknown): string {
  if (error instanceof UserFileError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'it is a folder';
  return e?.message ?? String(error);
}
