/**
 * The Install step's failure paths in browser mode, each on a real loopback sshd: a full disk (the
 * install root on a small tmpfs), sudo asking for a password (a real user made here, no sudoers
 * rule), the connection dropped mid-upload (the sshd child serving the session killed), and Cancel
 * mid-install. Each says what happened, at which hop, what is in place and what to do next; the
 * host is compared file by file with how it was.
 *
 * To cut the connection or cancel *during* the uploads, one sshd serves SFTP through a relay that
 * holds each request for 150 ms (test/e2e/support: the real sftp-server behind it, only slower):
 * the files are a few hundred bytes and would otherwise all arrive within a few milliseconds.
 *
 * Then the tunnel recovering after its ssh is killed, shown on the Install step: a real install to
 * "online" (an ArmorCode server that is a second real sshd, real supervisord + autossh on the
 * host), the tunnel's ssh killed, and Check again showing the "Connected" hop waiting for the new
 * session and then passed, with HTTP through the tunnel again.
 *
 * Needs root (tmpfs mounts, useradd, port 22 on a loopback address of its own for the ArmorCode
 * server): skipped otherwise.
 */
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { getLoopback, until } from '../support/net-servers';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { expect, expectAccessible, test } from './fixtures';
import { freeServerAddress, tree, tunnelSshPids, walkToInstall as walkWith } from './support/install';

/** The walk to Install with a tunnel to a server no one runs (these installs fail before it matters): nothing listens there. */
const walkToInstall = (app: Page): Promise<void> =>
  walkWith(app, dir, {
    server: '127.77.0.2',
    user: 'tunnel',
    serviceUrl: 'http://127.0.0.1:8080',
    remotePort: 15000,
    serverPub: () => readFileSync(path.join(dir, 'server_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' '),
  });

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** The SFTP relay: stdin to the real sftp-server, each chunk held `delay` ms (order kept); its answers pass straight through. */
const RELAY = `const { spawn } = require('node:child_process');
const delay = Number(process.argv[3]);
const child = spawn(process.argv[2], [], { stdio: ['pipe', 'inherit', 'inherit'] });
process.stdin.on('data', (b) => setTimeout(() => child.stdin.write(b), delay));
process.stdin.on('end', () => setTimeout(() => child.stdin.end(), delay));
child.on('exit', (c) => process.exit(c ?? 0));
`;

let dir: string;
let host: RunningSshd;
let slowHost: RunningSshd;
const noSudoUser = `aon${process.pid.toString(36)}`;
const sudoUser = `aos${process.pid.toString(36)}`;
const sudoers = `/etc/sudoers.d/agent-onboard-e2e-${process.pid.toString(36)}`;
const adminKey = (): string => path.join(dir, 'admin_ed25519');
const mounts: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.skip(!isRoot, 'needs root: tmpfs mounts, a user made with useradd');
  dir = mkdtempSync(path.join(tmpdir(), 'ao-e2e-install-fail-'));
  chmodSync(dir, 0o755);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'server', '-f', path.join(dir, 'server_ed25519')]);
  const pub = readFileSync(`${adminKey()}.pub`, 'utf8');
  host = await startSshd({ authorizedKeys: [pub], extraConfig: ['Subsystem sftp internal-sftp'] });
  // sshd reads authorized_keys as the user logging in (the user without sudo logs in with the same key).
  chmodSync(host.dir, 0o755);
  chmodSync(path.join(host.dir, 'authorized_keys'), 0o644);
  writeFileSync(path.join(dir, 'relay.js'), RELAY);
  slowHost = await startSshd({
    authorizedKeys: [pub],
    extraConfig: [`Subsystem sftp ${process.execPath} ${path.join(dir, 'relay.js')} /usr/lib/openssh/sftp-server 150`],
  });
  for (const u of [noSudoUser, sudoUser]) {
    mkdirSync(path.join(dir, u), { mode: 0o700 });
    execFileSync('useradd', ['-M', '-d', path.join(dir, u), '-s', '/bin/sh', u]);
    execFileSync('passwd', ['-d', u], { stdio: 'ignore' });
    execFileSync('chown', [`${u}:`, path.join(dir, u)]);
  }
  // A real NOPASSWD rule for one of them, in a file named for this run (removed after).
  writeFileSync(sudoers, `${sudoUser} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  execFileSync('visudo', ['-cf', sudoers]);
});

let server: RunningSshd | undefined;
let service: http.Server | undefined;
const confs: string[] = [];

test.afterAll(async () => {
  for (const c of confs) await run('supervisorctl', ['-c', c, 'shutdown']).catch(() => undefined);
  service?.close();
  await server?.stop();
  for (const m of mounts) await run('umount', [m]).catch(() => undefined);
  await host?.stop();
  await slowHost?.stop();
  rmSync(sudoers, { force: true });
  if (isRoot)
    for (const u of [noSudoUser, sudoUser]) {
      await run('pkill', ['-KILL', '-u', u]).catch(() => undefined);
      await run('userdel', [u]).catch(() => undefined);
    }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Fills the host form, confirms and pins the host key, and asks for the plan. */
async function pinAndPlan(app: Page, sshd: RunningSshd, user: string, prefix: string): Promise<void> {
  await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await app.getByLabel('Port', { exact: true }).fill(String(sshd.port));
  await app.getByLabel('User', { exact: true }).fill(user);
  await app.getByLabel('Path of the key file').fill(adminKey());
  await app.getByLabel('Install root').fill(prefix);
  await app.getByRole('button', { name: 'Connect and show the host key' }).click();
  const hostKey = app.getByTestId('agent-host-key');
  await expect(hostKey).toContainText(sshd.hostKeyFingerprint);
  await hostKey.getByRole('checkbox').check();
  await hostKey.getByRole('button', { name: /^Pin host key of/ }).click();
  await app.getByRole('button', { name: 'Show the plan' }).click();
}

function newPrefix(): string {
  const p = mkdtempSync(path.join(dir, 'root-'));
  chmodSync(p, 0o755);
  return p;
}

/** The path of the first temp file an upload put under `root`, once there is one. */
async function firstTemp(root: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const hit = Object.keys(tree(root)).find((k) => k.includes('.ao-tmp-'));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no upload started within 60 s');
}

test('a full disk: the plan refuses with what to do, and a disk that fills after the plan fails the install at "Files in place"; the host is as it was', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await walkToInstall(app);
  const root = newPrefix();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=755', 'tmpfs', root]);
  mounts.push(root);
  const free = (): number => Number(execFileSync('df', ['-Pk', root], { encoding: 'utf8' }).split('\n')[1]!.split(/\s+/)[3]);
  writeFileSync(path.join(root, 'filler'), Buffer.alloc(free() * 1024));
  const before = tree(root);

  await pinAndPlan(app, host, host.user, root);
  const planError = app.getByTestId('plan-error');
  await expect(planError).toContainText(/The install root has \d+ bytes free and the files need about \d+; nothing was changed\./, { timeout: 30_000 });
  await expect(planError).toContainText('Free some space on the host (or choose another install root), then run the install again.');
  await expect(app.getByTestId('install-plan')).toHaveCount(0);
  await expectAccessible(app, 'install: full disk at the plan');
  expect(tree(root)).toEqual(before);

  // Room at plan time; then something else fills the disk before Install.
  rmSync(path.join(root, 'filler'));
  const empty = tree(root);
  await app.getByRole('button', { name: 'Show the plan' }).click();
  await expect(app.getByTestId('install-plan')).toBeVisible({ timeout: 30_000 });
  writeFileSync(path.join(root, 'filler'), Buffer.alloc(free() * 1024));
  const full = tree(root);
  await app.getByLabel('Time limit to see it online (seconds)').fill('10');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  const outcome = app.getByTestId('install-outcome');
  await expect(outcome).toContainText('Not online.', { timeout: 60_000 });
  await expect(app.getByTestId('install-hops').locator('li[data-hop="files"]')).toHaveAttribute('data-state', 'failed');
  await expect(outcome).toContainText(/Files in place ✗.*(bytes free|full disk)/);
  await expect(outcome).toContainText(/Free (some )?space/);
  await expectAccessible(app, 'install: full disk at the upload');
  expect(tree(root)).toEqual(full);
  rmSync(path.join(root, 'filler'));
  expect(tree(root)).toEqual(empty);
});

test('sudo asking for a password is said before anything changes, with what to do', async ({ app }) => {
  test.setTimeout(120_000);
  await walkToInstall(app);
  const root = newPrefix();
  const before = tree(root);
  await pinAndPlan(app, host, noSudoUser, root);
  const planError = app.getByTestId('plan-error');
  await expect(planError).toContainText('sudo needs a password on the host', { timeout: 30_000 });
  await expect(planError).toContainText(`is not writable by the login user ${noSudoUser}`);
  await expect(planError).toContainText('sudo on the host asks for a password');
  await expect(planError).toContainText('nothing was changed');
  await expect(planError).toContainText('Allow the login user passwordless sudo (a sudoers rule)');
  await expect(app.getByTestId('install-plan')).toHaveCount(0);
  await expect(app.getByRole('button', { name: /^Install on/ })).toHaveCount(0);
  await expectAccessible(app, 'install: sudo needs a password');
  expect(tree(root)).toEqual(before);
});

test('a user with passwordless sudo installs under a root-owned root: the plan says which steps use sudo, and undo puts the root back', async ({ app }) => {
  test.setTimeout(180_000);
  await walkToInstall(app);
  const root = newPrefix();
  confs.push(path.join(root, 'etc/armorcode/supervisord.conf'));
  const before = tree(root);
  await pinAndPlan(app, host, sudoUser, root);
  const plan = app.getByTestId('install-plan');
  await expect(plan).toBeVisible({ timeout: 30_000 });
  await expect(plan).toContainText(`${sudoUser} cannot place these files itself, so each file is uploaded into a private staging folder`);
  await expect(app.getByTestId('install-sudo')).toContainText('Steps that need root run with sudo -n (placing the files');
  // ArmorCode's supervisord runs as the login user, so its files are the login user's.
  await expect(plan.getByRole('row', { name: new RegExp(`${root}/etc/armorcode/private-key\\.pem`) })).toContainText(sudoUser);
  await expectAccessible(app, 'install: plan with sudo');
  expect(tree(root)).toEqual(before);

  // No ArmorCode server answers here: the files go in place, the agent starts, and it is not seen online.
  await app.getByLabel('Time limit to see it online (seconds)').fill('8');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  await expect(app.getByTestId('install-outcome')).toContainText('Not online.', { timeout: 60_000 });
  await expect(app.getByTestId('install-hops').locator('li[data-hop="files"]')).toHaveAttribute('data-state', 'passed');
  const key = lstatSync(path.join(root, 'etc/armorcode/private-key.pem'));
  expect(key.mode & 0o777).toBe(0o600);
  expect(key.uid).toBe(Number(execFileSync('id', ['-u', sudoUser], { encoding: 'utf8' }).trim()));

  // Undo from the step: read and moved back with sudo -n, the agent stopped first.
  await app.getByRole('button', { name: 'Undo this install…' }).click();
  await expect(app.getByTestId('undo-plan')).toContainText(`${root}/etc/armorcode/private-key.pem: move aside`, { timeout: 30_000 });
  await app.getByRole('button', { name: 'Undo now' }).click();
  await expect(app.getByTestId('undo-done')).toContainText('Undone', { timeout: 60_000 });
  expect(tree(root)).toEqual(before);
});

test('the connection dropped mid-upload: the step says what is in place and offers to finish or undo', async ({ app }) => {
  test.setTimeout(180_000);
  await walkToInstall(app);
  const root = newPrefix();
  const before = tree(root);
  await pinAndPlan(app, slowHost, slowHost.user, root);
  await expect(app.getByTestId('install-plan')).toBeVisible({ timeout: 60_000 });
  await app.getByLabel('Time limit to see it online (seconds)').fill('10');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  const temp = await firstTemp(root);
  // Kill the sshd processes serving the session: the listener's children and everything under them
  // (the privilege-separated child holds the socket too, so the monitor alone is not enough).
  const sshdPid = Number(readFileSync(path.join(slowHost.dir, 'sshd.pid'), 'utf8').trim());
  for (const k of descendants(sshdPid)) process.kill(k, 'SIGKILL');
  // The cut is real: nothing on the host side holds the connection any more.
  expect(heldConnections(slowHost.port)).toEqual([]);

  const outcome = app.getByTestId('install-outcome');
  await expect(outcome).toContainText('Not online.', { timeout: 60_000 });
  await expect(app.getByTestId('install-hops').locator('li[data-hop="files"]')).toHaveAttribute('data-state', 'failed');
  await expect(outcome).toContainText('The connection to the host was lost');
  // Exactly what is on the host: nothing renamed into place; the temp file(s) that arrived, named.
  const inPlace = app.getByTestId('install-in-place');
  await expect(inPlace).toContainText('In place on the host now: nothing; temporary files left');
  await expect(inPlace).toContainText(path.join(root, temp));
  await expect(outcome).toContainText('To finish, fix the cause and choose Show the plan again, then Install');
  await expect(app.getByRole('heading', { name: 'Partly installed on 127.0.0.1' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Show the plan again' }).or(app.getByRole('button', { name: 'Show the plan' }))).toBeVisible();
  await expect(app.getByRole('button', { name: 'Undo this install…' })).toBeEnabled();
  await expectAccessible(app, 'install: connection dropped');
  // On the host: the folders it made and the temp file(s) the step named; nothing else.
  expect(before).toEqual({});
  const files = Object.keys(tree(root)).filter((k) => !k.endsWith('/'));
  expect(files).toContain(temp);
  for (const f of files) {
    expect(f).toMatch(/\.ao-tmp-/);
    await expect(inPlace).toContainText(path.join(root, f));
  }
});

test('Cancel during the uploads leaves the host as it was, and says so', async ({ app }) => {
  test.setTimeout(180_000);
  await walkToInstall(app);
  const root = newPrefix();
  const before = tree(root);
  await pinAndPlan(app, slowHost, slowHost.user, root);
  await expect(app.getByTestId('install-plan')).toBeVisible({ timeout: 60_000 });
  await app.getByLabel('Time limit to see it online (seconds)').fill('10');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  await firstTemp(root);
  await app.getByRole('button', { name: 'Cancel' }).click();
  const outcome = app.getByTestId('install-outcome');
  await expect(outcome).toContainText('Cancelled.', { timeout: 60_000 });
  await expect(app.getByTestId('install-in-place')).toHaveText('In place on the host now: nothing (the host is as it was).');
  await expect(app.getByRole('heading', { name: /Installed on|Partly installed on/ })).toHaveCount(0);
  await expectAccessible(app, 'install: cancelled');
  expect(tree(root)).toEqual(before);
});

/** Pids of the processes holding an established connection on local port `port` (ss's view). */
function heldConnections(port: number): number[] {
  const out = execFileSync('ss', ['-Htnp', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  return [...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
}

/** Every process under `pid` (children first found, then theirs). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    let kids: number[] = [];
    try {
      kids = execFileSync('pgrep', ['-P', String(p)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      // pgrep exits 1 when there are none
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

test('the tunnel recovering after its ssh is killed is shown on the Install step: Connected waits for the new session, then passes', async ({ app }) => {
  test.setTimeout(240_000);
  const SERVER_ADDR = await freeServerAddress(3);
  service = http.createServer((_q, res) => res.end('internal service'));
  await new Promise<void>((r) => service!.listen(0, '127.0.0.1', () => r()));
  const servicePort = (service.address() as AddressInfo).port;
  const remotePort = await freePort();
  await walkWith(
    app,
    dir,
    // The stand-in server lets in only the user running the tests.
    {
      server: SERVER_ADDR,
      user: userInfo().username,
      serviceUrl: `http://127.0.0.1:${servicePort}`,
      remotePort,
      serverPub: () => server!.hostPublicKey,
    },
    async (tunnelPub) => {
      server = await startSshd({ authorizedKeys: [tunnelPub], extraConfig: [`ListenAddress ${SERVER_ADDR}:22`] });
    },
  );
  const root = newPrefix();
  confs.push(path.join(root, 'etc/armorcode/supervisord.conf'));
  await pinAndPlan(app, host, host.user, root);
  await expect(app.getByTestId('install-plan')).toBeVisible({ timeout: 30_000 });
  await app.getByLabel('Time limit to see it online (seconds)').fill('90');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  await expect(app.getByTestId('install-outcome')).toContainText('Online', { timeout: 120_000 });
  // The first attempt: nothing restarted yet.
  await expect(app.getByTestId('install-hops').locator('li[data-hop="started"]')).not.toContainText('restarted');
  expect(await until('HTTP through the tunnel', () => getLoopback(remotePort))).toBe('internal service');

  // Kill the tunnel's ssh: autossh under supervisord starts a new session.
  const keyPath = path.join(root, 'etc/armorcode/private-key.pem');
  const killed = await until('the tunnel ssh', () => (tunnelSshPids(keyPath).length ? tunnelSshPids(keyPath) : null));
  for (const pid of killed) process.kill(pid, 'SIGKILL');
  await app.getByRole('button', { name: 'Check again' }).click();
  // The step names the restart at "Service started": a new attempt, which must prove every hop again.
  await expect(app.getByTestId('verify-hops').locator('li[data-hop="started"]')).toContainText(/attempt \d+ \(restarted \d+ time\(s\) in this log\)/, {
    timeout: 30_000,
  });
  const connected = app.getByTestId('verify-hops').locator('li[data-hop="connected"]');
  // The new session has to prove itself again: the hop is not passed while it holds its forwards...
  await expect(connected).toHaveAttribute('data-state', /waiting|holding/, { timeout: 30_000 });
  // ...then it is, and the step says the agent is online again.
  await expect(connected).toHaveAttribute('data-state', 'passed', { timeout: 60_000 });
  await expect(app.getByText('Online now.')).toBeVisible({ timeout: 60_000 });
  await expectAccessible(app, 'install: tunnel recovered');
  expect(tunnelSshPids(keyPath).some((p) => !killed.includes(p))).toBe(true);
  expect(await until('HTTP through the recovered tunnel', () => getLoopback(remotePort))).toBe('internal service');
});
