/**
 * `agent-onboard keygen` as a user runs it (a real process), checked with ssh-keygen and openssl:
 * files and modes, the fingerprint it prints, --json, refusing to overwrite (file untouched),
 * --force with backups, and one-line usage errors that write nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return runCliProcess(['keygen', ...args], { env });
}

const mode = (file: string): number => statSync(file).mode & 0o777;

/** A new folder path under the run's folder (not created), so a retried test starts clean. */
const fresh = (name: string): string => path.join(mkdtempSync(path.join(dir, `${name}-`)), name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-keygen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keygen', () => {
  it('writes id_ed25519 (0600) and id_ed25519.pub (0644) and prints the fingerprint ssh-keygen -l prints', async () => {
    const out = fresh('plain');
    const r = await cli(['--type', 'ed25519', '--comment', 'agent@acme', '--out', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const key = path.join(out, 'id_ed25519');
    expect(mode(key)).toBe(0o600);
    expect(mode(`${key}.pub`)).toBe(0o644);
    const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`]);
    expect(r.stdout).toContain(stdout.trim());
    const { stdout: derived } = await run('ssh-keygen', ['-y', '-f', key]);
    expect(derived.trim()).toBe(readFileSync(`${key}.pub`, 'utf8').trim());
  });

  it('--json prints one document with the SHA256 fingerprint, the public key and the paths', async () => {
    const out = fresh('json');
    const r = await cli(['--type', 'rsa', '--bits', '2048', '--format', 'pkcs8', '--out', out, '--name', 'agent', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(out, 'agent.pub')]);
    expect(doc).toMatchObject({
      type: 'rsa',
      bits: 2048,
      format: 'pkcs8',
      encrypted: false,
      fingerprint: stdout.split(/\s+/)[1],
      privateKeyPath: path.join(out, 'agent'),
      publicKeyPath: path.join(out, 'agent.pub'),
    });
    expect(doc.publicKey).toBe(readFileSync(path.join(out, 'agent.pub'), 'utf8').trim());
    expect(readFileSync(path.join(out, 'agent'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('encrypts with the passphrase from --passphrase-env (never from the command line)', async () => {
    const out = fresh('enc');
    const r = await cli(['--type', 'rsa', '--bits', '2048', '--format', 'pkcs1', '--passphrase-env', 'AO_KEYPASS', '--out', out, '--json'], {
      AO_KEYPASS: 'pass phrase $(1)',
    });
    expect(r.code).toBe(0);
    const key = path.join(out, 'id_rsa');
    expect(readFileSync(key, 'utf8')).toContain('Proc-Type: 4,ENCRYPTED');
    const { stdout } = await run('openssl', ['rsa', '-check', '-noout', '-in', key, '-passin', 'pass:pass phrase $(1)']);
    expect(stdout.trim()).toBe('RSA key ok');
    await expect(run('ssh-keygen', ['-y', '-P', 'wrong', '-f', key])).rejects.toThrow();
  });

  it('--platform armorcode writes private-key.pem (PKCS#1) and public-key.pem', async () => {
    const out = fresh('armorcode');
    const r = await cli(['--type', 'rsa', '--bits', '2048', '--platform', 'armorcode', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['private-key.pem', 'public-key.pem']);
    expect(readFileSync(path.join(out, 'private-key.pem'), 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(readFileSync(path.join(out, 'public-key.pem'), 'utf8')).toMatch(/^ssh-rsa AAAA\S+ \S+\n$/);
  });

  it('refuses to overwrite an existing key: exit 2, one line, the files byte-identical', async () => {
    const out = fresh('exists');
    expect((await cli(['--type', 'ed25519', '--out', out])).code).toBe(0);
    const key = path.join(out, 'id_ed25519');
    const before = [readFileSync(key), readFileSync(`${key}.pub`), statSync(key).mtimeMs];
    const r = await cli(['--type', 'ed25519', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('already exists');
    expect([readFileSync(key), readFileSync(`${key}.pub`), statSync(key).mtimeMs]).toEqual(before);
    expect(readdirSync(out).sort()).toEqual(['id_ed25519', 'id_ed25519.pub']);
  });

  it('refuses when only the .pub is there, and writes nothing', async () => {
    const out = fresh('pub-only');
    await cli(['--type', 'ed25519', '--out', out]);
    rmSync(path.join(out, 'id_ed25519'));
    const r = await cli(['--type', 'ed25519', '--out', out]);
    expect(r.code).toBe(2);
    expect(existsSync(path.join(out, 'id_ed25519'))).toBe(false);
  });

  it('--force replaces the pair and keeps the old files as backups', async () => {
    const out = fresh('force');
    await cli(['--type', 'ed25519', '--out', out]);
    const old = readFileSync(path.join(out, 'id_ed25519'), 'utf8');
    const r = await cli(['--type', 'ed25519', '--out', out, '--force', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { backups: string[] };
    expect(doc.backups).toHaveLength(2);
    expect(readFileSync(doc.backups[0]!, 'utf8')).toBe(old);
    expect(mode(doc.backups[0]!)).toBe(0o600);
    expect(readFileSync(path.join(out, 'id_ed25519'), 'utf8')).not.toBe(old);
  });

  it.each([
    [['--out', 'x'], '--type ed25519|rsa is required'],
    [['--type', 'ed25519'], '--out DIR is required'],
    [['--type', 'dsa', '--out', 'x'], "--type must be ed25519, rsa (not 'dsa')"],
    [['--type', 'ed25519', '--bits', '2048', '--out', 'x'], '--bits is for RSA keys'],
    [['--type', 'rsa', '--bits', '1024', '--out', 'x'], '--bits must be 2048, 3072, 4096'],
    [['--type', 'ed25519', '--format', 'pkcs1', '--out', 'x'], 'OpenSSH format only'],
    [['--type', 'ed25519', '--passphrase-env', 'AO_UNSET_VAR_X', '--out', 'x'], 'AO_UNSET_VAR_X is not set'],
    [['--type', 'ed25519', '--passphrase-env', 'hunter2 secret', '--out', 'x'], 'NAME of an environment variable'],
    [['--type', 'ed25519', '--passphrase-env', 'AO_EMPTY', '--out', 'x'], 'AO_EMPTY is not set or empty'],
    [['--type', 'ed25519', '--name', '../evil', '--out', 'x'], 'plain file name'],
    [['--type', 'ed25519', '--comment', 'a\nb', '--out', 'x'], 'one line'],
    [['--type', 'ed25519', '--passphrase', 'x', '--out', 'x'], 'secrets never go on the command line'],
  ])('%j exits 2 with one line and writes nothing', async (args, words) => {
    const cwdOut = fresh('usage');
    const r = await cli(
      args.map((a) => (a === 'x' ? cwdOut : a)),
      { AO_SHORT: 'abc', AO_EMPTY: '' },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(words);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(cwdOut)).toBe(false);
  });

  it('refuses a passphrase shorter than 5 characters, like ssh-keygen', async () => {
    const out = fresh('short');
    const r = await cli(['--type', 'ed25519', '--passphrase-env', 'AO_SHORT', '--out', out], { AO_SHORT: 'abc' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at least 5 characters');
    expect(existsSync(out)).toBe(false);
  });

  it('writes into a folder where a file of another name already is', async () => {
    const out = fresh('busy');
    await cli(['--type', 'ed25519', '--out', out]);
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    expect((await cli(['--type', 'rsa', '--bits', '2048', '--out', out])).code).toBe(0);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
