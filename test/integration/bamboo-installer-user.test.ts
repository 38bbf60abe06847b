/**
 * The Bamboo installer run as the next steps say, by an unprivileged service user (issue 11 item
 * 9): the token file is 0600 and the output folder private to the admin, so the steps must hand
 * both to the service user, and the script must find the token and download the installer as that
 * user. The Bamboo server is a loopback HTTP stand-in that serves the installer jar at the path the
 * real server does (`<base>/agentServer/agentInstaller/<jar>`); `java` is a stand-in that records how it was
 * called, since running the real installer needs a real Bamboo server to register with.
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooRemote } from '../../shared/platforms/bamboo-remote';
import { STAGING } from '../../shared/platforms/bamboo-remote/installer';
import type { Generated } from '../../shared/platforms/types';

const root = process.getuid?.() === 0;
const hasRunuser = spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status === 0;
const reason = !root ? 'needs root to create a service user with useradd' : !hasRunuser ? 'needs runuser (util-linux) to act as sudo -u' : '';
if (reason) console.warn(`bamboo-installer-user: skipped (${reason})`);

/** Runs a command without blocking the event loop: the loopback server answers from this process. */
function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const JAR = Buffer.from('PK\u0003\u0004 not a real installer, served by the loopback stand-in');

describe.skipIf(Boolean(reason))('Bamboo installer run by the service user, as the next steps say', () => {
  const user = `aob${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  let work = '';
  let server: Server;
  let port = 0;
  const served: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'bamboo-user-'));
    chmodSync(work, 0o755);
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/bamboo/agentServer/agentInstaller/atlassian-bamboo-agent-installer-9.6.2.jar') {
        res.writeHead(200, { 'content-type': 'application/java-archive' }).end(JAR);
      } else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    spawnSync('userdel', [user], { stdio: 'ignore' });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  it('registers with the token read and the installer downloaded by the service user, then the copy is deleted', async () => {
    const home = path.join(work, 'agent home');
    const answers = bambooRemote.answers.parse({ serverUrl: `http://127.0.0.1:${port}/bamboo`, installerVersion: '9.6.2', agentHome: home, serviceUser: user });
    const r = bambooRemote.generate!(answers, { kind: 'token', token: TOKEN }, 'installer');
    if (!r.ok) throw new Error(r.error.message);
    const g: Generated = r.value;

    // The output folder as the app leaves it: private to the admin, the token 0600.
    const out = path.join(work, 'out');
    mkdirSync(out, { mode: 0o700 });
    for (const f of g.files) writeFileSync(path.join(out, f.path), f.text, { mode: f.mode });
    expect(statSync(path.join(out, 'security-token')).mode & 0o777).toBe(0o600);

    // `java` stand-in: records who ran it, its arguments and the jar it was given.
    const bin = path.join(work, 'bin');
    mkdirSync(bin, { mode: 0o755 });
    const log = path.join(work, 'java-calls');
    writeFileSync(log, '', { mode: 0o666 });
    chmodSync(log, 0o666);
    writeFileSync(
      path.join(bin, 'java'),
      `#!/bin/sh\n{ id -un; for a in "$@"; do printf '%s\\n' "$a"; done; } > ${log}\nfor a in "$@"; do case "$a" in *.jar) cat "$a" > ${log}.jar ;; esac; done\n`,
      { mode: 0o755 },
    );
    writeFileSync(`${log}.jar`, '', { mode: 0o666 });
    chmodSync(`${log}.jar`, 0o666);

    // Every shown Linux step up to the registration, run as written; sudo is root here, `sudo -u U` is runuser.
    const steps = g.commands.filter((c) => c.os === 'linux' && !/systemctl|tail -f|rm -r|^java /.test(c.command)).map((c) => c.command);
    expect(steps.at(-1)).toMatch(new RegExp(`^sudo -u ${user} sh `));
    const sudo = 'sudo() { if [ "$1" = -u ]; then u=$2; shift 2; runuser -u "$u" -- env PATH="$STUB_PATH" "$@"; else "$@"; fi; }';
    const ran = await run('bash', ['-c', [sudo, 'set -e', ...steps].join('\n')], {
      cwd: out,
      env: { PATH: process.env.PATH, STUB_PATH: `${bin}:/usr/bin:/bin:/usr/sbin:/sbin` },
    });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);

    const staging = path.join(home, STAGING);
    const [ranAs, ...args] = readFileSync(log, 'utf8').split('\n').slice(0, -1);
    expect(ranAs).toBe(user);
    expect(args).toEqual([
      `-Dbamboo.home=${home}`,
      '-jar',
      path.join(staging, 'atlassian-bamboo-agent-installer-9.6.2.jar'),
      `http://127.0.0.1:${port}/bamboo/agentServer/`,
      '-t',
      TOKEN,
    ]);
    expect(readFileSync(`${log}.jar`)).toEqual(JAR);
    expect(served).toEqual(['/bamboo/agentServer/agentInstaller/atlassian-bamboo-agent-installer-9.6.2.jar']);
    const tokenCopy = statSync(path.join(staging, 'security-token'));
    expect(tokenCopy.mode & 0o777).toBe(0o600);
    expect(tokenCopy.uid).not.toBe(0);

    const cleanup = g.commands.find((c) => /rm -r/.test(c.command))!.command;
    expect((await run('bash', ['-c', `${sudo}\n${cleanup}`], { cwd: out })).status).toBe(0);
    expect(existsSync(staging)).toBe(false);
  });

  it('says which user cannot read the token when the script is run without the hand-over step', () => {
    const answers = bambooRemote.answers.parse({
      serverUrl: `http://127.0.0.1:${port}/bamboo`,
      installerVersion: '9.6.2',
      agentHome: path.join(work, 'home2'),
      serviceUser: user,
    });
    const r = bambooRemote.generate!(answers, { kind: 'token', token: TOKEN }, 'installer');
    if (!r.ok) throw new Error(r.error.message);
    const dir = mkdtempSync(path.join(work, 'shared-'));
    chmodSync(dir, 0o755);
    for (const f of r.value.files) writeFileSync(path.join(dir, f.path), f.text, { mode: f.mode });
    const run = spawnSync('runuser', ['-u', user, '--', 'sh', path.join(dir, 'install-bamboo-agent.sh')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${user} cannot read it`);
  });
});
