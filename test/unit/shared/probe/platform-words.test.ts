/**
 * The probe's advice and `generate --help` name vendors only through the platforms: the words a
 * user reads stay what they were, and the generic files carry no vendor name of their own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import { PUBLIC_TLS_SUFFIXES, VERDICTS, WARNINGS, interceptionReason } from '../../../../shared/probe';
import { generateCommand } from '../../../../main/cli/generate';

const root = path.resolve(__dirname, '../../../..');
const VENDOR = /armorcode|harness|buildkite|bamboo|atlassian|github|gitlab/i;

describe('vendor words come from the platforms', () => {
  it('"Key not accepted" says how each key-pair platform registers a key, in the same words as before', () => {
    expect(VERDICTS.AUTH_REJECTED.fix).toBe(
      'The SSH server does not accept this key for user {user}. Check the user name, and that the public key was registered with the server owner (ArmorCode: send public-key.pem to their support); registration can take a while.',
    );
    const registrations = PLATFORMS.flatMap((p) => (p.credential.kind === 'ssh-keypair' && p.credential.registration ? [p.credential.registration] : []));
    expect(registrations).toEqual(['ArmorCode: send public-key.pem to their support']);
  });

  it('the clock-skew warning lists the token agents that declare a wrong clock breaks them, with the advice unchanged', () => {
    const fix = WARNINGS.CLOCK_SKEW.fix;
    expect(fix).toMatch(
      /^Token agents \(Bamboo, Buildkite, Harness delegates\) sign or check short-lived tokens with this clock and fail with misleading "unauthorized"/,
    );
    expect(fix).toContain('on Linux `timedatectl set-ntp true` (systemd-timesyncd)');
    expect(fix).toContain('the agent host when `agent-onboard probe` runs there.');
    const agents = PLATFORMS.flatMap((p) => (p.credential.kind === 'token' && p.credential.token.clockSensitive ? [p.credential.token.clockSensitive] : []));
    for (const a of agents) expect(fix).toContain(a);
  });

  it("the public SaaS domains are the platforms' publicDomains, the same set as before, and still call interception", () => {
    expect([...PUBLIC_TLS_SUFFIXES].sort()).toEqual([
      'armorcode.ai',
      'armorcode.com',
      'atlassian.com',
      'atlassian.net',
      'buildkite.com',
      'github.com',
      'gitlab.com',
      'harness.io',
    ]);
    expect(PUBLIC_TLS_SUFFIXES).toEqual(PLATFORMS.flatMap((p) => p.publicDomains ?? []).filter((d, i, all) => all.indexOf(d) === i));
    const facts = { issuer: 'Corp Root CA', viaProxy: false, otherDomainsSameIssuer: [], tlsInsteadOfSsh: false };
    expect(interceptionReason({ ...facts, host: 'agent.buildkite.com' })).toMatch(/public service/);
    expect(interceptionReason({ ...facts, host: 'tunnel.example.armorcode.ai' })).toMatch(/public service/);
    expect(interceptionReason({ ...facts, host: 'ci.example.internal' })).toBeUndefined();
  });

  it('generate --help says how the generators that install a company CA do it', () => {
    expect(generateCommand.help).toContain(
      '  --ca-file FILE       a company CA (PEM or DER) the agent must trust; platforms that can install\n                       it do (Harness mounts it where the delegate loads it); a key is refused',
    );
    expect(PLATFORMS.filter((p) => p.caInstall).map((p) => p.id)).toEqual(['harness']);
  });

  it('the generic files name no vendor', () => {
    for (const file of ['shared/probe/verdicts.ts', 'shared/probe/interception.ts', 'main/cli/generate.ts']) {
      const text = readFileSync(path.join(root, file), 'utf8');
      expect(
        text.split('\n').filter((l) => VENDOR.test(l)),
        file,
      ).toEqual([]);
    }
  });
});
