/**
 * The vendor token check's logic without React: the request it sends (only with a chosen token
 * and the user's consent) and how each answer is shown. TokenVerify.tsx only draws these.
 */
import type { ChannelInput, Draft } from '../../../shared/ipc';
import type { ProxySpec } from '../../../shared/probe';
import type { AnyPlatform } from '../../../shared/platforms/types';

export type VerifyRequest = Omit<ChannelInput<'tokens:verify'>, 'jobId'>;

/** The tokens:verify input; null while no token is chosen or the user has not agreed to send it. */
export function verifyRequest(
  draft: Pick<Draft, 'credentialId' | 'answers' | 'trustedCa'> & Partial<Pick<Draft, 'variant'>>,
  platform: Pick<AnyPlatform, 'id'>,
  proxy: ProxySpec,
  consent: boolean,
): VerifyRequest | null {
  if (!draft.credentialId || !consent) return null;
  return {
    platform: platform.id,
    answers: draft.answers,
    secretId: draft.credentialId,
    consent: true,
    proxy,
    ...(draft.variant ? { variant: draft.variant } : {}),
    ...(draft.trustedCa ? { trustedCa: draft.trustedCa } : {}),
  };
}

export type VerifyState = 'valid' | 'invalid' | 'expired' | 'unknown';

/** How an answer shows: its heading, its colour, and whether it interrupts (a refusal is an alert; "valid" is a status). */
export function verifyTone(state: VerifyState): { heading: string; className: 'ok' | 'notice' | 'error'; role: 'status' | 'alert' } {
  const heading = { valid: 'The token is valid', invalid: 'The token was refused', expired: 'The token has expired', unknown: 'The answer does not say' }[
    state
  ];
  return { heading, className: state === 'valid' ? 'ok' : state === 'unknown' ? 'notice' : 'error', role: state === 'valid' ? 'status' : 'alert' };
}
