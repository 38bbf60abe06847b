/**
 * JSON in place: a small parser that keeps where every value sits in the source, so one string can
 * be replaced without re-serialising the file (indentation, key order and line endings stay).
 * Every edit is proved by JSON.parse of the result.
 */
import { err, ok, type Result } from '../result';
import type { Change } from '../platforms/types';
import { applySplices, lineOf } from './splice';

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: { key: string; keyStart: number; value: JsonNode }[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'other'; start: number; end: number; value: unknown };

class JsonSyntax extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Parses JSON text into a tree of located nodes; a syntax error is a PARSE_ERROR with its line. */
export function parseJsonLocated(text: string, name = 'The file'): Result<JsonNode> {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n\ufeff'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntax(what, i);
  };
  const str = (): JsonNode => {
    const start = i;
    // eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
    const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i, i + 1_000_000));
    if (!m) return fail('a string is not closed or has a bad escape');
    i += m[0].length;
    return { kind: 'string', start, end: i, value: JSON.parse(m[0]) as string };
  };
  const value = (depth: number): JsonNode => {
    if (depth > 200) fail('nesting is too deep');
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: { key: string; keyStart: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') return (i++, { kind: 'object', start, end: i, members });
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a quoted key');
        const key = str() as { value: string; start: number };
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        members.push({ key: key.value, keyStart: key.start, value: value(depth + 1) });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return (i++, { kind: 'object', start, end: i, members });
        else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') return (i++, { kind: 'array', start, end: i, items });
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return (i++, { kind: 'array', start, end: i, items });
        else fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return { kind: 'other', start, end: i, value: JSON.parse(m[0]) as unknown };
  };
  try {
    const root = value(0);
    ws();
    if (i !== text.length) fail('unexpected text after the end');
    return ok(root);
  } catch (e) {
    if (e instanceof JsonSyntax)
      return err(
        'PARSE_ERROR',
        `${name} is not valid JSON (line ${lineOf(text, e.at)}): ${e.message}.`,
        'Fix the file (or restore it from a backup) and try again; nothing was changed.',
      );
    throw e;
  }
}

/** A member of an object node by key (the last one, as JSON.parse does). */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let k = node.members.length - 1; k >= 0; k--) if (node.members[k]!.key === key) return node.members[k]!.value;
  return undefined;
}

/** Set one string node to a new value. */
export interface JsonSet {
  node: Extract<JsonNode, { kind: 'string' }>;
  value: string;
  what: string;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The parsed value of the tree with some string nodes replaced. */
function valueOf(node: JsonNode, sets: Map<JsonNode, string>): unknown {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const m of node.members) Object.defineProperty(o, m.key, { value: valueOf(m.value, sets), enumerable: true, writable: true, configurable: true });
      return o;
    }
    case 'array':
      return node.items.map((n) => valueOf(n, sets));
    case 'string':
      return sets.has(node) ? sets.get(node) : node.value;
    default:
      return node.value;
  }
}

/**
 * Replaces string values in place (written with JSON escapes) and proves the result parses to the
 * old document with exactly those strings changed.
 */
export function editJson(text: string, root: JsonNode, sets: JsonSet[], name = 'The file'): Result<{ text: string; changes: Change[] }> {
  const wanted = sets.filter((s) => s.node.value !== s.value);
  if (wanted.length === 0) return ok({ text, changes: [] });
  const spliced = applySplices(
    text,
    wanted.map((s) => ({ start: s.node.start, end: s.node.end, text: JSON.stringify(s.value) })),
  );
  if (!spliced.ok) return spliced;
  let reparsed: unknown;
  try {
    reparsed = JSON.parse(spliced.value.text.replace(/^\ufeff/, ''));
  } catch {
    return err('UNSAFE_VALUE', `${name}: the edit would not parse; nothing was changed.`);
  }
  if (!deepEqual(reparsed, valueOf(root, new Map(wanted.map((s) => [s.node as JsonNode, s.value]))))) {
    return err('UNSAFE_VALUE', `${name}: the edit would not read back as intended; nothing was changed.`);
  }
  const changes = wanted.map((s, i) => {
    const [ns, ne] = spliced.value.ranges[i]!;
    return {
      line: lineOf(spliced.value.text, ns),
      what: s.what,
      oldRange: [s.node.start, s.node.end] as [number, number],
      newRange: [ns, ne] as [number, number],
    };
  });
  return ok({ text: spliced.value.text, changes });
}
