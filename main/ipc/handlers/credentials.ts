/** Handlers of the Credentials step: key pairs, tokens, and the vault entries they become. */
import { REVEAL_MS, type SecretStoreStatus } from '../../../shared/credentials-contract';
import type { Contract } from '../../../shared/ipc';
import { err, ok, type Result } from '../../../shared/result';
import { getPlatform } from '../../../shared/platforms';
import { checkToken, GENERIC_TOKEN } from '../../../shared/tokens';
import type { Deps } from '../../services/deps';
import { formatFor, generateKeyPair, importKey } from '../../services/keys';
import { defaultComment, describeSecret, forgetSecret, keyTargetFor, persistSecret, putKey, putToken, revealToken } from '../../services/secrets';
import type { Handlers, JobRegistry } from '../dispatch';

type CredentialChannels = Pick<
  Contract,
  | 'keys:generate'
  | 'keys:import'
  | 'tokens:check'
  | 'secrets:describe'
  | 'secrets:reveal'
  | 'secrets:persist'
  | 'secrets:forget'
  | 'secrets:store-status'
  | 'secrets:unlock'
  | 'secrets:lock'
  | 'secrets:reset'
>;

/** What the front end's secret store is, and whether it is open. */
export function secretStoreStatus(deps: Pick<Deps, 'cipher' | 'secretLock'>): SecretStoreStatus {
  if (deps.secretLock) {
    const state = deps.secretLock.state();
    return { kind: 'passphrase', state: state === 'unlocked' ? 'ready' : state };
  }
  return deps.cipher.available() ? { kind: 'keychain', state: 'ready' } : { kind: 'none', state: 'unset' };
}

function noLock(): Result<never> {
  return err('NOT_BUILT', 'Saved secrets here are kept by the OS keychain (desktop app) or not at all (command line): there is no passphrase to set.');
}

function typeRefused(type: string, keyTypes: string[] | undefined): Result<never> | undefined {
  if (!keyTypes || keyTypes.includes(type)) return undefined;
  return err('KEY_UNSUPPORTED', `This platform takes ${keyTypes.join(' or ')} keys, not ${type}.`, `Generate or import a ${keyTypes.join(' or ')} key.`);
}

export function credentialsHandlers(deps: Deps, _jobs: JobRegistry): Handlers<CredentialChannels> {
  const { vault } = deps;
  return {
    'keys:generate': async (input, ctx) => {
      const target = keyTargetFor(input.platform);
      const refused = typeRefused(input.type, target.keyTypes);
      if (refused) return refused;
      const generated = await generateKeyPair(
        {
          type: input.type,
          bits: input.bits,
          passphrase: input.passphrase,
          comment: input.comment ?? defaultComment(input.platform),
          format: input.format ?? formatFor(input.type, target.format),
        },
        { signal: ctx.signal, progress: (message, fraction) => ctx.progress(message, fraction) },
      );
      if (!generated.ok) return generated;
      return ok(putKey(vault, generated.value, input.platform, input.passphrase));
    },
    'keys:import': async (input) => {
      const target = keyTargetFor(input.platform);
      const imported = importKey({ text: input.text, passphrase: input.passphrase, comment: input.comment, format: input.format ?? target.format });
      if (!imported.ok) return imported;
      const refused = typeRefused(imported.value.type, target.keyTypes);
      if (refused) return refused;
      const summary = putKey(vault, imported.value, input.platform, input.passphrase);
      return ok({ ...summary, sourceFormat: imported.value.sourceFormat, converted: imported.value.converted });
    },
    'tokens:check': async ({ platform, text }) => {
      const credential = getPlatform(platform)?.credential;
      const verdict = checkToken(credential?.kind === 'token' ? credential.token : GENERIC_TOKEN, text);
      if (verdict.verdict !== 'ok') return ok(verdict);
      const summary = putToken(vault, platform, verdict);
      return ok({ ...summary, verdict: 'ok' as const, message: verdict.message, cleaned: verdict.cleaned });
    },
    'secrets:describe': async ({ id }) => describeSecret(vault, id),
    'secrets:reveal': async ({ id }) => {
      const value = revealToken(vault, id);
      if (value.ok) deps.clipboardGuard?.remember(value.value);
      return value.ok ? ok({ value: value.value, clearAfterMs: REVEAL_MS }) : value;
    },
    'secrets:persist': async ({ id }) => persistSecret(vault, id),
    'secrets:forget': async ({ id }) => {
      forgetSecret(vault, id);
      return ok({});
    },
    'secrets:store-status': async () => ok(secretStoreStatus(deps)),
    'secrets:unlock': async ({ passphrase, create }) => {
      if (!deps.secretLock) return noLock();
      const r = await deps.secretLock.unlock(passphrase, create);
      return r.ok ? ok(secretStoreStatus(deps)) : r;
    },
    'secrets:lock': async () => {
      if (!deps.secretLock) return noLock();
      deps.secretLock.lock();
      vault.dropSaved();
      return ok(secretStoreStatus(deps));
    },
    'secrets:reset': async () => {
      if (!deps.secretLock) return noLock();
      vault.dropSaved();
      deps.secretLock.reset();
      return ok(secretStoreStatus(deps));
    },
  };
}
