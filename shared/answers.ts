/**
 * From the wizard's raw form values to a platform's answers: which fields a variant shows, tags
 * text to a record, and the one validation of answers (validateAnswers). The renderer (Details
 * step, previews) and main (Configs, bundle export, fleets, the CLI) shape and check answers the
 * same way through these.
 */
import type { AnyPlatform, Field } from './platforms/types';

/** Field key → 'is required' for each visible required field left empty (a schema cannot know which variant shows a field). */
export function missingRequired(platform: AnyPlatform, variant: string | null, raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of visibleFields(platform, variant)) {
    const v = raw[f.key];
    const empty = v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
    if (f.required && empty && f.default === undefined) out[f.key] = 'is required';
  }
  return out;
}

/** The fields of a platform shown for a variant. */
export function visibleFields(platform: AnyPlatform, variant: string | null): Field[] {
  return platform.fields.filter((f) => !f.variants || (variant !== null && f.variants.includes(variant)));
}

/** "a=b, c=d" (or ';' or one per line) → { a: 'b', c: 'd' }; entries without '=' come back in `bad`. */
export function parseTags(text: string): { tags: Record<string, string>; bad: string[] } {
  const tags: Record<string, string> = {};
  const bad: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const item = part.trim();
    if (!item) continue;
    const i = item.indexOf('=');
    if (i <= 0) bad.push(item);
    else tags[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return { tags, bad };
}

/** The message for tags text with entries that are not key=value. */
export function tagsError(bad: string[]): string {
  return `write tags as key=value (not "${bad[0]}")`;
}

/**
 * The raw form values of the visible fields, shaped for the platform's zod schema: a field left
 * empty takes its shown default (the form shows it filled in), other empty values are dropped.
 */
export function formToAnswers(platform: AnyPlatform, variant: string | null, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of visibleFields(platform, variant)) {
    const value = raw[field.key] === undefined || raw[field.key] === '' ? field.default : raw[field.key];
    if (value === undefined || value === '') continue;
    out[field.key] = field.kind === 'tags' && typeof value === 'string' ? parseTags(value).tags : value;
  }
  return out;
}

/** One problem with answers: the dotted path of the field (`''` for the answers as a whole) and what is wrong. */
export interface AnswerIssue {
  path: string;
  message: string;
}

/** The outcome of validateAnswers: the answers as the platform's schema parsed them (or as shaped, when invalid) and the problems. */
export interface CheckedAnswers {
  ok: boolean;
  answers: Record<string, unknown>;
  issues: AnswerIssue[];
}

/**
 * The one validation of a platform's answers, for every front end. `from: 'form'` reads the
 * wizard's raw form values: a visible required field left empty, tags text with entries that are
 * not key=value, then formToAnswers; `from: 'answers'` takes answers as they are (a CLI answers
 * file, a fleet row, the Configs step's request). Both then go through the platform's schema. One
 * issue per path (the first found), in that order; a missing value reads 'is required'.
 */
export function validateAnswers(platform: AnyPlatform, variant: string | null, raw: Record<string, unknown>, from: 'form' | 'answers'): CheckedAnswers {
  const found = new Map<string, string>();
  if (from === 'form') {
    for (const [key, message] of Object.entries(missingRequired(platform, variant, raw))) found.set(key, message);
    for (const field of visibleFields(platform, variant)) {
      const value = raw[field.key];
      if (field.kind !== 'tags' || typeof value !== 'string') continue;
      const { bad } = parseTags(value);
      if (bad.length && !found.has(field.key)) found.set(field.key, tagsError(bad));
    }
  }
  const shaped = from === 'form' ? formToAnswers(platform, variant, raw) : raw;
  const parsed = platform.answers.safeParse(shaped);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.');
      if (!found.has(key)) found.set(key, issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message);
    }
  }
  const issues = [...found].map(([path, message]) => ({ path, message }));
  return { ok: issues.length === 0, answers: parsed.success ? (parsed.data as Record<string, unknown>) : shaped, issues };
}

/**
 * Issues in words for a message, the first `max`: the field's label, the rest of the path, the
 * problem (`Internal services (services) 0.url: must be a URL`): the label for the form, the key for
 * an --answers file or a fleet CSV column.
 */
export function describeAnswerIssues(platform: AnyPlatform, issues: readonly AnswerIssue[], max = 5): string[] {
  return issues.slice(0, max).map(({ path, message }) => {
    const [key = '', ...rest] = path ? path.split('.') : [];
    const label = platform.fields.find((f) => f.key === key)?.label;
    // The label for the form, and the key for an --answers file or a fleet CSV column.
    const name = label && label !== key ? `${label} (${key})` : key || 'answers';
    return `${name}${rest.length ? ` ${rest.join('.')}` : ''}: ${message}`;
  });
}
