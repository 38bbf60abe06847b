/**
 * Reading a zip with yauzl from the central directory (the source of truth for names, sizes and
 * modes). Hostile zips are refused before anything is written: unsafe names ('..', absolute,
 * drive letters, backslashes), symlinks and other special files, duplicate names (also
 * case-insensitively), too many entries, too much uncompressed data (counted while inflating,
 * not trusted from headers), suspicious compression ratios.
 */
import yauzl from 'yauzl';
import { checkEntryPath, collisionKey } from '../../../shared/bundle';
import { err, ok, type Result } from '../../../shared/result';
import { readRegularFile, UserFileError } from '../user-file';
import { DEFAULT_LIMITS, invalid, utf8, type BundleLimits } from './common';

/** A zip entry as read: its name, its Unix mode when the zip records one, its inflated bytes. */
export interface RawEntry {
  name: string;
  mode: number | null;
  data: Uint8Array;
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
export async function readEntries(bytes: Uint8Array, limits: BundleLimits, signal?: AbortSignal): Promise<Result<Map<string, RawEntry>>> {
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
