/**
 * Which platform a folder of agent files belongs to, from the files themselves: each file a
 * platform's updaters recognise, or that names the platform's own programs, counts for it. Used
 * to label a bundle packed from a folder, instead of whatever platform the wizard has open.
 */
import { PLATFORMS } from './index';
import type { PlatformId } from './types';

/** What only this platform's files say (its programs, images, variables). */
const SIGNS: Partial<Record<PlatformId, RegExp>> = {
  armorcode: /armorcode/i,
  'bamboo-remote': /atlassian-bamboo-agent-installer|bamboo-agent-home|\/agentServer\b|wrapper\.app\.parameter/,
  buildkite: /\bbuildkite-agent\b|\bBUILDKITE_AGENT_TOKEN\b|agent-stack-k8s/,
  harness: /\bDELEGATE_TOKEN\b|harness\/delegate|harness-delegate|\bdelegateToken\b/,
};

export interface Recognised {
  /** The platform, or null when no file says, or two platforms say it equally. */
  platform: PlatformId | null;
  /** Files that count, per platform (most first). */
  votes: { platform: PlatformId; files: string[] }[];
}

/** Recognises the platform of `files` (path relative to the folder, text or its start). */
export function recognisePlatform(files: readonly { path: string; text: string }[]): Recognised {
  const votes = new Map<PlatformId, string[]>();
  for (const f of files) {
    if (f.text.includes('\u0000') || /(^|\/)(README[^/]*\.md|manifest\.json|connectivity-report\.txt)$/i.test(f.path)) continue;
    for (const p of PLATFORMS) {
      const detected = p.updaters.some((u) => {
        try {
          return u.detect(f.path, f.text);
        } catch {
          return false;
        }
      });
      if (detected || SIGNS[p.id]?.test(f.text)) votes.set(p.id, [...(votes.get(p.id) ?? []), f.path]);
    }
  }
  const ranked = [...votes].map(([platform, list]) => ({ platform, files: list })).sort((a, b) => b.files.length - a.files.length);
  const top = ranked[0];
  const tie = top && ranked[1] && ranked[1].files.length === top.files.length;
  return { platform: top && !tie ? top.platform : null, votes: ranked };
}
