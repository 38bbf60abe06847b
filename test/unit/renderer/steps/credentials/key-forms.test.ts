import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE } from '../../../../../shared/key-format';
import { detectedNote, IMPORT_START, importReducer, needsPassphrase, passphraseProblem, tooLargeForKey } from '../../../../../renderer/steps/credentials/key-forms';

// Real keys from node's crypto: the note and the passphrase question follow what the text really is.
const pair = generateKeyPairSync('ed25519');
const keys = {
  plain: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  locked: pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'a long passphrase' }).toString(),
  pub: `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)]).toString('base64')} me@host\n`,
};

describe('passphraseProblem', () => {
  it('accepts no passphrase, and a long enough one typed twice alike', () => {
    expect(passphraseProblem('', '')).toBeNull();
    expect(passphraseProblem('x'.repeat(MIN_PASSPHRASE), 'x'.repeat(MIN_PASSPHRASE))).toBeNull();
  });
  it('refuses a short one before comparing, and two that differ', () => {
    expect(passphraseProblem('x', 'y')?.message).toMatch(/too short/);
    expect(passphraseProblem('x'.repeat(MIN_PASSPHRASE), 'y'.repeat(MIN_PASSPHRASE))).toMatchObject({ code: 'BAD_INPUT', message: 'The two passphrases differ.' });
  });
});

describe('the import form', () => {
  it('takes text and its source, clearing the last error', () => {
    const failed = importReducer({ ...IMPORT_START, busy: true }, { type: 'failed', error: { code: 'KEY_MALFORMED', message: 'no' } });
    expect(failed).toMatchObject({ busy: false, error: { code: 'KEY_MALFORMED' } });
    expect(importReducer(failed, { type: 'take', text: keys.plain, source: 'id_ed25519' })).toMatchObject({ text: keys.plain, source: 'id_ed25519', error: null });
  });

  it('asks for the passphrase once main says it is needed or wrong, and keeps asking', () => {
    let s = importReducer(IMPORT_START, { type: 'submit' });
    expect(s).toMatchObject({ busy: true, error: null });
    s = importReducer(s, { type: 'failed', error: { code: 'PASSPHRASE_WRONG', message: 'wrong' } });
    expect(needsPassphrase(s)).toBe(true);
    s = importReducer(s, { type: 'failed', error: { code: 'KEY_MALFORMED', message: 'bad' } });
    expect(s.askPass).toBe(true);
    expect(importReducer(IMPORT_START, { type: 'failed', error: { code: 'KEY_MALFORMED', message: 'bad' } }).askPass).toBe(false);
  });

  it('keeps nothing of the key once it is imported', () => {
    const filled = { ...IMPORT_START, text: keys.locked, source: 'k', passphrase: 'a long passphrase', busy: true };
    expect(importReducer(filled, { type: 'imported' })).toEqual(IMPORT_START);
  });

  it('says a file is too large to be a key, without taking it', () => {
    expect(tooLargeForKey(10 * 1024 * 1024)).toBe(true);
    expect(tooLargeForKey(400)).toBe(false);
    const s = importReducer({ ...IMPORT_START, text: 'kept' }, { type: 'too-large', name: 'big.bin', size: 10485760 });
    expect(s).toMatchObject({ text: 'kept', error: { code: 'KEY_MALFORMED', message: 'big.bin is too large to be a private key (10485760 bytes).' } });
  });

  it('names what was pasted, and asks for a passphrase only for an encrypted private key', () => {
    expect(detectedNote(IMPORT_START)).toBe('OpenSSH, PKCS#1 and PKCS#8 keys, with or without a passphrase.');
    expect(detectedNote({ text: keys.plain, source: 'id_ed25519' })).toBe('id_ed25519: PKCS#8 (PEM) private key.');
    expect(detectedNote({ text: keys.locked, source: null })).toBe('PKCS#8 (PEM) private key, protected by a passphrase.');
    expect(needsPassphrase({ ...IMPORT_START, text: keys.locked })).toBe(true);
    expect(needsPassphrase({ ...IMPORT_START, text: keys.plain })).toBe(false);
    expect(detectedNote({ text: keys.pub, source: null })).toMatch(/public key/i);
  });
});
