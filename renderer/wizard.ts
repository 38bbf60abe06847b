/** Wizard state helpers: which steps a platform needs, and form values → answers. */
import type { Draft } from '../shared/ipc';
import { getPlatform } from '../shared/platforms';
import { STEP_IDS, type AnyPlatform, type StepId } from '../shared/platforms/types';
import { formToAnswers, parseTags, validateAnswers, visibleFields } from '../shared/answers';

export { formToAnswers, parseTags, visibleFields };

export const EMPTY_DRAFT: Draft = { platform: null, variant: null, step: 'platform', answers: {} };

export const STEP_TITLES: Record<StepId, string> = {
  platform: 'Platform',
  details: 'Details',
  credentials: 'Credentials',
  connectivity: 'Connectivity',
  configs: 'Configs',
  export: 'Export',
  done: 'Done',
};

/** The steps shown for a draft: all of them until a platform is chosen, then the platform's. */
export function stepsFor(draft: Draft): StepId[] {
  const platform = draft.platform ? getPlatform(draft.platform) : undefined;
  if (!platform) return [...STEP_IDS];
  return STEP_IDS.filter((s) => platform.steps.includes(s));
}

/** Field path → message, from validating the form with the one answers validation (shared/answers). */
export function validateDetails(platform: AnyPlatform, variant: string | null, raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(validateAnswers(platform, variant, raw, 'form').issues.map((i) => [i.path, i.message]));
}

/** The words for an error key: a field's label (with the row number for list rows), or the key. */
export function labelFor(platform: AnyPlatform | undefined, key: string): string {
  if (key === 'platform') return 'Platform';
  if (key === 'variant') return 'Variant';
  if (key === 'outDir') return 'Folder';
  const [head, row, sub] = key.split('.');
  const field = platform?.fields.find((f) => f.key === head);
  if (!field) return key;
  if (row === undefined) return field.label;
  const subField = field.fields?.find((f) => f.key === sub);
  return `${field.label} ${Number(row) + 1}${subField ? ` ${subField.label}` : ''}`;
}
