/**
 * Reading a file named on the command line: regular files only, with a size limit (a device such
 * as /dev/zero or a FIFO is refused before a byte is read), errors as one-line usage errors.
 */
import path from 'node:path';
import { MAX_TEXT_FILE_BYTES, readErrorReason, readRegularFile } from '../services/user-file';
import { UsageError } from './types';

/** The bytes of `file` (relative to `cwd`); `what` names it in the error (e.g. "--ca-file"). */
export async function readFileArg(file: string, cwd: string, what: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<Buffer> {
  try {
    return await readRegularFile(path.resolve(cwd, file), { maxBytes });
  } catch (error) {
    throw new UsageError(`cannot read ${what ? `${what} ` : ''}${file}: ${readErrorReason(error)}`);
  }
}

/** readFileArg decoded as UTF-8. */
export async function readTextArg(file: string, cwd: string, what: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  return (await readFileArg(file, cwd, what, maxBytes)).toString('utf8');
}

/** All of a stream (standard input), refused past `maxBytes`. */
export async function readStreamBounded(stream: AsyncIterable<Buffer | string>, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > maxBytes) throw new UsageError(`standard input is over the limit of ${maxBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
