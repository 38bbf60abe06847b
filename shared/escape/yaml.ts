/**
 * YAML scalars that read back the same in YAML 1.1 (Kubernetes and Helm through go-yaml v2,
 * PyYAML) and YAML 1.2: plain when no reader would take the text as anything but that string
 * (not `no`, `0777`, `~`, `2001-12-14`, `<<`…), otherwise double-quoted with JSON's escapes, which
 * are YAML escapes (YAML 1.1 spec 4.6.8; YAML 1.2 spec 7.3.1).
 */
import { ok, type Result } from '../result';
import { plainReadsAsString } from '../edit/yaml';
import { checkText } from './policy';

// Plain only for this conservative set: YAML indicators (`- ? : , [ ] { } # & * ! | > ' " % @ \``)
// and spaces change the meaning of a plain scalar in some positions, so they always get quotes.
const PLAIN = /^[A-Za-z0-9_./=+-]+$/;

/** `value` as a one-line YAML scalar (a mapping value or a sequence item). */
export function quoteYaml(value: string, label?: string): Result<string> {
  const checked = checkText(value, 'a YAML file', label);
  if (!checked.ok) return checked;
  if (PLAIN.test(value) && plainReadsAsString(value)) return ok(value);
  return ok(JSON.stringify(value).replace(/\ufeff/g, '\\ufeff'));
}
