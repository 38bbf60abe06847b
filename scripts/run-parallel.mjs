#!/usr/bin/env node
/**
 * Runs npm scripts side by side and reports them one after another: `node scripts/run-parallel.mjs
 * lint typecheck test:unit`. Each script's output is held until it ends and then printed whole
 * under its name with its time, so the logs do not interleave; the exit code is the first failing
 * script's (1 when one was killed by a signal), after all of them have finished, so one failure
 * never hides another.
 *
 * Why not a package: this is all `npm test` needs from npm-run-all2 or concurrently, and the
 * held-back output is what makes a failure readable on CI.
 */
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write('usage: node scripts/run-parallel.mjs <npm script>...\n');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one npm script, collecting stdout and stderr in the order they arrive. */
function run(name) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(npm, ['run', '-s', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
    });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => {
      chunks.push(Buffer.from(`could not start npm run ${name}: ${e.message}\n`));
      resolve({ name, code: 1, seconds: 0, output: Buffer.concat(chunks) });
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ name, code: code ?? (signal ? 1 : 0), signal, seconds, output: Buffer.concat(chunks) });
    });
  });
}

const pending = names.map((n) =>
  run(n).then((r) => {
    const verdict = r.code === 0 ? 'ok' : r.signal ? `killed by ${r.signal}` : `failed (exit ${r.code})`;
    process.stdout.write(`\n── npm run ${r.name}: ${verdict} in ${r.seconds.toFixed(1)} s\n`);
    process.stdout.write(r.output);
    return r;
  }),
);

const results = await Promise.all(pending);
const failed = results.filter((r) => r.code !== 0);
if (failed.length > 0) {
  process.stderr.write(`\n${failed.map((r) => r.name).join(', ')} failed; the output of each is above under its name.\n`);
  process.exit(failed[0].code || 1);
}
