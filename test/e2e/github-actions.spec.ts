/**
 * GitHub Actions in browser mode (issue 17): a Linux runner and an ARC runner scale set through the
 * real wizard, Platform step to a passphrase bundle, the registration token's one-hour countdown
 * on the Credentials step with the page's clock under the test's control, and a PAT that fetches
 * a registration token on the Connectivity step.
 *
 * STAND-IN (the PAT test): tests cannot reach GitHub, so a loopback HTTPS server (certificate from
 * a test CA the user trusts on the Connectivity step, as a company CA or a GHES private CA)
 * answers POST /api/v3/repos/{owner}/{repo}/actions/runners/registration-token as GitHub's REST
 * API documents it: 201 {token, expires_at} for an authorized Bearer token, 401 otherwise.
 */
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { runCliProcessSync } from '../support/cli';
import { readYaml11Js, secretValues } from '../support/consumers';

// A registration token's shape (29 upper-case letters and digits) and a classic PAT's; made up.
const REGISTRATION = 'AABBCCDDEEFFGGHHIIJJKKLLMM123';
const PAT = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const PASSPHRASE = 'correct horse battery staple';

/** What the GitHub stand-in issues for the PAT (made up, a registration token's shape). */
const ISSUED = 'ASTANDINISSUEDREGISTRATION001';

let root = '';
let certs: TestCerts;
let github: https.Server;
let port = 0;
const asked: string[] = [];
test.beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-github-'));
  certs = await makeTestCerts();
  github = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${PAT}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (req.method === 'POST' && req.url === '/api/v3/repos/octo-org/octo-repo/actions/runners/registration-token')
      return send(201, { token: ISSUED, expires_at: new Date(Date.now() + 3600_000).toISOString().replace('Z', '+00:00') });
    send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  github.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
  port = (github.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise((r) => github?.close(r));
  certs?.cleanup();
  rmSync(root, { recursive: true, force: true });
});

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
    await toCredentials(
      app,
      'Linux host (systemd)',
      { 'GitHub URL': 'https://github.com/octo-org/octo-repo', 'Runner name': 'build-01', 'Labels (optional)': 'linux, e2e' },
      'github linux',
    );
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
    await toCredentials(
      app,
      'Kubernetes (ARC runner scale set)',
      { 'GitHub URL': 'https://github.com/octo-org', 'Scale set name': 'arc-runner-set' },
      'github arc',
    );
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
    await expect(app.getByRole('table', { name: 'Files in the bundle' }).getByRole('row', { name: /github-config-secret\.yaml/ })).toContainText(
      'yes, encrypted',
    );

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

  test('a PAT fetches a registration token on the Connectivity step: it becomes the credential (never shown), counted down, and only it reaches the runner-token file', async ({
    app,
  }) => {
    const out = path.join(root, 'pat-fetch');
    const url = `https://localhost:${port}/octo-org/octo-repo`;
    const next = app.getByRole('button', { name: 'Next' });
    await toCredentials(app, 'Linux host (systemd)', { 'GitHub URL': url, 'Runner name': 'build-01' });
    await checkToken(app, PAT);
    await expect(app.getByTestId('token-expiry')).toHaveCount(0);
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await app.locator('summary', { hasText: 'Company CA' }).click();
    await app.getByLabel('Or paste the CA certificate (PEM)').fill(certs.caPem);
    await app.getByRole('button', { name: 'Trust this CA' }).click();
    await expect(app.getByRole('list', { name: 'Trusted CA certificates' })).toContainText('Agent Onboard Test CA');
    const check = app.getByTestId('token-verify');
    await expect(check).toContainText('registration-token');
    await expect(check.getByRole('button', { name: 'Check the token' })).toBeDisabled();
    expect(asked).toEqual([]);
    await check.getByRole('checkbox').check();
    await check.getByRole('button', { name: 'Check the token' }).click();
    await expect(check.getByTestId('token-verify-result')).toHaveAttribute('data-state', 'valid');
    await expect(check.getByTestId('token-verify-result')).toContainText('GitHub accepts the PAT');
    expect(asked).toEqual(['POST /api/v3/repos/octo-org/octo-repo/actions/runners/registration-token']);
    const issued = check.getByTestId('token-verify-issued');
    await expect(issued).toContainText('GitHub runner registration token');
    await issued.getByRole('button', { name: 'Use it instead of the token checked' }).click();
    await expect(issued).toContainText('is now the credential');
    await expect(app.locator('body')).not.toContainText(ISSUED);
    await expect(app.locator('body')).not.toContainText(PAT);
    await expectAccessible(app, 'github pat fetch');

    await app.getByRole('button', { name: 'Back' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
    await expect(app.getByTestId('token-details')).toContainText('GitHub runner registration token ready');
    await expect(app.getByTestId('token-expiry')).toHaveAttribute('data-state', 'ok');
    await expect(app.getByTestId('token-expiry')).toContainText('as the vendor said');
    await next.click();
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await app.getByLabel('Output folder').fill(out);
    // The trusted CA adds its file and the runner's .env (NODE_EXTRA_CA_CERTS) beside the token and the script.
    await app.getByRole('button', { name: /^Write 4 files/ }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 4 of 4 files to ${out}.`);
    expect(readdirSync(out).sort()).toEqual(['company-ca.pem', 'configure-runner.sh', 'runner-env.txt', 'runner-token']);
    expect(readFileSync(path.join(out, 'runner-token'), 'utf8').trim()).toBe(ISSUED);
    expect(mode(path.join(out, 'runner-token'))).toBe(0o600);
    for (const f of readdirSync(out)) expect(readFileSync(path.join(out, f), 'utf8')).not.toContain(PAT);
  });
});
