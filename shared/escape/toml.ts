/**
 * TOML basic strings (TOML v1.0.0, "String"): in double quotes, `\` and `"` are escaped; every
 * other character the policy lets through is written as it is (the file is UTF-8).
 */
import { ok, type Result } from '../result';
import { checkText } from './policy';

/** `value` as a TOML basic string (quotes included). */
export function quoteToml(value: string, label?: string): Result<string> {
  const checked = checkText(value, 'a TOML file', label);
  if (!checked.ok) return checked;
  return ok(`"${value.replace(/[\\"]/g, '\\$&')}"`);
}
