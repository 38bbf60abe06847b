/**
 * buildkite-agent.cfg, read exactly as the agent reads it: a faithful port of `parseLine` and
 * `isIgnoredLine` from buildkite/agent cliconfig/file.go (itself taken from godotenv). Values are
 * written in whichever quoting the agent's parser reads back as exactly the value, and refused
 * when none does — the parser has no escape for every character (a `"` inside double quotes, a
 * value that starts or ends with a quote), so some values cannot be written at all.
 */
import { err, ok, type Result } from '../../result';
import { checkLine } from '../../edit/values';

// Go's unicode.IsSpace: ASCII blanks, NEL, NBSP and the Unicode space separators.
const GO_SPACE = '\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** Go's strings.SplitN(s, sep, 2). */
function split2(s: string, sep: string): string[] {
  const i = s.indexOf(sep);
  return i === -1 ? [s] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** True for lines the agent skips: blank, or a comment. */
export function isIgnoredCfgLine(line: string): boolean {
  const t = trimChars(line, ' \n\t');
  return t.length === 0 || t.startsWith('#');
}

/** The comment-stripped line, as the agent's parser keeps it. */
export function stripCfgComment(line: string): string {
  if (!line.includes('#')) return line;
  let open = false;
  const keep: string[] = [];
  for (const segment of line.split('#')) {
    if (count(segment, '"') === 1 || count(segment, "'") === 1) {
      if (open) {
        open = false;
        keep.push(segment);
      } else open = true;
    }
    if (keep.length === 0 || open) keep.push(segment);
  }
  return keep.join('#');
}

/** One cfg line as the agent parses it (call only for lines that are not ignored). */
export function parseCfgLine(line: string): { key: string; value: string } | { error: string } {
  if (line.length === 0) return { error: 'zero length string' };
  const stripped = stripCfgComment(line);
  let parts = split2(stripped, '=');
  if (parts.length !== 2) parts = split2(stripped, ':');
  if (parts.length !== 2) return { error: `can't separate key from value in string ${JSON.stringify(stripped)}` };
  let key = parts[0]!;
  if (key.startsWith('export')) key = key.slice('export'.length);
  key = trimChars(key, GO_SPACE);
  let value = trimChars(parts[1]!, GO_SPACE);
  if (count(value, '"') === 2 || count(value, "'") === 2) {
    value = trimChars(value, `"'`);
    value = value.split('\\"').join('"');
    value = value.split('\\n').join('\n');
  }
  return { key, value };
}

/** A cfg line of the file, with where it sits (its text excludes the line break and a CR before it). */
export interface CfgLine {
  start: number;
  text: string;
  ignored: boolean;
  parsed?: { key: string; value: string };
  error?: string;
}

/** Every line of a cfg file as the agent splits and parses it (bufio.Scanner drops a CR before LF). */
export function readCfg(text: string): CfgLine[] {
  const out: CfgLine[] = [];
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const line = text.slice(start, nl > start && text[nl - 1] === '\r' ? nl - 1 : nl);
    const ignored = isIgnoredCfgLine(line);
    const parsed = ignored ? undefined : parseCfgLine(line);
    out.push({ start, text: line, ignored, ...(parsed && 'error' in parsed ? { error: parsed.error } : parsed ? { parsed } : {}) });
    start = nl + 1;
  }
  return out;
}

/** The key/value map the agent ends up with (a later line wins). */
export function cfgValues(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of readCfg(text)) if (l.parsed) m.set(l.parsed.key, l.parsed.value);
  return m;
}

/**
 * `prefix + <quoted value> + suffix` in the first quoting style (the preferred one first) that the
 * agent's parser reads back as `key` = exactly `value`; UNSAFE_VALUE when there is none. `prefix`
 * is the line up to the value (`token=`, `export token = `), `suffix` what follows it (a comment).
 */
export function renderCfgValue(key: string, prefix: string, value: string, prefer: '"' | "'" | '' = '"', suffix = ''): Result<string> {
  const line = checkLine(value, `The value of ${key}`, 4096);
  if (!line.ok) return line;
  const styles = [prefer, '"', '', "'"].filter((s, i, a) => a.indexOf(s) === i);
  for (const q of styles) {
    const candidate = `${prefix}${q}${value}${q}${suffix}`;
    if (isIgnoredCfgLine(candidate)) continue;
    const parsed = parseCfgLine(candidate);
    if ('key' in parsed && parsed.key === key && parsed.value === value) return ok(candidate);
  }
  return err(
    'UNSAFE_VALUE',
    `buildkite-agent.cfg cannot hold this value of ${key}: the agent's parser has no escape that reads it back unchanged (for example a '"' inside, quotes at either end, or a literal \\n).`,
    key === 'token'
      ? 'Check the token; for an unusual value use BUILDKITE_AGENT_TOKEN in the environment or token="file:///path/to/token-file".'
      : 'Use a simpler value.',
  );
}

/** `key=<value>`, quoted so the agent reads back exactly `value` (see renderCfgValue). */
export function renderCfgLine(key: string, value: string, prefer: '"' | "'" | '' = '"'): Result<string> {
  return renderCfgValue(key, `${key}=`, value, prefer);
}
