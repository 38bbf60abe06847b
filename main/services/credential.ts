/**
 * The credential a platform's generator gets, built in the main process from the vault (the
 * wizard) or from files and environment variables (the CLI). Private keys are converted to the
 * format the platform needs (armorcode: RSA as PKCS#1 PEM, as `openssl genrsa` wrote it before
 * OpenSSL 3; Ed25519 stays OpenSSH) and must open without a passphrase: agents run unattended.
 */
import type { Credential, CredentialSpec } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { importKey, keyForSsh2, type Ssh2Key } from './keys';
import { lockedOut } from './secrets';
import type { SecretVault, StoredSecret } from './vault';

/**
 * An SSH key pair credential from a private key's text; `comment` (the vault's, shown in the UI)
 * ends the public key line when the key file has none (PEM). Failure codes: KEY_MALFORMED,
 * KEY_UNSUPPORTED (from keys.importKey), PASSPHRASE_REQUIRED (encrypted keys: the agent could not
 * open them unattended).
 */
export function sshCredential(
  privateKeyText: string,
  spec: Extract<CredentialSpec, { kind: 'ssh-keypair' }>,
  knownHosts?: string,
  comment?: string,
): Result<Credential> {
  // A PEM key carries no comment: the one shown on the Credentials step (the vault's) goes on the public key line.
  const imported = importKey({ text: privateKeyText, format: spec.privateKeyFormat, ...(comment ? { comment } : {}) });
  if (!imported.ok) {
    if (imported.error.code === 'PASSPHRASE_REQUIRED') return unattended();
    return imported;
  }
  if (imported.value.encrypted) return unattended();
  if (!spec.keyTypes.includes(imported.value.type)) {
    return err(
      'KEY_UNSUPPORTED',
      `This platform takes ${spec.keyTypes.join(' or ')} keys, not ${imported.value.type}.`,
      'Generate a new key pair on the Credentials step.',
    );
  }
  return ok({ kind: 'ssh-keypair', privateKey: imported.value.privateKey, publicKey: imported.value.publicKey, ...(knownHosts ? { knownHosts } : {}) });
}

function unattended(): Result<never> {
  return err(
    'PASSPHRASE_REQUIRED',
    'The private key is protected by a passphrase; the agent runs unattended and cannot type it.',
    'Use a key without a passphrase (the generated file is mode 0600), or remove it with `ssh-keygen -p -N "" -f KEY`.',
  );
}

/** A token credential; refuses an empty one. */
export function tokenCredential(token: string): Result<Credential> {
  const value = token.trim();
  if (!value) return err('TOKEN_INVALID', 'The token is empty.');
  return ok({ kind: 'token', token: value });
}

/**
 * The vault entry chosen on the Credentials step, when it is of the kind wanted. Failure codes:
 * SECRET_UNAVAILABLE (no id, unknown id, or the secret is gone after a restart without a
 * keychain), TOKEN_WRONG_KIND (a token where a key is needed or the reverse).
 */
export function chosenSecret(vault: SecretVault, credentialId: string | undefined, kind: 'ssh-private-key' | 'token'): Result<StoredSecret> {
  const what = kind === 'ssh-private-key' ? 'SSH key pair' : 'token';
  if (!credentialId) return err('SECRET_UNAVAILABLE', `No ${what} is chosen yet.`, `Create or import one on the Credentials step.`);
  const secret = vault.get(credentialId);
  if (!secret && vault.isLocked(credentialId)) return lockedOut();
  if (!secret)
    return err(
      'SECRET_UNAVAILABLE',
      `The ${what} chosen on the Credentials step is no longer available (secrets are kept in memory only when there is no OS keychain).`,
      'Go back to the Credentials step and create or import it again.',
    );
  if (secret.kind !== kind)
    return err(
      'TOKEN_WRONG_KIND',
      `The chosen credential is not ${kind === 'ssh-private-key' ? 'an SSH private key' : 'a token'}.`,
      'Choose the right one on the Credentials step.',
    );
  return ok(secret);
}

/**
 * The private key behind a vault id, ready for ssh2's client, opened with the passphrase its
 * metadata points to (meta.passphraseId). Failure codes: those of chosenSecret and keys.keyForSsh2.
 */
export function sshKeyFromVault(vault: SecretVault, credentialId: string): Result<Ssh2Key> {
  const secret = chosenSecret(vault, credentialId, 'ssh-private-key');
  if (!secret.ok) return secret;
  const passphraseId = secret.value.meta.passphraseId;
  return keyForSsh2(secret.value.value, passphraseId ? vault.get(passphraseId)?.value : undefined);
}

/**
 * The credential for `spec` from the vault entry `credentialId`. Failure codes: those of
 * chosenSecret, sshCredential and tokenCredential.
 */
export function credentialFromVault(vault: SecretVault, spec: CredentialSpec, credentialId: string | undefined, knownHosts?: string): Result<Credential> {
  if (spec.kind === 'none') return ok({ kind: 'none' });
  const secret = chosenSecret(vault, credentialId, spec.kind === 'ssh-keypair' ? 'ssh-private-key' : 'token');
  if (!secret.ok) return secret;
  return spec.kind === 'ssh-keypair' ? sshCredential(secret.value.value, spec, knownHosts, secret.value.meta.comment) : tokenCredential(secret.value.value);
}
