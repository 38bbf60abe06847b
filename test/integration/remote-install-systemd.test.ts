/**
 * Installs under '/' (the real layout: /etc/buildkite-agent, /etc/systemd/system) over a real
 * loopback sshd, without touching this machine's /etc: the sshd runs in a mount namespace of its
 * own (`unshare -m`) whose /etc is an overlay (lower: the real /etc, upper: a temp folder), so
 * every write of the install, of useradd and of undo lands in the temp folder, and the test reads
 * the upper layer to see exactly what changed.
 *
 * STAND-INS, said plainly, and why: systemd is not PID 1 here, so `systemctl` and `journalctl` on
 * the host's PATH are test/support/systemctl-standin.py, which records its calls and does what
 * systemd would do with the unit files (ExecStart as User=, with the drop-ins' environment, output
 * into the unit's journal); the packaged buildkite-agent.service (the deb's /lib/systemd/system
 * unit) is written into the stand-in's units folder. The agent is buildkite-agent-standin.py,
 * which reads the package's default cfg path and registers with a loopback Agent API stand-in.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import type { InstallRecord } from '../../main/services/remote/install';
import { getLoopback, until } from '../support/net-servers';
import { cliHostArgs, hostTarget, undoOnHost, type AdminLogin } from '../support/remote-host';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';

const run = promisify(execFile);
const SUPPORT = path.resolve(import.meta.dirname, '../support');
const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';

const canOverlay = (() => {
  if (process.getuid?.() !== 0) return 'needs root for a mount namespace with an overlay /etc';
  try {
    const d = mkdtempSync(path.join(tmpdir(), 'ao-ovl-probe-'));
    mkdirSync(path.join(d, 'u'));
    mkdirSync(path.join(d, 'w'));
    execFileSync('unshare', ['-m', 'sh', '-c', `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/u,workdir=${d}/w /etc`]);
    rmSync(d, { recursive: true, force: true });
    return '';
  } catch (e) {
    return `unshare/overlay not available: ${String(e).slice(0, 120)}`;
  }
})();
if (canOverlay) console.warn(`remote-install-systemd: skipped (${canOverlay})`);

/** Regular files under `root` (mode and SHA-256), skipping `skip`: folders copied up by the overlay do not count. */
function files(root: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (r === skip) continue;
      const st = lstatSync(a);
      if (st.isDirectory()) walk(a, r);
      else out[r] = `${(st.mode & 0o7777).toString(8)} ${execFileSync('sha256sum', [a], { encoding: 'utf8' }).split(' ')[0]}`;
    }
  };
  walk(root, '');
  return out;
}

describe.skipIf(Boolean(canOverlay))('Buildkite cfg installed under / over SSH, run by (stand-in) systemd', () => {
  let dir: string;
  let upper: string;
  let host: RunningSshd;
  let api: http.Server;
  let endpoint: string;
  const adminKey = (): string => path.join(dir, 'admin_ed25519');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-systemd-'));
    // The agent runs as buildkite-agent: it must reach its program through this folder.
    chmodSync(dir, 0o755);
    upper = path.join(dir, 'etc-upper');
    mkdirSync(upper);
    mkdirSync(path.join(dir, 'etc-work'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['systemctl', 'journalctl']) symlinkSync(path.join(SUPPORT, 'systemctl-standin.py'), path.join(bin, name));
    // Copied, not linked: the unit runs it as buildkite-agent, which may not be able to reach the
    // repository's folder (a checkout under a 0700 folder, as mktemp -d makes).
    copyFileSync(path.join(SUPPORT, 'buildkite-agent-standin.py'), path.join(bin, 'buildkite-agent'));
    chmodSync(path.join(bin, 'buildkite-agent'), 0o755);
    const state = path.join(dir, 'systemd');
    mkdirSync(path.join(state, 'units'), { recursive: true });
    // The deb package's unit (packaging/linux/root/usr/share/buildkite-agent/systemd/buildkite-agent.service), ExecStart pointing at the stand-in.
    writeFileSync(
      path.join(state, 'units', 'buildkite-agent.service'),
      `[Unit]\nDescription=Buildkite Agent\n\n[Service]\nType=simple\nUser=buildkite-agent\nEnvironment=HOME=/var/lib/buildkite-agent\nExecStart=${bin}/buildkite-agent start\nRestart=on-failure\n`,
    );
    api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v3/register') return void res.writeHead(404).end();
        if (req.headers.authorization !== `Token ${TOKEN}`) return void res.writeHead(401).end('{"message":"Unauthorized"}');
        const { name } = JSON.parse(body) as { name: string };
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'a1', name, access_token: 'bkaa_x' }));
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v3`;
    // The package created its user; in this namespace only (its /etc is the overlay).
    const inNamespace = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${dir}/etc-work /etc && useradd --system --no-create-home buildkite-agent && exec "$@"`;
    host = await startSshd({
      authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')],
      extraConfig: ['Subsystem sftp internal-sftp', `SetEnv PATH=${bin}:/usr/bin:/bin:/usr/sbin:/sbin SYSTEMCTL_STANDIN_DIR=${state}`],
      wrap: ['unshare', '-m', 'sh', '-c', inNamespace, 'sh'],
    });
    writeFileSync(path.join(dir, 'known_hosts'), `${host.knownHostsLine}\n`);
  }, 60_000);

  afterAll(async () => {
    const pidFile = path.join(dir, 'systemd', 'buildkite-agent.service.pid');
    if (existsSync(pidFile))
      try {
        process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // Already stopped.
      }
    await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function cli(argv: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, readStdin: async () => '', cwd: dir });
    return { code, stdout, stderr };
  }

  it('the cfg lands at /etc/buildkite-agent (0600, owned by buildkite-agent), systemctl restarts the packaged unit, the journal shows it online; undo stops it and leaves /etc as it was', async () => {
    writeFileSync(path.join(dir, 'answers.json'), JSON.stringify({ name: 'sd-%spawn', endpoint }));
    const out = path.join(dir, 'gen');
    const g = await cli(['generate', 'buildkite', '--variant', 'cfg', '--answers', 'answers.json', '--token-env', 'T', '--out', out], { T: TOKEN });
    expect(g.code, g.stderr).toBe(0);
    const login: AdminLogin = { port: host.port, user: host.user, key: adminKey(), knownHosts: path.join(dir, 'known_hosts') };
    const hostArgs = cliHostArgs(login);
    const before = files(upper, 'agent-onboard-undone');
    const r = await cli(['install', ...hostArgs, '--from', out, '--platform', 'buildkite', '--variant', 'cfg', '--timeout-ms', '60000', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { name: string; hops: { hop: string; state: string }[]; record: InstallRecord };
    expect(report.hops.map((h) => `${h.hop}:${h.state}`)).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'registered:passed', 'connected:passed']);
    expect(report.name).toBe('sd-1');
    const cfg = path.join(upper, 'buildkite-agent/buildkite-agent.cfg');
    const st = lstatSync(cfg);
    expect((st.mode & 0o777).toString(8)).toBe('600');
    expect(st.uid).not.toBe(0);
    const calls = readFileSync(path.join(dir, 'systemd', 'calls.log'), 'utf8');
    expect(calls).toContain('["systemctl", "restart", "buildkite-agent"]');
    expect(calls).toContain('["journalctl", "-u", "buildkite-agent"');
    expect(host.log()).not.toContain(TOKEN);

    // Moved aside inside the same file system (/etc here), so a rename can do it.
    await undoOnHost(hostTarget(login), report.record, `/etc/agent-onboard-undone/${report.record.id}`);
    expect(readFileSync(path.join(dir, 'systemd', 'calls.log'), 'utf8')).toContain('["systemctl", "stop", "buildkite-agent"]');
    expect(files(upper, 'agent-onboard-undone')).toEqual(before);
    expect(existsSync(path.join(upper, 'buildkite-agent'))).toBe(false);
  }, 150_000);
});

/**
 * ArmorCode's systemd units under '/', the same way: the recipe creates the armorcode user (real
 * useradd, inside the namespace's /etc), hands it the key, installs the units, and the stand-in
 * systemctl runs each unit's ExecStart (the real ssh) as that user. The ArmorCode server is a
 * second real sshd; an HTTP request through its forwarded port proves the tunnel.
 */
describe.skipIf(Boolean(canOverlay))('ArmorCode systemd units installed under / over SSH, run by (stand-in) systemd', () => {
  let dir: string;
  let upper: string;
  let host: RunningSshd;
  let server: RunningSshd;
  let service: http.Server;
  let servicePort: number;
  const adminKey = (): string => path.join(dir, 'admin_ed25519');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-systemd-ac-'));
    chmodSync(dir, 0o755);
    upper = path.join(dir, 'etc-upper');
    mkdirSync(upper);
    mkdirSync(path.join(dir, 'etc-work'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
    await run('openssl', ['genrsa', '-traditional', '-out', path.join(dir, 'tunnel.pem'), '2048']);
    const tunnelPub = (await run('ssh-keygen', ['-y', '-f', path.join(dir, 'tunnel.pem')])).stdout.trim();
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['systemctl', 'journalctl']) symlinkSync(path.join(SUPPORT, 'systemctl-standin.py'), path.join(bin, name));
    mkdirSync(path.join(dir, 'systemd', 'units'), { recursive: true });
    server = await startSshd({ authorizedKeys: [tunnelPub] });
    service = http.createServer((_q, res) => res.end('internal service'));
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
    servicePort = (service.address() as AddressInfo).port;
    const inNamespace = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${dir}/etc-work /etc && exec "$@"`;
    host = await startSshd({
      authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')],
      extraConfig: ['Subsystem sftp internal-sftp', `SetEnv PATH=${bin}:/usr/bin:/bin:/usr/sbin:/sbin SYSTEMCTL_STANDIN_DIR=${path.join(dir, 'systemd')}`],
      wrap: ['unshare', '-m', 'sh', '-c', inNamespace, 'sh'],
    });
    writeFileSync(path.join(dir, 'known_hosts'), `${host.knownHostsLine}\n`);
  }, 60_000);

  afterAll(async () => {
    for (const f of readdirSync(path.join(dir, 'systemd')).filter((n) => n.endsWith('.pid')))
      try {
        process.kill(-Number(readFileSync(path.join(dir, 'systemd', f), 'utf8')), 'SIGKILL');
      } catch {
        // Already stopped.
      }
    await new Promise<void>((r) => (service ? service.close(() => r()) : r()));
    await host?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function cli(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, readStdin: async () => '', cwd: dir });
    return { code, stdout, stderr };
  }

  it('creates the armorcode user, gives it the 0600 key, enables and restarts the units; the tunnel carries HTTP; undo stops it and takes the units away', async () => {
    const remotePort = await freePort();
    writeFileSync(
      path.join(dir, 'answers.json'),
      JSON.stringify({
        server: '127.0.0.1',
        port: server.port,
        user: server.user,
        services: [{ name: 'svc', url: `http://127.0.0.1:${servicePort}`, remotePort }],
      }),
    );
    writeFileSync(path.join(dir, 'server_known_hosts'), `${server.knownHostsLine}\n`);
    const out = path.join(dir, 'gen');
    const g = await cli([
      'generate',
      'armorcode',
      '--variant',
      'systemd',
      '--answers',
      'answers.json',
      '--key',
      path.join(dir, 'tunnel.pem'),
      '--known-hosts',
      path.join(dir, 'server_known_hosts'),
      '--out',
      out,
    ]);
    expect(g.code, g.stderr).toBe(0);
    const login: AdminLogin = { port: host.port, user: host.user, key: adminKey(), knownHosts: path.join(dir, 'known_hosts') };
    const hostArgs = cliHostArgs(login);
    const r = await cli(['install', ...hostArgs, '--from', out, '--platform', 'armorcode', '--variant', 'systemd', '--timeout-ms', '40000', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { hops: { hop: string; state: string; detail: string }[]; record: InstallRecord };
    // Hop by hop: systemd's "Started" line, every unit active on each poll for 10 s (systemd writes
    // no "stayed up" line), then ssh's VERBOSE "Authenticated to" in the journal, held without a forward failure.
    expect(
      report.hops.map((h) => `${h.hop}:${h.state}`),
      r.stdout,
    ).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'stayed-up:passed', 'registered:passed', 'connected:passed']);
    expect(report.hops.find((h) => h.hop === 'stayed-up')!.detail).toMatch(
      /answered running on every poll for \d+ s \(n=0; for u in armorcode-tunnel-svc\.service/,
    );
    const key = lstatSync(path.join(upper, 'armorcode/private-key.pem'));
    expect((key.mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(path.join(upper, 'passwd'), 'utf8')).toMatch(new RegExp(`^armorcode:x:${key.uid}:`, 'm'));
    // Placed as the user the recipe made first (files[].owner), not handed over afterwards.
    expect(lstatSync(path.join(upper, 'armorcode/known_hosts')).uid).toBe(key.uid);
    expect((lstatSync(path.join(upper, 'armorcode')).mode & 0o777).toString(8)).toBe('755');
    expect(existsSync(path.join(upper, 'systemd/system/armorcode-tunnel-svc.service'))).toBe(true);
    const calls = readFileSync(path.join(dir, 'systemd', 'calls.log'), 'utf8');
    expect(calls).toContain('["systemctl", "daemon-reload"]');
    expect(calls).toContain('["systemctl", "enable", "armorcode-tunnel-svc.service"]');
    expect(calls).toContain('["systemctl", "restart", "armorcode-tunnel-svc.service"]');
    // The unit's ssh, run as armorcode with the key it was handed, opened the forward.
    expect(await until('HTTP through the tunnel', () => getLoopback(remotePort))).toBe('internal service');
    expect(readFileSync(path.join(dir, 'systemd', 'armorcode-tunnel-svc.service.journal'), 'utf8')).toMatch(/Authenticated to 127\.0\.0\.1/);
    // verify reads the same from the journal and the units' state, with a glob as the units' name.
    const v = await cli(['verify', ...hostArgs, '--platform', 'armorcode', '--unit', 'armorcode-tunnel-*', '--timeout-ms', '40000', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const verified = JSON.parse(v.stdout) as { online: boolean; hops: { hop: string; state: string }[] };
    expect(verified.hops.map((h) => `${h.hop}:${h.state}`)).toEqual([
      'ssh:passed',
      'started:passed',
      'stayed-up:passed',
      'registered:passed',
      'connected:passed',
    ]);
    expect(readFileSync(path.join(dir, 'systemd', 'calls.log'), 'utf8')).toContain('["systemctl", "is-active", "armorcode-tunnel-*"]');

    await undoOnHost(hostTarget(login), report.record, `/etc/agent-onboard-undone/${report.record.id}`);
    expect(readFileSync(path.join(dir, 'systemd', 'calls.log'), 'utf8')).toContain('["systemctl", "disable", "--now", "armorcode-tunnel-svc.service"]');
    expect(await until('the tunnel gone', async () => ((await getLoopback(remotePort)) === null ? true : null))).toBe(true);
    expect(existsSync(path.join(upper, 'armorcode'))).toBe(false);
    expect(existsSync(path.join(upper, 'systemd/system/armorcode-tunnel-svc.service'))).toBe(false);
  }, 90_000);
});
