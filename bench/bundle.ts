// Bundle export at fleet scale: 1,000 agents' bundles, time and peak memory, against `zip -r` of
// the same files in the same run. Prints ratios (ours / zip), never asserts times.
//   npx tsx bench/bundle.ts            (BENCH_AGENTS=200 for a quicker run)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectFolder, createBundle, writeBundle } from '../main/services/bundle';
import { runFleet } from '../main/services/fleet';
import type { Draft } from '../shared/ipc';
import { getPlatform } from '../shared/platforms';

const N = Number(process.env.BENCH_AGENTS ?? 1000);
const ENCRYPTED_SAMPLE = Math.min(N, Number(process.env.BENCH_ENCRYPTED ?? 20));
const platform = getPlatform('bamboo-remote')!;
const credential = { kind: 'token' as const, token: '0123456789abcdef0123456789abcdef01234567' };
const draft: Draft = {
  platform: 'bamboo-remote',
  variant: 'installer',
  step: 'export',
  answers: { serverUrl: 'https://bamboo.example.com', agentOs: 'linux', installerVersion: '9.6.2' },
};

/** Samples RSS every 5 ms while `work` runs; returns its wall time and the peak RSS it reached. */
async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRss: number; baseRss: number; value: T }> {
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { ms, peakRss, baseRss, value };
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
const dirBytes = (dir: string): number => readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

/** Writes each agent's generated files into root/agent-NNNN (setup, not timed). */
function makeAgents(root: string): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < N; i++) {
    const answers = platform.answers.parse({ ...draft.answers, agentHome: `/srv/bamboo/agent-${i}` });
    const generated = platform.generate!(answers, credential, 'installer');
    if (!generated.ok) throw new Error(generated.error.message);
    const dir = path.join(root, `agent-${String(i).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (const f of generated.value.files) writeFileSync(path.join(dir, f.path), f.text, { mode: f.mode });
    dirs.push(dir);
  }
  return dirs;
}

async function oursFromFolders(dirs: string[], out: string, passphrase?: string): Promise<void> {
  for (const dir of dirs) {
    const files = await collectFolder(dir);
    if (!files.ok) throw new Error(files.error.message);
    const name = `${path.basename(dir)}.zip`;
    const bundle = await createBundle({
      files: files.value.files,
      platform: 'bamboo-remote',
      variant: 'installer',
      appVersion: 'bench',
      bundleName: name,
      ...(passphrase ? { passphrase } : {}),
    });
    if (!bundle.ok) throw new Error(bundle.error.message);
    const written = await writeBundle(path.join(out, name), bundle.value, false);
    if (!written.ok) throw new Error(written.error.message);
  }
}

/** `zip -r` per agent folder, each under GNU time for its peak RSS (KiB). */
function zipFolders(dirs: string[], out: string): { ms: number; peakRss: number } {
  let peakKiB = 0;
  const start = performance.now();
  for (const dir of dirs) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'zip', '-q', '-r', path.join(out, `${path.basename(dir)}.zip`), '.'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
    peakKiB = Math.max(peakKiB, Number(r.stderr.trim().split('\n').pop()));
  }
  return { ms: performance.now() - start, peakRss: peakKiB * 1024 };
}

async function main(): Promise<void> {
  if (spawnSync('zip', ['-v']).status !== 0) throw new Error('zip is not installed (apt-get install zip)');
  const root = mkdtempSync(path.join(tmpdir(), 'ao-bench-bundle-'));
  try {
    const dirs = makeAgents(path.join(root, 'agents'));
    const outs = { ours: path.join(root, 'ours'), zip: path.join(root, 'zip'), fleet: path.join(root, 'fleet'), enc: path.join(root, 'enc') };
    for (const d of Object.values(outs)) mkdirSync(d);

    // Warm up both paths once (module loading, JIT), outside the timings.
    await oursFromFolders(dirs.slice(0, 3), mkdtempSync(path.join(root, 'warm-')));
    zipFolders(dirs.slice(0, 3), mkdtempSync(path.join(root, 'warm-')));

    const zip = zipFolders(dirs, outs.zip);
    const ours = await measure(() => oursFromFolders(dirs, outs.ours));
    const csv = ['name,agentHome', ...dirs.map((d, i) => `${path.basename(d)},/srv/bamboo/agent-${i}`)].join('\n');
    const fleet = await measure(() => runFleet({ platform, draft, csv, outDir: outs.fleet, credential, appVersion: 'bench' }));
    if (!fleet.value.ok || fleet.value.value.created !== N) throw new Error(`fleet: ${fleet.value.ok ? fleet.value.value.failed : fleet.value.error.message}`);
    const enc = await measure(() => oursFromFolders(dirs.slice(0, ENCRYPTED_SAMPLE), outs.enc, 'bench passphrase'));
    // The same sample as a fleet, plain and encrypted: the fleet shares one scrypt (bundle.ts KeySession).
    const sampleCsv = csv
      .split('\n')
      .slice(0, ENCRYPTED_SAMPLE + 1)
      .join('\n');
    const plainFleet = await measure(() =>
      runFleet({ platform, draft, csv: sampleCsv, outDir: mkdtempSync(path.join(root, 'fp-')), credential, appVersion: 'bench' }),
    );
    const encFleet = await measure(() =>
      runFleet({
        platform,
        draft,
        csv: sampleCsv,
        outDir: mkdtempSync(path.join(root, 'fe-')),
        credential,
        appVersion: 'bench',
        passphrase: 'bench passphrase',
      }),
    );

    for (const sample of [outs.ours, outs.fleet]) {
      const first = path.join(sample, readdirSync(sample)[0]!);
      if (spawnSync('unzip', ['-tq', first]).status !== 0) throw new Error(`unzip -t failed on ${first}`);
    }

    const perAgent = (ms: number, n = N): string => `${(ms / n).toFixed(2)} ms/agent`;
    console.log(`bundle bench: ${N} agents (Bamboo remote installer: 3 files each), Node ${process.version}`);
    console.log(
      `  zip -r (one process per agent)     ${zip.ms.toFixed(0)} ms  ${perAgent(zip.ms)}  peak RSS ${mib(zip.peakRss)} per zip process  output ${mib(dirBytes(outs.zip))}`,
    );
    console.log(
      `  ours: folder → bundle (in process)  ${ours.ms.toFixed(0)} ms  ${perAgent(ours.ms)}  peak RSS ${mib(ours.peakRss)} (+${mib(ours.peakRss - ours.baseRss)} over the start)  output ${mib(dirBytes(outs.ours))}`,
    );
    console.log(
      `  ours: fleet CSV → generate → bundle ${fleet.ms.toFixed(0)} ms  ${perAgent(fleet.ms)}  peak RSS ${mib(fleet.peakRss)} (+${mib(fleet.peakRss - fleet.baseRss)})`,
    );
    console.log(
      `  ours: with a passphrase (${ENCRYPTED_SAMPLE} agents, one scrypt N=2^15 per bundle) ${enc.ms.toFixed(0)} ms  ${perAgent(enc.ms, ENCRYPTED_SAMPLE)}`,
    );
    console.log(
      `  ours: fleet of ${ENCRYPTED_SAMPLE}, plain ${perAgent(plainFleet.ms, ENCRYPTED_SAMPLE)}, encrypted (one scrypt per fleet) ${perAgent(encFleet.ms, ENCRYPTED_SAMPLE)}: ratio ${(encFleet.ms / plainFleet.ms).toFixed(2)}x (goal <= 3x)`,
    );
    console.log(
      `  ratio folder export / zip -r: time ${(ours.ms / zip.ms).toFixed(2)}x, output size ${(dirBytes(outs.ours) / dirBytes(outs.zip)).toFixed(2)}x (ours adds README.md and manifest.json)`,
    );
    console.log(`  ratio fleet export / zip -r:  time ${(fleet.ms / zip.ms).toFixed(2)}x`);
    console.log(`  ratio encrypted / plain export per agent: ${(enc.ms / ENCRYPTED_SAMPLE / (ours.ms / N)).toFixed(1)}x`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
