/** Unified diffs for previews: what a write or an in-place edit would change. */
import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff of `oldText` → `newText` for the file `name` (3 lines of context). Empty string
 * when the texts are identical. A missing old file is shown as /dev/null.
 */
export function unifiedDiff(oldText: string | null, newText: string, name: string): string {
  if (oldText === newText) return '';
  return createTwoFilesPatch(oldText === null ? '/dev/null' : `a/${name}`, `b/${name}`, oldText ?? '', newText, undefined, undefined, { context: 3 });
}

/** The placeholder diff of a secret file: says what changes without showing the secret. */
export function redactedDiff(oldText: string | null, newText: string, name: string): string {
  if (oldText === newText) return '';
  const lines = (t: string): number => (t === '' ? 0 : t.split('\n').length);
  return oldText === null
    ? `${name}: new secret file (${lines(newText)} lines; contents not shown)\n`
    : `${name}: secret file replaced (${lines(oldText)} → ${lines(newText)} lines; contents not shown)\n`;
}
