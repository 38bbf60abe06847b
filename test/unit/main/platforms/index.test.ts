/** The Bamboo channels through the real dispatch: validation, job progress to the caller, cancel, no token out. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../main/ipc/dispatch';
import { platformHandlers } from '../../../../main/platforms';
import { platformChannels } from '../../../../shared/platforms';
import type { JobEvent } from '../../../../shared/ipc';
import type { Result } from '../../../../shared/result';
import { BAMBOO_ROLE, SEED_POLICY, text } from '../../../support/scp-policies';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const dir = mkdtempSync(path.join(tmpdir(), 'bamboo-handlers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const jobs = new JobRegistry();
  const handlers = platformHandlers();
  const events: JobEvent[] = [];
  const ctx: CallContext = { senderId: 'w1', jobs, emit: (e) => events.push(e) };
  const call = <T = Record<string, unknown>>(channel: keyof typeof platformChannels, input: unknown) =>
    dispatch(platformChannels, handlers, channel, input, ctx) as Promise<Result<T>>;
  return { jobs, events, call };
}

const request = { jobId: 'scp-1', policies: [{ name: 'Policy 1', text: text(SEED_POLICY) }], principalArn: BAMBOO_ROLE, httpTokens: 'optional', hopLimit: 2 };

describe('scp:check', () => {
  it('answers the report and sends progress to the caller only, for its job', async () => {
    const { call, events } = setup();
    const r = await call<{ verdict: string; fixes: { exemption?: unknown } }>('scp:check', request);
    expect(r.ok && r.value.verdict).toBe('denied');
    expect(r.ok && r.value.fixes.exemption).toBeDefined();
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.jobId === 'scp-1')).toBe(true);
    expect(events.at(-1)).toMatchObject({ message: 'Done', fraction: 1 });
  });

  it('refuses bad input at the boundary (no job id, unknown settings)', async () => {
    const { call } = setup();
    for (const bad of [
      { ...request, jobId: undefined },
      { ...request, httpTokens: 'sometimes' },
      { ...request, policies: [] },
      { ...request, principalArn: 'arn:aws:iam::1:role/x' },
    ]) {
      const r = await call('scp:check', bad);
      expect(r.ok ? 'ok' : r.error.code).toBe('BAD_INPUT');
    }
  });

  it('a malformed policy answers POLICY_MALFORMED', async () => {
    const { call } = setup();
    const r = await call('scp:check', { ...request, policies: [{ name: 'Policy 1', text: '{"Statement": [}' }] });
    expect(r.ok ? 'ok' : r.error.code).toBe('POLICY_MALFORMED');
  });

  it('job:cancel of a running check answers CANCELLED', async () => {
    const { call, jobs } = setup();
    const running = call('scp:check', { ...request, jobId: 'scp-2', hopLimit: 64 });
    expect(jobs.cancel('w1', 'scp-2')).toBe(true);
    const r = await running;
    expect(r.ok ? 'ok' : r.error.code).toBe('CANCELLED');
  });
});

describe('bamboo:readWrapper', () => {
  it('answers what the wrapper.conf holds, with the token masked and never in the output', async () => {
    const home = path.join(dir, 'agent');
    mkdirSync(path.join(home, 'conf'), { recursive: true });
    writeFileSync(
      path.join(home, 'conf', 'wrapper.conf'),
      `wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://b.example.com/agentServer/\nwrapper.app.parameter.3=${TOKEN}\n`,
    );
    const { call } = setup();
    const r = await call<{ serverUrl: string; token: { masked: string } }>('bamboo:readWrapper', { path: home });
    expect(r.ok && r.value.serverUrl).toBe('https://b.example.com/agentServer/');
    expect(r.ok && r.value.token.masked).toMatch(/^f3de•+f9$/);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('says when the folder is not an agent home', async () => {
    const { call } = setup();
    const r = await call('bamboo:readWrapper', { path: dir });
    expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
  });
});
