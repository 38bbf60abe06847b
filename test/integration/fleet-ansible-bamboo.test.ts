/**
 * A Bamboo remote agent fleet exported as an Ansible project, run by the real engine (Debian's
 * ansible-core) against three "agent hosts": real sshd servers on loopback ports, each with its
 * own install root. The role, the wizard generator's install script and security-token, real
 * java and curl, site.yml, rotate.yml (the token's parameter read from each host's wrapper.conf)
 * and remove.yml are the real ones.
 *
 * STAND-INS, said plainly: the Bamboo agent program cannot run here (it needs a Bamboo server).
 * The loopback "Bamboo server" serves a stand-in installer jar (test/support/bamboo-standin,
 * compiled here with javac) at the real download path; the jar writes conf/wrapper.conf and a
 * stand-in bin/bamboo-agent.sh as the installer does, and that agent presents the token from
 * wrapper.conf to the stand-in server and writes the agent log's "ready to receive builds" line
 * only when the server accepts it, after the Java Service Wrapper's own start lines ("Launching a
 * JVM...") that verify reads as each start of the agent.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { getPlatform } from '../../shared/platforms';
import { BAMBOO_FLEET_HOME, BAMBOO_WRAPPER_CONF } from '../../shared/platforms/bamboo-remote/ansible';
import type { BambooRemoteAnswers } from '../../shared/platforms/bamboo-remote/answers';
import { setSecurityToken } from '../../shared/platforms/bamboo-remote/wrapper-conf';
import { ASIDE_DIR, ROTATE_TOKEN_FILE } from '../../shared/ansible/project';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { folderBytes, startFleetHosts, tree, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import type { PlaybookRun } from '../support/ansible';

const run = promisify(execFile);
// The stand-in jar is compiled here: a JDK (Debian's openjdk-17-jdk-headless, as .ci/run installs) is needed, java alone is not.
const JDK = spawnSync('javac', ['-version']).status === 0 && spawnSync('jar', ['--version']).status === 0;
const NO_JDK = 'needs a JDK to build the stand-in jar (apt-get install openjdk-17-jdk-headless)';
const bamboo = getPlatform('bamboo-remote')!;
const VAULT_PASSWORD = 'fleet vault password 789';
const STANDIN_DIR = path.resolve(__dirname, '../support/bamboo-standin');
const VERSION = '9.6.2';
const JAR = `atlassian-bamboo-agent-installer-${VERSION}.jar`;
const token = (): string => randomBytes(20).toString('hex');
const HOME = BAMBOO_FLEET_HOME.slice(1);
const CONF = BAMBOO_WRAPPER_CONF.slice(1);
const STAGING = `${HOME}/agent-onboard-install`;

describe('Bamboo remote agent fleet as an Ansible project: site.yml, rotate.yml (parameter read from wrapper.conf, checked first, backups kept) and remove.yml on three loopback hosts', () => {
  let dir: string;
  let project: string;
  let server: http.Server;
  let serverUrl: string;
  let jar: Buffer;
  let fleet: FleetHosts;
  let hosts: FleetHost[] = [];
  const oldToken = token();
  const newToken = token();
  /** Tokens the Bamboo stand-in accepts; tokens it holds for approval; each registration (name, token). */
  const accepted = new Set([oldToken]);
  const awaitingApproval = new Set<string>();
  const registrations: { name: string; token: string }[] = [];

  const registered = async (name: string, t: string): Promise<void> => {
    for (let i = 0; i < 100 && !registrations.some((r) => r.name === name && r.token === t); i++) await new Promise((r) => setTimeout(r, 100));
    expect(registrations).toContainEqual({ name, token: t });
  };
  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);
  const generatedFor = (h: FleetHost): Record<string, string> => {
    const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: BambooRemoteAnswers };
    const generated = bamboo.generate!({ ...vars.agent_answers, agentHome: `${h.root}${BAMBOO_FLEET_HOME}` }, { kind: 'token', token: oldToken }, 'installer');
    if (!generated.ok) throw new Error(generated.error.message);
    return Object.fromEntries(generated.value.files.map((f) => [f.path, f.text]));
  };
  const projectBytes = (): string => folderBytes(project);

  beforeAll(async () => {
    if (!JDK) return;
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-bamboo-'));
    // The stand-in installer jar: the Java stand-in, the wrapper.conf it writes and the stand-in agent as resources.
    const build = path.join(dir, 'jar');
    mkdirSync(build);
    await run('javac', ['-d', build, path.join(STANDIN_DIR, 'BambooInstallerStandin.java')]);
    writeFileSync(path.join(build, 'wrapper.conf'), readFileSync(path.join(STANDIN_DIR, 'wrapper.conf')));
    writeFileSync(path.join(build, 'bamboo-agent.py'), readFileSync(path.join(STANDIN_DIR, 'bamboo-agent.py')));
    await run('jar', ['--create', '--file', path.join(dir, JAR), '--main-class', 'BambooInstallerStandin', '-C', build, '.']);
    jar = readFileSync(path.join(dir, JAR));
    server = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url === `/agentServer/agentInstaller/${JAR}`)
        return void res.writeHead(200, { 'Content-Type': 'application/java-archive' }).end(jar);
      if (req.method === 'POST' && req.url === '/agentServer/standin/register') {
        const t = String(req.headers['x-security-token'] ?? '');
        const name = String(req.headers['x-agent-name'] ?? '');
        if (!accepted.has(t)) return void res.writeHead(403).end('refused');
        registrations.push({ name, token: t });
        return void res.writeHead(200).end(awaitingApproval.has(t) ? 'pending' : 'ready');
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fleet = await startFleetHosts(dir, ['bb-1', 'bb-2', 'bb-3'], VAULT_PASSWORD, { dirs: ['opt'] });
    hosts = fleet.hosts;
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: bamboo,
      draft: { platform: 'bamboo-remote', variant: 'installer', step: 'export', answers: { serverUrl, installerVersion: VERSION } },
      csv: fleet.csv,
      outDir: project,
      credential: { kind: 'token', token: oldToken },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
  }, 120_000);

  afterAll(async () => {
    for (const h of hosts) {
      const pid = path.join(h.root, HOME, 'bin/bamboo-agent.pid');
      if (existsSync(pid)) {
        try {
          process.kill(Number(readFileSync(pid, 'utf8').trim()));
        } catch {
          // already gone
        }
      }
    }
    await fleet?.stop();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the real tools accept every playbook (--syntax-check, ansible-lint where installed), and the token is only in vault form', (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const playbooks = ['site.yml', 'verify.yml', 'remove.yml', 'rotate.yml'];
    for (const playbook of playbooks) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    expect(projectBytes()).not.toContain(oldToken);
    expect(readFileSync(path.join(project, 'host_files/bb-1/security-token'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return;
    const lint = spawnSync('ansible-lint', ['--offline', '-p', ...playbooks], { cwd: project, encoding: 'utf8', env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 240_000);

  it("site.yml places the wizard's install script and token byte for byte, runs the installer (it registers the agent), verify passes on 'ready to receive builds', and a second run changes nothing", async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      const wizard = generatedFor(h);
      for (const [file, mode] of [
        ['security-token', 0o600],
        ['install-bamboo-agent.sh', 0o755],
      ] as const) {
        const placed = path.join(h.root, STAGING, file);
        expect(readFileSync(placed, 'utf8')).toBe(wizard[file]);
        expect(statSync(placed).mode & 0o777).toBe(mode);
      }
      // The installer the script downloaded from the server, and the wrapper.conf it wrote.
      expect(readFileSync(path.join(h.root, STAGING, JAR))).toEqual(jar);
      expect(readFileSync(path.join(h.root, CONF), 'utf8')).toContain(`wrapper.app.parameter.3=${oldToken}\n`);
      await registered(h.name, oldToken);
    }
    expect(first.output).toMatch(/connected: the agent is connected to the server and accepted/);
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("rotate.yml: previewed with --check --diff first (nothing changes, no token shown), then writes the token where each host's wrapper.conf has it, byte for byte as the wizard's updater, keeps a backup, and the restarted agent connects with it; a second run changes nothing", async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    // bb-3's wrapper.conf numbers its parameters otherwise, in the flag form: the server URL at 5,
    // -t at 6, the token at 7. rotate reads that from the file.
    const h3 = path.join(hosts[2]!.root, CONF);
    const renumbered = readFileSync(h3, 'utf8')
      .replace('wrapper.app.parameter.2=', 'wrapper.app.parameter.5=')
      .replace(`wrapper.app.parameter.3=${oldToken}`, `wrapper.app.parameter.6=-t\nwrapper.app.parameter.7=${oldToken}`);
    writeFileSync(h3, renumbered);
    const tokenFile = path.join(project, ROTATE_TOKEN_FILE);
    writeFileSync(tokenFile, `agent_new_token: "${newToken}"\n`, { mode: 0o600 });
    await run('ansible-vault', ['encrypt', '--vault-id', `fleet@${fleet.passFile}`, tokenFile]);
    const bytes = projectBytes();
    expect(bytes).not.toContain(newToken);
    expect(bytes).not.toContain(oldToken);
    accepted.add(newToken);
    const withToken = ['-e', `@${ROTATE_TOKEN_FILE}`];
    const installed = Object.fromEntries(hosts.map((h) => [h.name, readFileSync(path.join(h.root, CONF), 'utf8')]));
    const trees = Object.fromEntries(hosts.map((h) => [h.name, tree(h.root, `${HOME}/atlassian-bamboo-agent.log`)]));

    const preview = await play('rotate.yml', ['--check', '--diff', ...withToken]);
    expect(preview.code, preview.output).toBe(0);
    for (const h of hosts) {
      expect(preview.recap[h.name], preview.output).toMatchObject({ failed: 0 });
      expect(preview.recap[h.name]!.changed).toBeGreaterThan(0);
      expect(tree(h.root, `${HOME}/atlassian-bamboo-agent.log`)).toEqual(trees[h.name]);
    }
    expect(preview.output).toMatch(/Write the new token: the security token in conf\/wrapper\.conf/);
    expect(preview.output).not.toContain(newToken);
    expect(preview.output).not.toContain(oldToken);

    const rotated = await play('rotate.yml', withToken);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).not.toContain(newToken);
    expect(rotated.output).not.toContain(oldToken);
    for (const h of hosts) {
      expect(rotated.recap[h.name], rotated.output).toMatchObject({ failed: 0 });
      const conf = path.join(h.root, CONF);
      const wizard = setSecurityToken(installed[h.name]!, newToken);
      if (!wizard.ok) throw new Error(wizard.error.message);
      expect(readFileSync(conf, 'utf8')).toBe(wizard.value.text);
      const backups = readdirSync(path.dirname(conf)).filter((f) => f.startsWith('wrapper.conf.') && f.endsWith('~'));
      expect(backups).toHaveLength(1);
      expect(readFileSync(path.join(path.dirname(conf), backups[0]!), 'utf8')).toBe(installed[h.name]);
      await registered(h.name, newToken);
    }
    expect(readFileSync(h3, 'utf8')).toContain(`wrapper.app.parameter.7=${newToken}\n`);
    const again = await play('rotate.yml', withToken);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('an agent the server holds for approval is not online: rotate.yml fails that host at the connected hop once the limit passes', async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const held = token();
    accepted.add(held);
    awaitingApproval.add(held);
    const h = hosts[0]!;
    const r = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: held, agent_verify_timeout: 5 })]);
    expect(r.code, r.output).not.toBe(0);
    expect(r.recap[h.name], r.output).toMatchObject({ failed: 1 });
    expect(r.output).toMatch(/hop connected \([^)]*\) not proven within 5 s/);
    expect(registrations).toContainEqual({ name: h.name, token: held });
    expect(r.output).not.toContain(held);
    const back = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: newToken })]);
    expect(back.code, back.output).toBe(0);
  }, 300_000);

  it('rotate.yml refuses a token that is not 40 hex characters, and a wrapper.conf where the place of the token is unsure, changing nothing', async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const confs = hosts.map((h) => readFileSync(path.join(h.root, CONF), 'utf8'));
    const bad = await play('rotate.yml', ['-e', JSON.stringify({ agent_new_token: 'not-a-bamboo-token' })]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/The new token has characters/);
    const h2 = path.join(hosts[1]!.root, CONF);
    writeFileSync(h2, `${confs[1]}wrapper.app.parameter.9=https://other.example/agentServer/\n`);
    const unsure = await play('rotate.yml', ['--limit', hosts[1]!.name, '-e', JSON.stringify({ agent_new_token: token() })]);
    expect(unsure.code).not.toBe(0);
    expect(unsure.output).toMatch(/2 server URLs/);
    writeFileSync(h2, confs[1]!);
    expect(hosts.map((h) => readFileSync(path.join(h.root, CONF), 'utf8'))).toEqual(confs);
  }, 300_000);

  it("verify.yml alone reads the latest start: running ready agents pass; an agent stopped after it was ready fails at the started hop; a restarted agent whose new JVM has not connected fails at the connected hop, its old 'ready' line notwithstanding", async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const ok = await play('verify.yml');
    expect(ok.code, ok.output).toBe(0);
    for (const h of hosts) expect(ok.recap[h.name], ok.output).toMatchObject({ failed: 0, changed: 0 });
    expect(ok.output).toMatch(/started: the wrapper launched the agent/);

    const h = hosts[1]!;
    const script = path.join(h.root, HOME, 'bin/bamboo-agent.sh');
    const log = path.join(h.root, HOME, 'atlassian-bamboo-agent.log');
    expect(spawnSync(script, ['stop']).status).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/ready to receive builds\.[^]*<-- Wrapper Stopped\n$/);
    const stopped = await play('verify.yml', ['-e', JSON.stringify({ agent_verify_timeout: 5 })]);
    expect(stopped.code, stopped.output).not.toBe(0);
    expect(stopped.recap[h.name], stopped.output).toMatchObject({ failed: 1 });
    for (const other of hosts.filter((x) => x !== h)) expect(stopped.recap[other.name], stopped.output).toMatchObject({ failed: 0 });
    expect(stopped.output).toMatch(/hop started \(Service started\) not proven within 5 s: the agent is not running now/);

    // The agent runs again, but the server holds it this time: the log's last start has no "ready" after it.
    awaitingApproval.add(newToken);
    const lines = readFileSync(log, 'utf8').split('\n').length;
    expect(spawnSync(script, ['start']).status).toBe(0);
    for (let i = 0; i < 100 && !/holds this agent/.test(readFileSync(log, 'utf8').split('\n').slice(lines).join('\n')); i++)
      await new Promise((r) => setTimeout(r, 100));
    awaitingApproval.delete(newToken);
    const held = await play('verify.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_verify_timeout: 5 })]);
    expect(held.code, held.output).not.toBe(0);
    expect(held.output).toMatch(/hop connected \(Connected\) not proven within 5 s/);
    expect(readFileSync(log, 'utf8')).toMatch(/ready to receive builds\.[^]*Launching a JVM\.\.\.(?![^]*ready to receive builds)/);

    expect(spawnSync(script, ['restart']).status).toBe(0);
    const back = await play('verify.yml', ['--limit', h.name]);
    expect(back.code, back.output).toBe(0);
  }, 300_000);

  it('remove.yml stops the agents and moves the agent home aside: each host is as it was', async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const removed = await play('remove.yml');
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      const now = tree(h.root);
      expect(Object.fromEntries(Object.entries(now).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')))).toEqual(fleet.before[h.name]);
      const aside = readdirSync(path.join(h.root, ASIDE_DIR));
      expect(aside).toHaveLength(1);
      const kept = path.join(h.root, ASIDE_DIR, aside[0]!);
      expect(readFileSync(path.join(kept, HOME, 'atlassian-bamboo-agent.log'), 'utf8')).toMatch(/Stopping the agent/);
      expect(existsSync(path.join(kept, CONF))).toBe(true);
    }
  }, 300_000);
});
