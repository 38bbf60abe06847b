/**
 * The last mile in browser mode, with real parts: ArmorCode onboarded from the Platform step to
 * "online". The "agent host" is a real sshd on loopback (logged into with its own admin key, its
 * host key confirmed on first contact), the "ArmorCode server" is a second real sshd, and the
 * tunnel runs under real supervisord + autossh + ssh that the Install step starts on the host.
 * An HTTP service stands for the internal service behind the tunnel. Then Undo puts the install
 * root back as it was, file by file. Also: a changed host key is refused, and a dead host says so.
 *
 * The ArmorCode server must listen on port 22 or 443 (the Details step offers only those), so it
 * gets port 22 on a loopback address of its own (a free 127.77.1.x): that needs root, else the test skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { runCliProcess } from '../support/cli';
import { getLoopback, until } from '../support/net-servers';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';
import { freeServerAddress, tree, walkToInstall as walkWith } from './support/install';

/** The walk to Install with a tunnel to the stand-in server (started, or its keys extended, once the key exists). */
function walkToInstall(app: Page, remotePort: number): Promise<void> {
  return walkWith(
    app,
    dir,
    {
      server: SERVER_ADDR,
      // The stand-in server lets in only the user running the tests.
      user: userInfo().username,
      serviceUrl: `http://127.0.0.1:${servicePort}`,
      remotePort,
      serverPub: () => server!.hostPublicKey,
    },
    async (tunnelPub) => {
      if (!server) server = await startSshd({ authorizedKeys: [tunnelPub], extraConfig: [`ListenAddress ${SERVER_ADDR}:22`] });
      else writeFileSync(path.join(server.dir, 'authorized_keys'), `${readFileSync(path.join(server.dir, 'authorized_keys'), 'utf8')}${tunnelPub}\n`);
    },
  );
}

const run = promisify(execFile);
/** The stand-in ArmorCode server's address (port 22 free there; another run picks another). */
let SERVER_ADDR = '';
const isRoot = process.getuid?.() === 0;

let dir: string;
let agentHost: RunningSshd;
let server: RunningSshd | undefined;
let service: http.Server;
let servicePort: number;
const prefixes: string[] = [];
const adminKey = (): string => path.join(dir, 'admin_ed25519');

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.skip(!isRoot, 'the stand-in ArmorCode server needs port 22 on a loopback address of its own (root)');
  dir = mkdtempSync(path.join(tmpdir(), 'ao-e2e-install-'));
  SERVER_ADDR = await freeServerAddress(1);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', path.join(dir, 'other_ed25519')]);
  agentHost = await startSshd({ authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
  service = http.createServer((_q, res) => res.end('internal service'));
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
  servicePort = (service.address() as AddressInfo).port;
});

test.afterAll(async () => {
  for (const p of prefixes) {
    const conf = path.join(p, 'etc/armorcode/supervisord.conf');
    if (existsSync(conf)) await run('supervisorctl', ['-c', conf, 'shutdown']).catch(() => undefined);
  }
  service?.close();
  await agentHost?.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const heading = (app: Page) => app.getByRole('heading', { level: 1 });

async function fillHost(app: Page, port: number, prefix: string, key = adminKey()): Promise<void> {
  await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await app.getByLabel('Port', { exact: true }).fill(String(port));
  await app.getByLabel('User', { exact: true }).fill(agentHost.user);
  await app.getByLabel('Path of the key file').fill(key);
  await app.getByLabel('Install root').fill(prefix);
}

/** A job channel called over the page's socket: its progress events come first, then the answer (id 1). */
async function invokeJob(page: Page, channel: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return page.evaluate(
    ({ c, p }) =>
      new Promise((resolve, reject) => {
        const secret = sessionStorage.getItem('ao-session') ?? '';
        const ws = new WebSocket(`ws://${location.host}/api/ws`, ['agent-onboard', `ao-session.${secret}`]);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: c, payload: p }));
        ws.onmessage = (m) => {
          const msg = JSON.parse(String(m.data)) as { id?: number; result?: { ok: boolean; error?: { code: string; message: string } } };
          if (msg.id !== 1 || !msg.result) return;
          resolve(msg.result);
          ws.close();
        };
        ws.onerror = () => reject(new Error('websocket failed'));
      }),
    { c: channel, p: payload },
  );
}

function newPrefix(): string {
  const p = mkdtempSync(path.join(dir, 'root-'));
  prefixes.push(p);
  return p;
}

test('ArmorCode from the Platform step to online on a real host over SSH, Done says so, then Undo from History puts the host back', async ({ app }) => {
  test.setTimeout(240_000);
  const remotePort = await freePort();
  await walkToInstall(app, remotePort);
  const prefix = newPrefix();
  // Something the install replaces, which undo must restore byte for byte.
  mkdirSync(path.join(prefix, 'etc/armorcode'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(prefix, 'etc/armorcode/known_hosts'), '# an older pin\n', { mode: 0o644 });
  const before = tree(prefix);

  await expect(app.getByText(/ArmorCode tunnels under supervisord/)).toBeVisible();
  await fillHost(app, agentHost.port, prefix);
  await expectAccessible(app, 'install: the agent host form');
  await expect(app.getByRole('button', { name: 'Show the plan' })).toHaveCount(0);

  // First contact: the fingerprint is shown and must be confirmed; nothing is accepted silently.
  await app.getByRole('button', { name: 'Connect and show the host key' }).click();
  const hostKey = app.getByTestId('agent-host-key');
  await expect(hostKey).toContainText(agentHost.hostKeyFingerprint);
  await expect(app.getByRole('button', { name: 'Show the plan' })).toHaveCount(0);
  const pin = hostKey.getByRole('button', { name: /^Pin host key of 127\.0\.0\.1/ });
  await expect(pin).toBeDisabled();
  await hostKey.getByLabel("Fingerprint from the host's owner (optional)").fill(agentHost.hostKeyFingerprint);
  await expect(hostKey.getByText('It matches.')).toBeVisible();
  await hostKey.getByRole('checkbox').check();
  await pin.click();
  await expect(hostKey).toContainText('Pinned');
  await expectAccessible(app, 'install: host key pinned');

  // The plan, before anything changes.
  await app.getByRole('button', { name: 'Show the plan' }).click();
  const plan = app.getByTestId('install-plan');
  await expect(plan.getByRole('row', { name: new RegExp(`${prefix}/etc/armorcode/private-key\\.pem`) })).toContainText('0600');
  await expect(plan.getByRole('row', { name: new RegExp(`${prefix}/etc/armorcode/private-key\\.pem`) })).toContainText('secret');
  await expect(plan.getByRole('row', { name: new RegExp(`${prefix}/etc/armorcode/known_hosts`) })).toContainText('a different file (backed up first)');
  await expect(plan).toContainText(`setsid -f supervisord -c ${prefix}/etc/armorcode/supervisord.conf`);
  await expect(app.getByTestId('install-sudo')).toContainText('root');
  expect(tree(prefix)).toEqual(before);
  await expectAccessible(app, 'install: the plan');

  // Install: the hops come in with the time limit shown, then online.
  await app.getByLabel('Time limit to see it online (seconds)').fill('90');
  await app.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  await expect(app.getByTestId('time-limit')).toContainText(/Time limit: \d+ s left of 90 s/, { timeout: 30_000 });
  await expect(app.getByTestId('install-outcome')).toContainText('Online', { timeout: 120_000 });
  const hops = app.getByTestId('install-hops').locator('li');
  await expect(hops).toHaveCount(6);
  for (const hop of ['ssh', 'files', 'started', 'stayed-up', 'registered', 'connected'])
    await expect(app.getByTestId('install-hops').locator(`li[data-hop="${hop}"]`)).toHaveAttribute('data-state', 'passed');
  await expect(app.getByTestId('install-outcome')).toContainText('SSH to the host ✓ → Files in place ✓ → Service started ✓');
  await expectAccessible(app, 'install: online');
  // Real: the secret arrived 0600, never on a command line, and HTTP goes through the tunnel.
  expect(lstatSync(path.join(prefix, 'etc/armorcode/private-key.pem')).mode & 0o777).toBe(0o600);
  expect(agentHost.log()).not.toContain('PRIVATE KEY');
  expect(await until('HTTP through the tunnel', () => getLoopback(remotePort))).toBe('internal service');

  // Check again: still online.
  await app.getByRole('button', { name: 'Check again' }).click();
  await expect(app.getByText('Online now.')).toBeVisible({ timeout: 60_000 });

  // Done reads the install: online on the host with the hops seen (the last check's: it proves SSH
  // and the agent's hops, not the files again), and Check again runs the watch.
  const loaded = await invokeFromPage(app, 'draft:load', {});
  expect(await invokeFromPage(app, 'draft:save', { ...(loaded.value as Record<string, unknown>), step: 'done' })).toMatchObject({ ok: true });
  await app.reload();
  await expect(app.getByTestId('done-lead')).toContainText('Online on 127.0.0.1');
  await expect(app.getByTestId('done-lead')).toHaveAttribute('data-state', 'online');
  for (const hop of ['ssh', 'started', 'stayed-up', 'registered', 'connected'])
    await expect(app.getByTestId('done-hops').locator(`li[data-hop="${hop}"]`)).toHaveAttribute('data-state', 'passed');
  await expect(app.getByTestId('done-host')).not.toContainText('Copy the files to the agent host');
  await app.getByTestId('done-host').getByRole('button', { name: 'Check again' }).click();
  await expect(app.getByTestId('done-host-outcome')).toHaveAttribute('data-online', 'yes', { timeout: 60_000 });
  await expect(app.getByTestId('done-host').getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 60_000 });
  await expectAccessible(app, 'done: online on the host');

  // History lists the install on its host; Undo from there: the plan first, then the host is back
  // as it was (created files moved aside).
  await app.getByRole('button', { name: 'History' }).click();
  // Only this install's row: the History of one Playwright worker also lists other specs' installs.
  const row = app.getByRole('row', { name: /ArmorCode.* on 127\.0\.0\.1/ }).filter({ hasText: `127.0.0.1:${agentHost.port}` });
  await expect(row.getByTestId('history-host-install')).toContainText(`${agentHost.user}@127.0.0.1:${agentHost.port}`);
  await expect(row.getByTestId('history-host-install')).toContainText('seen online');
  await row.getByRole('button', { name: /^Undo .* on the host$/ }).click();
  const panel = app.getByTestId('history-host-undo');
  await panel.getByRole('button', { name: 'Show the undo plan' }).click();
  await expect(panel.getByText('give the path of the private key file')).toBeVisible();
  await panel.getByLabel(/Private key file/).fill(adminKey());
  await panel.getByRole('button', { name: 'Show the undo plan' }).click();
  const undoPlan = panel.getByTestId('undo-plan');
  await expect(undoPlan).toContainText(`${prefix}/etc/armorcode/known_hosts: restore backup`);
  await expect(undoPlan).toContainText(`${prefix}/etc/armorcode/private-key.pem: move aside`);
  expect(await getLoopback(remotePort)).toBe('internal service');
  await expectAccessible(app, 'history: host undo plan');
  await panel.getByRole('button', { name: 'Undo now' }).click();
  await expect(app.getByTestId('history-notice')).toContainText('Undone on 127.0.0.1', { timeout: 60_000 });
  await expect(row).toHaveCount(0);
  expect(tree(prefix)).toEqual(before);
  expect(await getLoopback(remotePort)).toBeNull();
});

test('a changed host key is refused with nothing sent, and a dead host says what to check', async ({ app }) => {
  test.setTimeout(120_000);
  await walkToInstall(app, await freePort());
  const prefix = newPrefix();

  // The draft pins another key for the agent host (as after the host was reinstalled, or when the
  // address now reaches another machine).
  const otherPub = readFileSync(path.join(dir, 'other_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const stalePin = `[127.0.0.1]:${agentHost.port} ${otherPub}\n`;
  const loaded = await invokeFromPage(app, 'draft:load', {});
  const draft = {
    ...(loaded.value as Record<string, unknown>),
    install: { host: '127.0.0.1', port: String(agentHost.port), user: agentHost.user, key: 'file', keyPath: adminKey(), prefix, knownHosts: stalePin },
  };
  expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
  await app.reload();
  await expect(heading(app)).toContainText('Install');

  const logBefore = agentHost.log().length;
  await app.getByRole('button', { name: 'Connect and show the host key' }).click();
  const hostKey = app.getByTestId('agent-host-key');
  await expect(hostKey).toContainText('the host key is not the pinned one');
  await expect(hostKey).toContainText(agentHost.hostKeyFingerprint);
  await expect(hostKey.getByRole('button', { name: /^Pin host key/ })).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Show the plan' })).toHaveCount(0);
  await expectAccessible(app, 'install: changed host key');
  // The plan channel itself refuses it too, before authenticating: the host saw no login attempt.
  const refused = await invokeJob(app, 'remote:plan', {
    jobId: 'stale-pin',
    source: { kind: 'draft', draft },
    login: { host: '127.0.0.1', port: agentHost.port, user: agentHost.user, key: { kind: 'file', path: adminKey() }, knownHosts: stalePin },
    prefix,
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'HOST_KEY_MISMATCH' } });
  expect(refused.error?.message).toMatch(/not the pinned key\. Nothing was sent and nothing changed/);
  expect(agentHost.log().slice(logBefore)).not.toMatch(/Accepted|Failed publickey|Postponed/);
  expect(tree(prefix)).toEqual({});

  // A dead host: nothing listens on the port.
  const dead = await freePort();
  await app.getByLabel('Port', { exact: true }).fill(String(dead));
  await app.getByRole('button', { name: 'Read the host key again' }).click();
  await expect(app.getByTestId('host-key-error')).toContainText(`Could not reach SSH on 127.0.0.1:${dead}`);
  await expect(app.getByTestId('host-key-error')).toContainText('Check the host name and port');
  await expect(app.getByRole('button', { name: 'Show the plan' })).toHaveCount(0);
  await expectAccessible(app, 'install: dead host');
});

test('a bundle opened on the Bundles page installs on a host the same way, and comes online', async ({ app }) => {
  test.setTimeout(240_000);
  // A bundle as `bundle export` makes it, its private key encrypted, for a tunnel the server accepts.
  const tunnelKey = path.join(dir, 'bundle-tunnel.pem');
  await run('openssl', ['genrsa', '-traditional', '-out', tunnelKey, '2048']);
  const tunnelPub = (await run('ssh-keygen', ['-y', '-f', tunnelKey])).stdout.trim();
  if (!server) server = await startSshd({ authorizedKeys: [tunnelPub], extraConfig: [`ListenAddress ${SERVER_ADDR}:22`] });
  else writeFileSync(path.join(server.dir, 'authorized_keys'), `${readFileSync(path.join(server.dir, 'authorized_keys'), 'utf8')}${tunnelPub}\n`);
  const remotePort = await freePort();
  writeFileSync(
    path.join(dir, 'bundle-answers.json'),
    JSON.stringify({
      server: SERVER_ADDR,
      port: 22,
      user: userInfo().username,
      services: [{ name: 'svc', url: `http://127.0.0.1:${servicePort}`, remotePort }],
    }),
  );
  writeFileSync(path.join(dir, 'bundle-server-hosts'), `${SERVER_ADDR} ${server.hostPublicKey}\n`);
  const gen = path.join(dir, 'bundle-gen');
  const g = await runCliProcess([
    'generate',
    'armorcode',
    '--variant',
    'docker',
    '--answers',
    path.join(dir, 'bundle-answers.json'),
    '--key',
    tunnelKey,
    '--known-hosts',
    path.join(dir, 'bundle-server-hosts'),
    '--out',
    gen,
  ]);
  expect(g.code, g.stderr).toBe(0);
  const zip = path.join(dir, 'agent.zip');
  const b = await runCliProcess(['bundle', 'export', gen, '--out', zip, '--passphrase-env', 'BUNDLE_PASS', '--platform', 'armorcode', '--variant', 'docker'], {
    env: { BUNDLE_PASS: 'correct horse battery' },
  });
  expect(b.code, b.stderr).toBe(0);

  await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
  await app.getByLabel('Bundle file').fill(zip);
  await app.getByLabel(/^Passphrase \(only/).fill('correct horse battery');
  await app.getByRole('button', { name: 'Open and verify' }).click();
  await expect(app.getByTestId('verify-status')).toHaveText(/^Every checksum matches/);
  await app.getByRole('button', { name: 'Install on a host…' }).click();
  const panel = app.getByRole('region', { name: 'Install this bundle on a host' });
  await expect(panel.getByText(/ArmorCode tunnels under supervisord/)).toBeVisible();
  const prefix = newPrefix();
  const before = tree(prefix);
  await panel.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await panel.getByLabel('Port', { exact: true }).fill(String(agentHost.port));
  await panel.getByLabel('User', { exact: true }).fill(agentHost.user);
  await panel.getByLabel('Path of the key file').fill(adminKey());
  await panel.getByLabel('Install root').fill(prefix);
  await panel.getByRole('button', { name: 'Connect and show the host key' }).click();
  await panel.getByTestId('agent-host-key').getByRole('checkbox').check();
  await panel.getByRole('button', { name: /^Pin host key of/ }).click();
  await panel.getByRole('button', { name: 'Show the plan' }).click();
  await expect(panel.getByTestId('install-plan').getByRole('row', { name: new RegExp(`${prefix}/etc/armorcode/private-key\\.pem`) })).toContainText('0600');
  await expectAccessible(app, 'bundles: install plan');
  await panel.getByRole('button', { name: /^Install on 127\.0\.0\.1/ }).click();
  await expect(panel.getByTestId('install-outcome')).toContainText('Online', { timeout: 120_000 });
  expect(await until('HTTP through the tunnel', () => getLoopback(remotePort))).toBe('internal service');
  await panel.getByRole('button', { name: 'Undo this install…' }).click();
  await panel.getByRole('button', { name: 'Undo now' }).click();
  await expect(panel.getByTestId('undo-done')).toContainText('Undone', { timeout: 60_000 });
  expect(tree(prefix)).toEqual(before);
});
