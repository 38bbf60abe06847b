/**
 * One escaper per file format, one contract: `quoteX(value, …, label?)` returns a Result whose
 * value the format's own reader reads back as exactly `value`, or UNSAFE_VALUE saying why the
 * value cannot be written there (never the value itself: it may be a secret). Every escaper first
 * applies the one character policy in ./policy.ts. Proved by test/integration/escape-consumers.test.ts,
 * which feeds random strings through each escaper into the real reader (bash, tomllib, PyYAML,
 * supervisord's parser) or a reader ported from the format's documented rules.
 *
 * A platform puts every value into a file or a command line through one of these; `quoteAll`
 * collects several at once.
 */
import { ok, type Result } from '../result';

export { checkText, unsafeCharacter } from './policy';
export { quoteSh, quoteShWords } from './sh';
export { quotePs1 } from './ps1';
export { quoteCmd } from './cmd';
export { quoteSystemd, type SystemdPlace } from './systemd';
export { quoteSupervisord, type SupervisordPlace } from './supervisord';
export { quoteYaml } from './yaml';
export { quoteProperties, type PropertiesDialect } from './properties';
export { quoteToml } from './toml';

/** Every Result's value in order, or the first failure. */
export function quoteAll(results: readonly Result<string>[]): Result<string[]> {
  const out: string[] = [];
  for (const r of results) {
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}
