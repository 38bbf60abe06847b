/**
 * The one rule every escaper in this folder applies before quoting: a value is one line of
 * Unicode text. Control characters (C0 with tab, DEL, C1), the Unicode line and paragraph
 * separators, unpaired surrogates and noncharacters are refused in every format, even where a
 * format could carry them in an escape: a token or a path never holds them, a line break is how
 * values break out of config files, and a file or a terminal would show them wrongly.
 */
import { err, ok, type Result } from '../result';

const UNSAFE = /\p{Cc}|\p{Cs}|\p{Noncharacter_Code_Point}|[\u2028\u2029]/u;

/** What `value` holds that no format may carry, e.g. "a line break (U+000A)"; undefined when nothing. */
export function unsafeCharacter(value: string): string | undefined {
  const ch = UNSAFE.exec(value)?.[0];
  if (ch === undefined) return undefined;
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029' || ch === '\u0085') return `a line break (${code})`;
  if (ch === '\t') return `a tab (${code})`;
  if (/\p{Cs}/u.test(ch)) return `half of a character (an unpaired surrogate, ${code})`;
  if (/\p{Cc}/u.test(ch)) return `a control character (${code})`;
  return `a character that is not text (${code})`;
}

/**
 * A refusal: UNSAFE_VALUE naming what (`label`), where (`format`) and why. The value itself is
 * never put into the message, since it may be a secret.
 */
export function refuse(label: string | undefined, format: string, why: string, hint?: string): Result<never> {
  return err('UNSAFE_VALUE', `${label ?? 'A value'} cannot be written into ${format}: ${why}.`, hint ?? 'Change the value and try again; nothing was written.');
}

/** `value` when it passes the policy above; otherwise the refusal for `format`. */
export function checkText(value: string, format: string, label?: string): Result<string> {
  const bad = unsafeCharacter(value);
  return bad === undefined
    ? ok(value)
    : refuse(label, format, `it contains ${bad}`, 'A value is one line of text: remove the character (paste only the value) and try again.');
}
