import { describe, expect, it } from 'vitest';
import { base64Utf8 } from '../../../../../shared/edit/values';
import { githubActions } from '../../../../../shared/platforms/github-actions';
import { checkGitHubToken, isJitConfig, REGISTRATION_TOKEN_LIFETIME_MS } from '../../../../../shared/platforms/github-actions/tokens';
import type { TokenSpec } from '../../../../../shared/platforms/types';
import { timeLeft, tokenExpiresAt } from '../../../../../shared/token-lifetime';

const REG = 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W';
const spec = (githubActions.credential as { kind: 'token'; token: TokenSpec }).token;

describe('GitHub tokens by shape', () => {
  it('accepts a registration token and warns that a remove token looks the same', () => {
    const v = checkGitHubToken(REG);
    expect(v).toMatchObject({ verdict: 'ok', kind: 'registration-token' });
    expect(v.verdict === 'ok' && v.note).toMatch(/remove token/);
  });

  it('accepts classic and fine-grained PATs and says which permission they need', () => {
    const classic = checkGitHubToken(`ghp_${'a1B2'.repeat(9)}`);
    expect(classic).toMatchObject({ verdict: 'ok', kind: 'pat-classic' });
    expect(classic.verdict === 'ok' && classic.note).toMatch(/admin:org/);
    const fine = checkGitHubToken(`github_pat_11ABCDEFG0${'x'.repeat(72)}`);
    expect(fine).toMatchObject({ verdict: 'ok', kind: 'pat-fine-grained' });
    expect(fine.verdict === 'ok' && fine.note).toMatch(/Administration: write.*Self-hosted runners: write/);
  });

  it.each([
    [`ghs_${'a'.repeat(36)}`, 'installation-token'],
    [`gho_${'a'.repeat(36)}`, 'oauth-token'],
    [`ghu_${'a'.repeat(36)}`, 'user-to-server-token'],
    [`ghr_${'a'.repeat(76)}`, 'refresh-token'],
  ])('names %s as the wrong kind', (token, kind) => {
    expect(checkGitHubToken(token)).toMatchObject({ verdict: 'wrong-kind', kind });
  });

  it('names a JIT runner configuration blob instead of taking it as a token', () => {
    const blob = base64Utf8(
      JSON.stringify({
        '.runner': base64Utf8('{"agentId":7}'),
        '.credentials': base64Utf8('{"scheme":"OAuth"}'),
        '.credentials_rsaparams': base64Utf8('{"d":"x"}'),
      }),
    );
    expect(isJitConfig(blob)).toBe(true);
    expect(checkGitHubToken(blob)).toMatchObject({ verdict: 'wrong-kind', kind: 'jit-config' });
    expect(isJitConfig(base64Utf8('x'.repeat(200)))).toBe(false);
  });

  it('refuses a truncated PAT, a lower-case paste and random text with the reason', () => {
    expect(checkGitHubToken('ghp_abc')).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/part of it may be missing/) });
    expect(checkGitHubToken(REG.toLowerCase())).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/lower-case/) });
    expect(checkGitHubToken('hello')).toMatchObject({ verdict: 'invalid' });
  });

  it("claims every GitHub token prefix, so the generic check does not call them another service's token", () => {
    for (const t of ['ghp_x', 'github_pat_x', 'ghs_x', 'gho_x', 'ghu_x', 'ghr_x']) expect(spec.claims!.test(t)).toBe(true);
    expect(spec.claims!.test(REG)).toBe(false);
  });
});

describe('registration token lifetime (injected clock)', () => {
  const checkedAt = Date.UTC(2026, 0, 1, 12, 0, 0);
  const lifetime = spec.lifetime!;

  it('only registration tokens expire, one hour after they were checked', () => {
    expect(tokenExpiresAt(lifetime, 'registration-token', checkedAt)).toBe(checkedAt + REGISTRATION_TOKEN_LIFETIME_MS);
    expect(tokenExpiresAt(lifetime, 'pat-classic', checkedAt)).toBeUndefined();
    expect(tokenExpiresAt(undefined, 'registration-token', checkedAt)).toBeUndefined();
  });

  it('counts down, warns under ten minutes, and says when it expired', () => {
    const expires = checkedAt + lifetime.ms;
    expect(timeLeft(expires, checkedAt, lifetime.warnMs)).toEqual({ seconds: 3600, state: 'ok', text: '60:00 left' });
    expect(timeLeft(expires, expires - 10 * 60_000, lifetime.warnMs).state).toBe('ok');
    expect(timeLeft(expires, expires - 10 * 60_000 + 1, lifetime.warnMs)).toEqual({ seconds: 600, state: 'short', text: '10:00 left' });
    expect(timeLeft(expires, expires - 61_500, lifetime.warnMs)).toEqual({ seconds: 62, state: 'short', text: '1:02 left' });
    expect(timeLeft(expires, expires, lifetime.warnMs)).toEqual({ seconds: 0, state: 'expired', text: 'expired just now' });
    expect(timeLeft(expires, expires + 3 * 60_000 + 5, lifetime.warnMs).text).toBe('expired 3 minutes ago');
    expect(lifetime.renew).toMatch(/New self-hosted runner/);
  });
});
