/**
 * The answers keys of a platform, documented from the zod schema that validates them: type,
 * required or optional, default (from the schema's `.default()`), and the description and
 * example each field carries in its `.meta()`. One source for `generate --help`,
 * `platforms --json` and validation, so they cannot drift apart.
 */
import { z } from 'zod';

/** The metadata each answers field carries: what it is, and one value that validates. */
export function doc(description: string, example: unknown): { description: string; examples: unknown[] } {
  return { description, examples: [example] };
}

/** One key of an answers file. Nested keys are named like `services[].name`. */
export interface AnswerKey {
  key: string;
  /** e.g. "string", "integer", "one of linux | macos | windows", "list of objects", "object of names to strings". */
  type: string;
  required: boolean;
  default?: unknown;
  example?: unknown;
  description?: string;
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
  description?: string;
  examples?: unknown[];
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return `one of ${s.enum.map(String).join(' | ')}`;
  if (s.type === 'array') return s.items?.type === 'object' ? 'list of objects' : `list of ${s.items?.type ?? 'values'}s`;
  if (s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object')
    return `object of names to ${s.additionalProperties.type ?? 'value'}s`;
  return s.type ?? 'any';
}

function keysOf(s: JsonSchema, prefix: string): AnswerKey[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([name, p]) => {
    const key = `${prefix}${name}`;
    const entry: AnswerKey = {
      key,
      type: typeOf(p),
      required: required.has(name),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.examples?.length ? { example: p.examples[0] } : {}),
      ...(p.description ? { description: p.description } : {}),
    };
    const nested = p.type === 'array' && p.items?.type === 'object' ? keysOf(p.items, `${key}[].`) : [];
    return [entry, ...nested];
  });
}

/** The keys of an answers schema (an object schema), in declaration order. */
export function answersKeys(schema: z.ZodType): AnswerKey[] {
  // io 'input': what the file may hold (keys with a default are optional); refinements and
  // transforms are not representable and are left out, which is fine for documentation.
  return keysOf(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '');
}

/** A value as it is written in a JSON answers file. */
function json(v: unknown): string {
  return JSON.stringify(v);
}

/** The keys as text for `--help`: one line each, then its description. */
export function answersKeysText(keys: AnswerKey[], indent = '    '): string {
  return keys
    .map((k) => {
      const facts = [
        k.type,
        k.required ? 'required' : 'optional',
        ...(k.default !== undefined ? [`default ${json(k.default)}`] : []),
        ...(k.example !== undefined ? [`e.g. ${json(k.example)}`] : []),
      ];
      return `${indent}${k.key}: ${facts.join(', ')}${k.description ? `\n${indent}  ${k.description}` : ''}`;
    })
    .join('\n');
}
