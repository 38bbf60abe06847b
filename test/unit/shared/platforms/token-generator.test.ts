/**
 * The shared generator of the Buildkite and Harness platforms: the order of its checks and each
 * platform's words, as they were when each platform wrote its own.
 */
import { describe, expect, it } from 'vitest';
import { buildkite } from '../../../../shared/platforms/buildkite';
import { harness } from '../../../../shared/platforms/harness';
import { tokenGenerator } from '../../../../shared/platforms/token-generator';
import { ok } from '../../../../shared/result';
import type { Credential } from '../../../../shared/platforms/types';

const token = (t: string): Credential => ({ kind: 'token', token: t });
const errorOf = (r: { ok: boolean; error?: { code: string; message: string; hint?: string } }) => (r.ok ? undefined : r.error);

describe('tokenGenerator', () => {
  it('Buildkite: unknown variant, missing token, empty token and another kind of token, in its words', () => {
    const gen = buildkite.generate!;
    expect(errorOf(gen({} as never, token('x'.repeat(20)), 'zip'))).toEqual({
      code: 'BAD_INPUT',
      message: "Unknown variant 'zip' for the Buildkite agent: use cfg, env, docker, kubernetes.",
    });
    expect(errorOf(gen({} as never, { kind: 'none' }, 'cfg'))).toEqual({ code: 'BAD_INPUT', message: 'The Buildkite agent needs its agent token.' });
    expect(errorOf(gen({} as never, token(''), 'cfg'))).toMatchObject({ code: 'TOKEN_INVALID', message: 'The agent token is empty.' });
    const wrong = errorOf(gen({} as never, token(`bkua_${'a'.repeat(40)}`), 'cfg'));
    expect(wrong).toMatchObject({
      code: 'TOKEN_WRONG_KIND',
      hint: expect.stringMatching(/^Get an agent token from Buildkite → Agents → your cluster → Agent Tokens/),
    });
  });

  it('Harness: the same checks in its words', () => {
    const gen = harness.generate!;
    expect(errorOf(gen({} as never, token('x'), 'swarm'))).toEqual({
      code: 'BAD_INPUT',
      message: "Unknown variant 'swarm' for the Harness delegate: use kubernetes, helm, docker, ecs, shell.",
    });
    expect(errorOf(gen({} as never, { kind: 'none' }, 'docker'))).toEqual({ code: 'BAD_INPUT', message: 'The Harness delegate needs its delegate token.' });
    expect(errorOf(gen({} as never, token('a\nb'), 'docker'))).toMatchObject({
      code: 'UNSAFE_VALUE',
      message: expect.stringMatching(/^The delegate token contains/),
    });
    expect(errorOf(gen({} as never, token('pat.abc.def.ghi'), 'docker'))).toMatchObject({
      code: 'TOKEN_WRONG_KIND',
      hint: expect.stringMatching(/^Get the delegate token from Harness → Account Settings/),
    });
  });

  it("passes the token and the trusted CA to the variant and adds that variant's removal", () => {
    const seen: unknown[] = [];
    const gen = tokenGenerator<{ n: number }>({
      agent: 'The Test agent',
      token: 'test token',
      getOne: 'a test token',
      spec: { name: 'test token', where: 'the test page' },
      variants: { one: (a, t, ca) => (seen.push([a.n, t, ca]), ok({ files: [], commands: [], notes: ['one'] })) },
      removal: (variant, a) => ({ commands: [], notes: [`${variant} ${a.n}`] }),
    });
    const r = gen({ n: 7 }, token('abcdefghijklmnop'), 'one', { trustedCa: 'PEM' });
    expect(r).toEqual(ok({ files: [], commands: [], notes: ['one'], removal: { commands: [], notes: ['one 7'] } }));
    expect(seen).toEqual([[7, 'abcdefghijklmnop', 'PEM']]);
  });
});
