/**
 * POSIX shell words (sh, bash, dash): bare when every character is plainly safe, otherwise in
 * single quotes, inside which the shell takes every character literally; a `'` is written `'\''`.
 * Source: POSIX.1-2017 XCU 2.2.2 "Single-Quotes".
 */
import { ok, type Result } from '../result';
import { checkText } from './policy';

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const FORMAT = 'a shell command';

/** `value` as one shell word, read back by the shell as exactly `value`. */
export function quoteSh(value: string, label?: string): Result<string> {
  const checked = checkText(value, FORMAT, label);
  if (!checked.ok) return checked;
  return ok(BARE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
}

/** Every word of `argv` quoted and joined by spaces: one command line. */
export function quoteShWords(argv: readonly string[], label?: string): Result<string> {
  const words: string[] = [];
  for (const a of argv) {
    const q = quoteSh(a, label);
    if (!q.ok) return q;
    words.push(q.value);
  }
  return ok(words.join(' '));
}

/**
 * A word of a command shown for the user to copy (never run by the app): `value` quoted, a
 * `<placeholder>` left as it is, and a value no shell word can carry (a path with a line break
 * read from disk) shown as `placeholder` for the user to fill in, rather than a broken command.
 */
export function shownSh(value: string, placeholder: string): string {
  if (/^<[a-z0-9-]+>$/.test(value)) return value;
  const q = quoteSh(value);
  return q.ok ? q.value : placeholder;
}
