/** The key forms' logic without React: the passphrase rule, the generate and import forms' state, what a pasted key is, and which form shows. */
import type { ChannelInput } from '../../../shared/ipc';
import { detectKey, MAX_KEY_TEXT, MIN_PASSPHRASE, type KeyType, type RsaBits } from '../../../shared/key-format';
import type { CredentialSpec, PlatformId } from '../../../shared/platforms/types';
import type { ShownError } from './use-credential';

type KeySpec = Extract<CredentialSpec, { kind: 'ssh-keypair' }>;

/** Why a new key's passphrase cannot be used (null when it can: empty, or long enough and typed twice alike). */
export function passphraseProblem(passphrase: string, confirm: string): ShownError | null {
  if (passphrase && passphrase.length < MIN_PASSPHRASE)
    return { code: 'BAD_INPUT', message: `The passphrase is too short: use at least ${MIN_PASSPHRASE} characters, or none.` };
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
      return {
        ...s,
        error: { code: 'KEY_MALFORMED', message: `${a.name} is too large to be a private key (${a.size} bytes).`, hint: 'Choose the private key file itself.' },
      };
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
  if (detected.kind === 'private')
    return `${s.source ? `${s.source}: ` : ''}${FORMAT_WORDS[detected.format]} private key${detected.encrypted ? ', protected by a passphrase' : ''}.`;
  return `${detected.message} ${detected.hint}`;
}

/** The generate form: the key's type, size and comment, an optional passphrase typed twice, and what the last run said. */
export interface GenerateState {
  type: KeyType;
  bits: RsaBits;
  comment: string;
  passphrase: string;
  confirm: string;
  error: ShownError | null;
  /** A line for the status region ('Cancelled: …'). */
  status: string;
}

/** The form as it opens: the platform's recommended key type, RSA at ssh-keygen's default size. */
export function generateStart(spec: Pick<KeySpec, 'defaultType'>): GenerateState {
  return { type: spec.defaultType, bits: 3072, comment: '', passphrase: '', confirm: '', error: null, status: '' };
}

type GenerateField = 'type' | 'bits' | 'comment' | 'passphrase' | 'confirm';

export type GenerateAction =
  | { [K in GenerateField]: { type: 'set'; field: K; value: GenerateState[K] } }[GenerateField]
  | { type: 'start' }
  | { type: 'refused'; error: ShownError }
  /** The run ended: made, cancelled or failed. The passphrase never outlives a run. */
  | { type: 'ended'; outcome: 'made' | 'cancelled' | { error: ShownError } };

export function generateReducer(s: GenerateState, a: GenerateAction): GenerateState {
  switch (a.type) {
    case 'set':
      return { ...s, [a.field]: a.value };
    case 'start':
      return { ...s, error: null, status: '' };
    case 'refused':
      return { ...s, error: a.error };
    case 'ended': {
      const cleared = { ...s, passphrase: '', confirm: '' };
      if (a.outcome === 'made') return cleared;
      if (a.outcome === 'cancelled') return { ...cleared, status: 'Cancelled: no key was made.' };
      return { ...cleared, error: a.outcome.error };
    }
  }
}

/** The key types to offer, the platform's recommended one first. */
export function keyTypeChoices(spec: Pick<KeySpec, 'defaultType' | 'keyTypes'>): KeyType[] {
  return [spec.defaultType, ...spec.keyTypes.filter((t) => t !== spec.defaultType)];
}

export type KeygenRequest = Omit<ChannelInput<'keys:generate'>, 'jobId'>;

/** The keys:generate request for the form, or why its passphrase cannot be used. Bits go only with RSA; empty fields are left out. */
export function keygenRequest(s: GenerateState, platform: PlatformId): { ok: true; request: KeygenRequest } | { ok: false; error: ShownError } {
  const problem = passphraseProblem(s.passphrase, s.confirm);
  if (problem) return { ok: false, error: problem };
  return {
    ok: true,
    request: {
      type: s.type,
      ...(s.type === 'rsa' ? { bits: s.bits } : {}),
      ...(s.passphrase ? { passphrase: s.passphrase } : {}),
      ...(s.comment ? { comment: s.comment } : {}),
      platform,
    },
  };
}

/** What the key part of the step shows: the way chosen to get a key, and what happened to the chosen one. */
export interface KeyChoice {
  mode: 'generate' | 'import';
  /** The user asked for a different key while one is chosen. */
  replacing: boolean;
  /** The draft's key was kept in memory only and is gone (the app restarted). */
  lost: boolean;
  /** A key was just made or imported: its details take the focus. */
  fresh: boolean;
}

export const KEY_CHOICE_START: KeyChoice = { mode: 'generate', replacing: false, lost: false, fresh: false };

export type KeyChoiceAction =
  { type: 'mode'; mode: KeyChoice['mode'] } | { type: 'replacing'; on: boolean } | { type: 'lost'; gone: boolean } | { type: 'chosen' };

export function keyChoiceReducer(s: KeyChoice, a: KeyChoiceAction): KeyChoice {
  switch (a.type) {
    case 'mode':
      return { ...s, mode: a.mode };
    case 'replacing':
      return { ...s, replacing: a.on };
    case 'lost':
      return { ...s, lost: a.gone };
    case 'chosen':
      return { ...s, replacing: false, lost: false, fresh: true };
  }
}
