/**
 * The time left on a short-lived token (a platform's TokenSpec.lifetime), for a countdown. Pure:
 * the clock is passed in, so tests and the renderer decide what "now" is.
 */
import type { TokenLifetime } from './platforms/types';

/** When a token of `kind` checked at `checkedAt` (ms since the epoch) expires; undefined when that kind does not expire. */
export function tokenExpiresAt(lifetime: TokenLifetime | undefined, kind: string, checkedAt: number): number | undefined {
  return lifetime && lifetime.kinds.includes(kind) ? checkedAt + lifetime.ms : undefined;
}

export interface TimeLeft {
  /** Whole seconds left (0 once expired). */
  seconds: number;
  /** ok: enough time; short: less than the warning margin; expired: too late to use it. */
  state: 'ok' | 'short' | 'expired';
  /** "42:05 left", "expired 3 minutes ago". */
  text: string;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** The time left until `expiresAt` at `now` (both ms since the epoch), judged against `warnMs`. */
export function timeLeft(expiresAt: number, now: number, warnMs: number): TimeLeft {
  const ms = expiresAt - now;
  if (ms <= 0) {
    const ago = Math.floor(-ms / 60_000);
    return { seconds: 0, state: 'expired', text: ago < 1 ? 'expired just now' : `expired ${ago} minute${ago === 1 ? '' : 's'} ago` };
  }
  const seconds = Math.ceil(ms / 1000);
  return { seconds, state: ms < warnMs ? 'short' : 'ok', text: `${clock(seconds)} left` };
}
