import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE } from '../../../../../shared/key-format';
import { contract } from '../../../../../shared/ipc';
import {
  detectedNote,
  generateReducer,
  generateStart,
  IMPORT_START,
  importReducer,
  KEY_CHOICE_START,
  keyChoiceReducer,
  keygenRequest,
  keyTypeChoices,
  needsPassphrase,
  passphraseProblem,
  tooLargeForKey,
} from '../../../../../renderer/steps/credentials/key-forms';

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
    expect(passphraseProblem('x'.repeat(MIN_PASSPHRASE), 'y'.repeat(MIN_PASSPHRASE))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The two passphrases differ.',
    });
  });
});

describe('the import form', () => {
  it('takes text and its source, clearing the last error', () => {
    const failed = importReducer({ ...IMPORT_START, busy: true }, { type: 'failed', error: { code: 'KEY_MALFORMED', message: 'no' } });
    expect(failed).toMatchObject({ busy: false, error: { code: 'KEY_MALFORMED' } });
    expect(importReducer(failed, { type: 'take', text: keys.plain, source: 'id_ed25519' })).toMatchObject({
      text: keys.plain,
      source: 'id_ed25519',
      error: null,
    });
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

describe('the generate form', () => {
  const start = generateStart({ defaultType: 'rsa' });
  /** main's own reading of the request: the keys:generate input schema. */
  const parseKeygen = (request: object) => contract['keys:generate'].input.safeParse({ ...request, jobId: 'job-1' });

  it("opens on the platform's key type, RSA at ssh-keygen's default size", () => {
    expect(start).toEqual({ type: 'rsa', bits: 3072, comment: '', passphrase: '', confirm: '', error: null, status: '' });
  });
  it('offers the recommended type first, each type once', () => {
    expect(keyTypeChoices({ defaultType: 'rsa', keyTypes: ['ed25519', 'rsa'] })).toEqual(['rsa', 'ed25519']);
    expect(keyTypeChoices({ defaultType: 'ed25519', keyTypes: ['ed25519'] })).toEqual(['ed25519']);
  });
  it('sends bits only for RSA and leaves empty fields out; main accepts both', () => {
    const rsa = keygenRequest({ ...start, bits: 4096, comment: 'ci agent' }, 'armorcode');
    expect(rsa.ok && rsa.request).toEqual({ type: 'rsa', bits: 4096, comment: 'ci agent', platform: 'armorcode' });
    const ed = keygenRequest({ ...start, type: 'ed25519', bits: 4096 }, 'armorcode');
    expect(ed.ok && ed.request).toEqual({ type: 'ed25519', platform: 'armorcode' });
    for (const r of [rsa, ed]) if (r.ok) expect(parseKeygen(r.request).success).toBe(true);
  });
  it('sends a passphrase typed twice alike, and refuses one that is not', () => {
    const pass = 'x'.repeat(MIN_PASSPHRASE);
    const r = keygenRequest({ ...start, passphrase: pass, confirm: pass }, 'armorcode');
    expect(r.ok && r.request.passphrase).toBe(pass);
    if (r.ok) expect(parseKeygen(r.request).success).toBe(true);
    const bad = keygenRequest({ ...start, passphrase: pass, confirm: `${pass}y` }, 'armorcode');
    expect(!bad.ok && bad.error.message).toMatch(/differ/);
  });
  it('clears the last error and status on a new run, and shows a refusal without clearing what was typed', () => {
    const s = generateReducer(
      { ...start, passphrase: 'p', confirm: 'q', error: { code: 'BAD_INPUT', message: 'old' }, status: 'Cancelled: no key was made.' },
      { type: 'start' },
    );
    expect(s).toMatchObject({ error: null, status: '', passphrase: 'p', confirm: 'q' });
    expect(generateReducer(s, { type: 'refused', error: { code: 'BAD_INPUT', message: 'differ' } })).toMatchObject({
      error: { message: 'differ' },
      passphrase: 'p',
    });
  });
  it('forgets the passphrase when a run ends, whichever way, and says a cancel made nothing', () => {
    const typed = { ...start, passphrase: 'secret passphrase', confirm: 'secret passphrase', comment: 'kept' };
    expect(generateReducer(typed, { type: 'ended', outcome: 'made' })).toMatchObject({ passphrase: '', confirm: '', comment: 'kept', error: null, status: '' });
    expect(generateReducer(typed, { type: 'ended', outcome: 'cancelled' })).toMatchObject({
      passphrase: '',
      confirm: '',
      status: 'Cancelled: no key was made.',
    });
    expect(generateReducer(typed, { type: 'ended', outcome: { error: { code: 'INTERNAL', message: 'ssh-keygen failed' } } })).toMatchObject({
      passphrase: '',
      confirm: '',
      error: { message: 'ssh-keygen failed' },
    });
  });
  it('sets one field at a time', () => {
    expect(generateReducer(start, { type: 'set', field: 'type', value: 'ed25519' })).toEqual({ ...start, type: 'ed25519' });
    expect(generateReducer(start, { type: 'set', field: 'bits', value: 2048 })).toEqual({ ...start, bits: 2048 });
  });
});

describe('which key form shows', () => {
  it('starts on generating, with nothing lost or fresh', () => {
    expect(KEY_CHOICE_START).toEqual({ mode: 'generate', replacing: false, lost: false, fresh: false });
  });
  it('a chosen key ends replacing and the lost notice, and takes the focus', () => {
    const s = keyChoiceReducer({ mode: 'import', replacing: true, lost: true, fresh: false }, { type: 'chosen' });
    expect(s).toEqual({ mode: 'import', replacing: false, lost: false, fresh: true });
  });
  it('switches the way to get a key, asks for a different one, and says when the last one is gone', () => {
    expect(keyChoiceReducer(KEY_CHOICE_START, { type: 'mode', mode: 'import' }).mode).toBe('import');
    expect(keyChoiceReducer(KEY_CHOICE_START, { type: 'replacing', on: true }).replacing).toBe(true);
    expect(keyChoiceReducer(KEY_CHOICE_START, { type: 'lost', gone: true }).lost).toBe(true);
    expect(keyChoiceReducer({ ...KEY_CHOICE_START, lost: true }, { type: 'lost', gone: false }).lost).toBe(false);
  });
});
