/**
 * A new user onboards an ArmorCode tunnel agent in browser mode, from the platform pick to the
 * written files: Details (with a mistake caught), a key pair generated on the Credentials step,
 * the server's host key pinned, the files previewed, written, and written again unchanged; a file
 * changed behind the app's back is refused. The files on disk are checked with ssh-keygen.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { startSshd, type RunningSshd } from '../support/sshd';
import { expect, expectAccessible, test } from './fixtures';

let work: string;
let hostKeyLine: string;
let hostFingerprint: string;

test.beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'ao-e2e-ac-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(work, 'host_key')]);
  hostKeyLine = `tunnel.example.com ${readFileSync(path.join(work, 'host_key.pub'), 'utf8').trim()}`;
  hostFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(work, 'host_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
});
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test('a new user goes from platform pick to written ArmorCode agent files', async ({ app }) => {
  const out = path.join(work, 'agent');
  const next = app.getByRole('button', { name: 'Next' });

  await app.getByTestId('platform-armorcode').click();
  await app.getByRole('radio', { name: 'Docker Compose', exact: true }).check();
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
  await app.getByLabel('ArmorCode server host').fill('tunnel.example.com');
  await app.getByLabel('SSH user').fill('acme');
  await app.getByLabel('SSH port').selectOption('22');
  for (const [i, [name, url, port]] of [
    ['jira', 'https://jira.acme.com', '5000'],
    ['sonar', 'http://sonar.acme.com:9000', '5000'],
  ].entries()) {
    await app.getByRole('button', { name: 'Add internal service' }).click();
    await app.locator(`#field-services-${i}-name`).fill(name!);
    await app.locator(`#field-services-${i}-url`).fill(url!);
    await app.locator(`#field-services-${i}-remotePort`).fill(port!);
  }
  await next.click();
  await expect(app.getByTestId('step-errors')).toContainText('remote port 5000 is already used by service 1');
  await expectAccessible(app, 'details with a duplicate port');
  await app.locator('#field-services-1-remotePort').fill('5001');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
  await app.getByRole('button', { name: 'Generate key pair' }).click();
  await expect(app.getByTestId('key-details')).toBeVisible({ timeout: 30_000 });
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
  await expect(app.getByRole('img', { name: 'Tunnel path' })).toBeVisible();
  await expect(app.locator('figure.tunnel-path figcaption')).toContainText(
    'Remote port 5001 on the ArmorCode server comes back through that connection to sonar at sonar.acme.com:9000.',
  );
  await app.getByLabel('Output folder').fill(out);
  // No host key pinned yet: the app explains and offers to pin one.
  await expect(app.getByRole('alert')).toContainText('No host key is pinned for tunnel.example.com');
  await expectAccessible(app, 'configs without a host key');
  await app.getByLabel('Server host key (known_hosts line)').fill(hostKeyLine);
  await app.getByRole('button', { name: 'Pin this host key' }).click();

  await expect(app.getByTestId('pinned-host-keys')).toContainText(hostFingerprint);
  const rows = app.getByRole('table').first().getByRole('row');
  await expect(rows).toHaveCount(9);
  await expect(app.getByRole('row', { name: /private-key\.pem/ })).toContainText('new');
  await app.getByRole('button', { name: 'Preview private-key.pem' }).click();
  await expect(app.getByText('Secret: its contents are not shown here.')).toBeVisible();
  await app.getByRole('button', { name: 'Preview supervisord.conf' }).click();
  await expect(app.getByLabel('Contents of supervisord.conf', { exact: true })).toContainText('-R *:5001:sonar.acme.com:9000 -- tunnel.example.com');
  await expectAccessible(app, 'configs preview');

  await app.getByRole('button', { name: 'Write 8 files…' }).click();
  await expect(app.getByText(/8 new, 0 replaced/)).toBeVisible();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 8 of 8 files to ${out}.`);
  await expect(app.getByText('Every file in the folder is already up to date.')).toBeVisible();
  await expectAccessible(app, 'configs written');

  // The files on disk: the vendor's layout, the key 0600 and matching its public key, host key pinned.
  expect(readdirSync(out).sort()).toEqual([
    '.dockerignore',
    'Dockerfile',
    'docker-compose.yml',
    'known_hosts',
    'pre-launch-check.sh',
    'private-key.pem',
    'public-key.pem',
    'supervisord.conf',
  ]);
  expect(statSync(path.join(out, 'private-key.pem')).mode & 0o777).toBe(0o600);
  expect(readFileSync(path.join(out, 'private-key.pem'), 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  const derived = execFileSync('ssh-keygen', ['-y', '-f', path.join(out, 'private-key.pem')], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  expect(readFileSync(path.join(out, 'public-key.pem'), 'utf8').trim().split(' ').slice(0, 2).join(' ')).toBe(derived);
  expect(readFileSync(path.join(out, 'known_hosts'), 'utf8')).toBe(`${hostKeyLine}\n`);

  // A file changed behind the app's back after the preview is refused, and nothing is lost.
  writeFileSync(path.join(out, 'known_hosts'), 'edited by hand\n');
  await app.getByRole('button', { name: 'Preview again' }).click();
  await expect(app.getByRole('row', { name: /known_hosts/ })).toContainText('changes');
  writeFileSync(path.join(out, 'known_hosts'), 'edited by hand, twice\n');
  await app.getByRole('button', { name: 'Write 1 file…' }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByRole('alert')).toContainText('changed since it was read; nothing was written');
  expect(readFileSync(path.join(out, 'known_hosts'), 'utf8')).toBe('edited by hand, twice\n');
  await app.getByRole('button', { name: 'Preview again' }).first().click();
  await app.getByRole('button', { name: 'Write 1 file…' }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 1 of 8 files to ${out}.`);
  await expect(app.getByRole('row', { name: /known_hosts/ }).last()).toContainText('known_hosts.bak-');
  expect(readFileSync(path.join(out, 'known_hosts'), 'utf8')).toBe(`${hostKeyLine}\n`);

  await next.click();
  // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Done');
  // Done says what was written and what is left, and never that the agent is onboarded before it is seen online.
  await expect(app.getByTestId('done-lead')).toHaveText(
    'ArmorCode tunnel agent (Docker Compose): the files are written. The agent is not seen online yet: what is left is below.',
  );
  await expect(app.getByTestId('done-written')).toContainText(`8 files in ${out}, exactly as generated`);
  await expect(app.locator('main')).not.toContainText('onboarded');
  await expect(app.locator('main')).not.toContainText('All 8 files');
  await expect(app.getByRole('heading', { name: 'On the agent host' })).toBeVisible();
  await app.getByText('Removing this agent later').click();
  await expect(app.getByRole('button', { name: /Copy: Stop the tunnels and remove the container/ })).toBeVisible();
  await expect(app.getByText('docker compose down --rmi local')).toBeVisible();
  await app.getByRole('button', { name: 'Onboard another agent' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Platform');
});

/** True when nothing listens on 127.0.0.1:port (the test needs 443 itself). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

test('the Connectivity verdict moves the agent to 443, and the host key pinned there is the one the written files check', async ({ app }) => {
  test.skip(!(await portFree(443)), 'needs 127.0.0.1:443 free for the stand-in ArmorCode server');
  const out = path.join(work, 'agent-443');
  const next = app.getByRole('button', { name: 'Next' });
  let sshd: RunningSshd | undefined;
  try {
    await app.getByTestId('platform-armorcode').click();
    await next.click();
    await app.getByLabel('ArmorCode server host').fill('127.0.0.1');
    await app.getByLabel('SSH user').fill('acme');
    await app.getByLabel('SSH port').selectOption('22');
    await app.getByRole('button', { name: 'Add internal service' }).click();
    await app.locator('#field-services-0-name').fill('jira');
    await app.locator('#field-services-0-url').fill('https://jira.acme.com');
    await app.locator('#field-services-0-remotePort').fill('5000');
    await next.click();

    await app.getByRole('button', { name: 'Generate key pair' }).click();
    await expect(app.getByTestId('key-details')).toBeVisible({ timeout: 30_000 });
    // The stand-in ArmorCode server: a real sshd on 443 only (22 stays closed), this key authorized.
    sshd = await startSshd({ authorizedKeys: [await app.getByTestId('public-key').inputValue()], port: 443 });
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await app.getByRole('button', { name: 'Run the checks' }).click();
    const row22 = app.getByTestId('probe-table').locator('tr[data-endpoint="ssh-22"]');
    await expect(row22).toContainText('Fail: Connection refused');
    await app.getByRole('button', { name: 'Use port 443 for the agent' }).click();
    await expect(app.getByText('The agent now uses port 443.')).toBeVisible();
    // The table follows the switch at once: 22 is now the optional fallback, so its refusal is a warning.
    await expect(row22).toContainText('optional');
    await expect(row22).toContainText('Warning: Connection refused');
    const hostKey = app.getByTestId(/^host-key-.*443/).first();
    await expect(hostKey).toContainText(sshd.hostKeyFingerprint);
    await hostKey.getByLabel('Fingerprint you were given (optional)').fill(sshd.hostKeyFingerprint);
    await expect(hostKey.getByText('It matches.')).toBeVisible();
    await hostKey.getByRole('checkbox').check();
    await hostKey.getByRole('button', { name: /Pin host key of/ }).click();
    await expect(app.getByText('Pinned for the generated configs.').first()).toBeVisible();
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await expect(app.locator('figure.tunnel-path figcaption')).toContainText('opens SSH out to 127.0.0.1 on port 443');
    await app.getByLabel('Output folder').fill(out);
    await expect(app.getByTestId('pinned-host-keys')).toContainText(sshd.hostKeyFingerprint);
    await expect(app.getByLabel('Contents of supervisord.conf', { exact: true })).toContainText('-p 443 -l acme -R *:5000:jira.acme.com:443 -- 127.0.0.1');
    await app.getByRole('button', { name: 'Write 8 files…' }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 8 of 8 files to ${out}.`);

    // The written check script, run as the user would, agrees with the app: server, key and config pass.
    const check = spawnSync('sh', [path.join(out, 'pre-launch-check.sh')], { encoding: 'utf8' });
    expect(check.stdout).toContain('ok    127.0.0.1 answers SSH on port 443 with the pinned host key');
    expect(check.stdout).toContain('ok    private-key.pem matches public-key.pem');
    expect(check.status, check.stdout).toBe(0);
  } finally {
    await sshd?.stop();
  }
});
