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

/**
 * The answers file of `--answers FILE.json` (the Details step's answers): one JSON object, or a
 * usage error that says what is wrong with it (unreadable, not JSON, not an object).
 */
export async function readAnswersArg(file: string, cwd: string): Promise<Record<string, unknown>> {
  const text = await readTextArg(file, cwd, 'answers file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${file} must hold one JSON object of answers`);
  return parsed as Record<string, unknown>;
}

/**
 * The secret in the environment variable named by `option` (e.g. --passphrase-env VAR): undefined
 * when the option was not given; a usage error when it names no variable (a secret pasted in its
 * place) or the variable is unset or empty. `what` names the secret in that error.
 */
export function envSecretArg(env: Record<string, string | undefined>, option: string, name: string | undefined, what: string): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`${option} takes the NAME of an environment variable, not the ${what}`);
  const value = env[name];
  if (value === undefined || value === '') throw new UsageError(`environment variable ${name} is not set or empty (from ${option})`);
  return value;
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
