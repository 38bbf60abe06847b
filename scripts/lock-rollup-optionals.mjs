#!/usr/bin/env node
/**
 * Lists rollup's platform packages in package-lock.json when `npm install` could not.
 *
 * The registry these machines reach answers 404 for most of rollup's per-platform packages
 * (@rollup/rollup-darwin-x64 and friends), so `npm install` leaves them out of the lock file, and
 * `npm ci` then refuses the lock ("Missing: @rollup/rollup-darwin-x64 from lock file"). Each is an
 * optional dependency limited to one os/cpu(/libc), which npm skips without downloading on any
 * other platform, so an entry with its version and platform fields is all `npm ci` needs; on the
 * platform itself npm fetches it from the public registry as usual. Run this after any install
 * that changes rollup's version: `node scripts/lock-rollup-optionals.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(FILE, 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
if (!rollup?.optionalDependencies) throw new Error('rollup is not in package-lock.json');

const CPUS = new Set(['arm', 'arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x']);
const added = [];
for (const [name, version] of Object.entries(rollup.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  // @rollup/rollup-<os>-<cpu>[-<abi>], e.g. rollup-linux-arm64-musl, rollup-win32-x64-msvc.
  const [os, cpu, abi = ''] = name.replace('@rollup/rollup-', '').split('-');
  if (!CPUS.has(cpu)) throw new Error(`cannot tell the cpu of ${name}`);
  const libc = os !== 'linux' ? undefined : abi.includes('musl') ? ['musl'] : ['glibc'];
  lock.packages[key] = { version, cpu: [cpu], dev: rollup.dev ?? false, ...(libc ? { libc } : {}), license: 'MIT', optional: true, os: [os] };
  added.push(name);
}
// npm keeps the packages sorted by path, the root ('') first.
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(FILE, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `Listed ${added.length}: ${added.join(', ')}` : 'Nothing to add: every rollup platform package is listed.');
