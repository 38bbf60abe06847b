/**
 * Harness delegates in browser mode: a new Docker delegate through the wizard, and the token of an
 * existing Kubernetes install rotated on the "Update an existing install" page.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { harness, harnessAnswers } from '../../shared/platforms/harness';
import { expect, expectAccessible, test } from './fixtures';
import { dockerRunEnv } from '../support/consumers';

const TOKEN = 'ZTJlLWRlbGVnYXRlLXRva2VuLTAxMjM0NTY3ODk=';
const NEW_TOKEN = 'ZTJlLXJvdGF0ZWQtdG9rZW4tYWJjZGVmZ2hpams=';

let root = '';
test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-harness-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test.describe('Harness delegate', () => {
  test('a new Docker delegate: details, token, connectivity plan, and a launch script that runs docker with the token', async ({ app }) => {
    const out = path.join(root, 'docker');
    const next = app.getByRole('button', { name: 'Next' });
    await app.getByTestId('platform-harness').click();
    await app.getByLabel('Docker', { exact: true }).check();
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await app.getByLabel('Account ID').fill('px7xd_BFRCi-pfWPYXVjvw');
    await app.getByLabel('Delegate name').fill('Build Delegate');
    await next.click();
    await expect(app.getByTestId('step-errors')).toContainText('Delegate name: lower-case letters, digits and "-"');
    await app.getByLabel('Delegate name').fill('build-delegate');
    await app.getByLabel('Delegate tags (optional)').fill('linux, e2e');
    // Shown filled in, so the user sees what is used; the image tag has no default and is required.
    await expect(app.getByLabel('Manager endpoint')).toHaveValue('https://app.harness.io');
    await expect(app.getByLabel('Delegate image tag')).toHaveValue('');
    await next.click();
    await expect(app.getByTestId('step-errors')).toContainText('Delegate image tag: is required');
    await app.getByLabel('Delegate image tag').fill('26.02.88404');
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
    await app.getByLabel('Delegate token').fill(`  ${TOKEN}\n`);
    await app.getByRole('button', { name: 'Check token' }).click();
    await expect(app.getByTestId('token-details')).toBeVisible();
    await expect(app.locator('body')).not.toContainText(TOKEN);
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await expect(app.locator('#reach-desc')).toContainText('app.harness.io:443');
    await next.click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await app.getByLabel('Output folder').fill(out);
    await expect(app.getByRole('row', { name: /run-delegate\.sh/ })).toContainText('new');
    await expect(app.getByRole('row', { name: /delegate\.env/ })).toContainText('new');
    await expect(app.locator('body')).not.toContainText(TOKEN);
    await expectAccessible(app, 'harness configs');
    await app.getByRole('button', { name: /^Write 2 files/ }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 2 of 2 files to ${out}.`);

    expect(readdirSync(out).sort()).toEqual(['delegate.env', 'run-delegate.sh']);
    const script = path.join(out, 'run-delegate.sh');
    // The token is in the 0600 env file, passed with --env-file: never an argument ps would show.
    expect(statSync(path.join(out, 'delegate.env')).mode & 0o077).toBe(0);
    expect(readFileSync(script, 'utf8')).not.toContain(TOKEN);
    execFileSync('shellcheck', [script]);
    // Run it against a stand-in docker that records its arguments; docker reads the env file literally.
    const bin = path.join(root, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(path.join(bin, 'docker'), '#!/usr/bin/env bash\nif [ "$1" = container ]; then exit 1; fi\nprintf \'%s\\n\' "$@" > "$OUT"\n');
    chmodSync(path.join(bin, 'docker'), 0o755);
    execFileSync('bash', [script], { env: { PATH: `${bin}:${process.env.PATH}`, OUT: path.join(root, 'args') } });
    const args = readFileSync(path.join(root, 'args'), 'utf8').split('\n');
    expect(args.join('\n')).not.toContain(TOKEN);
    expect(dockerRunEnv(args.slice(0, -1), out)).toMatchObject({
      DELEGATE_TOKEN: TOKEN,
      DELEGATE_NAME: 'build-delegate',
      ACCOUNT_ID: 'px7xd_BFRCi-pfWPYXVjvw',
      DELEGATE_TAGS: 'linux,e2e',
      MANAGER_HOST_AND_PORT: 'https://app.harness.io',
    });
    expect(args.at(-2)).toMatch(/^harness\/delegate:\d{2}\.\d{2}\.\d+$/);

    await next.click();
    // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
    await next.click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
  });

  test('a Kubernetes delegate: the Install step shows the kubectl commands, and a pasted log is read hop by hop', async ({ app }) => {
    const next = app.getByRole('button', { name: 'Next' });
    const heading = app.getByRole('heading', { level: 1 });
    await app.getByTestId('platform-harness').click();
    await app.getByLabel('Kubernetes manifest', { exact: true }).check();
    await next.click();
    await expect(heading).toContainText('Details');
    await app.getByLabel('Account ID').fill('px7xd_BFRCi-pfWPYXVjvw');
    await app.getByLabel('Delegate name').fill('k8s-delegate');
    await app.getByLabel('Delegate image tag').fill('26.02.88404');
    await next.click();
    await expect(heading).toContainText('Credentials');
    await app.getByLabel('Delegate token').fill(TOKEN);
    await app.getByRole('button', { name: 'Check token' }).click();
    await expect(app.getByTestId('token-details')).toBeVisible();
    for (const step of ['Connectivity', 'Configs', 'Install']) {
      await next.click();
      await expect(heading).toContainText(step);
    }
    // No cluster is reachable from the app: the step gives the commands, and reads the log the user pastes.
    const manual = app.getByTestId('install-manual');
    await expect(manual).toContainText('kubectl rollout status deployment/k8s-delegate');
    const pasted = app.getByTestId('pasted-log');
    await expect(pasted).toContainText('kubectl logs deployment/k8s-delegate');
    const log = pasted.getByLabel('Agent log');
    const read = pasted.getByRole('button', { name: 'Read the log' });
    await expect(read).toBeDisabled();
    // Lines as the delegate prints them (DelegateAgentServiceImpl.java, reference/next-platforms.md A2).
    await log.fill(
      [
        '2026-12-07 10:00:01,120 [main] INFO  DelegateAgentServiceImpl - Registering delegate with delegate name: k8s-delegate',
        '2026-12-07 10:00:02,004 [main] ERROR DelegateAgentServiceImpl - Account ID: px7xd_BFRCi-pfWPYXVjvw not found. Stop launching delegate',
      ].join('\n'),
    );
    await read.click();
    const result = app.getByTestId('pasted-log-result');
    await expect(result).toContainText('Not online yet');
    await expect(result.locator('[data-state="failed"]')).toContainText('Account ID: px7xd_BFRCi-pfWPYXVjvw not found');
    await expectAccessible(app, 'pasted log with a failure');
    await log.fill(
      [
        '2026-12-07 10:05:01,120 [main] INFO  DelegateAgentServiceImpl - Registering delegate with delegate name: k8s-delegate',
        '2026-12-07 10:05:03,310 [main] INFO  DelegateAgentServiceImpl - Delegate registered with id J5sTtVq0R8eZ1nJw2nq8Yg',
        '2026-12-07 10:05:04,002 [main] INFO  DelegateAgentServiceImpl - Event:OPEN, message:[Websocket opened]',
      ].join('\n'),
    );
    // Editing the text clears the old reading.
    await expect(result).toHaveCount(0);
    await read.click();
    await expect(result).toContainText('Online as k8s-delegate, as far as this log shows.');
    await expect(result.locator('[data-state="failed"]')).toHaveCount(0);
  });

  test('rotating the token of an existing Kubernetes manifest: every place found, the diff shown masked, written with a backup', async ({ app }) => {
    const dir = path.join(root, 'k8s');
    execFileSync('mkdir', ['-p', dir]);
    const generated = harness.generate!(
      harnessAnswers.parse({ accountId: 'acc_1', delegateName: 'prod-delegate', namespace: 'harness', imageTag: '26.02.88404' }),
      { kind: 'token', token: TOKEN },
      'kubernetes',
    );
    if (!generated.ok) throw new Error(generated.error.message);
    const manifest = path.join(dir, 'harness-delegate.yaml');
    const original = generated.value.files[0]!.text.replace(/\n/g, '\r\n');
    writeFileSync(manifest, original);
    writeFileSync(path.join(dir, 'README.md'), 'Our delegate.\n');

    await app.getByRole('button', { name: 'Update an existing install' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Update an existing install');
    await app.getByLabel('Platform').selectOption('harness');
    await app.getByLabel('File or folder paths of the install, on this machine').fill(dir);
    await app.getByLabel('New delegate token').fill(NEW_TOKEN);
    await expect(app.getByLabel('New delegate token')).toHaveAttribute('type', 'password');
    await app.getByRole('button', { name: 'Find the token' }).click();

    await expect(app.getByRole('heading', { name: 'What was found in 1 file' })).toBeFocused();
    const row = app.getByRole('row', { name: new RegExp(manifest.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) });
    await expect(row).toContainText('DELEGATE_TOKEN in Secret prod-delegate-account-token data (the base64 value as Harness shows it)');
    await expect(row).toContainText('UPGRADER_TOKEN in Secret prod-delegate-upgrader-token data');
    await expect(row).toContainText('Will change');
    await expect(app.getByText('+  DELEGATE_TOKEN: «new token»')).toBeVisible();
    await expect(app.getByText('-  DELEGATE_TOKEN: «old token»')).toBeVisible();
    await expect(app.locator('body')).not.toContainText(NEW_TOKEN);
    await expect(app.locator('body')).not.toContainText(TOKEN);
    expect(readFileSync(manifest, 'utf8')).toBe(original);
    await expectAccessible(app, 'rotate preview');

    await app.getByRole('button', { name: 'Write 1 file with backups' }).click();
    await expect(app.getByRole('heading', { name: 'Written: 1 file' })).toBeFocused();
    await expect(app.getByText(`kubectl apply -f ${manifest}`, { exact: true })).toBeVisible();
    await expect(app.getByText('kubectl rollout restart deployment/prod-delegate -n harness', { exact: true })).toBeVisible();
    await expect(app.getByText('kubectl rollout status deployment/prod-delegate -n harness --timeout=10m', { exact: true })).toBeVisible();
    await expect(app.getByRole('listitem').filter({ hasText: 'Revoke the old token' })).toBeVisible();
    await expect(app.getByRole('button', { name: 'Copy all restart and verify commands' })).toBeVisible();
    await expect(app.getByLabel('New delegate token')).toHaveValue('');
    await expectAccessible(app, 'rotate report');

    expect(readFileSync(manifest, 'utf8')).toBe(original.replaceAll(TOKEN, NEW_TOKEN));
    const backups = readdirSync(dir).filter((n) => n.startsWith('harness-delegate.yaml.bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(dir, backups[0]!), 'utf8')).toBe(original);
  });

  test('the Diagnostics page opens the rotation for Harness from a revoked-token log', async ({ app }) => {
    await app.getByRole('button', { name: 'Diagnostics' }).click();
    await app.getByLabel('Log or error message').fill('2026-03-02T10:00:00Z ERROR Delegate token prod_token is revoked. Delegate will be stopped.');
    await app.getByRole('button', { name: 'Diagnose' }).click();
    await expect(app.getByRole('heading', { name: 'The delegate token was revoked or is wrong' })).toBeVisible();
    await app.getByRole('button', { name: 'Rotate the Harness delegate token' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Update an existing install');
    await expect(app.getByLabel('Platform')).toHaveValue('harness');
  });
});
