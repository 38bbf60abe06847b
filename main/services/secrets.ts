/**
 * Credentials in the vault: key pairs and tokens go in with their public facts as metadata, and
 * come out to the renderer only as summaries (id, public key, fingerprint, masked token). A
 * token's value leaves only through `revealToken`, for an explicit Reveal or Copy; a private key
 * never does. Persisting uses the OS keychain through the vault's cipher, and nothing else.
 */
import type { KeySummary, TokenSummary } from '../../shared/credentials-contract';
import type { KeyFormat } from '../../shared/key-format';
import { getPlatform } from '../../shared/platforms';
import type { PlatformId } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { maskToken, type TokenVerdict } from '../../shared/tokens';
import { defaultKeyNames, type KeyPair } from './keys';
import type { SecretVault, StoredSecret } from './vault';

/** The key format and file names a platform wants, and the key types it takes. */
export function keyTargetFor(platform: PlatformId | undefined): { format?: KeyFormat; names?: { privateKey: string; publicKey: string }; keyTypes?: string[] } {
  const spec = platform ? getPlatform(platform)?.credential : undefined;
  if (spec?.kind !== 'ssh-keypair') return {};
  return { format: spec.privateKeyFormat, names: { privateKey: spec.privateKeyName, publicKey: spec.publicKeyName }, keyTypes: spec.keyTypes };
}

/** Default comment for a key made for a platform: `<platform>-agent-<YYYY-MM-DD>`. */
export function defaultComment(platform: PlatformId | undefined, now = new Date()): string {
  return platform ? `${platform}-agent-${now.toISOString().slice(0, 10)}` : '';
}

/**
 * Keeps a key pair in the vault (and its passphrase, when it has one, as a separate entry the
 * key's metadata points to); returns the summary the renderer may see.
 */
export function putKey(vault: SecretVault, pair: KeyPair, platform: PlatformId | undefined, passphrase?: string): KeySummary {
  const names = keyTargetFor(platform).names ?? defaultKeyNames(pair.type);
  const passphraseId = pair.encrypted && passphrase ? vault.put('passphrase', passphrase) : undefined;
  const meta: Record<string, string> = {
    type: pair.type,
    bits: String(pair.bits),
    format: pair.format,
    encrypted: String(pair.encrypted),
    publicKey: pair.publicKey,
    fingerprint: pair.fingerprint,
    comment: pair.comment,
    privateKeyName: names.privateKey,
    publicKeyName: names.publicKey,
    ...(platform ? { platform } : {}),
    ...(passphraseId ? { passphraseId } : {}),
  };
  const id = vault.put('ssh-private-key', pair.privateKey, meta);
  return keySummary({ id, kind: 'ssh-private-key', value: '', meta });
}

/** Keeps an accepted token in the vault, with when it was accepted (`now`, ms since the epoch); returns its masked summary. */
export function putToken(
  vault: SecretVault,
  platform: PlatformId,
  verdict: Pick<Extract<TokenVerdict, { verdict: 'ok' }>, 'kind' | 'kindName' | 'token' | 'note'>,
  now: number = Date.now(),
  expiresAt?: number,
): TokenSummary {
  const meta: Record<string, string> = {
    platform,
    checkedAt: String(Math.floor(now)),
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) && expiresAt >= 0 ? { expiresAt: String(Math.floor(expiresAt)) } : {}),
    kind: verdict.kind,
    kindName: verdict.kindName,
    masked: maskToken(verdict.token),
    length: String(verdict.token.length),
    ...(verdict.note ? { note: verdict.note } : {}),
  };
  const id = vault.put('token', verdict.token, meta);
  return tokenSummary({ id, kind: 'token', value: '', meta });
}

function keySummary(s: StoredSecret): KeySummary {
  const m = s.meta;
  return {
    id: s.id,
    type: m.type === 'rsa' ? 'rsa' : 'ed25519',
    bits: Number(m.bits),
    format: (m.format ?? 'openssh') as KeyFormat,
    encrypted: m.encrypted === 'true',
    publicKey: m.publicKey ?? '',
    fingerprint: m.fingerprint ?? '',
    comment: m.comment ?? '',
    fileNames: { privateKey: m.privateKeyName ?? '', publicKey: m.publicKeyName ?? '' },
  };
}

function tokenSummary(s: StoredSecret): TokenSummary {
  const m = s.meta;
  return {
    id: s.id,
    platform: m.platform as PlatformId,
    kind: m.kind ?? 'token',
    kindName: m.kindName ?? 'token',
    masked: m.masked ?? '••••••••',
    length: Number(m.length ?? 0),
    ...(m.note ? { note: m.note } : {}),
    ...(m.checkedAt && /^\d+$/.test(m.checkedAt) ? { checkedAt: Number(m.checkedAt) } : {}),
    ...(m.expiresAt && /^\d+$/.test(m.expiresAt) ? { expiresAt: Number(m.expiresAt) } : {}),
  };
}

/** NOT_FOUND for a secret that is gone; SECRET_LOCKED for one saved under a passphrase not yet entered. */
function gone(vault: SecretVault, id: string): Result<never> {
  if (vault.isLocked(id)) return lockedOut();
  return err('NOT_FOUND', 'This credential is no longer available: it was kept in memory only, and the app restarted.', 'Generate, import or paste it again.');
}

export function lockedOut(): Result<never> {
  return err(
    'SECRET_LOCKED',
    'This credential was saved encrypted with your passphrase, which has not been entered since the app started.',
    'Unlock the saved secrets with the passphrase on the Credentials step.',
  );
}

/** The public facts of a vault entry. NOT_FOUND when it is gone; FORBIDDEN for a bare passphrase. */
export function describeSecret(
  vault: SecretVault,
  id: string,
): Result<({ secret: 'ssh-key'; saved: boolean } & KeySummary) | ({ secret: 'token'; saved: boolean } & TokenSummary)> {
  const s = vault.get(id);
  if (!s) return gone(vault, id);
  const saved = vault.isSaved(id);
  if (s.kind === 'ssh-private-key') return ok({ secret: 'ssh-key' as const, saved, ...keySummary(s) });
  if (s.kind === 'token') return ok({ secret: 'token' as const, saved, ...tokenSummary(s) });
  return err('FORBIDDEN', 'Passphrases are never shown.');
}

/**
 * A token's value, for one explicit Reveal or Copy. FORBIDDEN for private keys and passphrases
 * (they never leave the main process), NOT_FOUND when gone.
 */
export function revealToken(vault: SecretVault, id: string): Result<string> {
  const s = vault.get(id);
  if (!s) return gone(vault, id);
  if (s.kind !== 'token') return err('FORBIDDEN', 'Private keys and passphrases never leave the app; the public key and fingerprint are shown instead.');
  return ok(s.value);
}

/**
 * Stores the secret (and a key's passphrase) encrypted by the OS keychain, or in browser mode by
 * the user's passphrase once it is set and unlocked. SECRET_UNAVAILABLE otherwise (the CLI, or
 * browser mode before a passphrase): nothing is persisted then.
 */
export function persistSecret(vault: SecretVault, id: string): Result<{ persisted: true }> {
  const s = vault.get(id);
  if (!s) return gone(vault, id);
  if (!vault.canPersist()) {
    return err(
      'SECRET_UNAVAILABLE',
      'There is no OS keychain here, and no unlocked passphrase for saved secrets, so secrets are kept in memory only.',
      'In browser mode, set a passphrase for saved secrets first (Credentials step); the desktop app uses the OS keychain.',
    );
  }
  const ids = [id, ...(s.meta.passphraseId ? [s.meta.passphraseId] : [])];
  for (const each of ids) {
    if (!vault.persist(each)) return err('SECRET_UNAVAILABLE', 'The OS keychain refused to store the secret.', 'Unlock the keychain and try again.');
  }
  return ok({ persisted: true });
}

/** Forgets a secret and a key's passphrase, from memory and the keychain. */
export function forgetSecret(vault: SecretVault, id: string): void {
  const passphraseId = vault.get(id)?.meta.passphraseId;
  if (passphraseId) vault.delete(passphraseId);
  vault.delete(id);
}
