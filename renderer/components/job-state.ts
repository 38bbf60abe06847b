/** A job's state as plain data, and how it follows the job's run (pure, for tests; useJob holds it). */
import type { Channel, ChannelOutput, JobEvent } from '../../shared/ipc';
import type { AppError, Result } from '../../shared/result';

/** A job channel's state in a component: running, its latest progress, and its outcome. */
export interface JobState<C extends Channel> {
  running: boolean;
  message: string;
  fraction: number | undefined;
  /** The job's events with data (e.g. one fleet bundle each), in order. */
  events: JobEvent[];
  value: ChannelOutput<C> | undefined;
  error: AppError | undefined;
}

export const IDLE = { running: false, message: '', fraction: undefined, events: [], value: undefined, error: undefined };

/** A job's state with the id of the run it follows: events and answers of any other run are ignored. */
export type RunState<C extends Channel> = JobState<C> & { runId?: string };

export type JobAction<C extends Channel> =
  | { type: 'start'; runId: string; message: string }
  | { type: 'event'; event: JobEvent }
  | { type: 'end'; runId: string; result: Result<ChannelOutput<C>> }
  | { type: 'reset' };

/** How a job's state follows its run (pure): a newer run supersedes an older one, whose events and answer change nothing; once a run answered, its late events change nothing either. */
export function jobReducer<C extends Channel>(s: RunState<C>, a: JobAction<C>): RunState<C> {
  switch (a.type) {
    case 'start':
      return { ...IDLE, running: true, message: a.message, runId: a.runId };
    case 'event': {
      const e = a.event;
      if (e.jobId !== s.runId) return s;
      return { ...s, message: e.message, fraction: e.fraction ?? s.fraction, events: e.data === undefined ? s.events : [...s.events, e] };
    }
    case 'end': {
      if (a.runId !== s.runId) return s;
      const r = a.result;
      return { ...s, runId: undefined, running: false, value: r.ok ? r.value : undefined, error: r.ok ? undefined : r.error, fraction: r.ok ? 1 : s.fraction };
    }
    case 'reset':
      // What was shown goes; a run still under way is still followed (its answer shows when it comes).
      return { ...IDLE, ...(s.runId ? { runId: s.runId } : {}) };
  }
}
