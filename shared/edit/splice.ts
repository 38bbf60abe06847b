/**
 * Source-range edits: replace exact spans of a text and nothing else, so every byte outside the
 * spans (comments, quoting, indentation, CRLF line endings) stays as it was.
 */
import { err, ok, type Result } from '../result';
import type { Change } from '../platforms/types';

/** Replace `text.slice(start, end)` with `text`. Offsets are UTF-16 indexes into the original. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The spliced text and, for each splice in input order, its [start, end) in the new text. */
export interface Spliced {
  text: string;
  ranges: [number, number][];
}

/** Applies non-overlapping splices; overlapping or out-of-range ones are an INTERNAL error. */
export function applySplices(source: string, splices: readonly Splice[]): Result<Spliced> {
  const order = splices.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start);
  const ranges: [number, number][] = new Array(splices.length);
  let out = '';
  let at = 0;
  for (const { s, i } of order) {
    if (s.start < at || s.end < s.start || s.end > source.length) return err('INTERNAL', 'Overlapping edits in one file.');
    out += source.slice(at, s.start);
    ranges[i] = [out.length, out.length + s.text.length];
    out += s.text;
    at = s.end;
  }
  out += source.slice(at);
  return ok({ text: out, ranges });
}

/** The 1-based line number of a UTF-16 offset. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The line ending a file uses ('\r\n' when any line ends with CRLF). */
export function lineEnding(text: string): '\r\n' | '\n' {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** [start, end) of the line holding `index`, without its line break. */
export function lineBounds(text: string, index: number): [number, number] {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let end = text.indexOf('\n', index);
  if (end === -1) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return [start, end];
}

/** A token edit: a splice with what it changes, for the report. */
export interface TokenEdit extends Splice {
  what: string;
}

/** What an updater's rotate answers. */
export type Rotated = Result<{ text: string; changes: Change[]; notes?: string[] }>;

/**
 * Applies the edits that change something, proves the result with `check` (an error message when
 * the new text would not read back as intended), and reports each change with its old and new
 * ranges. Nothing changes when the check fails.
 */
export function applyTokenEdits(
  text: string,
  edits: readonly TokenEdit[],
  notes: string[],
  check?: (newText: string, ranges: [number, number][], applied: readonly TokenEdit[]) => string | undefined,
): Rotated {
  const real = edits.filter((e) => text.slice(e.start, e.end) !== e.text);
  const spliced = applySplices(text, real);
  if (!spliced.ok) return spliced;
  const problem = check?.(spliced.value.text, spliced.value.ranges, real);
  if (problem) return err('UNSAFE_VALUE', problem);
  return ok({
    text: spliced.value.text,
    changes: real.map((e, i) => {
      const [start, end] = spliced.value.ranges[i]!;
      return {
        line: lineOf(spliced.value.text, start),
        what: e.what,
        oldRange: [e.start, e.end] as [number, number],
        newRange: [start, end] as [number, number],
      };
    }),
    notes,
  });
}
