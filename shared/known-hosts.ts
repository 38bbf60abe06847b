/**
 * known_hosts lines, as OpenSSH reads them: `host type base64` on port 22, `[host]:port type
 * base64` on any other port. Only plain (unhashed) host patterns are written and read here;
 * the app pins exactly the hosts it probed.
 */

/** The host pattern OpenSSH looks up for host and port. */
export function knownHostsPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** One known_hosts line for a host key. */
export function knownHostsLine(host: string, port: number, keyType: string, keyBase64: string): string {
  return `${knownHostsPattern(host, port)} ${keyType} ${keyBase64}`;
}

export interface KnownHostsEntry {
  patterns: string[];
  keyType: string;
  key: string;
}

/** The usable entries of a known_hosts text (comments, markers and hashed names skipped). */
export function parseKnownHosts(text: string | undefined): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = [];
  for (const raw of (text ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('@') || line.startsWith('|')) continue;
    const [hosts, keyType, key] = line.split(/\s+/);
    if (!hosts || !keyType || !key) continue;
    out.push({ patterns: hosts.split(','), keyType, key });
  }
  return out;
}

/** The pinned keys for host and port (exact pattern match, as the app writes them). */
export function pinnedKeys(text: string | undefined, host: string, port: number): KnownHostsEntry[] {
  const pattern = knownHostsPattern(host, port).toLowerCase();
  return parseKnownHosts(text).filter((e) => e.patterns.some((p) => p.toLowerCase() === pattern));
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

/** Removes every line for host and port. */
export function unpinHost(existing: string | undefined, host: string, port: number): string {
  const pattern = knownHostsPattern(host, port).toLowerCase();
  const kept = (existing ?? '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && l.trim().split(/\s+/)[0]?.toLowerCase() !== pattern);
  return kept.length ? kept.join('\n') + '\n' : '';
}
