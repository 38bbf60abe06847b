/**
 * cmd.exe batch files: one double-quoted argument, as in `set "NAME=value"` or `prog "value"`,
 * with delayed expansion off. Inside the quotes `& | < > ^ ( )` are literal; `%` is doubled, since
 * the percent phase runs first even inside quotes; `"` has no escape there and is refused; a
 * trailing `\` is refused because a program's argument parser (CommandLineToArgvW) would read it
 * as escaping the closing quote. Sources: `cmd /?` and `set /?` (Microsoft), "How does the
 * Windows Command Interpreter (CMD.EXE) parse scripts?" (Stack Overflow 4094699, phases 1–2),
 * "Parsing C++ command-line arguments" (Microsoft Learn).
 */
import { ok, type Result } from '../result';
import { checkText, refuse } from './policy';

const FORMAT = 'a batch file';

/** `value` as one double-quoted batch-file argument (quotes included). */
export function quoteCmd(value: string, label?: string): Result<string> {
  const checked = checkText(value, FORMAT, label);
  if (!checked.ok) return checked;
  if (value.includes('"')) return refuse(label, FORMAT, 'it contains a double quote, which cmd.exe cannot carry inside quotes');
  if (value.endsWith('\\'))
    return refuse(
      label,
      FORMAT,
      'it ends with a backslash, which would escape the closing quote',
      'Remove the trailing backslash and try again; nothing was written.',
    );
  return ok(`"${value.replace(/%/g, '%%')}"`);
}
