import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, expectAccessible, test } from './fixtures';

test.describe('Bamboo remote agent: fixing an existing wrapper.conf from a log message', () => {
  const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
  let root = '';
  test.beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'bamboo-e2e-'));
  });
  test.afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('Diagnostics → fix wrapper.conf → rotate page → token written after the server URL', async ({ app }) => {
    const home = path.join(root, 'bamboo-agent-home');
    mkdirSync(path.join(home, 'conf'), { recursive: true });
    const conf = path.join(home, 'conf', 'wrapper.conf');
    const original =
      'wrapper.java.additional.1=-Dbamboo.home=/opt/bamboo-agent-home\r\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\r\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\r\n# keep me\r\n';
    writeFileSync(conf, original);

    await app.getByRole('button', { name: 'Diagnostics' }).click();
    await app
      .getByLabel('Log or error message')
      .fill(
        'INFO   | jvm 1    | 2026/03/02 09:00:02 | 2026-03-02 09:00:02,311 FATAL [main] [AgentBootstrap] Security token is required for preliminary\nINFO   | jvm 1    | 2026/03/02 09:00:02 | authentication, but none was provided',
      );
    await app.getByRole('button', { name: 'Diagnose' }).click();
    await expect(app.getByRole('heading', { name: 'The agent sent no security token' })).toBeVisible();
    await app.getByRole('button', { name: 'Fix wrapper.conf (put the security token in)' }).click();

    // The rotate page (renderer/pages/rotate/) takes it from here, with Bamboo chosen.
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Update an existing install');
    await expect(app.getByLabel('Platform')).toHaveValue('bamboo-remote');
    await app.getByLabel('File or folder paths of the install, on this machine').fill(path.join(root, 'not-an-agent'));
    await expect(app.getByTestId('bamboo-wrapper-hint')).toContainText('does not exist');
    await app.getByLabel('File or folder paths of the install, on this machine').fill(home);
    // Before any token: the wrapper.conf found from the agent home, its server URL, where the token goes.
    const hint = app.getByTestId('bamboo-wrapper-hint');
    await expect(hint).toContainText(`${conf}: server URL https://bamboo.example.com/agentServer/ (wrapper.app.parameter.2, line 3)`);
    await expect(hint).toContainText('no token line yet: it is added right after the server URL');
    await expect(hint).toContainText('CRLF');
    await app.getByLabel('New security token').fill(TOKEN);
    await app.getByRole('button', { name: 'Find the token' }).click();
    await expect(app.getByText('Server URL found: https://bamboo.example.com/agentServer/ (wrapper.app.parameter.2, line 3)', { exact: false })).toBeVisible();
    await expect(app.getByLabel(`Changes to ${conf} (token values masked)`)).toContainText('+wrapper.app.parameter.3=«new token»');
    await expect(app.locator('body')).not.toContainText(TOKEN);
    await expectAccessible(app, 'rotate page, preview');
    await app.getByRole('button', { name: 'Write 1 file with backups' }).click();
    await expect(app.getByRole('heading', { name: 'Written: 1 file' })).toBeVisible();
    await expect(app.getByText('/opt/bamboo-agent-home/bin/bamboo-agent.sh restart', { exact: true })).toBeVisible();
    expect(readFileSync(conf, 'utf8')).toBe(original.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${TOKEN}\r\n`));
    expect(readdirSync(path.join(home, 'conf')).some((n) => n.startsWith('wrapper.conf.bak-'))).toBe(true);
    await expectAccessible(app, 'rotate page, applied');
  });
});
