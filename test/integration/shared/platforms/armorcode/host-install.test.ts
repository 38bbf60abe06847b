/**
 * Installing the ArmorCode tunnel on a host: the Docker Compose variant's supervisord.conf, moved
 * under an install root, is byte for byte what the generator writes for the host layout, and the
 * recipe puts the key at 0600 under the root.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armorcode } from '../../../../../shared/platforms/armorcode';
import { generateArmorcode } from '../../../../../shared/platforms/armorcode/generate';
import { armorcodeHostRecipe, hostLayout, rerootSupervisordConf } from '../../../../../shared/platforms/armorcode/host-install';
import { supervisordConf } from '../../../../../shared/platforms/armorcode/supervisord';
import type { Credential } from '../../../../../shared/platforms/types';

let dir: string;
let credential: Credential;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-ac-host-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, 'k')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, 'hk')]);
  credential = {
    kind: 'ssh-keypair',
    privateKey: readFileSync(path.join(dir, 'k'), 'utf8'),
    publicKey: readFileSync(path.join(dir, 'k.pub'), 'utf8').trim(),
    knownHosts: `[tunnel.example.com]:443 ${readFileSync(path.join(dir, 'hk.pub'), 'utf8').trim()}\n`,
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const answers = armorcode.answers.parse({
  server: 'tunnel.example.com',
  port: 443,
  user: 'acme',
  services: [
    { name: 'jira', url: 'https://jira.acme.com', remotePort: 5000 },
    { name: 'sonar', url: 'http://sonar.acme.com:9000/projects', remotePort: 5001 },
  ],
});

describe('ArmorCode host install recipe', () => {
  for (const prefix of ['/', '/opt/agent-root', '/tmp/ao-host-x/']) {
    it(`reroots the generated conf exactly as generating it for the host layout (${prefix})`, () => {
      const g = generateArmorcode(answers, credential, 'docker');
      if (!g.ok) throw new Error(g.error.message);
      const conf = g.value.files.find((f) => f.path === 'supervisord.conf')!.text;
      const moved = rerootSupervisordConf(conf, hostLayout(prefix));
      expect(moved).toEqual(supervisordConf(answers, hostLayout(prefix)));
    });
  }

  it('places every file under the root, the key at 0600, and starts supervisord detached', () => {
    const g = generateArmorcode(answers, credential, 'docker');
    if (!g.ok) throw new Error(g.error.message);
    const r = armorcodeHostRecipe('docker', g.value.files, '/opt/root');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.map((f) => [f.target, f.mode.toString(8), f.secret])).toEqual([
      ['/opt/root/etc/armorcode/supervisord.conf', '644', false],
      ['/opt/root/etc/armorcode/private-key.pem', '600', true],
      ['/opt/root/etc/armorcode/known_hosts', '644', false],
      ['/opt/root/etc/armorcode/public-key.pem', '644', false],
    ]);
    expect(r.value.files[0]!.text).not.toMatch(/user=appuser|\/dev\/stdout|\/tmp\/armorcode/);
    expect(r.value.start[0]!.command).toBe('setsid -f supervisord -c /opt/root/etc/armorcode/supervisord.conf </dev/null >/dev/null 2>&1');
    // No command carries file contents.
    for (const c of [...r.value.start, ...r.value.stop]) expect(c.command).not.toContain('PRIVATE KEY');
  });

  it('refuses a conf it did not generate, and the systemd variant under another root, saying what to do', () => {
    const g = generateArmorcode(answers, credential, 'docker');
    if (!g.ok) throw new Error(g.error.message);
    const edited = g.value.files.map((f) => (f.path === 'supervisord.conf' ? { ...f, text: f.text.replace('logfile=/dev/stdout', 'logfile=/var/log/x') } : f));
    const r = armorcodeHostRecipe('docker', edited, '/');
    expect(!r.ok && r.error.code).toBe('BAD_INPUT');
    const units = generateArmorcode(answers, credential, 'systemd');
    if (!units.ok) throw new Error(units.error.message);
    expect(armorcodeHostRecipe('systemd', units.value.files, '/').ok).toBe(true);
    const s = armorcodeHostRecipe('systemd', units.value.files, '/opt/agent-root');
    expect(!s.ok && s.error.hint).toMatch(/Docker Compose/);
  });
});
