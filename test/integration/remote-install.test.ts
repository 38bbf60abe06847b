/**
 * Install on the agent host over SSH, with real parts: the "agent host" is a real sshd on
 * loopback (logged into with its own admin key, its host key pinned), the "ArmorCode server" is a
 * second real sshd, the tunnels run under real supervisord + autossh + ssh started on the host by
 * the installer, and an HTTP service stands for the internal service behind the tunnel. The CLI
 * runs as a real process. Then: ssh killed and the tunnel recovering (verify), undo, and the install
 * root compared file by file with how it was; and each failure path named at its hop.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRemoteInstall, runRemoteInstall, type InstallRecord } from '../../main/services/remote/install';
import { openSession, type HostTarget } from '../../main/services/remote/session';
import { generateArmorcode } from '../../shared/platforms/armorcode/generate';
import { armorcode } from '../../shared/platforms/armorcode';
import { runCliProcess } from '../support/cli';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { cliHostArgs, hostTarget, undoOnHost, type AdminLogin } from '../support/remote-host';
import { getLoopback, until } from '../support/net-servers';

const run = promisify(execFile);

interface Tree {
  [rel: string]: string;
}

/** Every entry under `root`: folders with their mode, files with mode and SHA-256 of the bytes. */
function tree(root: string): Tree {
  const out: Tree = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a);
      if (st.isDirectory()) {
        out[r + '/'] = (st.mode & 0o7777).toString(8);
        walk(a, r);
      } else out[r] = `${(st.mode & 0o7777).toString(8)} ${execFileSync('sha256sum', [a], { encoding: 'utf8' }).split(' ')[0]}`;
    }
  };
  walk(root, '');
  return out;
}

/** Pids of the tunnel's ssh processes (their command line names the installed key). */
function tunnelSshPids(keyPath: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0');
        return readFileSync(`/proc/${n}/comm`, 'utf8').trim() === 'ssh' && cmd.includes(keyPath);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('install on the agent host over SSH (ArmorCode, real sshd ×2, supervisord, autossh)', () => {
  let dir: string;
  let agentHost: RunningSshd;
  let server: RunningSshd;
  let service: http.Server;
  let servicePort: number;
  let generated: string;
  let knownHosts: string;
  const prefixes: string[] = [];
  const adminKey = (): string => path.join(dir, 'admin_ed25519');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-remote-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', path.join(dir, 'other_ed25519')]);
    await run('openssl', ['genrsa', '-traditional', '-out', path.join(dir, 'tunnel.pem'), '2048']);
    const tunnelPub = (await run('ssh-keygen', ['-y', '-f', path.join(dir, 'tunnel.pem')])).stdout.trim();
    agentHost = await startSshd({ authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
    server = await startSshd({ authorizedKeys: [tunnelPub] });
    knownHosts = path.join(dir, 'agent_known_hosts');
    writeFileSync(knownHosts, `${agentHost.knownHostsLine}\n`);
    service = http.createServer((_q, res) => res.end('internal service'));
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
    servicePort = (service.address() as AddressInfo).port;
    generated = path.join(dir, 'generated');
  });

  afterAll(async () => {
    for (const p of prefixes) {
      const conf = path.join(p, 'etc/armorcode/supervisord.conf');
      if (existsSync(conf)) await run('supervisorctl', ['-c', conf, 'shutdown']).catch(() => undefined);
    }
    service?.close();
    await agentHost?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Generates the Docker Compose variant's files for a tunnel to `remotePort` (via the CLI, as a user would). */
  async function generate(out: string, remotePort: number): Promise<void> {
    const answers = path.join(dir, `answers-${remotePort}.json`);
    writeFileSync(
      answers,
      JSON.stringify({
        server: '127.0.0.1',
        port: server.port,
        user: server.user,
        serverAliveInterval: 5,
        serverAliveCountMax: 2,
        services: [{ name: 'svc', url: `http://127.0.0.1:${servicePort}`, remotePort }],
      }),
    );
    writeFileSync(path.join(dir, 'server_known_hosts'), `${server.knownHostsLine}\n`);
    const g = await runCliProcess([
      'generate',
      'armorcode',
      '--variant',
      'docker',
      '--answers',
      answers,
      '--key',
      path.join(dir, 'tunnel.pem'),
      '--known-hosts',
      path.join(dir, 'server_known_hosts'),
      '--out',
      out,
    ]);
    expect(g.code, g.stderr).toBe(0);
  }

  function newPrefix(): string {
    const p = mkdtempSync(path.join(dir, 'root-'));
    prefixes.push(p);
    return p;
  }

  const login = (known = knownHosts, key = adminKey()): AdminLogin => ({ port: agentHost.port, user: agentHost.user, key, knownHosts: known });
  const hostArgs = (known = knownHosts, key = adminKey()): string[] => cliHostArgs(login(known, key));

  it('installs, sees it online hop by hop, carries HTTP through the tunnel, recovers after ssh is killed, and undo puts the root back', async () => {
    const remotePort = await freePort();
    await generate(generated, remotePort);
    const prefix = newPrefix();
    // Something the install replaces (and undo must restore byte for byte).
    mkdirSync(path.join(prefix, 'etc/armorcode'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(prefix, 'etc/armorcode/known_hosts'), '# an older pin\n', { mode: 0o644 });
    chmodSync(path.join(prefix, 'etc/armorcode'), 0o700);
    const before = tree(prefix);

    const dry = await runCliProcess(['install', ...hostArgs(), '--from', generated, '--prefix', prefix, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${prefix}/etc/armorcode/private-key.pem  mode 0600 (secret)  owner root  replaces nothing`);
    expect(dry.stdout).toContain(`${prefix}/etc/armorcode/known_hosts  mode 0644  owner root  replaces a different file`);
    expect(dry.stdout).toContain(`$ setsid -f supervisord -c ${prefix}/etc/armorcode/supervisord.conf`);
    expect(tree(prefix)).toEqual(before);

    const r = await runCliProcess(['install', ...hostArgs(), '--from', generated, '--prefix', prefix, '--json'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as { online: boolean; hops: { hop: string; state: string }[]; record: InstallRecord };
    expect(out.hops.map((h) => `${h.hop}:${h.state}`)).toEqual([
      'ssh:passed',
      'files:passed',
      'started:passed',
      'stayed-up:passed',
      'registered:passed',
      'connected:passed',
    ]);
    expect((lstatSync(path.join(prefix, 'etc/armorcode/private-key.pem')).mode & 0o777).toString(8)).toBe('600');
    // The private key never crossed a command line: the agent host's sshd logged every command it ran.
    expect(agentHost.log()).not.toContain('PRIVATE KEY');
    // The forwarded port on the ArmorCode server reaches the internal service.
    expect(await until('HTTP through the tunnel', () => getLoopback(remotePort))).toBe('internal service');

    // Kill the tunnel's ssh: autossh/supervisord bring it back, and verify sees it online again.
    const keyPath = path.join(prefix, 'etc/armorcode/private-key.pem');
    const killed = await until('the tunnel ssh', () => (tunnelSshPids(keyPath).length ? tunnelSshPids(keyPath) : null));
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    await until('a new tunnel ssh', () => tunnelSshPids(keyPath).some((p) => !killed.includes(p)));
    const v = await runCliProcess(['verify', ...hostArgs(), '--platform', 'armorcode', '--prefix', prefix, '--timeout-ms', '30000', '--json'], {
      timeoutMs: 60_000,
    });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(await until('HTTP through the recovered tunnel', () => getLoopback(remotePort))).toBe('internal service');

    // Undo (the CLI, with the record install printed): stop, restore the replaced pin, move the rest
    // aside outside the root, nothing deleted.
    const recordFile = path.join(dir, 'install-record.json');
    writeFileSync(recordFile, r.stdout);
    const undoPlan = await runCliProcess(['install', ...hostArgs(), '--undo', recordFile, '--dry-run']);
    expect(undoPlan.code, undoPlan.stderr).toBe(0);
    expect(undoPlan.stdout).toMatch(new RegExp(`restore backup\\s+${prefix}/etc/armorcode/known_hosts`));
    expect(undoPlan.stdout).toMatch(new RegExp(`move aside\\s+${prefix}/etc/armorcode/private-key.pem`));
    // The service-level undo puts things aside where the test says (the CLI uses ~/.agent-onboard/undone).
    const target = hostTarget(login());
    const aside = path.join(dir, 'aside');
    await undoOnHost(target, out.record, aside);
    expect(tree(prefix)).toEqual(before);
    expect(readFileSync(path.join(aside, prefix, 'etc/armorcode/private-key.pem'), 'utf8')).toContain('PRIVATE KEY');
    expect(await getLoopback(remotePort)).toBeNull();
  }, 180_000);

  it('a changed host key stops everything before any byte of ours is sent (HOST_KEY_MISMATCH at the SSH hop)', async () => {
    const prefix = newPrefix();
    const other = path.join(dir, 'other_known_hosts');
    writeFileSync(other, `[127.0.0.1]:${agentHost.port} ${readFileSync(path.join(dir, 'other_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const logBefore = agentHost.log().length;
    const r = await runCliProcess(['install', ...hostArgs(other), '--from', generated, '--prefix', prefix, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { hops: { hop: string; state: string; detail: string }[] };
    expect(out.hops[0]).toMatchObject({ hop: 'ssh', state: 'failed' });
    expect(out.hops[0]!.detail).toMatch(/not the pinned key\. Nothing was sent/);
    // The host saw no login attempt at all: ssh2 dropped the connection in the key exchange.
    expect(agentHost.log().slice(logBefore)).not.toMatch(/Accepted|Failed publickey|Postponed/);
    expect(tree(prefix)).toEqual({});
  });

  it('a key the host does not accept fails at the SSH hop with what to do', async () => {
    const r = await runCliProcess(['install', ...hostArgs(knownHosts, path.join(dir, 'other_ed25519')), '--from', generated, '--prefix', newPrefix()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SSH to the host: 127\.0\.0\.1 refused the key for user \S+\.\n\s+Add the public key/);
  });

  it('a forward the server refuses is named at the connected hop, with the Diagnostics fix', async () => {
    // The remote port is already taken on the server, as by a stale session: sshd cannot bind it
    // (held on every address, since sshd counts a forward bound on any loopback address as done).
    const held = http.createServer((_q, res) => res.end('someone else'));
    await new Promise<void>((r, j) => held.once('error', j).listen(0, '::', () => r()));
    const port = (held.address() as AddressInfo).port;
    const out = path.join(dir, 'gen-refused');
    await generate(out, port);
    try {
      const r = await runCliProcess(['install', ...hostArgs(), '--from', out, '--prefix', newPrefix(), '--timeout-ms', '40000', '--json'], {
        timeoutMs: 90_000,
      });
      expect(r.code, r.stderr).toBe(1);
      const hops = (JSON.parse(r.stdout) as { hops: { hop: string; state: string; detail: string }[] }).hops;
      const failed = hops.find((h) => h.state === 'failed')!;
      expect(failed.hop).toBe('connected');
      expect(failed.detail).toMatch(/remote port is still held/i);
    } finally {
      held.close();
    }
  }, 120_000);

  it('Cancel during the uploads leaves the root as it was; a dropped connection mid-upload says what is in place', async () => {
    if (!existsSync(generated)) await generate(generated, await freePort());
    const files = readdirSync(generated).map((name) => ({
      path: name,
      text: readFileSync(path.join(generated, name), 'utf8'),
      mode: lstatSync(path.join(generated, name)).mode & 0o777,
      secret: name === 'private-key.pem',
    }));
    const target = hostTarget(login());

    // Cancel after the first upload.
    const prefix = newPrefix();
    mkdirSync(path.join(prefix, 'etc/armorcode'), { recursive: true });
    const before = tree(prefix);
    const s = await openSession(target);
    if (!s.ok) throw new Error(s.error.message);
    const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
    if (!planned.ok) throw new Error(planned.error.message);
    const ac = new AbortController();
    const cancelled = await runRemoteInstall(s.value, target, planned.value, { signal: ac.signal, afterUpload: () => ac.abort() });
    s.value.close();
    expect(cancelled.ok).toBe(false);
    if (cancelled.ok) return;
    expect(cancelled.error.code).toBe('CANCELLED');
    expect(cancelled.inPlace).toEqual([]);
    expect(cancelled.leftovers).toEqual([]);
    // Nothing arrived, and the folders it made are removed again: the root is exactly as it was.
    expect(tree(prefix)).toEqual(before);
    expect(cancelled.record.dirsCreated).toEqual([]);

    // Drop the connection mid-upload: kill the sshd child serving this session.
    const prefix2 = newPrefix();
    const s2 = await openSession(target);
    if (!s2.ok) throw new Error(s2.error.message);
    const planned2 = await planRemoteInstall(s2.value, 'armorcode', 'docker', files, prefix2);
    if (!planned2.ok) throw new Error(planned2.error.message);
    const sshdPid = Number(readFileSync(path.join(agentHost.dir, 'sshd.pid'), 'utf8'));
    const dropped = await runRemoteInstall(s2.value, target, planned2.value, {
      afterUpload: (i) => {
        if (i !== 0) return;
        // The per-connection sshd processes are the listener's children.
        const kids = execFileSync('pgrep', ['-P', String(sshdPid)], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .filter(Boolean)
          .map(Number);
        for (const k of kids) process.kill(k, 'SIGKILL');
        return new Promise((r) => setTimeout(r, 300));
      },
    });
    s2.value.close();
    expect(dropped.ok).toBe(false);
    if (dropped.ok) return;
    expect(dropped.error.code).toBe('CONNECTION_LOST');
    expect(dropped.inPlace).toEqual([]);
    // Exactly the temp file that arrived is named as left over; nothing was renamed into place.
    expect(dropped.leftovers).toEqual([`${prefix2}/etc/armorcode/supervisord.conf.ao-tmp-${dropped.record.id}`]);
    expect(Object.keys(tree(prefix2)).filter((k) => !k.endsWith('/'))).toEqual([`etc/armorcode/supervisord.conf.ao-tmp-${dropped.record.id}`]);
  }, 60_000);

  it('an SFTP server that stops answering (the link alive) fails the upload with CONNECTION_LOST after the stall time, saying what is in place', async () => {
    if (!existsSync(generated)) await generate(generated, await freePort());
    const files = readdirSync(generated).map((name) => ({
      path: name,
      text: readFileSync(path.join(generated, name), 'utf8'),
      mode: lstatSync(path.join(generated, name)).mode & 0o777,
      secret: name === 'private-key.pem',
    }));
    // A relay in front of the real sftp-server: once the file `hold` exists it passes no more
    // requests on (the SSH link and its keepalives stay alive), as a hung sftp-server or disk would.
    const hold = path.join(dir, 'hold');
    writeFileSync(
      path.join(dir, 'stall-relay.js'),
      `const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const child = spawn(process.argv[2], [], { stdio: ['pipe', 'inherit', 'inherit'] });
process.stdin.on('data', (b) => { if (!existsSync(${JSON.stringify(hold)})) child.stdin.write(b); });
child.on('exit', (c) => process.exit(c ?? 0));
`,
    );
    const stalling = await startSshd({
      authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')],
      extraConfig: [`Subsystem sftp ${process.execPath} ${path.join(dir, 'stall-relay.js')} /usr/lib/openssh/sftp-server`],
    });
    try {
      const target: HostTarget = {
        host: '127.0.0.1',
        port: stalling.port,
        user: stalling.user,
        privateKey: readFileSync(adminKey(), 'utf8'),
        knownHosts: `${stalling.knownHostsLine}\n`,
        sftpStallMs: 1500,
      };
      const prefix = newPrefix();
      const s = await openSession(target);
      if (!s.ok) throw new Error(s.error.message);
      const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
      if (!planned.ok) throw new Error(planned.error.message);
      const stalled = await runRemoteInstall(s.value, target, planned.value, {
        afterUpload: (i) => {
          if (i === 0) writeFileSync(hold, '');
        },
      });
      s.value.close();
      expect(stalled.ok).toBe(false);
      if (stalled.ok) return;
      expect(stalled.error.code).toBe('CONNECTION_LOST');
      expect(stalled.error.message).toContain('stopped answering SFTP requests');
      expect(stalled.inPlace).toEqual([]);
      // The first temp arrived; the second was being written when the server went quiet. Both are named.
      expect(stalled.leftovers).toEqual([
        `${prefix}/etc/armorcode/supervisord.conf.ao-tmp-${stalled.record.id}`,
        expect.stringMatching(new RegExp(`^${prefix}/etc/armorcode/.+\\.ao-tmp-${stalled.record.id}$`)),
      ]);
      expect(Object.keys(tree(prefix)).filter((k) => !k.endsWith('/') && !k.includes('.ao-tmp-'))).toEqual([]);
    } finally {
      rmSync(hold, { force: true });
      await stalling.stop();
    }
  }, 60_000);
  it.skipIf(process.getuid?.() !== 0)(
    'a full disk (a 64 KiB tmpfs as the install root) is refused before any change, or fails the upload cleanly',
    async () => {
      if (!existsSync(generated)) await generate(generated, await freePort());
      const files = readdirSync(generated).map((name) => ({
        path: name,
        text: readFileSync(path.join(generated, name), 'utf8'),
        mode: lstatSync(path.join(generated, name)).mode & 0o777,
        secret: name === 'private-key.pem',
      }));
      const target = hostTarget(login());
      const root = newPrefix();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', root]);
      try {
        const fill = (leaveKb: number): void => {
          const free = Number(execFileSync('df', ['-Pk', root], { encoding: 'utf8' }).split('\n')[1]!.split(/\s+/)[3]);
          writeFileSync(path.join(root, `filler-${leaveKb}`), Buffer.alloc(Math.max(0, free - leaveKb) * 1024));
        };
        fill(0);
        const before = tree(root);
        const s = await openSession(target);
        if (!s.ok) throw new Error(s.error.message);
        const refused = await planRemoteInstall(s.value, 'armorcode', 'docker', files, root);
        expect(!refused.ok && refused.error.code).toBe('IO_ERROR');
        expect(!refused.ok && refused.error.message).toMatch(/bytes free .*nothing was changed/);
        expect(tree(root)).toEqual(before);

        // Room at plan time, then something else fills the disk: the upload fails, its temps are removed.
        rmSync(path.join(root, 'filler-0'));
        const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, root);
        if (!planned.ok) throw new Error(planned.error.message);
        fill(0);
        const failed = await runRemoteInstall(s.value, target, planned.value);
        s.value.close();
        expect(failed.ok).toBe(false);
        if (failed.ok) return;
        expect(failed.error.code).toBe('IO_ERROR');
        expect(failed.error.message).toMatch(/full disk/);
        expect(failed.inPlace).toEqual([]);
        expect(Object.keys(tree(root)).filter((k) => !k.endsWith('/'))).toEqual(['filler-0']);
      } finally {
        execFileSync('umount', [root]);
      }
    },
    60_000,
  );
});

describe('sudo needing a password is said before anything changes', () => {
  it.skipIf(!existsSync('/usr/bin/sudo') || process.getuid?.() !== 0)(
    'a user that cannot write the root and has no passwordless sudo gets SUDO_PASSWORD_REQUIRED',
    async () => {
      // Its own user (no sudoers rule: sudo asks it for a password), home in a temp folder.
      const dir = mkdtempSync(path.join(tmpdir(), 'ao-sudo-'));
      chmodSync(dir, 0o755);
      const user = `ao${process.pid % 100000}`;
      execFileSync('useradd', ['-M', '-d', dir, '-s', '/bin/sh', user]);
      execFileSync('passwd', ['-d', user]);
      let sshd: RunningSshd | undefined;
      try {
        await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
        chmodSync(path.join(dir, 'k'), 0o600);
        sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'k.pub'), 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
        // sshd reads authorized_keys as the user logging in.
        chmodSync(sshd.dir, 0o755);
        chmodSync(path.join(sshd.dir, 'authorized_keys'), 0o644);
        const root = mkdtempSync(path.join(dir, 'root-'));
        chmodSync(root, 0o755);
        const key = keyPair();
        const g = generateArmorcode(
          armorcode.answers.parse({ server: '127.0.0.1', port: 22, user: 'acme', services: [{ name: 'svc', url: 'http://127.0.0.1:80', remotePort: 5000 }] }),
          { kind: 'ssh-keypair', ...key, knownHosts: `127.0.0.1 ${sshd.hostPublicKey}\n` },
          'docker',
        );
        if (!g.ok) throw new Error(g.error.message);
        const s = await openSession({
          host: '127.0.0.1',
          port: sshd.port,
          user,
          privateKey: readFileSync(path.join(dir, 'k'), 'utf8'),
          knownHosts: `${sshd.knownHostsLine}\n`,
        });
        if (!s.ok) throw new Error(s.error.message);
        const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', g.value.files, root);
        s.value.close();
        expect(!planned.ok && planned.error.code).toBe('SUDO_PASSWORD_REQUIRED');
        expect(!planned.ok && planned.error.message).toMatch(/sudo on the host asks for a password .*nothing was changed/);
        expect(readdirSync(root)).toEqual([]);
      } finally {
        await sshd?.stop();
        execFileSync('userdel', [user]);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

function keyPair(): { privateKey: string; publicKey: string } {
  const d = mkdtempSync(path.join(tmpdir(), 'ao-kp-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(d, 'k')]);
    return { privateKey: readFileSync(path.join(d, 'k'), 'utf8'), publicKey: readFileSync(path.join(d, 'k.pub'), 'utf8').trim() };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}
