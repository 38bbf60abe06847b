/** The renderer's platform registry: which views replace the generic ones, and the Rotate page's placeholders. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import type * as Registry from '../../../../renderer/platforms';
import type * as Steps from '../../../../renderer/steps';

let registry: typeof Registry;
let steps: typeof Steps;
beforeAll(async () => {
  // The views import renderer/api.ts, which takes window.api at load; these tests never call it.
  vi.stubGlobal('window', { api: { invoke: () => Promise.reject(new Error('not in this test')), onJobEvent: () => () => undefined } });
  registry = await import('../../../../renderer/platforms');
  steps = await import('../../../../renderer/steps');
});

describe('renderer platform registry', () => {
  it('registers only platforms the catalogue has', () => {
    const ids = PLATFORMS.map((p) => p.id as string);
    expect(Object.keys(registry.RENDERER_PLATFORMS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('gives a variant its own step before the platform-wide one, and the generic step otherwise', () => {
    const existing = steps.stepView('configs', 'bamboo-remote', 'existing');
    expect(existing).toBe(registry.RENDERER_PLATFORMS['bamboo-remote']?.variantSteps?.existing?.configs);
    expect(existing).not.toBe(steps.STEP_VIEWS.configs);
    expect(steps.stepView('configs', 'bamboo-remote', 'installer')).toBe(steps.STEP_VIEWS.configs);
    expect(steps.stepView('done', 'bamboo-elastic', 'scp')).toBe(registry.RENDERER_PLATFORMS['bamboo-elastic']?.steps?.done);
    expect(steps.stepView('configs', 'buildkite', 'cfg')).toBe(steps.STEP_VIEWS.configs);
    expect(steps.stepView('details', null)).toBe(steps.STEP_VIEWS.details);
  });

  it('every override is a step the platform shows', () => {
    for (const [id, view] of Object.entries(registry.RENDERER_PLATFORMS)) {
      const platform = PLATFORMS.find((p) => p.id === id)!;
      const overridden = [...Object.keys(view.steps ?? {}), ...Object.values(view.variantSteps ?? {}).flatMap((s) => Object.keys(s))];
      expect(
        overridden.filter((s) => !platform.steps.includes(s as never)),
        id,
      ).toEqual([]);
      for (const variant of Object.keys(view.variantSteps ?? {}))
        expect(
          platform.variants.map((v) => v.id),
          id,
        ).toContain(variant);
    }
  });

  it('gives every platform whose installs can be rotated a paths placeholder', () => {
    const rotatable = PLATFORMS.filter((p) => p.credential.kind === 'token' && p.updaters.length > 0);
    expect(rotatable.length).toBeGreaterThan(0);
    for (const p of rotatable) expect(registry.rotationPlaceholder(p), p.id).toMatch(/^\//);
    expect(registry.rotationPlaceholder(undefined)).toBe('');
  });

  it('prefers the placeholder the platform itself gives', () => {
    const p = PLATFORMS.find((x) => x.id === 'buildkite')!;
    expect(registry.rotationPlaceholder({ ...p, rotation: { placeholder: '/srv/own' } })).toBe('/srv/own');
  });

  it('offers the ArmorCode port switch between the ports its server listens on', () => {
    expect(registry.platformView('armorcode').portAnswer).toEqual({ key: 'port', ports: [22, 443], default: 22 });
    expect(registry.platformView('harness').portAnswer).toBeUndefined();
  });
});
