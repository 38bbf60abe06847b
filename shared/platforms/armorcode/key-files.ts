/**
 * private-key.pem and public-key.pem as the vendor's layout expects them: the private key as PEM
 * text (RSA as `openssl genrsa` writes it, or an OpenSSH-format Ed25519 key) with no passphrase —
 * the tunnel runs unattended — and the public key as one OpenSSH line (`ssh-rsa AAAA… comment`).
 */
import { err, ok, type Result } from '../../result';

const PEM = /^-----BEGIN (RSA PRIVATE KEY|PRIVATE KEY|OPENSSH PRIVATE KEY|EC PRIVATE KEY)-----\n([A-Za-z0-9+/=\n]+)\n-----END \1-----$/;
const PUBLIC =
  // eslint-disable-next-line no-control-regex -- the comment may hold anything but control and bidi characters.
  /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) ([A-Za-z0-9+/]{16,}={0,2})(?: ([^\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]{0,256}))?$/;

/** The private key file's text, normalised to LF with one final newline; refuses encrypted keys. */
export function privateKeyFile(text: string): Result<string> {
  const pem = text.replace(/\r\n?/g, '\n').trim();
  if (/ENCRYPTED|Proc-Type:/.test(pem)) {
    return err(
      'PASSPHRASE_REQUIRED',
      'The private key is protected by a passphrase; the tunnel runs unattended and cannot type it.',
      'Use a key without a passphrase (keep it safe with file mode 0600 on the agent host), or remove the passphrase with `ssh-keygen -p -N "" -f KEY`.',
    );
  }
  if (!PEM.test(pem))
    return err(
      'KEY_MALFORMED',
      'The private key is not a PEM private key (-----BEGIN … PRIVATE KEY-----).',
      'Generate one on the Credentials step, or with `openssl genrsa -out private-key.pem 2048`.',
    );
  return ok(pem + '\n');
}

/** The public key file: one OpenSSH line; refuses anything else (a PEM public key, several lines). */
export function publicKeyFile(text: string): Result<string> {
  const line = text.replace(/\r\n?/g, '\n').trim();
  const m = PUBLIC.exec(line);
  if (!m)
    return err(
      'KEY_MALFORMED',
      'The public key is not one OpenSSH line (ssh-rsa AAAA… or ssh-ed25519 AAAA…).',
      'Derive it with `ssh-keygen -y -f private-key.pem > public-key.pem`.',
    );
  return ok(`${m[1]} ${m[2]}${m[3] ? ` ${m[3].trim()}` : ''}`.trimEnd() + '\n');
}

/** The key type of an OpenSSH public key line ('ssh-rsa', 'ssh-ed25519', …). */
export function publicKeyType(line: string): string {
  return line.trim().split(/\s+/)[0] ?? '';
}
