/**
 * The token step's logic without React: the paste form's state (what is typed, the last check, the
 * replace/lost flags), the masked token's Reveal/Copy state and notes, and the countdown notice of
 * a short-lived token. TokenCredential.tsx and TokenExpiry.tsx only draw what these return.
 */
import type { TokenCheck, TokenSummary } from '../../../shared/credentials-contract';
import type { TokenLifetime } from '../../../shared/platforms/types';
import { timeLeft, tokenExpiresAt } from '../../../shared/token-lifetime';
import type { ShownError } from './use-credential';

/** The paste form: the text in the box, main's last verdict, an error, and which view shows. */
export interface TokenFormState {
  text: string;
  check: TokenCheck | null;
  error: ShownError | null;
  busy: boolean;
  /** The user asked for a different token while one is chosen: the form shows again. */
  replacing: boolean;
  /** The chosen token from the last session is gone (it was kept in memory only). */
  lost: boolean;
}

export const TOKEN_FORM_START: TokenFormState = { text: '', check: null, error: null, busy: false, replacing: false, lost: false };

export type TokenFormAction =
  | { type: 'type'; text: string }
  | { type: 'submit' }
  | { type: 'failed'; error: ShownError }
  | { type: 'checked'; check: TokenCheck }
  | { type: 'replace' }
  | { type: 'keep' }
  | { type: 'lost'; gone: boolean };

export function tokenFormReducer(s: TokenFormState, a: TokenFormAction): TokenFormState {
  switch (a.type) {
    case 'type':
      return { ...s, text: a.text };
    case 'submit':
      return { ...s, busy: true, error: null };
    case 'failed':
      // The pasted text went to main: it does not stay in the box, whatever the answer.
      return { ...s, busy: false, text: '', error: a.error };
    case 'checked':
      if (a.check.verdict !== 'ok') return { ...s, busy: false, text: '', check: a.check };
      return { ...s, busy: false, text: '', check: a.check, replacing: false, lost: false };
    case 'replace':
      return { ...s, replacing: true };
    case 'keep':
      return { ...s, replacing: false };
    case 'lost':
      return { ...s, lost: a.gone };
  }
}

/** The vault entry to forget once `accepted` replaces the draft's `current` token (undefined: nothing to forget). */
export function credentialToForget(current: string | undefined, accepted: string): string | undefined {
  return current && current !== accepted ? current : undefined;
}

/** Whether the token box is marked invalid: nothing chosen when errors show, or the last paste was refused. */
export function tokenFieldInvalid(s: Pick<TokenFormState, 'check'>, showErrors: boolean, hasCredential: boolean): boolean {
  return (showErrors && !hasCredential) || s.check?.verdict === 'wrong-kind' || s.check?.verdict === 'invalid';
}

/** What was cleaned from the paste, shown (and the heading focused) only right after the chosen token was checked. */
export function freshCheck(check: TokenCheck | null, tokenId: string | undefined): { fresh: boolean; cleaned: string[] } {
  const fresh = check?.verdict === 'ok' && check.id === tokenId;
  return { fresh, cleaned: fresh ? check.cleaned : [] };
}

/** The field label from the platform's token name ("agent token" → "Agent token"). */
export function tokenLabel(name: string): string {
  return name ? name[0]!.toUpperCase() + name.slice(1) : name;
}

/** The headline of a refused paste. */
export function verdictHeadline(check: Exclude<TokenCheck, { verdict: 'ok' }>): string {
  return check.verdict === 'wrong-kind' ? `Wrong kind of token: ${check.kindName}.` : 'This is not a valid token.';
}

/** The chosen token's Reveal and Copy: the value while revealed, the status line, and an error. */
export interface RevealState {
  revealed: string | null;
  said: string;
  error: ShownError | null;
}

export const REVEAL_START: RevealState = { revealed: null, said: '', error: null };

export type RevealAction = { type: 'shown'; value: string } | { type: 'hidden' } | { type: 'said'; text: string } | { type: 'failed'; error: ShownError };

export function revealReducer(s: RevealState, a: RevealAction): RevealState {
  switch (a.type) {
    case 'shown':
      return { ...s, revealed: a.value };
    case 'hidden':
      return { ...s, revealed: null };
    case 'said':
      return { ...s, said: a.text };
    case 'failed':
      return { ...s, error: a.error };
  }
}

/** The status line after a copy: copied (and when the clipboard is wiped), or refused. */
export function copiedNote(copied: boolean, clearAfterMs: number): string {
  return copied
    ? `Copied. The clipboard will be cleared in ${Math.round(clearAfterMs / 1000)} seconds.`
    : 'The clipboard refused the copy; use Reveal and copy it by hand.';
}

/** The status line when the wipe time comes: wiped, or left alone because the user copied something else since. */
export function wipedNote(wiped: boolean): string {
  return wiped ? 'The clipboard was cleared.' : 'The clipboard changed since the copy; it was left as it is.';
}

/** When the chosen token expires (undefined when its kind does not, or the app does not know when it was checked). */
export function expiresAtOf(lifetime: TokenLifetime | undefined, summary: Pick<TokenSummary, 'kind' | 'checkedAt' | 'expiresAt'>): number | undefined {
  // The vendor's own expiry when it said one (a token it issued), else counted from the check.
  if (summary.expiresAt !== undefined) return summary.expiresAt;
  return summary.checkedAt === undefined ? undefined : tokenExpiresAt(lifetime, summary.kind, summary.checkedAt);
}

/** What the countdown says at `now`. */
export type ExpiryNotice =
  | { state: 'expired'; headline: string; detail: string; renew: string }
  | {
      state: 'ok' | 'short';
      /** "42:05 left": changes every second, so it is not announced. */
      clock: string;
      /** Announced once, when the time runs short ('' otherwise). */
      announce: string;
      sentence: string;
    };

/** The countdown notice for a short-lived token at `now`; null when the token does not expire. */
export function expiryNotice(
  lifetime: TokenLifetime | undefined,
  summary: Pick<TokenSummary, 'kind' | 'kindName' | 'checkedAt' | 'expiresAt'>,
  now: number,
): ExpiryNotice | null {
  const expiresAt = expiresAtOf(lifetime, summary);
  const counted = summary.expiresAt !== undefined ? 'as the vendor said when it issued it' : 'counted here from when you checked it';
  if (expiresAt === undefined || !lifetime) return null;
  const left = timeLeft(expiresAt, now, lifetime.warnMs);
  const minutes = Math.round(lifetime.ms / 60_000);
  if (left.state === 'expired')
    return {
      state: 'expired',
      headline: `This ${summary.kindName} has expired`,
      detail: ` (${left.text}): it lasts ${minutes} minutes, and the generated files would be refused when they register.`,
      renew: lifetime.renew,
    };
  const short = left.state === 'short';
  return {
    state: left.state,
    clock: left.text,
    announce: short ? `Less than ${Math.ceil(lifetime.warnMs / 60_000)} minutes left on the token.` : '',
    sentence: short
      ? `Register soon: a ${summary.kindName} lasts ${minutes} minutes from when it is made (${counted}). ${lifetime.renew}`
      : `A ${summary.kindName} lasts ${minutes} minutes from when it is made (${counted}): run the install before then.`,
  };
}
