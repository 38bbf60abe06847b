/**
 * Checks an agent token with its vendor, using only the token, for platforms that describe such a
 * check (`Platform.tokenVerify`: GitLab's POST /api/v4/runners/verify, which creates nothing;
 * GitHub's registration-token request with a PAT, or its app-installations list). The request goes
 * from the main process through the one vendor sender (main/services/vendor-request.ts), with the
 * same proxy plan and company CA as the probe; the token travels only in the request, never in a
 * URL, a log or an error message. A token the vendor issues in exchange comes back in `issued`
 * for the caller to keep in the vault, never to show.
 *
 * Failures: BAD_INPUT (answers, no check for this platform), TOKEN_WRONG_KIND (a token this
 * endpoint cannot check), REMOTE_FAILED (no answer: DNS, refused, TLS, proxy), TIMEOUT, CANCELLED.
 */
import type { AnyPlatform, TokenVerification } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { sendVendorRequest, type VendorRequestOptions } from './vendor-request';

export interface TokenVerifyOptions extends VendorRequestOptions {
  now?: Date;
  /** The variant being onboarded, when known (the request may depend on it). */
  variant?: string;
}

/**
 * Asks the vendor whether `token` is valid, with `answers` (validated by the platform's schema)
 * giving the URL. Sends nothing when the platform has no such check or the answers are bad.
 */
export async function verifyTokenWithVendor(
  platform: AnyPlatform,
  answers: unknown,
  token: string,
  o: TokenVerifyOptions = {},
): Promise<Result<TokenVerification & { checked: string }>> {
  const spec = platform.tokenVerify;
  if (!spec) return err('BAD_INPUT', `${platform.name} has no token check with its vendor.`);
  const parsed = platform.answers.safeParse(answers);
  if (!parsed.success)
    return err(
      'BAD_INPUT',
      `The answers are not valid for ${platform.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'answers'} ${i.message}`).join('; ')}.`,
    );
  const req = spec.request(parsed.data, token, o.variant);
  if (!req.ok) return req;
  const url = new URL(req.value.url);
  const checked = `${req.value.method ?? 'GET'} ${url.origin}${url.pathname}`;
  const answer = await sendVendorRequest(req.value, o);
  if (!answer.ok) return answer.error.code === 'CANCELLED' ? err('CANCELLED', 'The token check was cancelled.') : answer;
  return ok({ ...spec.read(answer.value, o.now ?? new Date(), { answers: parsed.data, token, ...(o.variant ? { variant: o.variant } : {}) }), checked });
}
