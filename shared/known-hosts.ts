/**
 * The one known_hosts module: lines as OpenSSH writes and reads them, for the probe, the remote
 * installer, the Connectivity step and the generated agents' known_hosts files.
 *
 * Lookup follows OpenSSH (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): the name looked up is `host` on
 * port 22 and `[host]:port` on any other port (a `[host]:22` line, which ssh itself would pass
 * over, is read as the same pin for port 22: files the app writes carry the bare name, so ssh
 * reads them either way); a line lists names separated by commas, matched without case; a hashed name
 * (`|1|salt|hash`, as `ssh-keyscan -H` and HashKnownHosts write) matches when the HMAC-SHA1 of
 * the name under its salt is its hash; a key must be of a known type and its blob must say that
 * same type. Markers: `@revoked` keys are never pinned, even when another line lists them;
 * `@cert-authority` lines pin no host key (the app does not verify host certificates). Wildcard
 * and negated patterns are not pins: the app pins exactly the hosts it probed.
 */

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

/** A pinned host key: its algorithm and the base64 of its blob. */
export interface KnownHostsEntry {
  keyType: string;
  key: string;
}

/** The name OpenSSH looks up for host and port (host names are compared without case). */
export function knownHostsPattern(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** One known_hosts line for a host key. */
export function knownHostsLine(host: string, port: number, keyType: string, keyBase64: string): string {
  return `${knownHostsPattern(host, port)} ${keyType} ${keyBase64}`;
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

/** Parses one key, `TYPE BASE64`: null when the type is unknown, the base64 malformed or the blob says another type. */
export function parseKey(keyType: string, b64: string): KnownHostsEntry | null {
  if (!(HOST_KEY_TYPES as readonly string[]).includes(keyType)) return null;
  if (!/^[A-Za-z0-9+/]{16,16384}={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  return blobType(b64) === keyType ? { keyType, key: b64 } : null;
}

function bytesOf(b64: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** SHA-1 (FIPS 180-4), only for matching hashed known_hosts names: shared/ has no crypto module. */
function sha1(msg: Uint8Array): Uint8Array {
  const padded = new Uint8Array(((msg.length + 9 + 63) >> 6) << 6);
  padded.set(msg);
  padded[msg.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor((msg.length * 8) / 2 ** 32));
  view.setUint32(padded.length - 4, (msg.length * 8) >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (rotl(a, 5) + f + e + k + w[i]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30) >>> 0;
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
  const out = new Uint8Array(20);
  h.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v));
  return out;
}

/** HMAC-SHA1 (RFC 2104), as OpenSSH hashes known_hosts names. */
function hmacSha1(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha1(key) : key);
  const inner = new Uint8Array(64 + msg.length);
  const outer = new Uint8Array(64 + 20);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(msg, 64);
  outer.set(sha1(inner), 64);
  return sha1(outer);
}

/** True when a hashed name (`|1|salt|hash`) is the hash of `name`. */
function hashedMatches(hashed: string, name: string): boolean {
  const [, magic, saltB64 = '', hashB64 = ''] = hashed.split('|');
  if (magic !== '1') return false;
  const salt = bytesOf(saltB64);
  const hash = bytesOf(hashB64);
  if (!salt || !hash || salt.length !== 20 || hash.length !== 20) return false;
  const mac = hmacSha1(salt, new TextEncoder().encode(name));
  return mac.every((v, i) => v === hash[i]);
}

/** True when a line's host field names `name` (one of its comma-separated names, or its hash). */
function namesHost(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedMatches(hosts, name);
  return hosts.split(',').some((h) => h.toLowerCase() === name);
}

/** The host field, key type and key of a line, with its marker (`@revoked`, `@cert-authority`) if any; null for blanks and comments. */
function splitLine(raw: string): { marker?: string; hosts: string; keyType: string; key: string } | null {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return null;
  const fields = line.split(/\s+/);
  const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
  const [hosts = '', keyType = '', key = ''] = fields;
  return { ...(marker ? { marker } : {}), hosts, keyType, key };
}

/**
 * The keys pinned for host and port in a known_hosts text, each once, in file order (see the
 * module comment for the rule: exact names or hashes, valid keys, revoked keys never).
 */
export function pinnedKeys(text: string | undefined, host: string, port: number): KnownHostsEntry[] {
  const names = port === 22 ? [knownHostsPattern(host, 22), `[${host.toLowerCase()}]:22`] : [knownHostsPattern(host, port)];
  const pinned: KnownHostsEntry[] = [];
  const revoked = new Set<string>();
  for (const raw of (text ?? '').split(/\r?\n/)) {
    const line = splitLine(raw);
    if (!line || !names.some((name) => namesHost(line.hosts, name))) continue;
    const key = parseKey(line.keyType, line.key);
    if (!key) continue;
    if (line.marker === '@revoked') revoked.add(key.key);
    else if (!line.marker && !pinned.some((k) => k.keyType === key.keyType && k.key === key.key)) pinned.push(key);
  }
  return pinned.filter((k) => !revoked.has(k.key));
}

/**
 * Adds a line to a known_hosts text, replacing any earlier line for the same host pattern and
 * key type (a re-pin), keeping every other line as it was. Ends with a newline.
 */
export function mergeKnownHosts(existing: string | undefined, line: string): string {
  const [pattern, keyType] = line.trim().split(/\s+/);
  const kept = (existing ?? '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .filter((l) => {
      const [p, t] = l.trim().split(/\s+/);
      return !(p?.toLowerCase() === pattern?.toLowerCase() && t === keyType);
    });
  return [...kept, line.trim()].join('\n') + '\n';
}

/** Removes every plain line for host and port. */
export function unpinHost(existing: string | undefined, host: string, port: number): string {
  const pattern = knownHostsPattern(host, port);
  const kept = (existing ?? '').split(/\r?\n/).filter((l) => l.trim() !== '' && l.trim().split(/\s+/)[0]?.toLowerCase() !== pattern);
  return kept.length ? kept.join('\n') + '\n' : '';
}
