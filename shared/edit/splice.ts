/**
 * Source-range edits: replace exact spans of a text and nothing else, so every byte outside the
 * spans (comments, quoting, indentation, CRLF line endings) stays as it was.
 */
import { err, ok, type Result } from '../result';

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
