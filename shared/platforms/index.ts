/** The platform catalogue: every supported platform, in the order the wizard shows them. */
import type { AnyPlatform, VendorServiceSpec } from './types';
import { answersKeys, type AnswerKey } from './answers-doc';
import { armorcode } from './armorcode';
import { bambooRemote } from './bamboo-remote';
import { bambooElastic } from './bamboo-elastic';
import { buildkite } from './buildkite';
import { harness } from './harness';
import { githubActions } from './github-actions';
import { bambooRemoteChannels } from './bamboo-remote/contract';
import { bambooElasticChannels } from './bamboo-elastic/contract';

/** Every platform's id, in the wizard's order: the union every schema and record uses (`PlatformId`). */
export const PLATFORM_IDS = ['armorcode', 'bamboo-remote', 'bamboo-elastic', 'buildkite', 'harness', 'github-actions'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

/** The platforms, in the order of PLATFORM_IDS (a unit test holds the two to the same order). */
export const PLATFORMS: readonly AnyPlatform[] = [armorcode, bambooRemote, bambooElastic, buildkite, harness, githubActions];

/** The IPC channels platforms declare in their folders (`contract.ts`), joined into the contract by shared/ipc.ts. */
export const platformChannels = { ...bambooRemoteChannels, ...bambooElasticChannels };
export type PlatformChannels = typeof platformChannels;

/** The platform with this id, or undefined. */
export function getPlatform(id: string): AnyPlatform | undefined {
  return PLATFORMS.find((p) => p.id === id);
}

/** The vendor service with this id (a platform's `services`, named by `Endpoint.service`), or undefined. */
export function vendorService(id: string): VendorServiceSpec | undefined {
  for (const p of PLATFORMS) {
    const found = p.services?.find((s) => s.id === id);
    if (found) return found;
  }
  return undefined;
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
  /** The keys of the --answers file, documented from the schema that validates them. */
  answers: AnswerKey[];
}[] {
  return PLATFORMS.map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    docs: p.docs,
    variants: p.variants,
    credential: p.credential.kind,
    steps: p.steps,
    answers: answersKeys(p.answers),
  }));
}
