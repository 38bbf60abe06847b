import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '../support/sshd';

const run = promisify(execFile);

describe('test/support/sshd', () => {
  let dir: string;
  let sshd: RunningSshd;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-sshd-client-'));
    key = path.join(dir, 'id');
    otherKey = path.join(dir, 'other');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    sshd = await startSshd({ authorizedKeys: [readFileSync(`${key}.pub`, 'utf8')] });
    writeFileSync(path.join(dir, 'known_hosts'), sshd.knownHostsLine + '\n');
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ssh = (identity: string) =>
    run('ssh', [
      '-F',
      'none',
      '-i',
      identity,
      '-p',
      String(sshd.port),
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`,
      '-o',
      'StrictHostKeyChecking=yes',
      `${sshd.user}@127.0.0.1`,
      'echo logged-in',
    ]);

  it('lets the authorized key log in and the known_hosts line verifies its host key', async () => {
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sshd.hostPublicKey).toMatch(/^ssh-ed25519 AAAA\S+$/);
    const { stdout } = await ssh(key);
    expect(stdout.trim()).toBe('logged-in');
  });

  it('refuses a key that is not in authorized_keys', async () => {
    await expect(ssh(otherKey)).rejects.toThrow(/Permission denied/);
  });
});
