import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, hostKeyPreference, keyTypeOf, scanPreamble } from '../../../../../main/services/probe/ssh';
import { keyForSsh2 } from '../../../../../main/services/keys';
import { StepFailure, within } from '../../../../../main/services/probe/step';

describe('scanPreamble', () => {
  it('finds the SSH line, also after other text lines (RFC 4253)', () => {
    expect(scanPreamble(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'))).toEqual({ ok: true, banner: 'SSH-2.0-OpenSSH_9.6' });
    expect(scanPreamble(Buffer.from('Welcome\r\nSSH-2.0-dropbear\r\n'))).toEqual({ ok: true, banner: 'SSH-2.0-dropbear' });
    expect(scanPreamble(Buffer.from('SSH-2.0-Open'))).toBe('more');
  });

  it('names what answered instead: HTTP, a TLS alert, binary bytes', () => {
    expect(scanPreamble(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toMatchObject({
      ok: false,
      http: true,
      why: expect.stringContaining('HTTP/1.1 400 Bad Request'),
    });
    expect(scanPreamble(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02]))).toMatchObject({ ok: false, why: expect.stringContaining('TLS alert') });
    expect(scanPreamble(Buffer.from([0x00, 0xff, 0x10, 0x0a]))).toMatchObject({ ok: false });
  });
});

describe('host keys', () => {
  it('computes the SHA256 fingerprint and the type of a key blob as OpenSSH does', () => {
    // The blob of `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
    // whose fingerprint ssh-keygen -l prints as below.
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(fingerprintOf(blob)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
    expect(keyTypeOf(Buffer.from([0, 0]))).toBe('unknown');
  });

  it('asks for the pinned key type first, as OpenSSH orders host key algorithms by known_hosts', () => {
    expect(hostKeyPreference(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyPreference([])[0]).toBe('ssh-ed25519');
    expect(new Set(hostKeyPreference(['ssh-ed25519', 'ssh-rsa'])).size).toBe(hostKeyPreference(['ssh-ed25519', 'ssh-rsa']).length);
  });
});

describe("keyForSsh2 (the probe's key loader)", () => {
  it('refuses a public key where the private key belongs', () => {
    const r = keyForSsh2('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host');
    expect(r.ok === false && r.error.code).toBe('KEY_MALFORMED');
  });

  it('converts an RSA PKCS#8 key for ssh2, and asks for or checks the passphrase of an encrypted one', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const r = keyForSsh2(privateKey);
    expect(r.ok && r.value.privateKey).toContain('BEGIN RSA PRIVATE KEY');
    const enc = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect((keyForSsh2(enc) as { error: { code: string } }).error.code).toBe('PASSPHRASE_REQUIRED');
    expect((keyForSsh2(enc, 'wrong') as { error: { code: string } }).error.code).toBe('PASSPHRASE_WRONG');
    expect(keyForSsh2(enc, 'right').ok).toBe(true);
  });

  it('refuses an Ed25519 key in PKCS#8 form, which OpenSSH cannot read either, and garbage', () => {
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect((keyForSsh2(privateKey) as { error: { code: string } }).error.code).toBe('KEY_UNSUPPORTED');
    expect((keyForSsh2('-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n-----END OPENSSH PRIVATE KEY-----') as { error: { code: string } }).error.code).toBe(
      'KEY_MALFORMED',
    );
  });
});

describe('within', () => {
  it('ends a step at its limit even when the work never settles', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(within('tcp', 30, new AbortController().signal, () => never)).rejects.toMatchObject({ verdict: 'TIMEOUT', step: 'tcp' });
  });

  it('ends at once with CANCELLED or TIMEOUT (deadline) when the run signal aborts', async () => {
    const c = new AbortController();
    const p = within('banner', 60_000, c.signal, () => new Promise<never>(() => undefined));
    c.abort('cancelled');
    await expect(p).rejects.toMatchObject({ verdict: 'CANCELLED' });
    const d = new AbortController();
    d.abort('deadline');
    await expect(within('tls', 60_000, d.signal, async () => 1)).rejects.toBeInstanceOf(StepFailure);
  });
});
