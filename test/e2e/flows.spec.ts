/**
 * Issue 12: every flow ends somewhere useful. An existing Bamboo agent gets its token in the
 * wizard (preview by the rotation engine, write, restart), Done says only what was written and
 * what is left, every write shows in History, and the layout and wording slips a new user hit.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, invokeFromPage, test } from './fixtures';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
let root = '';
test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-flows-'));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

const heading = (app: Page) => app.getByRole('heading', { level: 1 });
const stepButton = (app: Page, name: RegExp) => app.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name });

test.describe('Bamboo: an existing bamboo-agent-home', () => {
  test('the wizard writes the token into wrapper.conf (masked preview, backup), gives the restart steps, and History can undo it', async ({ app }) => {
    const home = path.join(root, 'bamboo-agent-home');
    mkdirSync(path.join(home, 'conf'), { recursive: true });
    const conf = path.join(home, 'conf', 'wrapper.conf');
    const original = `wrapper.java.additional.1=-Dbamboo.home=${home}\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\n# keep me\n`;
    writeFileSync(conf, original);
    const next = app.getByRole('button', { name: 'Next' });

    await app.getByTestId('platform-bamboo-remote').click();
    await app.getByRole('radio', { name: 'Existing bamboo-agent-home (wrapper.conf)', exact: true }).check();
    await next.click();
    await app.getByLabel('Bamboo server URL').fill('https://bamboo.example.com');
    await next.click();
    await expect(heading(app)).toContainText('Credentials');
    await app.getByLabel('Security token').fill(TOKEN);
    await app.getByRole('button', { name: 'Check token' }).click();
    await expect(app.getByTestId('token-details')).toBeVisible();
    await next.click();
    await expect(heading(app)).toContainText('Connectivity');
    await next.click();

    // Configs: no empty file table: the agent home, then the edit.
    await expect(heading(app)).toContainText('Configs');
    await expect(app.locator('main')).not.toContainText('already up to date');
    await next.click();
    await expect(app.getByTestId('step-errors')).toContainText('Folder: is required');
    await app.getByLabel('Agent home on this machine').fill(home);
    await expect(app.getByTestId('bamboo-wrapper-hint')).toContainText(
      `${conf}: server URL https://bamboo.example.com/agentServer/ (wrapper.app.parameter.2, line 3)`,
    );
    const preview = app.getByTestId('existing-preview');
    await expect(preview.getByLabel(`Changes to ${conf}`)).toContainText('+wrapper.app.parameter.3=«new token»');
    await expect(app.locator('body')).not.toContainText(TOKEN);
    await expectAccessible(app, 'bamboo existing: preview');
    expect(readFileSync(conf, 'utf8')).toBe(original);

    await app.getByRole('button', { name: 'Write the token…' }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('existing-written')).toContainText(`${conf} now holds the new token; the previous version is kept as ${conf}.bak-`);
    expect(readFileSync(conf, 'utf8')).toBe(original.replace('/agentServer/\n', `/agentServer/\nwrapper.app.parameter.3=${TOKEN}\n`));
    expect(readdirSync(path.join(home, 'conf')).filter((n) => n.startsWith('wrapper.conf.bak-'))).toHaveLength(1);
    // Read again after the write: nothing left to write, and the restart steps for this home.
    await expect(preview).toContainText('it already holds this token; nothing to write.');
    await expect(app.getByRole('heading', { name: 'Then restart the agent' })).toBeVisible();
    await expect(app.getByText(`${home}/bin/bamboo-agent.sh restart`, { exact: true })).toBeVisible();

    await next.click();
    // The Install step (install over SSH, or the commands to run by hand) comes between Configs and Export.
    await expect(heading(app)).toContainText('Install');
    await next.click();
    await expect(heading(app)).toContainText('Export');
    await next.click();
    await expect(heading(app)).toContainText('Done');
    await expect(app.getByTestId('done-lead')).toHaveText(
      'Bamboo remote agent (Existing bamboo-agent-home (wrapper.conf)): the token is written. The agent is not seen online yet: what is left is below.',
    );
    await expect(app.getByTestId('done-written')).toContainText(`${conf} holds the security token from the Credentials step.`);
    await expect(app.getByTestId('done-left')).toContainText('Restart the agent so it reads the token');
    await expect(app.getByTestId('done-left')).toContainText('sudo systemctl restart bamboo-agent');
    await expect(app.locator('main')).not.toContainText('onboarded');
    // One OS throughout: no "(linux)" after every command.
    await expect(app.getByTestId('done-left')).not.toContainText('(linux)');
    await expectAccessible(app, 'bamboo existing: done');

    // The write is in History, and undo there brings the file back.
    await app.getByRole('button', { name: 'History' }).click();
    // The server lives for the whole worker: other files' rotations may be listed too.
    const row = app.getByRole('row', { name: /Bamboo remote agent \(token written in place\)/ }).filter({ hasText: conf });
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: /What the wizard wrote/ }).click();
    await expect(app.getByTestId('written-files')).toContainText('wrapper.conf');
    await app.getByTestId('written-files').getByRole('button', { name: 'Undo these writes…' }).click();
    await app.getByTestId('written-files').getByRole('button', { name: 'Undo now' }).click();
    await expect.poll(() => readFileSync(conf, 'utf8')).toBe(original);
  });
});

test.describe('History lists every write', () => {
  test('files written on Configs show in History before the onboarding reaches Export', async ({ app }) => {
    const out = path.join(root, 'configs-only');
    const draft = {
      platform: 'bamboo-remote',
      variant: 'installer',
      step: 'configs',
      answers: { serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' },
    };
    const stored = await invokeFromPage(app, 'tokens:check', { platform: 'bamboo-remote', text: TOKEN });
    expect(stored).toMatchObject({ ok: true, value: { verdict: 'ok' } });
    const credentialId = (stored.value as { id: string }).id;
    expect(await invokeFromPage(app, 'draft:save', { ...draft, credentialId })).toMatchObject({ ok: true });
    await app.reload();
    await expect(heading(app)).toContainText('Configs');
    await app.getByLabel('Output folder').fill(out);
    await app.getByRole('button', { name: 'Write 3 files…' }).click();
    await app.getByRole('button', { name: 'Write now' }).click();
    await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 3 of 3 files to ${out}.`);

    await app.getByRole('button', { name: 'History' }).click();
    const row = app.getByRole('row', { name: /Bamboo remote agent \(New install/ }).filter({ hasText: out });
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: /What the wizard wrote/ }).click();
    await expect(app.getByTestId('written-files')).toContainText('security-token');
  });
});

test.describe('layout and wording', () => {
  test('going back to Platform keeps the steps already reached open, until an answer makes an earlier step invalid', async ({ app }) => {
    const draft = {
      platform: 'harness',
      variant: 'docker',
      step: 'details',
      answers: { accountId: 'abc123', delegateName: 'my-delegate', imageTag: '26.02.88404' },
    };
    expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
    await app.reload();
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(heading(app)).toContainText('Credentials');
    await stepButton(app, /Platform/).click();
    await expect(heading(app)).toContainText('Platform');
    await expect(stepButton(app, /Details/)).toBeEnabled();
    await expect(stepButton(app, /Credentials/)).toBeEnabled();
    await expect(stepButton(app, /Connectivity/)).toBeDisabled();
    await stepButton(app, /Details/).click();
    await app.getByLabel('Account ID').fill('');
    await expect(stepButton(app, /Credentials/)).toBeDisabled();
    await app.getByLabel('Account ID').fill('abc123');
    await expect(stepButton(app, /Credentials/)).toBeEnabled();
  });

  test('a token platform has no empty "Include" group on Export', async ({ app }) => {
    const draft = {
      platform: 'bamboo-remote',
      variant: 'installer',
      step: 'export',
      answers: { serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' },
    };
    expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
    await app.reload();
    await expect(heading(app)).toContainText('Export');
    await expect(app.getByRole('group', { name: 'Connectivity report' })).toBeVisible();
    await expect(app.getByRole('group', { name: 'Include' })).toHaveCount(0);
  });

  test('service inputs stay level when one shows an error, and the tunnel picture keeps its labels clear of the lines', async ({ app }) => {
    const services = [
      { name: 'jira', url: 'jira.internal', remotePort: '5000' },
      { name: 'git', url: 'https://git.internal:443', remotePort: '5001' },
    ];
    const draft = { platform: 'armorcode', variant: 'docker', step: 'details', answers: { server: 'tunnel.example.com', user: 'acme', port: '22', services } };
    expect(await invokeFromPage(app, 'draft:save', draft)).toMatchObject({ ok: true });
    await app.reload();
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByTestId('step-errors')).toBeVisible();
    const row = app.getByRole('group', { name: 'Internal services 1' });
    await expect(row.locator('.error')).toHaveCount(1);
    const tops = await row.locator('input').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(tops).toHaveLength(3);
    expect(new Set(tops).size).toBe(1);
    const button = await row.getByRole('button', { name: 'Remove Internal services 1' }).boundingBox();
    const input = await row.locator('input').first().boundingBox();
    expect(Math.abs(button!.y + button!.height / 2 - (input!.y + input!.height / 2))).toBeLessThan(4);

    // The picture on Configs: each label sits on its own backing, drawn over the boundary and flow lines.
    await row.getByLabel('URL').fill('https://jira.internal:443');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(heading(app)).toContainText('Credentials');
    expect(
      await invokeFromPage(app, 'draft:save', {
        ...draft,
        step: 'configs',
        answers: { ...draft.answers, services: [{ ...services[0], url: 'https://jira.internal:443' }, services[1]] },
      }),
    ).toMatchObject({ ok: true });
    await app.reload();
    await expect(heading(app)).toContainText('Configs');
    const clear = await app.locator('svg.tunnel-svg').evaluate((svg) => {
      const all = Array.from(svg.querySelectorAll('*'));
      return Array.from(svg.querySelectorAll('text.tp-label')).map((t) => {
        const tb = (t as SVGGraphicsElement).getBBox();
        const bg = Array.from(svg.querySelectorAll('rect.tp-label-bg')).find((r) => {
          const b = (r as SVGGraphicsElement).getBBox();
          return b.x <= tb.x && b.y <= tb.y && b.x + b.width >= tb.x + tb.width && b.y + b.height >= tb.y + tb.height;
        });
        const lines = Array.from(svg.querySelectorAll('.tp-flow, .tp-boundary'));
        return { label: t.textContent, backed: Boolean(bg), onTop: bg ? lines.every((l) => all.indexOf(l) < all.indexOf(bg)) : false };
      });
    });
    expect(clear).toEqual([
      { label: 'SSH :22', backed: true, onTop: true },
      { label: 'outbound', backed: true, onTop: true },
    ]);
  });
});
