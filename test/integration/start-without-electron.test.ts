/**
 * `npm start` on a machine without Electron's binary (these machines cannot reach its download
 * host): one line says the desktop shell is missing and how to fetch it later, then browser mode
 * starts and prints its URL, which serves the app. Runs the real script (scripts/start.mjs), the
 * real renderer build and the real browser-mode server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const hasBinary =
  existsSync(path.join(electronDir, 'path.txt')) && existsSync(path.join(electronDir, 'dist', readFileSync(path.join(electronDir, 'path.txt'), 'utf8')));

let child: ChildProcess | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'ao-start-'));

afterAll(() => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(hasBinary)('npm start without the Electron binary', () => {
  if (hasBinary) console.warn("skipped: Electron's binary is installed here, so npm start opens the desktop app");

  it('says in one line that the desktop shell is missing, then starts browser mode and prints a URL that serves the app', async () => {
    // ELECTRON_SKIP_BINARY_DOWNLOAD (electron's own switch) keeps the script from trying the download host.
    child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      detached: true,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', AGENT_ONBOARD_DATA_DIR: dataDir, AGENT_ONBOARD_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      child?.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${stdout}\n${stderr}`)));
    });
    const lines = stderr.split('\n').filter((l) => /desktop shell/.test(l));
    expect(lines).toEqual([
      expect.stringMatching(
        /^The desktop shell \(Electron's binary\) is missing: ELECTRON_SKIP_BINARY_DOWNLOAD is set.*Starting browser mode instead; to fetch the shell later: npm run fetch-electron$/,
      ),
    ]);
    expect(stderr).not.toMatch(/Electron uninstall|Error:| {4}at /);
    const page = await fetch(url, { redirect: 'manual' });
    expect([200, 302, 303]).toContain(page.status);
    const bare = await fetch(new URL('/', url));
    expect(bare.status).toBe(401);
  }, 180_000);
});
