/** useJob's state transitions (jobReducer): a run's progress and answer, and the runs it must ignore. */
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../shared/ipc';
import { jobReducer, type JobAction, type RunState } from '../../../../renderer/components/job-state';

type S = RunState<'bundle:export'>;
const IDLE: S = { running: false, message: '', fraction: undefined, events: [], value: undefined, error: undefined };
const ev = (jobId: string, over: Partial<JobEvent> = {}): JobAction<'bundle:export'> => ({
  type: 'event',
  event: { jobId, message: `from ${jobId}`, ...over },
});
const value = { path: '/tmp/b.zip' } as unknown as NonNullable<S['value']>;
const run = (actions: JobAction<'bundle:export'>[], from: S = IDLE): S => actions.reduce(jobReducer<'bundle:export'>, from);

describe('jobReducer', () => {
  it('runs: the start message, then each event’s message and fraction, then the answer at 100 %', () => {
    const running = run([{ type: 'start', runId: 'a', message: 'Starting…' }]);
    expect(running).toMatchObject({ running: true, message: 'Starting…', runId: 'a' });
    const half = run([ev('a', { fraction: 0.5 }), ev('a', { message: 'zipping' })], running);
    expect(half).toMatchObject({ message: 'zipping', fraction: 0.5 });
    const done = run([{ type: 'end', runId: 'a', result: { ok: true, value } }], half);
    expect(done).toMatchObject({ running: false, value, error: undefined, fraction: 1 });
  });

  it('keeps only the events that carry data, in order', () => {
    const s = run([{ type: 'start', runId: 'a', message: '' }, ev('a', { data: 1 }), ev('a'), ev('a', { data: 2 })]);
    expect(s.events.map((e) => e.data)).toEqual([1, 2]);
  });

  it('keeps the progress reached when the run fails, and says why', () => {
    const s = run([
      { type: 'start', runId: 'a', message: '' },
      ev('a', { fraction: 0.3 }),
      { type: 'end', runId: 'a', result: { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } } },
    ]);
    expect(s).toMatchObject({ running: false, fraction: 0.3, value: undefined, error: { code: 'CANCELLED' } });
  });

  it('ignores a superseded run: its events and its answer change nothing', () => {
    const s = run([
      { type: 'start', runId: 'old', message: '' },
      { type: 'start', runId: 'new', message: 'again' },
      ev('old', { message: 'stale', fraction: 0.9, data: 'x' }),
      { type: 'end', runId: 'old', result: { ok: true, value } },
    ]);
    expect(s).toMatchObject({ running: true, message: 'again', fraction: undefined, events: [], value: undefined, runId: 'new' });
  });

  it("ignores another job's events, and a run's events after its answer", () => {
    const started = run([{ type: 'start', runId: 'a', message: 'Starting…' }]);
    expect(run([ev('someone-else', { message: 'not mine' })], started)).toBe(started);
    const ended = run([{ type: 'end', runId: 'a', result: { ok: true, value } }], started);
    expect(run([ev('a', { message: 'late' })], ended)).toBe(ended);
  });

  it('reset clears what is shown but still follows a run under way', () => {
    const s = run([{ type: 'start', runId: 'a', message: '' }, ev('a', { fraction: 0.5 }), { type: 'reset' }]);
    expect(s).toMatchObject({ running: false, message: '', fraction: undefined });
    expect(run([{ type: 'end', runId: 'a', result: { ok: true, value } }], s).value).toBe(value);
    expect(run([{ type: 'reset' }], IDLE)).toEqual(IDLE);
  });
});
