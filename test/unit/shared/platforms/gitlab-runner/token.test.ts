import { describe, expect, it } from 'vitest';
import { checkRunnerToken, runnerTokenSpec } from '../../../../../shared/platforms/gitlab-runner/token';

describe('GitLab runner tokens', () => {
  it.each(['glrt-AbCdEfGhIjKlMnOpQrSt1234', 'glrt-t1_AbCdEfGhIjKlMnOpQrSt', 'glrt-t3_ab-cd_ef.01.1a2b3c4d5e6f7g8h'])(
    'accepts the runner authentication token %s',
    (t) => {
      expect(checkRunnerToken(t)).toMatchObject({ verdict: 'ok', kind: 'runner-authentication-token' });
    },
  );

  it('recognises a legacy registration token and explains it is deprecated and off by default', () => {
    const v = checkRunnerToken('GR1348941aBcDeFgHiJkLmNoPqRsT');
    expect(v).toMatchObject({ verdict: 'wrong-kind', kind: 'registration-token' });
    expect(v.message).toMatch(/deprecated/);
    expect(v.message).toMatch(/off by default/);
    expect(v.message).toMatch(/Create the runner in GitLab/);
  });

  it.each([
    ['glpat-abcdefghijklmnopqrst', 'personal-access-token'],
    ['glcbt-64_abcdefghijklmnopqrst', 'job-token'],
    ['glrtr-abcdefghijklmnopqrst', 'runner-registration-less-token'],
    ['glptt-abcdefghijklmnopqrst', 'pipeline-trigger-token'],
  ])('names %s as the wrong kind', (t, kind) => {
    expect(checkRunnerToken(t)).toMatchObject({ verdict: 'wrong-kind', kind });
  });

  it('claims every GitLab prefix, so no other rule names them "GitLab token" first', () => {
    for (const t of ['glrt-x', 'glpat-x', 'glcbt-x', 'glrtr-x', 'GR1348941x']) expect(runnerTokenSpec.claims!.test(t)).toBe(true);
    expect(runnerTokenSpec.claims!.test('bkua_abc')).toBe(false);
  });

  it('refuses a short glrt- token and one without a prefix, saying why', () => {
    expect(checkRunnerToken('glrt-short')).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/too short/) });
    expect(checkRunnerToken('abcdefabcdefabcdefabcdef')).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/starts with glrt-/) });
  });
});
