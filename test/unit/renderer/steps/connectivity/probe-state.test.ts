import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../../shared/ipc';
import { VERDICT_CODES, type EndpointResult, type ProbeRun } from '../../../../../shared/probe';
import { probeState } from '../../../../../renderer/steps/connectivity/probe-state';

const endpoint = (id: string) => ({ id, host: 'tunnel.example.com', port: id === 'ssh' ? 22 : 443, protocol: 'tcp' as const, purpose: 'test' });
const result = (id: string): EndpointResult => ({
  endpoint: endpoint(id),
  answered: 'tcp',
  verdict: VERDICT_CODES[0],
  level: 'pass',
  detail: 'connected',
  startedAt: '2026-01-01T00:00:00Z',
  ms: 3,
  checks: [],
});
const event = (data: unknown): JobEvent => ({ jobId: 'job-1', message: 'checking', data });

describe('probeState', () => {
  it('is idle with no rows before any run', () => {
    expect(probeState({ running: false, events: [], value: undefined, error: undefined }, undefined)).toEqual({ status: 'idle', rows: {} });
  });

  it('fills rows from the progress events while running, ignoring events that are not a row', () => {
    const s = probeState({ running: true, events: [event(result('ssh')), event({ other: true })], value: undefined, error: undefined }, 12);
    expect(s.status).toBe('running');
    expect(s.startedAt).toBe(12);
    expect(Object.keys(s.rows)).toEqual(['ssh']);
  });

  it('takes the final answer as the truth', () => {
    const run = { results: [result('ssh'), result('tls')] } as unknown as ProbeRun;
    const s = probeState({ running: false, events: [event(result('ssh'))], value: run, error: undefined }, 12);
    expect(s).toMatchObject({ status: 'done', run });
    expect(Object.keys(s.rows)).toEqual(['ssh', 'tls']);
  });

  it('keeps the rows it had when cancelled or failed, and says which', () => {
    const rows = [event(result('ssh'))];
    expect(probeState({ running: false, events: rows, value: undefined, error: { code: 'CANCELLED', message: 'x' } }, 1)).toMatchObject({
      status: 'cancelled',
      rows: { ssh: {} },
    });
    expect(probeState({ running: false, events: rows, value: undefined, error: { code: 'INTERNAL', message: 'x' } }, 1)).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL' },
    });
  });
});
