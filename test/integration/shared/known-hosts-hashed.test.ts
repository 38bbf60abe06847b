import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pinnedKeys } from '../../../shared/known-hosts';

// Real OpenSSH: `ssh-keygen -H` hashes a known_hosts file the way HashKnownHosts does, and
// `ssh-keygen -F` looks a name up the way ssh does; the app's lookup must agree with both.
const dir = mkdtempSync(path.join(os.tmpdir(), 'ao-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyOf(name: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, name)]);
  return readFileSync(path.join(dir, `${name}.pub`), 'utf8').split(' ')[1]!;
}

describe('known_hosts hashed by ssh-keygen -H', () => {
  it('pins the same keys from the hashed file as ssh-keygen -F finds, for port 22 and [host]:port', () => {
    const k22 = keyOf('k22');
    const k443 = keyOf('k443');
    const file = path.join(dir, 'known_hosts');
    writeFileSync(file, `tunnel.example.com ssh-ed25519 ${k22}\n[tunnel.example.com]:443 ssh-ed25519 ${k443}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashedText = readFileSync(file, 'utf8');
    expect(hashedText).not.toContain('tunnel.example.com');
    expect(hashedText).toMatch(/^\|1\|/m);
    const found = (name: string): boolean => {
      try {
        return execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' }).includes('ssh-ed25519');
      } catch {
        return false;
      }
    };
    expect(found('tunnel.example.com')).toBe(true);
    expect(pinnedKeys(hashedText, 'tunnel.example.com', 22)).toEqual([{ keyType: 'ssh-ed25519', key: k22 }]);
    expect(found('[tunnel.example.com]:443')).toBe(true);
    expect(pinnedKeys(hashedText, 'tunnel.example.com', 443)).toEqual([{ keyType: 'ssh-ed25519', key: k443 }]);
    expect(found('[tunnel.example.com]:2222')).toBe(false);
    expect(pinnedKeys(hashedText, 'tunnel.example.com', 2222)).toEqual([]);
  });
});
