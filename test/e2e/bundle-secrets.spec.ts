/**
 * Issue 11, "Done when": a bundle made with a passphrase holds no token or private key in clear.
 * A Harness Docker delegate through the real wizard (browser mode), its folder as a user keeps
 * it (the launch script 0644, an SSH key beside it), exported both ways from the Export step with
 * a passphrase: the zip's raw bytes are searched for the token (raw and base64) and for the key.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, expectAccessible, test } from './fixtures';
import { runCliProcessSync } from '../support/cli';

const TOKEN = 'ZTJlLWRlbGVnYXRlLXRva2VuLTAxMjM0NTY3ODk=';
const PASSPHRASE = 'correct horse battery staple';

let root = '';
test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-bundle-secrets-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every needle that would give the secret away, searched in the zip's raw bytes. */
function clearSecretsIn(zip: Buffer, key: string): string[] {
  const keyLines = key.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----'));
  const needles = [TOKEN, Buffer.from(TOKEN).toString('base64'), 'PRIVATE KEY', ...keyLines];
  return needles.filter((n) => zip.includes(Buffer.from(n, 'utf8')));
}

test('a passphrase bundle carries neither the token nor the private key in clear, from the onboarding or from its folder', async ({ app }) => {
  const out = path.join(root, 'delegate');
  const next = app.getByRole('button', { name: 'Next' });
  await app.getByTestId('platform-harness').click();
  await app.getByLabel('Docker', { exact: true }).check();
  await next.click();
  await app.getByLabel('Account ID').fill('px7xd_BFRCi-pfWPYXVjvw');
  await app.getByLabel('Delegate name').fill('build-delegate');
  await app.getByLabel('Delegate image tag').fill('26.02.88404');
  await next.click();
  await app.getByLabel('Delegate token').fill(TOKEN);
  await app.getByRole('button', { name: 'Check token' }).click();
  await expect(app.getByTestId('token-details')).toBeVisible();
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
  await next.click();
  await app.getByLabel('Output folder').fill(out);
  await app.getByRole('button', { name: /^Write 2 files/ }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 2 of 2 files to ${out}.`);
  await next.click();
  // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');

  // 1. The files of this onboarding.
  const fromDraft = path.join(root, 'draft.zip');
  await app.getByLabel('Bundle file', { exact: true }).fill(fromDraft);
  await app.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await app.getByLabel('Passphrase again').fill(PASSPHRASE);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(fromDraft);
  await expect(app.getByRole('table', { name: 'Files in the bundle' }).getByRole('row', { name: /delegate\.env/ })).toContainText('yes, encrypted');
  expect(clearSecretsIn(readFileSync(fromDraft), '')).toEqual([]);

  // 2. The folder as a user keeps it: the token's env file made world-readable, an SSH key copied in.
  chmodSync(path.join(out, 'delegate.env'), 0o644);
  mkdirSync(path.join(out, 'ssh'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deploy', '-f', path.join(out, 'ssh', 'deploy')]);
  const key = readFileSync(path.join(out, 'ssh', 'deploy'), 'utf8');
  const fromFolder = path.join(root, 'folder.zip');
  await app.getByRole('radio', { name: 'A folder, as it is on disk' }).check();
  await app.getByLabel('Folder to pack').fill(out);
  await app.getByRole('checkbox', { name: /The private key/ }).check();
  await app.getByLabel('Bundle file', { exact: true }).fill(fromFolder);
  await app.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await app.getByLabel('Passphrase again').fill(PASSPHRASE);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(fromFolder);
  const secretFiles = app.getByTestId('secret-files');
  await expect(secretFiles).toContainText(/delegate\.env: a token the app holds, a token \(DELEGATE_TOKEN on line \d+\) \(encrypted\)/);
  await expect(secretFiles).toContainText('ssh/deploy: a private key (encrypted)');
  await expect(app.locator('body')).not.toContainText(TOKEN);
  await expectAccessible(app, 'export result with secret files named');
  const zip = readFileSync(fromFolder);
  expect(clearSecretsIn(zip, key)).toEqual([]);
  // Sealed, not lost: the passphrase brings back the same bytes.
  const to = path.join(root, 'unpacked');
  const r = runCliProcessSync(['bundle', 'import', fromFolder, '--to', to, '--passphrase-env', 'BP'], { env: { BP: PASSPHRASE } });
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(path.join(to, 'ssh', 'deploy'), 'utf8')).toBe(key);
  expect(readFileSync(path.join(to, 'delegate.env'))).toEqual(readFileSync(path.join(out, 'delegate.env')));

  // Unchecked, the key stays out of a folder bundle entirely.
  const noKey = path.join(root, 'nokey.zip');
  await app.getByRole('checkbox', { name: /The private key/ }).uncheck();
  await app.getByLabel('Bundle file', { exact: true }).fill(noKey);
  await app.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await app.getByLabel('Passphrase again').fill(PASSPHRASE);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(noKey);
  await expect(app.getByText(/^Not packed:/)).toContainText('ssh/deploy');
  await expect(app.getByRole('table', { name: 'Files in the bundle' }).getByRole('row', { name: /ssh\/deploy\.pub/ })).toBeVisible();
  expect(runCliProcessSync(['bundle', 'verify', noKey]).stdout).not.toMatch(/ssh\/deploy\n/);
});
