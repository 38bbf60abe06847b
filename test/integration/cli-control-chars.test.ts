/**
 * Fields from a file reach the terminal with their control characters made visible (issue 14,
 * item 8): a bundle whose manifest carries ESC, CR and OSC sequences once hid the MISMATCH lines
 * of `bundle verify`. The CLI runs as a real process; its raw stdout bytes are checked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundle } from '../../main/services/bundle';
import { terminalSafe, visible } from '../../shared/visible';
import { runCliProcess } from '../support/cli';

const HOSTILE = '1.0\u001b[2J\u001b[H\r\u001b]0;owned\u0007\u009b1A\u202e';

describe('control characters from files on the terminal', () => {
  it('bundle verify prints a hostile manifest with every control character visible', async () => {
    const made = await createBundle({
      files: [{ path: 'agent.cfg', data: new TextEncoder().encode('name=a\n'), mode: 0o644, secret: false }],
      platform: null,
      variant: 'docker\r\u001b[1A',
      appVersion: HOSTILE,
      bundleName: 'x.zip',
    });
    if (!made.ok) throw new Error(made.error.message);
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-ctl-'));
    const file = path.join(dir, 'x.zip');
    writeFileSync(file, made.value.zip);
    const r = await runCliProcess(['bundle', 'verify', file]);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the test looks for exactly these
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout).toContain('\\u001b[2J');
    expect(r.stdout).toMatch(/All \d+ files match the manifest\./);
    const json = await runCliProcess(['bundle', 'verify', '--json', file]);
    expect(json.stdout).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect((JSON.parse(json.stdout) as { appVersion: string }).appVersion).toBe(HOSTILE);
  });
});

describe('visible / terminalSafe', () => {
  it('shows every control character of a field, line breaks included', () => {
    expect(visible('a\nb\rc\u001b\u0085\u202ed')).toBe('a\\u000ab\\u000dc\\u001b\\u0085\\u202ed');
  });
  it("keeps the output's own newlines and tabs", () => {
    expect(terminalSafe('ok\tyes\nnext\u001b[31m')).toBe('ok\tyes\nnext\\u001b[31m');
  });
});
