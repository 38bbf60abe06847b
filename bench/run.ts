// Runs the benchmarks: every bench/*.ts except this file and timing.ts, one after the other (each in its own
// process, so one's memory does not colour the next), or only those named:
//   npm run bench            npm run bench -- bundle
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const tsx = path.join(here, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'timing.ts' && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. There are: ${all.join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n== bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--expose-gc', tsx, path.join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${name}.ts exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
