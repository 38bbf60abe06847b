/**
 * Which platform a folder of agent files belongs to, from the files themselves: each file a
 * platform's updaters recognise, or that has the platform's own sign (`recognise`: its programs,
 * images, variables), counts for it. Used to label a bundle packed from a folder, instead of
 * whatever platform the wizard has open; and which platform and variant a folder the generator
 * wrote is (`recogniseGenerated`), for installing it.
 */
import { PLATFORMS } from './index';
import type { PlatformId } from './types';

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
      if (detected || p.recognise?.test(f.text)) votes.set(p.id, [...(votes.get(p.id) ?? []), f.path]);
    }
  }
  const ranked = [...votes].map(([platform, list]) => ({ platform, files: list })).sort((a, b) => b.files.length - a.files.length);
  const top = ranked[0];
  const tie = top && ranked[1] && ranked[1].files.length === top.files.length;
  return { platform: top && !tie ? top.platform : null, votes: ranked };
}

/** The platform and variant of a folder the generator wrote, when exactly one platform says it is its own. */
export function recogniseGenerated(files: readonly { path: string; text: string }[]): { platform: PlatformId; variant: string } | undefined {
  const found = PLATFORMS.flatMap((p) => {
    const variant = p.recogniseGenerated?.(files);
    return variant ? [{ platform: p.id, variant }] : [];
  });
  return found.length === 1 ? found[0] : undefined;
}
