/**
 * GitHub Actions in browser mode (issue 17): a Linux runner and an ARC runner scale set through the
 * real wizard, Platform step to a passphrase bundle, and the registration token's one-hour
 * countdown on the Credentials step with the page's clock under the test's control.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { runCliProcessSync } from '../support/cli';
import { readYaml11Js, secretValues } from '../support/consumers';

// A registration token's shape (29 upper-case letters and digits) and a classic PAT's; made up.
const REGISTRATION = 'AABBCCDDEEFFGGHHIIJJKKLLMM123';
const PAT = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const PASSPHRASE = 'correct horse battery staple';

let root = '';
test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-github-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string): number => statSync(p).mode & 0o777;

/** Platform → Details → Credentials; with `axe`, the Platform and Details steps are checked for accessibility on the way. */
async function toCredentials(app: Page, variant: string, details: Record<string, string>, axe?: string): Promise<void> {
  const next = app.getByRole('button', { name: 'Next' });
  await app.getByTestId('platform-github-actions').click();
  await app.getByLabel(variant, { exact: true }).check();
  if (axe) await expectAccessible(app, `${axe} platform`);
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
  for (const [label, value] of Object.entries(details)) await app.getByLabel(label).fill(value);
  if (axe) await expectAccessible(app, `${axe} details`);
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
}

async function checkToken(app: Page, token: string): Promise<void> {
  await app.getByLabel('Registration token or personal access token').fill(`  ${token}\n`);
  await app.getByRole('button', { name: 'Check token' }).click();
  await expect(app.getByTestId('token-details')).toBeVisible();
  await expect(app.locator('body')).not.toContainText(token);
}

/** Write the files on the Configs step, then a passphrase bundle of them on the Export step. */
async function writeAndBundle(app: Page, out: string, count: number, zip: string, axe?: string): Promise<void> {
  const next = app.getByRole('button', { name: 'Next' });
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
  await app.getByLabel('Output folder').fill(out);
  await app.getByRole('button', { name: new RegExp(`^Write ${count} files`) }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toHaveText(`Wrote ${count} of ${count} files to ${out}.`);
  if (axe) await expectAccessible(app, `${axe} configs written`);
  await next.click();
  // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
  if (axe) await expectAccessible(app, `${axe} install`);
  await next.click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
  await app.getByLabel('Bundle file', { exact: true }).fill(zip);
  await app.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await app.getByLabel('Passphrase again').fill(PASSPHRASE);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(zip);
}

/** The bundle opened again by the real CLI with the passphrase: the files as they were written. */
function unpacked(zip: string): string {
  const to = path.join(root, `${path.basename(zip)}-unpacked`);
  const r = runCliProcessSync(['bundle', 'import', zip, '--to', to, '--passphrase-env', 'BP'], { env: { BP: PASSPHRASE } });
  expect(r.code, r.stderr).toBe(0);
  return to;
}

test.describe('GitHub Actions runner', () => {
  test('a Linux runner: the registration token only in a 0600 file, a configure script that passes shellcheck, and a sealed bundle', async ({ app }) => {
    const out = path.join(root, 'linux');
    const zip = path.join(root, 'linux.zip');
    await toCredentials(app, 'Linux host (systemd)', { 'GitHub URL': 'https://github.com/octo-org/octo-repo', 'Runner name': 'build-01', 'Labels (optional)': 'linux, e2e' }, 'github linux');
    await checkToken(app, REGISTRATION);
    await expect(app.getByTestId('token-details')).toContainText('GitHub runner registration token ready');
    await expect(app.getByTestId('token-expiry')).toHaveAttribute('data-state', 'ok');
    await expect(app.getByTestId('token-expiry')).toContainText(/(60:00|59:\d\d) left/);
    await expectAccessible(app, 'github credentials with countdown');
    await app.getByRole('button', { name: 'Next' }).click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await expect(app.locator('body')).toContainText('github.com');
    await expectAccessible(app, 'github linux connectivity');
    await app.getByRole('button', { name: 'Next' }).click();

    await writeAndBundle(app, out, 2, zip, 'github linux');
    await expect(app.getByRole('table', { name: 'Files in the bundle' }).getByRole('row', { name: /runner-token/ })).toContainText('yes, encrypted');
    await expectAccessible(app, 'github export');

    expect(readdirSync(out).sort()).toEqual(['configure-runner.sh', 'runner-token']);
    expect(mode(path.join(out, 'runner-token'))).toBe(0o600);
    expect(readFileSync(path.join(out, 'runner-token'), 'utf8').trim()).toBe(REGISTRATION);
    const script = readFileSync(path.join(out, 'configure-runner.sh'), 'utf8');
    expect(script).not.toContain(REGISTRATION);
    expect(script).toContain('https://github.com/octo-org/octo-repo');
    execFileSync('shellcheck', ['-s', 'sh', path.join(out, 'configure-runner.sh')]);

    // The zip's bytes hold the token neither raw nor base64; the passphrase brings the same bytes back.
    const bytes = readFileSync(zip);
    expect(bytes.includes(Buffer.from(REGISTRATION))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(REGISTRATION).toString('base64')))).toBe(false);
    const to = unpacked(zip);
    expect(readFileSync(path.join(to, 'runner-token'))).toEqual(readFileSync(path.join(out, 'runner-token')));
    expect(mode(path.join(to, 'runner-token'))).toBe(0o600);
    expect(readFileSync(path.join(to, 'configure-runner.sh'), 'utf8')).toBe(script);
  });

  test('an ARC runner scale set: the PAT only in its own Secret (as the pod reads it), values that name the Secret, and a sealed bundle', async ({ app }) => {
    const out = path.join(root, 'arc');
    const zip = path.join(root, 'arc.zip');
    await toCredentials(app, 'Kubernetes (ARC runner scale set)', { 'GitHub URL': 'https://github.com/octo-org', 'Scale set name': 'arc-runner-set' }, 'github arc');
    await checkToken(app, PAT);
    await expect(app.getByTestId('token-details')).toContainText('personal access token (classic) ready');
    // A PAT does not expire within the hour: no countdown.
    await expect(app.getByTestId('token-expiry')).toHaveCount(0);
    await expectAccessible(app, 'github arc credentials');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await expectAccessible(app, 'github arc connectivity');
    await app.getByRole('button', { name: 'Next' }).click();

    await writeAndBundle(app, out, 4, zip, 'github arc');
    await expectAccessible(app, 'github arc export');
    await expect(app.getByRole('table', { name: 'Files in the bundle' }).getByRole('row', { name: /github-config-secret\.yaml/ })).toContainText('yes, encrypted');

    const arc = path.join(out, 'arc');
    expect(readdirSync(arc).sort()).toEqual(['controller-values.yaml', 'github-config-secret.yaml', 'install.sh', 'scale-set-values.yaml']);
    expect(mode(path.join(arc, 'github-config-secret.yaml'))).toBe(0o600);
    const [secret] = readYaml11Js(readFileSync(path.join(arc, 'github-config-secret.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(secretValues(secret!)).toEqual({ github_token: PAT });
    const [values] = readYaml11Js(readFileSync(path.join(arc, 'scale-set-values.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(values).toMatchObject({ githubConfigUrl: 'https://github.com/octo-org', runnerScaleSetName: 'arc-runner-set' });
    expect(typeof values!.githubConfigSecret).toBe('string');
    expect((secret!.metadata as Record<string, unknown>).name).toBe(values!.githubConfigSecret);
    for (const f of ['scale-set-values.yaml', 'controller-values.yaml', 'install.sh']) expect(readFileSync(path.join(arc, f), 'utf8')).not.toContain(PAT);
    execFileSync('shellcheck', ['-s', 'sh', path.join(arc, 'install.sh')]);

    const bytes = readFileSync(zip);
    expect(bytes.includes(Buffer.from(PAT))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(PAT).toString('base64')))).toBe(false);
    const to = unpacked(zip);
    expect(readFileSync(path.join(to, 'arc', 'github-config-secret.yaml'))).toEqual(readFileSync(path.join(arc, 'github-config-secret.yaml')));
  });

  test('the registration token counts down from when it was checked, warns in its last ten minutes, and says what to do once expired', async ({ app }) => {
    // The page's clock is the test's: the countdown is moved on by the hour without waiting.
    await app.clock.install();
    await app.reload();
    await toCredentials(app, 'Linux host (systemd)', { 'GitHub URL': 'https://github.com/octo-org/octo-repo', 'Runner name': 'build-01' });
    await checkToken(app, REGISTRATION);
    const expiry = app.getByTestId('token-expiry');
    await expect(expiry).toHaveAttribute('data-state', 'ok');

    await app.clock.fastForward('51:00');
    await expect(expiry).toHaveAttribute('data-state', 'short');
    await expect(expiry).toContainText(/^\s*(9|8):\d\d left/);
    await expect(expiry).toContainText('Register soon');
    await expectAccessible(app, 'github countdown short');

    await app.clock.fastForward('10:00');
    await expect(expiry).toHaveAttribute('data-state', 'expired');
    await expect(expiry).toHaveAttribute('role', 'alert');
    await expect(expiry).toContainText('This GitHub runner registration token has expired');
    await expect(expiry).toContainText('New self-hosted runner page');
    await expectAccessible(app, 'github countdown expired');
  });
});
