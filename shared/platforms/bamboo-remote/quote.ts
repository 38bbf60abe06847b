/**
 * Quoting of values put into the generated installer scripts and unit, one function per format.
 * Each either returns text that the target shell reads back as exactly the value, or refuses a
 * value it cannot represent safely (control characters, and per format the few characters with no
 * safe quoting); callers validate first, so a refusal here means a validator let something through.
 */
import { err, ok, type Result } from '../../result';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(value: string, format: string, why: string): Result<never> {
  return err('UNSAFE_VALUE', `${JSON.stringify(value.slice(0, 40))} cannot be put into ${format}: ${why}.`);
}

/** POSIX sh: single quotes, with each `'` written as `'\''`. */
export function shQuote(value: string): Result<string> {
  if (CONTROL.test(value)) return refuse(value, 'a shell script', 'it contains a control character or a line break');
  return ok(`'${value.replace(/'/g, `'\\''`)}'`);
}

/** PowerShell: single quotes (no expansion), with each quote character doubled (PowerShell also treats ‘ ’ ‚ ‛ as quotes). */
export function psQuote(value: string): Result<string> {
  if (CONTROL.test(value)) return refuse(value, 'a PowerShell script', 'it contains a control character or a line break');
  return ok(`'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`);
}

/**
 * cmd.exe: the value of `set "NAME=value"` in a batch file with delayed expansion off. Inside the
 * quotes `& | < > ^` are literal; `%` is doubled; `"` cannot be represented and is refused.
 */
export function cmdSetValue(value: string): Result<string> {
  if (CONTROL.test(value)) return refuse(value, 'a batch file', 'it contains a control character or a line break');
  if (value.includes('"')) return refuse(value, 'a batch file', 'it contains a double quote');
  return ok(value.replace(/%/g, '%%'));
}

/** systemd unit: a double-quoted word of ExecStart= / a setting value, with `%` specifiers escaped. */
export function systemdQuote(value: string): Result<string> {
  if (CONTROL.test(value)) return refuse(value, 'a systemd unit', 'it contains a control character or a line break');
  if (/["\\]/.test(value)) return refuse(value, 'a systemd unit', 'it contains a quote or a backslash');
  return ok(`"${value.replace(/%/g, '%%')}"`);
}

/** systemd unit: an unquoted setting value (e.g. Description=), with `%` specifiers escaped. */
export function systemdValue(value: string): Result<string> {
  if (CONTROL.test(value)) return refuse(value, 'a systemd unit', 'it contains a control character or a line break');
  return ok(value.replace(/%/g, '%%'));
}
