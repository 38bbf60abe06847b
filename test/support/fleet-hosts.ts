/**
 * The loopback "agent hosts" of a fleet test, as the Buildkite, GitLab Runner, Bamboo and Harness
 * fleet tests need them: a controller key pair (ssh-keygen), real sshd servers accepting it, each with its own
 * install root (etc, var/log, var/lib, run and its etc/hostname), the known_hosts that pins them,
 * the vault password in a file outside the project, and the fleet CSV that names them; then
 * ansible-playbook run with all of that (test/support/ansible.ts).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { runPlaybook, type PlaybookRun } from './ansible';
import { startSshd, type RunningSshd } from './sshd';

const run = promisify(execFile);

export interface FleetHost {
  name: string;
  sshd: RunningSshd;
  root: string;
}

export interface FleetHosts {
  hosts: FleetHost[];
  /** Each host's install root as it was before anything ran (tree()). */
  before: Record<string, Record<string, string>>;
  /** The vault password's file, outside the project (ansible-vault encrypt --vault-id fleet@FILE). */
  passFile: string;
  /** The CSV the export reads: name, ansible_host, ansible_port, ansible_user, install_root. */
  csv: string;
  /** ansible-playbook on `project` as the admin runs it: the controller key, the pinned hosts, the vault password file. */
  play(project: string, playbook: string, extra?: string[]): Promise<PlaybookRun>;
  /** Stops every sshd (what the agents started is the caller's to end first). */
  stop(): Promise<void>;
}

export interface FleetHostOptions {
  /** More folders each install root has before anything runs ('opt'), besides etc, var/log, var/lib and run. */
  dirs?: string[];
  /** More sshd_config lines for every host (e.g. `SetEnv PATH=…` to put a stand-in program first). */
  sshdConfig?: string[];
}

/** Starts one loopback sshd "host" per name, with its files under `dir`. */
export async function startFleetHosts(dir: string, names: string[], vaultPassword: string, options: FleetHostOptions = {}): Promise<FleetHosts> {
  const ctlKey = path.join(dir, 'controller_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'controller', '-f', ctlKey]);
  const ctlPub = readFileSync(`${ctlKey}.pub`, 'utf8').trim();
  const hosts: FleetHost[] = [];
  const before: Record<string, Record<string, string>> = {};
  for (const name of names) {
    const sshd = await startSshd({ authorizedKeys: [ctlPub], extraConfig: ['Subsystem sftp internal-sftp', ...(options.sshdConfig ?? [])] });
    const root = path.join(dir, `root-${name}`);
    for (const d of ['etc', 'var/log', 'var/lib', 'run', ...(options.dirs ?? [])]) mkdirSync(path.join(root, d), { recursive: true });
    writeFileSync(path.join(root, 'etc/hostname'), `${name}\n`);
    hosts.push({ name, sshd, root });
    before[name] = tree(root);
  }
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => h.sshd.knownHostsLine).join('\n') + '\n');
  const passFile = path.join(dir, 'vault-pass');
  writeFileSync(passFile, `${vaultPassword}\n`, { mode: 0o600 });
  return {
    hosts,
    before,
    passFile,
    csv: ['name,ansible_host,ansible_port,ansible_user,install_root', ...hosts.map((h) => `${h.name},127.0.0.1,${h.sshd.port},${h.sshd.user},${h.root}`)].join(
      '\n',
    ),
    play: (project, playbook, extra = []) => runPlaybook({ project, playbook, knownHosts, privateKey: ctlKey, vaultPasswordFile: passFile, extra }),
    stop: async () => {
      for (const h of hosts) await h.sshd.stop();
    },
  };
}

/** Every entry under `root` (but `skip`) with its mode and, for files, content hash: a host's state to compare. */
export function tree(root: string, skip = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (skip && (r === skip || r.startsWith(`${skip}/`))) continue;
      const st = statSync(abs);
      if (st.isDirectory()) {
        out[`${r}/`] = (st.mode & 0o7777).toString(8);
        walk(abs, r);
      } else out[r] = `${(st.mode & 0o7777).toString(8)} ${st.isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'special'}`;
    }
  };
  walk(root, '');
  return out;
}

/** Every file's bytes under `dir` (latin1), joined: to search a project for a secret in any form. */
export function folderBytes(dir: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else files.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return files.map((f) => readFileSync(f, 'latin1')).join('\n');
}
