/**
 * Quoting of values put into the generated runner scripts, one function per target. Each returns
 * text its reader takes back as exactly the value, or refuses a value it cannot hold safely (a
 * line break or control character anywhere; a double quote for cmd.exe), naming the value.
 * TODO(issue 15 item 3): move onto shared/escape/ when it lands in main.
 */
import { err, ok, type Result } from '../../result';

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function refuse(label: string, value: string, format: string, why: string): Result<never> {
  return err('UNSAFE_VALUE', `${label} ${JSON.stringify(value.slice(0, 60))} cannot be put into ${format}: ${why}.`, `Change ${label.toLowerCase()} on the Details step.`);
}

/** POSIX sh: one word in single quotes, each `'` written as `'\''` (nothing expands inside). */
export function shWord(value: string, label = 'The value'): Result<string> {
  if (CONTROL.test(value)) return refuse(label, value, 'a shell script', 'it holds a line break or control character');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return ok(value);
  return ok(`'${value.replace(/'/g, `'\\''`)}'`);
}

/**
 * PowerShell: a verbatim single-quoted string, each quote character doubled (PowerShell also
 * takes ‘ ’ ‚ ‛ as single quotes, so a lone one would end the string).
 */
export function psWord(value: string, label = 'The value'): Result<string> {
  if (CONTROL.test(value)) return refuse(label, value, 'a PowerShell script', 'it holds a line break or control character');
  return ok(`'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`);
}

/**
 * cmd.exe batch file, delayed expansion off: one argument in double quotes, where `& | < > ^ ( )`
 * and spaces are literal; `%` is doubled (a batch file expands `%…%` even inside quotes). A `"`
 * cannot be written inside a quoted argument in a way every program reads back, so it is refused.
 */
export function cmdWord(value: string, label = 'The value'): Result<string> {
  if (CONTROL.test(value)) return refuse(label, value, 'a batch file', 'it holds a line break or control character');
  if (value.includes('"')) return refuse(label, value, 'a batch file', 'cmd.exe has no way to keep a double quote inside a quoted argument');
  return ok(`"${value.replace(/%/g, '%%')}"`);
}

/**
 * A `KEY=value` line of the runner's `.env`: the runner splits each line at its first `=` and
 * takes the rest literally (no quotes, no escapes), so only one-line values can be written.
 */
export function envLine(key: string, value: string, label = 'The value'): Result<string> {
  if (CONTROL.test(value)) return refuse(label, value, 'the runner .env file', 'the runner reads one line per variable');
  return ok(`${key}=${value}`);
}

/** Joins the words of a Result list, or the first refusal. */
export function allWords(words: Result<string>[]): Result<string[]> {
  const out: string[] = [];
  for (const w of words) {
    if (!w.ok) return w;
    out.push(w.value);
  }
  return ok(out);
}
