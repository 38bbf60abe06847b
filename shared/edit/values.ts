/**
 * Checks for values the user types that end up inside config files. What passes can be written
 * into any of our formats by that format's escaping; what fails is refused with the reason, so a
 * value can never change a file's structure.
 */
import { err, ok, type Result } from '../result';

/** Longest token accepted (real Harness and Buildkite tokens are well under 200 characters). */
export const MAX_TOKEN_TEXT = 4096;

// C0 controls (tab included), DEL, C1 controls, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Describes the first control character of `value`, e.g. "a line break (U+000A)". */
function describeControl(value: string): string {
  const ch = CONTROL.exec(value)?.[0] ?? '';
  const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') return `a line break (${code})`;
  if (ch === '\t') return `a tab (${code})`;
  return `a control character (${code})`;
}

/**
 * A token: 1..MAX_TOKEN_TEXT characters, no line breaks or other control characters, no
 * leading or trailing spaces. Quotes, `#`, `:`, `$()` and non-ASCII are allowed here: each
 * format's writer escapes them or refuses them for its own reasons.
 */
export function checkTokenText(token: string, label = 'The token'): Result<string> {
  if (token.length === 0) return err('TOKEN_INVALID', `${label} is empty.`, 'Paste the token again.');
  if (token.length > MAX_TOKEN_TEXT)
    return err('UNSAFE_VALUE', `${label} is ${token.length} characters long; the most accepted is ${MAX_TOKEN_TEXT}.`, 'Check that only the token was pasted.');
  if (CONTROL.test(token))
    return err('UNSAFE_VALUE', `${label} contains ${describeControl(token)}; a token is one line of text.`, 'Paste only the token, without line breaks.');
  if (token.trim() !== token) return err('UNSAFE_VALUE', `${label} starts or ends with a space.`, 'Remove the spaces around the token.');
  return ok(token);
}

/** A one-line text value (name, tag, path): no control characters, at most `max` characters. */
export function checkLine(value: string, label: string, max = 1024): Result<string> {
  if (value.length > max) return err('UNSAFE_VALUE', `${label} is ${value.length} characters long; the most accepted is ${max}.`);
  if (CONTROL.test(value)) return err('UNSAFE_VALUE', `${label} contains ${describeControl(value)}; it must be one line of text.`);
  return ok(value);
}

/** True when `value` is canonical standard base64 (the form Kubernetes Secret `data` needs). */
export function isCanonicalBase64(value: string): boolean {
  if (value.length === 0 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  try {
    return btoa(atob(value)) === value;
  } catch {
    return false;
  }
}

/** Standard base64 of the UTF-8 bytes of `text`. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The UTF-8 text in standard base64 `value`, or undefined when it is not base64 of UTF-8. */
export function decodeBase64Utf8(value: string): string | undefined {
  if (!isCanonicalBase64(value)) return undefined;
  try {
    const binary = atob(value);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
