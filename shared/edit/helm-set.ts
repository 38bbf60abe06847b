/**
 * Values for `helm --set key=value` and `--set-string key=value`, escaped by helm's own rules
 * (helm.sh/helm/v3 pkg/strvals/parser.go): in a value, `\` takes the next character literally and
 * `,` ends the pair, so both are escaped; a value starting with `{` is read as a list, so braces
 * are escaped too. `=` needs nothing (helm keeps every `=` after the first). With `--set` (not
 * `--set-string`), `typedVal` turns `true`, `false`, `null` and plain integers into those types.
 */

/** True when helm's `--set` would read `value` as something other than a string (typedVal). */
export function helmSetTyped(value: string): boolean {
  if (['true', 'false', 'null', '0'].includes(value)) return true;
  if (value.length > 1 && value.startsWith('0')) return false;
  return /^[-+]?\d+$/.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n;
}

/**
 * The text after `key=` that helm reads back as exactly `value`; undefined when `--set` would type
 * it (a token of digits only, `true`, `null`), which only `--set-string` can pass.
 */
export function helmSetValue(value: string, stringOnly: boolean): string | undefined {
  if (!stringOnly && helmSetTyped(value)) return undefined;
  return value.replace(/[\\,{}]/g, (c) => `\\${c}`);
}
