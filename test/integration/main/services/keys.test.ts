import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { sshKeyFromVault } from '../../../../main/services/credential';
import { generateKeyPair, importKey, keyForSsh2 } from '../../../../main/services/keys';
import { putKey } from '../../../../main/services/secrets';
import { SecretVault } from '../../../../main/services/vault';
import { fingerprintOfBlob, mpint, sshString } from '../../../../main/services/openssh-key';

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('SSH wire encoding', () => {
  it('writes mpints minimal, with a zero byte when the top bit is set (RFC 4251)', () => {
    expect(mpint(Buffer.from([0x00, 0x00, 0x7f]))).toEqual(Buffer.from([0, 0, 0, 1, 0x7f]));
    expect(mpint(Buffer.from([0x80, 0x01]))).toEqual(Buffer.from([0, 0, 0, 3, 0x00, 0x80, 0x01]));
    expect(mpint(Buffer.alloc(0))).toEqual(Buffer.from([0, 0, 0, 0]));
    expect(sshString('ssh-rsa')).toEqual(Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa')]));
  });

  it('prints fingerprints without base64 padding, as ssh-keygen does', () => {
    expect(fingerprintOfBlob(Buffer.from('x'))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('generateKeyPair', () => {
  it('sends a progress message while it works and a final one at 1', async () => {
    const seen: [string, number | undefined][] = [];
    value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1' }, { progress: (m, f) => seen.push([m, f]) }));
    expect(seen[0]).toEqual(['Generating a 2048-bit RSA key…', 0]);
    expect(seen.at(-1)).toEqual(['Generated a 2048-bit RSA key.', 1]);
  });

  it('answers CANCELLED when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await generateKeyPair({ type: 'rsa', bits: 2048 }, { signal: controller.signal });
    expect(r.ok === false && r.error.code).toBe('CANCELLED');
  });

  it('uses the comment only in the public key line (PEM files have none)', async () => {
    const pair = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1', comment: 'agent@acme' }));
    expect(pair.publicKey).toMatch(/^ssh-rsa AAAA\S+ agent@acme$/);
    expect(pair.privateKey).not.toContain('agent@acme');
    expect(pair.privateKey).not.toContain('\r');
  });
});

describe('importKey', () => {
  it('refuses an RSA key whose numbers do not belong together, though it parses', async () => {
    const pair = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1' }));
    const k = forge.pki.privateKeyFromPem(pair.privateKey);
    const other = forge.pki.rsa.generateKeyPair({ bits: 2048 }).privateKey;
    const broken = forge.pki.setRsaPrivateKey(k.n, k.e, k.d, other.p, k.q, k.dP, k.dQ, k.qInv);
    const r = importKey({ text: forge.pki.privateKeyToPem(broken) });
    expect(r.ok === false && r.error).toMatchObject({ code: 'KEY_MALFORMED', message: expect.stringContaining('do not belong together') });
  });

  it('converts a PKCS#1 key to OpenSSH with the given comment and back to the same fingerprint', async () => {
    const pair = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1' }));
    const openssh = value(importKey({ text: pair.privateKey, format: 'openssh', comment: 'converted' }));
    expect(openssh).toMatchObject({ format: 'openssh', sourceFormat: 'pkcs1', converted: true, fingerprint: pair.fingerprint });
    expect(openssh.publicKey.endsWith(' converted')).toBe(true);
    const back = value(importKey({ text: openssh.privateKey, format: 'pkcs1' }));
    expect(back.fingerprint).toBe(pair.fingerprint);
    expect(back.comment).toBe('converted');
  });

  it('refuses a comment that would add a line to authorized_keys', async () => {
    const pair = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1' }));
    const r = importKey({ text: pair.privateKey, comment: 'x\nssh-rsa AAAA attacker' });
    expect(r.ok === false && r.error.code).toBe('BAD_INPUT');
  });

  it.each([
    ['a second public-key line', 'me\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker evil'],
    ['a carriage return', 'me\rhidden'],
    ['a C1 control (NEL)', 'me\u0085ssh-ed25519 AAAA'],
  ])('refuses an OpenSSH key whose own comment holds %s (issue 14 item 11)', (_what, comment) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-keycomment-'));
    const file = path.join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
    const text = readFileSync(file, 'utf8');
    const r = importKey({ text });
    expect(r.ok === false && r.error.code).toBe('BAD_INPUT');
    expect(r.ok === false && r.error.hint).toContain('ssh-keygen -c');
    // A clean comment still imports, and its public key stays one line.
    execFileSync('ssh-keygen', ['-q', '-c', '-C', 'ops@example', '-f', file]);
    const fixed = value(importKey({ text: readFileSync(file, 'utf8') }));
    expect(fixed.publicKey.split('\n')).toHaveLength(1);
    expect(fixed.comment).toBe('ops@example');
  });
});

describe('keyForSsh2', () => {
  it('hands PKCS#8 over as PKCS#1 (ssh2 has no PKCS#8 reader) and other formats as they are', async () => {
    const p8 = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs8', passphrase: 'secret 1' }));
    expect(value(keyForSsh2(p8.privateKey, 'secret 1')).privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n/);
    const ed = value(await generateKeyPair({ type: 'ed25519' }));
    // Same key, only re-wrapped at 70 columns like ssh-keygen (ssh2 writes 64).
    expect(value(keyForSsh2(ed.privateKey)).privateKey.replace(/\n/g, '')).toBe(ed.privateKey.replace(/\n/g, ''));
  });

  it('opens the key with the passphrase up front, so a wrong one is said before any login', async () => {
    const ed = value(await generateKeyPair({ type: 'ed25519', passphrase: 'secret 1' }));
    expect(keyForSsh2(ed.privateKey)).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_REQUIRED' } });
    expect(keyForSsh2(ed.privateKey, 'secret 2')).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    expect(value(keyForSsh2(ed.privateKey, 'secret 1'))).toMatchObject({ type: 'ssh-ed25519', passphrase: 'secret 1' });
  });

  it('takes ECDSA keys an agent may log in with, which importKey does not adopt: PKCS#8 becomes SEC1, still encrypted', () => {
    const pem = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret 1' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(importKey({ text: pem, passphrase: 'secret 1' }).ok).toBe(false);
    const key = value(keyForSsh2(pem, 'secret 1'));
    expect(key).toMatchObject({ type: 'ecdsa-sha2-nistp256', passphrase: 'secret 1' });
    expect(key.privateKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n/);
  });
});

describe('sshKeyFromVault', () => {
  it('opens a vault key with the passphrase its metadata points to, and names a missing or wrong-kind secret', async () => {
    const vault = new SecretVault();
    const pair = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs8', passphrase: 'secret 1' }));
    const summary = putKey(vault, pair, 'armorcode', 'secret 1');
    const key = value(sshKeyFromVault(vault, summary.id));
    expect(key).toMatchObject({ type: 'ssh-rsa', passphrase: 'secret 1' });
    expect(key.privateKey).not.toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(sshKeyFromVault(vault, 'sec_AAAAAAAAAAAAAAAAAAAA')).toMatchObject({ ok: false, error: { code: 'SECRET_UNAVAILABLE' } });
    expect(sshKeyFromVault(vault, vault.put('token', 'ghp_x'))).toMatchObject({ ok: false, error: { code: 'TOKEN_WRONG_KIND' } });
  });
});
