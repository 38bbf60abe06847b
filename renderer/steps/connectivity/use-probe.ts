/**
 * The probe run as React state: the `probe:run` job (useJob), its rows filled in as each
 * endpoint's progress event arrives, the final answer taken as the truth, cancelled on request and
 * when the step is left.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ChannelInput } from '../../../shared/ipc';
import { useJob } from '../../components/useJob';
import { probeState, type ProbeState } from './probe-state';

export type { ProbeState, ProbeStatus } from './probe-state';

type RunInput = Omit<ChannelInput<'probe:run'>, 'jobId'>;

export function useProbe(): { state: ProbeState; start(input: RunInput): void; cancel(): void } {
  const job = useJob('probe:run', { cancelOnUnmount: true });
  const [startedAt, setStartedAt] = useState<number | undefined>(undefined);
  const { running, events, value, error, start: startJob, cancel } = job;
  const state = useMemo(() => probeState({ running, events, value, error }, startedAt), [running, events, value, error, startedAt]);
  const start = useCallback(
    (input: RunInput) => {
      setStartedAt(performance.now());
      void startJob(input);
    },
    [startJob],
  );
  return { state, start, cancel };
}
