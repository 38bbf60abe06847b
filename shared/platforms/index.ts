/** The platform catalogue: every supported platform, in the order the wizard shows them. */
import type { AnyPlatform, PlatformId } from './types';
import { armorcode } from './armorcode';
import { bambooRemote } from './bamboo-remote';
import { bambooElastic } from './bamboo-elastic';
import { buildkite } from './buildkite';
import { harness } from './harness';

export const PLATFORMS: readonly AnyPlatform[] = [armorcode, bambooRemote, bambooElastic, buildkite, harness];

/** The platform with this id, or undefined. */
export function getPlatform(id: string): AnyPlatform | undefined {
  return PLATFORMS.find((p) => p.id === id);
}

/** The catalogue as plain data (no functions or schemas), for the CLI's `platforms --json`. */
export function catalogue(): {
  id: PlatformId;
  name: string;
  summary: string;
  docs: { title: string; url: string }[];
  variants: { id: string; name: string }[];
  credential: string;
  steps: string[];
}[] {
  return PLATFORMS.map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    docs: p.docs,
    variants: p.variants,
    credential: p.credential.kind,
    steps: p.steps,
  }));
}
