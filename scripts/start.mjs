#!/usr/bin/env node
/**
 * `npm start`: the desktop app when Electron's binary is installed. `npm install` does not
 * download it (see .npmrc: dependency install scripts are off, so an unreachable download host
 * can never fail the install), so the first `npm start` fetches it, saying so first. Where it
 * cannot be fetched (no route to the download host, or ELECTRON_SKIP_BINARY_DOWNLOAD is set),
 * it says so in one line with how to fetch it later, and starts browser mode, which prints its
 * URL. `npm run fetch-electron` (this script with --fetch-only) fetches the binary by hand.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FETCH_LATER = 'npm run fetch-electron';

/** The directory of the installed electron package, or undefined. */
function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json', { paths: [root] }));
  } catch {
    return undefined;
  }
}

/** True when electron's binary for this package version is on disk (what electron/index.js needs). */
function binaryInstalled(dir) {
  try {
    const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const installed = readFileSync(path.join(dir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '');
    const exe = readFileSync(path.join(dir, 'path.txt'), 'utf8');
    return installed === version && existsSync(path.join(dir, 'dist', exe));
  } catch {
    return false;
  }
}

/** The host @electron/get downloads from (a mirror when one is configured). */
function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/';
  try {
    const u = new URL(mirror);
    return { host: u.hostname, port: Number(u.port) || (u.protocol === 'http:' ? 80 : 443) };
  } catch {
    return { host: 'github.com', port: 443 };
  }
}

/**
 * Whether the download host answers a TCP connect within 5 s. @electron/get has no time limit of
 * its own, so without this a firewall that drops packets would hang `npm start`.
 */
function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(5000, () => done(`no answer from ${host}:${port} within 5 s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (e) => done(`${host}: ${e.code ?? e.message}`));
  });
}

/** Fetches the binary with electron's own installer. Returns why it failed, or undefined. */
async function fetchBinary(dir) {
  const target = downloadHost();
  const unreachable = await reachable(target);
  if (unreachable) return `its download host cannot be reached (${unreachable})`;
  process.stderr.write(`Fetching Electron's desktop shell from ${target.host} (once, about 100 MB)…\n`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const run = spawnSync(process.execPath, [path.join(dir, 'install.js')], { env, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (run.status === 0 && binaryInstalled(dir)) return undefined;
  const reason = (run.stderr ?? '').split('\n').find((l) => l.trim()) ?? `the installer exited with ${run.status}`;
  return `the download failed (${reason.trim().slice(0, 200)})`;
}

function runChild(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function browserMode() {
  const npm = process.env.npm_execpath;
  if (npm) runChild(process.execPath, [npm, 'run', '-s', 'serve']);
  else runChild(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'serve']);
}

const fetchOnly = process.argv.includes('--fetch-only');
const dir = electronDir();
let missing;
if (!dir) missing = 'the electron package is not installed (run npm install)';
else if (!binaryInstalled(dir)) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !fetchOnly) missing = 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it is not fetched';
  else missing = await fetchBinary(dir);
}

if (fetchOnly) {
  if (missing) {
    console.error(`Electron's desktop shell could not be fetched: ${missing}. Set ELECTRON_MIRROR to a reachable mirror, or use browser mode (npm run serve).`);
    process.exit(1);
  }
  console.error(`Electron's desktop shell is installed: npm start opens the desktop app.`);
  process.exit(0);
}

if (missing) {
  console.error(`The desktop shell (Electron's binary) is missing: ${missing}. Starting browser mode instead; to fetch the shell later: ${FETCH_LATER}`);
  browserMode();
} else {
  const pkg = JSON.parse(readFileSync(require.resolve('electron-vite/package.json', { paths: [root] }), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  runChild(process.execPath, [path.join(path.dirname(require.resolve('electron-vite/package.json', { paths: [root] })), bin), 'preview']);
}
