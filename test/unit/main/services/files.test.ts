import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planWrites, readSnapshot, sha256, writeArtifacts, writeFileAtomic, writeFilesAtomic } from '../../../../main/services/files';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-files-'));
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('writeFileAtomic', () => {
  it('creates files with 0600 for secrets and 0644 otherwise, and the parent folders', async () => {
    const dir = tmp();
    const key = path.join(dir, 'a', 'b', 'private-key.pem');
    const pub = path.join(dir, 'a', 'b', 'public-key.pem');
    expect((await writeFileAtomic({ path: key, data: 'KEY', secret: true })).ok).toBe(true);
    expect((await writeFileAtomic({ path: pub, data: 'PUB' })).ok).toBe(true);
    expect([mode(key), mode(pub)]).toEqual([0o600, 0o644]);
  });

  it('refuses a secret with a mode readable by others', async () => {
    const r = await writeFileAtomic({ path: path.join(tmp(), 'k'), data: 'x', secret: true, mode: 0o644 });
    expect(r.ok === false && r.error.code).toBe('UNSAFE_VALUE');
  });

  it('backs up the previous file before replacing it', async () => {
    const file = path.join(tmp(), 'supervisord.conf');
    writeFileSync(file, 'old\n', { mode: 0o640 });
    const r = await writeFileAtomic({ path: file, data: 'new\n' });
    expect(r.ok && r.value.status).toBe('updated');
    const backup = r.ok ? r.value.backupPath! : '';
    expect(readFileSync(backup, 'utf8')).toBe('old\n');
    expect(mode(backup)).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
  });

  it('keeps backups of secrets at 0600', async () => {
    const file = path.join(tmp(), 'token.env');
    writeFileSync(file, 'OLD', { mode: 0o644 });
    const r = await writeFileAtomic({ path: file, data: 'NEW', secret: true });
    expect(r.ok && mode(r.value.backupPath!)).toBe(0o600);
  });

  it('writes nothing the second time the same bytes are written', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a.cfg');
    await writeFileAtomic({ path: file, data: 'same' });
    const before = statSync(file).mtimeMs;
    const r = await writeFileAtomic({ path: file, data: 'same' });
    expect(r.ok && r.value.status).toBe('unchanged');
    expect(readdirSync(dir)).toEqual(['a.cfg']);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('fixes only the mode when the bytes are the same but the mode is loose', async () => {
    const file = path.join(tmp(), 'k');
    writeFileSync(file, 'KEY', { mode: 0o644 });
    const r = await writeFileAtomic({ path: file, data: 'KEY', secret: true });
    expect(r.ok && r.value.status).toBe('updated');
    expect(mode(file)).toBe(0o600);
  });

  it('refuses with FILE_CHANGED when the file changed since it was read, and leaves it alone', async () => {
    const file = path.join(tmp(), 'wrapper.conf');
    writeFileSync(file, 'v1');
    const seen = await readSnapshot(file);
    writeFileSync(file, 'v1 edited by someone else');
    const r = await writeFileAtomic({ path: file, data: 'v2', expectedSha256: seen.sha256 });
    expect(r.ok === false && r.error.code).toBe('FILE_CHANGED');
    expect(readFileSync(file, 'utf8')).toBe('v1 edited by someone else');
  });

  it('refuses with FILE_CHANGED when a file appeared that was expected not to exist', async () => {
    const file = path.join(tmp(), 'new.yml');
    writeFileSync(file, 'surprise');
    const r = await writeFileAtomic({ path: file, data: 'x', expectedSha256: null });
    expect(r.ok === false && r.error.code).toBe('FILE_CHANGED');
  });

  it('answers IO_ERROR with advice for a folder it cannot write to', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; use a path under a file instead, which no user can create.
      const dir = tmp();
      writeFileSync(path.join(dir, 'file'), 'x');
      const r = await writeFileAtomic({ path: path.join(dir, 'file', 'child'), data: 'x' });
      expect(r.ok === false && r.error.code).toBe('IO_ERROR');
      return;
    }
    const dir = tmp();
    chmodSync(dir, 0o500);
    const r = await writeFileAtomic({ path: path.join(dir, 'x'), data: 'x' });
    expect(r.ok === false && r.error.code).toBe('IO_ERROR');
  });
});

describe('writeFilesAtomic', () => {
  it('writes nothing when one file of the batch changed since it was read', async () => {
    const dir = tmp();
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    writeFileSync(a, 'A1');
    writeFileSync(b, 'B1');
    const r = await writeFilesAtomic([
      { path: a, data: 'A2', expectedSha256: sha256('A1') },
      { path: b, data: 'B2', expectedSha256: sha256('something else') },
    ]);
    expect(r.ok === false && r.error.code).toBe('FILE_CHANGED');
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['A1', 'B1']);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('writes nothing when one target cannot be read', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'is-a-dir'));
    const r = await writeFilesAtomic([
      { path: path.join(dir, 'ok'), data: 'x' },
      { path: path.join(dir, 'is-a-dir'), data: 'y' },
    ]);
    expect(r.ok === false && r.error.code).toBe('IO_ERROR');
    expect(existsSync(path.join(dir, 'ok'))).toBe(false);
  });

  it('refuses the same path twice in one batch', async () => {
    const f = path.join(tmp(), 'x');
    const r = await writeFilesAtomic([
      { path: f, data: '1' },
      { path: f, data: '2' },
    ]);
    expect(r.ok === false && r.error.code).toBe('BAD_INPUT');
  });
});

describe('planWrites and writeArtifacts', () => {
  const artifacts = [
    { path: 'supervisord.conf', text: '[supervisord]\nnodaemon=true\n', mode: 0o644, secret: false },
    { path: 'keys/private-key.pem', text: '-----BEGIN RSA PRIVATE KEY-----\nSECRET\n-----END RSA PRIVATE KEY-----\n', mode: 0o600, secret: true },
  ];

  it('plans creates, then sames after writing, and redacts secret diffs', async () => {
    const dir = tmp();
    const plan = await planWrites(dir, artifacts);
    expect(plan.map((p) => p.status)).toEqual(['create', 'create']);
    expect(plan[0]!.diff).toContain('+nodaemon=true');
    expect(plan[1]!.diff).not.toContain('SECRET');
    const written = await writeArtifacts(dir, artifacts, Object.fromEntries(plan.map((p) => [p.path, p.currentSha256])));
    expect(written.ok).toBe(true);
    expect((await planWrites(dir, artifacts)).map((p) => p.status)).toEqual(['same', 'same']);
    const again = await writeArtifacts(dir, artifacts);
    expect(again.ok && again.value.map((o) => o.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('shows an update as a diff against the file on disk', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'supervisord.conf'), '[supervisord]\nnodaemon=false\n');
    const [conf] = await planWrites(dir, artifacts.slice(0, 1));
    expect(conf!.status).toBe('update');
    expect(conf!.diff).toContain('-nodaemon=false');
    expect(conf!.diff).toContain('+nodaemon=true');
  });

  it.each(['../escape', '/etc/passwd', 'a/../../b', 'a//b', 'a\\b'])('refuses the artifact path %j', async (bad) => {
    const r = await writeArtifacts(tmp(), [{ path: bad, text: 'x', mode: 0o644, secret: false }]);
    expect(r.ok === false && r.error.code).toBe('UNSAFE_VALUE');
  });
});
