/**
 * Full-page screenshots of every wizard step (each platform and variant) and every page, in browser
 * mode, and a pixel comparison of two such sets: a refactor of the renderer must not change what
 * the user sees. Not part of the test suite (pixels differ between machines and fonts); run it
 * before and after a change on the same machine:
 *
 *   npm run -s build:renderer && npx tsx test/visual/screens.ts capture /tmp/screens/before
 *   (change, rebuild)          && npx tsx test/visual/screens.ts capture /tmp/screens/after
 *   npx tsx test/visual/screens.ts compare /tmp/screens/before /tmp/screens/after
 *
 * Every input is fixed (answers, token, key, host key, output folders, data folder) so two captures
 * of the same build give the same pixels; `compare` prints the differing pixels per screen and the
 * box around them (to tell a change confined to the step bar from one in the page).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { PLATFORMS } from '../../shared/platforms';
import { startServe } from '../support/browser-mode';
import { BAMBOO_ROLE, SEED_POLICY, text } from '../support/scp-policies';

const FIXED = '/tmp/ao-screens-fixed';
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
    '--font-render-hinting=none',
  ],
};

const ANSWERS: Record<string, Record<string, unknown>> = {
  armorcode: {
    server: 'tunnel.customer.example.armorcode.com',
    user: 'customer',
    port: '22',
    services: [{ name: 'jira', url: 'https://jira.internal.example.com:443', remotePort: '5000' }],
  },
  'bamboo-remote': { serverUrl: 'https://bamboo.example.com/bamboo', installerVersion: '9.6.2', agentHome: '/srv/bamboo-agent-home' },
  'bamboo-elastic': { principalArn: BAMBOO_ROLE, policies: [text(SEED_POLICY)] },
  buildkite: { name: 'builder-%hostname-%spawn', tags: 'queue=default, os=linux' },
  harness: { accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'screens-delegate', imageTag: '26.02.88404', tags: 'linux, screens' },
};
const TOKENS: Record<string, string> = {
  'bamboo-remote': 'f3defca0b1dee4b665fa7471cfe2899d524722f9',
  buildkite: '0123456789abcdef0123456789abcdef0123456789abcdef01',
  harness: Buffer.from('df4eb412d2f4458a61faa668a4301104').toString('base64'),
};

/** Key material made once and kept, so every capture shows the same fingerprints. */
function fixedKeys(): { hostKey: string; clientKey: string } {
  mkdirSync(FIXED, { recursive: true });
  for (const name of ['host', 'client']) {
    if (!existsSync(path.join(FIXED, name))) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'screens', '-f', path.join(FIXED, name)]);
  }
  return {
    hostKey: readFileSync(path.join(FIXED, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' '),
    clientKey: readFileSync(path.join(FIXED, 'client'), 'utf8'),
  };
}

async function invoke(page: Page, channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> {
  const answer = await page.evaluate(
    ({ c, p }) =>
      new Promise<string>((resolve, reject) => {
        const secret = sessionStorage.getItem('ao-session') ?? '';
        const ws = new WebSocket(`ws://${location.host}/api/ws`, ['agent-onboard', `ao-session.${secret}`]);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: c, payload: p }));
        ws.onmessage = (m) => {
          resolve(String(m.data));
          ws.close();
        };
        ws.onerror = () => reject(new Error('websocket failed'));
      }),
    { c: channel, p: payload },
  );
  return (JSON.parse(answer) as { result: { ok: boolean; value?: unknown; error?: unknown } }).result;
}

async function settle(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  // Previews and checks answer after the page loads: wait until none is still under way.
  await page.waitForFunction(
    () => !/Previewing|checking what was written|Loading/.test(document.body.innerText) && !document.querySelector('[aria-busy="true"]'),
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(400);
}

async function capture(out: string): Promise<void> {
  const { hostKey, clientKey } = fixedKeys();
  const work = path.join(FIXED, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const server = await startServe({ AGENT_ONBOARD_DATA_DIR: path.join(work, 'data'), TZ: 'UTC' });
  const browser = await chromium.launch(LAUNCH);
  // bypassCSP: the app's Content-Security-Policy refuses inline styles, and with it the screenshot's
  // `style` below (the sticky actions bar then covered what lay under it on every tall page).
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    bypassCSP: true,
  });
  let n = 0;
  const shot = async (name: string): Promise<void> => {
    await settle(page);
    // Times (History's When column) differ between two runs: painted over, so only a real change counts.
    // The sticky wizard actions stay at the end of the page, or they would cover what sits behind them there.
    await page.screenshot({
      path: path.join(out, `${name}.png`),
      fullPage: true,
      animations: 'disabled',
      caret: 'hide',
      mask: [page.locator('time')],
      maskColor: '#888',
      style: '.actions { position: static !important; }',
    });
    n++;
  };
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const credentials: Record<string, string> = {};
    for (const [platform, token] of Object.entries(TOKENS)) {
      const r = await invoke(page, 'tokens:check', { platform, text: token });
      credentials[platform] = (r.value as { id: string }).id;
    }
    const key = await invoke(page, 'keys:import', { text: clientKey, platform: 'armorcode', format: 'pkcs1' });
    if (!key.ok) throw new Error(`keys:import: ${JSON.stringify(key.error)}`);
    credentials.armorcode = (key.value as { id: string }).id;

    await invoke(page, 'draft:clear', {});
    await page.reload();
    await shot('wizard-platform-empty');
    for (const platform of PLATFORMS) {
      for (const variant of platform.variants) {
        const base = {
          platform: platform.id,
          variant: variant.id,
          answers: ANSWERS[platform.id] ?? {},
          outDir: path.join(work, 'out', `${platform.id}-${variant.id}`),
          ...(credentials[platform.id] ? { credentialId: credentials[platform.id] } : {}),
          ...(platform.id === 'armorcode' ? { knownHosts: `${String(ANSWERS.armorcode!.server)} ${hostKey}\n` } : {}),
        };
        for (const step of platform.steps) {
          const saved = await invoke(page, 'draft:save', { ...base, step });
          if (!saved.ok) throw new Error(`draft:save ${platform.id}/${variant.id}/${step}: ${JSON.stringify(saved.error)}`);
          await page.reload();
          if (step === 'configs' && platform.generate && variant.id !== 'existing') await page.locator('table, [role=alert]').first().waitFor();
          await shot(`wizard-${platform.id}-${variant.id}-${step}`);
          if (step === 'credentials' && platform.credential.kind === 'ssh-keypair' && variant === platform.variants[0]) {
            // The key forms behind a chosen key: generate (the default), then import.
            await page.getByRole('button', { name: 'Use a different key' }).click();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-generate`);
            await page.getByText('Protect the private key with a passphrase (advanced)').click();
            await page.locator('form.cred-form').getByLabel('Passphrase', { exact: true }).fill('short');
            await page.getByRole('button', { name: 'Generate key pair' }).click();
            await page.getByRole('alert').first().waitFor();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-generate-refused`);
            await page.getByLabel('Import an existing private key').check();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-import`);
          }
          if (step === 'export' && variant === platform.variants[0]) {
            await page.locator('form.export-form').getByLabel('Passphrase', { exact: true }).fill('short');
            await page.getByRole('button', { name: 'Create bundle' }).click();
            await page.getByRole('alert').first().waitFor();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-refused`);
          }
          if (step === 'configs' && platform.id === 'bamboo-elastic') {
            await page.getByRole('button', { name: 'Check the policies' }).click();
            await page.getByTestId('scp-verdict').waitFor();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-checked`);
          }
          if (step === 'configs' && platform.id === 'bamboo-remote' && variant.id === 'existing') {
            const home = path.join(work, 'bamboo-agent-home');
            mkdirSync(path.join(home, 'conf'), { recursive: true });
            writeFileSync(
              path.join(home, 'conf', 'wrapper.conf'),
              `wrapper.java.additional.1=-Dbamboo.home=${home}\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\n`,
            );
            await page.getByLabel('Agent home on this machine').fill(home);
            await page.getByTestId('existing-preview').getByText('wrapper.app.parameter.3').first().waitFor();
            await shot(`wizard-${platform.id}-${variant.id}-${step}-home`);
          }
        }
      }
    }

    const pages: [string, string][] = [
      ['bundles', 'Bundles'],
      ['diagnostics', 'Diagnostics'],
      ['rotate', 'Update an existing install'],
      ['history', 'History'],
    ];
    for (const [id, title] of pages) {
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('button', { name: new RegExp(title) })
        .click();
      await shot(`page-${id}`);
      if (id === 'diagnostics') {
        await page
          .getByRole('textbox')
          .first()
          .fill(
            'INFO: Agent registration failed: 401 Unauthorized: Invalid registration token\nSSH: connect to host tunnel.example.armorcode.com port 22: Connection timed out',
          );
        await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
        await shot('page-diagnostics-found');
      }
      if (id === 'rotate') {
        await page.getByRole('button', { name: 'Find the token' }).click();
        await page.getByRole('alert').first().waitFor();
        await shot('page-rotate-refused');
        const select = page.getByLabel('Platform');
        for (const option of await select.locator('option').all()) {
          const value = await option.getAttribute('value');
          if (!value) continue;
          await select.selectOption(value);
          await shot(`page-rotate-${value}`);
        }
        await select.selectOption('bamboo-remote');
        await page.getByLabel(/File or folder paths/).fill(path.join(work, 'bamboo-agent-home'));
        await page.getByTestId('bamboo-wrapper-hint').waitFor();
        await shot('page-rotate-bamboo-remote-hint');
        const cfg = path.join(work, 'buildkite-agent.cfg');
        writeFileSync(cfg, 'token="bkct_olderolderolderolderolderolderolderABCD"\nname="builder"\n');
        await select.selectOption('buildkite');
        await page.getByLabel(/File or folder paths/).fill(cfg);
        await page.getByLabel(/^New /).fill(TOKENS.buildkite!);
        await page.getByRole('button', { name: 'Find the token' }).click();
        await page.locator('main h2, main [role=alert]').first().waitFor();
        await shot('page-rotate-buildkite-plan');
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`${n} screenshots in ${out}`);
}

/** Runs in the page: decodes two PNG data URLs and counts the pixels whose RGBA differ. */
const PIXEL_DIFF = `async function ([x, y]) {
  async function load(u) {
    const img = new Image();
    img.src = u;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height);
  }
  const p = await load(x);
  const q = await load(y);
  if (p.width !== q.width || p.height !== q.height) return { size: p.width + '×' + p.height + ' vs ' + q.width + '×' + q.height, diff: -1, total: p.width * p.height };
  let diff = 0;
  let x0 = p.width, y0 = p.height, x1 = -1, y1 = -1;
  for (let i = 0; i < p.data.length; i += 4) {
    if (p.data[i] !== q.data[i] || p.data[i + 1] !== q.data[i + 1] || p.data[i + 2] !== q.data[i + 2] || p.data[i + 3] !== q.data[i + 3]) {
      diff++;
      const x = (i / 4) % p.width, y = Math.floor(i / 4 / p.width);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return { size: p.width + '×' + p.height, diff, total: p.width * p.height, box: diff ? x0 + ',' + y0 + '–' + x1 + ',' + y1 : '' };
}`;

/** Differing pixels of each pair of same-named screenshots, counted in Chromium from the decoded PNGs. */
async function compare(a: string, b: string): Promise<void> {
  const names = [...new Set([...readdirSync(a), ...readdirSync(b)])].filter((f) => f.endsWith('.png')).sort();
  const browser = await chromium.launch(LAUNCH);
  const page = await browser.newPage();
  let changed = 0;
  try {
    for (const name of names) {
      if (!existsSync(path.join(a, name)) || !existsSync(path.join(b, name))) {
        console.log(`${name}: only in ${existsSync(path.join(a, name)) ? a : b}`);
        changed++;
        continue;
      }
      const urls = [a, b].map((d) => `data:image/png;base64,${readFileSync(path.join(d, name)).toString('base64')}`);
      // A string, not a function: tsx would add helpers the page does not have.
      const r = await page.evaluate<{ size: string; diff: number; total: number; box: string }>(`(${PIXEL_DIFF})(${JSON.stringify(urls)})`);
      if (r.diff !== 0) changed++;
      console.log(`${name}: ${r.diff === -1 ? `size differs (${r.size})` : `${r.diff} of ${r.total} pixels differ${r.box ? ` in x,y ${r.box}` : ''}`}`);
    }
  } finally {
    await browser.close();
  }
  console.log(`${names.length} screens, ${changed} differ`);
  process.exitCode = changed ? 1 : 0;
}

const [cmd, x, y] = process.argv.slice(2);
if (cmd === 'capture' && x) await capture(path.resolve(x));
else if (cmd === 'compare' && x && y) await compare(path.resolve(x), path.resolve(y));
else {
  console.error('usage: tsx test/visual/screens.ts capture DIR | compare DIR_A DIR_B');
  process.exitCode = 2;
}
