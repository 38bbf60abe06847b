/**
 * YAML in place: find scalars with the `yaml` package's Document API, then replace only their
 * source ranges, in the quoting style they already had when the new value fits it. Every edit is
 * proved by parsing the result again: the documents must hold exactly the old values except the
 * edited ones, or the edit is refused. Comments, key order, indentation and CRLF never move.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Node, type Pair, type Scalar } from 'yaml';
import { err, ok, type Result } from '../result';
import type { Change } from '../platforms/types';
import { applySplices, lineOf, type Splice } from './splice';

export type YamlDoc = Document.Parsed;

/** Parses every document of a YAML stream; any syntax error is a PARSE_ERROR naming its line. */
export function parseYaml(text: string, name = 'The file'): Result<YamlDoc[]> {
  let docs: YamlDoc[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }) as YamlDoc[];
  } catch (e) {
    return err('PARSE_ERROR', `${name} is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!Array.isArray(docs)) return err('PARSE_ERROR', `${name} is not valid YAML.`);
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0].line;
      return err(
        'PARSE_ERROR',
        `${name} is not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`,
        'Fix the file (or restore it from a backup) and try again; nothing was changed.',
      );
    }
  }
  return ok(docs);
}

/** Set one scalar (a value or a key) to a new string. */
export interface YamlSet {
  node: Scalar;
  value: string;
  what: string;
}

/** Remove one `key: value` pair of a block mapping, with its whole line. */
export interface YamlRemove {
  pair: Pair;
  what: string;
}

/** A string as a YAML double-quoted scalar (JSON's escapes are YAML escapes). */
export function yamlDoubleQuoted(value: string): string {
  return JSON.stringify(value);
}

/** A string as a YAML single-quoted scalar. */
export function yamlSingleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The shortest one-line YAML scalar that reads back as exactly `value` in YAML 1.1 and 1.2 (plain when it can be). */
export function yamlInlineScalar(value: string): string {
  return plainReadsAsString(value) ? value : yamlDoubleQuoted(value);
}

/** One line ending of the text around `index` (CRLF when the line ends so). */
function eolAt(text: string, index: number): string {
  const nl = text.indexOf('\n', index);
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** The source texts to try for `node` holding `value`, its own style first. */
function candidates(node: Scalar, text: string, value: string): { start: number; end: number; texts: string[] } {
  const [start, end] = [node.range![0], node.range![1]];
  const dq = yamlDoubleQuoted(value);
  switch (node.type) {
    case 'PLAIN':
      return { start, end, texts: plainReadsAsString(value) ? [value, dq] : [dq] };
    case 'QUOTE_SINGLE':
      return { start, end, texts: [yamlSingleQuoted(value), dq] };
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      // A block scalar's range runs to the end of its last line, line break included.
      const src = text.slice(start, end);
      const eol = eolAt(text, start);
      const indent = /\r?\n([ ]+)\S/.exec(src)?.[1] ?? '  ';
      const header = node.type === 'BLOCK_LITERAL' ? '|-' : '>-';
      return { start, end, texts: [`${header}${eol}${indent}${value}${eol}`, `${dq}${eol}`] };
    }
    default:
      return { start, end, texts: [dq] };
  }
}

type Shape = string[];

/** A flat picture of the documents: every collection, its size, and every scalar's typed value. */
function shape(docs: YamlDoc[], sets: Map<Node, string>, removed: Set<Pair>): Shape {
  const out: Shape = [];
  const walk = (node: unknown): void => {
    if (node === null || node === undefined) out.push('~');
    else if (isScalar(node)) {
      const v = sets.has(node) ? sets.get(node) : node.value;
      out.push(`${typeof v}:${v instanceof Uint8Array ? Array.from(v).join(',') : String(v)}${node.tag ? `!${node.tag}` : ''}`);
    } else if (isAlias(node)) out.push(`*${node.source}`);
    else if (isMap(node)) {
      const items = node.items.filter((p) => !removed.has(p));
      out.push(`{${items.length}`);
      for (const p of items) {
        walk(p.key);
        walk(p.value);
      }
      out.push('}');
    } else if (isSeq(node)) {
      out.push(`[${node.items.length}`);
      for (const item of node.items) walk(isPair(item) ? item.value : item);
      out.push(']');
    } else out.push(`?${String(node)}`);
  };
  for (const doc of docs) {
    out.push('---');
    walk(doc.contents);
  }
  return out;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Range of a whole `key: value` line (or lines) to delete, or undefined when it is not alone on its lines. */
function pairLines(text: string, pair: Pair): [number, number] | undefined {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (!key?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
  if (text.slice(lineStart, key.range[0]).trim() !== '') return undefined;
  const after = value?.range ? value.range[1] : key.range[1];
  const nl = text.indexOf('\n', after);
  const rest = text.slice(after, nl === -1 ? text.length : nl);
  if (!/^[ \t]*(#.*)?\r?$/.test(rest) && !/^[ \t]*:?[ \t]*\r?$/.test(rest)) return undefined;
  return [lineStart, nl === -1 ? text.length : nl + 1];
}

/**
 * Applies `sets` and `removes` to the YAML `text` (already parsed as `docs`) by source-range
 * replacement and proves the result: it must parse, and hold exactly the old documents with
 * these changes. Sets whose scalar already holds the value change nothing.
 */
export function editYaml(
  text: string,
  docs: YamlDoc[],
  sets: YamlSet[],
  removes: YamlRemove[] = [],
  name = 'The file',
): Result<{ text: string; changes: Change[] }> {
  const wanted = sets.filter(
    (s) => !(typeof s.node.value === 'string' && s.node.value === s.value && s.node.type !== 'BLOCK_LITERAL' && s.node.type !== 'BLOCK_FOLDED'),
  );
  if (wanted.length === 0 && removes.length === 0) return ok({ text, changes: [] });
  const removed = new Set(removes.map((r) => r.pair));
  const expected = shape(docs, new Map(wanted.map((s) => [s.node as Node, s.value])), removed);

  const prove = (splices: Splice[]): Result<string> => {
    const spliced = applySplices(text, splices);
    if (!spliced.ok) return spliced;
    const reparsed = parseYaml(spliced.value.text, name);
    if (!reparsed.ok) return reparsed;
    if (!sameShape(shape(reparsed.value, new Map(), new Set()), expected)) return err('UNSAFE_VALUE', 'the edited file would not read back as intended');
    return ok(spliced.value.text);
  };

  const removeSplices: Splice[] = [];
  for (const r of removes) {
    const range = pairLines(text, r.pair);
    if (!range) return err('UNSAFE_VALUE', `${name}: cannot remove ${r.what} safely (it shares its line with other content).`);
    removeSplices.push({ start: range[0], end: range[1], text: '' });
  }

  if (wanted.some((s) => !s.node.range)) return err('INTERNAL', 'YAML node without a source range.');
  const all = (chosen: Splice[]): Result<{ text: string; changes: Change[] }> => finish(text, wanted, removes, [...chosen, ...removeSplices], prove, name);

  // Fast path: every scalar in its own style, proved with one parse of the whole result.
  const fast = all(
    wanted.map((s) => {
      const c = candidates(s.node, text, s.value);
      return { start: c.start, end: c.end, text: c.texts[0]! };
    }),
  );
  if (fast.ok) return fast;

  // Otherwise choose, per scalar, the first rendering (its own style first) that reads back exactly.
  const chosen: Splice[] = [];
  for (const s of wanted) {
    const c = candidates(s.node, text, s.value);
    const pick = c.texts.find((t) => {
      const only = { start: c.start, end: c.end, text: t };
      const single = shape(docs, new Map([[s.node as Node, s.value]]), new Set());
      const spliced = applySplices(text, [only]);
      if (!spliced.ok) return false;
      const reparsed = parseYaml(spliced.value.text, name);
      return reparsed.ok && sameShape(shape(reparsed.value, new Map(), new Set()), single);
    });
    if (pick === undefined)
      return err('UNSAFE_VALUE', `${name}: ${s.what} cannot hold this value without changing the file's structure.`, 'Check the value; nothing was changed.');
    chosen.push({ start: c.start, end: c.end, text: pick });
  }

  return all(chosen);
}

/** Proves the chosen splices together and reports each change with its ranges. */
function finish(
  text: string,
  wanted: YamlSet[],
  removes: YamlRemove[],
  all: Splice[],
  prove: (s: Splice[]) => Result<string>,
  name: string,
): Result<{ text: string; changes: Change[] }> {
  const proved = prove(all);
  if (!proved.ok)
    return err(
      proved.error.code === 'PARSE_ERROR' ? 'UNSAFE_VALUE' : proved.error.code,
      `${name}: the edit would not read back as intended (${proved.error.message}); nothing was changed.`,
    );
  const spliced = applySplices(text, all);
  if (!spliced.ok) return spliced;
  const changes: Change[] = wanted.map((s, i) => {
    const [ns, ne] = spliced.value.ranges[i]!;
    return { line: lineOf(spliced.value.text, ns), what: s.what, oldRange: [s.node.range![0], s.node.range![1]], newRange: [ns, ne] };
  });
  removes.forEach((r, j) => {
    const [ns] = spliced.value.ranges[wanted.length + j]!;
    const range = pairLines(text, r.pair)!;
    changes.push({ line: lineOf(spliced.value.text, ns), what: r.what, oldRange: [range[0], range[1]], newRange: [ns, ns] });
  });
  return ok({ text: spliced.value.text, changes: changes.sort((a, b) => a.line - b.line) });
}

/** The string value of a scalar map entry `key` in `map`, with its node. */
export function getScalar(map: unknown, key: string): Scalar | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.value) ? pair.value : undefined;
}

/** The pair `key` of a mapping. */
export function getPair(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p): p is Pair => isScalar(p.key) && p.key.value === key);
}

/** The node at `key` of a mapping (any kind). */
export function getNode(map: unknown, key: string): unknown {
  return getPair(map, key)?.value;
}

/**
 * Plain scalars that some reader of ours takes as something other than the same string, beyond
 * what the `yaml` package's 1.1 and 1.2 schemas resolve: `=` (YAML 1.1's value key, which PyYAML
 * refuses to construct), `<<` (the 1.1 merge key), and the integer forms Go's strconv.ParseInt
 * accepts with base 0 (0o17, 0b101, 0x1F, with `_`), which go-yaml v2 (Kubernetes, Helm) resolves as ints.
 */
const GO_YAML_EXTRA = /^(?:=|<<|[-+]?0[oObBxX][0-9a-fA-F_]+)$/;

/**
 * True when `value` written as a plain scalar reads back as exactly this string in YAML 1.1
 * (Kubernetes and Helm: go-yaml v2, PyYAML) and YAML 1.2 alike; false for `on`, `no`, `0777`,
 * `1_000`, `1:20`, `2001-12-14`, `.inf`, `~`, `null`, `=` and their kin, which must be quoted.
 */
export function plainReadsAsString(value: string): boolean {
  if (value === '' || GO_YAML_EXTRA.test(value) || /[\r\n]/.test(value)) return false;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      const docs = parseAllDocuments(`k: ${value}\n`, { version });
      const doc = Array.isArray(docs) && docs.length === 1 ? docs[0] : undefined;
      if (!doc || doc.errors.length > 0) return false;
      const js = doc.toJS() as unknown;
      if (!js || typeof js !== 'object' || (js as Record<string, unknown>).k !== value || Object.keys(js).length !== 1) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * YAML text for a generated file: one document per value, `---` between them, never folded
 * (tokens stay on one line). Kubernetes and Helm read YAML 1.1, so every one-line string a 1.1 or
 * 1.2 reader would take as a boolean, number, null, date or merge key is double-quoted (issue 14
 * item 4: a delegate named `no` became `false`).
 */
export function toYaml(values: unknown[], header?: string): string {
  const body = values
    .map((v) => {
      // Without the merge tag, a string "<<" is a string the visitor can quote, not a bare merge key.
      const doc = new Document(v, { version: '1.1', customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge') });
      visit(doc, {
        Scalar(_key, node) {
          if (typeof node.value === 'string' && !node.value.includes('\n') && !plainReadsAsString(node.value)) node.type = 'QUOTE_DOUBLE';
        },
      });
      return doc.toString({ lineWidth: 0, minContentWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
    })
    .join('---\n');
  return header
    ? `${header
        .split('\n')
        .map((l) => (l ? `# ${l}` : '#'))
        .join('\n')}\n${body}`
    : body;
}
