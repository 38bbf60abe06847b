import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import type { Result } from '../../shared/result';
import { api, newJobId } from '../api';
import { IDLE, jobReducer, type JobState } from './job-state';

export type { JobState } from './job-state';

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
  const [state, dispatch] = useReducer(jobReducer<C>, IDLE);
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
      dispatch({ type: 'start', runId: id, message: startMessage });
      const off = api.onJobEvent((e) => {
        if (mounted.current) dispatch({ type: 'event', event: e });
      });
      const r = await api.invoke(channel, { ...input, jobId: id } as ChannelInput<C>);
      off();
      if (jobId.current === id) jobId.current = undefined;
      if (mounted.current) dispatch({ type: 'end', runId: id, result: r });
      return r;
    },
    [channel, startMessage],
  );
  const run = useCallback(
    async (input: Omit<ChannelInput<C>, 'jobId'>) => {
      const r = await start(input);
      return r.ok ? r.value : undefined;
    },
    [start],
  );

  const reset = useCallback(() => dispatch({ type: 'reset' }), []);
  const { runId: _, ...shown } = state;
  return { ...shown, start, run, cancel, reset };
}
