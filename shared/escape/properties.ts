/**
 * Java properties values, in two dialects:
 * - `java`: java.util.Properties as `load` reads it (Java SE API, Properties.load(Reader)): `\`
 *   escapes, a leading blank is dropped unless escaped, `\uXXXX` for any character; `=`, `:`, `#`
 *   and `!` need no escape in a value. Every
 *   non-ASCII character is written as `\uXXXX` (as `store` does), so the file reads the same as
 *   ISO-8859-1 (load(InputStream)) and as UTF-8.
 * - `wrapper`: the Java Service Wrapper's wrapper.conf (Tanuki, "Configuration File" and
 *   "Environment Variables" pages): no backslash escapes, blanks around the value trimmed,
 *   `%NAME%` expands an environment variable, so a value is refused when it holds a `%` pair that
 *   could name a variable, and when it starts or ends with a blank.
 */
import { ok, type Result } from '../result';
import { checkText, refuse } from './policy';

export type PropertiesDialect = 'java' | 'wrapper';

function javaEscape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\\\';
    else if (c === ' ' && i === 0) out += '\\ ';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** `value` as the value part of a `key=value` line in the given dialect. */
export function quoteProperties(value: string, dialect: PropertiesDialect = 'java', label?: string): Result<string> {
  const format = dialect === 'java' ? 'a Java properties file' : 'wrapper.conf';
  const checked = checkText(value, format, label);
  if (!checked.ok) return checked;
  if (dialect === 'java') return ok(javaEscape(value));
  if (value.trim() !== value) return refuse(label, format, 'it starts or ends with a space, which the wrapper drops');
  if (/%[^%]*%/.test(value)) return refuse(label, format, 'it has two "%" signs, which the wrapper reads as an environment variable reference');
  return ok(value);
}
