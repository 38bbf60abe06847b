/**
 * The IPC channel of the generic token check with the vendor (Platform.tokenVerify), joined into
 * the contract by shared/ipc.ts. The token travels only as a vault id: the main process reads it
 * from the vault and sends it to the vendor itself; nothing but the verdict comes back.
 */
import { z } from 'zod';
import { boundedAnswersSchema } from './bounded-json';
import { secretIdSchema, tokenSummarySchema } from './credentials-contract';
import { PLATFORM_IDS } from './platforms';
import { proxySpecSchema } from './probe';
import { trustedCaTextSchema } from './probe-contract';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** What the vendor said, in words, and the request that asked it (method and URL without the token). */
export const tokenVerificationSchema = z.object({
  state: z.enum(['valid', 'invalid', 'expired', 'unknown']),
  message: z.string(),
  expiresAt: z.string().optional(),
  checked: z.string(),
  /** What the answer says about the other answers (a GitHub App not installed on the organization). */
  findings: z.array(z.object({ state: z.enum(['passed', 'failed', 'unknown']), detail: z.string() })).optional(),
  /** A token the vendor issued in exchange (a registration token a PAT fetched), kept in the vault: its public facts only. */
  issued: tokenSummarySchema.optional(),
});
export type TokenVerificationAnswer = z.infer<typeof tokenVerificationSchema>;

export const tokenVerifyChannels = {
  /**
   * Checks the vault's token with its vendor (a job, cancellable), only after the user agreed on
   * the Connectivity step. BAD_INPUT for a platform without such a check or bad answers;
   * TOKEN_WRONG_KIND; REMOTE_FAILED or TIMEOUT when the vendor could not be asked.
   */
  'tokens:verify': {
    job: true,
    input: z
      .object({
        jobId,
        platform: z.enum(PLATFORM_IDS),
        answers: boundedAnswersSchema,
        /** Vault id of the token (from the Credentials step). */
        secretId: secretIdSchema,
        /** The user agreed to send the token to the vendor: without it nothing is sent. */
        consent: z.literal(true),
        /** The variant being onboarded (the request may depend on it: a GitHub PAT for ARC with an app). */
        variant: z.string().max(64).optional(),
        proxy: proxySpecSchema.optional(),
        trustedCa: trustedCaTextSchema.optional(),
      })
      .strict(),
    output: tokenVerificationSchema,
  },
} as const;
