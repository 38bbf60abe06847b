/**
 * Turns a private key (text from the vault or a file) into what ssh2 can use, or says clearly
 * why not. ssh2 reads OpenSSH, PuTTY and PKCS#1/SEC1 PEM keys; RSA and ECDSA keys in PKCS#8
 * (what `openssl genrsa` writes since OpenSSL 3) are converted in memory. Ed25519 in PKCS#8 is
 * refused, because OpenSSH — the agent — cannot read it either.
 */
import { createPrivateKey } from 'node:crypto';
import ssh2 from 'ssh2';
import { err, ok, type Result } from '../../../shared/result';
import type { SecretVault } from '../vault';

export interface UsableKey {
  privateKey: string;
  passphrase?: string;
  /** e.g. ssh-rsa, ssh-ed25519. */
  type: string;
}

/** Checks and, when needed, converts a private key; never echoes key material in a message. */
export function usableKey(text: string, passphrase?: string): Result<UsableKey> {
  const trimmed = text.trim();
  if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-)\s/.test(trimmed) || trimmed.includes('BEGIN PUBLIC KEY') || trimmed.includes('BEGIN SSH2 PUBLIC KEY')) {
    return err('KEY_MALFORMED', 'This is a public key; the connectivity test needs the private key.', 'Choose the private key file (without .pub).');
  }
  if (/BEGIN (ENCRYPTED )?PRIVATE KEY/.test(trimmed)) return fromPkcs8(trimmed, passphrase);
  const parsed = ssh2.utils.parseKey(trimmed, passphrase);
  if (parsed instanceof Error) return keyError(parsed.message, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return err('KEY_MALFORMED', 'The file holds no private key.');
  return ok({ privateKey: trimmed, ...(passphrase ? { passphrase } : {}), type: key.type });
}

function fromPkcs8(pem: string, passphrase: string | undefined): Result<UsableKey> {
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch (error) {
    const message = error instanceof Error ? `${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}` : String(error);
    // OpenSSL says "interrupted or cancelled" when it wanted a passphrase and got none.
    if (/ENCRYPTED PRIVATE KEY/.test(pem) || /passphrase|decrypt|INTERRUPTED_OR_CANCELLED/i.test(message)) {
      return passphrase ? err('PASSPHRASE_WRONG', 'The passphrase does not open this key.') : err('PASSPHRASE_REQUIRED', 'This key is encrypted; give its passphrase.');
    }
    return err('KEY_MALFORMED', 'The PKCS#8 private key could not be read.', 'Check that the whole file was copied, including the BEGIN and END lines.');
  }
  if (key.asymmetricKeyType === 'rsa') return ok({ privateKey: String(key.export({ type: 'pkcs1', format: 'pem' })), type: 'ssh-rsa' });
  if (key.asymmetricKeyType === 'ec') return ok({ privateKey: String(key.export({ type: 'sec1', format: 'pem' })), type: 'ecdsa' });
  return err(
    'KEY_UNSUPPORTED',
    `A ${key.asymmetricKeyType ?? 'this'} key in PKCS#8 form cannot be used by OpenSSH.`,
    'Write the key in OpenSSH format (the Credentials step and `agent-onboard keygen --format openssh` do).',
  );
}

function keyError(message: string, passphrase: string | undefined): Result<UsableKey> {
  if (/encrypted|passphrase/i.test(message)) {
    return passphrase ? err('PASSPHRASE_WRONG', 'The passphrase does not open this key.') : err('PASSPHRASE_REQUIRED', 'This key is encrypted; give its passphrase.');
  }
  if (/unsupported/i.test(message)) return err('KEY_UNSUPPORTED', `This key type or format is not supported (${message}).`);
  return err('KEY_MALFORMED', 'The private key could not be read.', 'Check that the whole file was copied, including the BEGIN and END lines.');
}

/**
 * The usable key behind a vault id (kind 'ssh-private-key'), with the passphrase the key's
 * metadata points to. SECRET_UNAVAILABLE when the id is unknown (e.g. after a restart without a
 * keychain), TOKEN_WRONG_KIND for a token, else as usableKey.
 */
export function keyFromVault(vault: SecretVault, id: string): Result<UsableKey> {
  const secret = vault.get(id);
  if (!secret) return err('SECRET_UNAVAILABLE', 'The key chosen on the Credentials step is no longer available.', 'Go back to the Credentials step and create or import it again.');
  if (secret.kind !== 'ssh-private-key') return err('TOKEN_WRONG_KIND', 'The chosen credential is not an SSH private key.', 'Choose a key on the Credentials step.');
  const passphraseId = secret.meta.passphraseId;
  const passphrase = passphraseId ? vault.get(passphraseId)?.value : undefined;
  return usableKey(secret.value, passphrase);
}
