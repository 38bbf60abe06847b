/**
 * The desktop app itself, through Playwright's Electron driver. It runs where the Electron binary
 * is installed; where `npm install` could not download it (these CI machines cannot reach
 * Electron's release host), it reports itself skipped with that reason.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function electronBinary(): { path?: string; reason?: string } {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown as string;
    return existsSync(bin) ? { path: bin } : { reason: `the Electron binary is not at ${bin}` };
  } catch (error) {
    return { reason: `the Electron binary is not installed (${(error as Error).message.split('\n')[0]}); npm install could not download it on this machine` };
  }
}

const binary = electronBinary();

test.describe('desktop app (Electron)', () => {
  test('opens the wizard in a locked-down window', async () => {
    if (!binary.path) console.log(`[electron e2e] skipped: ${binary.reason}`);
    test.skip(!binary.path, `Skipped: ${binary.reason}`);
    execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'ignore' });
    const app = await electron.launch({
      executablePath: binary.path,
      args: [root, '--no-sandbox'],
      env: { ...process.env, XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'ao-electron-')) },
    });
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1 })).toHaveText('Platform');
    // No Node in the page; only window.api from the preload.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort())).toEqual(['invoke', 'onJobEvent', 'pathForFile']);
    // Sandboxed and isolated: the page has no process object and cannot reach ipcRenderer.
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer)).toBe('undefined');
    await window.getByTestId('platform-buildkite').click();
    await window.getByRole('button', { name: 'Next' }).click();
    await expect(window.getByRole('heading', { level: 1 })).toContainText('Details');
    await app.close();
  });
});
