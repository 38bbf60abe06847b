/**
 * The Connectivity step in the real UI (browser mode) against a real sshd and a silent port on
 * 127.0.0.1, both added through the step's own form: live table, fingerprint confirmed and
 * pinned into the draft, report, cancel, keyboard use and axe checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { startHttp, startHttps, startSilent, type Running } from '../support/net-servers';
import { startSshd, type RunningSshd } from '../support/sshd';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';

let sshd: RunningSshd;
let silent: Running;
/** An HTTP server whose Date header is 10 minutes behind this computer's clock. */
let stale: Running;
/** An HTTPS server whose certificate a corporate "inspection" CA signed. */
let inspected: Running;
let certs: TestCerts;

test.beforeAll(async () => {
  sshd = await startSshd({ authorizedKeys: [] });
  certs = await makeTestCerts();
  inspected = await startHttps(certs.intercepted);
  silent = await startSilent();
  stale = await startHttp(200, { date: () => new Date(Date.now() - 10 * 60 * 1000).toUTCString() });
});

test.afterAll(async () => {
  await sshd?.stop();
  await silent?.stop();
  await stale?.stop();
  await inspected?.stop();
  certs?.cleanup();
});

/**
 * Puts the wizard on the Connectivity step of a Harness delegate whose manager host can never
 * resolve (.invalid), so the platform's own endpoint fails fast and the same everywhere. The
 * Credentials step blocks Next until a token is set (its own e2e covers that), so the draft is
 * placed through the app's own draft:save channel, as the credentials e2e does.
 */
async function toConnectivity(app: Page): Promise<void> {
  const draft = {
    platform: 'harness',
    variant: 'docker',
    step: 'connectivity',
    answers: { accountId: 'abc123', delegateName: 'my-delegate', managerEndpoint: 'https://manager.invalid', imageTag: '26.02.88404' },
  };
  expect(await invoke(app, 'draft:save', draft)).toMatchObject({ ok: true });
  await app.reload();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
}

const invoke = invokeFromPage;

async function addEndpoint(app: Page, host: string, port: number, as: string): Promise<void> {
  await app.getByLabel('Host', { exact: true }).fill(host);
  await app.getByLabel('Port', { exact: true }).fill(String(port));
  await app.getByLabel('Check as').selectOption({ label: as });
  await app.getByRole('button', { name: 'Add endpoint' }).click();
}

test.describe('connectivity step', () => {
  test('checks an SSH server added by hand, shows its host key, pins it after the fingerprint is confirmed, and reports', async ({ app }) => {
    await toConnectivity(app);
    const table = app.getByTestId('probe-table');
    await expect(table.getByRole('rowheader')).toHaveText([/manager\.invalid:443/]);
    await expectAccessible(app, 'connectivity before a run');

    await addEndpoint(app, '127.0.0.1', sshd.port, 'SSH');
    await expect(table.getByRole('rowheader')).toHaveCount(2);
    await app.getByRole('button', { name: 'Run the checks' }).click();

    const status = app.locator('.probe-status');
    await expect(status).toContainText('failed', { timeout: 30_000 });
    const sshRow = table.locator(`tr[data-endpoint="user-127.0.0.1-${sshd.port}-ssh"]`);
    await expect(sshRow).toContainText('SSH server answered');
    await expect(sshRow).toContainText(sshd.hostKeyFingerprint);
    await expect(sshRow).toContainText(/SSH-2\.0-OpenSSH/);
    const managerRow = table.locator('tr[data-endpoint="manager"]');
    await expect(managerRow).toContainText('Name does not resolve');
    await expect(managerRow).toContainText('Fix: Check the spelling of manager.invalid');
    await expect(app.getByRole('img', { name: 'Where the connections got to' })).toBeVisible();
    await expectAccessible(app, 'connectivity after a run');

    // Confirm and pin: a wrong fingerprint blocks the button; the right one and the box allow it.
    const hostKey = app.getByTestId(`host-key-user-127.0.0.1-${sshd.port}-ssh`);
    const pin = hostKey.getByRole('button', { name: /Pin host key/ });
    await hostKey.getByLabel('Fingerprint you were given (optional)').fill('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(hostKey).toContainText('It does NOT match');
    await hostKey.getByLabel(/I compared this fingerprint/).check();
    await expect(pin).toBeDisabled();
    await hostKey.getByLabel('Fingerprint you were given (optional)').fill(sshd.hostKeyFingerprint);
    await expect(hostKey).toContainText('It matches.');
    await pin.click();
    await expect(hostKey).toContainText('Pinned for the generated configs.');

    await app.getByText('Show the report').click();
    const report = app.getByTestId('probe-report');
    // Pinned after the check: the report (and the copy kept for Export) say so without a new run.
    await expect(report).toContainText('Host key: matches the pinned key');
    await expect(report).not.toContainText('not pinned yet');
    await expect
      .poll(async () => ((await invoke(app, 'draft:load', {})).value as { connectivity?: { text: string } }).connectivity?.text ?? '')
      .toContain('pinned after this check');
    await expect(report).toContainText(`[PASS] 127.0.0.1:${sshd.port} (ssh)`);
    await expect(report).toContainText(`host key ssh-ed25519 ${sshd.hostKeyFingerprint}`);
    await expect(report).toContainText('[FAIL] manager.invalid:443 (https)');
    await expect(app.getByText(`agent-onboard probe --host 127.0.0.1 --port ${sshd.port} --expect-fingerprint ${sshd.hostKeyFingerprint}`)).toBeVisible();
    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Save report' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^connectivity-report-.*\.txt$/);
    expect(readFileSync(await saved.path(), 'utf8')).toContain(`[PASS] 127.0.0.1:${sshd.port} (ssh)`);
    const csvDownload = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Save firewall rules (CSV)' }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toMatch(/^firewall-rules-.*\.csv$/);
    const rules = readFileSync(await csv.path(), 'utf8');
    expect(rules).toContain(`outbound from the agent host,TCP,127.0.0.1,,${sshd.port},ssh,added by you,optional,open,SSH_OK: SSH server answered,`);
    expect(rules).toMatch(/outbound from the agent host,TCP,manager\.invalid,,443,https,.*,required,NOT working,DNS_FAILED/);

    // The pin is in the saved draft: after a reload a new run checks the key against it.
    await app.reload();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await addEndpoint(app, '127.0.0.1', sshd.port, 'SSH');
    await app.getByRole('button', { name: 'Run the checks' }).click();
    await expect(app.getByTestId(`host-key-user-127.0.0.1-${sshd.port}-ssh`)).toContainText('Pinned for the generated configs.', { timeout: 30_000 });
    await app.getByText('Show the report').click();
    await expect(app.getByTestId('probe-report')).toContainText('Host key: matches the pinned key');
  });

  test('keeps the last report: shown again after a reload, packed by Export without pasting, dropped when the platform changes', async ({ app }) => {
    await toConnectivity(app);
    await addEndpoint(app, '127.0.0.1', sshd.port, 'SSH');
    await app.getByRole('button', { name: 'Run the checks' }).click();
    await expect(app.locator('.probe-status')).toContainText('failed', { timeout: 30_000 });

    // After a reload the run's table is gone, but its report is back, with when it was made.
    await app.reload();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    await expect(app.locator('.probe-status')).toContainText('Last check:');
    await expect(app.getByTestId('kept-report-note')).toContainText('some checks failed');
    await expect(app.getByTestId('probe-report')).toContainText(`[PASS] 127.0.0.1:${sshd.port} (ssh)`);
    await expect(app.getByTestId('probe-report')).toContainText(`host key ssh-ed25519 ${sshd.hostKeyFingerprint}`);
    await expectAccessible(app, 'connectivity with a kept report');

    // Export uses it by default: no paste, no new check.
    await app.getByRole('button', { name: 'Next' }).click();
    await app.getByRole('button', { name: 'Next' }).click();
    // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Install');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Export');
    await expect(app.getByTestId('kept-report')).toContainText('some checks failed');
    await expect(app.getByRole('radio', { name: /The report of the last check/ })).toBeChecked();
    await expect(app.getByLabel('Connectivity report (optional)')).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Check connectivity again and use its report' })).toBeVisible();
    await expectAccessible(app, 'export with a kept report');
    const folder = mkdtempSync(path.join(tmpdir(), 'ao-e2e-kept-'));
    writeFileSync(path.join(folder, 'delegate.env'), 'DELEGATE_NAME=my-delegate\n');
    const bundle = path.join(mkdtempSync(path.join(tmpdir(), 'ao-e2e-kept-out-')), 'delegate.zip');
    await app.getByRole('radio', { name: /A folder, as it is on disk/ }).check();
    await app.getByLabel('Folder to pack').fill(folder);
    await app.getByLabel('Bundle file', { exact: true }).fill(bundle);
    await app.getByRole('button', { name: 'Create bundle' }).click();
    await expect(app.getByTestId('bundle-path')).toHaveText(bundle, { timeout: 30_000 });
    const packed = new TextDecoder().decode(unzipSync(readFileSync(bundle))['connectivity-report.txt']);
    expect(packed).toContain('Agent Onboard — connectivity report');
    expect(packed).toContain(`[PASS] 127.0.0.1:${sshd.port} (ssh)`);
    expect(packed).toContain('[FAIL] manager.invalid:443 (https)');

    // Another platform starts clean: the old report is not kept for it.
    await app
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: /Platform/ })
      .click();
    await app.getByTestId('platform-buildkite').click();
    await expect.poll(async () => ((await invoke(app, 'draft:load', {})).value as { platform?: string } | null)?.platform).toBe('buildkite');
    expect(((await invoke(app, 'draft:load', {})).value as { connectivity?: unknown }).connectivity).toBeUndefined();
  });

  test("warns loudly, without failing the endpoint, when a server's Date is 10 minutes off this computer's clock", async ({ app }) => {
    await toConnectivity(app);
    await addEndpoint(app, '127.0.0.1', stale.port, 'HTTP');
    await app.getByRole('button', { name: 'Run the checks' }).click();
    await expect(app.locator('.probe-status')).toContainText('failed', { timeout: 30_000 });

    const row = app.getByTestId('probe-table').locator(`tr[data-endpoint="user-127.0.0.1-${stale.port}-http"]`);
    await expect(row).toContainText('Pass: Server answered');
    // Whole-second Date headers: the estimate (±0.5 s) may read one second under 10 min.
    await expect(row).toContainText(/clock: this computer's clock is (9 min 59 s|10 min( \d+ s)?) ahead of the server's/);
    await expect(row.locator('[data-warning="CLOCK_SKEW"]')).toContainText("Warning: This host's clock is off");
    const panel = app.getByTestId('clock-warning');
    await expect(panel.getByRole('heading', { name: "This computer's clock is off" })).toBeVisible();
    await expect(panel).toContainText(`ahead of the clock of 127.0.0.1:${stale.port}`);
    await expect(panel).toContainText('timedatectl');
    await expect(panel).toContainText('w32tm /query /status');
    await expect(panel).toContainText('checked the clock of the computer running Agent Onboard');
    await app.getByText('Show the report').click();
    await expect(app.getByTestId('probe-report')).toContainText("Clock:     WARNING — This host's clock is off");
    await expectAccessible(app, 'connectivity with a clock-skew warning');
  });

  test('trusts a company CA from a DER file: the inspected server passes, the report and the agent-host command say so; a pasted private key is refused and never kept', async ({
    app,
  }) => {
    await toConnectivity(app);
    await addEndpoint(app, 'localhost', inspected.port, 'HTTPS');
    await app.getByRole('button', { name: 'Run the checks' }).click();
    await expect(app.locator('.probe-status')).toContainText('failed', { timeout: 30_000 });
    const row = app.getByTestId('probe-table').locator(`tr[data-endpoint="user-localhost-${inspected.port}-https"]`);
    await expect(row).toContainText(/TLS_(UNTRUSTED|INTERCEPTED)/);
    await expect(row).toContainText('Company CA on the Connectivity step');

    // The untrusted verdict opened the Company CA panel. A private key pasted there goes nowhere.
    const panel = app.getByRole('group', { name: 'Company CA' });
    await panel.getByLabel('Or paste the CA certificate (PEM)').fill(certs.intercepted.key);
    await panel.getByRole('button', { name: 'Trust this CA' }).click();
    await expect(panel.getByRole('alert')).toContainText('That is a private key, not a CA certificate');
    await expect(panel.getByLabel('Or paste the CA certificate (PEM)')).toHaveValue('');
    expect(JSON.stringify((await invoke(app, 'draft:load', {})).value)).not.toContain('PRIVATE KEY');

    // The CA as a Windows .cer export (DER).
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-e2e-ca-'));
    const pem = path.join(dir, 'corp-ca.pem');
    writeFileSync(pem, certs.inspectionCaPem);
    execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', path.join(dir, 'corp-ca.cer')]);
    const fingerprint = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1]!;
    await panel.getByLabel('CA certificate file (.pem, .crt, .cer)').setInputFiles(path.join(dir, 'corp-ca.cer'));
    const list = panel.getByRole('list', { name: 'Trusted CA certificates' });
    await expect(list).toContainText('CN=Corp Inspection CA, O=Example Corp Security');
    await expect(list).toContainText('itself (a root CA)');
    await expect(list).toContainText(`SHA-256 ${fingerprint}`);
    await expectAccessible(app, 'connectivity with a company CA');

    await app.getByRole('button', { name: 'Run again' }).click();
    await expect(app.locator('.probe-status')).toContainText('failed', { timeout: 30_000 }); // manager.invalid still fails
    await expect(row).toContainText('Pass:');
    await app.getByText('Show the report').click();
    await expect(app.getByTestId('probe-report')).toContainText(`Also trusted: CA "CN=Corp Inspection CA, O=Example Corp Security" (SHA-256 ${fingerprint}`);
    await expect(app.getByText(`agent-onboard probe --host localhost --port ${inspected.port} --ca-file company-ca.pem`)).toBeVisible();
    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Save company-ca.pem' }).click();
    expect(readFileSync(await (await download).path(), 'utf8')).toBe(certs.inspectionCaPem.replace(/\n*$/, '\n'));

    // Kept across a reload; removed on request.
    await app.reload();
    await expect(app.getByText('Company CA (trusted)')).toBeVisible();
    await panel.getByRole('button', { name: 'Stop trusting this CA' }).click();
    await expect(app.getByText('Company CA (trusted)')).toHaveCount(0);
    await expect.poll(async () => ((await invoke(app, 'draft:load', {})).value as { trustedCa?: string }).trustedCa).toBeUndefined();
  });

  test('cancels a run at once, and is usable with the keyboard alone', async ({ app }) => {
    await toConnectivity(app);
    await app.getByText('Proxy and time limit').click();
    await app.getByLabel('Time limit of each step').selectOption({ label: '20 s' });

    // Keyboard: type into the form and submit it with Enter.
    await app.getByLabel('Host', { exact: true }).focus();
    await app.keyboard.type('127.0.0.1');
    await app.keyboard.press('Tab');
    await app.keyboard.type(String(silent.port));
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('probe-table').getByRole('rowheader')).toHaveCount(2);

    await app.getByRole('button', { name: 'Run the checks' }).focus();
    await app.keyboard.press('Enter');
    const status = app.locator('.probe-status');
    await expect(status).toContainText('Checking…');
    await expect(app.getByTestId('probe-table').locator(`tr[data-endpoint="user-127.0.0.1-${silent.port}-auto"]`)).toContainText('Checking…');
    await app.getByRole('button', { name: 'Cancel' }).focus();
    await app.keyboard.press('Enter');
    await expect(status).toContainText('Cancelled', { timeout: 5_000 });
    await expect(app.getByRole('button', { name: 'Run again' })).toBeEnabled();
    await expectAccessible(app, 'connectivity cancelled');
  });

  test('keeps the proxy chosen here when the step is built again from the draft, never its password', async ({ app }) => {
    await toConnectivity(app);
    await app.getByText('Proxy and time limit').click();
    const proxy = app.getByRole('group', { name: 'Proxy' });
    await proxy.getByLabel('This proxy:').check();
    await proxy.getByLabel('Proxy URL').fill('http://proxy.corp.example:3128');
    // The password first: the NO_PROXY seen saved below comes from a save made after it.
    await proxy.getByLabel('Proxy password (optional, not saved)').fill('hunter2-proxy');
    await proxy.getByLabel('NO_PROXY (hosts reached directly)').fill('.corp.example');
    // Saved as typed (the draft is saved a moment after each change), without the password.
    await expect.poll(async () => JSON.stringify(await invoke(app, 'draft:load', {}))).toContain('"noProxy":".corp.example"');
    const saved = JSON.stringify(await invoke(app, 'draft:load', {}));
    expect(saved).toContain('http://proxy.corp.example:3128');
    expect(saved).not.toContain('hunter2-proxy');
    // The step is built again from the saved draft (as after Back and a return, or reopening the app).
    await app.reload();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
    // Shown open, as the choice is not the environment's.
    await expect(proxy.getByLabel('This proxy:')).toBeChecked();
    await expect(proxy.getByLabel('Proxy URL')).toHaveValue('http://proxy.corp.example:3128');
    await expect(proxy.getByLabel('NO_PROXY (hosts reached directly)')).toHaveValue('.corp.example');
    await expect(proxy.getByLabel('Proxy password (optional, not saved)')).toHaveValue('');
  });

  test('refuses a bad endpoint with a message and adds nothing', async ({ app }) => {
    await toConnectivity(app);
    await addEndpoint(app, '-oProxyCommand=touch /tmp/pwned', 22, 'SSH');
    await expect(app.getByRole('alert')).toContainText('Host must be a host name or an IP address');
    await addEndpoint(app, '127.0.0.1', 70000, 'SSH');
    await expect(app.getByRole('alert')).toContainText('Port must be between 1 and 65535');
    await expect(app.getByTestId('probe-table').getByRole('rowheader')).toHaveCount(1);
  });
});
