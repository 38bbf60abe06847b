/**
 * Onboarding history: one entry per onboarding (platform, variant, when, where its files were
 * written, the bundle path), kept in the store under `history`. Entries never hold a secret: the
 * draft's credential id is dropped, and answers are scrubbed of anything that looks secret.
 */
import { z } from 'zod';
import { PLATFORM_IDS } from './platforms/types';

/** Most entries kept; older ones fall off. */
export const HISTORY_LIMIT = 200;

export const historyEntrySchema = z.object({
  id: z.string().regex(/^h_[A-Za-z0-9_-]{6,64}$/),
  platform: z.enum(PLATFORM_IDS),
  variant: z.string().max(64).nullable(),
  /** ISO time of the last change to this entry. */
  at: z.string().max(64),
  /** Where the wizard wrote the files, when it did. */
  outDir: z.string().max(4096).optional(),
  bundlePath: z.string().max(4096).optional(),
  /** The answers with secrets removed (used to reopen the onboarding as a new draft). */
  answers: z.record(z.string(), z.unknown()),
  /** For fleet bundles: how many agents. */
  agents: z.number().int().min(0).optional(),
  /** Files written in place outside an output folder (a token written into an existing install), absolute. */
  paths: z.array(z.string().max(4096)).max(200).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

// Named like a secret: a token, password, key… but not settings that merely mention one, such as
// Bamboo elastic's `httpTokens` (IMDSv2 required/optional) or a `tokenKind`.
const SECRET_KEY = /token|secret|password|passphrase|private|credential|apikey|api_key/i;
const NOT_SECRET_KEY = /^(httpTokens|tokenKind|tokenName)$/;

/** A URL's user:password@ part removed, so proxy credentials never reach the history or the draft. */
export function scrubString(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}

/**
 * The answers without secrets: keys named like a secret are dropped, credentials in URLs are
 * removed, private-key text and strings over 4 KiB are dropped. Nested objects and lists are
 * scrubbed the same way.
 */
export function scrubAnswers(value: unknown, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (typeof value === 'string') {
    if (value.length > 4096 || /PRIVATE KEY-----/.test(value)) return undefined;
    return scrubString(value);
  }
  if (Array.isArray(value)) return value.map((v) => scrubAnswers(v, depth + 1)).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && !NOT_SECRET_KEY.test(k)) continue;
      const s = scrubAnswers(v, depth + 1);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return typeof value === 'number' || typeof value === 'boolean' || value === null ? value : undefined;
}
