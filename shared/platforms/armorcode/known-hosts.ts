/**
 * The pinned host key of the ArmorCode server. The vendor's sample turns host key checking off;
 * the generated agent runs with StrictHostKeyChecking=yes against a known_hosts file built here
 * from lines the user verified (the Connectivity step's probe, or `--known-hosts FILE`), read by
 * the app's one known_hosts module (shared/known-hosts).
 */
import { knownHostsLine, knownHostsPattern, pinnedKeys } from '../../known-hosts';
import { err, ok, type Result } from '../../result';

/**
 * The known_hosts file of the agent: one normalised line per pinned key of host:port (comments
 * and other hosts dropped). Fails with HOST_KEY_REQUIRED when nothing is pinned for it.
 */
export function knownHostsFile(text: string | undefined, host: string, port: number): Result<string> {
  const keys = pinnedKeys(text, host, port);
  if (keys.length === 0) {
    const pattern = knownHostsPattern(host, port);
    return err(
      'HOST_KEY_REQUIRED',
      text?.trim()
        ? `The known_hosts text has no usable host key for ${pattern}; the agent checks the server's key and would refuse to connect.`
        : `No host key is pinned for ${pattern}; the agent checks the server's key (StrictHostKeyChecking=yes) and cannot start without one.`,
      `Check ${host} on port ${port} on the Connectivity step and confirm its fingerprint, or give the line from \`ssh-keyscan -p ${port} ${host}\` after comparing its fingerprint with the one ArmorCode gave you.`,
    );
  }
  return ok(keys.map((k) => `${knownHostsLine(host, port, k.keyType, k.key)}\n`).join(''));
}
