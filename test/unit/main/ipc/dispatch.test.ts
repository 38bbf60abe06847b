import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { dispatch, JobRegistry, type CallContext, type Handlers } from '../../../../main/ipc/dispatch';
import { contract, jobIdSchema, type JobEvent } from '../../../../shared/ipc';
import { createHandlers } from '../../../../main/ipc/handlers';
import { MemoryStore } from '../../../../main/services/store';
import { NO_CIPHER } from '../../../../main/services/deps';
import { ok } from '../../../../shared/result';
import { SecretVault } from '../../../../main/services/vault';

const testContract = {
  'math:double': { input: z.object({ n: z.number() }), output: z.object({ n: z.number() }) },
  'math:slow': { input: z.object({ jobId: jobIdSchema, steps: z.number().int().min(1) }), output: z.object({ done: z.number() }), job: true as const },
  'math:leak': { input: z.object({}), output: z.object({ publicKey: z.string() }) },
  'math:throw': { input: z.object({}), output: z.object({}) },
};

function context(senderId = 's1'): CallContext & { events: JobEvent[]; internal: string[] } {
  const events: JobEvent[] = [];
  const internal: string[] = [];
  return { senderId, jobs: new JobRegistry(), emit: (e) => events.push(e), events, internal, onInternalError: (c) => internal.push(c) };
}

const handlers: Handlers<typeof testContract> = {
  'math:double': async ({ n }) => ok({ n: n * 2 }),
  'math:slow': async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      if (ctx.signal.aborted) throw new Error('aborted');
      ctx.progress(`step ${i}`, i / steps);
      await new Promise((r) => setTimeout(r, 5));
    }
    return ok({ done: steps });
  },
  'math:leak': async () => ok({ publicKey: 'ssh-ed25519 AAA', privateKey: 'SECRET' } as never),
  'math:throw': async () => {
    throw new Error('boom with secret token abc');
  },
};

describe('dispatch', () => {
  it('answers a valid call with the handler value', async () => {
    expect(await dispatch(testContract, handlers, 'math:double', { n: 21 }, context())).toEqual({ ok: true, value: { n: 42 } });
  });

  it('refuses an unknown channel with UNKNOWN_CHANNEL instead of throwing', async () => {
    const r = await dispatch(testContract, handlers, 'fs:readAll', {}, context());
    expect(r.ok === false && r.error.code).toBe('UNKNOWN_CHANNEL');
    const proto = await dispatch(testContract, handlers, '__proto__', {}, context());
    expect(proto.ok === false && proto.error.code).toBe('UNKNOWN_CHANNEL');
    const nonString = await dispatch(testContract, handlers, { toString: () => 'x' }, {}, context());
    expect(nonString.ok === false && nonString.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it.each([null, 'text', 42, [], { n: 'x' }, { n: Number.NaN }])('refuses the bad payload %j with BAD_INPUT', async (payload) => {
    const r = await dispatch(testContract, handlers, 'math:double', payload, context());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_INPUT');
  });

  it('names the field of a validation failure by its zod path, and no field when the whole payload is wrong', async () => {
    const nested = { 'deep:call': { input: z.object({ outer: z.object({ outDir: z.string().min(1) }) }), output: z.object({}) } };
    const r = await dispatch(nested, { 'deep:call': async () => ok({}) }, 'deep:call', { outer: { outDir: '' } }, context());
    expect(!r.ok && r.error).toMatchObject({ code: 'BAD_INPUT', field: 'outer.outDir' });
    const whole = await dispatch(testContract, handlers, 'math:double', 'text', context());
    expect(!whole.ok && 'field' in whole.error).toBe(false);
  });

  it('strips keys the output schema does not declare, so a secret cannot slip out', async () => {
    const r = await dispatch(testContract, handlers, 'math:leak', {}, context());
    expect(r).toEqual({ ok: true, value: { publicKey: 'ssh-ed25519 AAA' } });
  });

  it('turns a throwing handler into INTERNAL without the exception text', async () => {
    const ctx = context();
    const r = await dispatch(testContract, handlers, 'math:throw', {}, ctx);
    expect(r.ok === false && r.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r)).not.toContain('secret token');
    expect(ctx.internal).toEqual(['math:throw']);
  });

  it('sends job progress to the caller and clamps fractions', async () => {
    const ctx = context();
    const r = await dispatch(testContract, handlers, 'math:slow', { jobId: 'j1', steps: 3 }, ctx);
    expect(r).toEqual({ ok: true, value: { done: 3 } });
    expect(ctx.events.map((e) => e.message)).toEqual(['step 1', 'step 2', 'step 3']);
    expect(ctx.events.every((e) => e.jobId === 'j1' && (e.fraction ?? 0) <= 1)).toBe(true);
  });

  it('cancels a job through the registry, and only for the sender that started it', async () => {
    const ctx = context('owner');
    const running = dispatch(testContract, handlers, 'math:slow', { jobId: 'j2', steps: 200 }, ctx);
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.jobs.cancel('someone-else', 'j2')).toBe(false);
    expect(ctx.jobs.cancel('owner', 'j2')).toBe(true);
    const r = await running;
    expect(r.ok === false && r.error.code).toBe('CANCELLED');
    expect(ctx.jobs.cancel('owner', 'j2')).toBe(false);
  });

  it('refuses a second job with the same id while the first runs', async () => {
    const ctx = context();
    const first = dispatch(testContract, handlers, 'math:slow', { jobId: 'same', steps: 5 }, ctx);
    const second = await dispatch(testContract, handlers, 'math:slow', { jobId: 'same', steps: 1 }, ctx);
    expect(second.ok === false && second.error.code).toBe('BAD_INPUT');
    expect((await first).ok).toBe(true);
  });
});

describe('the app contract', () => {
  const jobs = new JobRegistry();
  const appHandlers = createHandlers(
    { mode: 'browser', version: '0.0.0-test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: '/nonexistent', vault: new SecretVault() },
    jobs,
  );
  const ctx: CallContext = { senderId: 't', jobs, emit: vi.fn() };

  it('has a handler for every channel', () => {
    expect(Object.keys(appHandlers).sort()).toEqual(Object.keys(contract).sort());
  });

  it('saves, loads and clears the draft', async () => {
    const draft = { platform: 'buildkite', variant: 'cfg', step: 'details', answers: { name: 'a' } };
    expect((await dispatch(contract, appHandlers, 'draft:save', draft, ctx)).ok).toBe(true);
    expect(await dispatch(contract, appHandlers, 'draft:load', {}, ctx)).toEqual({ ok: true, value: draft });
    await dispatch(contract, appHandlers, 'draft:clear', {}, ctx);
    expect(await dispatch(contract, appHandlers, 'draft:load', {}, ctx)).toEqual({ ok: true, value: null });
  });

  it('refuses a draft with an unknown platform or step', async () => {
    const r = await dispatch(contract, appHandlers, 'draft:save', { platform: 'jenkins', variant: null, step: 'platform', answers: {} }, ctx);
    expect(r.ok === false && r.error.code).toBe('BAD_INPUT');
  });

  it('reports that browser mode has no secret storage', async () => {
    expect(await dispatch(contract, appHandlers, 'app:info', {}, ctx)).toEqual({
      ok: true,
      value: { version: '0.0.0-test', mode: 'browser', secretStorage: false },
    });
  });
});
