/**
 * SSH key text, recognised without any crypto: which container a pasted or dropped key is in
 * (OpenSSH, PKCS#1, PKCS#8), whether it is encrypted, and what it is when it is not a private key
 * we can use (a public key, a certificate, a PuTTY or ssh.com key, an ECDSA/DSA key). Pure, so
 * the renderer can ask for a passphrase before the key is sent, and the main process can parse
 * exactly the block found here.
 */

import { PLATFORMS } from './platforms';

/** The key algorithms the app generates and imports. */
export const KEY_TYPES = ['ed25519', 'rsa'] as const;
/** The key algorithms the app generates and imports. */
export type KeyType = (typeof KEY_TYPES)[number];

/** The private key file formats the app writes and reads. */
export const KEY_FORMATS = ['openssh', 'pkcs1', 'pkcs8'] as const;
/** Private key file formats: openssh-key-v1, PKCS#1 PEM (`RSA PRIVATE KEY`), PKCS#8 PEM. */
export type KeyFormat = (typeof KEY_FORMATS)[number];

/** RSA modulus sizes the app generates. */
export const RSA_BITS = [2048, 3072, 4096] as const;
/** RSA modulus sizes the app generates (ssh-keygen's default is 3072). */
export type RsaBits = (typeof RSA_BITS)[number];

/** Shortest passphrase for a generated key (ssh-keygen refuses shorter ones too). */
export const MIN_PASSPHRASE = 5;

/** Longest key text accepted (a 16384-bit RSA key in PEM is about 13 KB). */
export const MAX_KEY_TEXT = 64 * 1024;

/** What a piece of key text turned out to be. */
export type DetectedKey =
  | {
      kind: 'private';
      format: KeyFormat;
      encrypted: boolean;
      /** The key block alone, re-wrapped (64 columns for PEM, 70 for OpenSSH as ssh-keygen writes it), LF line ends. */
      block: string;
    }
  /** Recognised, but not something the app can use (the message says what to do). */
  | { kind: 'unsupported'; message: string; hint: string }
  /** Not a private key, or damaged. */
  | { kind: 'malformed'; message: string; hint: string };

const OPENSSH_MAGIC_B64 = 'b3BlbnNzaC1rZXktdjEA';
// "openssh-key-v1\0" + string "none" (the cipher name of an unencrypted key), base64-encoded.
const OPENSSH_NONE_B64 = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU';

const LABELS: Record<string, { format: KeyFormat; encrypted?: boolean }> = {
  'OPENSSH PRIVATE KEY': { format: 'openssh' },
  'RSA PRIVATE KEY': { format: 'pkcs1' },
  'PRIVATE KEY': { format: 'pkcs8', encrypted: false },
  'ENCRYPTED PRIVATE KEY': { format: 'pkcs8', encrypted: true },
};

const UNSUPPORTED_LABELS: Record<string, { message: string; hint: string }> = {
  'EC PRIVATE KEY': {
    message: 'This is an ECDSA key; this platform needs an Ed25519 or RSA key.',
    hint: 'Generate a new key here, or import an Ed25519 or RSA key.',
  },
  'DSA PRIVATE KEY': { message: 'This is a DSA key; current OpenSSH no longer accepts DSA keys.', hint: 'Generate a new key here instead.' },
  'SSH2 ENCRYPTED PRIVATE KEY': {
    message: 'This is an SSH.com (SECSH) private key, which OpenSSH cannot read.',
    hint: 'Convert it first with `ssh-keygen -i -f KEY > KEY.openssh`, then import the result.',
  },
};

// The private key file names of the platforms that use key pairs, from the registry.
const KEY_FILES = PLATFORMS.flatMap((p) => (p.credential.kind === 'ssh-keypair' ? [`for ${p.name}, ${p.credential.privateKeyName}`] : []));
const PUBLIC_HINT = `Import the private key instead: the file without .pub${KEY_FILES.length ? ` (${KEY_FILES.join('; ')})` : ''}.`;

function malformed(message: string, hint = 'Copy the whole key again, from the -----BEGIN line to the -----END line.'): DetectedKey {
  return { kind: 'malformed', message, hint };
}

/** Normalises line ends, drops a byte-order mark and zero-width characters an editor or web page added. */
function normalise(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/[\u200B-\u200D\u2060]/g, '')
    .replace(/\r\n?/g, '\n');
}

function wrap(b64: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return lines.join('\n');
}

/** Recognises text that is clearly something else than a PEM/OpenSSH private key. */
function recogniseOther(text: string): DetectedKey | undefined {
  const trimmed = text.trim();
  if (/^PuTTY-User-Key-File-\d+:/m.test(trimmed)) {
    return { kind: 'unsupported', message: 'This is a PuTTY (.ppk) key.', hint: 'In PuTTYgen: Conversions → Export OpenSSH key, then import that file.' };
  }
  if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-\S+)\s+AAAA[A-Za-z0-9+/=]+/m.test(trimmed)) {
    return malformed('This is a public key (one line starting with ssh-…), not a private key.', PUBLIC_HINT);
  }
  if (/^---- BEGIN SSH2 PUBLIC KEY ----/m.test(trimmed)) return malformed('This is a public key in SSH2 format, not a private key.', PUBLIC_HINT);
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(trimmed)) return malformed('This is a public key in PEM format, not a private key.', PUBLIC_HINT);
  if (/-----BEGIN CERTIFICATE-----/.test(trimmed)) return malformed('This is a certificate, not a private key.', 'Import the SSH private key.');
  if (trimmed === '') return malformed('There is no key text.', 'Paste the private key, choose its file, or drop it here.');
  return undefined;
}

/** Checks the base64 body of a block; returns the joined body or a reason. */
function readBody(lines: string[]): { body: string } | { reason: string } {
  const body = lines.join('');
  if (body === '') return { reason: 'The key block is empty.' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 === 1) {
    return { reason: 'The key text contains characters that cannot be in a key (it may have been changed by an e-mail program or an editor).' };
  }
  return { body };
}

/**
 * Finds the one private key block in `text` and says what it is. Text around the block (an
 * e-mail's words, a file name) is ignored; two private key blocks are refused.
 */
export function detectKey(text: string): DetectedKey {
  if (text.length > MAX_KEY_TEXT) return malformed(`The text is too long to be a key (${text.length} characters).`, 'Choose the private key file itself.');
  const clean = normalise(text);
  const blocks = [...clean.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\n?([\s\S]*?)-----END \1-----/g)];
  const privateBlocks = blocks.filter((m) => /PRIVATE KEY$/.test(m[1] ?? ''));
  if (privateBlocks.length === 0) {
    const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(clean);
    if (begin && /PRIVATE KEY$/.test(begin[1] ?? '') && !clean.includes(`-----END ${begin[1]}-----`)) {
      return malformed('The key is cut off: its -----END line is missing.');
    }
    return recogniseOther(clean) ?? malformed('This is not an SSH private key.', 'Choose the private key file (it starts with -----BEGIN … PRIVATE KEY-----).');
  }
  if (privateBlocks.length > 1) return malformed('The text holds more than one private key.', 'Import one key at a time.');
  const [, label = '', inner = ''] = privateBlocks[0]!;
  const unsupported = UNSUPPORTED_LABELS[label];
  if (unsupported) return { kind: 'unsupported', ...unsupported };
  const known = LABELS[label];
  if (!known) return { kind: 'unsupported', message: `Keys labelled "${label}" are not supported.`, hint: 'Import an OpenSSH, PKCS#1 or PKCS#8 private key.' };

  const lines = inner
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const headers = lines.filter((l) => /^[A-Za-z-]+:/.test(l));
  const bodyLines = lines.filter((l) => !/^[A-Za-z-]+:/.test(l));
  const read = readBody(bodyLines);
  if ('reason' in read) return malformed(read.reason);

  if (known.format === 'openssh') {
    if (headers.length) return malformed('An OpenSSH private key has no header lines.');
    if (!read.body.startsWith(OPENSSH_MAGIC_B64)) return malformed('The key says it is an OpenSSH key but its contents are not.');
    const encrypted = !read.body.startsWith(OPENSSH_NONE_B64);
    return { kind: 'private', format: 'openssh', encrypted, block: `-----BEGIN ${label}-----\n${wrap(read.body, 70)}\n-----END ${label}-----\n` };
  }
  const encrypted = known.encrypted ?? headers.some((h) => /^Proc-Type:\s*4,\s*ENCRYPTED$/i.test(h));
  if (encrypted && known.format === 'pkcs1' && !headers.some((h) => /^DEK-Info:/i.test(h))) return malformed('The encrypted key is missing its DEK-Info line.');
  const head = headers.length ? `${headers.join('\n')}\n\n` : '';
  return { kind: 'private', format: known.format, encrypted, block: `-----BEGIN ${label}-----\n${head}${wrap(read.body, 64)}\n-----END ${label}-----\n` };
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Checks a key comment: one line of printable text, at most 256 characters. Returns a reason
 * when it is not acceptable (a newline in a comment would add a line to authorized_keys).
 */
export function commentProblem(comment: string): string | undefined {
  if (comment.length > 256) return 'The comment is longer than 256 characters.';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(comment)) return 'The comment must be one line without control characters.';
  return undefined;
}
