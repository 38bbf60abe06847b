import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { knownHostsLine, knownHostsPattern, mergeKnownHosts, parseKey, pinnedKeys, unpinHost } from '../../../shared/known-hosts';

const ed = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const ed2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GZVl';

/** A hashed name as OpenSSH writes it (hostfile.c host_hash): |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
function hashed(name: string, salt = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts: one module, the lookup rule of OpenSSH', () => {
  it('writes [host]:port off port 22 and a bare host on 22, names without case', () => {
    expect(knownHostsPattern('H.example.com', 22)).toBe('h.example.com');
    expect(knownHostsLine('h.example.com', 443, 'ssh-ed25519', ed)).toBe(`[h.example.com]:443 ssh-ed25519 ${ed}`);
  });

  it('matches [host]:port only on that port, and the bare name (or [host]:22) only on 22', () => {
    const text = `[h]:443 ssh-ed25519 ${ed}\n[h]:22 ssh-ed25519 ${ed2}\nh2 ssh-ed25519 ${ed}\n`;
    expect(pinnedKeys(text, 'h', 443)).toEqual([{ keyType: 'ssh-ed25519', key: ed }]);
    expect(pinnedKeys(text, 'h', 2222)).toEqual([]);
    expect(pinnedKeys(text, 'h', 22)).toEqual([{ keyType: 'ssh-ed25519', key: ed2 }]);
    expect(pinnedKeys(text, 'h2', 22)).toEqual([{ keyType: 'ssh-ed25519', key: ed }]);
    expect(pinnedKeys(text, 'h2', 443)).toEqual([]);
    expect(pinnedKeys(`other,H ssh-ed25519 ${ed} a comment\n`, 'h', 22)).toEqual([{ keyType: 'ssh-ed25519', key: ed }]);
  });

  it('matches hashed names (ssh-keyscan -H, HashKnownHosts) by their HMAC, for the bare name and [host]:port', () => {
    const text = [
      `${hashed('h.example.com')} ssh-ed25519 ${ed}`,
      `${hashed('[h.example.com]:443')} ssh-ed25519 ${ed2}`,
      `${hashed('other.example.com')} ssh-ed25519 ${ed2}`,
    ].join('\n');
    expect(pinnedKeys(text, 'h.example.com', 22)).toEqual([{ keyType: 'ssh-ed25519', key: ed }]);
    expect(pinnedKeys(text, 'H.example.com', 443)).toEqual([{ keyType: 'ssh-ed25519', key: ed2 }]);
    expect(pinnedKeys(text, 'h.example.com', 2222)).toEqual([]);
    expect(pinnedKeys('|1|abc=|def= ssh-ed25519 ' + ed, 'h', 22)).toEqual([]);
    expect(pinnedKeys(`${hashed('h').replace('|1|', '|2|')} ssh-ed25519 ${ed}`, 'h', 22)).toEqual([]);
  });

  it('never pins a @revoked key, even listed on another line, and pins nothing from @cert-authority', () => {
    const text = [`h ssh-ed25519 ${ed}`, `h ssh-ed25519 ${ed2}`, `@revoked h ssh-ed25519 ${ed}`, `@cert-authority h ssh-ed25519 ${ed2}`].join('\n');
    expect(pinnedKeys(text, 'h', 22)).toEqual([{ keyType: 'ssh-ed25519', key: ed2 }]);
    expect(pinnedKeys(`@cert-authority h ssh-ed25519 ${ed}\n`, 'h', 22)).toEqual([]);
    expect(pinnedKeys(`@revoked ${hashed('h')} ssh-ed25519 ${ed2}\nh ssh-ed25519 ${ed2}\n`, 'h', 22)).toEqual([]);
  });

  it('refuses keys of an unknown type, malformed base64, or a blob of another type', () => {
    expect(parseKey('ssh-ed25519', ed)).toEqual({ keyType: 'ssh-ed25519', key: ed });
    expect(parseKey('ssh-dss', ed)).toBeNull();
    expect(parseKey('ssh-rsa', ed)).toBeNull();
    expect(parseKey('ssh-ed25519', 'not base64!')).toBeNull();
    expect(pinnedKeys(`h ssh-rsa ${ed}\nh ssh-ed25519 $(id)\n`, 'h', 22)).toEqual([]);
  });

  it('replaces a re-pinned host key of the same type, keeps the rest, and unpins one host', () => {
    const first = mergeKnownHosts('# comment\nother.example ssh-rsa AAAAB3\n', knownHostsLine('h', 443, 'ssh-ed25519', 'OLD'));
    const second = mergeKnownHosts(first, knownHostsLine('h', 443, 'ssh-ed25519', ed));
    expect(second).toBe(`# comment\nother.example ssh-rsa AAAAB3\n[h]:443 ssh-ed25519 ${ed}\n`);
    expect(pinnedKeys(second, 'h', 443)).toEqual([{ keyType: 'ssh-ed25519', key: ed }]);
    expect(unpinHost(second, 'h', 443)).toBe('# comment\nother.example ssh-rsa AAAAB3\n');
  });
});
