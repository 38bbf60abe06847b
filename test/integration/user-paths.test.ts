/**
 * Every place a user-given path is read takes regular files only, with a size limit (issue 14,
 * item 6): `/dev/zero` once took the server past 9.8 GB and a FIFO blocked the thread pool.
 * Real devices and a real FIFO (mkfifo), in the services and in the CLI run as a process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundleFile } from '../../main/services/bundle';
import { planRotation } from '../../main/services/rotate';
import { readRegularFile } from '../../main/services/user-file';
import { REPO_ROOT, runCliProcess } from '../support/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'ao-userpaths-'));
const fifo = path.join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const NEW = 'bmV3LWRlbGVnYXRlLXRva2VuLWFiY2RlZmdoaWo=';

describe('reading a path the user gave', () => {
  it.each([
    ['/dev/zero', 'a device'],
    [fifo, 'a FIFO'],
    ['/tmp', 'a folder'],
  ])('refuses %s (%s) before reading a byte', async (file, kind) => {
    await expect(readRegularFile(file)).rejects.toThrow(kind);
  });

  it('refuses a file over the limit', async () => {
    const big = path.join(dir, 'big.log');
    writeFileSync(big, 'x'.repeat(2048));
    await expect(readRegularFile(big, { maxBytes: 1024 })).rejects.toThrow('over the limit of 1024 bytes');
    expect((await readRegularFile(big, { maxBytes: 4096 })).length).toBe(2048);
  });

  it('rotate:scan of /dev/zero and of a FIFO answers with findings, promptly', async () => {
    const r = await planRotation({ platform: 'harness', paths: ['/dev/zero', fifo], token: NEW }, 'plan_userpaths_01');
    expect(r.ok).toBe(true);
    const findings = r.ok ? r.value.plan.files : [];
    expect(findings.map((f) => [f.path, f.status])).toEqual([
      ['/dev/zero', 'unreadable'],
      [fifo, 'unreadable'],
    ]);
    expect(findings[0]!.error?.message).toContain('a device, not a regular file');
    expect(findings[1]!.error?.message).toContain('a FIFO');
  });

  it('a bundle file that is a device or a FIFO is refused', async () => {
    expect(await readBundleFile('/dev/zero')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await readBundleFile(fifo)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});

describe('the CLI and user paths', () => {
  it.each([
    [['diagnose', '/dev/zero'], 'a device'],
    [['diagnose', fifo], 'a FIFO'],
    [['generate', 'harness', '--variant', 'docker', '--answers', '/dev/zero', '--token-env', 'T', '--out', dir], 'a device'],
    [['scp-check', '--policy', fifo, '--principal', 'arn:aws:iam::123456789012:role/x', '--http-tokens', 'required', '--hop-limit', '1'], 'a FIFO'],
    [['bundle', 'verify', '/dev/zero'], 'a device'],
  ])('%j exits 2 with a one-line reason', async (args, kind) => {
    const r = await runCliProcess(args, { env: { T: NEW }, timeoutMs: 60_000 });
    expect(r.stderr).toContain(kind);
    expect(r.code).toBe(2);
  });

  it('stops quietly when its reader goes away (piped into head): no EPIPE crash', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'main/cli.ts'), 'generate', '--help'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
