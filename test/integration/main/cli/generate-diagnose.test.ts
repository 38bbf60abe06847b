/** CLI `generate` (generic over platforms; armorcode here) and `diagnose`, through runCli. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/index';

let root: string;

async function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { SOME_TOKEN: 'x' },
    cwd: root,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

const answers = { server: 'tunnel.example.com', port: 22, user: 'acme', services: [{ name: 'jira', url: 'https://jira.acme.com', remotePort: 5000 }] };

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-gen-cli-'));
  execFileSync('openssl', ['genrsa', '-out', path.join(root, 'private-key.pem'), '2048'], { stdio: 'ignore' });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(root, 'hk')]);
  writeFileSync(path.join(root, 'known_hosts'), `tunnel.example.com ${readFileSync(path.join(root, 'hk.pub'), 'utf8')}`);
  writeFileSync(path.join(root, 'answers.json'), JSON.stringify(answers));
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'correct horse', '-f', path.join(root, 'encrypted')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = (out: string): string[] => [
  'generate',
  'armorcode',
  '--answers',
  'answers.json',
  '--key',
  'private-key.pem',
  '--known-hosts',
  'known_hosts',
  '--out',
  out,
];

describe('agent-onboard generate', () => {
  it('writes the agent files, and running it again changes nothing', async () => {
    const first = await cli([...base('agent'), '--json']);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.files.map((f: { status: string }) => f.status)).toEqual(Array(8).fill('created'));
    expect(statSync(path.join(root, 'agent', 'private-key.pem')).mode & 0o777).toBe(0o600);
    expect(report.commands.map((c: { command: string }) => c.command)).toContain('docker compose up -d --build');
    const before = readdirSync(path.join(root, 'agent')).map((n) => readFileSync(path.join(root, 'agent', n), 'utf8'));

    const second = await cli(base('agent'));
    expect(second.code).toBe(0);
    expect(second.stdout.match(/unchanged/g)).toHaveLength(8);
    expect(readdirSync(path.join(root, 'agent')).map((n) => readFileSync(path.join(root, 'agent', n), 'utf8'))).toEqual(before);
  });

  it('writes the systemd variant with --variant', async () => {
    const r = await cli([...base('plain'), '--variant', 'systemd']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(root, 'plain'))).toContain('armorcode-tunnel-jira.service');
  });

  it('previews without writing with --dry-run', async () => {
    const r = await cli([...base('dry'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create    supervisord.conf');
    expect(existsSync(path.join(root, 'dry'))).toBe(false);
  });

  it.each([
    [
      'duplicate remote ports',
      { ...answers, services: [answers.services[0], { name: 'wiki', url: 'https://wiki.acme.com', remotePort: 5000 }] },
      /Internal services \(services\) 1\.remotePort: remote port 5000 is already used/,
    ],
    ['a hostile server', { ...answers, server: '-oProxyCommand=touch /tmp/x' }, /ArmorCode server host \(server\): must be a host name/],
    ['a missing user', { ...answers, user: undefined }, /\(user\): /],
    [
      'a service URL with a newline',
      { ...answers, services: [{ ...answers.services[0], url: 'https://jira.acme.com\n[program:x]' }] },
      /Internal services \(services\) 0\.url:/,
    ],
  ])('exits 2 with one line and writes nothing for %s', async (_what, bad, message) => {
    writeFileSync(path.join(root, 'bad.json'), JSON.stringify(bad));
    const r = await cli(['generate', 'armorcode', '--answers', 'bad.json', '--key', 'private-key.pem', '--known-hosts', 'known_hosts', '--out', 'never']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  });

  it.each([
    ['answers that are not JSON', ['--answers', 'private-key.pem'], /is not valid JSON/],
    ['no --key', ['--key'], /--key FILE is required/],
    ['a passphrase-protected key', ['--key', 'encrypted'], /protected by a passphrase/],
    ['no pinned host key', ['--known-hosts'], /No host key is pinned for tunnel\.example\.com/],
    ['a token for a key platform', ['--token-env', 'SOME_TOKEN'], /uses an SSH key pair/],
    ['an unknown platform', ['platform:nope'], /Unknown platform/],
    ['an unknown variant', ['--variant', 'k8s'], /has no variant "k8s"/],
    ['a missing key file', ['--key', 'nope.pem'], /cannot read key file nope\.pem: no such file/],
  ])('exits 2 with one line for %s', async (_what, change, message) => {
    let args = base('never');
    if (change[0] === 'platform:nope') args = args.map((a) => (a === 'armorcode' ? 'nope' : a));
    else if (change.length === 1) {
      const i = args.indexOf(change[0]!);
      args = [...args.slice(0, i), ...args.slice(i + 2)];
    } else if (args.includes(change[0]!)) args = args.map((a, i) => (args[i - 1] === change[0] ? change[1]! : a));
    else args = [...args, ...change];
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  });
});

describe('agent-onboard diagnose', () => {
  const log = [
    "2026-11-22 06:30:01,123 INFO spawned: 'tunnel-jira' with pid 4242",
    'Error: remote port forwarding failed for listen port 5000',
    '2026-11-22 06:30:02,200 INFO exited: tunnel-jira (exit status 1; not expected)',
  ].join('\n');

  it('names each known failure with cause and fix, and exits 0', async () => {
    writeFileSync(path.join(root, 'agent.log'), log);
    const r = await cli(['diagnose', 'agent.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('armorcode: The remote port is still held on the server  [armorcode-remote-port-in-use]');
    expect(r.stdout).toContain('armorcode: The tunnel exits at once ("exit status 1; not expected")');
    expect(r.stdout).toMatch(/fix: {3}Put private-key\.pem next to supervisord\.conf/);
  });

  it('reads standard input with -, prints one JSON document with --json, and offers the 443 switch', async () => {
    const r = await cli(['diagnose', '--platform', 'armorcode', '--json', '-'], 'ssh: connect to host tunnel.example.com port 22: Connection timed out');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.diagnoses).toHaveLength(1);
    expect(doc.diagnoses[0].failure).toMatchObject({ id: 'armorcode-unreachable-22', action: { kind: 'switch-port', port: 443 } });
  });

  it('exits 1 when it recognises nothing', async () => {
    const r = await cli(['diagnose', '-'], 'all good here\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('No known failure recognised');
  });

  it('exits 2 for an unknown platform or an unreadable file', async () => {
    expect((await cli(['diagnose', '--platform', 'nope', '-'])).code).toBe(2);
    const missing = await cli(['diagnose', 'no-such.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read no-such.log: no such file');
  });
});
