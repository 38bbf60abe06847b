/**
 * A write killed mid-way never leaves a truncated or missing file: a child process rewrites a
 * file through writeFileAtomic in a loop and is killed with SIGKILL at random moments, many times;
 * after every kill the file holds one of the two complete versions, at mode 0600.
 *
 * The writer (test/support/atomic-writer-child.ts with main/services/files) is bundled once with
 * esbuild into one plain .mjs, so each of the many children is a bare `node` start: a tsx loader
 * per child compiled the same TypeScript again every time, and 40 of them timed out on a loaded
 * machine.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const KILLS = Number(process.env.AO_KILLS ?? 40);

describe('atomic writes under SIGKILL', () => {
  it(`survives ${KILLS} kills at random points with a complete file every time`, async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'ao-kill-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const dir = path.join(work, 'files');
    mkdirSync(dir);
    const target = path.join(dir, 'private-key.pem');
    // Large enough that a write takes several syscalls.
    const a = 'A'.repeat(2 * 1024 * 1024);
    const b = 'B'.repeat(3 * 1024 * 1024 + 17);
    writeFileSync(target, a, { mode: 0o600 });
    const writer = path.join(work, 'atomic-writer.mjs');
    await build({
      entryPoints: [path.join(root, 'test/support/atomic-writer-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: writer,
      // Bundled CommonJS dependencies require() node built-ins: give the ES module a require.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    let killedMidWrite = 0;
    for (let i = 0; i < KILLS; i++) {
      // One plain node process running the bundle: SIGKILL ends the writer itself, no loader or grandchild.
      const child = spawn(process.execPath, [writer, target, String(a.length), String(b.length)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      await Promise.race([new Promise((r) => child.stdout.once('data', r)), exited]);
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      child.kill('SIGKILL');
      const code = await exited;
      expect(code, `kill ${i}: the writer failed on its own: ${stderr}`).toBeNull();
      const text = readFileSync(target, 'utf8');
      expect(text === a || text === b, `kill ${i}: file has ${text.length} bytes, neither complete version`).toBe(true);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      if (readdirSync(dir).some((n) => n.includes('.tmp-ao-'))) killedMidWrite++;
    }
    // The kills did land during writes (temp files left behind prove it), and a later write
    // through the service cleans them up once they are old enough not to be another writer's.
    expect(killedMidWrite).toBeGreaterThan(0);
    const old = new Date(Date.now() - 60 * 60 * 1000);
    for (const n of readdirSync(dir).filter((x) => x.includes('.tmp-ao-'))) utimesSync(path.join(dir, n), old, old);
    const { writeFileAtomic } = await import('../../main/services/files');
    expect((await writeFileAtomic({ path: target, data: 'final', secret: true })).ok).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-ao-'))).toEqual([]);
  }, 240_000);
});
