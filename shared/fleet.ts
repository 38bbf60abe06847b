/**
 * Fleets: one bundle per agent from a CSV. The CSV is parsed in main (csv-parse); this file turns
 * one parsed row into that agent's answers: the wizard's answers are the template and each column
 * overrides the field of the same key. Reserved columns: `name` (required; the bundle's name),
 * `host` (the agent's host, for the README; also the `host` field when the platform has one) and
 * `variant` (overrides the wizard's variant).
 */
import type { AnyPlatform, Field } from './platforms/types';
import { isHost } from './validate';
import { describeAnswerIssues, parseTags, tagsError, validateAnswers } from './answers';

/** Most agents one fleet run packs. */
export const FLEET_LIMIT = 1000;
export const RESERVED_COLUMNS = ['name', 'host', 'variant'] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** One CSV row: its line number in the file and its cells by column. */
export interface FleetRow {
  line: number;
  cells: Record<string, string>;
}

/** What a row becomes: the agent, its variant and answers, or the reasons it cannot. */
export interface FleetAgent {
  line: number;
  name: string;
  host?: string;
  variant: string | null;
  answers: Record<string, unknown>;
  /** The cells of the export's extra columns (trimmed), by column. */
  extra: Record<string, string>;
  errors: string[];
}

/**
 * The draft's raw form values as the platform's answers (what the Details step shows, converted
 * like the renderer does: hidden fields and empty values dropped, tags text → record), validated
 * by the one answers validation (validateAnswers). Used wherever a draft is generated from
 * (bundle export, fleet template, the Export step).
 */
export function draftAnswers(
  platform: AnyPlatform,
  variant: string | null,
  raw: Record<string, unknown>,
): { answers: Record<string, unknown>; errors: string[] } {
  const checked = validateAnswers(platform, variant, raw, 'form');
  return { answers: checked.answers, errors: describeAnswerIssues(platform, checked.issues) };
}

/**
 * The canonical key of a CSV column: a reserved column, one of `extra` (columns an export adds,
 * e.g. the Ansible connection columns) or a field key, matched without case.
 */
export function resolveColumn(platform: AnyPlatform, column: string, extra: readonly string[] = []): string | undefined {
  const wanted = column.trim().toLowerCase();
  const reserved = RESERVED_COLUMNS.find((r) => r === wanted) ?? extra.find((r) => r === wanted);
  return reserved ?? platform.fields.find((f) => f.key.toLowerCase() === wanted)?.key;
}

/**
 * Column problems that affect every row: unknown columns, a missing `name`. A list field (e.g.
 * ArmorCode's services) is a JSON array in its cell.
 */
export function checkColumns(platform: AnyPlatform, columns: string[], extra: readonly string[] = []): string[] {
  const problems: string[] = [];
  const keys = columns.map((c) => resolveColumn(platform, c, extra));
  if (!keys.includes('name')) problems.push('the CSV needs a "name" column (one agent per row)');
  const seen = new Set<string>();
  columns.forEach((column, i) => {
    const key = keys[i];
    if (!key) {
      problems.push(
        `unknown column "${column}": ${platform.name} has ${platform.fields
          .map((f) => f.key)
          .concat(extra)
          .join(', ')}`,
      );
      return;
    }
    if (seen.has(key)) problems.push(`the column "${column}" appears twice`);
    seen.add(key);
  });
  return problems;
}

function cellValue(field: Field, cell: string): { value?: unknown; error?: string } {
  if (field.kind === 'tags') {
    const { tags, bad } = parseTags(cell);
    return bad.length ? { error: `${field.label}: ${tagsError(bad)}` } : { value: tags };
  }
  if (field.kind === 'list') {
    const example = `[{${(field.fields ?? []).map((f) => `"${f.key}": …`).join(', ')}}]`;
    try {
      const value: unknown = JSON.parse(cell);
      return Array.isArray(value) ? { value } : { error: `${field.label}: must be a JSON list like ${example}` };
    } catch {
      return { error: `${field.label}: must be a JSON list like ${example} (quote the cell and double its quotes in the CSV)` };
    }
  }
  return { value: cell };
}

/**
 * One row → the agent's answers, validated by the platform's schema. Empty cells keep the
 * template's value. Errors name the row's line and the field.
 */
export function rowToAgent(
  platform: AnyPlatform,
  template: { variant: string | null; answers: Record<string, unknown> },
  row: FleetRow,
  extraColumns: readonly string[] = [],
): FleetAgent {
  const errors: string[] = [];
  const cells: Record<string, string> = {};
  for (const [column, raw] of Object.entries(row.cells)) {
    const key = resolveColumn(platform, column, extraColumns);
    if (key && !(key in cells)) cells[key] = raw.trim();
  }
  const name = cells.name ?? '';
  if (!NAME.test(name)) errors.push(`name "${name.slice(0, 80)}" must be letters, digits, ".", "_" or "-" (max 63), starting with a letter or digit`);
  const host = cells.host || undefined;
  if (host !== undefined && !isHost(host)) errors.push(`host "${host.slice(0, 80)}" is not a host name or IP address`);
  const variant = cells.variant || template.variant;
  if (platform.variants.length && !platform.variants.some((v) => v.id === variant))
    errors.push(`variant "${variant ?? ''}" is not one of ${platform.variants.map((v) => v.id).join(', ')}`);
  const answers: Record<string, unknown> = { ...template.answers };
  for (const [key, cell] of Object.entries(cells)) {
    const field = platform.fields.find((f) => f.key === key);
    if (!field || cell === '') continue;
    const { value, error } = cellValue(field, cell);
    if (error) errors.push(error);
    else answers[key] = value;
  }
  const checked = validateAnswers(platform, variant ?? null, answers, 'answers');
  errors.push(...describeAnswerIssues(platform, checked.issues));
  return {
    line: row.line,
    name,
    ...(host ? { host } : {}),
    variant: variant ?? null,
    answers: checked.answers,
    extra: Object.fromEntries(extraColumns.filter((c) => c in cells).map((c) => [c, cells[c]!])),
    errors,
  };
}
