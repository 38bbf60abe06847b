/**
 * The probe run as React state: starts the `probe:run` job, fills rows in as each endpoint's
 * progress event arrives, takes the final answer as the truth, cancels on request and when the
 * step is left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput } from '../../../shared/ipc';
import { endpointResultSchema, type EndpointResult, type ProbeRun } from '../../../shared/probe';
import type { AppError } from '../../../shared/result';
import { api, newJobId } from '../../api';

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

type RunInput = Omit<ChannelInput<'probe:run'>, 'jobId'>;

export function useProbe(): { state: ProbeState; start(input: RunInput): void; cancel(): void } {
  const [state, setState] = useState<ProbeState>({ status: 'idle', rows: {} });
  const job = useRef<string | null>(null);

  const cancel = useCallback(() => {
    if (job.current) void api.invoke('job:cancel', { jobId: job.current });
  }, []);

  useEffect(() => () => cancel(), [cancel]);

  const start = useCallback((input: RunInput) => {
    const jobId = newJobId();
    job.current = jobId;
    setState({ status: 'running', rows: {}, startedAt: performance.now() });
    const off = api.onJobEvent((e) => {
      if (e.jobId !== jobId) return;
      const row = endpointResultSchema.safeParse(e.data);
      if (row.success) setState((s) => (job.current === jobId ? { ...s, rows: { ...s.rows, [row.data.endpoint.id]: row.data } } : s));
    });
    void api.invoke('probe:run', { ...input, jobId }).then((r) => {
      off();
      if (job.current !== jobId) return;
      job.current = null;
      setState((s) => {
        if (r.ok) return { status: 'done', rows: Object.fromEntries(r.value.results.map((x) => [x.endpoint.id, x])), run: r.value };
        return { status: r.error.code === 'CANCELLED' ? 'cancelled' : 'failed', rows: s.rows, error: r.error };
      });
    });
  }, []);

  return { state, start, cancel };
}
