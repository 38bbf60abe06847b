/**
 * The renderer's platform registry: the one place in renderer/ that names platforms. A platform
 * that needs views of its own (a step, a picture, a hint) keeps them in renderer/platforms/<id>/
 * and is listed here; every other platform gets the generic wizard and pages.
 */
import type { AnyPlatform, PlatformId, StepId } from '../../shared/platforms/types';
import type { StepView } from '../steps/types';
import { armorcodeView } from './armorcode';
import { bambooElasticView } from './bamboo-elastic';
import { bambooRemoteView } from './bamboo-remote';
import { gitlabRunnerView } from './gitlab-runner';
import type { RendererPlatform } from './types';

export type { ConfigsDiagram, PathHint, RendererPlatform } from './types';

export const RENDERER_PLATFORMS: Partial<Record<PlatformId, RendererPlatform>> = {
  armorcode: armorcodeView,
  'bamboo-remote': bambooRemoteView,
  'bamboo-elastic': bambooElasticView,
  'gitlab-runner': gitlabRunnerView,
};

/** What the renderer adds for this platform (nothing for a platform without views of its own). */
export function platformView(id: PlatformId | null | undefined): RendererPlatform {
  return (id ? RENDERER_PLATFORMS[id] : undefined) ?? {};
}

/** The view a platform (and variant) shows for a step instead of the generic one, if any. */
export function stepOverride(step: StepId, platform: PlatformId | null, variant?: string | null): StepView | undefined {
  const view = platformView(platform);
  return (variant ? view.variantSteps?.[variant]?.[step] : undefined) ?? view.steps?.[step];
}

// Until every platform says where its installs live (Platform.rotation in shared/platforms), the
// Rotate page's placeholder falls back to these.
const ROTATION_PLACEHOLDERS: Partial<Record<PlatformId, string>> = {
  buildkite: '/etc/buildkite-agent',
  'bamboo-remote': '/opt/bamboo-agent-home',
  harness: '/srv/harness-delegate',
};

/** The Rotate page's paths placeholder: where an install of this platform usually lives. */
export function rotationPlaceholder(platform: AnyPlatform | undefined): string {
  if (!platform) return '';
  return platform.rotation?.placeholder ?? ROTATION_PLACEHOLDERS[platform.id] ?? '';
}
