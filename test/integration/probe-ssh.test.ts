/**
 * The SSH probe against real OpenSSH sshd processes on 127.0.0.1: two servers standing in for
 * the ArmorCode server's ports 22 and 443, one with forwarding forbidden, keys made by ssh-keygen
 * and openssl.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeKnownHosts } from '../../shared/known-hosts';
import type { ProbeEndpoint } from '../../shared/probe';
import { keyForSsh2, type Ssh2Key } from '../../main/services/keys';
import { runProbes } from '../../main/services/probe';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';

const run = promisify(execFile);

let dir: string;
let sshd22: RunningSshd;
let sshd443: RunningSshd;
let noForward: RunningSshd;
let key: Ssh2Key;
let strangerKey: Ssh2Key;
let rsaPemKey: Ssh2Key;
let pkcs8Key: Ssh2Key;

async function keygen(name: string, args: string[]): Promise<string> {
  const file = path.join(dir, name);
  await run('ssh-keygen', ['-q', '-N', '', '-C', name, '-f', file, ...args]);
  return file;
}

function load(file: string): Ssh2Key {
  const k = keyForSsh2(readFileSync(file, 'utf8'));
  if (!k.ok) throw new Error(k.error.message);
  return k.value;
}

const ssh = (s: RunningSshd, extra: Partial<ProbeEndpoint> = {}): ProbeEndpoint => ({
  id: `ssh-${s.port}`,
  host: '127.0.0.1',
  port: s.port,
  protocol: 'ssh',
  purpose: 'test sshd',
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-ssh-'));
  const ed = await keygen('agent', ['-t', 'ed25519']);
  const stranger = await keygen('stranger', ['-t', 'ed25519']);
  const rsa = await keygen('rsa-pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']);
  // What ArmorCode's README has users run: openssl genrsa (PKCS#8 on OpenSSL 3).
  const pkcs8 = path.join(dir, 'private-key.pem');
  await run('openssl', ['genrsa', '-out', pkcs8, '2048']);
  const { stdout: pkcs8Pub } = await run('ssh-keygen', ['-y', '-f', pkcs8]);
  key = load(ed);
  strangerKey = load(stranger);
  rsaPemKey = load(rsa);
  pkcs8Key = load(pkcs8);
  const authorized = [readFileSync(`${ed}.pub`, 'utf8'), readFileSync(`${rsa}.pub`, 'utf8'), pkcs8Pub];
  [sshd22, sshd443, noForward] = await Promise.all([
    startSshd({ authorizedKeys: authorized }),
    startSshd({ authorizedKeys: authorized }),
    startSshd({ authorizedKeys: authorized, extraConfig: ['AllowTcpForwarding no'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd22?.stop(), sshd443?.stop(), noForward?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('SSH probe against real sshd', () => {
  it('reports the banner and the host key fingerprint exactly as ssh-keygen computes it, with a known_hosts line', async () => {
    const result = await runProbes([ssh(sshd22)], { timeoutMs: 5000 });
    const r = result.results[0]!;
    expect(r.verdict).toBe('SSH_OK');
    expect(r.answered).toBe('ssh');
    expect(r.ssh?.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(r.ssh?.hostKeyType).toBe('ssh-ed25519');
    expect(r.ssh?.fingerprint).toBe(sshd22.hostKeyFingerprint);
    expect(r.ssh?.knownHostsLine).toBe(sshd22.knownHostsLine);
    expect(r.ssh?.pin).toBe('unpinned');
    expect(r.ssh?.auth).toBe('not-tested');
    expect(r.checks.map((c) => `${c.step}:${c.status}`)).toEqual(['tcp:pass', 'banner:pass', 'ssh:pass', 'hostkey:warn', 'auth:skip']);
  });

  it('logs in with an authorized key and opens, then releases, the reverse forward the agent needs', async () => {
    const remote = await freePort();
    const result = await runProbes([ssh(sshd22)], { timeoutMs: 5000, ssh: { user: sshd22.user, key, forwardPorts: [remote] } });
    const r = result.results[0]!;
    expect(r.verdict, r.detail).toBe('SSH_OK');
    expect(r.ssh?.auth).toBe('accepted');
    expect(r.ssh?.forwards).toEqual([{ port: remote, status: 'allowed', detail: expect.stringContaining('released') }]);
    expect(sshd22.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
    // Released: nothing listens on the remote port any more.
    await expect(connectable(remote)).resolves.toBe(false);
  });

  it('accepts the key formats agents use: RSA PEM (PKCS#1) and openssl genrsa output (PKCS#8, converted in memory)', async () => {
    const result = await runProbes([ssh(sshd22, { id: 'a' }), ssh(sshd443, { id: 'b' })], { timeoutMs: 5000, ssh: { user: sshd22.user, key: rsaPemKey } });
    expect(result.results.map((r) => r.ssh?.auth)).toEqual(['accepted', 'accepted']);
    const pk8 = await runProbes([ssh(sshd22)], { timeoutMs: 5000, ssh: { user: sshd22.user, key: pkcs8Key } });
    expect(pk8.results[0]?.ssh?.auth).toBe('accepted');
  });

  it('says AUTH_REJECTED for a key the server does not know', async () => {
    const result = await runProbes([ssh(sshd22)], { timeoutMs: 5000, ssh: { user: sshd22.user, key: strangerKey } });
    const r = result.results[0]!;
    expect(r.verdict).toBe('AUTH_REJECTED');
    expect(r.level).toBe('fail');
    expect(r.ssh?.fingerprint).toBe(sshd22.hostKeyFingerprint);
    expect(r.detail).toContain(`user ${sshd22.user}`);
    expect(result.passed).toBe(false);
    // The server saw the key and refused it (the mismatch test relies on this log line).
    await new Promise((res) => setTimeout(res, 200));
    expect(sshd22.log()).toMatch(/Failed publickey for \S+ from 127\.0\.0\.1/);
  });

  it('says FORWARD_REFUSED when the server forbids forwarding (AllowTcpForwarding no), after the key was accepted', async () => {
    const remote = await freePort();
    const result = await runProbes([ssh(noForward)], { timeoutMs: 5000, ssh: { user: noForward.user, key, forwardPorts: [remote] } });
    const r = result.results[0]!;
    expect(r.verdict).toBe('FORWARD_REFUSED');
    expect(r.ssh?.auth).toBe('accepted');
    expect(r.ssh?.forwards?.[0]).toMatchObject({ port: remote, status: 'refused' });
  });

  it('fails with HOST_KEY_MISMATCH on an unexpected fingerprint and never offers the key to that server', async () => {
    const before = (sshd443.log().match(/publickey/g) ?? []).length;
    const result = await runProbes([ssh(sshd443)], { timeoutMs: 5000, expectFingerprints: [sshd22.hostKeyFingerprint], ssh: { user: sshd443.user, key } });
    const r = result.results[0]!;
    expect(r.verdict).toBe('HOST_KEY_MISMATCH');
    expect(r.ssh?.fingerprint).toBe(sshd443.hostKeyFingerprint);
    expect(r.ssh?.pin).toBe('mismatch');
    expect(r.ssh?.auth).toBe('not-tested');
    await new Promise((res) => setTimeout(res, 200));
    expect((sshd443.log().match(/publickey/g) ?? []).length).toBe(before);
  });

  it('checks pinned known_hosts lines: the pinned key matches, another host key for the same host:port is a mismatch', async () => {
    const pinned = mergeKnownHosts(undefined, sshd22.knownHostsLine);
    const ok = await runProbes([ssh(sshd22)], { timeoutMs: 5000, knownHosts: pinned });
    expect(ok.results[0]?.ssh?.pin).toBe('match');
    expect(ok.results[0]?.verdict).toBe('SSH_OK');
    // Pin sshd443's key under sshd22's address: a re-keyed (or impersonated) server.
    const forged = sshd443.knownHostsLine.replace(`[127.0.0.1]:${sshd443.port}`, `[127.0.0.1]:${sshd22.port}`);
    const bad = await runProbes([ssh(sshd22)], { timeoutMs: 5000, knownHosts: forged });
    expect(bad.results[0]?.verdict).toBe('HOST_KEY_MISMATCH');
  });

  it('offers to switch the agent to the port where SSH answers when its configured port is blocked (22 → 443)', async () => {
    const blocked = await freePort();
    const result = await runProbes(
      [
        { id: 'ssh-22', host: '127.0.0.1', port: blocked, protocol: 'ssh', purpose: 'ArmorCode SSH server' },
        { id: 'ssh-443', host: '127.0.0.1', port: sshd443.port, protocol: 'ssh', purpose: 'ArmorCode SSH server (443 fallback)', optional: true },
      ],
      { timeoutMs: 3000 },
    );
    expect(result.results.map((r) => [r.verdict, r.level])).toEqual([
      ['REFUSED', 'fail'],
      ['SSH_OK', 'pass'],
    ]);
    expect(result.suggestions).toEqual([expect.objectContaining({ kind: 'switch-port', host: '127.0.0.1', from: blocked, to: sshd443.port })]);
  });

  it('detects SSH on an auto port and treats a failing optional endpoint as a warning only', async () => {
    const closed = await freePort();
    const result = await runProbes(
      [
        { id: 'auto', host: 'localhost', port: sshd22.port, protocol: 'auto', purpose: '' },
        { id: 'opt', host: '127.0.0.1', port: closed, protocol: 'ssh', purpose: '', optional: true },
      ],
      { timeoutMs: 3000 },
    );
    expect(result.results[0]).toMatchObject({ answered: 'ssh', verdict: 'SSH_OK' });
    expect(result.results[0]?.dns?.addresses.length).toBeGreaterThan(0);
    expect(result.results[1]).toMatchObject({ verdict: 'REFUSED', level: 'warn' });
    expect(result.passed).toBe(true);
  });
});

function connectable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
