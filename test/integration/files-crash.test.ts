/**
 * A write killed mid-way never leaves a truncated or missing file: a child process rewrites a
 * file through writeFileAtomic in a loop and is killed with SIGKILL at random moments, many times;
 * after every kill the file holds one of the two complete versions, at mode 0600.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const KILLS = Number(process.env.AO_KILLS ?? 40);

describe('atomic writes under SIGKILL', () => {
  it(`survives ${KILLS} kills at random points with a complete file every time`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-kill-'));
    const target = path.join(dir, 'private-key.pem');
    // Large enough that a write takes several syscalls.
    const a = 'A'.repeat(2 * 1024 * 1024);
    const b = 'B'.repeat(3 * 1024 * 1024 + 17);
    writeFileSync(target, a, { mode: 0o600 });
    let killedMidWrite = 0;
    for (let i = 0; i < KILLS; i++) {
      // One process (tsx as a loader, not its CLI, which would fork a grandchild SIGKILL misses).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'test/support/atomic-writer-child.ts'), target, String(a.length), String(b.length)],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
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
