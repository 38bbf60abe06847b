/**
 * From the wizard's raw form values to a platform's answers: which fields a variant shows, tags
 * text to a record. The renderer (Details step, previews) and main (bundle export, fleets) shape
 * answers the same way through these.
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
