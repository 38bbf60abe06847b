/** The key forms' logic without React: the passphrase rule, the import form's state, and what a pasted key is. */
import { detectKey, MAX_KEY_TEXT, MIN_PASSPHRASE } from '../../../shared/key-format';
import type { ShownError } from './use-credential';

/** Why a new key's passphrase cannot be used (null when it can: empty, or long enough and typed twice alike). */
export function passphraseProblem(passphrase: string, confirm: string): ShownError | null {
  if (passphrase && passphrase.length < MIN_PASSPHRASE) return { code: 'BAD_INPUT', message: `The passphrase is too short: use at least ${MIN_PASSPHRASE} characters, or none.` };
  if (passphrase !== confirm) return { code: 'BAD_INPUT', message: 'The two passphrases differ.', hint: 'Type the same passphrase in both fields.' };
  return null;
}

/** The import form: the pasted or dropped key text, where it came from, its passphrase, and the last answer. */
export interface ImportState {
  text: string;
  /** The file the text came from (null when pasted). */
  source: string | null;
  passphrase: string;
  /** True once main said the key needs a passphrase (or the one given is wrong). */
  askPass: boolean;
  busy: boolean;
  error: ShownError | null;
}

export const IMPORT_START: ImportState = { text: '', source: null, passphrase: '', askPass: false, busy: false, error: null };

export type ImportAction =
  | { type: 'take'; text: string; source: string | null }
  | { type: 'too-large'; name: string; size: number }
  | { type: 'passphrase'; value: string }
  | { type: 'submit' }
  | { type: 'failed'; error: ShownError }
  | { type: 'imported' };

export function importReducer(s: ImportState, a: ImportAction): ImportState {
  switch (a.type) {
    case 'take':
      return { ...s, text: a.text, source: a.source, error: null };
    case 'too-large':
      return { ...s, error: { code: 'KEY_MALFORMED', message: `${a.name} is too large to be a private key (${a.size} bytes).`, hint: 'Choose the private key file itself.' } };
    case 'passphrase':
      return { ...s, passphrase: a.value };
    case 'submit':
      return { ...s, busy: true, error: null };
    case 'failed':
      return { ...s, busy: false, error: a.error, askPass: s.askPass || a.error.code === 'PASSPHRASE_REQUIRED' || a.error.code === 'PASSPHRASE_WRONG' };
    case 'imported':
      // The key is in main's vault now: nothing of it stays in the form.
      return { ...IMPORT_START, askPass: s.askPass };
  }
}

/** A file too large to be a private key, by its size in bytes. */
export function tooLargeForKey(size: number): boolean {
  return size > MAX_KEY_TEXT;
}

/** Whether the form asks for the key's passphrase: main asked for one, or the text is an encrypted private key. */
export function needsPassphrase(s: ImportState): boolean {
  if (s.askPass) return true;
  const detected = s.text.trim() ? detectKey(s.text) : null;
  return detected?.kind === 'private' && detected.encrypted;
}

const FORMAT_WORDS = { openssh: 'OpenSSH', pkcs1: 'PKCS#1 (PEM)', pkcs8: 'PKCS#8 (PEM)' } as const;

/** What the pasted text is, in words, under the box (what is accepted while it is empty). */
export function detectedNote(s: Pick<ImportState, 'text' | 'source'>): string {
  const detected = s.text.trim() ? detectKey(s.text) : null;
  if (!detected) return 'OpenSSH, PKCS#1 and PKCS#8 keys, with or without a passphrase.';
  if (detected.kind === 'private') return `${s.source ? `${s.source}: ` : ''}${FORMAT_WORDS[detected.format]} private key${detected.encrypted ? ', protected by a passphrase' : ''}.`;
  return `${detected.message} ${detected.hint}`;
}
