import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-e2e-ansible-'));
const VAULT_PASSWORD = 'correct horse battery staple';

test('the Bundles page exports an ArmorCode fleet as an Ansible project the real ansible-vault opens', async ({ app }) => {
  const work = tmp();
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(work, 'hk')]);
  const draft = {
    platform: 'armorcode',
    variant: 'docker',
    step: 'export',
    answers: { server: 'tunnel.example.com', user: 'acme', port: '22', services: [{ name: 'jira', url: 'https://jira.internal', remotePort: '5000' }] },
    knownHosts: `tunnel.example.com ${readFileSync(path.join(work, 'hk.pub'), 'utf8').trim()}\n`,
  };
  expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
  await app.reload();
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
  await app.getByLabel('CSV (or paste it here)').fill('name,ansible_host,ansible_port\nedge-1,10.0.0.1,2201\nedge-2,10.0.0.2,\n');
  const project = path.join(work, 'project');
  await app.getByLabel('Folder for the project (new or empty)').fill(project);
  await app.getByLabel('Install root on each host (optional)').fill('/opt/fleet');
  await app.getByLabel('Vault password (8+ characters, never stored)').fill('short');
  await app.getByRole('button', { name: 'Export the Ansible project' }).click();
  await expect(app.getByRole('alert')).toContainText('at least 8 characters');
  await app.getByLabel('Vault password (8+ characters, never stored)').fill(VAULT_PASSWORD);
  await app.getByRole('button', { name: 'Export the Ansible project' }).click();
  await expect(app.getByTestId('ansible-summary')).toContainText('Ansible project for 2 hosts', { timeout: 120_000 });
  await expect(app.getByText(`ansible-playbook site.yml --check --diff --ask-vault-pass`)).toBeVisible();
  await expectAccessible(app, 'ansible export summary');

  for (const f of ['site.yml', 'verify.yml', 'remove.yml', 'README.md', 'inventory.yml', 'public-keys.csv', 'host_vars/edge-1.yml'])
    expect(existsSync(path.join(project, f)), f).toBe(true);
  expect(readFileSync(path.join(project, 'host_vars/edge-1.yml'), 'utf8')).toContain('agent_install_root: /opt/fleet');
  const key = path.join(project, 'host_files/edge-2/private-key.pem');
  expect(statSync(key).mode & 0o777).toBe(0o600);
  const passFile = path.join(work, 'pass');
  spawnSync('sh', ['-c', `umask 077; printf '%s' "$P" > "${passFile}"`], { env: { ...process.env, P: VAULT_PASSWORD } });
  const view = spawnSync('ansible-vault', ['view', '--vault-id', `fleet@${passFile}`, key], { encoding: 'utf8' });
  expect(view.stdout).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
});

test('the Bundles page offers the GitHub Actions runner role: the token stays in the vault form, and the page says what the role does not bring', async ({
  app,
}) => {
  const work = tmp();
  const token = 'AABBCCDDEEFFGGHHIIJJKKLLMM123';
  const stored = await invokeFromPage(app, 'tokens:check', { platform: 'github-actions', text: token });
  expect(stored).toMatchObject({ ok: true, value: { verdict: 'ok' } });
  const credentialId = (stored.value as { id: string }).id;
  const draft = { platform: 'github-actions', variant: 'linux', step: 'export', answers: { url: 'https://github.com/octo-org/octo-repo' }, credentialId };
  expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
  await app.reload();
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Bundles' }).click();
  await app.getByLabel('CSV (or paste it here)').fill('name,ansible_host,runnerName,labels\ngh-1,10.0.0.1,build-01,"linux,gpu"\n');
  await expect(app.getByLabel('Install type')).toContainText('runner on a Linux host');
  const project = path.join(work, 'project');
  await app.getByLabel('Folder for the project (new or empty)').fill(project);
  await app.getByLabel('Vault password (8+ characters, never stored)').fill(VAULT_PASSWORD);
  await app.getByRole('button', { name: 'Export the Ansible project' }).click();
  await expect(app.getByTestId('ansible-summary')).toContainText('Ansible project for 1 hosts', { timeout: 120_000 });
  await expect(app.getByTestId('ansible-notes')).toContainText('runner_archive=');
  await expectAccessible(app, 'ansible export summary with notes');
  expect(existsSync(path.join(project, 'rotate.yml'))).toBe(false);
  const file = path.join(project, 'host_files/gh-1/runner-token');
  expect(readFileSync(file, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
  const passFile = path.join(work, 'pass');
  spawnSync('sh', ['-c', `umask 077; printf '%s' "$P" > "${passFile}"`], { env: { ...process.env, P: VAULT_PASSWORD } });
  const view = spawnSync('ansible-vault', ['view', '--vault-id', `fleet@${passFile}`, file], { encoding: 'utf8' });
  expect(view.stdout).toBe(`${token}\n`);
});
