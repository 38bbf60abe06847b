/**
 * supervisord.conf values (supervisor 4: supervisor/options.py, supervisor/datatypes.py). Its
 * INI reader (Python's RawConfigParser with inline_comment_prefixes `;` and `#`) ends a value at
 * a `;` or `#` that follows whitespace; then `%(name)s` expansions run over the value, so `%` is
 * written `%%`. `command=` is split like a POSIX shell (shlex.split), so an argument goes into
 * double quotes, with `\` and `"` escaped and the quotes closed and reopened between a blank and
 * a `;`/`#`. `environment=` is read by shlex in its non-POSIX mode, where a quoted value has no
 * escapes and loses any quote characters at its ends, so `"` and a leading or trailing `'` are refused.
 */
import { ok, type Result } from '../result';
import { checkText, refuse } from './policy';

/** Where the value goes: one argument of `command=`, or one value of `environment=KEY="value"`. */
export type SupervisordPlace = 'command' | 'environment';

const BARE = /^[A-Za-z0-9_@%+=:,./*-]+$/;
const FORMAT = 'supervisord.conf';
// Python's str.isspace() characters that the policy lets through.
const PY_SPACE = '[ \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]';
const COMMENT_AFTER_SPACE = new RegExp(`${PY_SPACE}[;#]`);

/** `value` written for `place` in supervisord.conf, read back by supervisord as exactly `value`. */
export function quoteSupervisord(value: string, place: SupervisordPlace = 'command', label?: string): Result<string> {
  const checked = checkText(value, FORMAT, label);
  if (!checked.ok) return checked;
  const expanded = value.replace(/%/g, '%%');
  if (place === 'environment') {
    if (value.includes('"')) return refuse(label, FORMAT, 'it contains a double quote, which an environment= value cannot carry');
    if (/^'|'$/.test(value)) return refuse(label, FORMAT, 'it starts or ends with a single quote, which supervisord strips from environment= values');
    if (COMMENT_AFTER_SPACE.test(value)) return refuse(label, FORMAT, 'it has a ";" or "#" after a space, which starts a comment there');
    return ok(`"${expanded}"`);
  }
  if (BARE.test(value)) return ok(expanded);
  const inner = expanded.replace(/[\\"]/g, '\\$&').replace(new RegExp(`(${PY_SPACE})(?=[;#])`, 'g'), '$1""');
  return ok(`"${inner}"`);
}
