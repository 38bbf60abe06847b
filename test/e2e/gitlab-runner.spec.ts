/**
 * GitLab Runner in browser mode: a docker-executor runner from the Platform step to the bundle.
 * Details shows tags, locked and run-untagged as set in GitLab; Connectivity probes the GitLab URL
 * with the company CA and, with the user's consent, checks the token with the token itself; the
 * Configs step writes config.toml and the launch script; Export packs them, and warns when a
 * packed folder carries the runner's .runner_system_id.
 *
 * STAND-IN: tests cannot reach a GitLab, so a loopback HTTPS server (certificate from a test CA the
 * user trusts on the Connectivity step, as a company CA) answers GET /api/v4/version with GitLab's
 * 401 {"message":"401 Unauthorized"} and POST /api/v4/runners/verify as GitLab's documented
 * endpoint does: 200 {id, token, token_expires_at} for a runner's token, 403 {"message":"403
 * Forbidden"} otherwise (doc/api/runners.md; runners_verify_post_spec.rb).
 */
import { spawnSync } from 'node:child_process';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import { expect, expectAccessible, test } from './fixtures';

const TOKEN = 'glrt-t1_E2eRunnerToken0123456789';
const EXPIRES = new Date(Date.now() + 60 * 24 * 3600 * 1000).toISOString();

let root = '';
let certs: TestCerts;
let gitlab: https.Server;
let port = 0;
/** Whether the stand-in knows the runner (the test flips it to show a refused, then an accepted token). */
let known = false;
const verifyBodies: string[] = [];

test.beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-gitlab-'));
  certs = await makeTestCerts();
  gitlab = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.method === 'GET' && req.url === '/api/v4/version') return send(401, { message: '401 Unauthorized' });
      if (req.method === 'POST' && req.url === '/api/v4/runners/verify') {
        verifyBodies.push(body);
        const token = (JSON.parse(body) as { token?: string }).token;
        return known && token === TOKEN ? send(200, { id: 7, token, token_expires_at: EXPIRES }) : send(403, { message: '403 Forbidden' });
      }
      send(404, { message: '404 Not Found' });
    });
  });
  gitlab.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => gitlab.listen(0, '127.0.0.1', r));
  port = (gitlab.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise((r) => gitlab?.close(r));
  certs?.cleanup();
  rmSync(root, { recursive: true, force: true });
});

test('a docker-executor runner: Platform → Details (set in GitLab) → token → connectivity with the token check → config.toml → bundle', async ({ app }) => {
  const out = path.join(root, 'runner');
  const bundle = path.join(root, 'gitlab-runner.zip');
  const url = `https://localhost:${port}`;
  const next = app.getByRole('button', { name: 'Next' });

  await app.getByTestId('platform-gitlab-runner').click();
  await app.getByLabel('Docker (gitlab/gitlab-runner)', { exact: true }).check();
  await expectAccessible(app, 'gitlab platform card and variants');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
  await expect(app.getByLabel('GitLab URL')).toHaveValue('https://gitlab.com');
  await app.getByLabel('GitLab URL').fill(url);
  await app.getByLabel('Runner name').fill('e2e-docker-runner');
  await app.getByLabel('Executor').selectOption('docker');
  // Tags, locked and run-untagged are not offered: a glrt- token makes them GitLab's.
  const setInGitlab = app.getByTestId('set-in-gitlab');
  await expect(setInGitlab).toContainText('Tags');
  await expect(setInGitlab).toContainText('Locked');
  await expect(setInGitlab).toContainText('Run untagged jobs');
  await expect(setInGitlab.locator('dd')).toHaveText([/^set in GitLab/, /^set in GitLab/, /^set in GitLab/]);
  await expect(app.getByLabel('Tags')).toHaveCount(0);
  await expectAccessible(app, 'gitlab details');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
  await app.getByLabel('Runner authentication token').fill('glpat-abcdefghijklmnopqrst');
  await app.getByRole('button', { name: 'Check token' }).click();
  await expect(app.getByTestId('token-verdict')).toContainText('personal access token');
  await expectAccessible(app, 'gitlab credentials: wrong kind of token');
  await app.getByLabel('Runner authentication token').fill(`  ${TOKEN}\n`);
  await app.getByRole('button', { name: 'Check token' }).click();
  await expect(app.getByTestId('token-details')).toBeVisible();
  await expect(app.locator('body')).not.toContainText(TOKEN);
  await expectAccessible(app, 'gitlab credentials: token ready');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
  await app.locator('summary', { hasText: 'Company CA' }).click();
  await app.getByLabel('Or paste the CA certificate (PEM)').fill(certs.caPem);
  await app.getByRole('button', { name: 'Trust this CA' }).click();
  await expect(app.getByRole('list', { name: 'Trusted CA certificates' })).toContainText('Agent Onboard Test CA');
  await app.getByRole('button', { name: 'Run the checks' }).click();
  await expect(app.locator('.probe-status')).toContainText('All required checks passed');

  const check = app.getByTestId('token-verify');
  await expect(check).toContainText('POST /api/v4/runners/verify');
  // Nothing is sent before the user agrees.
  await expect(check.getByRole('button', { name: 'Check the token' })).toBeDisabled();
  expect(verifyBodies).toEqual([]);
  await check.getByRole('checkbox').check();
  await check.getByRole('button', { name: 'Check the token' }).click();
  await expect(check.getByTestId('token-verify-result')).toHaveAttribute('data-state', 'invalid');
  await expect(check.getByTestId('token-verify-result')).toContainText('The token was refused');
  await expectAccessible(app, 'gitlab connectivity: token refused');
  known = true;
  await check.getByRole('button', { name: 'Check the token' }).click();
  await expect(check.getByTestId('token-verify-result')).toHaveAttribute('data-state', 'valid');
  await expect(check.getByTestId('token-verify-result')).toContainText('GitLab accepts this runner token (runner id 7)');
  await expect(check).toContainText(`POST ${url}/api/v4/runners/verify`);
  expect(verifyBodies.map((b) => JSON.parse(b) as unknown)).toEqual([{ token: TOKEN }, { token: TOKEN }]);
  await expect(app.locator('body')).not.toContainText(TOKEN);
  await expectAccessible(app, 'gitlab connectivity');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
  await app.getByLabel('Output folder').fill(out);
  await expect(app.getByRole('row', { name: /config\.toml/ }).first()).toContainText('new');
  await expect(app.locator('body')).not.toContainText(TOKEN);
  await app.getByRole('button', { name: /^Write \d+ files/ }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toContainText(`files to ${out}.`);
  await expectAccessible(app, 'gitlab configs written');
  const config = path.join(out, 'config', 'config.toml');
  expect(statSync(config).mode & 0o077).toBe(0);
  const written = parseToml(readFileSync(config, 'utf8')) as {
    runners: { token: string; url: string; executor: string; name: string; 'tls-ca-file'?: string }[];
  };
  expect(written.runners[0]).toMatchObject({ token: TOKEN, url, executor: 'docker', name: 'e2e-docker-runner' });
  expect(written.runners[0]?.['tls-ca-file']).toBeTruthy();
  expect(spawnSync('shellcheck', [path.join(out, 'run-gitlab-runner.sh')]).status).toBe(0);
  expect(readFileSync(path.join(out, 'run-gitlab-runner.sh'), 'utf8')).not.toContain(TOKEN);
  await next.click();

  // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
  await expectAccessible(app, 'gitlab install');
  await next.click();

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
  await app.getByRole('textbox', { name: 'Bundle file' }).fill(bundle);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(bundle);
  const listed = spawnSync('unzip', ['-Z1', bundle], { encoding: 'utf8' }).stdout.split('\n');
  expect(listed).toEqual(expect.arrayContaining(['config/config.toml', 'run-gitlab-runner.sh']));
  const packed = parseToml(spawnSync('unzip', ['-p', bundle, 'config/config.toml'], { encoding: 'utf8' }).stdout) as { runners: { token: string }[] };
  expect(packed.runners[0]?.token).toBe(TOKEN);
  expect(readdirSync(root)).toContain('gitlab-runner.zip');
  await expect(app.getByTestId('bundle-warning')).toHaveCount(0);

  // The runner started once from the config folder (the docker volume): it wrote .runner_system_id
  // beside config.toml. Packing that folder warns: every host unpacking it would share the id.
  writeFileSync(path.join(out, 'config', '.runner_system_id'), 's_0123456789ab\n', { mode: 0o600 });
  const fromFolder = path.join(root, 'volume.zip');
  await app.getByRole('radio', { name: 'A folder, as it is on disk' }).check();
  await app.getByLabel('Folder to pack').fill(path.join(out, 'config'));
  await app.getByRole('textbox', { name: 'Bundle file' }).fill(fromFolder);
  await app.getByRole('button', { name: 'Create bundle' }).click();
  await expect(app.getByTestId('bundle-path')).toHaveText(fromFolder);
  await expect(app.getByTestId('bundle-warning')).toContainText('This bundle carries .runner_system_id');
  await expect(app.getByTestId('bundle-warning')).toContainText('share one system id');
  await expectAccessible(app, 'gitlab export with the system id warning');
});
