// Runs Electronegativity over main/ (Electron entry and preload) offline, with our pinned Electron
// version, and fails on any finding not in the reviewed allowlist (each entry states its reason).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// fileURLToPath, not URL.pathname: the pathname keeps %20 for a space in the checkout's path.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scanned = 'main';
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const allow = JSON.parse(readFileSync(path.join(root, 'scripts/electronegativity-allowlist.json'), 'utf8'));
// SARIF, not CSV: Electronegativity writes its CSV header and rows with two racing writeFile calls,
// so the CSV report is now and then garbled (a row cut in half); its SARIF is one write.
const out = path.join(mkdtempSync(path.join(tmpdir(), 'electronegativity-')), 'report.sarif');
const bin = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');

const run = spawnSync(process.execPath, [bin, '-i', path.join(root, scanned), '-e', electronVersion, '-o', out, '-r', '-v', 'false'], { encoding: 'utf8' });
if (run.status !== 0) {
  console.error(run.stdout, run.stderr);
  console.error('electronegativity: the scan itself failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(out, 'utf8'));
const findings = report.runs.flatMap((run) =>
  run.results.map((r) => {
    const where = r.locations?.[0]?.physicalLocation;
    // With -r the tool names files relative to the scanned folder; the allowlist names them from
    // the repo root, so an entry for main/index.ts cannot excuse a finding in main/ipc/index.ts.
    const uri = where?.artifactLocation?.uri;
    return {
      check: r.ruleId,
      severity: r.level,
      file: uri ? path.posix.join(scanned, uri) : 'N/A',
      location: `${where?.region?.startLine ?? 0}:${where?.region?.startColumn ?? 0}`,
    };
  }),
);
const unexplained = findings.filter((f) => !allow.some((a) => a.check === f.check && a.file === f.file));
for (const f of findings) {
  const ok = !unexplained.includes(f);
  console.log(`${ok ? 'allowed ' : 'FINDING '} ${f.check} ${f.severity} ${f.file}:${f.location}`);
}
if (unexplained.length) {
  console.error(`electronegativity: ${unexplained.length} finding(s) to fix or to review into scripts/electronegativity-allowlist.json`);
  process.exit(1);
}
console.log(`electronegativity: ${findings.length} finding(s), all reviewed in the allowlist; Electron ${electronVersion}`);
