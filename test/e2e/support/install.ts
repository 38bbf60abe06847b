/**
 * Helpers the Install step's e2e specs share (install.spec.ts, install-failures.spec.ts): the
 * wizard walk to the Install step, a file-by-file picture of an install root, the tunnel's ssh
 * processes, and a loopback address whose port 22 no other run holds (the stand-in ArmorCode
 * server must listen on 22: the Details step offers only the ports ArmorCode uses).
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';

/** Every entry under `root`: folders with their mode, files with mode and SHA-256 (sockets left out: run-time state that may be going away). */
export function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a, { throwIfNoEntry: false });
      if (!st || st.isSocket()) continue;
      if (st.isDirectory()) {
        out[r + '/'] = (st.mode & 0o7777).toString(8);
        walk(a, r);
      } else out[r] = `${(st.mode & 0o7777).toString(8)} ${execFileSync('sha256sum', [a], { encoding: 'utf8' }).split(' ')[0]}`;
    }
  };
  walk(root, '');
  return out;
}

/** Pids of the tunnel's ssh processes (their command line names the installed key). */
export function tunnelSshPids(keyPath: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0');
        return readFileSync(`/proc/${n}/comm`, 'utf8').trim() === 'ssh' && cmd.includes(keyPath);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const portFree = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });

/**
 * A 127.77.<n>.x address whose port 22 is free now, x starting from this process's pid so that two
 * runs on one machine (worktrees, CI) pick different ones; `n` keeps one spec's servers apart.
 */
export async function freeServerAddress(n: number): Promise<string> {
  for (let i = 0; i < 250; i++) {
    const addr = `127.77.${n}.${1 + ((process.pid + i) % 250)}`;
    if (await portFree(addr, 22)) return addr;
  }
  throw new Error(`no 127.77.${n}.x address has port 22 free`);
}

const heading = (app: Page) => app.getByRole('heading', { level: 1 });

export interface TunnelAnswers {
  server: string;
  user: string;
  serviceUrl: string;
  remotePort: number;
  /** The server's public host key ("type base64"); read after `onPublicKey`, which may start the server. */
  serverPub: () => string;
}

/**
 * Platform → Details → Credentials (a key generated; `onPublicKey` gets its public half) →
 * Connectivity → Configs (the server's host key pinned, the 8 files written to a new folder under
 * `outParent`) → Install.
 */
export async function walkToInstall(app: Page, outParent: string, tunnel: TunnelAnswers, onPublicKey?: (pub: string) => Promise<void>): Promise<void> {
  const next = app.getByRole('button', { name: 'Next' });
  await app.getByTestId('platform-armorcode').click();
  await app.getByRole('radio', { name: 'Docker Compose', exact: true }).check();
  await next.click();
  await expect(heading(app)).toContainText('Details');
  await app.getByLabel('ArmorCode server host').fill(tunnel.server);
  await app.getByLabel('SSH user').fill(tunnel.user);
  await app.getByLabel('SSH port').selectOption('22');
  await app.getByRole('button', { name: 'Add internal service' }).click();
  await app.locator('#field-services-0-name').fill('svc');
  await app.locator('#field-services-0-url').fill(tunnel.serviceUrl);
  await app.locator('#field-services-0-remotePort').fill(String(tunnel.remotePort));
  await next.click();
  await expect(heading(app)).toContainText('Credentials');
  await app.getByRole('button', { name: 'Generate key pair' }).click();
  await expect(app.getByTestId('key-details')).toBeVisible({ timeout: 30_000 });
  await onPublicKey?.(await app.getByTestId('public-key').inputValue());
  await next.click();
  await expect(heading(app)).toContainText('Connectivity');
  await next.click();
  await expect(heading(app)).toContainText('Configs');
  const out = mkdtempSync(path.join(outParent, 'out-'));
  await app.getByLabel('Output folder').fill(out);
  await app.getByLabel('Server host key (known_hosts line)').fill(`${tunnel.server} ${tunnel.serverPub()}`);
  await app.getByRole('button', { name: 'Pin this host key' }).click();
  await expect(app.getByTestId('pinned-host-keys')).toContainText(tunnel.server);
  await app.getByRole('button', { name: /^Write 8 files/ }).click();
  await app.getByRole('button', { name: 'Write now' }).click();
  await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 8 of 8 files to ${out}.`);
  await next.click();
  await expect(heading(app)).toContainText('Install');
}
