import { describe, expect, it } from 'vitest';
import { contract } from '../../../../../shared/ipc';
import { PLATFORMS } from '../../../../../shared/platforms';
import { verifyRequest, verifyTone } from '../../../../../renderer/steps/connectivity/token-verify';

const proxy = { mode: 'none' } as const;
const draft = { credentialId: 'sec_0123456789abcdef', answers: { org: 'example' } };

describe('verifyRequest', () => {
  it('sends nothing without a chosen token or without consent', () => {
    expect(verifyRequest({ ...draft, credentialId: undefined }, { id: 'github-actions' }, proxy, true)).toBeNull();
    expect(verifyRequest(draft, { id: 'github-actions' }, proxy, false)).toBeNull();
  });
  it('builds an input the tokens:verify contract accepts for every platform that can verify its token, with the company CA only when there is one', () => {
    const verifying = PLATFORMS.filter((p) => p.tokenVerify);
    expect(verifying.length).toBeGreaterThan(0);
    for (const p of verifying) {
      const r = verifyRequest(draft, p, proxy, true);
      expect(r).toEqual({ platform: p.id, answers: draft.answers, secretId: draft.credentialId, consent: true, proxy });
      const parsed = contract['tokens:verify'].input.safeParse({ ...r, jobId: 'job-1' });
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(verifyRequest({ ...draft, trustedCa: ca }, verifying[0]!, proxy, true)?.trustedCa).toBe(ca);
    // The variant goes along (GitHub's check differs for a host runner and ARC); none when unset.
    expect(verifyRequest({ ...draft, variant: 'arc' }, verifying[0]!, proxy, true)?.variant).toBe('arc');
    expect(verifyRequest({ ...draft, variant: null }, verifying[0]!, proxy, true)).not.toHaveProperty('variant');
  });
});

describe('verifyTone', () => {
  it('tells the four answers apart: only "valid" is quiet and green', () => {
    expect(verifyTone('valid')).toEqual({ heading: 'The token is valid', className: 'ok', role: 'status' });
    expect(verifyTone('invalid')).toEqual({ heading: 'The token was refused', className: 'error', role: 'alert' });
    expect(verifyTone('expired')).toEqual({ heading: 'The token has expired', className: 'error', role: 'alert' });
    expect(verifyTone('unknown')).toEqual({ heading: 'The answer does not say', className: 'notice', role: 'alert' });
  });
});
