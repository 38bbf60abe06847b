/**
 * The admin's side of a test "agent host" (a real loopback sshd): the CLI's host arguments, the
 * service-level target, and an undo carried out the way the Install step's Undo does it.
 */
import { readFileSync } from 'node:fs';
import type { InstallRecord } from '../../main/services/remote/install';
import { openSession, type HostTarget } from '../../main/services/remote/session';
import { planRemoteUndo, runRemoteUndo } from '../../main/services/remote/undo';

export interface AdminLogin {
  port: number;
  user: string;
  /** Path of the admin's private key. */
  key: string;
  /** Path of the known_hosts file holding the host's key. */
  knownHosts: string;
}

/** `--host 127.0.0.1 --port … --user … --key … --known-hosts …` for `install` / `verify`. */
export function cliHostArgs(l: AdminLogin): string[] {
  return ['--host', '127.0.0.1', '--port', String(l.port), '--user', l.user, '--key', l.key, '--known-hosts', l.knownHosts];
}

export function hostTarget(l: AdminLogin): HostTarget {
  return { host: '127.0.0.1', port: l.port, user: l.user, privateKey: readFileSync(l.key, 'utf8'), knownHosts: readFileSync(l.knownHosts, 'utf8') };
}

/** Plans and runs the undo of `record` (files moved aside under `aside`); throws on any refusal. */
export async function undoOnHost(target: HostTarget, record: InstallRecord, aside: string, asRoot = true): Promise<void> {
  const s = await openSession(target);
  if (!s.ok) throw new Error(s.error.message);
  try {
    const plan = await planRemoteUndo(s.value, record, aside);
    if (!plan.ok) throw new Error(plan.error.message);
    const done = await runRemoteUndo(s.value, record, plan.value, asRoot);
    if (!done.ok) throw new Error(`${done.error.code}: ${done.error.message}`);
  } finally {
    s.value.close();
  }
}
