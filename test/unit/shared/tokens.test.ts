import { describe, expect, it } from 'vitest';
import { checkToken, GENERIC_TOKEN, maskToken, MAX_TOKEN_LENGTH, type TokenVerdict } from '../../../shared/tokens';
import { getPlatform } from '../../../shared/platforms';
import type { TokenSpec } from '../../../shared/platforms/types';
import { bambooRemote } from '../../../shared/platforms/bamboo-remote';
import { harness } from '../../../shared/platforms/harness';

const BAMBOO = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const BUILDKITE = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4g5';
const HARNESS_RAW = 'df4eb412d2f4458a61faa668a4301104';
const HARNESS = Buffer.from(HARNESS_RAW).toString('base64');

/** The token rules of platform `id` (its credential's TokenSpec). */
function spec(id: string): TokenSpec {
  const credential = getPlatform(id)?.credential;
  if (credential?.kind !== 'token') throw new Error(`${id} has no token`);
  return credential.token;
}

function ok(v: TokenVerdict): Extract<TokenVerdict, { verdict: 'ok' }> {
  if (v.verdict !== 'ok') throw new Error(`expected ok, got ${v.verdict}: ${v.message}`);
  return v;
}

describe('token cleaning', () => {
  it.each([
    ['line breaks around it (CRLF from a Windows clipboard)', `${BAMBOO}\r\n`, ['line breaks and spaces around it']],
    ['spaces and tabs around it', `  \t${BAMBOO} `, ['spaces around it']],
    ['straight double quotes', `"${BAMBOO}"`, ['quotes around it']],
    ['single quotes', `'${BAMBOO}'`, ['quotes around it']],
    ['typographic quotes from a chat or document', `\u201C${BAMBOO}\u201D`, ['quotes around it']],
    ['a Bearer prefix', `Bearer ${BAMBOO}`, ['the "Bearer " prefix']],
    ['an Authorization: Token header', `Authorization: Token ${BAMBOO}`, ['the "Token " prefix']],
    ['an env assignment with quotes', `export SECURITY_TOKEN="${BAMBOO}"`, ['the variable name before it', 'quotes around it']],
    ['zero-width spaces from a web page', `${BAMBOO.slice(0, 10)}\u200B${BAMBOO.slice(10)}\uFEFF`, ['invisible characters']],
    ['everything at once, nested', `  "Bearer ${BAMBOO}"\n`, ['line breaks and spaces around it', 'quotes around it', 'the "Bearer " prefix']],
  ])('removes %s and says so', (_what, raw, cleaned) => {
    const v = ok(checkToken(spec('bamboo-remote'), raw));
    expect(v.token).toBe(BAMBOO);
    expect(v.cleaned).toEqual(cleaned);
  });

  it.each([
    ['export BUILDKITE_AGENT_TOKEN=', 'an exported shell variable'],
    ['MY_RUNNER_TOKEN = ', 'any variable ending in TOKEN'],
    ['ACCOUNT_SECRET=', 'a variable ending in SECRET'],
    ['delegateToken: ', 'a YAML key ending in Token'],
    ['accountSecret: ', 'a YAML key ending in Secret'],
    ['token=', 'plain token='],
  ])('removes the assignment %s (%s), whatever the vendor calls the variable', (prefix) => {
    expect(ok(checkToken(spec('bamboo-remote'), `${prefix}${BAMBOO}`))).toMatchObject({ token: BAMBOO, cleaned: ['the variable name before it'] });
  });

  it('keeps a name-like token whose only "=" is base64 padding, and a name that is not a token variable', () => {
    expect(ok(checkToken(GENERIC_TOKEN, 'abcdefghToken=='))).toMatchObject({ token: 'abcdefghToken==', cleaned: [] });
    expect(checkToken(spec('bamboo-remote'), `HOSTNAME=${BAMBOO}`).verdict).not.toBe('ok');
  });

  it("lets a platform claim a token that looks like another service's", () => {
    const gitlab: TokenSpec = {
      name: 'runner token',
      where: 'GitLab',
      claims: /^glrt-/,
      check: () => ({ verdict: 'ok', kind: 'runner', kindName: 'GitLab runner token', message: 'ok' }),
    };
    expect(checkToken(gitlab, 'glrt-0123456789abcdefghij')).toMatchObject({ verdict: 'ok', kind: 'runner' });
    expect(checkToken(spec('buildkite'), 'glrt-0123456789abcdefghij')).toMatchObject({ verdict: 'wrong-kind', kindName: 'GitLab token' });
  });

  it('reports nothing cleaned for a clean token', () => {
    expect(ok(checkToken(spec('bamboo-remote'), BAMBOO)).cleaned).toEqual([]);
  });

  it('does not strip a quote that only opens', () => {
    const v = checkToken(spec('bamboo-remote'), `"${BAMBOO}`);
    expect(v.verdict).toBe('invalid');
    expect(v.message).toContain('a double quote (") at character 1');
  });
});

describe('hostile input is refused with the reason, never kept', () => {
  it.each([
    ['a command substitution', `${BAMBOO.slice(0, 20)}$(rm -rf ~)${BAMBOO.slice(20)}`, 'a dollar sign ($) at character 21'],
    ['a backtick', `${BAMBOO}\`id\``, 'a backtick (`) at character 41'],
    ['a newline inside', `${BAMBOO.slice(0, 20)}\n${BAMBOO.slice(20)}`, 'a line break at character 21 inside it'],
    ['a space inside', `${BAMBOO.slice(0, 20)} ${BAMBOO.slice(20)}`, 'a space at character 21 inside it'],
    ['a NUL byte', `${BAMBOO}\u0000`, 'a NUL character at character 41'],
    ['a quote inside', `${BAMBOO.slice(0, 5)}"${BAMBOO.slice(5)}`, 'a double quote (") at character 6'],
    ['a semicolon', `${BAMBOO};reboot`, 'a semicolon (;) at character 41'],
    ['a backslash', `${BAMBOO}\\`, 'a backslash (\\) at character 41'],
    ['an escape character', `${BAMBOO}\u001b[2J`, 'a control character (code 27)'],
    ['a non-ASCII look-alike', `${BAMBOO.slice(0, 39)}\u0430`, 'a non-ASCII character (\u0430)'],
  ])('%s', (_what, raw, reason) => {
    for (const platform of ['bamboo-remote', 'buildkite', 'harness']) {
      const v = checkToken(spec(platform), raw);
      expect(v.verdict).toBe('invalid');
      expect(v.message).toContain(reason);
      expect(JSON.stringify(v)).not.toContain(BAMBOO);
    }
  });

  it('refuses huge text without scanning it as a token', () => {
    const v = checkToken(spec('buildkite'), 'a'.repeat(MAX_TOKEN_LENGTH + 1));
    expect(v.verdict).toBe('invalid');
    expect(v.message).toContain(`too long to be a token (${MAX_TOKEN_LENGTH + 1} characters)`);
  });

  it('refuses an empty paste (or only quotes and spaces)', () => {
    for (const raw of ['', '   \n', '""', "' '"])
      expect(checkToken(spec('buildkite'), raw)).toMatchObject({ verdict: 'invalid', message: expect.stringContaining('There is no token here') });
  });
});

describe('Bamboo security token', () => {
  it('accepts 40 hexadecimal characters', () => {
    expect(ok(checkToken(spec('bamboo-remote'), BAMBOO))).toMatchObject({ kind: 'security-token', kindName: 'Bamboo security token' });
    expect(ok(checkToken(spec('bamboo-remote'), BAMBOO.toUpperCase())).token).toBe(BAMBOO.toUpperCase());
  });

  it('says how many characters are missing or extra', () => {
    expect(checkToken(spec('bamboo-remote'), BAMBOO.slice(0, 39)).message).toContain(
      '39 hexadecimal characters; a Bamboo security token has exactly 40. Part of it may be missing.',
    );
    expect(checkToken(spec('bamboo-remote'), `${BAMBOO}0`).message).toContain('Something extra was copied.');
  });

  it('names a personal access token as the wrong kind, with where to get the right one', () => {
    const pat = Buffer.concat([Buffer.from('614364896227:'), Buffer.from('8a2b4c6d8e0f1a3b5c7d9e1f0a1b2c3d4e5f6071', 'hex')]).toString('base64');
    expect(pat).toHaveLength(44);
    const v = checkToken(spec('bamboo-remote'), pat);
    expect(v).toMatchObject({ verdict: 'wrong-kind', kind: 'personal-access-token', where: expect.stringContaining('Install remote agent') });
  });

  it('cleans the -t flag copied with the token from the installer command, as it cleans securityToken=', () => {
    expect(ok(checkToken(spec('bamboo-remote'), `-t ${BAMBOO}`))).toMatchObject({ token: BAMBOO, cleaned: ['the -t flag before it'] });
    expect(ok(checkToken(spec('bamboo-remote'), `securityToken=${BAMBOO}`)).token).toBe(BAMBOO);
    const g = bambooRemote.generate!(
      bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' }),
      { kind: 'token', token: ` -t "${BAMBOO}"\n` },
      'installer',
    );
    expect(g.ok && g.value.files.find((f) => f.path === 'security-token')?.text).toBe(`${BAMBOO}\n`);
  });

  it('names an agent UUID as the wrong kind', () => {
    expect(checkToken(spec('bamboo-remote'), '0f8fad5b-d9cb-469f-a165-70867728950e')).toMatchObject({ verdict: 'wrong-kind', kind: 'uuid' });
  });
});

describe('Harness API keys', () => {
  it.each([
    ['pat.', 'personal-access-token', 'Harness personal access token (an API key)'],
    ['sat.', 'service-account-token', 'Harness service account token (an API key)'],
  ])('names a %s key as an API key, not "not the base64 value", and says where the delegate token is', (prefix, kind, kindName) => {
    const v = checkToken(spec('harness'), `${prefix}px7xd_BFRCi-pfWPYXVjvw.65a1b2c3d4e5f6a7b8c9d0e1.AbCdEfGhIjKlMnOpQrSt`);
    expect(v).toMatchObject({ verdict: 'wrong-kind', kind, kindName, where: expect.stringContaining('Delegates → Tokens') });
    expect(v.message).toContain('for the Harness API, not for delegates');
    const g = harness.generate!(
      harness.answers.parse({ accountId: 'a', delegateName: 'd', imageTag: '26.02.88404' }),
      { kind: 'token', token: `${prefix}a.b.c` },
      'docker',
    );
    expect(g).toMatchObject({ ok: false, error: { code: 'TOKEN_WRONG_KIND', hint: expect.stringContaining('Delegates → Tokens') } });
  });
});

describe('Buildkite agent token', () => {
  it('accepts an unprefixed agent token', () => {
    expect(ok(checkToken(spec('buildkite'), BUILDKITE))).toMatchObject({ kind: 'agent-token', kindName: 'Buildkite agent token' });
  });

  it.each([
    ['bkua_', 'api-token', 'Buildkite API access token', 'not for agents'],
    ['bkaa_', 'agent-session-token', 'Buildkite agent session token', 'already registered'],
    ['bkaj_', 'job-token', 'Buildkite job token', 'Each job gets its own'],
    ['bkjat_', 'job-acquisition-token', 'Buildkite job acquisition token', 'expires within an hour'],
  ])('tells a %s token is the wrong kind and which kind it is', (prefix, kind, kindName, why) => {
    const v = checkToken(spec('buildkite'), `Bearer ${prefix}0123456789abcdefABCDEF0123456789abcd`);
    expect(v).toMatchObject({ verdict: 'wrong-kind', kind, kindName });
    expect(v.message).toContain(`starts with ${prefix}`);
    expect(v.message).toContain(why);
    expect(v).toMatchObject({ where: expect.stringContaining('Agents → your cluster → Agent Tokens') });
  });

  it('refuses an unknown Buildkite prefix rather than guessing', () => {
    expect(checkToken(spec('buildkite'), 'bkxx_0123456789abcdef0123456789')).toMatchObject({ verdict: 'invalid', message: expect.stringContaining('bkxx_') });
  });

  it('names tokens of other services', () => {
    expect(checkToken(spec('buildkite'), 'ghp_0123456789abcdefghijklmnopqrstuvwxyz')).toMatchObject({ verdict: 'wrong-kind', kindName: 'GitHub token' });
    expect(checkToken(spec('buildkite'), 'glrt-0123456789abcdefghij')).toMatchObject({ verdict: 'wrong-kind', kindName: 'GitLab token' });
    expect(checkToken(spec('harness'), 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toMatchObject({ verdict: 'wrong-kind', kind: 'jwt' });
  });

  it('refuses a token too short to be whole', () => {
    expect(checkToken(spec('buildkite'), 'abc123')).toMatchObject({ verdict: 'invalid', message: expect.stringContaining('too short') });
  });
});

describe('Harness delegate token', () => {
  it('accepts the base64 form Harness shows', () => {
    expect(ok(checkToken(spec('harness'), HARNESS))).toMatchObject({ kind: 'delegate-token', token: HARNESS });
  });

  it('accepts the decoded 32-hex form with a note', () => {
    const v = ok(checkToken(spec('harness'), HARNESS_RAW));
    expect(v.kind).toBe('delegate-token-raw');
    expect(v.note).toContain('base64-encoded');
  });

  it('refuses base64 that was cut off, or base64url', () => {
    expect(checkToken(spec('harness'), HARNESS.slice(0, -2)).verdict).toBe('invalid');
    expect(checkToken(spec('harness'), HARNESS.replace(/[+/]|$/, '-')).verdict).toBe('invalid');
  });

  it('refuses base64 of binary data', () => {
    expect(checkToken(spec('harness'), Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 3, 4, 5, 6, 7, 8, 9, 10, 11]).toString('base64')).verdict).toBe(
      'invalid',
    );
  });
});

describe('masking and rules', () => {
  it('shows the first and last four characters only', () => {
    expect(maskToken(BAMBOO)).toBe('f3de••••••••22f9');
    expect(maskToken('short')).toBe('••••••••');
  });

  it('tells what each platform calls its token and where to get it, in its own words', () => {
    expect(spec('buildkite')).toMatchObject({ name: 'agent token' });
    expect(spec('harness').where).toContain('Delegates → Tokens');
    expect(checkToken(spec('buildkite'), '').message).toBe('There is no token here. Paste the agent token.');
    expect(checkToken(spec('buildkite'), 'ghp_0123456789abcdefghijklmnopqrstuvwxyz').message).toBe('This is a GitHub token, not an agent token.');
  });

  it('checks only the length for a platform without token rules of its own', () => {
    expect(checkToken(GENERIC_TOKEN, 'abc')).toMatchObject({ verdict: 'invalid', where: "the platform's agent settings" });
    expect(checkToken(GENERIC_TOKEN, 'abcdefgh')).toMatchObject({ verdict: 'ok', kind: 'token' });
  });
});
