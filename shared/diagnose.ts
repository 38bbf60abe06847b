/**
 * Recognises known failures in pasted log text, across every platform's `failures`. Log text is
 * normalised first: time stamps and wrapper prefixes are dropped and wrapped lines joined, so
 * "Security token is required … but none was\nprovided" still matches.
 */
import { PLATFORMS } from './platforms';
import type { FixAction, PlatformId } from './platforms/types';

export interface Diagnosis {
  platform: PlatformId;
  failure: { id: string; title: string; cause: string; fix: string; action?: FixAction };
  /** The part of the (normalised) log that matched, for the user to see why. */
  excerpt: string;
}

// Leading noise of one log line: ISO or slashed time stamps, Java-wrapper `LEVEL | jvm 1 | time |`
// columns, syslog "Mon DD HH:MM:SS host prog[pid]:" prefixes, bracketed levels.
const PREFIXES: RegExp[] = [
  /^\s*(INFO|WARN|WARNING|ERROR|STATUS|DEBUG|FATAL)\s*\|\s*/i,
  /^\s*jvm\s+\d+\s*\|\s*/i,
  /^\s*\[?\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s*\|?\s*/,
  /^\s*[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\S+\s+[\w./-]+(?:\[\d+\])?:\s*/,
  /^\s*\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\s+/,
];

/** One log line without its time stamp and level columns. */
export function stripLogPrefix(line: string): string {
  let out = line;
  for (let changed = true; changed;) {
    changed = false;
    for (const re of PREFIXES) {
      const next = out.replace(re, '');
      if (next !== out) {
        out = next;
        changed = true;
      }
    }
  }
  return out.trim();
}

/** The whole log as one line of text: prefixes dropped, lines joined with single spaces. */
export function normaliseLog(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map(stripLogPrefix).filter(Boolean).join(' ').replace(/\s+/g, ' ');
}

function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 60);
  const end = Math.min(text.length, index + length + 60);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * Every known failure found in `text`. With a platform given, its own failures are tried first
 * and the other platforms' only when it recognises nothing (the log may come from another
 * agent than the one selected), so a line never gets a second platform's reading beside the
 * right one. Each failure is reported once, with the first place it matched.
 */
export function diagnose(text: string, platformId?: PlatformId): Diagnosis[] {
  const joined = normaliseLog(text.slice(0, 2_000_000));
  if (!platformId) return PLATFORMS.flatMap((p) => matchPlatform(p, joined));
  const selected = PLATFORMS.filter((p) => p.id === platformId).flatMap((p) => matchPlatform(p, joined));
  return selected.length ? selected : PLATFORMS.filter((p) => p.id !== platformId).flatMap((p) => matchPlatform(p, joined));
}

function matchPlatform(platform: (typeof PLATFORMS)[number], joined: string): Diagnosis[] {
  const found: Diagnosis[] = [];
  for (const failure of platform.failures) {
    for (const pattern of failure.patterns) {
      const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
      const m = re.exec(joined);
      if (m) {
        const { id, title, cause, fix, action } = failure;
        found.push({
          platform: platform.id,
          failure: action ? { id, title, cause, fix, action } : { id, title, cause, fix },
          excerpt: excerptAround(joined, m.index, m[0].length),
        });
        break;
      }
    }
  }
  return found;
}
