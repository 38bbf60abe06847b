/**
 * Onboarding history: one entry per onboarding (platform, variant, when, where its files were
 * written, the bundle path), kept in the store under `history`. Entries never hold a secret: the
 * draft's credential id is dropped, and answers are scrubbed of anything that looks secret.
 */
import { z } from 'zod';
import { PLATFORM_IDS } from './platforms';
import { installRecordSchema } from './remote-contract';

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
  /**
   * An install on an agent host (the Install step, or a bundle from the Bundles page): the install
   * record undo works from (paths, modes, hashes, backups: no secret), the host's pin, and whether
   * it was seen online. One entry per host, port and install root: a later install there replaces it.
   */
  hostInstall: z
    .object({
      record: installRecordSchema,
      knownHosts: z.string().max(16384),
      online: z.boolean(),
      /** The hop not proven yet, in words, when it was not seen online. */
      leftAt: z.string().max(2000).optional(),
    })
    .optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

// Named like a secret: a token, password, key… but not settings that merely mention one, such as
// Bamboo elastic's `httpTokens` (IMDSv2 required/optional) or a `tokenKind`.
const SECRET_KEY = /token|secret|password|passphrase|private|credential|apikey|api_key/i;
const NOT_SECRET_KEY = /^(httpTokens|tokenKind|tokenName)$/;

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
/** Where a URL's authority (and so its user:password@ part) ends. */
const AUTHORITY_END = new Set(['/', '?', '#', '\n', '\r']);

/**
 * Credentials removed from a string, so proxy passwords never reach the history or the draft:
 * - in a URL, everything between `scheme://` and the last `@` of the authority (an `@` or a space
 *   in the password is taken; `http://u:p@ss@proxy` → `http://proxy`);
 * - without a scheme, `user:password@` at the start of a word (`alice:pw@proxy:3128` → `proxy:3128`).
 * Linear in the length of the string (one pass per rule, no backtracking regex): the renderer
 * saves the draft as the user types, so a large paste must not stall main.
 */
export function scrubString(value: string): string {
  if (!value.includes('@')) return value;
  return scrubBareCredentials(scrubUrlCredentials(value));
}

function scrubUrlCredentials(s: string): string {
  const n = s.length;
  // authEnd[i]: the first authority terminator at or after i; lastAt[i]: the last '@' before i.
  const authEnd = new Int32Array(n + 1);
  authEnd[n] = n;
  for (let i = n - 1; i >= 0; i--) authEnd[i] = AUTHORITY_END.has(s[i]!) ? i : authEnd[i + 1]!;
  const lastAt = new Int32Array(n + 1);
  lastAt[0] = -1;
  for (let i = 0; i < n; i++) lastAt[i + 1] = s[i] === '@' ? i : lastAt[i]!;
  let out = '';
  let from = 0;
  for (let i = s.indexOf('://'); i !== -1; i = s.indexOf('://', Math.max(i + 3, from))) {
    let j = i;
    while (j > from && SCHEME_CHAR.test(s[j - 1]!)) j--;
    while (j < i && !LETTER.test(s[j]!)) j++;
    const start = i + 3;
    const at = lastAt[authEnd[start]!]!;
    if (j === i || start < from || at < start) continue;
    out += s.slice(from, start);
    from = at + 1;
  }
  return out + s.slice(from);
}

/** `user:password@host` at the start of a word (no scheme), up to the last '@' before a '/'. */
function scrubBareCredentials(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    let end = i;
    while (end < s.length && !/\s/.test(s[end]!)) end++;
    const word = s.slice(i, end);
    out += scrubWord(word) + s.slice(end, end + 1);
    i = end + 1;
  }
  return out;
}

function scrubWord(word: string): string {
  const colon = word.indexOf(':');
  if (colon <= 0 || word.startsWith('://', colon)) return word;
  const slash = word.indexOf('/');
  const at = word.lastIndexOf('@', slash === -1 ? word.length : slash);
  const user = word.slice(0, colon);
  if (at <= colon || user.includes('@') || user.includes('/')) return word;
  return word.slice(at + 1);
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
