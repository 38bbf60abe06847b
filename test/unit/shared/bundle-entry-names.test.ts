import { describe, expect, it } from 'vitest';
import { checkEntryPath, collisionKey } from '../../../shared/bundle';
import { unpackMode } from '../../../main/services/bundle';

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

describe('checkEntryPath on names that show something else than they are (issue 14, info)', () => {
  it.each([
    ['bidi override U+202E', 'keys/\u202egpj.exe'],
    ['right-to-left mark', 'a\u200fb.conf'],
    ['first strong isolate', 'x\u2068y'],
    ['C1 control U+0085 (NEL)', 'a\u0085b.conf'],
    ['C1 CSI U+009B', 'a\u009b31mb'],
  ])('refuses a name with a %s', (_what, name) => {
    const r = checkEntryPath(name);
    expect(r.ok === false && r.error.code).toBe('BUNDLE_INVALID');
  });

  it('folds case fully when checking for collisions: ſ is s, ß is ss, the Kelvin sign is k', () => {
    expect(collisionKey('conf/ſecret.yml')).toBe(collisionKey('conf/secret.yml'));
    expect(collisionKey('Straße.txt')).toBe(collisionKey('STRASSE.txt'));
    expect(collisionKey('\u212Aey')).toBe(collisionKey('key'));
    expect(collisionKey('a.yml')).not.toBe(collisionKey('b.yml'));
  });
});

describe('the mode a bundle file is unpacked with (issue 14, info)', () => {
  it('drops group- and world-write and setuid: at most 0755, secrets 0600', () => {
    expect(unpackMode({ secret: false, mode: 0o775 })).toBe(0o755);
    expect(unpackMode({ secret: false, mode: 0o4777 })).toBe(0o755);
    expect(unpackMode({ secret: false, mode: 0o664 })).toBe(0o644);
    expect(unpackMode({ secret: true, mode: 0o644 })).toBe(0o600);
  });
});
