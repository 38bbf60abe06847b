import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput, JobEvent } from '../../shared/ipc';
import type { AppError, Result } from '../../shared/result';
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

export interface Job<C extends Channel> extends JobState<C> {
  /** Starts the job (the jobId is added) and resolves with its Result. */
  start(input: Omit<ChannelInput<C>, 'jobId'>): Promise<Result<ChannelOutput<C>>>;
  /** `start`, resolving with the value only (undefined when it failed: `error` says why). */
  run(input: Omit<ChannelInput<C>, 'jobId'>): Promise<ChannelOutput<C> | undefined>;
  cancel(): void;
  reset(): void;
}

/**
 * Runs one job channel at a time. A run started while another runs supersedes it: the older one's
 * events and answer are ignored. With `cancelOnUnmount`, leaving the view cancels a running job;
 * `startMessage` is the progress message until the first event.
 */
export function useJob<C extends Channel>(channel: C, options: { cancelOnUnmount?: boolean; startMessage?: string } = {}): Job<C> {
  const [state, setState] = useState<JobState<C>>(IDLE);
  const jobId = useRef<string | undefined>(undefined);
  const mounted = useRef(true);
  const { cancelOnUnmount = false, startMessage = 'Starting…' } = options;

  const cancel = useCallback(() => {
    if (jobId.current) void api.invoke('job:cancel', { jobId: jobId.current });
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (cancelOnUnmount) cancel();
    };
  }, [cancel, cancelOnUnmount]);

  const start = useCallback(
    async (input: Omit<ChannelInput<C>, 'jobId'>) => {
      const id = newJobId();
      jobId.current = id;
      setState({ ...IDLE, running: true, message: startMessage });
      const off = api.onJobEvent((e) => {
        if (e.jobId !== id || jobId.current !== id || !mounted.current) return;
        setState((s) => ({ ...s, message: e.message, fraction: e.fraction ?? s.fraction, events: e.data === undefined ? s.events : [...s.events, e] }));
      });
      const r = await api.invoke(channel, { ...input, jobId: id } as ChannelInput<C>);
      off();
      if (jobId.current !== id) return r;
      jobId.current = undefined;
      if (mounted.current)
        setState((s) => ({ ...s, running: false, value: r.ok ? r.value : undefined, error: r.ok ? undefined : r.error, fraction: r.ok ? 1 : s.fraction }));
      return r;
    },
    [channel, startMessage],
  );
  const run = useCallback(async (input: Omit<ChannelInput<C>, 'jobId'>) => {
    const r = await start(input);
    return r.ok ? r.value : undefined;
  }, [start]);

  const reset = useCallback(() => setState(IDLE), []);
  return { ...state, start, run, cancel, reset };
}
