import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planWrites, writeArtifacts, writeFileAtomic } from '../../../../main/services/files';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-files-link-'));

describe('the file service and a target that is a symbolic link', () => {
  it('refuses to write, leaving the link, the file it points to and the folder as they were', async () => {
    const dir = tmp();
    const elsewhere = path.join(tmp(), 'buildkite-agent.cfg');
    writeFileSync(elsewhere, 'token="old"\n', { mode: 0o600 });
    const link = path.join(dir, 'buildkite-agent.cfg');
    symlinkSync(elsewhere, link);
    const r = await writeFileAtomic({ path: link, data: 'token="new"\n', secret: true });
    expect(r.ok === false && r.error.code).toBe('UNSAFE_VALUE');
    expect(r.ok === false && r.error.message).toContain('symbolic link');
    expect(r.ok === false && r.error.message).toContain(elsewhere);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(elsewhere);
    expect(readFileSync(elsewhere, 'utf8')).toBe('token="old"\n');
    // No backup of the linked file's content (a copy of someone else's secret) appears in the folder.
    expect(readdirSync(dir)).toEqual(['buildkite-agent.cfg']);
  });

  it('never changes the mode of the file a link points to (same bytes, new mode)', async () => {
    const dir = tmp();
    const secret = path.join(tmp(), 'id_ed25519');
    writeFileSync(secret, 'KEY\n');
    chmodSync(secret, 0o600);
    symlinkSync(secret, path.join(dir, 'id_ed25519'));
    const r = await writeArtifacts(dir, [{ path: 'id_ed25519', text: 'KEY\n', mode: 0o644, secret: false }]);
    expect(r.ok).toBe(false);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  it('refuses the whole batch when one target is a link (all-or-nothing)', async () => {
    const dir = tmp();
    const target = path.join(tmp(), 'real.conf');
    writeFileSync(target, 'x\n');
    symlinkSync(target, path.join(dir, 'b.conf'));
    const r = await writeArtifacts(dir, [
      { path: 'a.conf', text: 'a\n', mode: 0o644, secret: false },
      { path: 'b.conf', text: 'b\n', mode: 0o644, secret: false },
    ]);
    expect(r.ok).toBe(false);
    expect(readdirSync(dir)).toEqual(['b.conf']);
    expect(readFileSync(target, 'utf8')).toBe('x\n');
  });

  it('still writes through a linked parent folder (only the file itself must not be a link)', async () => {
    const real = tmp();
    const parent = tmp();
    symlinkSync(real, path.join(parent, 'conf'));
    const r = await writeFileAtomic({ path: path.join(parent, 'conf', 'agent.yml'), data: 'a: 1\n' });
    expect(r.ok && r.value.status).toBe('created');
    expect(readFileSync(path.join(real, 'agent.yml'), 'utf8')).toBe('a: 1\n');
  });
});

describe('the file service and links in the folders under the chosen one (issue 14, item 2)', () => {
  it('refuses a folder under the output folder that is a link, and writes nothing elsewhere', async () => {
    const out = tmp();
    const elsewhere = tmp();
    symlinkSync(elsewhere, path.join(out, 'buildkite-agent.service.d'));
    const r = await writeArtifacts(out, [
      { path: 'buildkite-agent.cfg', text: 'name="a"\n', mode: 0o644, secret: false },
      { path: 'buildkite-agent.service.d/proxy.conf', text: '[Service]\n', mode: 0o644, secret: false },
    ]);
    expect(r.ok === false && r.error.code).toBe('UNSAFE_VALUE');
    expect(r.ok === false && r.error.message).toContain('buildkite-agent.service.d is a symbolic link');
    expect(readdirSync(elsewhere)).toEqual([]);
    // All or nothing: the file beside it was not written either.
    expect(readdirSync(out)).toEqual(['buildkite-agent.service.d']);
  });

  it('refuses a link deeper down too, and one that leads back inside the output folder', async () => {
    const out = tmp();
    mkdirSync(path.join(out, 'a'));
    mkdirSync(path.join(out, 'real'));
    symlinkSync(path.join(out, 'real'), path.join(out, 'a', 'b'));
    const r = await writeArtifacts(out, [{ path: 'a/b/c/x.conf', text: 'x\n', mode: 0o644, secret: false }]);
    expect(r.ok === false && r.error.code).toBe('UNSAFE_VALUE');
    expect(readdirSync(path.join(out, 'real'))).toEqual([]);
  });

  it('creates folders 0700 (secret) or 0755 whatever the umask, never 0777', async () => {
    const out = path.join(tmp(), 'new-out');
    const before = process.umask(0);
    try {
      const r = await writeArtifacts(out, [
        { path: 'conf/agent.yml', text: 'a: 1\n', mode: 0o644, secret: false },
        { path: 'keys/deep/id_ed25519', text: 'KEY\n', mode: 0o600, secret: true },
      ]);
      expect(r.ok).toBe(true);
    } finally {
      process.umask(before);
    }
    expect(statSync(out).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(out, 'conf')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(out, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'keys', 'deep')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'keys', 'deep', 'id_ed25519')).mode & 0o777).toBe(0o600);
  });

  it('previews a linked target as new, never showing what the link points to', async () => {
    const out = tmp();
    const key = path.join(tmp(), 'id_rsa');
    writeFileSync(key, 'PRIVATE KEY MATERIAL\n', { mode: 0o600 });
    symlinkSync(key, path.join(out, 'start.sh'));
    const plan = await planWrites(out, [{ path: 'start.sh', text: '#!/bin/sh\n', mode: 0o755, secret: false }]);
    expect(plan[0]!.diff).not.toContain('PRIVATE KEY MATERIAL');
  });
});
