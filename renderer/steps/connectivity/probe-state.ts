/** The Connectivity step's probe run as plain data, derived from the probe:run job's state (pure, for tests). */
import type { JobEvent } from '../../../shared/ipc';
import { endpointResultSchema, type EndpointResult, type ProbeRun } from '../../../shared/probe';
import type { AppError } from '../../../shared/result';

export type ProbeStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface ProbeState {
  status: ProbeStatus;
  /** Finished rows by endpoint id (live while running). */
  rows: Record<string, EndpointResult>;
  run?: ProbeRun;
  error?: AppError;
  /** performance.now() when the run started, for the elapsed time. */
  startedAt?: number;
}

/** The probe state from the job's state: pure, so the rows and status follow the events and the answer. */
export function probeState(
  job: { running: boolean; events: JobEvent[]; value: ProbeRun | undefined; error: AppError | undefined },
  startedAt: number | undefined,
): ProbeState {
  const at = startedAt === undefined ? {} : { startedAt };
  if (job.value) return { status: 'done', rows: Object.fromEntries(job.value.results.map((x) => [x.endpoint.id, x])), run: job.value };
  const rows: Record<string, EndpointResult> = {};
  for (const e of job.events) {
    const row = endpointResultSchema.safeParse(e.data);
    if (row.success) rows[row.data.endpoint.id] = row.data;
  }
  if (job.running) return { status: 'running', rows, ...at };
  if (job.error) return { status: job.error.code === 'CANCELLED' ? 'cancelled' : 'failed', rows, error: job.error };
  return { status: 'idle', rows: {} };
}
