/**
 * Issue 12 item 13: at 800×700 every step of every platform (each variant) fits the window.
 * Long lines (an autossh command, a policy, a path) wrap or scroll inside their own box; the page
 * itself never gets wider than the window, so the header, footer and Next stay on screen.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PLATFORMS } from '../../shared/platforms';
import { expect, invokeFromPage, test } from './fixtures';
import { BAMBOO_ROLE, SEED_POLICY, text } from '../support/scp-policies';
import { sampleAnswers, sampleTokens } from '../support/conformance';

const W = 800;
const H = 700;
let root = '';
let hostKey = '';
test.beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-e2e-narrow-'));
  // A real host key for the ArmorCode preview (known_hosts is required there).
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(root, 'host')]);
  hostKey = readFileSync(path.join(root, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Answers that pass each platform's Details, with long values where a long line could push the page
 * wide; a platform not listed here is walked with the conformance suite's answers and token, taken
 * from its own schema, so a new platform is covered the moment it is registered.
 */
const ANSWERS: Record<string, Record<string, unknown>> = {
  armorcode: {
    server: 'tunnel.a-rather-long-customer-name.example.armorcode.com',
    user: 'a-rather-long-customer-name',
    port: '22',
    services: [
      { name: 'jira-with-a-long-name', url: 'https://jira.internal.a-long-department-name.example.com:443', remotePort: '5000' },
      { name: 'git', url: 'https://git.internal.example.com:443', remotePort: '5001' },
    ],
  },
  'bamboo-remote': {
    serverUrl: 'https://bamboo.a-long-department-name.example.com/bamboo',
    installerVersion: '9.6.2',
    agentHome: '/srv/a long folder name/for the bamboo agent home',
  },
  'bamboo-elastic': { principalArn: BAMBOO_ROLE, policies: [text(SEED_POLICY)] },
  buildkite: { name: 'builder-%hostname-%spawn-with-a-long-name', tags: 'queue=default, os=linux, team=a-long-team-name' },
  harness: { accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'a-delegate-with-a-long-name', imageTag: '26.02.88404', tags: 'linux, e2e' },
};

const TOKENS: Record<string, string> = {
  'bamboo-remote': 'f3defca0b1dee4b665fa7471cfe2899d524722f9',
  buildkite: 'bkct_0123456789abcdefghijklmnopqrstuvwxyzABCD',
  harness: Buffer.from('df4eb412d2f4458a61faa668a4301104').toString('base64'),
};

async function credentialFor(app: Page, platform: (typeof PLATFORMS)[number]): Promise<string | undefined> {
  const token = TOKENS[platform.id] ?? sampleTokens(platform)[0];
  if (token) {
    const r = await invokeFromPage(app, 'tokens:check', { platform: platform.id, text: token });
    return (r.value as { id?: string } | undefined)?.id;
  }
  return undefined;
}

/** What is wider than the window now: the page itself, or the bar and footer controls. */
async function overflow(app: Page): Promise<string[]> {
  return app.evaluate((w) => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > w) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
    for (const sel of ['header.topbar', '.wizard-bar', 'main.step', 'footer.actions', 'footer.actions button']) {
      for (const el of Array.from(document.querySelectorAll(sel))) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 0.5) out.push(`${sel} ends at ${Math.round(r.right)}px`);
      }
    }
    return out;
  }, W);
}

for (const platform of PLATFORMS) {
  for (const variant of platform.variants) {
    test(`${platform.id} (${variant.id}): every step fits ${W}×${H}`, async ({ app }) => {
      await app.setViewportSize({ width: W, height: H });
      const credentialId = await credentialFor(app, platform);
      const out = path.join(root, `${platform.id}-${variant.id}`);
      const base = {
        platform: platform.id,
        variant: variant.id,
        answers: ANSWERS[platform.id] ?? sampleAnswers(platform).full,
        outDir: out,
        ...(credentialId ? { credentialId } : {}),
        ...(platform.id === 'armorcode' ? { knownHosts: `${ANSWERS.armorcode!.server} ${hostKey}\n` } : {}),
      };
      for (const step of platform.steps) {
        expect(await invokeFromPage(app, 'draft:save', { ...base, step })).toMatchObject({ ok: true });
        await app.reload();
        await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
        // The preview (or what stops it) is on screen before measuring.
        if (step === 'configs' && platform.generate && variant.id !== 'existing') await expect(app.locator('table, [role=alert]').first()).toBeVisible();
        if (step === 'configs' && platform.id === 'bamboo-elastic') {
          await app.getByRole('button', { name: 'Check the policies' }).click();
          await expect(app.getByTestId('scp-verdict')).toBeVisible();
        }
        expect(await overflow(app), `${platform.id}/${variant.id} ${step}`).toEqual([]);
        await expect(app.getByRole('button', { name: step === 'done' ? 'Onboard another agent' : 'Next' })).toBeInViewport();
      }
    });
  }
}
