/**
 * Running the real ansible-playbook (Debian's ansible-core) against loopback sshd "hosts":
 * host keys checked against a known_hosts file the test writes, the controller's own key, and the
 * vault password from a file outside the project (the project never holds it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PlaybookRun {
  code: number;
  output: string;
  /** PLAY RECAP counters per host. */
  recap: Record<string, Record<string, number>>;
}

export interface PlaybookOptions {
  project: string;
  playbook: string;
  knownHosts: string;
  privateKey: string;
  vaultPasswordFile: string;
  extra?: string[];
}

/** Parses the PLAY RECAP lines (`host : ok=3 changed=1 unreachable=0 failed=0 ...`). */
export function parseRecap(output: string): Record<string, Record<string, number>> {
  const recap: Record<string, Record<string, number>> = {};
  const at = output.lastIndexOf('PLAY RECAP');
  if (at < 0) return recap;
  for (const line of output.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    recap[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  }
  return recap;
}

/** Runs one playbook of the project; resolves with its exit code, output and recap. */
export function runPlaybook(o: PlaybookOptions): Promise<PlaybookRun> {
  const args = [o.playbook, '--vault-id', `fleet@${o.vaultPasswordFile}`, '--private-key', o.privateKey, ...(o.extra ?? [])];
  const env = {
    ...process.env,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    // The test's known_hosts stands in for the admin's; nothing else is trusted.
    // Ansible's own defaults (ControlMaster/ControlPersist) kept, so tasks reuse one connection; the
    // control sockets are this run's own, so a later run checks host keys and reachability afresh.
    ANSIBLE_SSH_CONTROL_PATH_DIR: mkdtempSync(path.join(tmpdir(), 'ao-ansible-cp-')),
    ANSIBLE_SSH_ARGS: `-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${o.knownHosts} -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o ConnectTimeout=5`,
    ANSIBLE_CONFIG: `${o.project}/ansible.cfg`,
  };
  const controlDir = env.ANSIBLE_SSH_CONTROL_PATH_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { cwd: o.project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(controlDir, { recursive: true, force: true });
      resolve({ code: code ?? -1, output, recap: parseRecap(output) });
    });
  });
}
