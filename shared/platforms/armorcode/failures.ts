/**
 * The tunnel agent's known failures (reference/platforms.md §1 plus the OpenSSH messages a pinned,
 * unattended tunnel meets), recognised in pasted supervisord/ssh/journal text by shared/diagnose.
 * Patterns never rely on line starts: diagnose joins the log into one line first.
 */
import type { KnownFailure } from '../types';

export const armorcodeFailures: KnownFailure[] = [
  {
    id: 'armorcode-unreachable-22',
    hop: 'registered',
    title: 'The ArmorCode server cannot be reached on port 22',
    patterns: [
      /FAILED connecting to server/i,
      /connect to host \S+ port 22: (?:Connection timed out|Connection refused|Network is unreachable|No route to host|Operation timed out)/i,
      /Connection (?:closed|reset) by \S+ port 22\b/i,
    ],
    cause: 'Outbound TCP 22 from the agent host is blocked (firewall, proxy or security group), so ssh never reaches the ArmorCode SSH server.',
    fix: "Open outbound TCP 22 to the ArmorCode server, or use ArmorCode's SSH endpoint on port 443: set the port to 443, generate the files again and rebuild (docker compose up -d --build).",
    action: { kind: 'switch-port', port: 443 },
  },
  {
    id: 'armorcode-exit-status-1',
    hop: 'stayed-up',
    title: 'The tunnel exits at once ("exit status 1; not expected")',
    patterns: [
      /exited: \S+ \(exit status 1; not expected\)/,
      /Identity file \S*private-key\.pem not accessible/,
      /Load key "[^"]*private-key\.pem": (?:No such file|Permission denied)/,
    ],
    cause: 'autossh/ssh stops immediately because private-key.pem is missing from the build folder or not readable by the user supervisord runs as (appuser).',
    fix: 'Put private-key.pem next to supervisord.conf (write the files again from the Configs step), make sure it is readable by its owner (mode 0600), run pre-launch-check.sh, then rebuild the image: docker compose up -d --build.',
    action: { kind: 'open-step', step: 'configs' },
  },
  {
    id: 'armorcode-remote-port-in-use',
    hop: 'connected',
    title: 'The remote port is still held on the server',
    patterns: [/remote port forwarding failed for listen port \d+/i],
    cause:
      'The ArmorCode server still has the remote port bound, usually by a stale session of this agent (a connection that died without closing), or a second agent with the same ports is running. With ExitOnForwardFailure=yes the tunnel exits instead of running without its forward.',
    fix: 'Make sure only one agent uses these ports (docker ps / systemctl status), then wait about ServerAliveInterval × ServerAliveCountMax (90 s with the defaults) for the server to drop the old session; the tunnel retries by itself. If it persists, ask ArmorCode to free the port or confirm it is the one assigned to you.',
  },
  {
    id: 'armorcode-host-key',
    hop: 'registered',
    title: "The server's host key does not match the pinned one",
    patterns: [/REMOTE HOST IDENTIFICATION HAS CHANGED/, /Host key verification failed/, /No \S+ host key is known for/],
    cause:
      "The agent checks the server's SSH host key against the pinned known_hosts (StrictHostKeyChecking=yes) and the key the server showed is not there: the key changed, the port changed (22 and 443 pin separately), or something is intercepting the connection.",
    fix: "Do not turn the check off. Confirm the server's fingerprint with ArmorCode, pin it again on the Connectivity step for the port you use, and write the files again.",
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'armorcode-publickey-denied',
    hop: 'registered',
    title: 'The server refuses the key',
    patterns: [/Permission denied \(publickey/],
    cause:
      'The ArmorCode server does not know this public key for this SSH user: the key was not sent to ArmorCode yet, a different key pair is in use, or the user name is wrong.',
    fix: 'Send public-key.pem to ArmorCode support and wait for their confirmation; check the SSH user they gave you; run pre-launch-check.sh to confirm private-key.pem matches public-key.pem.',
    action: { kind: 'open-step', step: 'credentials' },
  },
  {
    id: 'armorcode-key-permissions',
    hop: 'registered',
    title: 'The private key is readable by others',
    patterns: [/UNPROTECTED PRIVATE KEY FILE/, /Permissions 0\d{3} for '[^']*' are too open/],
    cause: 'ssh ignores a private key that other users can read.',
    fix: 'Run chmod 600 private-key.pem (the Dockerfile does this inside the image), then restart the agent.',
  },
];
