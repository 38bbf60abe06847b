/**
 * Agent tokens as people paste them: cleaned of what copy-paste adds (line breaks, spaces and
 * quotes around it, invisible characters, `Bearer ` / `Token ` prefixes, `NAME=` assignments) and
 * checked against what each platform's token looks like, so a wrong kind (a Buildkite API token
 * where an agent token belongs) is named with where to get the right one. Anything that cannot be
 * part of a token (a newline or space inside, quotes, `$`, `;`, NUL, non-ASCII) is refused with
 * the reason, never kept. Pure: the renderer and the main process share it.
 */

/** Platforms whose credential is a token (see shared/platforms). */
export type TokenPlatformId = 'bamboo-remote' | 'buildkite' | 'harness';

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

interface Rules {
  name: string;
  where: string;
  check(token: string): Omit<TokenVerdict, 'cleaned' | 'where' | 'token'> & { where?: string };
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const QUOTE_PAIRS: [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
  ['\u00AB', '\u00BB'],
];
const ASSIGNMENT = /^(?:export\s+)?(?:BUILDKITE_AGENT_TOKEN|BUILDKITE_AGENT_REGISTRATION_TOKEN|SECURITY_TOKEN|DELEGATE_TOKEN|UPGRADER_TOKEN|HARNESS_TOKEN|ACCOUNT_SECRET|token|securityToken|delegateToken|accountSecret|agentToken)\s*[:=]\s*/;
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

/** Tokens of other services people paste by mistake. */
const FOREIGN: { re: RegExp; kind: string; kindName: string }[] = [
  { re: /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$|^github_pat_/, kind: 'github-token', kindName: 'GitHub token' },
  { re: /^(glpat|glrt|glptt|gldt)-/, kind: 'gitlab-token', kindName: 'GitLab token' },
  { re: /^xox[abprs]-/, kind: 'slack-token', kindName: 'Slack token' },
  { re: /^(AKIA|ASIA)[A-Z0-9]{16}$/, kind: 'aws-access-key', kindName: 'AWS access key ID' },
  { re: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, kind: 'jwt', kindName: 'JSON Web Token (a short-lived session token)' },
];

const BUILDKITE_WHERE = 'Buildkite → Agents → your cluster → Agent Tokens → New Token (shown once; copy it then).';
const BUILDKITE_KINDS: { prefix: string; kind: string; kindName: string; why: string }[] = [
  { prefix: 'bkua_', kind: 'api-token', kindName: 'Buildkite API access token', why: 'It is for the REST and GraphQL APIs, not for agents.' },
  { prefix: 'bkaa_', kind: 'agent-session-token', kindName: 'Buildkite agent session token', why: 'The server hands it to an agent that already registered; it cannot register a new one.' },
  { prefix: 'bkaj_', kind: 'job-token', kindName: 'Buildkite job token', why: 'Each job gets its own; it ends with the job.' },
  { prefix: 'bkjat_', kind: 'job-acquisition-token', kindName: 'Buildkite job acquisition token', why: 'It runs one reserved job on an ephemeral agent and expires within an hour.' },
];

const buildkite: Rules = {
  name: 'Buildkite agent token',
  where: BUILDKITE_WHERE,
  check(token) {
    const known = BUILDKITE_KINDS.find((k) => token.startsWith(k.prefix));
    if (known) {
      return { verdict: 'wrong-kind', kind: known.kind, kindName: known.kindName, message: `This is a ${known.kindName} (it starts with ${known.prefix}), not an agent token. ${known.why}` };
    }
    if (/^bk[a-z]{1,4}_/.test(token)) return { verdict: 'invalid', message: `This token starts with ${token.slice(0, token.indexOf('_') + 1)}, a Buildkite prefix agent tokens do not have.` };
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return { verdict: 'invalid', message: 'A Buildkite agent token has only letters, digits, "-" and "_".' };
    if (token.length < 16) return { verdict: 'invalid', message: `This is too short for a Buildkite agent token (${token.length} characters); part of it may be missing.` };
    if (token.length > 255) return { verdict: 'invalid', message: `This is too long for a Buildkite agent token (${token.length} characters).` };
    return { verdict: 'ok', kind: 'agent-token', kindName: 'Buildkite agent token', message: 'Looks like a Buildkite agent (registration) token.' };
  },
};

const HEX40 = /^[0-9a-fA-F]{40}$/;

/** Atlassian Data Center personal access tokens: 44 base64 characters of "<digits>:<random bytes>". */
function isAtlassianPat(token: string): boolean {
  if (token.length !== 44) return false;
  const bytes = base64Bytes(token);
  if (!bytes) return false;
  const colon = bytes.indexOf(0x3a);
  return colon > 0 && bytes.slice(0, colon).every((b) => b >= 0x30 && b <= 0x39);
}
const bamboo: Rules = {
  name: 'Bamboo security token',
  where: 'Bamboo → Administration → Agents → Install remote agent: the security token (40 hexadecimal characters).',
  check(token) {
    if (HEX40.test(token)) return { verdict: 'ok', kind: 'security-token', kindName: 'Bamboo security token', message: 'Looks like a Bamboo security token (40 hexadecimal characters).' };
    if (/^[0-9a-fA-F]+$/.test(token)) {
      return { verdict: 'invalid', message: `This has ${token.length} hexadecimal characters; a Bamboo security token has exactly 40. ${token.length < 40 ? 'Part of it may be missing.' : 'Something extra was copied.'}` };
    }
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) {
      return { verdict: 'wrong-kind', kind: 'uuid', kindName: 'UUID', message: 'This is a UUID (like an agent UUID from bamboo-agent.cfg.xml), not the security token.' };
    }
    if (isAtlassianPat(token)) {
      return { verdict: 'wrong-kind', kind: 'personal-access-token', kindName: 'Bamboo personal access token', message: 'This looks like a personal access token (for the REST API and downloads), not the agent security token.' };
    }
    return { verdict: 'invalid', message: 'A Bamboo security token is 40 hexadecimal characters (0-9, a-f).' };
  },
};

/** Decodes standard base64 to bytes; undefined when it is not base64. Pure (shared/ has no atob). */
function base64Bytes(b64: string): number[] | undefined {
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

/** The text inside base64 when it is printable ASCII; undefined otherwise. */
function base64Text(b64: string): string | undefined {
  const bytes = base64Bytes(b64);
  if (!bytes || bytes.some((b) => b < 0x20 || b > 0x7e)) return undefined;
  return String.fromCharCode(...bytes);
}

const harness: Rules = {
  name: 'Harness delegate token',
  where: 'Harness → Account Settings (or your org/project) → Delegates → Tokens: copy the token value (it is shown base64-encoded).',
  check(token) {
    const apiKey = /^(pat|sat)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.exec(token);
    if (apiKey) {
      const [kind, kindName] = apiKey[1] === 'pat' ? ['personal-access-token', 'Harness personal access token (an API key)'] : ['service-account-token', 'Harness service account token (an API key)'];
      return { verdict: 'wrong-kind', kind, kindName, message: `This is a ${kindName}: it starts with ${apiKey[1]}. and is for the Harness API, not for delegates. A delegate registers with a delegate token.` };
    }
    if (/^[0-9a-fA-F]{32}$/.test(token)) {
      return {
        verdict: 'ok',
        kind: 'delegate-token-raw',
        kindName: 'Harness delegate token (decoded)',
        message: 'Looks like a decoded Harness delegate token (32 hexadecimal characters).',
        note: 'Harness shows delegate tokens base64-encoded; this is the decoded form (or a legacy account secret). Docker and shell delegates accept it; check it is the token you meant.',
      };
    }
    if (/[-_]/.test(token)) return { verdict: 'invalid', message: 'A Harness delegate token is standard base64 (A-Z, a-z, 0-9, +, / and = at the end); this has "-" or "_".' };
    const decoded = base64Text(token);
    if (decoded === undefined) return { verdict: 'invalid', message: 'This is not the base64 value Harness shows for a delegate token (check nothing was cut off at the end).' };
    if (decoded.length < 16) return { verdict: 'invalid', message: 'This is too short for a Harness delegate token; part of it may be missing.' };
    return { verdict: 'ok', kind: 'delegate-token', kindName: 'Harness delegate token', message: 'Looks like a Harness delegate token (base64).' };
  },
};

const generic: Rules = {
  name: 'token',
  where: "the platform's agent settings",
  check(token) {
    if (token.length < 8) return { verdict: 'invalid', message: `This is too short for a token (${token.length} characters).` };
    return { verdict: 'ok', kind: 'token', kindName: 'token', message: 'Accepted.' };
  },
};

const RULES: Record<TokenPlatformId, Rules> = { 'bamboo-remote': bamboo, buildkite, harness };

/** What a platform calls its token and where to get one. */
export function tokenRules(platform: string): { name: string; where: string } {
  const r = RULES[platform as TokenPlatformId] ?? generic;
  return { name: r.name, where: r.where };
}

/**
 * Cleans and checks a pasted token for `platform`. Never throws; hostile input (line breaks or
 * quotes inside, `$()`, NUL, huge text) is an 'invalid' verdict whose message names the problem.
 */
export function checkToken(platform: string, raw: string): TokenVerdict {
  const rules = RULES[platform as TokenPlatformId] ?? generic;
  const where = rules.where;
  if (raw.length > MAX_TOKEN_LENGTH) {
    return { verdict: 'invalid', cleaned: [], where, message: `This is too long to be a token (${raw.length} characters). Paste only the token.` };
  }
  const { token, cleaned } = clean(raw);
  if (token === '') return { verdict: 'invalid', cleaned, where, message: `There is no token here. Paste the ${rules.name}.` };
  const bad = forbiddenCharacter(token);
  if (bad) {
    const inside = /line break|space|tab/.test(bad.what) ? ' inside it; a token is one unbroken word' : '';
    return { verdict: 'invalid', cleaned, where, message: `This has ${bad.what} at character ${bad.at}${inside}. No ${rules.name} contains that: copy the token again.` };
  }
  const foreign = FOREIGN.find((f) => f.re.test(token));
  if (foreign) return { verdict: 'wrong-kind', kind: foreign.kind, kindName: foreign.kindName, cleaned, where, message: `This is a ${foreign.kindName}, not a ${rules.name}.` };
  const result = rules.check(token);
  if (result.verdict === 'ok') return { ...result, token, cleaned } as TokenVerdict;
  return { ...result, cleaned, where } as TokenVerdict;
}

/**
 * A token shown masked: its first four and last four characters (a known prefix such as `bkua_`
 * stays readable) with the middle hidden; short tokens show nothing.
 */
export function maskToken(token: string): string {
  if (token.length < 16) return '•'.repeat(8);
  return `${token.slice(0, 4)}${'•'.repeat(8)}${token.slice(-4)}`;
}
