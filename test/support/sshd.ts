/**
 * A throwaway OpenSSH sshd on a loopback port for tests: its own ed25519 host key, its own
 * authorized_keys, everything in a temp dir that stop() removes.
 *
 * Usage:
 *   const sshd = await startSshd({ authorizedKeys: [publicKeyLine] });
 *   // ssh -p sshd.port sshd.user@127.0.0.1, expect host key sshd.hostKeyFingerprint
 *   await sshd.stop();
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SshdOptions {
  /** authorized_keys lines (OpenSSH public key lines, options allowed). */
  authorizedKeys: string[];
  /** Extra sshd_config lines, e.g. ['AllowTcpForwarding no']. Appended after the defaults. */
  extraConfig?: string[];
  /** Fixed port; default: a free loopback port. */
  port?: number;
  /** Words put before sshd's own command (e.g. `unshare -m …` to give its sessions a mount namespace of their own). */
  wrap?: string[];
}

export interface RunningSshd {
  host: '127.0.0.1';
  port: number;
  /** The only user that can log in (the user running the tests). */
  user: string;
  /** `SHA256:...` as ssh-keygen -l prints it. */
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA...` (one line, no comment). */
  hostPublicKey: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA...` for a known_hosts file. */
  knownHostsLine: string;
  /** The temp dir holding config, keys and logs. */
  dir: string;
  /** Everything sshd printed on stderr so far (-e logs there). */
  log(): string;
  stop(): Promise<void>;
}

/** A port the OS just handed out on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts sshd and resolves once its port accepts connections. */
export async function startSshd(opts: SshdOptions): Promise<RunningSshd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ao-sshd-'));
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', hostKey]);
  const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const { stdout: fp } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]);
  const hostKeyFingerprint = fp.split(/\s+/)[1] ?? '';
  const authorizedKeys = path.join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, opts.authorizedKeys.map((l) => l.trim()).join('\n') + '\n', { mode: 0o600 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = opts.port ?? (await freePort());
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'LogLevel VERBOSE',
      ...(opts.extraConfig ?? []),
    ].join('\n') + '\n',
  );

  const [cmd, ...args] = [...(opts.wrap ?? []), '/usr/sbin/sshd', '-D', '-e', '-f', config];
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log += String(d)));
  try {
    await waitForPort(port, child, () => log);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    hostKeyFingerprint,
    hostPublicKey,
    knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
    dir,
    log: () => log,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port} within 15 s: ${log()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
