/**
 * A Harness shell-script delegate fleet exported as an Ansible project, run by the real engine
 * (Debian's ansible-core) against three "agent hosts": real sshd servers on loopback ports, each
 * with its own install root. The role, the wizard generator's start.sh, stop.sh and config files,
 * site.yml and remove.yml are the real ones, and so are java, pgrep and pkill.
 *
 * STAND-INS, said plainly: Harness's watcher.jar and delegate cannot run here (they come from a
 * Harness manager and register there). Each host gets a stand-in watcher.jar (test/support/
 * harness-standin, compiled here with javac; the admin puts the real one there from Harness's
 * shell-delegate package), which reads config-delegate.yml as the delegate does, registers with a
 * loopback manager stand-in, writes the delegate's own log lines, which verify reads, and serves
 * the delegate's /api/health, which verify asks after them.
 *
 * The health port: a real delegate listens on 3460 (the role's default, agent_health_urls), but
 * the three hosts here share one network stack, so each stand-in listens on its own free port and
 * the test sets agent_health_urls in each host's host_vars, as an admin does for a host whose
 * delegate listens elsewhere.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { getPlatform } from '../../shared/platforms';
import { HARNESS_DOCKER_DIR, HARNESS_SHELL_DIR } from '../../shared/platforms/harness/ansible';
import { ASIDE_DIR, ROTATE_TOKEN_FILE } from '../../shared/ansible/project';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { startFleetHosts, tree, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import type { PlaybookRun } from '../support/ansible';

const run = promisify(execFile);
// The stand-in jar is compiled here: a JDK (Debian's openjdk-17-jdk-headless, as .ci/run installs) is needed, java alone is not.
const JDK = spawnSync('javac', ['-version']).status === 0 && spawnSync('jar', ['--version']).status === 0;
const NO_JDK = 'needs a JDK to build the stand-in jar (apt-get install openjdk-17-jdk-headless)';
const harness = getPlatform('harness')!;
const VAULT_PASSWORD = 'fleet vault password 321';
const STANDIN = path.resolve(__dirname, '../support/harness-standin/HarnessWatcherStandin.java');
const DIR = HARNESS_SHELL_DIR.slice(1);
const DOCKER_STANDIN = path.resolve(__dirname, '../support/docker-standin.py');

/** A port nothing listens on now (the kernel's choice), for a stand-in's health endpoint. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The CSV the export reads, with each host's delegate named after it. */
function delegateCsv(hosts: FleetHost[]): string {
  return [
    'name,delegateName,ansible_host,ansible_port,ansible_user,install_root',
    ...hosts.map((h) => `${h.name},${h.name},127.0.0.1,${h.sshd.port},${h.sshd.user},${h.root}`),
  ].join('\n');
}

/** What an admin adds to a host's host_vars when its delegate's health endpoint is not on 127.0.0.1:3460. */
function setHealthUrl(project: string, host: string, url: string): void {
  appendFileSync(path.join(project, 'host_vars', `${host}.yml`), `agent_health_urls:\n  harness-health: ${url}\n`);
}

describe('Harness shell-script delegate fleet as an Ansible project: site.yml and remove.yml on three loopback hosts', () => {
  let dir: string;
  let project: string;
  let manager: http.Server;
  let managerEndpoint: string;
  let jar: Buffer;
  let fleet: FleetHosts;
  let hosts: FleetHost[] = [];
  const healthPorts: Record<string, number> = {};
  const delegateToken = randomBytes(24).toString('base64');
  const registrations: { name: string; token: string }[] = [];

  const registered = async (name: string): Promise<void> => {
    for (let i = 0; i < 100 && !registrations.some((r) => r.name === name); i++) await new Promise((r) => setTimeout(r, 100));
    expect(registrations).toContainEqual({ name, token: delegateToken });
  };
  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);

  beforeAll(async () => {
    if (!JDK) return;
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-harness-'));
    const build = path.join(dir, 'jar');
    mkdirSync(build);
    await run('javac', ['-d', build, STANDIN]);
    await run('jar', ['--create', '--file', path.join(dir, 'watcher.jar'), '--main-class', 'HarnessWatcherStandin', '-C', build, '.']);
    jar = readFileSync(path.join(dir, 'watcher.jar'));
    manager = http.createServer((req, res) => {
      const t = /^Delegate (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (req.method !== 'POST' || !req.url?.startsWith('/api/agent/delegates/register?accountId=acme')) return void res.writeHead(404).end();
      if (t !== delegateToken) return void res.writeHead(401).end();
      registrations.push({ name: String(req.headers['x-delegate-name']), token: t });
      res.writeHead(200).end(randomBytes(8).toString('hex'));
    });
    await new Promise<void>((resolve) => manager.listen(0, '127.0.0.1', resolve));
    managerEndpoint = `http://127.0.0.1:${(manager.address() as AddressInfo).port}`;
    fleet = await startFleetHosts(dir, ['hd-1', 'hd-2', 'hd-3'], VAULT_PASSWORD, { dirs: ['opt'] });
    hosts = fleet.hosts;
    for (const h of hosts) {
      // The admin's step before site.yml: watcher.jar from Harness's shell-delegate package (here the stand-in).
      mkdirSync(path.join(h.root, DIR), { recursive: true });
      writeFileSync(path.join(h.root, DIR, 'watcher.jar'), jar);
      healthPorts[h.name] = await freePort();
      writeFileSync(path.join(h.root, DIR, 'standin-health-port'), `${healthPorts[h.name]}\n`);
    }
    project = path.join(dir, 'project');
    const csv = delegateCsv(hosts);
    const exported = await exportAnsibleFleet({
      platform: harness,
      type: 'shell',
      draft: {
        platform: 'harness',
        variant: 'shell',
        step: 'export',
        answers: { accountId: 'acme', managerEndpoint, delegateName: 'fleet', imageTag: '26.02.88404' },
      },
      csv,
      outDir: project,
      credential: { kind: 'token', token: delegateToken },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
    for (const h of hosts) setHealthUrl(project, h.name, `http://127.0.0.1:${healthPorts[h.name]}/api/health`);
  }, 120_000);

  afterAll(async () => {
    for (const h of hosts) spawnSync('pkill', ['-f', '--', `-Dwatchersourcedir=${path.join(h.root, DIR)}`]);
    await fleet?.stop();
    manager?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the real tools accept every playbook (--syntax-check, ansible-lint where installed), the token only in vault form, and the README says why there is no rotate.yml', (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const playbooks = ['site.yml', 'verify.yml', 'remove.yml'];
    for (const playbook of playbooks) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    const all = readdirSync(project, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
      .join('\n');
    expect(all).not.toContain(delegateToken);
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toMatch(/\*\*No rotate\.yml:\*\* the delegate token is in two files/);
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return;
    const lint = spawnSync('ansible-lint', ['--offline', '-p', ...playbooks], { cwd: project, encoding: 'utf8', env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 240_000);

  it("site.yml installs the wizard's files byte for byte, starts the watcher, verify passes on 'Delegate registered with id' then /api/health, and a second run changes nothing", async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: unknown };
      const wizard = harness.generate!(vars.agent_answers, { kind: 'token', token: delegateToken }, 'shell');
      if (!wizard.ok) throw new Error(wizard.error.message);
      for (const f of wizard.value.files) {
        const placed = path.join(h.root, DIR, f.path);
        expect(readFileSync(placed, 'utf8'), f.path).toBe(f.text);
        expect(statSync(placed).mode & 0o777, f.path).toBe(f.mode);
      }
      expect(readFileSync(path.join(h.root, DIR, 'delegate.log'), 'utf8')).toMatch(
        new RegExp(`Registering delegate with delegate name: ${h.name}\\n[^]*Delegate registered with id`),
      );
      await registered(h.name);
    }
    expect(first.output).toMatch(/registered: the manager accepted the token/);
    for (const h of hosts) expect(first.output).toContain(`health endpoint http://127.0.0.1:${healthPorts[h.name]}/api/health answered HTTP 200`);
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('verify.yml fails a delegate whose log says registered but whose health endpoint answers 503, at the health hop, and passes the others', async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const h = hosts[1]!;
    const status = path.join(h.root, DIR, 'standin-health-status');
    writeFileSync(status, '503\n');
    try {
      const r = await play('verify.yml', ['-e', JSON.stringify({ agent_verify_timeout: 5 })]);
      expect(r.code, r.output).not.toBe(0);
      expect(r.recap[h.name], r.output).toMatchObject({ failed: 1 });
      for (const other of hosts.filter((x) => x !== h)) expect(r.recap[other.name], r.output).toMatchObject({ failed: 0 });
      expect(readFileSync(path.join(h.root, DIR, 'delegate.log'), 'utf8')).toMatch(/Delegate registered with id/);
      expect(r.output).toContain(
        `hop connected (Connected) not proven within 5 s: health endpoint http://127.0.0.1:${healthPorts[h.name]}/api/health answered HTTP 503`,
      );
    } finally {
      rmSync(status);
    }
    const back = await play('verify.yml', ['--limit', h.name]);
    expect(back.code, back.output).toBe(0);
  }, 300_000);

  it('remove.yml stops the delegates (stop.sh) and moves the folder aside: each host is as it was before the install', async (ctx) => {
    if (!JDK) return ctx.skip(NO_JDK);
    const removed = await play('remove.yml');
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      expect(spawnSync('pgrep', ['-f', '--', `-Dwatchersourcedir=${path.join(h.root, DIR)}`]).status).toBe(1);
      const now = tree(h.root);
      expect(Object.fromEntries(Object.entries(now).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')))).toEqual(fleet.before[h.name]);
      const aside = readdirSync(path.join(h.root, ASIDE_DIR));
      expect(aside).toHaveLength(1);
      expect(readFileSync(path.join(h.root, ASIDE_DIR, aside[0]!, DIR, 'delegate.log'), 'utf8')).toMatch(/Delegate registered with id/);
    }
  }, 300_000);
});

describe('Harness Docker delegate fleet as an Ansible project: site.yml, rotate.yml (DELEGATE_TOKEN= in delegate.env) and remove.yml on three loopback hosts, with a stand-in docker', () => {
  // STAND-IN, said plainly: there is no Docker daemon here. test/support/
  // docker-standin.py is first on each host's PATH (sshd SetEnv): it records its arguments and
  // runs a stand-in delegate process as the "container", which registers with the manager
  // stand-in using the environment docker would read from delegate.env, and serves /api/health;
  // `docker exec NAME curl …` runs curl on the host. The "containers" share the host's network, so
  // each serves health on its own port (state/health-ports.json), set per host in agent_health_urls.
  let dir: string;
  let project: string;
  let manager: http.Server;
  let managerEndpoint: string;
  let state: string;
  let fleet: FleetHosts;
  let hosts: FleetHost[] = [];
  const healthPorts: Record<string, number> = {};
  const oldToken = randomBytes(24).toString('base64');
  const newToken = randomBytes(24).toString('base64');
  const accepted = new Set([oldToken]);
  const registrations: { name: string; token: string }[] = [];
  const DOCKER_DIR = HARNESS_DOCKER_DIR.slice(1);

  const registered = async (name: string, t: string): Promise<void> => {
    for (let i = 0; i < 100 && !registrations.some((r) => r.name === name && r.token === t); i++) await new Promise((r) => setTimeout(r, 100));
    expect(registrations).toContainEqual({ name, token: t });
  };
  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);
  const envFor = (h: FleetHost, t: string): string => {
    const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: unknown };
    const wizard = harness.generate!(vars.agent_answers, { kind: 'token', token: t }, 'docker');
    if (!wizard.ok) throw new Error(wizard.error.message);
    return wizard.value.files.find((f) => f.path === 'delegate.env')!.text;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-harness-docker-'));
    state = path.join(dir, 'docker-state');
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin/docker'), readFileSync(DOCKER_STANDIN, 'utf8').replace('@STATE@', state), { mode: 0o755 });
    manager = http.createServer((req, res) => {
      const t = /^Delegate (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (req.method !== 'POST' || !req.url?.startsWith('/api/agent/delegates/register?accountId=acme')) return void res.writeHead(404).end();
      if (!accepted.has(t)) return void res.writeHead(401).end();
      registrations.push({ name: String(req.headers['x-delegate-name']), token: t });
      res.writeHead(200).end(randomBytes(8).toString('hex'));
    });
    await new Promise<void>((resolve) => manager.listen(0, '127.0.0.1', resolve));
    managerEndpoint = `http://127.0.0.1:${(manager.address() as AddressInfo).port}`;
    fleet = await startFleetHosts(dir, ['dd-1', 'dd-2', 'dd-3'], VAULT_PASSWORD, {
      dirs: ['opt'],
      sshdConfig: [`SetEnv PATH=${path.join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin`],
    });
    hosts = fleet.hosts;
    for (const h of hosts) healthPorts[h.name] = await freePort();
    mkdirSync(state);
    writeFileSync(path.join(state, 'health-ports.json'), JSON.stringify(healthPorts));
    project = path.join(dir, 'project');
    const csv = delegateCsv(hosts);
    const exported = await exportAnsibleFleet({
      platform: harness,
      type: 'docker',
      draft: {
        platform: 'harness',
        variant: 'docker',
        step: 'export',
        answers: { accountId: 'acme', managerEndpoint, delegateName: 'fleet', imageTag: '26.02.88404' },
      },
      csv,
      outDir: project,
      credential: { kind: 'token', token: oldToken },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
    for (const h of hosts) setHealthUrl(project, h.name, `http://127.0.0.1:${healthPorts[h.name]}/api/health`);
  }, 120_000);

  afterAll(async () => {
    for (const h of hosts) {
      spawnSync(path.join(dir, 'bin/docker'), ['rm', '-f', h.name]);
    }
    await fleet?.stop();
    spawnSync('pkill', ['-f', '--', `${path.join(dir, 'bin/docker')} logs -f`]);
    manager?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("site.yml installs the wizard's run-delegate.sh and delegate.env byte for byte, runs the container, verify passes on 'Delegate registered with id' then /api/health inside it, and a second run changes nothing; ansible-lint accepts the project", async () => {
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    if (spawnSync('ansible-lint', ['--version']).status === 0) {
      const lint = spawnSync('ansible-lint', ['--offline', '-p', 'site.yml', 'verify.yml', 'remove.yml', 'rotate.yml'], {
        cwd: project,
        encoding: 'utf8',
        env,
      });
      expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    }
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: unknown };
      const wizard = harness.generate!(vars.agent_answers, { kind: 'token', token: oldToken }, 'docker');
      if (!wizard.ok) throw new Error(wizard.error.message);
      for (const f of wizard.value.files) {
        const placed = path.join(h.root, DOCKER_DIR, f.path);
        expect(readFileSync(placed, 'utf8'), f.path).toBe(f.text);
        expect(statSync(placed).mode & 0o777, f.path).toBe(f.mode);
      }
      await registered(h.name, oldToken);
    }
    // What docker was asked: the generated script's run, with the env file beside it.
    const calls = readFileSync(path.join(state, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    const runs = calls.filter((c) => c[0] === 'run');
    expect(runs).toHaveLength(3);
    for (const h of hosts) expect(runs).toContainEqual(expect.arrayContaining(['--name', h.name, '--env-file', path.join(h.root, DOCKER_DIR, 'delegate.env')]));
    // The health endpoint was asked inside each container, after the log's lines.
    for (const h of hosts) {
      const url = `http://127.0.0.1:${healthPorts[h.name]}/api/health`;
      expect(calls).toContainEqual(expect.arrayContaining(['exec', h.name, 'curl', url]));
      expect(first.output).toContain(`health endpoint ${url} (through docker exec ${h.name}) answered HTTP 200`);
    }
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("rotate.yml: --check --diff first (nothing changes, no token shown), then the generator's DELEGATE_TOKEN= line with a backup, the container recreated with it, and a second run changes nothing", async () => {
    const tokenFile = path.join(project, ROTATE_TOKEN_FILE);
    writeFileSync(tokenFile, `agent_new_token: "${newToken}"\n`, { mode: 0o600 });
    await run('ansible-vault', ['encrypt', '--vault-id', `fleet@${fleet.passFile}`, tokenFile]);
    accepted.add(newToken);
    const withToken = ['-e', `@${ROTATE_TOKEN_FILE}`];
    const preview = await play('rotate.yml', ['--check', '--diff', ...withToken]);
    expect(preview.code, preview.output).toBe(0);
    for (const h of hosts) {
      expect(preview.recap[h.name]!.changed, preview.output).toBeGreaterThan(0);
      expect(readFileSync(path.join(h.root, DOCKER_DIR, 'delegate.env'), 'utf8')).toBe(envFor(h, oldToken));
    }
    expect(preview.output).not.toContain(newToken);
    expect(preview.output).not.toContain(oldToken);
    const rotated = await play('rotate.yml', withToken);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).not.toContain(newToken);
    for (const h of hosts) {
      const envFile = path.join(h.root, DOCKER_DIR, 'delegate.env');
      expect(readFileSync(envFile, 'utf8')).toBe(envFor(h, newToken));
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      const backups = readdirSync(path.dirname(envFile)).filter((f) => f.startsWith('delegate.env.') && f.endsWith('~'));
      expect(backups).toHaveLength(1);
      await registered(h.name, newToken);
    }
    const again = await play('rotate.yml', withToken);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('verify.yml fails a delegate whose log says registered but whose health endpoint (asked inside its container) answers 500, at the health hop, and passes the others', async () => {
    const h = hosts[2]!;
    const status = path.join(state, `${h.name}.health-status`);
    writeFileSync(status, '500\n');
    try {
      const r = await play('verify.yml', ['-e', JSON.stringify({ agent_verify_timeout: 5 })]);
      expect(r.code, r.output).not.toBe(0);
      expect(r.recap[h.name], r.output).toMatchObject({ failed: 1 });
      for (const other of hosts.filter((x) => x !== h)) expect(r.recap[other.name], r.output).toMatchObject({ failed: 0 });
      expect(r.output).toContain(
        `hop connected (Connected) not proven within 5 s: health endpoint http://127.0.0.1:${healthPorts[h.name]}/api/health (through docker exec ${h.name}) answered HTTP 500`,
      );
    } finally {
      rmSync(status);
    }
    const back = await play('verify.yml', ['--limit', h.name]);
    expect(back.code, back.output).toBe(0);
  }, 300_000);

  it('remove.yml removes the containers and moves the folders aside: each host is as it was', async () => {
    const removed = await play('remove.yml');
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      expect(spawnSync(path.join(dir, 'bin/docker'), ['container', 'inspect', h.name]).status).toBe(1);
      const now = tree(h.root);
      expect(Object.fromEntries(Object.entries(now).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')))).toEqual(fleet.before[h.name]);
      const aside = readdirSync(path.join(h.root, ASIDE_DIR));
      expect(aside).toHaveLength(1);
    }
  }, 300_000);
});
