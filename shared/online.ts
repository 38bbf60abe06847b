/**
 * Reads "is it online?" from what the agent host shows: the platform's online signals matched in
 * its log (the latest attempt only), failure lines recognised by the same engine as Diagnostics
 * and placed at the hop where they happened, health-endpoint answers, and the vendor APIs' agent
 * lists. Pure: the main process fetches the text, this decides.
 */
import { diagnose, stripLogPrefix, type Diagnosis } from './diagnose';
import { getPlatform } from './platforms';
import { HOP_IDS, type HopId, type OnlineSignal, type PlatformId, type VendorApi } from './platforms/types';

export type HopState = 'passed' | 'failed' | 'waiting' | 'holding' | 'pending' | 'not-checked';

/** One hop of the way to online, as the watcher and the CLI show it. */
export interface HopReport {
  hop: HopId;
  state: HopState;
  /** What proved it, what failed, or what is awaited, in words. */
  detail: string;
  /** The log line (prefix stripped) that proved or failed it. */
  line?: string;
  /** The known failure, for failed hops that a failure line explains. */
  failure?: Diagnosis['failure'];
}

/** What the log says about the latest attempt. */
export interface LogReading {
  hops: HopReport[];
  /** The agent's resolved name, from a signal that captures it (for the vendor check). */
  name?: string;
  /** How many attempts (started lines) the log shows; a change means the agent restarted. */
  attempt: number;
}

/** Hop names as people read them. */
export const HOP_TITLES: Record<HopId, string> = {
  ssh: 'SSH to the host',
  files: 'Files in place',
  started: 'Service started',
  'stayed-up': 'Process stayed up',
  registered: 'Registered with the server',
  connected: 'Connected',
  vendor: 'Confirmed by the vendor',
};

const MAX_LINES = 5_000;

function logSignals(platform: PlatformId): Extract<OnlineSignal, { kind: 'log' }>[] {
  return (getPlatform(platform)?.online ?? []).filter((s): s is Extract<OnlineSignal, { kind: 'log' }> => s.kind === 'log');
}

/** The hops a platform's log can prove, in order (the ones before 'started' are the installer's). */
export function logHops(platform: PlatformId): HopId[] {
  const have = new Set(logSignals(platform).map((s) => s.hop));
  return HOP_IDS.filter((h) => have.has(h));
}

interface Match {
  signal: Extract<OnlineSignal, { kind: 'log' }>;
  index: number;
  line: string;
  m: RegExpExecArray;
}

function firstFailure(lines: string[], from: number, platform: PlatformId): { index: number; diagnosis: Diagnosis } | undefined {
  for (let i = from; i < lines.length; i++) {
    const found = diagnose(lines[i]!, platform)[0];
    if (found) return { index: i, diagnosis: found };
  }
  return undefined;
}

/** Hops proven by something other than the log (the service state), with what proved them. */
export type Proven = Partial<Record<HopId, string>>;

function readWindow(lines: string[], start: number, platform: PlatformId, proven: Proven = {}): { hops: HopReport[]; name?: string; failedAt?: number } {
  const signals = logSignals(platform);
  const hops = logHops(platform);
  const matches = new Map<HopId, Match>();
  let name: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const signal of signals) {
      // The process staying up spans ssh restarts inside it (autossh), so it is read from the whole
      // log (its latest line); every other hop must be proven again by the latest attempt.
      const whole = signal.hop === 'stayed-up';
      if (i < start && !whole) continue;
      if (matches.has(signal.hop) && !signal.name && !whole) continue;
      const m = signal.pattern.exec(line);
      if (!m) continue;
      if (!matches.has(signal.hop) || whole) matches.set(signal.hop, { signal, index: i, line, m });
      if (signal.name !== undefined && m[signal.name]) name = m[signal.name];
    }
  }
  const failure = firstFailure(lines, start, platform);
  // A failure line belongs to the hop the failure names (a refused key fails 'registered' even
  // before supervisord saw the process stay up); otherwise to the hop after the last one proven
  // before it (a held hop is not proven until it held, so a failure after its line fails it).
  let failIdx = -1;
  const namedHop = failure ? getPlatform(platform)?.failures.find((f) => f.id === failure.diagnosis.failure.id)?.hop : undefined;
  if (namedHop && hops.includes(namedHop)) failIdx = hops.indexOf(namedHop);
  else if (failure) {
    let last = -1;
    hops.forEach((hop, i) => {
      const m = matches.get(hop);
      if (m && (m.index < failure.index || hop === 'stayed-up') && !m.signal.holdMs) last = i;
    });
    failIdx = Math.min(last + 1, hops.length - 1);
  }
  const out: HopReport[] = [];
  let blocked = false;
  hops.forEach((hop, i) => {
    const match = matches.get(hop);
    if (failure && i === failIdx) {
      const f = failure.diagnosis.failure;
      out.push({ hop, state: 'failed', detail: `${f.title}: ${f.fix}`, line: lines[failure.index], failure: f });
      blocked = true;
      return;
    }
    if (blocked) {
      out.push({ hop, state: 'not-checked', detail: 'waits for the hop before it' });
      return;
    }
    if (!match && proven[hop]) {
      out.push({ hop, state: 'passed', detail: proven[hop] });
      return;
    }
    if (!match) {
      out.push({ hop, state: 'waiting', detail: `waiting for ${describe(signals.filter((s) => s.hop === hop))}` });
      if (!failure) blocked = true;
      return;
    }
    if (match.signal.pending) {
      out.push({ hop, state: 'pending', detail: match.signal.meaning, line: match.line });
      blocked = true;
      return;
    }
    if (match.signal.holdMs) {
      out.push({ hop, state: 'holding', detail: `${match.signal.meaning} — watching`, line: match.line });
      blocked = true;
      return;
    }
    out.push({ hop, state: 'passed', detail: match.signal.meaning, line: match.line });
  });
  return { hops: out, ...(name ? { name } : {}), ...(failure ? { failedAt: failure.index } : {}) };
}

function describe(signals: OnlineSignal[]): string {
  return signals.map((s) => (s.kind === 'log' ? `"${s.pattern.source.replace(/\\/g, '').slice(0, 70)}"` : s.meaning)).join(' or ') || 'its signal';
}

/**
 * Reads a log (journalctl, docker logs, a log file, supervisord's log, pasted kubectl logs) for the
 * platform's online signals. Only the latest attempt counts (from the last 'started' line): an
 * agent that restarted must prove itself again. When the latest attempt has not got past its
 * first hop and the one before it failed, that failure is reported (a restart loop shows the
 * reason, not just "starting").
 */
export function readOnlineLog(platform: PlatformId, text: string, proven: Proven = {}): LogReading {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const lines = all.slice(-MAX_LINES).map(stripLogPrefix).filter(Boolean);
  const signals = logSignals(platform);
  const startedIdx: number[] = [];
  lines.forEach((line, i) => {
    if (signals.some((s) => s.hop === 'started' && s.pattern.test(line))) startedIdx.push(i);
  });
  const start = startedIdx.at(-1) ?? 0;
  const current = readWindow(lines, start, platform, proven);
  let name = current.name;
  const progressed = current.hops.some((h) => h.hop !== 'started' && h.hop !== 'stayed-up' && (h.state === 'passed' || h.state === 'holding'));
  const prevStart = startedIdx.at(-2);
  if (!progressed && current.failedAt === undefined && prevStart !== undefined) {
    const previous = readWindow(lines.slice(0, start), prevStart, platform, proven);
    name ??= previous.name;
    if (previous.failedAt !== undefined) {
      const hops = previous.hops.map((h) =>
        h.state === 'failed' ? { ...h, detail: `the last attempt failed here, and the agent is retrying. ${h.detail}` } : h,
      );
      return { hops, attempt: startedIdx.length, ...(name ? { name } : {}) };
    }
  }
  return { hops: current.hops, attempt: startedIdx.length, ...(name ? { name } : {}) };
}

/** True when every hop the log can prove has passed. */
export function logSaysOnline(reading: LogReading): boolean {
  return reading.hops.length > 0 && reading.hops.every((h) => h.state === 'passed');
}

/**
 * A log read once (pasted `kubectl logs`, `verify --log -`): online when every hop it can prove
 * passed or holds at its end, since nothing more will be watched.
 */
export function pastedLogSaysOnline(reading: LogReading): boolean {
  return reading.hops.length > 0 && reading.hops.every((h) => h.state === 'passed' || h.state === 'holding');
}

/** What a health endpoint's answer means for its hop. */
export function readHealth(signal: Extract<OnlineSignal, { kind: 'health' }>, status: number, body: string): HopReport {
  const text = body.trim().slice(0, 300);
  if (status >= 200 && status < 300 && signal.ok.test(text))
    return { hop: signal.hop, state: 'passed', detail: `${signal.path} answered ${status}: ${text || '(empty)'}`, line: text };
  if (status >= 200 && status < 300)
    return { hop: signal.hop, state: 'waiting', detail: `${signal.path} answered ${status} but not yet "${signal.ok.source}": ${text}`, line: text };
  return { hop: signal.hop, state: 'failed', detail: `${signal.path} answered ${status}: ${text || '(empty)'}`, line: text };
}

/**
 * The vendor's answer for one agent, by its resolved name: a refused token (401), a missing
 * permission (403, naming the scope the platform's API needs) or another error status of the first
 * request, else what the platform's reader makes of the answers (in the order of its requests).
 */
export function readVendorAgents(api: VendorApi, name: string, answers: ({ status: number; body: unknown } | undefined)[]): HopReport {
  const hop: HopId = 'vendor';
  const status = answers[0]?.status ?? 0;
  if (status === 401)
    return { hop, state: 'failed', detail: 'the vendor refused the read-only token (401): it is wrong, expired or revoked. Paste a valid one.' };
  if (status === 403) return { hop, state: 'failed', detail: `the token lacks the permission this check needs (403): ${api.scope}. Create one with it.` };
  if (status < 200 || status >= 300) return { hop, state: 'failed', detail: `the vendor API answered ${status}` };
  return { hop, ...api.read(name, answers) };
}

/**
 * Whether install-and-verify asks the platform's health endpoint: one that is always there, or an
 * opt-in one that a file being installed turns on (Buildkite's health-check-addr).
 */
export function asksHealth(platform: PlatformId, files: { text: string }[]): boolean {
  return (getPlatform(platform)?.online ?? []).some(
    (s) => s.kind === 'health' && (!s.optIn || (s.enabledBy !== undefined && files.some((f) => s.enabledBy!.test(f.text)))),
  );
}
