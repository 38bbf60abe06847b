/**
 * The loopback "agent hosts" of a fleet test, as the Buildkite, GitLab Runner, Bamboo and Harness
 * fleet tests need them: a controller key pair (ssh-keygen), real sshd servers accepting it, each with its own
 * install root (etc, var/log, var/lib, run and its etc/hostname), the known_hosts that pins them,
 * the vault password in a file outside the project, and the fleet CSV that names them; then
 * ansible-playbook run with all of that (test/support/ansible.ts).
 *
 * With `ownEtc`, a host installs under / instead: its sshd runs in a mount namespace of its own
 * (`unshare -m`) whose /etc is an overlay (lower: this machine's /etc, upper: the host's
 * etc-upper folder), as test/integration/remote-install-systemd.test.ts does for one host, so
 * every write into /etc (units, useradd) lands in that host's upper folder and no host sees
 * another's; `bin` comes first on its sessions' PATH (the stand-ins a test puts there).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runPlaybook, type PlaybookRun } from './ansible';
import { startSshd, type RunningSshd } from './sshd';

const run = promisify(execFile);

export interface FleetHost {
  name: string;
  sshd: RunningSshd;
  /** The install root ('' with ownEtc: the host's own / ). */
  root: string;
  /** With ownEtc: the overlay's upper folder (every change the host made to its /etc), and the host's own folder for stand-in state. */
  etcUpper?: string;
  home?: string;
}

export interface FleetHostOptions {
  /**
   * Hosts that install under / with an /etc of their own (see above). `bin`: first on the
   * sessions' PATH; `env(home)`: more variables for the sessions (e.g. a stand-in's state folder
   * under the host's own folder `home`).
   */
  ownEtc?: { bin: string; env?: (home: string) => Record<string, string> };
  /** More folders each install root has before anything runs ('opt'), besides etc, var/log, var/lib and run (not with ownEtc). */
  dirs?: string[];
  /** More sshd_config lines for every host (e.g. `SetEnv PATH=…` to put a stand-in program first; not with ownEtc). */
  sshdConfig?: string[];
}

/** Why a host cannot have an /etc of its own here ('' when it can): root, unshare and overlayfs are needed. */
export function ownEtcProblem(): string {
  if (process.getuid?.() !== 0) return 'needs root for a mount namespace with an overlay /etc';
  try {
    const d = mkdtempSync(path.join(tmpdir(), 'ao-ovl-probe-'));
    mkdirSync(path.join(d, 'u'));
    mkdirSync(path.join(d, 'w'));
    try {
      execFileSync('unshare', ['-m', 'sh', '-c', `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/u,workdir=${d}/w /etc`]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
    return '';
  } catch (e) {
    return `unshare/overlay not available: ${String(e).slice(0, 120)}`;
  }
}

/**
 * The files and symbolic links in an overlay's upper folder (mode, and content hash or link
 * target), but `skip`: what a host changed in its /etc. Folders are left out: the overlay copies a
 * folder up when anything in it changes, even when the folder itself does not.
 */
export function etcChanges(upper: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (skip.some((s) => r === s || r.startsWith(`${s}/`))) continue;
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(abs, r);
      else if (st.isSymbolicLink()) out[r] = 'link';
      else out[r] = `${(st.mode & 0o7777).toString(8)} ${st.isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'special'}`;
    }
  };
  walk(upper, '');
  return out;
}

export interface FleetHosts {
  hosts: FleetHost[];
  /** Each host's install root as it was before anything ran (tree(); with ownEtc, etcChanges() of its upper folder). */
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

/** Starts one loopback sshd "host" per name, with its files under `dir`. */
export async function startFleetHosts(dir: string, names: string[], vaultPassword: string, options: FleetHostOptions = {}): Promise<FleetHosts> {
  const ctlKey = path.join(dir, 'controller_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'controller', '-f', ctlKey]);
  const ctlPub = readFileSync(`${ctlKey}.pub`, 'utf8').trim();
  const hosts: FleetHost[] = [];
  const before: Record<string, Record<string, string>> = {};
  for (const name of names) {
    const own = options.ownEtc;
    if (own) {
      const home = path.join(dir, `host-${name}`);
      const etcUpper = path.join(home, 'etc-upper');
      mkdirSync(etcUpper, { recursive: true });
      mkdirSync(path.join(home, 'etc-work'));
      const env = Object.entries({ PATH: `${own.bin}:/usr/bin:/bin:/usr/sbin:/sbin`, ...own.env?.(home) }).map(([k, v]) => `${k}=${v}`);
      const inNamespace = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${etcUpper},workdir=${home}/etc-work /etc && exec "$@"`;
      const sshd = await startSshd({
        authorizedKeys: [ctlPub],
        extraConfig: ['Subsystem sftp internal-sftp', `SetEnv ${env.join(' ')}`],
        wrap: ['unshare', '-m', 'sh', '-c', inNamespace, 'sh'],
      });
      hosts.push({ name, sshd, root: '', etcUpper, home });
      before[name] = etcChanges(etcUpper);
      continue;
    }
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
