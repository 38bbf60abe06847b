import { describe, expect, it } from 'vitest';
import { checkEntryPath } from '../../../shared/bundle';

describe('checkEntryPath on names Windows reads differently', () => {
  it.each([
    ['config.yml:hidden', /':'/],
    ['keys/id_ed25519:$DATA', /':'/],
    ['buildkite-agent.cfg.', /dot or a space/],
    ['buildkite-agent.cfg ', /dot or a space/],
    ['keys./id_ed25519', /dot or a space/],
  ])('refuses %j, which Windows would write somewhere else than it says', (name, why) => {
    const r = checkEntryPath(name);
    expect(r.ok === false && r.error.code).toBe('BUNDLE_INVALID');
    expect(r.ok === false && r.error.message).toMatch(why);
  });

  it.each(['buildkite-agent.cfg', 'keys/id_ed25519.pub', '.env', 'conf/wrapper.conf', 'a b/c d.txt'])('accepts %j', (name) => {
    expect(checkEntryPath(name).ok).toBe(true);
  });
});
