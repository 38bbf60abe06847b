/**
 * The pinned host key of the ArmorCode server. The vendor's sample turns host key checking off;
 * the generated agent runs with StrictHostKeyChecking=yes against a known_hosts file built here
 * from lines the user verified (the Connectivity step's probe, or `--known-hosts FILE`).
 */
import { err, ok, type Result } from '../../result';

/** Host key algorithms a known_hosts line may carry. */
export const HOST_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export interface PinnedKey {
  type: string;
  /** Base64 of the key blob. */
  key: string;
}

/** The known_hosts host pattern OpenSSH looks up for host:port. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** The algorithm name inside a base64 key blob (its first length-prefixed string), or null. */
function blobType(b64: string): string | null {
  try {
    const head = atob(b64.slice(0, 64 - (64 % 4)));
    const len = (head.charCodeAt(0) << 24) | (head.charCodeAt(1) << 16) | (head.charCodeAt(2) << 8) | head.charCodeAt(3);
    if (len <= 0 || len > 64 || head.length < 4 + len) return null;
    return head.slice(4, 4 + len);
  } catch {
    return null;
  }
}

/** Parses one key: `TYPE BASE64`; null when malformed or the blob says another type. */
export function parseKey(type: string, b64: string): PinnedKey | null {
  if (!(HOST_KEY_TYPES as readonly string[]).includes(type)) return null;
  if (!/^[A-Za-z0-9+/]{16,16384}={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  return blobType(b64) === type ? { type, key: b64 } : null;
}

/**
 * The keys pinned for host:port in known_hosts text. Plain (unhashed) host patterns are
 * matched exactly: `host` for port 22, `[host]:port` for any port. Markers (`@revoked`,
 * `@cert-authority`), hashed names and malformed lines never pin anything.
 */
export function pinnedKeys(text: string, host: string, port: number): PinnedKey[] {
  const wanted = new Set([hostPattern(host, port), `[${host.toLowerCase()}]:${port}`]);
  const out: PinnedKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts = '', type = '', b64 = ''] = line.split(/\s+/);
    if (!hosts.split(',').some((h) => wanted.has(h.toLowerCase()))) continue;
    const key = parseKey(type, b64);
    if (key && !out.some((k) => k.type === key.type && k.key === key.key)) out.push(key);
  }
  return out;
}

/**
 * The known_hosts file of the agent: one normalised line per pinned key of host:port (comments
 * and other hosts dropped). Fails with HOST_KEY_REQUIRED when nothing is pinned for it.
 */
export function knownHostsFile(text: string | undefined, host: string, port: number): Result<string> {
  const keys = pinnedKeys(text ?? '', host, port);
  if (keys.length === 0) {
    const pattern = hostPattern(host, port);
    return err(
      'HOST_KEY_REQUIRED',
      text?.trim()
        ? `The known_hosts text has no usable host key for ${pattern}; the agent checks the server's key and would refuse to connect.`
        : `No host key is pinned for ${pattern}; the agent checks the server's key (StrictHostKeyChecking=yes) and cannot start without one.`,
      `Check ${host} on port ${port} on the Connectivity step and confirm its fingerprint, or give the line from \`ssh-keyscan -p ${port} ${host}\` after comparing its fingerprint with the one ArmorCode gave you.`,
    );
  }
  const pattern = hostPattern(host, port);
  return ok(keys.map((k) => `${pattern} ${k.type} ${k.key}\n`).join(''));
}
