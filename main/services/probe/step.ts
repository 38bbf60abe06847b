/**
 * The timing rules every probe step follows: a step gets its own time limit and the run's
 * signal; it ends with its value, a StepFailure that carries the verdict, or — when the limit
 * passes or the run is aborted — a StepFailure right away, even if the work under it cannot be
 * interrupted (getaddrinfo, for one). Nothing a remote host does can make a step wait longer.
 */
import type { ProbeStep, VerdictCode } from '../../../shared/probe';

/** A step that failed, with the verdict it leads to and the evidence. */
export class StepFailure extends Error {
  constructor(
    readonly step: ProbeStep,
    readonly verdict: VerdictCode,
    readonly detail: string,
    /** Facts gathered before the failure (what answered). */
    readonly facts: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** Why the run's signal was aborted: the user cancelled, or the run's deadline passed. */
export type AbortReason = 'cancelled' | 'deadline';

/** The reason stored on an aborted run signal. */
export function abortReasonOf(signal: AbortSignal): AbortReason {
  return signal.reason === 'deadline' ? 'deadline' : 'cancelled';
}

/** A failure for a run signal that was aborted while `step` was running. */
export function abortedFailure(step: ProbeStep, signal: AbortSignal, timeoutMs: number): StepFailure {
  return abortReasonOf(signal) === 'deadline'
    ? new StepFailure(step, 'TIMEOUT', `the run's deadline passed during the ${step} step (each step may take ${timeoutMs} ms)`)
    : new StepFailure(step, 'CANCELLED', `cancelled during the ${step} step`);
}

/**
 * Runs `work` as one step limited to `ms` and to the run's `signal`. `work` gets a signal that
 * aborts at either; it should stop its I/O then, but the step ends on time regardless. On a
 * timeout the step fails with `onTimeout()` (default: TIMEOUT naming the step).
 */
export async function within<T>(
  step: ProbeStep,
  ms: number,
  signal: AbortSignal,
  work: (stepSignal: AbortSignal) => Promise<T>,
  onTimeout: () => StepFailure = () => new StepFailure(step, 'TIMEOUT', `no answer within ${ms} ms (${step} step)`),
): Promise<T> {
  if (signal.aborted) throw abortedFailure(step, signal, ms);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort('timeout');
      reject(onTimeout());
    }, ms);
    onAbort = () => {
      controller.abort(signal.reason);
      reject(abortedFailure(step, signal, ms));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const running = work(controller.signal);
  // The step may end on its limit first; the late outcome of the work is then of no interest.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, limit]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Milliseconds since `start` (from performance.now()), rounded to 0.1 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** Error text without stack, for details shown to people. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Printable ASCII of untrusted bytes from the network, at most `max` characters. */
export function printable(bytes: Buffer | string, max = 120): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const clean = text
    .replace(/\r?\n/g, ' ⏎ ')
    .replace(/[^\x20-\x7e⏎]/g, '·')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
