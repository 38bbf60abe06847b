/**
 * The ArmorCode tunnel agent with real parts: keys from openssl and ssh-keygen, files written by
 * the file service, a real sshd on loopback standing in for the ArmorCode server (the generated
 * public key authorized, its host key pinned), real supervisord running the generated
 * supervisord.conf with real autossh/ssh, and two tiny HTTP services behind the tunnels. Only the
 * container paths are mapped to the test's temp folder (ArmorcodeLayout).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../shared/diagnose';
import { armorcode } from '../../shared/platforms/armorcode';
import { generateArmorcode } from '../../shared/platforms/armorcode/generate';
import { CONTAINER_LAYOUT, type ArmorcodeLayout } from '../../shared/platforms/armorcode/tunnel';
import type { Credential } from '../../shared/platforms/types';
import { sshCredential } from '../../main/services/credential';
import { writeArtifacts } from '../../main/services/files';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { getLoopback, until } from '../support/net-servers';

const run = promisify(execFile);
const spec = armorcode.credential as Extract<typeof armorcode.credential, { kind: 'ssh-keypair' }>;

interface Service {
  server: http.Server;
  port: number;
}

function startHttp(body: string, host = '127.0.0.1'): Promise<Service> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => res.end(body));
    server.listen(0, host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** Children of a pid, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The ssh processes under supervisord → autossh (Debian's autossh is a wrapper that execs the binary). */
function sshPids(supervisordPid: number): number[] {
  return childrenOf(supervisordPid).flatMap((autossh) => childrenOf(autossh).filter((p) => commOf(p) === 'ssh'));
}

function startSupervisord(conf: string): ChildProcess {
  return spawn('/usr/bin/supervisord', ['--nodaemon', '--configuration', conf], { stdio: 'ignore' });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function layoutIn(dir: string): ArmorcodeLayout {
  return { ...CONTAINER_LAYOUT, configDir: dir, programUser: null, logFile: path.join(dir, 'supervisord.log'), runDir: dir };
}

describe('ArmorCode tunnel agent with real sshd, supervisord and autossh', () => {
  let dir: string;
  let sshd: RunningSshd;
  let credential: Credential;
  const services: Service[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ac-'));
    // The key exactly as the vendor's README makes it.
    await run('openssl', ['genrsa', '-out', path.join(dir, 'vendor-key.pem'), '2048']);
    const made = sshCredential(readFileSync(path.join(dir, 'vendor-key.pem'), 'utf8'), spec);
    if (!made.ok) throw new Error(made.error.message);
    const pub = (await run('ssh-keygen', ['-y', '-f', path.join(dir, 'vendor-key.pem')], {})).stdout.trim();
    expect(made.value.kind === 'ssh-keypair' && made.value.publicKey.split(' ').slice(0, 2).join(' ')).toBe(pub.split(' ').slice(0, 2).join(' '));
    sshd = await startSshd({ authorizedKeys: [pub] });
    credential = { ...made.value, knownHosts: `${sshd.knownHostsLine}\n` } as Credential;
    services.push(await startHttp('alpha service'), await startHttp('beta service'));
  });

  afterAll(async () => {
    for (const s of services) s.server.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('carries a request to each remote port to its service, and the tunnels come back after their ssh is killed', async () => {
    const out = path.join(dir, 'agent');
    const remote = [await freePort(), await freePort()];
    const answers = armorcode.answers.parse({
      server: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      serverAliveInterval: 5,
      serverAliveCountMax: 2,
      services: [
        { name: 'alpha', url: `http://127.0.0.1:${services[0]!.port}/ignored/path`, remotePort: remote[0] },
        { name: 'beta', url: `tcp://localhost:${services[1]!.port}`, remotePort: remote[1] },
      ],
    });
    const generated = generateArmorcode(answers, credential, 'docker', layoutIn(out));
    if (!generated.ok) throw new Error(generated.error.message);
    const written = await writeArtifacts(out, generated.value.files);
    expect(written.ok && written.value.map((w) => w.status)).toEqual(generated.value.files.map(() => 'created'));

    // The pre-launch check passes against the real server and the written files.
    const check = spawnSync('sh', [path.join(out, 'pre-launch-check.sh')], { encoding: 'utf8' });
    expect(check.stdout).toContain(`127.0.0.1 answers SSH on port ${sshd.port} with the pinned host key`);
    expect(check.stdout).toContain('private-key.pem matches public-key.pem');
    expect(check.stdout).toContain('supervisord.conf parses');
    expect(check.status, check.stdout).toBe(0);

    const supervisord = startSupervisord(path.join(out, 'supervisord.conf'));
    try {
      expect(await until('alpha through its tunnel', () => getLoopback(remote[0]!))).toBe('alpha service');
      expect(await until('beta through its tunnel', () => getLoopback(remote[1]!))).toBe('beta service');
      // Both programs leave STARTING for RUNNING after startsecs, as supervisorctl shows.
      const status = await until('both programs RUNNING', async () => {
        const s = spawnSync('supervisorctl', ['-c', path.join(out, 'supervisord.conf'), 'status'], { encoding: 'utf8' }).stdout;
        return /tunnel-alpha\s+RUNNING/.test(s) && /tunnel-beta\s+RUNNING/.test(s) ? s : null;
      });
      expect(status).toMatch(/tunnel-alpha\s+RUNNING/);

      // Kill every ssh, twice in a row: autossh exits, supervisord starts it again, the tunnels return.
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const before = await until('two ssh processes', async () => {
          const pids = sshPids(supervisord.pid!);
          return pids.length === 2 ? pids : null;
        });
        for (const pid of before) process.kill(pid, signal);
        await until('the killed ssh processes to end', async () => before.every((p) => !alive(p)));
        const after = await until('two new ssh processes', async () => {
          const pids = sshPids(supervisord.pid!);
          return pids.length === 2 && pids.every((p) => !before.includes(p)) ? pids : null;
        });
        expect(after).toHaveLength(2);
        expect(await until('alpha again', () => getLoopback(remote[0]!))).toBe('alpha service');
        expect(await until('beta again', () => getLoopback(remote[1]!))).toBe('beta service');
      }
    } finally {
      const tree = [...childrenOf(supervisord.pid!), ...childrenOf(supervisord.pid!).flatMap(childrenOf)];
      await stopProcess(supervisord);
      // Stopping supervisord stops every autossh and ssh it started (stopasgroup/killasgroup).
      await until('every tunnel process to end', async () => tree.every((p) => !alive(p)), 15_000);
    }
    expect(await getLoopback(remote[0]!)).toBeNull();
    expect(await getLoopback(remote[1]!)).toBeNull();
  });

  it('logs what diagnose recognises when the remote port is taken and when private-key.pem is missing', async () => {
    const out = path.join(dir, 'broken');
    // Held on every address (dual-stack ::), as a stale session would hold it on the server.
    const busy = await startHttp('already here', '::');
    services.push(busy);
    const answers = armorcode.answers.parse({
      server: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      services: [{ name: 'taken', url: `http://127.0.0.1:${services[0]!.port}`, remotePort: busy.port }],
    });
    const generated = generateArmorcode(answers, credential, 'docker', layoutIn(out));
    if (!generated.ok) throw new Error(generated.error.message);
    expect((await writeArtifacts(out, generated.value.files)).ok).toBe(true);
    const log = path.join(out, 'supervisord.log');

    let supervisord = startSupervisord(path.join(out, 'supervisord.conf'));
    try {
      await until('the forward failure in the log', async () => existsSync(log) && /remote port forwarding failed/.test(readFileSync(log, 'utf8')));
    } finally {
      await stopProcess(supervisord);
    }
    expect(diagnose(readFileSync(log, 'utf8'), 'armorcode').map((d) => d.failure.id)).toContain('armorcode-remote-port-in-use');

    // Without the key, the pre-launch check says so and exits 1; the running agent logs what diagnose names.
    unlinkSync(path.join(out, 'private-key.pem'));
    const check = spawnSync('sh', [path.join(out, 'pre-launch-check.sh'), out], { encoding: 'utf8' });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/FAIL {2}private-key\.pem is missing/);
    unlinkSync(log);
    supervisord = startSupervisord(path.join(out, 'supervisord.conf'));
    try {
      await until('the missing key in the log', async () => existsSync(log) && /private-key\.pem/.test(readFileSync(log, 'utf8')));
    } finally {
      await stopProcess(supervisord);
    }
    const ids = diagnose(readFileSync(log, 'utf8'), 'armorcode').map((d) => d.failure.id);
    expect(ids).toContain('armorcode-exit-status-1');
    expect(ids).toContain('armorcode-publickey-denied');
  });
});
