import { describe, expect, it } from 'vitest';
import {
  checkEntryPath,
  collisionKey,
  COMPANY_CA_FILE,
  companyCaSteps,
  isPrivateKeyText,
  isSecretFile,
  renderReadme,
  type ManifestFile,
} from '../../../shared/bundle';
import { getPlatform } from '../../../shared/platforms';

const file = (path: string, extra: Partial<ManifestFile> = {}): ManifestFile => ({
  path,
  size: 3,
  sha256: 'a'.repeat(64),
  mode: 0o644,
  secret: false,
  ...extra,
});

describe('checkEntryPath', () => {
  it.each([
    ['../evil', /climbs out/],
    ['a/../../evil', /climbs out/],
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/evil', /drive letter/],
    ['a\\b', /backslash/],
    ['a//b', /empty path segment/],
    ['./a', /'\.' segment/],
    ['a/\u0000b', /control character/],
    ['a\nb', /control character/],
    ['', /empty name/],
    ['con', /Windows reserves/],
    ['keys/LPT1.txt', /Windows reserves/],
    ['x'.repeat(256), /longer than 255/],
  ])('refuses %j', (name, why) => {
    const r = checkEntryPath(name);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BUNDLE_INVALID');
      expect(r.error.message).toMatch(why);
    }
  });

  it.each(['README.md', 'keys/id_ed25519', 'a/b/c.d.e', '.env', 'config..bak', 'ünïcode/файл.txt'])('accepts %j', (name) => {
    expect(checkEntryPath(name).ok).toBe(true);
  });

  it('folds case and Unicode normalisation for collision checks', () => {
    expect(collisionKey('Keys/A.PEM')).toBe(collisionKey('keys/a.pem'));
    expect(collisionKey('caf\u00e9')).toBe(collisionKey('cafe\u0301'));
  });
});

describe('secret detection', () => {
  it.each([
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN EC PRIVATE KEY-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
    'PuTTY-User-Key-File-3: ssh-ed25519',
  ])('knows a private key by %j', (header) => {
    expect(isPrivateKeyText(`comment\n${header}\nAAAA\n`)).toBe(true);
  });

  it('does not take a public key or a certificate for a private key', () => {
    expect(isPrivateKeyText('ssh-ed25519 AAAAC3Nz user@host\n')).toBe(false);
    expect(isPrivateKeyText('-----BEGIN PUBLIC KEY-----\n')).toBe(false);
    expect(isPrivateKeyText('-----BEGIN CERTIFICATE-----\n')).toBe(false);
  });

  it('counts owner-only modes, private keys and platform-marked files as secret', () => {
    expect(isSecretFile({ mode: 0o600, text: 'x' })).toBe(true);
    expect(isSecretFile({ mode: 0o400, text: 'x' })).toBe(true);
    expect(isSecretFile({ mode: 0o644, text: '-----BEGIN OPENSSH PRIVATE KEY-----' })).toBe(true);
    expect(isSecretFile({ mode: 0o644, text: 'token', markedSecret: true })).toBe(true);
    expect(isSecretFile({ mode: 0o644, text: 'x' })).toBe(false);
    expect(isSecretFile({ mode: 0o700, text: '#!/bin/sh' })).toBe(false);
  });
});

describe('renderReadme', () => {
  const base = { variant: 'installer', appVersion: '1.2.3', createdAt: '2026-01-01T00:00:00.000Z', notes: [], hasReport: false, bundleName: 'agent 1.zip' };

  it("puts the platform's commands in fences that their own backticks cannot close", () => {
    const readme = renderReadme({
      ...base,
      platform: getPlatform('bamboo-remote'),
      files: [file('install.sh')],
      commands: [{ title: 'Run it', command: 'echo ```; sh install.sh', os: 'linux' }],
    });
    expect(readme).toContain('# Bamboo remote agent');
    expect(readme).toContain('### 1. Run it (linux)\n\n````sh\necho ```; sh install.sh\n````');
    // The bundle name is quoted for the shell in the commands.
    expect(readme).toContain("agent-onboard bundle verify 'agent 1.zip'");
  });

  it('has a "Removing this agent later" section with each command fenced and the notes, only when there is one', () => {
    const removal = {
      commands: [{ title: 'Stop it', command: 'sudo systemctl disable --now bamboo-agent', os: 'linux' as const }],
      notes: ['Delete it in Bamboo too.'],
    };
    const readme = renderReadme({ ...base, platform: getPlatform('bamboo-remote'), files: [file('install.sh')], commands: [], removal });
    expect(readme).toContain(
      '## Removing this agent later\n\n- Stop it (linux):\n\n```sh\nsudo systemctl disable --now bamboo-agent\n```\n\n- Delete it in Bamboo too.\n',
    );
    expect(renderReadme({ ...base, platform: undefined, files: [], commands: [] })).not.toContain('Removing this agent');
  });

  it('tells how to unpack encrypted files, and lists only plain files for sha256sum', () => {
    const readme = renderReadme({
      ...base,
      platform: undefined,
      commands: [],
      files: [
        file('token', { secret: true, mode: 0o600, encrypted: { cipher: 'aes-256-gcm', kdf: 'scrypt', storedSize: 60, storedSha256: 'b'.repeat(64) } }),
        file('a.cfg'),
      ],
    });
    expect(readme).toContain('--passphrase-env BUNDLE_PASSPHRASE');
    expect(readme).toMatch(/One secret file is encrypted/);
    expect(readme).toContain(`${'a'.repeat(64)}  a.cfg`);
    expect(readme).not.toMatch(/ {2}token\n/);
  });

  it('warns when secrets travel unencrypted, and escapes table cells', () => {
    const readme = renderReadme({ ...base, platform: undefined, commands: [], files: [file('k|ey', { secret: true, mode: 0o600, description: 'a | b' })] });
    expect(readme).toMatch(/secret files are not encrypted/);
    expect(readme).toContain('| `k\\|ey` | 0600 | yes | 3 | a \\| b |');
  });
});

describe('companyCaSteps', () => {
  it('trusts the CA in every system store, and says what each agent reads besides', () => {
    const common = companyCaSteps('armorcode');
    expect(common.commands.map((c) => c.os)).toEqual(['linux', 'linux', 'macos', 'windows']);
    expect(common.commands.every((c) => c.command.includes(COMPANY_CA_FILE))).toBe(true);
    expect(common.notes.join('\n')).toContain('openssl x509 -in company-ca.pem -noout -subject -fingerprint -sha256');
    expect(common.notes.join('\n')).not.toMatch(/keytool|ca-bundle|SSL_CERT_FILE/);
    expect(companyCaSteps('bamboo-remote').notes.join('\n')).toContain('keytool -importcert -noprompt -cacerts -alias company-ca -file company-ca.pem');
    expect(companyCaSteps('bamboo-elastic').notes.join('\n')).toContain('keytool');
    expect(companyCaSteps('harness').notes.join('\n')).toContain('already mount the company CA there');
    expect(companyCaSteps('buildkite').notes.join('\n')).toContain('SSL_CERT_FILE');
  });
});
