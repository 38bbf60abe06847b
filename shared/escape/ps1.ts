/**
 * PowerShell single-quoted strings: no expansion inside; each single-quote character is written
 * twice. PowerShell counts ' and the typographic U+2018, U+2019, U+201A, U+201B as single quotes
 * (PowerShell Language Specification 3.0, 2.3.5.2 "String literals", single-quote-character).
 */
import { ok, type Result } from '../result';
import { checkText } from './policy';

/** `value` as a PowerShell single-quoted string literal. */
export function quotePs1(value: string, label?: string): Result<string> {
  const checked = checkText(value, 'a PowerShell script', label);
  if (!checked.ok) return checked;
  return ok(`'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`);
}
