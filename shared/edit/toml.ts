/**
 * TOML files edited in place: a small locating scanner finds where each value sits (its path
 * through tables, arrays of tables and inline tables, and its exact source span), and edits
 * replace those spans only, so comments, key order, quoting, inline tables, multi-line strings and
 * CRLF line endings stay byte for byte. Reading the values is left to smol-toml (a complete TOML
 * 1.0 parser); every edit is proven by parsing the old and new text with it and comparing: the
 * edited values must read back as intended and nothing else may change, or nothing is edited.
 */
import { parse, TomlError } from 'smol-toml';
import { err, ok, type Result } from '../result';
import { applySplices } from './splice';
import { quoteToml } from '../escape';

/** A value's place in a document: keys and array indexes from the root (`['runners', 0, 'token']`). */
export type TomlPath = (string | number)[];

/** How a located value is written. */
export type TomlValueKind = 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal' | 'array' | 'inline-table' | 'other';

/** One located value: its path, and [start, end) of its key and of its value in the text. */
export interface TomlEntry {
  path: TomlPath;
  key: [number, number];
  value: [number, number];
  kind: TomlValueKind;
}

/** A table header (`[a.b]` or `[[runners]]`): the path it opens and [start, end) of the header line's text. */
export interface TomlTableHeader {
  path: TomlPath;
  span: [number, number];
  arrayOfTables: boolean;
}

export interface TomlLayout {
  entries: TomlEntry[];
  tables: TomlTableHeader[];
}

/** Parses `text` as TOML 1.0; a syntax error is PARSE_ERROR with the line and column. */
export function parseToml(text: string): Result<Record<string, unknown>> {
  try {
    return ok(parse(text) as Record<string, unknown>);
  } catch (e) {
    if (e instanceof TomlError)
      return err(
        'PARSE_ERROR',
        `This is not valid TOML (line ${e.line}, column ${e.column}): ${e.message.split('\n')[0]}`,
        'Fix the file first; nothing was changed.',
      );
    return err('PARSE_ERROR', 'This is not valid TOML.', 'Fix the file first; nothing was changed.');
  }
}

// eslint-disable-next-line no-control-regex -- TOML forbids these raw in strings
const TOML_CONTROL = /[\u0000-\u001f\u007f]/;

/** `value` as a TOML literal string ('…') when it can be one (no `'`, no control characters). */
export function tomlLiteralString(value: string): string | undefined {
  return value.includes("'") || TOML_CONTROL.test(value) ? undefined : `'${value}'`;
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}
  fail(what: string): never {
    throw new LayoutError(what, this.i);
  }
  peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }
  /** Spaces and tabs. */
  ws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  /** Spaces, tabs, newlines and comments (inside arrays). */
  wsAll(): void {
    for (;;) {
      this.ws();
      if (this.peek() === '#') this.comment();
      else if (this.peek() === '\n') this.i++;
      else if (this.startsWith('\r\n')) this.i += 2;
      else return;
    }
  }
  comment(): void {
    while (this.i < this.s.length && this.peek() !== '\n' && !this.startsWith('\r\n')) this.i++;
  }
  /** The end of a line: optional comment, then a newline or the end of the text. */
  eol(): void {
    this.ws();
    if (this.peek() === '#') this.comment();
    if (this.startsWith('\r\n')) this.i += 2;
    else if (this.peek() === '\n') this.i++;
    else if (this.i < this.s.length) this.fail('expected the end of the line');
  }
}

class LayoutError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** A simple key (bare, "basic" or 'literal'), unescaped. */
function simpleKey(sc: Scan): string {
  const c = sc.peek();
  if (c === '"') {
    const start = sc.i;
    basicString(sc);
    return JSON.parse(sc.s.slice(start, sc.i).replace(/\\U([0-9A-Fa-f]{8})/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))) as string;
  }
  if (c === "'") {
    const end = sc.s.indexOf("'", sc.i + 1);
    if (end < 0) sc.fail('unterminated key');
    const k = sc.s.slice(sc.i + 1, end);
    sc.i = end + 1;
    return k;
  }
  const m = /^[A-Za-z0-9_-]+/.exec(sc.s.slice(sc.i, sc.i + 4096));
  if (!m) sc.fail('expected a key');
  sc.i += m[0].length;
  return m[0];
}

/** A dotted key: its parts and [start, end) of the whole key. */
function dottedKey(sc: Scan): { parts: string[]; span: [number, number] } {
  const start = sc.i;
  const parts = [simpleKey(sc)];
  let end = sc.i;
  for (;;) {
    sc.ws();
    if (sc.peek() !== '.') break;
    sc.i++;
    sc.ws();
    parts.push(simpleKey(sc));
    end = sc.i;
  }
  sc.i = end;
  return { parts, span: [start, end] };
}

function basicString(sc: Scan): void {
  sc.i++;
  while (sc.i < sc.s.length) {
    const c = sc.peek();
    if (c === '\\') sc.i += 2;
    else if (c === '"') {
      sc.i++;
      return;
    } else if (c === '\n') sc.fail('line break inside a string');
    else sc.i++;
  }
  sc.fail('unterminated string');
}

function multilineString(sc: Scan, quote: '"""' | "'''"): void {
  sc.i += 3;
  for (;;) {
    if (sc.i >= sc.s.length) sc.fail('unterminated multi-line string');
    if (quote === '"""' && sc.peek() === '\\') {
      sc.i += 2;
      continue;
    }
    if (sc.startsWith(quote)) {
      sc.i += 3;
      // Up to two quotes right before the closing three belong to the string.
      while (sc.peek() === quote[0] && sc.i - 3 >= 0) sc.i++;
      return;
    }
    sc.i++;
  }
}

/** Reads one value starting at `sc.i`, recording entries below `path` (inline tables, arrays). */
function value(sc: Scan, path: TomlPath, out: TomlEntry[]): TomlValueKind {
  const c = sc.peek();
  if (sc.startsWith('"""')) return (multilineString(sc, '"""'), 'multiline-basic');
  if (sc.startsWith("'''")) return (multilineString(sc, "'''"), 'multiline-literal');
  if (c === '"') return (basicString(sc), 'basic');
  if (c === "'") {
    const end = sc.s.indexOf("'", sc.i + 1);
    const nl = sc.s.indexOf('\n', sc.i + 1);
    if (end < 0 || (nl >= 0 && nl < end)) sc.fail('unterminated string');
    sc.i = end + 1;
    return 'literal';
  }
  if (c === '[') {
    sc.i++;
    for (let index = 0; ; index++) {
      sc.wsAll();
      if (sc.peek() === ']') break;
      const start = sc.i;
      const kind = value(sc, [...path, index], out);
      out.push({ path: [...path, index], key: [start, start], value: [start, sc.i], kind });
      sc.wsAll();
      if (sc.peek() === ',') sc.i++;
      else if (sc.peek() !== ']') sc.fail('expected "," or "]" in an array');
    }
    sc.i++;
    return 'array';
  }
  if (c === '{') {
    sc.i++;
    sc.ws();
    if (sc.peek() === '}') {
      sc.i++;
      return 'inline-table';
    }
    for (;;) {
      sc.ws();
      keyValue(sc, path, out);
      sc.ws();
      if (sc.peek() === ',') sc.i++;
      else if (sc.peek() === '}') {
        sc.i++;
        return 'inline-table';
      } else sc.fail('expected "," or "}" in an inline table');
    }
  }
  // Numbers, booleans, dates and times: up to a separator (a local date and time may have one space).
  const m = /^[^\s,\]}#]+(?: (?=\d\d:)[^\s,\]}#]+)?/.exec(sc.s.slice(sc.i, sc.i + 256));
  if (!m) sc.fail('expected a value');
  sc.i += m[0].length;
  return 'other';
}

function keyValue(sc: Scan, table: TomlPath, out: TomlEntry[]): void {
  const key = dottedKey(sc);
  sc.ws();
  if (sc.peek() !== '=') sc.fail('expected "=" after a key');
  sc.i++;
  sc.ws();
  const start = sc.i;
  const path = [...table, ...key.parts];
  const kind = value(sc, path, out);
  out.push({ path, key: key.span, value: [start, sc.i], kind });
}

/**
 * Where every value and table header of `text` sits. The text must be valid TOML (checked with
 * smol-toml first): PARSE_ERROR otherwise, with the line.
 */
export function locateToml(text: string): Result<TomlLayout> {
  const parsed = parseToml(text);
  if (!parsed.ok) return parsed;
  const sc = new Scan(text);
  const entries: TomlEntry[] = [];
  const tables: TomlTableHeader[] = [];
  const counts = new Map<string, number>();
  let table: TomlPath = [];
  try {
    if (text.startsWith('\uFEFF')) sc.i = 1;
    while (sc.i < text.length) {
      sc.ws();
      const c = sc.peek();
      if (c === '#' || c === '\n' || sc.startsWith('\r\n') || c === '') {
        sc.eol();
        continue;
      }
      if (c === '[') {
        const start = sc.i;
        const aot = sc.startsWith('[[');
        sc.i += aot ? 2 : 1;
        sc.ws();
        const key = dottedKey(sc);
        sc.ws();
        if (!sc.startsWith(aot ? ']]' : ']')) sc.fail('expected "]" after a table name');
        sc.i += aot ? 2 : 1;
        table = resolveHeader(key.parts, aot, counts);
        tables.push({ path: table, span: [start, sc.i], arrayOfTables: aot });
        sc.eol();
        continue;
      }
      keyValue(sc, table, entries);
      sc.eol();
    }
  } catch (e) {
    if (e instanceof LayoutError)
      return err(
        'PARSE_ERROR',
        `This TOML could not be located for editing (${e.message} near character ${e.at + 1}).`,
        'Edit this file by hand; nothing was changed.',
      );
    throw e;
  }
  return ok({ entries, tables });
}

/** The path a header opens, with the index of each array of tables it passes through. */
function resolveHeader(parts: string[], aot: boolean, counts: Map<string, number>): TomlPath {
  const out: TomlPath = [];
  parts.forEach((part, i) => {
    out.push(part);
    const id = JSON.stringify(out);
    if (aot && i === parts.length - 1) {
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      out.push(n);
    } else if (counts.has(id)) out.push(counts.get(id)! - 1);
  });
  return out;
}

/** The located entry at exactly `path`, if any. */
export function findTomlEntry(layout: TomlLayout, path: TomlPath): TomlEntry | undefined {
  const id = JSON.stringify(path);
  return layout.entries.find((e) => JSON.stringify(e.path) === id);
}

/** One in-place edit: the value at `path` becomes `value`, written as `toml` (already valid TOML). */
export interface TomlEdit {
  path: TomlPath;
  /** The new value as TOML source, e.g. a quoteToml() string or `0001-01-01T00:00:00Z`. */
  toml: string;
  /** What it must read back as (dates as ISO text); by default what `toml` reads as on its own. */
  expect?: string | number | boolean;
}

/**
 * A string value rendered in the quoting the old value used where it can be (a literal string
 * stays literal), a basic string (shared/escape's TOML escaper) otherwise; UNSAFE_VALUE for a value
 * no TOML string may hold.
 */
export function tomlStringLike(entry: TomlEntry | undefined, value: string, label?: string): Result<string> {
  const basic = quoteToml(value, label);
  if (!basic.ok) return basic;
  return ok(entry?.kind === 'literal' ? (tomlLiteralString(value) ?? basic.value) : basic.value);
}

/**
 * Replaces the values at the edits' paths and nothing else. Every path must exist (NOT_FOUND
 * otherwise); the result is proven by parsing both texts: the edited values read back as
 * `expect` and every other value is unchanged, or UNSAFE_VALUE and nothing changes. `ranges` are
 * the new values' [start, end) in the new text, in edit order; `oldRanges` in the old text.
 */
export function editToml(text: string, edits: readonly TomlEdit[]): Result<{ text: string; ranges: [number, number][]; oldRanges: [number, number][] }> {
  const layout = locateToml(text);
  if (!layout.ok) return layout;
  const splices = [];
  for (const e of edits) {
    const entry = findTomlEntry(layout.value, e.path);
    if (!entry) return err('NOT_FOUND', `There is no ${pathText(e.path)} in this TOML.`);
    splices.push({ start: entry.value[0], end: entry.value[1], text: e.toml });
  }
  const spliced = applySplices(text, splices);
  if (!spliced.ok) return spliced;
  const before = parseToml(text);
  const after = parseToml(spliced.value.text);
  if (!before.ok || !after.ok) return err('UNSAFE_VALUE', 'The edited TOML would not parse; nothing was changed.');
  let expected: unknown = plain(before.value);
  for (const e of edits) {
    const alone = parseToml(`v = ${e.toml}\n`);
    if (!alone.ok) return err('UNSAFE_VALUE', `The new value for ${pathText(e.path)} is not one TOML value; nothing was changed.`);
    expected = setAt(expected, e.path, e.expect ?? plain(alone.value.v));
  }
  if (!sameValue(expected, plain(after.value))) return err('UNSAFE_VALUE', 'The edited TOML would not read back as intended; nothing was changed.');
  return ok({ text: spliced.value.text, ranges: spliced.value.ranges, oldRanges: splices.map((s) => [s.start, s.end] as [number, number]) });
}

/** A path for people: `runners[1].token`. */
export function pathText(path: TomlPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parsed TOML as plain data: dates become their TOML text, bigints numbers' text. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function setAt(root: unknown, path: TomlPath, v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((x, i) => (i === head ? setAt(x, rest, v) : x));
  const obj = (root && typeof root === 'object' ? root : {}) as Record<string, unknown>;
  return { ...obj, [head as string]: setAt(obj[head as string], rest, v) };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
