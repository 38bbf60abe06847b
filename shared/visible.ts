/**
 * Text from a file or the network made safe to print on a terminal: control characters (C0, DEL,
 * C1), bidirectional controls and line/paragraph separators are shown as `\u001b`-style escapes,
 * so an ESC, CR or OSC sequence in a bundle's manifest cannot move the cursor, retitle the
 * terminal or hide the MISMATCH lines printed after it. The escapes are valid in JSON strings too.
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const FIELD_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, but our own line breaks and tabs stay
const OUTPUT_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One field (a name, a version, a path) with every control character made visible, line breaks included. */
export function visible(field: string): string {
  return field.replace(FIELD_UNSAFE, escape);
}

/** Whole output (many lines): every control character made visible except newline and tab. */
export function terminalSafe(text: string): string {
  return text.replace(OUTPUT_UNSAFE, escape);
}
