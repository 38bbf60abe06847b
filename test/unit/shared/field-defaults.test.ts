import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PLATFORMS } from '../../../shared/platforms';

describe('field defaults shown preselected in the Details form', () => {
  const withDefaults = PLATFORMS.flatMap((p) => p.fields.filter((f) => f.default !== undefined).map((f) => ({ p, f })));

  it('exist for the ArmorCode SSH port, the Bamboo agent OS and the elastic HttpTokens', () => {
    expect(withDefaults.map(({ p, f }) => `${p.id}.${f.key}=${f.default}`).sort()).toEqual(['armorcode.port=22', 'bamboo-elastic.httpTokens=optional', 'bamboo-remote.agentOs=linux']);
  });

  it.each(withDefaults.map(({ p, f }) => [`${p.id}.${f.key}`, p, f] as const))('%s equals what the answers schema uses when the field is empty, and is one of its options', (_name, p, f) => {
    const shape = (p.answers as unknown as z.ZodObject<Record<string, z.ZodType>>).shape;
    const schema = shape[f.key];
    expect(schema).toBeDefined();
    expect(String(schema!.parse(undefined))).toBe(f.default);
    if (f.options) expect(f.options.map((o) => o.value)).toContain(f.default);
  });
});
