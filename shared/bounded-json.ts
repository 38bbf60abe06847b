/**
 * Bounds for free-form JSON that crosses the IPC boundary (a draft's answers): nesting depth,
 * string length, keys per object, items per list and values in all. Checked without recursion,
 * so a hostile message 100,000 levels deep is refused with BAD_INPUT instead of overflowing the
 * stack of whatever walks it next (the scrubber, the store's JSON writer).
 */
import { z } from 'zod';

export interface JsonLimits {
  maxDepth: number;
  maxString: number;
  maxKeyLength: number;
  maxKeys: number;
  maxItems: number;
  maxValues: number;
}

/** Far above what any platform's form gives (the longest answers are lists of a few services). */
export const ANSWER_LIMITS: JsonLimits = { maxDepth: 8, maxString: 16_384, maxKeyLength: 128, maxKeys: 256, maxItems: 1_000, maxValues: 10_000 };

/** Why `value` is outside `limits` (with the path of the first offending value), or undefined. */
export function jsonLimitProblem(value: unknown, limits: JsonLimits): string | undefined {
  const stack: { v: unknown; depth: number; at: string }[] = [{ v: value, depth: 0, at: '' }];
  let count = 0;
  while (stack.length) {
    const { v, depth, at } = stack.pop()!;
    if (++count > limits.maxValues) return `more than ${limits.maxValues} values in all`;
    if (typeof v === 'string') {
      if (v.length > limits.maxString) return `${at || 'the value'} is longer than ${limits.maxString} characters`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limits.maxDepth) return `${at || 'the value'} is nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(v)) {
      if (v.length > limits.maxItems) return `${at || 'a list'} has more than ${limits.maxItems} items`;
      v.forEach((item, i) => stack.push({ v: item, depth: depth + 1, at: `${at}[${i}]` }));
      continue;
    }
    const entries = Object.entries(v);
    if (entries.length > limits.maxKeys) return `${at || 'an object'} has more than ${limits.maxKeys} keys`;
    for (const [k, item] of entries) {
      if (k.length > limits.maxKeyLength) return `a key at ${at || 'the top'} is longer than ${limits.maxKeyLength} characters`;
      stack.push({ v: item, depth: depth + 1, at: at ? `${at}.${k}` : k });
    }
  }
  return undefined;
}

/** A record of answers (string keys, any JSON) within ANSWER_LIMITS. */
export const boundedAnswersSchema = z.record(z.string().max(ANSWER_LIMITS.maxKeyLength), z.unknown()).superRefine((value, ctx) => {
  const problem = jsonLimitProblem(value, ANSWER_LIMITS);
  if (problem) ctx.addIssue({ code: 'custom', message: `answers: ${problem}` });
});
