/**
 * Quoting of one argument for each format a command line is written into. Every function refuses
 * (throws UnsafeValueError) what its format cannot carry safely instead of guessing; the answers
 * schema already refuses such values, so a throw here means a bug upstream, never a broken file.
 */

/** A value that cannot be written safely into the named format. */
export class UnsafeValueError extends Error {
  constructor(
    readonly format: string,
    readonly value: string,
  ) {
    super(`${JSON.stringify(value.slice(0, 80))} cannot be written safely into ${format}`);
  }
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BARE = /^[A-Za-z0-9_@+=:,./*-]+$/;

/**
 * One argument of a supervisord `command=` line. supervisord expands `%(name)s` (so `%` is
 * doubled), splits the line like a POSIX shell (so anything else is double-quoted), and its INI
 * reader ends the value at an inline ` ;` or ` #` comment (so `;` and `#` are refused).
 */
export function supervisordArg(value: string): string {
  if (value === '' || CONTROL.test(value) || /[;#]/.test(value)) throw new UnsafeValueError('supervisord.conf', value);
  if (BARE.test(value)) return value.replace(/%/g, '%%');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** A supervisord `environment=` value: always double-quoted. */
export function supervisordEnvValue(value: string): string {
  if (CONTROL.test(value) || /[;#,"\\]/.test(value)) throw new UnsafeValueError('supervisord.conf', value);
  return `"${value.replace(/%/g, '%%')}"`;
}

/**
 * One argument of a systemd `ExecStart=` line: `%` specifiers are doubled, `$` variable
 * expansion is doubled, anything not plainly safe is double-quoted with C escapes.
 */
export function systemdArg(value: string): string {
  if (value === '' || CONTROL.test(value)) throw new UnsafeValueError('a systemd unit', value);
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (BARE.test(value)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Free text on one line of a systemd unit (e.g. Description=): `%` doubled, no control characters. */
export function systemdText(value: string): string {
  if (CONTROL.test(value)) throw new UnsafeValueError('a systemd unit', value);
  return value.replace(/%/g, '%%');
}

/** A POSIX shell word: single-quoted unless plainly safe. */
export function shellWord(value: string): string {
  if (CONTROL.test(value)) throw new UnsafeValueError('a shell script', value);
  if (BARE.test(value) && !value.includes('*')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line for people to copy (shown, never run by the app). */
export function shellLine(argv: string[]): string {
  return argv.map(shellWord).join(' ');
}
