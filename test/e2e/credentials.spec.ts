/**
 * The Credentials step in the real UI against the real services (browser mode): generate and
 * import SSH keys, check tokens, reveal and copy with the clipboard wiped after 30 s.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startServe } from '../support/browser-mode';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';

async function callApi(page: Page, channel: string, payload: unknown): Promise<void> {
  expect(await invokeFromPage(page, channel, payload)).toMatchObject({ ok: true });
}

/** Puts the wizard on the Credentials step of `platform` through the app's own draft:save channel. */
async function openCredentials(page: Page, platform: string, variant: string): Promise<void> {
  await callApi(page, 'draft:save', { platform, variant, step: 'credentials', answers: {} });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Credentials');
}

function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.split(' ')[1]!, 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

test.describe('credentials step', () => {
  // The server (and its saved draft) is shared by the test files of a worker: leave it fresh.
  test.afterEach(async ({ app }) => {
    await callApi(app, 'draft:clear', {});
  });

  test('generates an Ed25519 key for ArmorCode: type, public key and its fingerprint shown; Next unblocks', async ({ app, server }) => {
    await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await openCredentials(app, 'armorcode', 'docker');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByTestId('step-errors')).toContainText('Credential: generate a key pair or import one');
    await expectAccessible(app, 'credentials (ssh) with errors');

    await app.getByRole('radio', { name: /^Ed25519/ }).check();
    await app.getByRole('button', { name: 'Generate key pair' }).click();
    const details = app.getByTestId('key-details');
    await expect(details).toBeVisible();
    await expect(app.getByRole('heading', { name: 'Key pair ready' })).toBeFocused();
    await expect(app.getByTestId('key-type')).toHaveText('Ed25519 (256 bits)');
    const publicKey = await app.getByTestId('public-key').inputValue();
    expect(publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ armorcode-agent-\d{4}-\d{2}-\d{2}$/);
    await expect(app.getByTestId('key-fingerprint')).toHaveText(fingerprintOf(publicKey));
    await expect(details).not.toContainText('PRIVATE KEY');
    await expect(app.locator('body')).not.toContainText('PRIVATE KEY');

    await app.getByRole('button', { name: 'Copy public key' }).click();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(publicKey);
    await expect(app.getByText('Kept in memory only, until Agent Onboard stops')).toBeVisible();
    await expectAccessible(app, 'credentials (ssh) with a key');

    // The draft holds only the vault id; after a reload the key is described again.
    await app.reload();
    await expect(app.getByTestId('key-fingerprint')).toHaveText(fingerprintOf(publicKey));
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
  });

  test('shows progress while a 4096-bit RSA key generates, and Cancel stops it', async ({ app }) => {
    await openCredentials(app, 'armorcode', 'docker');
    await app.getByRole('radio', { name: /^RSA/ }).check();
    await app.getByLabel('RSA key size').selectOption('4096');
    await app.getByRole('button', { name: 'Generate key pair' }).click();
    await expect(app.getByTestId('keygen-progress')).toContainText('Generating a 4096-bit RSA key');
    await expect(app.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await app.keyboard.press('Enter');
    await expect(app.getByText('Cancelled: no key was made.')).toBeVisible();
    await expect(app.getByTestId('key-details')).toHaveCount(0);

    // Again, to the end: RSA for ArmorCode is written as PKCS#1 PEM.
    await app.getByLabel('RSA key size').selectOption('2048');
    await app.getByRole('button', { name: 'Generate key pair' }).click();
    await expect(app.getByTestId('key-type')).toHaveText('RSA, 2048 bits');
    await expect(app.getByTestId('key-details')).toContainText('private-key.pem (private, PKCS#1 PEM)');
  });

  test('imports an encrypted key from a file: asks for the passphrase, refuses a wrong one, shows ssh-keygen’s fingerprint', async ({ app }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-e2e-key-'));
    try {
      const file = path.join(dir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'right passphrase', '-C', 'ops@acme', '-f', file]);
      const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(/\s+/)[1];
      await openCredentials(app, 'armorcode', 'systemd');
      await app.getByLabel('Import an existing private key').check();
      await app.getByLabel('Key file').setInputFiles(file);
      await expect(app.locator('#cred-key-detected')).toContainText('id_ed25519: OpenSSH private key, protected by a passphrase.');
      await app.getByLabel('Passphrase of this key').fill('wrong passphrase');
      await app.getByRole('button', { name: 'Import key' }).click();
      await expect(app.getByTestId('import-error')).toContainText('The passphrase does not open this key.');
      await expectAccessible(app, 'credentials import error');
      await app.getByLabel('Passphrase of this key').fill('right passphrase');
      await app.getByRole('button', { name: 'Import key' }).click();
      await expect(app.getByTestId('key-fingerprint')).toHaveText(expected!);
      expect(await app.getByTestId('public-key').inputValue()).toBe(readFileSync(`${file}.pub`, 'utf8').trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses a pasted public key with what to do instead', async ({ app }) => {
    await openCredentials(app, 'armorcode', 'docker');
    await app.getByLabel('Import an existing private key').check();
    await app.getByLabel(/^Private key/).fill('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrUBC6xa5rNEJ00aFlf0M/bMdZzhQkWDFpjJQ/N0pL3 me@host');
    await expect(app.locator('#cred-key-detected')).toContainText('This is a public key');
    await app.getByRole('button', { name: 'Import key' }).click();
    await expect(app.getByTestId('import-error')).toContainText('Import the private key instead');
  });

  test('tells a pasted bkua_ API token is the wrong kind for Buildkite, and where to get an agent token', async ({ app }) => {
    await openCredentials(app, 'buildkite', 'cfg');
    await app.getByLabel('Agent token').fill('Bearer bkua_0123456789abcdef0123456789abcdef01234567');
    await app.getByRole('button', { name: 'Check token' }).click();
    const verdict = app.getByTestId('token-verdict');
    await expect(verdict).toContainText('Wrong kind of token: Buildkite API access token.');
    await expect(verdict).toContainText('It is for the REST and GraphQL APIs, not for agents.');
    await expect(verdict).toContainText('Where to get the right one: Buildkite → Agents → your cluster → Agent Tokens');
    await expect(app.getByLabel('Agent token')).toHaveValue('');
    await expect(app.getByLabel('Agent token')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(app, 'credentials wrong token');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByTestId('step-errors')).toContainText('Credential: paste the agent token and check it');
  });

  test('keeps a good token masked; Reveal and Copy are explicit, and the clipboard is wiped after 30 s', async ({ app, server }) => {
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4g5';
    await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await openCredentials(app, 'buildkite', 'cfg');
    // A text field drops the line break itself; the spaces and quotes reach the check.
    await app.getByLabel('Agent token').fill(`  "${token}"\n`);
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('token-value')).toHaveText('a1b2••••••••f4g5');
    await expect(app.getByTestId('token-details')).toContainText('removed spaces around it, quotes around it');
    await expect(app.locator('body')).not.toContainText(token);

    await app.getByRole('button', { name: 'Reveal' }).click();
    await expect(app.getByTestId('token-value')).toHaveText(token);
    await app.getByRole('button', { name: 'Hide' }).click();
    await expect(app.getByTestId('token-value')).toHaveText('a1b2••••••••f4g5');

    await app.clock.install();
    await app.getByRole('button', { name: 'Copy token' }).click();
    await expect(app.getByText('Copied. The clipboard will be cleared in 30 seconds.')).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await app.clock.runFor(30_500);
    await expect(app.getByText('The clipboard was cleared.')).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('');
    await expectAccessible(app, 'credentials token');

    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
  });
});

test.describe('saved secrets in browser mode', () => {
  test('a passphrase keeps a token across a real restart of the server: locked until the right passphrase, never in the store in the clear', async ({
    page,
  }) => {
    const token = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5';
    const passphrase = 'tr0ub4dor & 3 "quotes" $(x)';
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ao-e2e-lock-'));
    let server = await startServe({ AGENT_ONBOARD_DATA_DIR: dataDir });
    try {
      await page.goto(server.url);
      await openCredentials(page, 'buildkite', 'cfg');
      await page.getByLabel('Agent token').fill(token);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('token-value')).toHaveText('b1c2••••••••a4b5');

      await page.getByText('Keep it across restarts, encrypted with a passphrase (optional)').click();
      const setUp = page.getByRole('form', { name: 'Set a passphrase for saved secrets' });
      await setUp.getByLabel('New passphrase for saved secrets').fill('too short');
      await setUp.getByLabel('Repeat it').fill('too short');
      await setUp.getByRole('button', { name: 'Set the passphrase' }).click();
      await expect(setUp.getByRole('alert')).toContainText('Use at least 12 characters');
      await setUp.getByLabel('New passphrase for saved secrets').fill(passphrase);
      await setUp.getByLabel('Repeat it').fill(`${passphrase}!`);
      await setUp.getByRole('button', { name: 'Set the passphrase' }).click();
      await expect(setUp.getByRole('alert')).toContainText('The two passphrases differ.');
      await setUp.getByLabel('New passphrase for saved secrets').fill(passphrase);
      await setUp.getByLabel('Repeat it').fill(passphrase);
      await setUp.getByRole('button', { name: 'Set the passphrase' }).click();
      await expect(page.getByText('Saved, encrypted with your passphrase')).toBeVisible();
      await expectAccessible(page, 'credentials token saved with a passphrase');
      const stored = readdirSync(dataDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => readFileSync(path.join(dataDir, f), 'utf8'))
        .join('\n');
      expect(stored).toContain('"secretsKey"');
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(passphrase);

      // A real restart: the same data folder, a new process, a new port and session.
      await server.stop();
      server = await startServe({ AGENT_ONBOARD_DATA_DIR: dataDir });
      await page.goto(server.url);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Credentials');
      await expect(page.getByRole('heading', { name: 'The saved token is locked' })).toBeVisible();
      await expectAccessible(page, 'credentials locked');
      const unlock = page.getByRole('form', { name: 'Unlock saved secrets' });
      await unlock.getByLabel('Passphrase for saved secrets').fill('not the passphrase');
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await expect(unlock.getByRole('alert')).toContainText('That is not the passphrase');
      await unlock.getByLabel('Passphrase for saved secrets').fill(passphrase);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await expect(page.getByTestId('token-value')).toHaveText('b1c2••••••••a4b5');
      await page.getByRole('button', { name: 'Reveal' }).click();
      await expect(page.getByTestId('token-value')).toHaveText(token);

      // Lock now, then forget everything (a lost passphrase): the draft's token is gone for good.
      await page.getByRole('button', { name: 'Lock saved secrets now' }).click();
      await expect(page.getByRole('heading', { name: 'The saved token is locked' })).toBeVisible();
      await page.getByRole('button', { name: 'Forget the saved secrets…' }).click();
      await page.getByRole('button', { name: 'Forget the saved secrets', exact: true }).click();
      await expect(page.getByLabel('Agent token')).toBeVisible();
      await expect(page.getByText('The token from the last session is no longer available')).toBeVisible();
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
