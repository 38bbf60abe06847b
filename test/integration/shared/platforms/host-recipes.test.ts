/**
 * The host recipes of Buildkite, Harness and ArmorCode's systemd variant, read as plans: where each
 * file goes and with which mode, that the token is only in 0600 files (never in a command), and
 * that every command the installer runs passes shellcheck (real shellcheck).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armorcode } from '../../../../shared/platforms/armorcode';
import { bambooRemote } from '../../../../shared/platforms/bamboo-remote';
import { buildkite, buildkiteAnswers } from '../../../../shared/platforms/buildkite';
import { harness, harnessAnswers } from '../../../../shared/platforms/harness';
import { containerName } from '../../../../shared/platforms/host-recipes';
import type { Credential, HostRecipe, Platform } from '../../../../shared/platforms/types';

const BK_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
const H_TOKEN = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const bkAnswers = buildkiteAnswers.parse({ name: '%hostname-%spawn', tags: { queue: 'deploy' }, proxyUrl: 'http://proxy.corp.example:3128' });
const hAnswers = harnessAnswers.parse({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' });

function recipe<A>(p: Platform<A>, answers: A, credential: Credential, variant: string, prefix: string): HostRecipe {
  const g = p.generate!(answers, credential, variant);
  if (!g.ok) throw new Error(g.error.message);
  const r = p.hostInstall!(variant, g.value.files, prefix);
  if (!r.ok) throw new Error(`${variant} ${prefix}: ${r.error.message}`);
  return r.value;
}

/**
 * shellcheck's findings for one command ('' when clean). SC2016 ("expressions don't expand in
 * single quotes") is the point of `sh -c '…"$@"'`: the fixed inner script expands its own arguments.
 */
function shellcheck(command: string): string {
  try {
    execFileSync('shellcheck', ['-s', 'sh', '-e', 'SC2016', '-'], { input: `#!/bin/sh\n${command}\n`, encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

/** The plan's rule for secrets, and shellcheck over every command it runs. */
function checkPlan(r: HostRecipe, secret: string): void {
  for (const f of r.files) {
    expect(f.secret, f.target).toBe(f.text.includes(secret));
    if (f.secret) expect(f.mode, f.target).toBe(0o600);
  }
  const commands = [...(r.prepare ?? []), ...r.stop, ...r.start].map((c) => c.command);
  if (r.where.status) commands.push(r.where.status.command);
  for (const c of commands) {
    expect(c).not.toContain(secret);
    expect(shellcheck(c), c).toBe('');
  }
}

describe('Buildkite host recipes', () => {
  const bk = (variant: string, prefix: string): HostRecipe => recipe(buildkite, bkAnswers, { kind: 'token', token: BK_TOKEN }, variant, prefix);

  it('cfg under /: the package path at 0600 owned by buildkite-agent (checked to exist first), the proxy drop-in, then a privileged restart read from the journal', () => {
    const r = bk('cfg', '/');
    expect(r.files.map((f) => [f.target, f.mode.toString(8), f.owner])).toEqual([
      ['/etc/buildkite-agent/buildkite-agent.cfg', '600', 'buildkite-agent'],
      ['/etc/systemd/system/buildkite-agent.service.d/proxy.conf', '644', undefined],
    ]);
    expect(r.prepare?.map((c) => c.command)).toEqual([
      "id -u buildkite-agent >/dev/null 2>&1 || { echo 'The buildkite-agent user is missing: install the agent from the Buildkite package repository (it creates the user and the service), then install again.' >&2; exit 1; }",
    ]);
    expect(r.start.map((c) => [c.command, c.privileged])).toEqual([
      ['systemctl daemon-reload', true],
      ['systemctl restart buildkite-agent', true],
    ]);
    expect(r.where.log).toEqual({ source: 'journalctl', unit: 'buildkite-agent' });
    expect(r.installHints?.['buildkite-agent']).toMatch(/package repository/);
    checkPlan(r, BK_TOKEN);
  });

  it('env under /: the environment file at 0600 and the drop-in that loads it', () => {
    const r = bk('env', '/');
    expect(r.files.map((f) => [f.target, f.mode.toString(8)])).toEqual([
      ['/etc/buildkite-agent/buildkite-agent.env', '600'],
      ['/etc/systemd/system/buildkite-agent.service.d/agent-onboard.conf', '644'],
    ]);
    expect(r.files[1]!.text).toContain('EnvironmentFile=/etc/buildkite-agent/buildkite-agent.env');
    checkPlan(r, BK_TOKEN);
  });

  it('cfg and env under another root: run by the login user, detached, logging to a file under the root', () => {
    for (const variant of ['cfg', 'env']) {
      const r = bk(variant, "/srv/it's here");
      expect(r.kind).toBe('shell');
      expect(r.files.every((f) => f.target.startsWith("/srv/it's here/etc/buildkite-agent/"))).toBe(true);
      expect(r.start.some((c) => c.privileged)).toBe(false);
      expect(r.where.log).toEqual({ source: 'log-file', file: "/srv/it's here/var/log/buildkite-agent/agent.log" });
      checkPlan(r, BK_TOKEN);
    }
  });

  it('docker: the generated script and its 0600 env file, an earlier container removed, logs from docker logs', () => {
    const r = bk('docker', '/opt/r');
    expect(r.files.map((f) => [f.target, f.mode.toString(8)])).toEqual([
      ['/opt/r/opt/agent-onboard/buildkite-agent/run-agent.sh', '755'],
      ['/opt/r/opt/agent-onboard/buildkite-agent/agent.env', '600'],
    ]);
    expect(r.start.map((c) => c.command)).toEqual([
      'docker rm -f buildkite-agent >/dev/null 2>&1 || true',
      'bash /opt/r/opt/agent-onboard/buildkite-agent/run-agent.sh',
    ]);
    expect(r.where).toMatchObject({ log: { source: 'docker-logs', container: 'buildkite-agent' } });
    checkPlan(r, BK_TOKEN);
  });

  it('kubernetes is refused (its commands are shown)', () => {
    const g = buildkite.generate!(bkAnswers, { kind: 'token', token: BK_TOKEN }, 'kubernetes');
    if (!g.ok) throw new Error(g.error.message);
    expect(buildkite.hostInstall!('kubernetes', g.value.files, '/')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});

describe('Harness host recipes', () => {
  const h = (variant: string, prefix: string): HostRecipe => recipe(harness, hAnswers, { kind: 'token', token: H_TOKEN }, variant, prefix);

  it("docker: the container name read back from the script's NAME= line (a quoted one too)", () => {
    const r = h('docker', '/');
    expect(r.where).toMatchObject({ log: { source: 'docker-logs', container: 'build-delegate' } });
    expect(r.files.find((f) => f.secret)?.target).toBe('/opt/agent-onboard/harness-delegate/delegate.env');
    checkPlan(r, H_TOKEN);
    expect(containerName("NAME='a'\\''b'\n")).toBe("a'b");
    expect(containerName('NAME=$(rm -rf /)\n')).toBeUndefined();
  });

  it('shell: start.sh, stop.sh and the two 0600 configs in the shell-delegate folder, started with start.sh, log delegate.log', () => {
    const r = h('shell', '/tmp/x');
    expect(r.files.map((f) => [f.target, f.mode.toString(8)])).toEqual([
      ['/tmp/x/opt/harness-delegate/start.sh', '755'],
      ['/tmp/x/opt/harness-delegate/stop.sh', '755'],
      ['/tmp/x/opt/harness-delegate/config-watcher.yml', '600'],
      ['/tmp/x/opt/harness-delegate/config-delegate.yml', '600'],
    ]);
    expect(r.where.log).toEqual({ source: 'log-file', file: '/tmp/x/opt/harness-delegate/delegate.log' });
    checkPlan(r, H_TOKEN);
  });

  it('kubernetes, helm and ecs are refused', () => {
    for (const v of ['kubernetes', 'helm', 'ecs']) expect(harness.hostInstall!(v, [], '/')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});

describe('ArmorCode systemd host recipe', () => {
  let dir: string;
  let credential: Credential;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ac-sd-'));
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
      { name: 'sonar', url: 'http://sonar.acme.com:9000', remotePort: 5001 },
    ],
  });

  it('under /: the armorcode user made first, key 0600 and pin owned by it, units in /etc/systemd/system, daemon-reload, enable and restart (all privileged)', () => {
    const r = recipe(armorcode, answers, credential, 'systemd', '/');
    expect(r.files.map((f) => [f.target, f.mode.toString(8), f.secret, f.owner])).toEqual([
      ['/etc/armorcode/private-key.pem', '600', true, 'armorcode'],
      ['/etc/armorcode/known_hosts', '644', false, 'armorcode'],
      ['/etc/armorcode/public-key.pem', '644', false, undefined],
      ['/etc/systemd/system/armorcode-tunnel-jira.service', '644', false, undefined],
      ['/etc/systemd/system/armorcode-tunnel-sonar.service', '644', false, undefined],
    ]);
    expect(r.prepare?.map((c) => [c.command, c.privileged])).toEqual([
      ['id -u armorcode >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin armorcode', true],
    ]);
    expect(r.start.some((c) => /\bch(own|grp)\b/.test(c.command))).toBe(false);
    expect(r.start.every((c) => c.privileged)).toBe(true);
    expect(r.start.at(-1)!.command).toBe(
      'systemctl enable armorcode-tunnel-jira.service armorcode-tunnel-sonar.service && systemctl restart armorcode-tunnel-jira.service armorcode-tunnel-sonar.service',
    );
    expect(r.where.log).toEqual({ source: 'journalctl', unit: 'armorcode-tunnel-*' });
    const key = credential.kind === 'ssh-keypair' ? credential.privateKey.trim().split('\n')[1]! : '';
    checkPlan(r, key);
  });

  it('under another root it is refused, saying why and what to use instead', () => {
    const g = armorcode.generate!(answers, credential, 'systemd');
    if (!g.ok) throw new Error(g.error.message);
    const r = armorcode.hostInstall!('systemd', g.value.files, '/home/me/agent');
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (!r.ok) {
      expect(r.error.message).toMatch(/systemd would never start them/);
      expect(r.error.hint).toMatch(/Docker Compose variant/);
    }
  });
});

describe('Bamboo installer host recipe', () => {
  const TOKEN = '0123456789abcdef0123456789abcdef01234567';
  const answers = bambooRemote.answers.parse({
    serverUrl: 'https://bamboo.example.com/ci',
    installerVersion: '9.6.2',
    agentOs: 'linux',
    agentHome: '/srv/bamboo agent',
  });

  it("the whole installer command in a 0600 Java argument file, read back by the launcher's quoting rules; only the file name is on the command line", () => {
    const r = recipe(bambooRemote, answers, { kind: 'token', token: TOKEN }, 'installer', '/r');
    const stage = '/r/srv/bamboo agent/agent-onboard-install';
    expect(r.files.map((f) => [f.target, f.mode.toString(8), f.secret])).toEqual([[`${stage}/installer.args`, '600', true]]);
    // The java launcher's @file rules: whitespace-separated, double quotes with backslash escapes.
    const words = [...r.files[0]!.text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    expect(words).toEqual([
      '-Dbamboo.home=/r/srv/bamboo agent',
      '-jar',
      `${stage}/atlassian-bamboo-agent-installer-9.6.2.jar`,
      'https://bamboo.example.com/ci/agentServer/',
      '-t',
      TOKEN,
    ]);
    expect(r.start.at(-1)!.command).toContain(`java '@${stage}/installer.args'`);
    checkPlan(r, TOKEN);
  });

  it('the existing-install variant and Windows files are refused with what to do instead', () => {
    expect(bambooRemote.hostInstall!('existing', [], '/')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const win = bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2', agentOs: 'windows' });
    const g = bambooRemote.generate!(win, { kind: 'token', token: TOKEN }, 'installer');
    if (!g.ok) throw new Error(g.error.message);
    expect(bambooRemote.hostInstall!('installer', g.value.files, '/')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
