/**
 * systemd unit files (systemd.syntax(7), systemd.service(7), systemd.unit(7) "Specifiers"):
 * every setting's value has `%` specifiers resolved, so `%` is written `%%`. Where a setting
 * splits its value into words (ExecStart=, Environment=, ReadOnlyPaths=…) a word in double quotes
 * takes C escapes, so `\` and `"` are escaped. ExecStart= also substitutes `$NAME`, so `$` is
 * written `$$`, and a lone `;` word separates commands, so it is refused.
 */
import { ok, type Result } from '../result';
import { checkText, refuse } from './policy';

/**
 * Where the value goes: `exec` one word of an ExecStart=/ExecStop= line; `word` one word of a
 * setting that splits words (a whole `NAME=value` of Environment=, a path of ReadOnlyPaths=);
 * `text` the whole value of a setting that takes it as it is (Description=, WorkingDirectory=).
 */
export type SystemdPlace = 'exec' | 'word' | 'text';

const BARE = /^[A-Za-z0-9_@+=:,./*-]+$/;
const FORMAT = 'a systemd unit';

/** `value` written for `place` of a unit file, read back by systemd as exactly `value`. */
export function quoteSystemd(value: string, place: SystemdPlace = 'word', label?: string): Result<string> {
  const checked = checkText(value, FORMAT, label);
  if (!checked.ok) return checked;
  const specifiers = value.replace(/%/g, '%%');
  if (place === 'text') {
    if (value.trim() !== value)
      return refuse(
        label,
        FORMAT,
        'it starts or ends with a space, which systemd drops',
        'Remove the spaces around the value and try again; nothing was written.',
      );
    return ok(specifiers);
  }
  if (place === 'exec' && value === ';') return refuse(label, FORMAT, 'a lone ";" separates commands on an ExecStart= line');
  const escaped = place === 'exec' ? specifiers.replace(/\$/g, '$$$$') : specifiers;
  if (BARE.test(value)) return ok(escaped);
  return ok(`"${escaped.replace(/[\\"]/g, '\\$&')}"`);
}
