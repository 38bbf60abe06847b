/**
 * What proves an ArmorCode tunnel is up (reference/next-platforms.md A4). ArmorCode has no API or
 * health endpoint for this, so the proof is local: supervisord kept the program up, autossh started
 * ssh, ssh authenticated (LogLevel=VERBOSE prints it), and no forward failure followed while the
 * session held (ExitOnForwardFailure=yes makes a refused forward end the session at once, and
 * OpenSSH prints `remote forward success` only at DEBUG1, so "held without failing" is the proof).
 */
import type { OnlineSignal } from '../types';

/** How long an authenticated session must hold without a forward failure to count as connected. */
export const ARMORCODE_HOLD_MS = 3_000;

export const armorcodeOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'started',
    id: 'autossh-starting-ssh',
    pattern: /starting ssh \(count \d+\)/,
    meaning: 'autossh started ssh',
    source: 'autossh 1.4g autossh.c',
  },
  {
    kind: 'log',
    hop: 'started',
    id: 'systemd-started',
    pattern: /Started (?:ArmorCode tunnel|armorcode-tunnel-)/,
    meaning: 'systemd started the tunnel unit',
    source: 'systemd (unit Description of the generated unit)',
  },
  {
    kind: 'log',
    hop: 'stayed-up',
    id: 'supervisord-running',
    pattern: /success: (\S+) entered RUNNING state, process has stayed up for > than \d+ seconds/,
    meaning: 'supervisord saw the tunnel program stay up past startsecs',
    source: 'supervisor/process.py',
  },
  {
    kind: 'log',
    hop: 'registered',
    id: 'ssh-authenticated',
    pattern: /Authenticated to \S+ \(\[[^\]]+\]:\d+\) using "[^"]+"/,
    meaning: 'ssh authenticated to the ArmorCode server with the agent key',
    source: 'openssh-portable sshconnect2.c (VERBOSE)',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'ssh-forward-held',
    pattern: /Authenticated to \S+ \(\[[^\]]+\]:\d+\) using "[^"]+"/,
    meaning: `the session held its remote forwards for ${ARMORCODE_HOLD_MS / 1000} s without "remote port forwarding failed" (ExitOnForwardFailure=yes)`,
    source: 'openssh-portable ssh.c ssh_confirm_remote_forward, clientloop.c',
    holdMs: ARMORCODE_HOLD_MS,
  },
];
