/**
 * Where secrets sit in a text, found the way rotation finds them: every platform updater that
 * recognises the text is asked to put a probe token in; the spans it would replace are the token
 * places, and what they hold now is the token. Private key blocks and values the caller already
 * knows (a vault token, raw or base64) are found too. A file is secret because of what these
 * finders locate in it, never because of its name; diffs and previews are masked with them.
 */
import { isPrivateKeyText } from './bundle';
import { unifiedDiff } from './diff';
import { base64Utf8, decodeBase64Utf8 } from './edit/values';
import { PLATFORMS } from './platforms';
import type { Change, PlatformId, Updater } from './platforms/types';

/** One token value found in a text: [start, end) of the value itself, and who found it. */
export interface FoundToken {
  start: number;
  end: number;
  value: string;
  platform: PlatformId;
  updater: string;
  /** The updater's words for the place, e.g. "DELEGATE_TOKEN on line 4". */
  what: string;
}

/**
 * Names tried besides the real one, so a file is read by what it holds whatever it is called
 * (updaters also look at the name: `start.sh` and `values.yaml` are read differently): one of each
 * kind, and the file names an updater keeps inside an install folder (its `homeFiles`).
 */
const ANY_NAME = [
  ...new Set([
    'file.yaml',
    'file.json',
    'file.sh',
    'file.env',
    'env',
    'file.cfg',
    'file.service',
    ...PLATFORMS.flatMap((p) => p.updaters.flatMap((u) => u.homeFiles ?? [])),
  ]),
];

// Probes put in by an updater to see where its token goes: a generic one, and one in a 40-hex
// form (for a platform whose tokens are 40 hex digits). 36 characters, so its base64 has no padding.
const PROBES = ['Aq7' + 'probe'.repeat(6) + 'Zx4', 'a'.repeat(39) + '1'];

/** A value shorter than this, or with blanks, is a placeholder or an empty place, not a token. */
export const MIN_TOKEN_LENGTH = 8;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** True when a found value is a real token value (not empty, a placeholder word or a reference). */
export function isTokenValue(value: string): boolean {
  return value.length >= MIN_TOKEN_LENGTH && !/\s/.test(value) && !/\$\{?[A-Za-z_]|\{\{/.test(value);
}

/**
 * [start, end) in `oldText` of each value an edit replaced, from the edit's ranges: where the new
 * token (or its base64) sits in the new span marks where the value sits in the old one, kept
 * within what the two spans share around it; matching quotes around the old value are left out.
 */
export function replacedValueSpans(
  oldText: string,
  newText: string,
  changes: readonly Change[],
  token: string,
): { start: number; end: number; what: string }[] {
  const forms = [token, base64Utf8(token)];
  const out: { start: number; end: number; what: string }[] = [];
  for (const c of changes) {
    if (!c.oldRange || !c.newRange || c.oldRange[1] <= c.oldRange[0]) continue;
    const old = oldText.slice(c.oldRange[0], c.oldRange[1]);
    const neu = newText.slice(c.newRange[0], c.newRange[1]);
    const form = forms.find((f) => neu.includes(f));
    if (form === undefined) continue;
    const at = neu.indexOf(form);
    let pre = Math.min(at, commonPrefix(old, neu));
    let suf = Math.min(neu.length - at - form.length, commonSuffix(old, neu), old.length - pre);
    const inner = old.slice(pre, old.length - suf);
    if (inner.length >= 2 && /^["']/.test(inner) && inner.at(-1) === inner[0]) {
      pre++;
      suf++;
    }
    out.push({ start: c.oldRange[0] + pre, end: c.oldRange[1] - suf, what: c.what });
  }
  return out;
}

/** The token values `updater` would replace in `text`, located by rotating to a probe. */
function probeUpdater(updater: Updater, text: string): { start: number; end: number; what: string }[] {
  for (const probe of PROBES) {
    const r = updater.rotate(text, probe);
    if (!r.ok) continue;
    return replacedValueSpans(text, r.value.text, r.value.changes, probe);
  }
  return [];
}

/**
 * Every token value the platforms' updaters locate in `text` (placeholders and empty places
 * left out). `fileName` is tried first; with `anyName` (the default) the text is also read as
 * each kind of file the updaters know, so a renamed file is still read by its content.
 */
export function findTokens(text: string, fileName: string, opts: { platforms?: readonly PlatformId[]; anyName?: boolean } = {}): FoundToken[] {
  if (text.length === 0 || text.includes('\u0000')) return [];
  const names = opts.anyName === false ? [fileName] : [fileName, ...ANY_NAME];
  const found: FoundToken[] = [];
  const seen = new Set<string>();
  for (const platform of PLATFORMS) {
    if (opts.platforms && !opts.platforms.includes(platform.id)) continue;
    for (const updater of platform.updaters) {
      if (!names.some((n) => safeDetect(updater, n, text))) continue;
      let spans: { start: number; end: number; what: string }[];
      try {
        spans = probeUpdater(updater, text);
      } catch {
        continue;
      }
      for (const s of spans) {
        const value = text.slice(s.start, s.end);
        const key = `${s.start}:${s.end}`;
        if (!isTokenValue(value) || seen.has(key)) continue;
        seen.add(key);
        found.push({ start: s.start, end: s.end, value, platform: platform.id, updater: updater.id, what: s.what });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function safeDetect(updater: Updater, name: string, text: string): boolean {
  try {
    return updater.detect(name, text);
  } catch {
    return false;
  }
}

/** The forms a token value can take in a file: as is, base64 (Secret `data`), and decoded when it is base64 text. */
export function valueForms(value: string): string[] {
  const forms = new Set([value, base64Utf8(value)]);
  const decoded = decodeBase64Utf8(value);
  if (decoded !== undefined && isTokenValue(decoded) && /^[\x21-\x7e]+$/.test(decoded)) forms.add(decoded);
  return [...forms].filter((f) => f.length >= MIN_TOKEN_LENGTH);
}

/** [start, end) of every occurrence of `values` (in every form of valueForms) in `text`. */
export function findValues(text: string, values: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    if (!isTokenValue(v)) continue;
    for (const form of valueForms(v)) for (let i = text.indexOf(form); i !== -1; i = text.indexOf(form, i + 1)) out.push([i, i + form.length]);
  }
  return out;
}

const KEY_BLOCK =
  /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|(?![\s\S]))|^PuTTY-User-Key-File-\d+:[\s\S]*?(?:^Private-MAC:.*$|(?![\s\S]))/gm;

/** [start, end) of each private key block (PEM, OpenSSH, PGP, PuTTY); an unterminated block runs to the end. */
export function privateKeyBlocks(text: string): [number, number][] {
  if (!isPrivateKeyText(text)) return [];
  return [...text.matchAll(KEY_BLOCK)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
}

/** What makes a text secret, in words (empty when nothing does). */
export function secretsIn(text: string, fileName: string, known: readonly string[] = []): string[] {
  const reasons: string[] = [];
  if (isPrivateKeyText(text)) reasons.push('a private key');
  // An agent's OAuth client registration (GitHub Actions and Azure Pipelines .credentials): identifiers
  // rather than a secret, but they name the agent's sign-in, so bundles keep them under the secret rules.
  if (/"scheme"\s*:\s*"OAuth"/.test(text) && /"clientId"\s*:/.test(text)) reasons.push("an agent's OAuth client registration");
  if (findValues(text, known).length) reasons.push('a token the app holds');
  const tokens = findTokens(text, fileName);
  if (tokens.length && reasons.length < 2) reasons.push(`a token (${[...new Set(tokens.map((t) => t.what))].slice(0, 3).join('; ')})`);
  return reasons;
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/**
 * `text` with every token value the finders locate, every known value (any form) and every
 * private key block replaced by a marker (`«token»`, `«private key»`). `anyName: false` reads the
 * text by its own name only (when an updater already recognised it by that name).
 */
export function maskSecrets(text: string, fileName: string, known: readonly string[] = [], opts: { anyName?: boolean } = {}): string {
  const keys = privateKeyBlocks(text);
  const tokens = [...findTokens(text, fileName, opts).map((t) => [t.start, t.end] as [number, number]), ...findValues(text, known)];
  const spans = merge([...keys, ...tokens]).map(([s, e]) => ({ s, e, key: keys.some(([ks, ke]) => (ks <= s && e <= ke) || (s <= ks && ke <= e)) }));
  let out = text;
  for (const { s, e, key } of spans.reverse()) out = out.slice(0, s) + (key ? '«private key»' : '«token»') + out.slice(e);
  return out;
}

/** `text` with every occurrence of `values` (in each form of valueForms) replaced by `«token»`. */
export function maskValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const [s, e] of merge(findValues(text, values)).reverse()) out = out.slice(0, s) + '«token»' + out.slice(e);
  return out;
}

/**
 * A unified diff of two versions of a file in which no secret appears: both sides are masked
 * with maskSecrets (the token finders, `known` values, private key blocks), whatever the file is
 * called. When only secret values differ, says so instead of showing an empty diff.
 */
export function secretSafeDiff(oldText: string | null, newText: string, name: string, known: readonly string[] = []): string {
  if (oldText === newText) return '';
  const oldMasked = oldText === null ? null : maskSecrets(oldText, name, known);
  const newMasked = maskSecrets(newText, name, known);
  if (oldMasked === newMasked) return `${name}: only secret values change (not shown)\n`;
  return unifiedDiff(oldMasked, newMasked, name);
}
