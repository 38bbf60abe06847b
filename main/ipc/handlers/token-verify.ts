/** Handler of the generic token check with the vendor: the token is read from the vault here, never sent by the renderer. */
import type { Contract } from '../../../shared/ipc';
import { getPlatform } from '../../../shared/platforms';
import { err } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { readCaBundle } from '../../services/probe/ca';
import { revealToken } from '../../services/secrets';
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
      return verifyTokenWithVendor(platform, input.answers, token.value, {
        proxy: input.proxy ?? { mode: 'env' },
        ...(ca ? { caPems: ca.value.pems } : {}),
        signal: ctx.signal,
        env,
      });
    },
  };
}
