/**
 * Install on an agent host as a login user that is not root, with passwordless sudo, under a
 * root-owned install root; with real parts: a real sshd on loopback, real users made here
 * (useradd), a real sudoers rule (a file under /etc/sudoers.d named for this test, checked with
 * visudo, removed after), real sudo, supervisord started by the install. Then undo as the same
 * user, a failure part-way through the moves rolled back, and a second user whose sudo asks for a
 * password stopped before any change with SUDO_PASSWORD_REQUIRED at the "Files in place" hop.
 *
 * Needs root (useradd, /etc/sudoers.d) and sudo: skipped with a message otherwise.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRemoteInstall, runRemoteInstall } from '../../main/services/remote/install';
import { openSession, type HostTarget } from '../../main/services/remote/session';
import { planRemoteUndo, runRemoteUndo } from '../../main/services/remote/undo';
import { armorcode } from '../../shared/platforms/armorcode';
import { generateArmorcode } from '../../shared/platforms/armorcode/generate';
import type { Artifact } from '../../shared/platforms/types';
import { runCliProcess } from '../support/cli';
import { startSshd, type RunningSshd } from '../support/sshd';
import { cliHostArgs } from '../support/remote-host';

const run = promisify(execFile);
const reason =
  process.getuid?.() !== 0
    ? 'needs root to create users and a sudoers rule'
    : !existsSync('/usr/bin/sudo')
      ? 'needs sudo'
      : !existsSync('/usr/sbin/visudo')
        ? 'needs visudo to check the sudoers rule'
        : '';
if (reason) console.warn(`remote-install-sudo: skipped (${reason})`);

/** Every entry under `root`: mode, owner uid, and SHA-256 of a file's bytes. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a, { throwIfNoEntry: false });
      if (!st || st.isSocket()) continue;
      if (st.isDirectory()) {
        out[r + '/'] = `${(st.mode & 0o7777).toString(8)} uid ${st.uid}`;
        walk(a, r);
      } else out[r] = `${(st.mode & 0o7777).toString(8)} uid ${st.uid} ${execFileSync('sha256sum', [a], { encoding: 'utf8' }).split(' ')[0]}`;
    }
  };
  walk(root, '');
  return out;
}

/** Staging folders of `uid` left in /tmp (the installer removes its own). */
const stagingOf = (uid: number): string[] =>
  readdirSync('/tmp').filter((n) => n.startsWith('agent-onboard-stage.') && statSync(path.join('/tmp', n), { throwIfNoEntry: false })?.uid === uid);

describe.skipIf(Boolean(reason))('install as a user with passwordless sudo, under a root-owned install root (real sshd, sudo, users)', () => {
  const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;
  const sudoUser = `aos${tag}`;
  const plainUser = `aop${tag}`;
  const sudoers = `/etc/sudoers.d/agent-onboard-test-${tag}`;
  let dir = '';
  let sshd: RunningSshd;
  let uid = 0;
  let files: Artifact[] = [];
  const confs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-sudo-install-'));
    chmodSync(dir, 0o755);
    for (const u of [sudoUser, plainUser]) {
      mkdirSync(path.join(dir, u), { mode: 0o700 });
      execFileSync('useradd', ['-M', '-d', path.join(dir, u), '-s', '/bin/sh', u]);
      // Unlocked (sshd refuses a locked account), with no password: key login only.
      execFileSync('passwd', ['-d', u], { stdio: 'ignore' });
      execFileSync('chown', [`${u}:`, path.join(dir, u)]);
    }
    uid = Number(execFileSync('id', ['-u', sudoUser], { encoding: 'utf8' }).trim());
    writeFileSync(sudoers, `${sudoUser} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    execFileSync('visudo', ['-cf', sudoers]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'login', '-f', path.join(dir, 'login')]);
    sshd = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'login.pub'), 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
    // sshd reads authorized_keys as the user logging in.
    chmodSync(sshd.dir, 0o755);
    chmodSync(path.join(sshd.dir, 'authorized_keys'), 0o644);
    writeFileSync(path.join(dir, 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const key = keyPair();
    const g = generateArmorcode(
      armorcode.answers.parse({ server: '127.0.0.1', port: 22, user: 'acme', services: [{ name: 'svc', url: 'http://127.0.0.1:80', remotePort: 5000 }] }),
      { kind: 'ssh-keypair', ...key, knownHosts: `127.0.0.1 ${sshd.hostPublicKey}\n` },
      'docker',
    );
    if (!g.ok) throw new Error(g.error.message);
    files = g.value.files;
  });

  afterAll(async () => {
    for (const c of confs) if (existsSync(c)) await run('supervisorctl', ['-c', c, 'shutdown']).catch(() => undefined);
    rmSync(sudoers, { force: true });
    await sshd?.stop();
    for (const u of [sudoUser, plainUser]) {
      // The test's own users: whatever they still run (a tunnel retrying), then the users themselves.
      for (const cmd of [
        ['pkill', '-KILL', '-u', u],
        ['userdel', u],
      ]) {
        try {
          execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
        } catch {
          // nothing left to stop, or already gone
        }
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const target = (user: string): HostTarget => ({
    host: '127.0.0.1',
    port: sshd.port,
    user,
    privateKey: readFileSync(path.join(dir, 'login'), 'utf8'),
    knownHosts: readFileSync(path.join(dir, 'known_hosts'), 'utf8'),
  });

  /** A root-owned install root (0755) holding a root-only pin (0600) the install replaces. */
  function rootOwnedPrefix(): string {
    const p = mkdtempSync(path.join(dir, 'root-'));
    chmodSync(p, 0o755);
    mkdirSync(path.join(p, 'etc/armorcode'), { recursive: true });
    writeFileSync(path.join(p, 'etc/armorcode/known_hosts'), '# an older pin, readable by root only\n', { mode: 0o600 });
    confs.push(path.join(p, 'etc/armorcode/supervisord.conf'));
    return p;
  }

  it('stages over SFTP, moves each file into place with sudo -n (backup, owner, mode), starts the agent, and undo puts the root back', async () => {
    const prefix = rootOwnedPrefix();
    const before = tree(prefix);
    const s = await openSession(target(sudoUser));
    if (!s.ok) throw new Error(s.error.message);
    try {
      const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
      if (!planned.ok) throw new Error(`${planned.error.code}: ${planned.error.message}`);
      const { plan } = planned.value;
      expect(plan.asRoot).toBe(false);
      expect(plan.sudo).toBe(true);
      // ArmorCode's supervisord runs as the login user: its files and folders are the login user's.
      expect(plan.runsAs).toBe(sudoUser);
      // The root-only pin behind a 0700 folder is seen (read with sudo), not taken for "nothing".
      expect(plan.files.find((f) => f.target.endsWith('/known_hosts'))).toMatchObject({ replaces: 'a different file', owner: sudoUser });
      expect(plan.notes[0]).toMatch(/private staging folder .* moved into place with sudo -n/);
      expect(tree(prefix)).toEqual(before);

      const logFrom = sshd.log().length;
      const done = await runRemoteInstall(s.value, { host: '127.0.0.1', port: sshd.port, user: sudoUser }, planned.value);
      if (!done.ok) throw new Error(`${done.error.code}: ${done.error.message}`);
      expect(done.record.sudo).toBe(true);
      const key = lstatSync(path.join(prefix, 'etc/armorcode/private-key.pem'));
      expect({ mode: key.mode & 0o777, uid: key.uid }).toEqual({ mode: 0o600, uid });
      expect(readFileSync(path.join(prefix, 'etc/armorcode/private-key.pem'), 'utf8')).toBe(files.find((f) => f.path === 'private-key.pem')!.text);
      // The replaced pin is backed up as it was: root's, 0600, same bytes.
      const backup = done.record.files.find((f) => f.target.endsWith('/known_hosts'))!.backup!;
      expect(readFileSync(backup, 'utf8')).toBe('# an older pin, readable by root only\n');
      expect(lstatSync(backup).uid).toBe(0);
      expect(lstatSync(backup).mode & 0o777).toBe(0o600);
      // No temp file beside the targets, no staging folder left, and no secret on any command line.
      expect(Object.keys(tree(prefix)).filter((k) => k.includes('.ao-tmp-'))).toEqual([]);
      expect(stagingOf(uid)).toEqual([]);
      expect(sshd.log().slice(logFrom)).not.toContain('PRIVATE KEY');
      // The start ran as the login user: its supervisord is up and owns its pid file.
      const pidFile = path.join(prefix, 'run/armorcode/armorcode-supervisord.pid');
      await waitFor(() => existsSync(pidFile));
      expect(statSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`).uid).toBe(uid);

      // Undo as the same user: sudo -n reads and moves root's and the user's files back.
      const aside = path.join(dir, sudoUser, 'aside');
      const undoPlan = await planRemoteUndo(s.value, done.record, aside);
      if (!undoPlan.ok) throw new Error(undoPlan.error.message);
      expect(undoPlan.value.sudo).toBe(true);
      expect(undoPlan.value.steps.find((x) => x.path.endsWith('/known_hosts'))?.action).toBe('restore backup');
      expect(undoPlan.value.steps.find((x) => x.path.endsWith('/private-key.pem'))?.action).toBe('move aside');
      const undone = await runRemoteUndo(s.value, done.record, undoPlan.value, false);
      if (!undone.ok) throw new Error(`${undone.error.code}: ${undone.error.message}`);
      expect(tree(prefix)).toEqual(before);
      expect(readFileSync(path.join(aside, prefix, 'etc/armorcode/private-key.pem'), 'utf8')).toContain('PRIVATE KEY');
    } finally {
      s.value.close();
    }
  }, 90_000);

  it('an existing folder the agent could not use (root-owned 0700, or a root log folder it cannot write) is caught at plan time, before any change', async () => {
    const prefix = rootOwnedPrefix();
    chmodSync(path.join(prefix, 'etc/armorcode'), 0o700);
    mkdirSync(path.join(prefix, 'var/log/armorcode'), { recursive: true, mode: 0o755 });
    const before = tree(prefix);
    const s = await openSession(target(sudoUser));
    if (!s.ok) throw new Error(s.error.message);
    try {
      const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
      expect(planned.ok).toBe(false);
      if (planned.ok) return;
      expect(planned.error.code).toBe('IO_ERROR');
      expect(planned.error.message).toContain(`The agent runs as ${sudoUser}, who cannot use`);
      expect(planned.error.message).toContain(`${prefix}/etc/armorcode (it cannot enter, read it)`);
      expect(planned.error.message).toContain(`${prefix}/var/log/armorcode (it cannot write it)`);
      expect(planned.error.hint).toContain(`chown ${sudoUser}: ${prefix}/etc/armorcode`);
      expect(tree(prefix)).toEqual(before);
      expect(stagingOf(uid)).toEqual([]);

      // Given to the agent's user as the hint says, the same plan goes through.
      execFileSync('chown', [`${sudoUser}:`, path.join(prefix, 'etc/armorcode'), path.join(prefix, 'var/log/armorcode')]);
      const again = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
      if (!again.ok) throw new Error(`${again.error.code}: ${again.error.message}`);
      expect(again.value.plan.sudo).toBe(true);
    } finally {
      s.value.close();
    }
  }, 60_000);

  it('a move that fails part-way is rolled back: every file moved so far goes back, the host is as it was', async () => {
    const prefix = rootOwnedPrefix();
    // The last file's target is a folder, found only when the moves reach it (after three are in place).
    const s = await openSession(target(sudoUser));
    if (!s.ok) throw new Error(s.error.message);
    try {
      const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
      if (!planned.ok) throw new Error(planned.error.message);
      mkdirSync(path.join(prefix, 'etc/armorcode/public-key.pem'));
      const before = tree(prefix);
      const done = await runRemoteInstall(s.value, { host: '127.0.0.1', port: sshd.port, user: sudoUser }, planned.value);
      expect(done.ok).toBe(false);
      if (done.ok) return;
      expect(done.error.code).toBe('REMOTE_FAILED');
      expect(done.error.message).toMatch(/public-key\.pem is a folder, not a file.*Every file moved so far was moved back/s);
      expect(done.inPlace).toEqual([]);
      expect(done.leftovers).toEqual([]);
      expect(tree(prefix)).toEqual(before);
      expect(stagingOf(uid)).toEqual([]);
    } finally {
      s.value.close();
    }
  }, 60_000);

  it('the CLI dry run shows which steps use sudo and who owns each file, and changes nothing', async () => {
    const prefix = rootOwnedPrefix();
    const before = tree(prefix);
    const from = path.join(dir, 'generated-dry');
    mkdirSync(from, { recursive: true });
    for (const f of files) writeFileSync(path.join(from, f.path), f.text, { mode: f.mode });
    const r = await runCliProcess([
      'install',
      ...cliHostArgs({ port: sshd.port, user: sudoUser, key: path.join(dir, 'login'), knownHosts: path.join(dir, 'known_hosts') }),
      '--from',
      from,
      '--platform',
      'armorcode',
      '--variant',
      'docker',
      '--prefix',
      prefix,
      '--dry-run',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${prefix}/etc/armorcode/private-key.pem  mode 0600 (secret)  owner ${sudoUser}  replaces nothing`);
    expect(r.stdout).toContain(`${prefix}/etc/armorcode/known_hosts  mode 0644  owner ${sudoUser}  replaces a different file`);
    expect(r.stdout).toContain(`(placed with sudo -n from a private staging folder of ${sudoUser}`);
    expect(tree(prefix)).toEqual(before);
    expect(stagingOf(uid)).toEqual([]);
  }, 60_000);

  it('a user whose sudo asks for a password is stopped before any change: SUDO_PASSWORD_REQUIRED at the "Files in place" hop', async () => {
    const prefix = rootOwnedPrefix();
    const before = tree(prefix);
    const from = path.join(dir, 'generated');
    mkdirSync(from, { recursive: true });
    for (const f of files) writeFileSync(path.join(from, f.path), f.text, { mode: f.mode });
    const r = await runCliProcess([
      'install',
      ...cliHostArgs({ port: sshd.port, user: plainUser, key: path.join(dir, 'login'), knownHosts: path.join(dir, 'known_hosts') }),
      '--from',
      from,
      '--platform',
      'armorcode',
      '--variant',
      'docker',
      '--prefix',
      prefix,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { hops: { hop: string; state: string; detail: string }[] };
    expect(out.hops.map((h) => `${h.hop}:${h.state}`)).toEqual(['ssh:passed', 'files:failed']);
    expect(out.hops[1]!.detail).toMatch(/is not writable by the login user .*sudo on the host asks for a password .*nothing was changed/);
    expect(out.hops[1]!.detail).toMatch(/Allow the login user passwordless sudo/);
    expect(tree(prefix)).toEqual(before);
  }, 60_000);
});

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function keyPair(): { privateKey: string; publicKey: string } {
  const d = mkdtempSync(path.join(tmpdir(), 'ao-kp-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(d, 'k')]);
    return { privateKey: readFileSync(path.join(d, 'k'), 'utf8'), publicKey: readFileSync(path.join(d, 'k.pub'), 'utf8').trim() };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}
