/** POSIX shell quoting for the commands the installer runs on a host (paths and names only). */

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** One shell word: bare when plainly safe, else single-quoted. Throws on control characters. */
export function q(value: string): string {
  if (CONTROL.test(value)) throw new Error(`${JSON.stringify(value.slice(0, 60))} cannot be put on a command line`);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
