/**
 * Handler of the generic token check with the vendor: the token is read from the vault here, never
 * sent by the renderer; a token the vendor issues in exchange (a registration token a GitHub PAT
 * fetched) is put into the vault here, and only its vault id and public facts go back.
 */
import type { Contract } from '../../../shared/ipc';
import { getPlatform } from '../../../shared/platforms';
import { err, ok } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { readCaBundle } from '../../services/probe/ca';
import { putToken, revealToken } from '../../services/secrets';
import { verifyTokenWithVendor } from '../../services/token-verify';
import type { Handlers, JobRegistry } from '../dispatch';

type TokenVerifyChannels = Pick<Contract, 'tokens:verify'>;

export function tokenVerifyHandlers(deps: Deps, _jobs: JobRegistry, env: Record<string, string | undefined> = process.env): Handlers<TokenVerifyChannels> {
  return {
    'tokens:verify': async (input, ctx) => {
      const platform = getPlatform(input.platform);
      if (!platform?.tokenVerify) return err('BAD_INPUT', `${platform?.name ?? input.platform} has no token check with its vendor.`);
      const token = revealToken(deps.vault, input.secretId);
      if (!token.ok) return token;
      const ca = input.trustedCa?.trim() ? readCaBundle(input.trustedCa) : undefined;
      if (ca && !ca.ok) return err('BAD_INPUT', `trusted CA: ${ca.error.message}`, ca.error.hint);
      ctx.progress(`Asking ${platform.name}'s vendor about the token…`, 0);
      const r = await verifyTokenWithVendor(platform, input.answers, token.value, {
        proxy: input.proxy ?? { mode: 'env' },
        ...(ca ? { caPems: ca.value.pems } : {}),
        signal: ctx.signal,
        env,
        ...(input.variant ? { variant: input.variant } : {}),
      });
      if (!r.ok) return r;
      // A token the vendor issued goes into the vault; the renderer gets its public facts only.
      const { issued, ...verdict } = r.value;
      if (!issued) return ok(verdict);
      const expires = issued.expiresAt ? Date.parse(issued.expiresAt) : undefined;
      const summary = putToken(deps.vault, input.platform, issued, Date.now(), Number.isNaN(expires) ? undefined : expires);
      return ok({ ...verdict, issued: summary });
    },
  };
}
