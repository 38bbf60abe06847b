import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptFile, encryptFile, keySession } from '../../../../main/services/bundle';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const PASS = 'correct horse battery';

describe('bundle encryption keys: one scrypt per export, a key per file', () => {
  it('shares the scrypt salt within a session while every file gets its own salt and nonce', async () => {
    const session = keySession(PASS);
    const a = Buffer.from(await encryptFile(enc('token-a'), 'a.cfg', PASS, session));
    const b = Buffer.from(await encryptFile(enc('token-b'), 'b.cfg', PASS, session));
    expect(a.subarray(0, 6).toString('latin1')).toBe('AOENC2');
    expect(a.subarray(12, 28)).toEqual(b.subarray(12, 28));
    expect(a.subarray(28, 44)).not.toEqual(b.subarray(28, 44));
    expect(a.subarray(44, 56)).not.toEqual(b.subarray(44, 56));
    const opened = await decryptFile(a, 'a.cfg', PASS);
    expect(opened.ok && dec(opened.value)).toBe('token-a');
  });

  it('refuses a blob moved to another path, a changed file salt and a wrong passphrase', async () => {
    const blob = Buffer.from(await encryptFile(enc('secret'), 'a.cfg', PASS));
    expect((await decryptFile(blob, 'b.cfg', PASS)).ok).toBe(false);
    const tampered = Buffer.from(blob);
    tampered[30] = tampered[30]! ^ 1;
    expect((await decryptFile(tampered, 'a.cfg', PASS)).ok).toBe(false);
    const wrong = await decryptFile(blob, 'a.cfg', 'not the passphrase');
    expect(!wrong.ok && wrong.error.code).toBe('PASSPHRASE_WRONG');
  });

  it('still opens files of the first format (a scrypt per file), so older bundles import', async () => {
    const salt = randomBytes(16);
    const nonce = randomBytes(12);
    const header = Buffer.concat([Buffer.from('AOENC1\0\0', 'latin1'), Buffer.from([15, 8, 1, 0]), salt, nonce]);
    const key = scryptSync(PASS.normalize('NFC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.concat([header, Buffer.from('old.pem', 'utf8')]));
    const blob = Buffer.concat([header, cipher.update('old secret'), cipher.final(), cipher.getAuthTag()]);
    const opened = await decryptFile(blob, 'old.pem', PASS);
    expect(opened.ok && dec(opened.value)).toBe('old secret');
  });
});
