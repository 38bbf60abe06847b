import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput, JobEvent } from '../../shared/ipc';
import type { AppError } from '../../shared/result';
import { api, newJobId } from '../api';

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

const IDLE = { running: false, message: '', fraction: undefined, events: [], value: undefined, error: undefined };

/** Runs one job channel at a time: `run(input)` without the jobId, `cancel()`, `reset()`. */
export function useJob<C extends Channel>(
  channel: C,
): JobState<C> & { run(input: Omit<ChannelInput<C>, 'jobId'>): Promise<ChannelOutput<C> | undefined>; cancel(): void; reset(): void } {
  const [state, setState] = useState<JobState<C>>(IDLE);
  const jobId = useRef<string | undefined>(undefined);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (input: Omit<ChannelInput<C>, 'jobId'>) => {
      const id = newJobId();
      jobId.current = id;
      setState({ ...IDLE, running: true, message: 'Starting…' });
      const off = api.onJobEvent((e) => {
        if (e.jobId !== id || !mounted.current) return;
        setState((s) => ({ ...s, message: e.message, fraction: e.fraction ?? s.fraction, events: e.data === undefined ? s.events : [...s.events, e] }));
      });
      const r = await api.invoke(channel, { ...input, jobId: id } as ChannelInput<C>);
      off();
      jobId.current = undefined;
      if (mounted.current)
        setState((s) => ({ ...s, running: false, value: r.ok ? r.value : undefined, error: r.ok ? undefined : r.error, fraction: r.ok ? 1 : s.fraction }));
      return r.ok ? r.value : undefined;
    },
    [channel],
  );

  const cancel = useCallback(() => {
    if (jobId.current) void api.invoke('job:cancel', { jobId: jobId.current });
  }, []);
  const reset = useCallback(() => setState(IDLE), []);
  return { ...state, run, cancel, reset };
}
