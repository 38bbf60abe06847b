/**
 * One escaper per file format, one contract: `quoteX(value, …, label?)` returns a Result whose
 * value the format's own reader reads back as exactly `value`, or UNSAFE_VALUE saying why the
 * value cannot be written there (never the value itself: it may be a secret). Every escaper first
 * applies the one character policy in ./policy.ts. Proved by test/integration/shared/escape/consumers.test.ts,
 * which feeds random strings through each escaper into the real reader (bash, tomllib, PyYAML,
 * supervisord's parser) or a reader ported from the format's documented rules.
 *
 * A platform puts every value into a file or a command line through one of these; `quoteAll`
 * collects several at once, and `withQuotes` lets a template use them inline.
 */
import { ok, type AppError, type Result } from '../result';
import { quoteCmd } from './cmd';
import { quoteProperties, type PropertiesDialect } from './properties';
import { quotePs1 } from './ps1';
import { quoteSh, quoteShWords } from './sh';
import { quoteSupervisord, type SupervisordPlace } from './supervisord';
import { quoteSystemd, type SystemdPlace } from './systemd';
import { quoteToml } from './toml';
import { quoteYaml } from './yaml';

export { checkText, unsafeCharacter } from './policy';
export { quoteSh, quoteShWords, shownSh } from './sh';
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

/** The escapers with the Result taken off, for use inside `withQuotes`. */
export interface Quoters {
  sh(value: string, label?: string): string;
  shWords(argv: readonly string[], label?: string): string;
  ps1(value: string, label?: string): string;
  cmd(value: string, label?: string): string;
  systemd(value: string, place?: SystemdPlace, label?: string): string;
  supervisord(value: string, place?: SupervisordPlace, label?: string): string;
  yaml(value: string, label?: string): string;
  properties(value: string, dialect?: PropertiesDialect, label?: string): string;
  toml(value: string, label?: string): string;
}

/** Carries a refusal out of a `withQuotes` template; never seen outside it. */
class Refused {
  constructor(readonly error: AppError) {}
}

function unwrap(r: Result<string>): string {
  if (!r.ok) throw new Refused(r.error);
  return r.value;
}

const QUOTERS: Quoters = {
  sh: (v, l) => unwrap(quoteSh(v, l)),
  shWords: (a, l) => unwrap(quoteShWords(a, l)),
  ps1: (v, l) => unwrap(quotePs1(v, l)),
  cmd: (v, l) => unwrap(quoteCmd(v, l)),
  systemd: (v, p, l) => unwrap(quoteSystemd(v, p, l)),
  supervisord: (v, p, l) => unwrap(quoteSupervisord(v, p, l)),
  yaml: (v, l) => unwrap(quoteYaml(v, l)),
  properties: (v, d, l) => unwrap(quoteProperties(v, d, l)),
  toml: (v, l) => unwrap(quoteToml(v, l)),
};

/**
 * Builds text (or anything) with the escapers inline — `withQuotes((q) => \`docker rm -f ${q.sh(name)}\`)` —
 * and answers ok with it, or the first escaper's UNSAFE_VALUE refusal. Like Rust's `?`: the first
 * refusal stops `build` and becomes the Result; any other exception passes through untouched.
 */
export function withQuotes<T>(build: (q: Quoters) => T): Result<T> {
  try {
    return ok(build(QUOTERS));
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.error };
    throw e;
  }
}
