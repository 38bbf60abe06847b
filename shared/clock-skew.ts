/**
 * Clock skew from an HTTP answer: the server's `Date` header (RFC 9110 §6.6.1) against this
 * host's clock when the answer arrived. Token agents (Harness delegates sign JWTs with
 * exp = iat + 600 s; Buildkite and Bamboo agents check tokens and certificates by time) fail
 * with misleading auth errors when the host's clock is off, so the probe measures it on every
 * HTTP answer. Pure: the probe passes in the header and its own times.
 */
import { z } from 'zod';

/**
 * The skew beyond which the probe warns, in ms (2 minutes). Why 2 minutes: JWT validators allow
 * little leeway — jjwt and golang-jwt none by default, Spring Security 60 s, Microsoft's
 * IdentityModel and Kerberos 5 min — so a host 2 minutes off already issues tokens "from the
 * future" (iat/nbf) or already expired for most of them, and a Harness delegate's 600 s token
 * loses a fifth of its life. A host that syncs its time (NTP, chrony, timesyncd, w32time) is off
 * by milliseconds, so 2 minutes is never normal; it is also far above the error of the
 * measurement (the header's 1 s resolution and half the round trip, which are subtracted first)
 * and above the drift of a server's own clock, so the warning does not blame a good host.
 */
export const CLOCK_SKEW_WARN_MS = 2 * 60 * 1000;

/** What one HTTP answer tells about this host's clock. */
export const clockFactsSchema = z.object({
  /** This host's clock minus the server's, in ms: positive = this host is ahead, negative = behind. */
  skewMs: z.number(),
  /** How far off skewMs may be, in ms: half the round trip plus the header's 1 s resolution (and Age's). */
  uncertaintyMs: z.number(),
  /** The Date header as the server sent it. */
  serverDate: z.string().max(64),
  /** This host's time (ISO) when the answer arrived. */
  localAt: z.string().max(64),
});
export type ClockFacts = z.infer<typeof clockFactsSchema>;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const MON = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
// asctime "Sun Nov  6 08:49:37 1994": the three forms RFC 9110 says a recipient must accept.
const IMF = new RegExp(`^${DAY}, (\\d{2}) ${MON} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850 = new RegExp(`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\\d{2})-${MON}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME = new RegExp(`^${DAY} ${MON} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mon = MONTHS.indexOf(month.toLowerCase());
  if (mon < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const t = Date.UTC(year, mon, day, h, m, Math.min(s, 59));
  // 31 Feb and the like roll over into the next month: not a date.
  return new Date(t).getUTCDate() === day ? t : undefined;
}

/**
 * An HTTP date (IMF-fixdate, RFC 850 or asctime) as ms since the epoch, or undefined when the
 * text is none of them. Strict on purpose: Date.parse accepts almost anything ("1" is 2001).
 */
export function parseHttpDate(text: string): number | undefined {
  const v = text.trim();
  let m = IMF.exec(v);
  if (m) return utc(Number(m[3]), m[2] as string, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850.exec(v);
  if (m) {
    // Two-digit years: RFC 9110 says one more than 50 years in the future is in the past century.
    const yy = Number(m[3]);
    const year = 2000 + yy > new Date().getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return utc(year, m[2] as string, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(v);
  if (m) return utc(Number(m[6]), m[1] as string, Number((m[2] as string).trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** What the probe saw of one HTTP exchange. */
export interface ClockSample {
  /** The Date header, if any. */
  date?: string | undefined;
  /** The Age header, if any (a cache's answer is older than its Date by that many seconds). */
  age?: string | undefined;
  /** This host's wall clock (ms since the epoch) when the request was sent. */
  sentAt: number;
  /** Time from sending the request to the answer's head, in ms (from a monotonic clock). */
  rttMs: number;
}

/**
 * This host's clock against the server's, or undefined when the answer has no Date header or
 * an unparsable one. The server wrote Date somewhere between sending and receiving, truncated
 * to the second: the estimate is the middle of both ranges, and the uncertainty half of each.
 */
export function measureClock(s: ClockSample): ClockFacts | undefined {
  if (s.date === undefined) return undefined;
  const server = parseHttpDate(s.date);
  if (server === undefined || !Number.isFinite(s.sentAt) || !(s.rttMs >= 0)) return undefined;
  const age = s.age !== undefined && /^\s*\d{1,9}\s*$/.test(s.age) ? Number(s.age) : undefined;
  const serverNow = server + 500 + (age ?? 0) * 1000 + (age === undefined ? 0 : 500);
  const localMid = s.sentAt + s.rttMs / 2;
  return {
    skewMs: Math.round(localMid - serverNow),
    uncertaintyMs: Math.round(s.rttMs / 2 + 500 + (age === undefined ? 0 : 500)),
    serverDate: s.date.trim().slice(0, 64),
    localAt: new Date(s.sentAt + s.rttMs).toISOString(),
  };
}

/** True when the skew is beyond CLOCK_SKEW_WARN_MS even after the measurement's uncertainty is taken off. */
export function clockSkewed(c: Pick<ClockFacts, 'skewMs' | 'uncertaintyMs'>, thresholdMs = CLOCK_SKEW_WARN_MS): boolean {
  return Math.abs(c.skewMs) - c.uncertaintyMs > thresholdMs;
}

/** A duration for people: "10 min 3 s", "45 s", "1.2 s", "2 h 5 min". */
export function formatSkew(ms: number): string {
  const a = Math.abs(ms);
  if (a < 10_000) return `${(a / 1000).toFixed(1)} s`;
  const s = Math.round(a / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.round(s / 86_400)} days`;
}

/** One line about the clock: "this host's clock is 10 min ahead of the server's (±0.5 s)". */
export function describeClock(c: Pick<ClockFacts, 'skewMs' | 'uncertaintyMs'>, server = "the server's", local = "this host's clock"): string {
  const within = `±${formatSkew(c.uncertaintyMs)}`;
  if (Math.abs(c.skewMs) <= c.uncertaintyMs) return `${local} agrees with ${server} (${within})`;
  return `${local} is ${formatSkew(c.skewMs)} ${c.skewMs > 0 ? 'ahead of' : 'behind'} ${server} (${within})`;
}
