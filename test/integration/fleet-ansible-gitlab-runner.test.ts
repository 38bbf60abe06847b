/**
 * A GitLab Runner fleet exported as an Ansible project, run by the real engine (Debian's
 * ansible-core) against three "agent hosts": real sshd servers on loopback ports, each with its
 * own install root. The role, config.toml (the wizard generator's bytes), site.yml, rotate.yml and
 * remove.yml are the real ones.
 *
 * STAND-INS, said plainly: the real gitlab-runner binary is not installed here and talks to a
 * GitLab a test cannot reach. The role runs `agent_binary`, so each host runs
 * test/support/gitlab-runner-standin.py (a stand-in for the gitlab-runner binary only: it reads
 * config.toml with tomllib, `verify` and `run` call the GitLab API and print the runner's own log
 * lines, SIGHUP reloads), against a loopback stand-in of GitLab's runner API
 * (POST /api/v4/runners/verify and /api/v4/jobs/request: 200/204 for a token it knows, 403 for
 * any other).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { getPlatform } from '../../shared/platforms';
import { rootedRunnerAnswers } from '../../shared/platforms/gitlab-runner/ansible';
import type { GitlabRunnerAnswers } from '../../shared/platforms/gitlab-runner/answers';
import { ASIDE_DIR, ROTATE_TOKEN_FILE } from '../../shared/ansible/project';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { folderBytes, startFleetHosts, tree, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import type { PlaybookRun } from '../support/ansible';

const run = promisify(execFile);
const gitlab = getPlatform('gitlab-runner')!;
const VAULT_PASSWORD = 'fleet vault password 789';
const STANDIN = path.resolve(__dirname, '../support/gitlab-runner-standin.py');
const token = (): string => `glrt-t1_${randomBytes(15).toString('base64url')}`;
const CFG = 'etc/gitlab-runner/config.toml';

describe('GitLab Runner fleet as an Ansible project: site.yml, rotate.yml (checked first, backups kept, the token vaulted) and remove.yml on three loopback hosts', () => {
  let dir: string;
  let project: string;
  let fleet: FleetHosts;
  let api: http.Server;
  let url: string;
  const hosts: FleetHost[] = [];
  const before: Record<string, Record<string, string>> = {};
  const oldToken = token();
  const newToken = token();
  /** Tokens the GitLab stand-in accepts, and each token verify sent it. */
  const accepted = new Set([oldToken]);
  const verified: string[] = [];

  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ agent_binary: STANDIN, agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);
  const tomlFor = (h: FleetHost, t: string): string => {
    const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: GitlabRunnerAnswers };
    const generated = gitlab.generate!(rootedRunnerAnswers(vars.agent_answers, h.root), { kind: 'token', token: t }, 'package');
    if (!generated.ok) throw new Error(generated.error.message);
    return generated.value.files.find((f) => f.path === 'config.toml')!.text;
  };
  const projectBytes = (): string => folderBytes(project);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-gl-'));
    api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        if (req.method !== 'POST' || !['/api/v4/runners/verify', '/api/v4/jobs/request'].includes(req.url ?? '')) return void res.writeHead(404).end();
        const t = (JSON.parse(body || '{}') as { token?: string }).token ?? '';
        if (req.url === '/api/v4/runners/verify') verified.push(t);
        if (!accepted.has(t)) return void res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"message":"403 Forbidden"}');
        if (req.url === '/api/v4/jobs/request') return void res.writeHead(204).end();
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 42, token: t, token_expires_at: null }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    fleet = await startFleetHosts(dir, ['gl-1', 'gl-2', 'gl-3'], VAULT_PASSWORD);
    hosts.push(...fleet.hosts);
    Object.assign(before, fleet.before);
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: gitlab,
      draft: { platform: 'gitlab-runner', variant: 'package', step: 'export', answers: { url, executor: 'shell' } },
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
      const pid = path.join(h.root, 'run/gitlab-runner/runner.pid');
      if (existsSync(pid)) {
        try {
          process.kill(Number(readFileSync(pid, 'utf8').trim()));
        } catch {
          // already gone
        }
      }
    }
    await fleet?.stop();
    api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("site.yml installs the generator's config.toml byte for byte, starts the runner, verify passes (started, then GitLab accepted the token), and a second run changes nothing", async () => {
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      const cfg = path.join(h.root, CFG);
      expect(readFileSync(cfg, 'utf8')).toBe(tomlFor(h, oldToken));
      expect(statSync(cfg).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(h.root, 'var/log/gitlab-runner/runner.log'), 'utf8')).toMatch(
        /Configuration loaded[^\n]*\n[^]*Verifying runner\.\.\. is valid/,
      );
    }
    expect(first.output).toMatch(/registered: GitLab accepted the runner token/);
    expect(verified.filter((t) => t === oldToken)).toHaveLength(3);
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("rotate.yml: previewed with --check --diff (nothing changes, no token shown), then writes the generator's line, keeps a backup, the runner reloads (SIGHUP) and GitLab accepts the new token, and a second run changes nothing; the token is only ever in the project vaulted", async () => {
    const tokenFile = path.join(project, ROTATE_TOKEN_FILE);
    writeFileSync(tokenFile, `agent_new_token: "${newToken}"\n`, { mode: 0o600 });
    await run('ansible-vault', ['encrypt', '--vault-id', `fleet@${fleet.passFile}`, tokenFile]);
    expect(readFileSync(tokenFile, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
    const bytes = projectBytes();
    expect(bytes).not.toContain(newToken);
    expect(bytes).not.toContain(oldToken);
    accepted.add(newToken);
    const withToken = ['-e', `@${ROTATE_TOKEN_FILE}`];
    const installed = Object.fromEntries(hosts.map((h) => [h.name, tree(h.root)]));

    const preview = await play('rotate.yml', ['--check', '--diff', ...withToken]);
    expect(preview.code, preview.output).toBe(0);
    for (const h of hosts) {
      expect(preview.recap[h.name], preview.output).toMatchObject({ failed: 0 });
      expect(preview.recap[h.name]!.changed).toBeGreaterThan(0);
      expect(tree(h.root, 'var/log')).toEqual(Object.fromEntries(Object.entries(installed[h.name]!).filter(([k]) => !k.startsWith('var/log/'))));
    }
    expect(preview.output).toMatch(/Write the new token: token = in config\.toml/);
    expect(preview.output).not.toContain(newToken);
    expect(preview.output).not.toContain(oldToken);

    const rotated = await play('rotate.yml', withToken);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).not.toContain(newToken);
    expect(rotated.output).not.toContain(oldToken);
    for (const h of hosts) {
      expect(rotated.recap[h.name], rotated.output).toMatchObject({ failed: 0 });
      const cfg = path.join(h.root, CFG);
      // Only the token line changed, written as the generator writes it for the new token.
      expect(readFileSync(cfg, 'utf8')).toBe(tomlFor(h, newToken));
      expect(statSync(cfg).mode & 0o777).toBe(0o600);
      const backups = readdirSync(path.dirname(cfg)).filter((f) => f.startsWith('config.toml.') && f.endsWith('~'));
      expect(backups).toHaveLength(1);
      expect(readFileSync(path.join(path.dirname(cfg), backups[0]!), 'utf8')).toBe(tomlFor(h, oldToken));
    }
    // The reloaded runners presented the new token to GitLab.
    expect(verified.filter((t) => t === newToken)).toHaveLength(3);
    const again = await play('rotate.yml', withToken);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('rotate.yml to a token GitLab refuses fails the host at the registered hop; a token that is not a runner token is refused before anything changes', async () => {
    const h = hosts[0]!;
    const refused = token();
    const r = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: refused })]);
    expect(r.code, r.output).not.toBe(0);
    expect(r.recap[h.name], r.output).toMatchObject({ failed: 1 });
    // Whichever the log shows first since the restart: verify's "is not valid", or the run loop's
    // "Checking for jobs... forbidden" when its poll comes before verify (under load). Both are
    // GitLab refusing this token, at the same hop.
    expect(r.output).toMatch(/hop registered \([^)]*\) failed: GitLab (does not accept the runner token|refuses the runner when it asks for jobs)/);
    expect(r.output).not.toContain(refused);
    const back = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: newToken })]);
    expect(back.code, back.output).toBe(0);
    expect(readFileSync(path.join(h.root, CFG), 'utf8')).toBe(tomlFor(h, newToken));

    const cfgs = hosts.map((x) => readFileSync(path.join(x.root, CFG), 'utf8'));
    const wrong = await play('rotate.yml', ['-e', JSON.stringify({ agent_new_token: 'glpat-AbCdEfGhIjKlMnOpQrSt' })]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/The new token has characters token = in config\.toml cannot hold as written/);
    expect(hosts.map((x) => readFileSync(path.join(x.root, CFG), 'utf8'))).toEqual(cfgs);
  }, 300_000);

  it('remove.yml stops the runners and moves aside what the install owns: each host is as it was', async () => {
    const removed = await play('remove.yml');
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      const now = tree(h.root);
      expect(Object.fromEntries(Object.entries(now).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')))).toEqual(before[h.name]);
      const aside = readdirSync(path.join(h.root, ASIDE_DIR));
      expect(aside).toHaveLength(1);
      const kept = path.join(h.root, ASIDE_DIR, aside[0]!);
      expect(readFileSync(path.join(kept, CFG), 'utf8')).toBe(tomlFor(h, newToken));
      expect(readFileSync(path.join(kept, 'var/log/gitlab-runner/runner.log'), 'utf8')).toMatch(/Received signal SIGTERM, stopping/);
    }
  }, 300_000);
});
