/**
 * The token finders (shared/token-finders.ts): every token place the platforms' updaters know is
 * found in every generated file, by content whatever the file is called; empty places,
 * placeholders and environment references are not tokens; masking leaves no form of the token.
 */
import { describe, expect, it } from 'vitest';
import { base64Utf8 } from '../../../shared/edit/values';
import { buildkite, buildkiteAnswers } from '../../../shared/platforms/buildkite';
import { harness, harnessAnswers } from '../../../shared/platforms/harness';
import { recogniseGenerated, recognisePlatform } from '../../../shared/platforms/recognise';
import type { AnyPlatform } from '../../../shared/platforms/types';
import { findTokens, findValues, maskSecrets, privateKeyBlocks, secretsIn } from '../../../shared/token-finders';

const HARNESS = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const BUILDKITE = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';

function generated(platform: AnyPlatform, answers: unknown, token: string): { variant: string; path: string; text: string }[] {
  return platform.variants.flatMap((v) => {
    const g = platform.generate!(answers, { kind: 'token', token }, v.id);
    if (!g.ok) throw new Error(`${platform.id} ${v.id}: ${g.error.message}`);
    return g.value.files.map((f) => ({ variant: v.id, path: f.path, text: f.text }));
  });
}

const cases = [
  ...generated(harness, harnessAnswers.parse({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' }), HARNESS).map(
    (f) => ({ ...f, token: HARNESS }),
  ),
  ...generated(buildkite, buildkiteAnswers.parse({ name: 'ci', tags: { queue: 'q' } }), BUILDKITE).map((f) => ({ ...f, token: BUILDKITE })),
].filter((f) => f.text.includes(f.token) || f.text.includes(base64Utf8(f.token)));

describe('findTokens over every generated file that holds the token', () => {
  it('covers files of both platforms', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [`${c.variant}/${c.path}`, c] as const))('%s: found and masked, also renamed', (_name, c) => {
    for (const name of [c.path, 'renamed-file']) {
      const found = findTokens(c.text, name);
      expect(found.length, name).toBeGreaterThan(0);
      const masked = maskSecrets(c.text, name);
      expect(masked).not.toContain(c.token);
      expect(masked).not.toContain(base64Utf8(c.token));
      expect(secretsIn(c.text, name).join(' ')).toMatch(/token/);
    }
  });
});

describe('what is not a token', () => {
  it.each([
    ['buildkite-agent.cfg', 'token=""\nname="x"\n'],
    ['buildkite-agent.cfg', 'token="xxx"\nname="x"\n'],
    ['buildkite-agent.cfg', 'token="${BUILDKITE_AGENT_TOKEN}"\nname="x"\n'],
    ['agent.env', 'BUILDKITE_AGENT_TOKEN=$FROM_VAULT\n'],
    ['run.sh', '#!/bin/sh\ndocker run -e DELEGATE_TOKEN="$DELEGATE_TOKEN" harness/delegate\n'],
  ])('%s: %j', (name, text) => {
    expect(findTokens(text, name)).toEqual([]);
    expect(secretsIn(text, name)).toEqual([]);
  });
});

describe('known values and keys', () => {
  it('finds a known token raw and base64-encoded, in any text', () => {
    const text = `a ${BUILDKITE} b ${base64Utf8(BUILDKITE)}`;
    expect(findValues(text, [BUILDKITE])).toHaveLength(2);
    expect(maskSecrets(text, 'x.txt', [BUILDKITE])).toBe('a «token» b «token»');
  });

  it('masks a whole private key block, keeping what is around it', () => {
    const text = 'before\n-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\nBBBB\n-----END OPENSSH PRIVATE KEY-----\nafter\n';
    expect(privateKeyBlocks(text)).toHaveLength(1);
    expect(maskSecrets(text, 'id')).toBe('before\n«private key»\nafter\n');
  });
});

describe('recognisePlatform', () => {
  it('tells a Buildkite folder from a Harness one by their files', () => {
    const bk = cases.filter((c) => c.token === BUILDKITE).map((c) => ({ path: c.path, text: c.text }));
    const hs = cases.filter((c) => c.token === HARNESS).map((c) => ({ path: c.path, text: c.text }));
    expect(recognisePlatform(bk).platform).toBe('buildkite');
    expect(recognisePlatform(hs).platform).toBe('harness');
    expect(recognisePlatform([{ path: 'notes.txt', text: 'hello' }]).platform).toBeNull();
  });

  it('tells the platform and variant of a folder the generator wrote (install --from), and nothing for others', () => {
    const tunnel = [
      { path: 'supervisord.conf', text: '[supervisord]\n[program:tunnel-0]\ncommand=autossh\n' },
      { path: 'private-key.pem', text: '-----BEGIN RSA PRIVATE KEY-----\n' },
    ];
    expect(recogniseGenerated(tunnel)).toEqual({ platform: 'armorcode', variant: 'docker' });
    expect(recogniseGenerated(tunnel.slice(0, 1))).toBeUndefined();
    expect(recogniseGenerated([{ path: 'buildkite-agent.cfg', text: 'token="x"\n' }])).toBeUndefined();
  });
});
