/** What every part of the bundle folder shares: the file to pack, the reading limits, name rules. */
import { checkEntryPath, collisionKey } from '../../../shared/bundle';
import { err, ok, type Result } from '../../../shared/result';

/** One file to pack. `path` is relative with '/' separators. */
export interface BundleFile {
  path: string;
  data: Uint8Array;
  /** Unix permission bits. */
  mode: number;
  secret: boolean;
  /** What makes it secret, in words (a private key, a token and where), when its content does. */
  secretBecause?: string[];
  description?: string;
}

/** Ceilings for reading a bundle (and for packing a folder). Sizes in bytes. */
export interface BundleLimits {
  /** Size of the zip file itself. */
  maxBundleBytes: number;
  maxEntries: number;
  /** Sum of all entries' inflated sizes, counted while inflating. */
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Largest inflated/compressed ratio accepted for an entry bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Agent configs are small: these leave two orders of magnitude of room and stop zip bombs. */
export const DEFAULT_LIMITS: BundleLimits = {
  maxBundleBytes: 64 * 1024 * 1024,
  maxEntries: 2000,
  maxTotalBytes: 128 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export function enc(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function decodeText(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(data);
}

/** Strict UTF-8 (names and the manifest must be exactly what was written). */
export const utf8 = new TextDecoder('utf-8', { fatal: true });

export const HOSTILE_HINT = 'The bundle was not made by Agent Onboard or was tampered with: do not use it.';

/** BUNDLE_INVALID for a hostile or malformed bundle: nothing is unpacked from it. */
export function invalid(message: string): Result<never> {
  return err('BUNDLE_INVALID', `${message}; nothing was unpacked.`, HOSTILE_HINT);
}

/** Refuses unsafe names, reserved names, duplicates and a file that is also a folder of another. */
export function checkFileSet(paths: string[]): Result<true> {
  const keys = new Map<string, string>();
  for (const p of paths) {
    const checked = checkEntryPath(p);
    if (!checked.ok) return checked;
    const key = collisionKey(p);
    const clash = keys.get(key);
    if (clash !== undefined)
      return err(
        'BUNDLE_INVALID',
        `The bundle names ${JSON.stringify(p)} twice${clash !== p ? ` (as ${JSON.stringify(clash)}: the same file on case-insensitive disks)` : ''}; nothing was unpacked.`,
        HOSTILE_HINT,
      );
    keys.set(key, p);
  }
  for (const [key, p] of keys) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (keys.has(dir))
        return err(
          'BUNDLE_INVALID',
          `The bundle has both a file ${JSON.stringify(keys.get(dir))} and a file inside it (${JSON.stringify(p)}); nothing was unpacked.`,
        );
    }
  }
  return ok(true);
}
