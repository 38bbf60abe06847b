import { describe, expect, it } from 'vitest';
import type { TokenCheck } from '../../../../../shared/credentials-contract';
import { PLATFORMS } from '../../../../../shared/platforms';
import type { TokenLifetime } from '../../../../../shared/platforms/types';
import {
  copiedNote,
  credentialToForget,
  expiresAtOf,
  expiryNotice,
  freshCheck,
  REVEAL_START,
  revealReducer,
  TOKEN_FORM_START,
  tokenFieldInvalid,
  tokenFormReducer,
  tokenLabel,
  verdictHeadline,
  wipedNote,
} from '../../../../../renderer/steps/credentials/token-forms';

const ok: TokenCheck = {
  verdict: 'ok',
  id: 'tok-1',
  platform: 'buildkite',
  kind: 'agent',
  kindName: 'agent token',
  masked: 'bkua…ABCD',
  length: 50,
  message: 'fine',
  cleaned: ['quotes'],
};
const wrong: TokenCheck = {
  verdict: 'wrong-kind',
  kind: 'api',
  kindName: 'API access token',
  message: 'That is an API token.',
  where: 'Agents page',
  cleaned: [],
};
const invalid: TokenCheck = { verdict: 'invalid', message: 'Too short.', where: 'Agents page', cleaned: ['spaces'] };
const error = { code: 'BAD_INPUT', message: 'no' } as const;

describe('the token paste form', () => {
  it('starts empty, on the form, nothing lost', () => {
    expect(TOKEN_FORM_START).toEqual({ text: '', check: null, error: null, busy: false, replacing: false, lost: false });
  });
  it('keeps what is typed, and is busy with the last error cleared while main checks it', () => {
    const typed = tokenFormReducer({ ...TOKEN_FORM_START, error }, { type: 'type', text: 'abc' });
    expect(typed.text).toBe('abc');
    expect(tokenFormReducer(typed, { type: 'submit' })).toMatchObject({ text: 'abc', busy: true, error: null });
  });
  it('empties the box whatever main answers: the pasted secret does not stay on the page', () => {
    const busy = { ...TOKEN_FORM_START, text: 'secret', busy: true };
    expect(tokenFormReducer(busy, { type: 'failed', error })).toMatchObject({ text: '', busy: false, error });
    expect(tokenFormReducer(busy, { type: 'checked', check: invalid })).toMatchObject({ text: '', busy: false, check: invalid });
    expect(tokenFormReducer(busy, { type: 'checked', check: ok })).toMatchObject({ text: '', busy: false, check: ok });
  });
  it('an accepted token closes the replace form and the lost note; a refused one leaves them', () => {
    const replacing = { ...TOKEN_FORM_START, replacing: true, lost: true, busy: true };
    expect(tokenFormReducer(replacing, { type: 'checked', check: ok })).toMatchObject({ replacing: false, lost: false });
    expect(tokenFormReducer(replacing, { type: 'checked', check: wrong })).toMatchObject({ replacing: true, lost: true, check: wrong });
  });
  it('a failed call keeps the last verdict', () => {
    expect(tokenFormReducer({ ...TOKEN_FORM_START, check: wrong }, { type: 'failed', error }).check).toBe(wrong);
  });
  it('replace and keep switch the view; lost follows what useDescribed says', () => {
    const r = tokenFormReducer(TOKEN_FORM_START, { type: 'replace' });
    expect(r.replacing).toBe(true);
    expect(tokenFormReducer(r, { type: 'keep' }).replacing).toBe(false);
    expect(tokenFormReducer(TOKEN_FORM_START, { type: 'lost', gone: true }).lost).toBe(true);
    expect(tokenFormReducer({ ...TOKEN_FORM_START, lost: true }, { type: 'lost', gone: false }).lost).toBe(false);
  });
});

describe('token form helpers', () => {
  it('forgets the previous vault entry only when a different token replaces it', () => {
    expect(credentialToForget(undefined, 'b')).toBeUndefined();
    expect(credentialToForget('b', 'b')).toBeUndefined();
    expect(credentialToForget('a', 'b')).toBe('a');
  });
  it('marks the box invalid when nothing is chosen and errors show, or the last paste was refused', () => {
    expect(tokenFieldInvalid({ check: null }, false, false)).toBe(false);
    expect(tokenFieldInvalid({ check: null }, true, false)).toBe(true);
    expect(tokenFieldInvalid({ check: null }, true, true)).toBe(false);
    expect(tokenFieldInvalid({ check: wrong }, false, true)).toBe(true);
    expect(tokenFieldInvalid({ check: invalid }, false, true)).toBe(true);
    expect(tokenFieldInvalid({ check: ok }, false, true)).toBe(false);
  });
  it('shows what was cleaned only for the token just checked', () => {
    expect(freshCheck(ok, 'tok-1')).toEqual({ fresh: true, cleaned: ['quotes'] });
    expect(freshCheck(ok, 'tok-2')).toEqual({ fresh: false, cleaned: [] });
    expect(freshCheck(null, 'tok-1')).toEqual({ fresh: false, cleaned: [] });
    expect(freshCheck(invalid, undefined)).toEqual({ fresh: false, cleaned: [] });
  });
  it('labels the field from every token platform’s token name, capitalised', () => {
    expect(tokenLabel('agent token')).toBe('Agent token');
    expect(tokenLabel('')).toBe('');
    for (const p of PLATFORMS) if (p.credential.kind === 'token') expect(tokenLabel(p.credential.token.name)).toMatch(/^[A-Z0-9]/);
  });
  it('heads a refusal with the wrong kind by name, or as not a token', () => {
    expect(verdictHeadline(wrong as Exclude<TokenCheck, { verdict: 'ok' }>)).toBe('Wrong kind of token: API access token.');
    expect(verdictHeadline(invalid as Exclude<TokenCheck, { verdict: 'ok' }>)).toBe('This is not a valid token.');
  });
});

describe('Reveal and Copy', () => {
  it('shows and hides the value, keeping the status line and error apart', () => {
    const shown = revealReducer({ ...REVEAL_START, said: 'Copied.' }, { type: 'shown', value: 'the-token' });
    expect(shown).toEqual({ revealed: 'the-token', said: 'Copied.', error: null });
    expect(revealReducer(shown, { type: 'hidden' }).revealed).toBeNull();
    expect(revealReducer(shown, { type: 'said', text: 'x' })).toMatchObject({ revealed: 'the-token', said: 'x' });
    expect(revealReducer(shown, { type: 'failed', error })).toMatchObject({ revealed: 'the-token', error });
  });
  it('says when the clipboard is wiped, in whole seconds, or that the copy was refused', () => {
    expect(copiedNote(true, 30_000)).toBe('Copied. The clipboard will be cleared in 30 seconds.');
    expect(copiedNote(true, 29_600)).toMatch(/in 30 seconds/);
    expect(copiedNote(false, 30_000)).toMatch(/refused the copy; use Reveal/);
    expect(wipedNote(true)).toBe('The clipboard was cleared.');
    expect(wipedNote(false)).toMatch(/left as it is/);
  });
});

describe('the countdown of a short-lived token', () => {
  const hour: TokenLifetime = { kinds: ['registration-token'], ms: 60 * 60_000, warnMs: 10 * 60_000, renew: 'Get a fresh one.' };
  const summary = { kind: 'registration-token', kindName: 'registration token', checkedAt: 1_000_000 };

  it('has nothing to say for a kind that does not expire, no lifetime, or no check time', () => {
    expect(expiryNotice(hour, { ...summary, kind: 'pat' }, summary.checkedAt)).toBeNull();
    expect(expiryNotice(undefined, summary, summary.checkedAt)).toBeNull();
    expect(expiryNotice(hour, { kind: summary.kind, kindName: summary.kindName }, summary.checkedAt)).toBeNull();
    expect(expiresAtOf(hour, { kind: summary.kind })).toBeUndefined();
    expect(expiresAtOf(hour, summary)).toBe(summary.checkedAt + hour.ms);
    // A token the vendor issued carries its own expiry, which wins over the count from the check.
    expect(expiresAtOf(hour, { ...summary, expiresAt: 1234 })).toBe(1234);
    expect(expiryNotice(hour, { ...summary, expiresAt: summary.checkedAt + hour.ms }, summary.checkedAt)).toMatchObject({
      sentence: expect.stringContaining('as the vendor said when it issued it'),
    });
  });
  it('counts down quietly while there is time, with the lifetime in minutes', () => {
    const n = expiryNotice(hour, summary, summary.checkedAt + 60_000);
    expect(n).toMatchObject({ state: 'ok', clock: '59:00 left', announce: '' });
    expect(n && n.state !== 'expired' && n.sentence).toMatch(/^A registration token lasts 60 minutes .*run the install before then\.$/);
  });
  it('warns once, with what to do, inside the warning margin', () => {
    const n = expiryNotice(hour, summary, summary.checkedAt + hour.ms - 5 * 60_000);
    expect(n).toMatchObject({ state: 'short', clock: '5:00 left', announce: 'Less than 10 minutes left on the token.' });
    expect(n && n.state !== 'expired' && n.sentence).toMatch(/^Register soon: .* Get a fresh one\.$/);
  });
  it('says it has expired, since when, why it matters and how to renew', () => {
    const n = expiryNotice(hour, summary, summary.checkedAt + hour.ms + 3 * 60_000);
    expect(n).toEqual({
      state: 'expired',
      headline: 'This registration token has expired',
      detail: ' (expired 3 minutes ago): it lasts 60 minutes, and the generated files would be refused when they register.',
      renew: 'Get a fresh one.',
    });
  });
  it('works with every platform lifetime there is', () => {
    const lifetimes = PLATFORMS.flatMap((p) => (p.credential.kind === 'token' && p.credential.token.lifetime ? [p.credential.token.lifetime] : []));
    expect(lifetimes.length).toBeGreaterThan(0);
    for (const l of lifetimes) {
      const s = { kind: l.kinds[0]!, kindName: 'token', checkedAt: 0 };
      expect(expiryNotice(l, s, 0)?.state).toBe('ok');
      expect(expiryNotice(l, s, l.ms - l.warnMs + 1)?.state).toBe('short');
      expect(expiryNotice(l, s, l.ms)?.state).toBe('expired');
    }
  });
});
