/**
 * `agent-onboard probe` as a user runs it (a real child process), against real sshd, an HTTPS
 * server with an openssl-made certificate, a CONNECT proxy, and closed ports: exit codes, the
 * --json document, the text report, and bad usage.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { startProxy, type RunningProxy } from '../support/http-proxy';
import { startHttps, type Running } from '../support/net-servers';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import { runCliProcess } from '../support/cli';

const exec = promisify(execFile);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliProcess(['probe', ...args], { cwd: dir, env, cleanEnv: true });
}

interface JsonRun {
  passed: boolean;
  results: {
    endpoint: string;
    port: number;
    verdict: string;
    answered: string;
    fingerprint?: string;
    fix?: string;
    ssh?: { auth: string; forwards?: { port: number; status: string }[] };
  }[];
  suggestions: { from: number; to: number }[];
}

let dir: string;
let sshd: RunningSshd;
let noForward: RunningSshd;
let certs: TestCerts;
let httpsServer: Running;
let authProxy: RunningProxy;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-cli-'));
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cli', '-f', path.join(dir, 'agent-key')]);
  const pub = readFileSync(path.join(dir, 'agent-key.pub'), 'utf8');
  certs = await makeTestCerts();
  writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
  [sshd, noForward, httpsServer, authProxy] = await Promise.all([
    startSshd({ authorizedKeys: [pub] }),
    startSshd({ authorizedKeys: [pub], extraConfig: ['AllowTcpForwarding no'] }),
    startHttps(certs.trusted),
    startProxy({ auth: { user: 'agent', pass: 'proxy-pw' } }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), noForward?.stop(), httpsServer?.stop(), authProxy?.stop()]);
  certs?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent-onboard probe', () => {
  it('exits 0 and prints each port with its verdict and the SSH host key fingerprint in --json', async () => {
    const r = await cli(['--host', '127.0.0.1', '--port', String(sshd.port), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonRun;
    expect(doc.passed).toBe(true);
    expect(doc.results).toEqual([
      expect.objectContaining({ endpoint: `127.0.0.1:${sshd.port}`, verdict: 'SSH_OK', answered: 'ssh', fingerprint: sshd.hostKeyFingerprint }),
    ]);
  });

  it('--csv prints the firewall rules, one row per port with what the check found, and keeps the exit code', async () => {
    const closed = await freePort();
    const r = await cli(['--host', '127.0.0.1', '--port', String(closed), '--port', String(sshd.port), '--timeout-ms', '2000', '--csv']);
    expect(r.code).toBe(1);
    const rows = parseCsv<Record<string, string>>(r.stdout, { columns: true });
    expect(rows.map((x) => [x.Destination, x.Port, x.Result, x.Verdict?.split(':')[0]])).toEqual([
      ['127.0.0.1', String(closed), 'NOT working', 'REFUSED'],
      ['127.0.0.1', String(sshd.port), 'open', 'SSH_OK'],
    ]);
    const both = await cli(['--host', '127.0.0.1', '--json', '--csv']);
    expect(both).toMatchObject({ code: 2, stdout: '' });
    expect(both.stderr).toContain('choose one');
  });

  it('exits 1 when a port is closed, with the fix, and suggests the port where SSH answers', async () => {
    const closed = await freePort();
    const r = await cli(['--host', '127.0.0.1', '--port', String(closed), '--port', String(sshd.port), '--timeout-ms', '2000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  127.0.0.1:${closed}`);
    expect(r.stdout).toContain('REFUSED');
    expect(r.stdout).toContain('Fix: Nothing listens on');
    expect(r.stdout).toContain(`PASS  127.0.0.1:${sshd.port}`);
    expect(r.stdout).toContain(`Switch the agent to port ${sshd.port}`);
  });

  it('tests key authentication and the reverse forward with --ssh-user, --ssh-key and --forward', async () => {
    const remote = String(await freePort());
    const good = await cli([
      '--host',
      '127.0.0.1',
      '--port',
      String(sshd.port),
      '--ssh-user',
      sshd.user,
      '--ssh-key',
      'agent-key',
      '--forward',
      remote,
      '--json',
    ]);
    expect(good.code).toBe(0);
    expect((JSON.parse(good.stdout) as JsonRun).results[0]?.ssh).toMatchObject({ auth: 'accepted', forwards: [{ port: Number(remote), status: 'allowed' }] });
    const refused = await cli([
      '--host',
      '127.0.0.1',
      '--port',
      String(noForward.port),
      '--ssh-user',
      noForward.user,
      '--ssh-key',
      'agent-key',
      '--forward',
      remote,
      '--json',
    ]);
    expect(refused.code).toBe(1);
    expect((JSON.parse(refused.stdout) as JsonRun).results[0]).toMatchObject({
      verdict: 'FORWARD_REFUSED',
      fix: expect.stringContaining(`remote port ${remote}`),
    });
  });

  it('pins with --expect-fingerprint: the right key passes, another fails with HOST_KEY_MISMATCH', async () => {
    const right = await cli(['--host', '127.0.0.1', '--port', String(sshd.port), '--expect-fingerprint', sshd.hostKeyFingerprint]);
    expect(right.code).toBe(0);
    const wrong = await cli(['--host', '127.0.0.1', '--port', String(sshd.port), '--expect-fingerprint', noForward.hostKeyFingerprint, '--json']);
    expect(wrong.code).toBe(1);
    expect((JSON.parse(wrong.stdout) as JsonRun).results[0]).toMatchObject({ verdict: 'HOST_KEY_MISMATCH', fingerprint: sshd.hostKeyFingerprint });
  });

  it('finds TLS and HTTP on a port that does not speak first, trusting the CAs Node is told to trust', async () => {
    const r = await cli(['--host', 'localhost', '--port', String(httpsServer.port), '--timeout-ms', '1000', '--json'], {
      NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'),
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonRun).results[0]).toMatchObject({ answered: 'tls', verdict: 'HTTP_OK' });
    const untrusted = await cli(['--host', 'localhost', '--port', String(httpsServer.port), '--timeout-ms', '1000', '--json']);
    expect(untrusted.code).toBe(1);
    expect((JSON.parse(untrusted.stdout) as JsonRun).results[0]?.verdict).toBe('TLS_UNTRUSTED');
  });

  it('goes through --proxy, and explains the 407 until HTTPS_PROXY carries the credentials', async () => {
    const denied = await cli(['--host', '127.0.0.1', '--port', String(sshd.port), '--proxy', authProxy.url, '--json']);
    expect(denied.code).toBe(1);
    expect((JSON.parse(denied.stdout) as JsonRun).results[0]).toMatchObject({ verdict: 'PROXY_AUTH', fix: expect.stringContaining('407') });
    const allowed = await cli(['--host', '127.0.0.1', '--port', String(sshd.port), '--json'], {
      HTTPS_PROXY: `http://agent:proxy-pw@127.0.0.1:${authProxy.port}`,
    });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toContain('proxy-pw');
    expect(authProxy.log).toContain(`CONNECT 127.0.0.1:${sshd.port} 200`);
  });

  it.each([
    [[], '--host is required'],
    [['--host', '127.0.0.1', '--port', '0'], '--port'],
    [['--host', '-oProxyCommand=x'], '--host'],
    [['--host', '127.0.0.1', '--ssh-key', 'agent-key'], '--ssh-user and --ssh-key go together'],
    [['--host', '127.0.0.1', '--forward', '5000'], '--forward needs --ssh-user'],
    [['--host', '127.0.0.1', '--expect-fingerprint', 'MD5:aa:bb'], '--expect-fingerprint'],
    [['--host', '127.0.0.1', '--proxy', 'http://user:pw@proxy:3128'], 'must not carry credentials'],
    [['--host', '127.0.0.1', '--proxy', 'https://proxy:3128'], 'use http://'],
    [['--host', '127.0.0.1', '--ssh-user', 'u', '--ssh-key', 'agent-key.pub'], 'public key'],
    [['--host', '127.0.0.1', '--ssh-user', 'u', '--ssh-key', 'missing-file'], 'cannot read it'],
    [['--host', '127.0.0.1', '--timeout-ms', 'soon'], '--timeout-ms'],
    [['--host', '127.0.0.1', '--bogus'], 'bogus'],
  ])('exits 2 with one line on stderr and nothing on stdout for %j', async (args, message) => {
    // In-process (same code as the binary) to keep this table fast.
    const r = { code: 0, stdout: '', stderr: '' };
    r.code = await runCli(['probe', ...args], { stdout: (t) => (r.stdout += t), stderr: (t) => (r.stderr += t), env: {}, cwd: dir, readStdin: async () => '' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
