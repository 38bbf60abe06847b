/**
 * A GitHub Actions runner fleet exported as an Ansible project, run by the real engine (Debian's
 * ansible-core) against three "agent hosts": real sshd servers on loopback ports, each with its
 * own install root. The role, configure-runner.sh (the wizard generator's bytes), site.yml and
 * remove.yml are the real ones, and the runner runs as an unprivileged user (the existing
 * `nobody`, so the test adds no user to this machine) through the real setpriv.
 *
 * STAND-INS, said plainly: the real runner (.NET) cannot run here and GitHub cannot be reached.
 * The role unpacks `runner_archive`, so the test gives it a tarball whose config.sh and run.sh
 * call test/support/github-runner-standin.py: it reads the arguments and the token the way the
 * runner does (ACTIONS_RUNNER_INPUT_TOKEN), talks to a loopback HTTPS stand-in of GitHub's
 * documented runner-registration shapes (POST /api/v3/actions/runner-registration with
 * `RemoteAuth <token>`, a bare 404 for a token it does not know), writes .runner and
 * .credentials, and prints the runner's own log lines, which verify reads.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { getPlatform } from '../../shared/platforms';
import { REMOVE_TOKEN_FILE, RUNNER_LOG, rootedRunnerAnswers } from '../../shared/platforms/github-actions/ansible';
import type { GitHubActionsAnswers } from '../../shared/platforms/github-actions/answers';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { folderBytes, startFleetHosts, tree, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import type { PlaybookRun } from '../support/ansible';

const run = promisify(execFile);
const github = getPlatform('github-actions')!;
const VAULT_PASSWORD = 'fleet vault password 789';
const STANDIN = path.resolve(__dirname, '../support/github-runner-standin.py');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** A registration (or remove) token's shape: 29 upper-case letters and digits. */
const token = (): string => [...randomBytes(29)].map((b) => ALNUM[b % ALNUM.length]).join('');
const RUNNER = 'opt/actions-runner';
const SETUP = 'etc/actions-runner';
const USER = 'nobody';
const withoutBackups = (t: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')));

interface Registered {
  id: number;
  name: string;
  labels: string[];
  clientId: string;
}

describe('GitHub Actions runner fleet as an Ansible project: site.yml configures once with the vaulted token, verify reads the runner, remove.yml leaves the hosts as they were', () => {
  let dir: string;
  let project: string;
  let fleet: FleetHosts;
  let certs: TestCerts;
  let api: https.Server;
  let url: string;
  let archive: string;
  const hosts: FleetHost[] = [];
  const regToken = token();
  const removeToken = token();
  /** GitHub's side, as the stand-in keeps it: registered runners, open sessions, tokens it saw. */
  const runners = new Map<number, Registered>();
  const sessions = new Map<string, number>();
  const seen: string[] = [];
  let nextId = 1;
  const jwt = `standin-jwt-${randomBytes(8).toString('hex')}`;

  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ runner_archive: archive, agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);
  const hostVars = (h: FleetHost): { agent_answers: GitHubActionsAnswers } =>
    parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: GitHubActionsAnswers };
  const generatedFor = (h: FleetHost, file: string): string => {
    const rooted = rootedRunnerAnswers(hostVars(h).agent_answers, h.root);
    if (!rooted.ok) throw new Error(rooted.error.message);
    const generated = github.generate!(rooted.value, { kind: 'token', token: regToken }, 'linux');
    if (!generated.ok) throw new Error(generated.error.message);
    return generated.value.files.find((f) => f.path === file)!.text;
  };
  const killRunners = (): void => {
    for (const h of hosts) {
      const pid = path.join(h.root, 'run/actions-runner/runner.pid');
      if (!existsSync(pid)) continue;
      try {
        process.kill(Number(readFileSync(pid, 'utf8').trim()));
      } catch {
        // already gone
      }
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-gh-'));
    // The runner user must reach its folder under each host's install root.
    chmodSync(dir, 0o755);
    certs = await makeTestCerts();
    api = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        const json = (code: number, value: unknown): void => void res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
        const auth = req.headers.authorization ?? '';
        const u = req.url ?? '';
        if (req.method === 'POST' && u === '/api/v3/actions/runner-registration') {
          const t = /^RemoteAuth (.+)$/.exec(auth)?.[1] ?? '';
          seen.push(t);
          const { url: target, runner_event: event } = JSON.parse(body) as { url: string; runner_event: string };
          // A remove token cannot register, nor a registration token remove: GitHub's bare 404 for both.
          const good = target === url && ((event === 'register' && t === regToken) || (event === 'remove' && t === removeToken));
          if (!good) return json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
          return json(200, { url: `${new URL(url).origin}/tenant/`, token: jwt, token_schema: 'OAuthAccessToken' });
        }
        const agents = /^\/tenant\/_apis\/distributedtask\/pools\/1\/agents(?:\/(\d+))?$/.exec(u);
        if (agents && auth !== `Bearer ${jwt}`) return json(401, {});
        if (agents && req.method === 'POST') {
          const { name, labels } = JSON.parse(body) as { name: string; labels: { name: string }[] };
          if ([...runners.values()].some((r) => r.name === name)) return json(409, {});
          const r = { id: nextId++, name, labels: labels.map((l) => l.name), clientId: randomUUID() };
          runners.set(r.id, r);
          return json(200, r);
        }
        if (agents && req.method === 'DELETE') return void res.writeHead(runners.delete(Number(agents[1])) ? 204 : 404).end();
        if (req.method === 'POST' && u === '/tenant/_apis/distributedtask/pools/1/sessions') {
          const { agentId } = JSON.parse(body) as { agentId: number };
          if (!runners.has(agentId)) return json(404, {});
          const sessionId = randomUUID();
          sessions.set(sessionId, agentId);
          return json(200, { sessionId });
        }
        const session = /^\/tenant\/_apis\/distributedtask\/pools\/1\/sessions\/([\w-]+)$/.exec(u);
        if (session && req.method === 'DELETE') return void res.writeHead(sessions.delete(session[1]!) ? 204 : 404).end();
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(api.address() as AddressInfo).port}/octo-org/octo-repo`;

    // The admin's actions-runner tarball, here the stand-in's (see the header).
    const src = path.join(dir, 'runner-src');
    mkdirSync(path.join(src, 'bin'), { recursive: true });
    copyFileSync(STANDIN, path.join(src, 'bin/Runner.Standin.py'));
    writeFileSync(path.join(src, '.standin-ca.pem'), certs.caPem);
    writeFileSync(path.join(src, 'config.sh'), '#!/bin/sh\nexec python3 "$(dirname "$0")/bin/Runner.Standin.py" config "$@"\n', { mode: 0o755 });
    writeFileSync(path.join(src, 'run.sh'), '#!/bin/sh\nexec python3 "$(dirname "$0")/bin/Runner.Standin.py" run "$@"\n', { mode: 0o755 });
    archive = path.join(dir, 'actions-runner-linux-x64-standin.tar.gz');
    await run('tar', ['czf', archive, '-C', src, '.']);

    fleet = await startFleetHosts(dir, ['gh-1', 'gh-2', 'gh-3'], VAULT_PASSWORD);
    hosts.push(...fleet.hosts);
    // Every Linux host has /opt (0755); the role creates only the runner folder in it.
    for (const h of hosts) {
      mkdirSync(path.join(h.root, 'opt'), { mode: 0o755 });
      fleet.before[h.name] = tree(h.root);
    }
    // Per-host runner name and labels, from the CSV as the admin writes it.
    const [header, ...rows] = fleet.csv.split('\n');
    const csv = [`${header},runnerName,labels`, ...rows.map((r) => `${r},${r.split(',')[0]}-runner,"fleet,${r.split(',')[0]}"`)].join('\n');
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: github,
      draft: { platform: 'github-actions', variant: 'linux', step: 'export', answers: { url, serviceUser: USER } },
      csv,
      outDir: project,
      credential: { kind: 'token', token: regToken },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
  }, 120_000);

  afterAll(async () => {
    killRunners();
    await fleet?.stop();
    api?.close();
    certs?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a refused registration token fails the canary at the registered hop and serial stops the roll: the other hosts are untouched', async () => {
    // gh-1's token file replaced by a vaulted token GitHub does not know (made with the real ansible-vault).
    const file = path.join(project, 'host_files/gh-1/runner-token');
    const good = readFileSync(file);
    const broken = token();
    writeFileSync(file, `${broken}\n`, { mode: 0o600 });
    await run('ansible-vault', ['encrypt', '--vault-id', `fleet@${fleet.passFile}`, file]);
    const rest = hosts.slice(1).map((h) => [h, tree(h.root)] as const);
    try {
      // The project's own rolling: one canary, then a quarter at a time, no failure allowed.
      const r = await fleet.play(project, 'site.yml', ['-e', JSON.stringify({ runner_archive: archive, agent_verify_timeout: 30 })]);
      expect(r.code, r.output).not.toBe(0);
      expect(r.recap['gh-1'], r.output).toMatchObject({ failed: 1 });
      expect(r.output).toMatch(
        /hop registered \(Registered with the server\) failed: The registration token was refused[^\n]*\[log: Http response code: NotFound from 'POST https:\/\/127\.0\.0\.1:\d+\/api\/v3\/actions\/runner-registration'/,
      );
      expect(r.output).toMatch(/NO MORE HOSTS LEFT/);
      expect(r.output).not.toContain(broken);
      expect(seen).toContain(broken);
      for (const [h, before] of rest) {
        expect(r.recap[h.name]).toBeUndefined();
        expect(tree(h.root)).toEqual(before);
      }
      expect(existsSync(path.join(hosts[0]!.root, RUNNER, '.runner'))).toBe(false);
    } finally {
      writeFileSync(file, good, { mode: 0o600 });
    }
  }, 300_000);

  it("site.yml unpacks the runner, installs the generator's files byte for byte, configures each host once as the runner user with per-host name and labels, verify passes, and a second run changes nothing", async () => {
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      for (const f of ['configure-runner.sh']) expect(readFileSync(path.join(h.root, SETUP, f), 'utf8'), f).toBe(generatedFor(h, f));
      // configure-runner.sh deleted the token once the runner was configured.
      expect(existsSync(path.join(h.root, SETUP, 'runner-token'))).toBe(false);
      const dotRunner = JSON.parse(readFileSync(path.join(h.root, RUNNER, '.runner'), 'utf8').replace(/^\uFEFF/, '')) as {
        agentName: string;
        gitHubUrl: string;
      };
      expect(dotRunner).toMatchObject({ agentName: `${h.name}-runner`, gitHubUrl: url });
      // Written by the runner user, its private key 0600.
      const { uid } = statSync(path.join(h.root, RUNNER, '.credentials_rsaparams'));
      expect(uid).toBe(Number((await run('id', ['-u', USER])).stdout.trim()));
      expect(statSync(path.join(h.root, RUNNER, '.credentials_rsaparams')).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(h.root, RUNNER_LOG), 'utf8')).toMatch(
        /√ Runner successfully added[\s\S]*Current runner version: '[^']+'\n[^\n]*: Listening for Jobs/,
      );
    }
    expect([...runners.values()].map((r) => [r.name, r.labels]).sort()).toEqual(
      hosts.map((h) => [`${h.name}-runner`, ['self-hosted', 'Linux', 'X64', 'fleet', h.name]]),
    );
    expect(first.output).not.toContain(regToken);
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
    // Configured once: GitHub saw one registration per host (and the canary's refused one).
    expect(runners.size).toBe(3);
    expect(seen.filter((t) => t === regToken)).toHaveLength(3);
  }, 300_000);

  it('keeps the token only in vault form: the real ansible-vault decrypts it, and no host or project file holds it in clear', async () => {
    expect(folderBytes(project)).not.toContain(regToken);
    expect(folderBytes(project)).not.toContain(VAULT_PASSWORD);
    for (const h of hosts) {
      const file = path.join(project, 'host_files', h.name, 'runner-token');
      expect(readFileSync(file, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { stdout } = await run('ansible-vault', ['view', '--vault-id', `fleet@${fleet.passFile}`, file]);
      expect(stdout).toBe(`${regToken}\n`);
      expect(folderBytes(h.root)).not.toContain(regToken);
    }
  }, 120_000);

  it('remove.yml stops the runners, fails a host whose remove token GitHub refuses (nothing moved), removes a registration with a vaulted remove token, and leaves every host as it was', async () => {
    const tokenFile = path.join(project, REMOVE_TOKEN_FILE);
    const vaulted = async (t: string): Promise<void> => {
      writeFileSync(tokenFile, `agent_remove_token: "${t}"\n`, { mode: 0o600 });
      await run('ansible-vault', ['encrypt', '--vault-id', `fleet@${fleet.passFile}`, tokenFile]);
    };
    // The registration token is not a remove token: GitHub's bare 404, the host fails, nothing moves aside.
    await vaulted(regToken);
    const refused = await play('remove.yml', ['--limit', 'gh-1', '-e', `@${REMOVE_TOKEN_FILE}`]);
    expect(refused.code, refused.output).not.toBe(0);
    expect(refused.output).toMatch(/config\.sh remove failed \(exit 1;[^\n]*Get a fresh one from the runner's page on GitHub/);
    expect(refused.output).not.toContain(regToken);
    expect(existsSync(path.join(hosts[0]!.root, RUNNER, '.runner'))).toBe(true);
    expect(readFileSync(path.join(hosts[0]!.root, RUNNER_LOG), 'utf8')).toMatch(/Http response code: NotFound from 'POST [^']*runner-registration'/);
    rmSync(tokenFile);
    await vaulted(removeToken);
    const withToken = await play('remove.yml', ['--limit', 'gh-1', '-e', `@${REMOVE_TOKEN_FILE}`]);
    expect(withToken.code, withToken.output).toBe(0);
    expect(withToken.output).not.toContain(removeToken);
    expect([...runners.values()].map((r) => r.name).sort()).toEqual(['gh-2-runner', 'gh-3-runner']);
    rmSync(tokenFile);
    // Without a remove token the folder moves aside and GitHub keeps listing the runner (offline).
    const rest = await play('remove.yml');
    expect(rest.code, rest.output).toBe(0);
    expect([...runners.values()].map((r) => r.name).sort()).toEqual(['gh-2-runner', 'gh-3-runner']);
    expect(sessions.size).toBe(0);
    for (const h of hosts) expect(withoutBackups(tree(h.root))).toEqual(fleet.before[h.name]);
  }, 300_000);
});
