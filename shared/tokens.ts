/**
 * Agent tokens as people paste them: cleaned of what copy-paste adds (line breaks, spaces and
 * quotes around it, invisible characters, `Bearer ` / `Token ` prefixes, `NAME=` assignments),
 * refused when they hold what no token has (a newline or space inside, quotes, `$`, `;`, NUL,
 * non-ASCII), named when they are another service's token (GitHub, GitLab, Slack, AWS, a JWT), and
 * then judged by the platform's own rules (`TokenSpec.check` in its folder), so a wrong kind of the
 * vendor's tokens is named with where to get the right one. Pure: the renderer and the main
 * process share it.
 */

import type { TokenCheck, TokenSpec } from './platforms/types';

/** Longest text taken as a token; real ones are far shorter. */
export const MAX_TOKEN_LENGTH = 4096;

/** The outcome of checking a pasted token: accepted (cleaned), the wrong kind (named), or invalid. */
export type TokenVerdict =
  | {
      verdict: 'ok';
      /** Machine name of the kind, e.g. 'agent-token'. */
      kind: string;
      /** What people call it, e.g. 'Buildkite agent token'. */
      kindName: string;
      /** The cleaned token. Keep it in the main process; never put it in a draft or a log. */
      token: string;
      /** What cleaning removed, in words (empty when nothing). */
      cleaned: string[];
      message: string;
      /** Something worth knowing about an accepted token. */
      note?: string;
    }
  | { verdict: 'wrong-kind'; kind: string; kindName: string; cleaned: string[]; message: string; where: string }
  | { verdict: 'invalid'; cleaned: string[]; message: string; where: string };

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const QUOTE_PAIRS: [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
  ['\u00AB', '\u00BB'],
];
/**
 * A shell or YAML assignment copied with the token (`export AGENT_TOKEN="…"`, `delegateToken: …`,
 * `ACCOUNT_SECRET=…`): any variable name ending in TOKEN, Token, token, SECRET or Secret. Only taken
 * off when a value follows that does not start with `=` or `:` (base64 padding is not a name).
 */
const ASSIGNMENT = /^(?:export\s+)?(?:[A-Za-z_][A-Za-z0-9_]*)?(?:TOKEN|[Tt]oken|SECRET|Secret)\s*[:=]\s*(?=[^\s=:])/;
const AUTH_PREFIX = /^(?:Authorization:\s*)?(Bearer|Token)\s+/i;
const FLAG_PREFIX = /^--token[=\s]+/;
// The Bamboo installer command's `-t <token>`, copied with its flag.
const SHORT_FLAG_PREFIX = /^-t\s+/;

/** One cleaning step: the token after it and what it removed, or undefined when it does not apply. */
type Step = (token: string) => { token: string; what: string } | undefined;

const STEPS: Step[] = [
  (t) => {
    const trimmed = t.replace(/^[\s\u00A0]+|[\s\u00A0]+$/g, '');
    if (trimmed === t) return undefined;
    return { token: trimmed, what: /[\r\n]/.test(t) ? 'line breaks and spaces around it' : 'spaces around it' };
  },
  (t) => {
    const pair = QUOTE_PAIRS.find(([open, close]) => t.length >= 2 && t.startsWith(open) && t.endsWith(close));
    return pair ? { token: t.slice(1, -1), what: 'quotes around it' } : undefined;
  },
  (t) => (ASSIGNMENT.test(t) ? { token: t.replace(ASSIGNMENT, ''), what: 'the variable name before it' } : undefined),
  (t) => {
    const m = AUTH_PREFIX.exec(t);
    return m ? { token: t.slice(m[0].length), what: `the "${m[1]} " prefix` } : undefined;
  },
  (t) => (FLAG_PREFIX.test(t) ? { token: t.replace(FLAG_PREFIX, ''), what: 'the --token flag before it' } : undefined),
  (t) => (SHORT_FLAG_PREFIX.test(t) ? { token: t.replace(SHORT_FLAG_PREFIX, ''), what: 'the -t flag before it' } : undefined),
];

/** Removes the pieces copy-paste adds, repeatedly (`"Bearer abc"\n` needs three passes). */
function clean(raw: string): { token: string; cleaned: string[] } {
  const cleaned = new Set<string>();
  let token = raw;
  const visible = token.replace(INVISIBLE, '');
  if (visible !== token) {
    token = visible;
    cleaned.add('invisible characters');
  }
  for (let pass = 0; pass < 6; pass++) {
    const before = token;
    for (const step of STEPS) {
      const done = step(token);
      if (!done) continue;
      token = done.token;
      cleaned.add(done.what);
    }
    if (token === before) break;
  }
  return { token, cleaned: [...cleaned] };
}

const NAMED: Record<string, string> = {
  '\n': 'a line break',
  '\r': 'a line break',
  '\t': 'a tab',
  ' ': 'a space',
  '\u0000': 'a NUL character',
  '"': 'a double quote (")',
  "'": "a single quote (')",
  '`': 'a backtick (`)',
  $: 'a dollar sign ($)',
  ';': 'a semicolon (;)',
  '\\': 'a backslash (\\)',
};

/** The first character no token of any platform contains, described for people; undefined when none. */
function forbiddenCharacter(token: string): { what: string; at: number } | undefined {
  const at = token.search(/[^A-Za-z0-9_\-.+/=~:]/);
  if (at < 0) return undefined;
  const ch = token[at]!;
  const code = ch.codePointAt(0)!;
  const what = NAMED[ch] ?? (code < 0x20 || code === 0x7f ? `a control character (code ${code})` : code > 0x7e ? `a non-ASCII character (${ch})` : `"${ch}"`);
  return { what, at: at + 1 };
}

/** Decodes standard base64 to bytes; undefined when it is not base64. Pure (no atob, so no DOM or Node types). */
export function base64Bytes(b64: string): number[] | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of b64.replace(/=+$/, '')) {
    value = ((value << 6) | alphabet.indexOf(ch)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return out;
}

/** Tokens of other services people paste by mistake. */
const FOREIGN: { re: RegExp; kind: string; kindName: string }[] = [
  { re: /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$|^github_pat_/, kind: 'github-token', kindName: 'GitHub token' },
  { re: /^(glpat|glrt|glptt|gldt)-/, kind: 'gitlab-token', kindName: 'GitLab token' },
  { re: /^xox[abprs]-/, kind: 'slack-token', kindName: 'Slack token' },
  { re: /^(AKIA|ASIA)[A-Z0-9]{16}$/, kind: 'aws-access-key', kindName: 'AWS access key ID' },
  { re: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, kind: 'jwt', kindName: 'JSON Web Token (a short-lived session token)' },
];

/** What a token is called and where to get one when the platform has no token of its own (a platform without a token credential). */
export const GENERIC_TOKEN: TokenSpec = { name: 'token', where: "the platform's agent settings" };

/** The check of a platform that has no rules of its own: long enough to be a token. */
function lengthOnly(token: string): TokenCheck {
  if (token.length < 8) return { verdict: 'invalid', message: `This is too short for a token (${token.length} characters).` };
  return { verdict: 'ok', kind: 'token', kindName: 'token', message: 'Accepted.' };
}

/**
 * Cleans and checks a pasted token against a platform's token rules (`spec`, the platform's
 * `credential.token`). Never throws; hostile input (line breaks or quotes inside, `$()`, NUL,
 * huge text) is an 'invalid' verdict whose message names the problem. Another service's token
 * (GitHub, GitLab, Slack, AWS, a JWT) is named as that service's unless the spec `claims` it.
 */
export function checkToken(spec: TokenSpec, raw: string): TokenVerdict {
  const { name, where } = spec;
  if (raw.length > MAX_TOKEN_LENGTH) {
    return { verdict: 'invalid', cleaned: [], where, message: `This is too long to be a token (${raw.length} characters). Paste only the token.` };
  }
  const { token, cleaned } = clean(raw);
  if (token === '') return { verdict: 'invalid', cleaned, where, message: `There is no token here. Paste the ${name}.` };
  const bad = forbiddenCharacter(token);
  if (bad) {
    const inside = /line break|space|tab/.test(bad.what) ? ' inside it; a token is one unbroken word' : '';
    return {
      verdict: 'invalid',
      cleaned,
      where,
      message: `This has ${bad.what} at character ${bad.at}${inside}. No ${name} contains that: copy the token again.`,
    };
  }
  const foreign = spec.claims?.test(token) ? undefined : FOREIGN.find((f) => f.re.test(token));
  if (foreign)
    return {
      verdict: 'wrong-kind',
      kind: foreign.kind,
      kindName: foreign.kindName,
      cleaned,
      where,
      message: `This is a ${foreign.kindName}, not ${article(name)} ${name}.`,
    };
  const result = (spec.check ?? lengthOnly)(token);
  if (result.verdict === 'ok') return { ...result, token, cleaned };
  return { ...result, cleaned, where: result.where ?? where };
}

/** "a" or "an" before `word`, by its first letter (token names are plain English words). */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/**
 * A token shown masked: its first four and last four characters (a known prefix such as `bkua_`
 * stays readable) with the middle hidden; short tokens show nothing.
 */
export function maskToken(token: string): string {
  if (token.length < 16) return '•'.repeat(8);
  return `${token.slice(0, 4)}${'•'.repeat(8)}${token.slice(-4)}`;
}
