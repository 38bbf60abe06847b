/**
 * The writer under a real race (issue 14, item 2): another process swaps the target with a link
 * to someone else's 0600 file, with renameat2(RENAME_EXCHANGE) in a loop, while the app writes.
 * The backup must only ever hold what the writer read from the file it opened: before the fix it
 * was copied (and chmodded) by name, so a swap at the wrong moment backed up the other file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../main/services/files';

const SWAPPER = path.resolve(import.meta.dirname, '..', 'support', 'rename-exchange.py');

describe('the writer while the target is swapped for a link in a loop', () => {
  it('never backs up the file the link points to, nor changes its mode', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-race-'));
    const other = path.join(mkdtempSync(path.join(tmpdir(), 'ao-race-other-')), 'id_ed25519');
    writeFileSync(other, 'OTHER-USERS-SECRET\n', { mode: 0o600 });
    const target = path.join(dir, 'agent.cfg');
    const link = path.join(dir, 'swap');
    symlinkSync(other, link);
    writeFileSync(target, 'ORIGINAL\n', { mode: 0o644 });
    const swapper = spawn('python3', [SWAPPER, target, link, other], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        swapper.stdout.once('data', () => resolve());
        swapper.once('exit', (code) => reject(new Error(`swapper exited ${code}`)));
      });
      const data = (i: number): string => `WRITE-${i}\n`;
      let written = 0;
      for (let i = 0; i < 1000; i++) {
        const r = await writeFileAtomic({ path: target, data: data(i), mode: 0o644 });
        if (r.ok) written++;
        else expect(['UNSAFE_VALUE', 'FILE_CHANGED', 'IO_ERROR']).toContain(r.error.code);
      }
      expect(written).toBeGreaterThan(0);
    } finally {
      swapper.kill('SIGKILL');
    }
    const backups = readdirSync(dir).filter((n) => n.includes('.bak-'));
    const leaked = backups.filter((n) => readFileSync(path.join(dir, n), 'utf8').includes('OTHER-USERS-SECRET'));
    expect(leaked).toEqual([]);
    expect(statSync(other).mode & 0o777).toBe(0o600);
    expect(readFileSync(other, 'utf8')).toBe('OTHER-USERS-SECRET\n');
    for (const n of readdirSync(dir)) if (n.startsWith('.')) unlinkSync(path.join(dir, n));
  }, 120_000);
});
