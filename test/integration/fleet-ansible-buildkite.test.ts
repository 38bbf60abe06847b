/**
 * A Buildkite fleet exported as an Ansible project, run by the real engine (Debian's
 * ansible-core) against three "agent hosts": real sshd servers on loopback ports, each with its
 * own install root. The role, the cfg (the wizard generator's bytes), site.yml, rotate.yml and
 * remove.yml are the real ones.
 *
 * STAND-INS, said plainly: the real buildkite-agent cannot run here (it is not installed, and it
 * registers with Buildkite's Agent API, which a test cannot reach). The role runs `agent_binary`,
 * so each host runs test/support/buildkite-agent-standin.py, which reads the cfg the way the agent
 * does, registers with a loopback Agent API stand-in (POST /v3/register, `Authorization: Token`,
 * 401 for a token it does not know) and prints the agent's own log lines, which verify reads.
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
import { rootedAnswers } from '../../shared/platforms/buildkite/ansible';
import type { BuildkiteAnswers } from '../../shared/platforms/buildkite/answers';
import { ASIDE_DIR, ROTATE_TOKEN_FILE } from '../../shared/ansible/project';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { folderBytes, startFleetHosts, tree, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import type { PlaybookRun } from '../support/ansible';

const run = promisify(execFile);
const buildkite = getPlatform('buildkite')!;
const VAULT_PASSWORD = 'fleet vault password 456';
const STANDIN = path.resolve(__dirname, '../support/buildkite-agent-standin.py');
const token = (): string => `bkfleet${randomBytes(18).toString('hex')}`;
const CFG = 'etc/buildkite-agent/buildkite-agent.cfg';

describe('Buildkite fleet as an Ansible project: site.yml, rotate.yml (checked first, backups kept, the token vaulted) and remove.yml on three loopback hosts', () => {
  let dir: string;
  let project: string;
  let fleet: FleetHosts;
  let api: http.Server;
  let endpoint: string;
  const hosts: FleetHost[] = [];
  const before: Record<string, Record<string, string>> = {};
  const oldToken = token();
  const newToken = token();
  /** Tokens the Agent API stand-in accepts, and each registration it saw (name, token). */
  const accepted = new Set([oldToken]);
  const registrations: { name: string; token: string }[] = [];

  /** Waits (at most 10 s) until the Agent API stand-in saw `name` register with `t`. */
  const registered = async (name: string, t: string): Promise<void> => {
    for (let i = 0; i < 100 && !registrations.some((r) => r.name === name && r.token === t); i++) await new Promise((r) => setTimeout(r, 100));
    expect(registrations).toContainEqual({ name, token: t });
  };
  const play = (playbook: string, extra: string[] = []): Promise<PlaybookRun> =>
    fleet.play(project, playbook, ['-e', JSON.stringify({ agent_binary: STANDIN, agent_serial: [3], agent_verify_timeout: 30 }), ...extra]);
  const cfgFor = (h: FleetHost, t: string): string => {
    const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${h.name}.yml`), 'utf8')) as { agent_answers: BuildkiteAnswers };
    const generated = buildkite.generate!(rootedAnswers(vars.agent_answers, h.root), { kind: 'token', token: t }, 'cfg');
    if (!generated.ok) throw new Error(generated.error.message);
    return generated.value.files.find((f) => f.path === 'buildkite-agent.cfg')!.text;
  };
  const projectBytes = (): string => folderBytes(project);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-bk-'));
    api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        const t = /^Token (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        if (req.method !== 'POST' || req.url !== '/v3/register') return void res.writeHead(404).end();
        if (!accepted.has(t)) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"Unauthorized"}');
        const { name } = JSON.parse(body) as { name: string };
        registrations.push({ name, token: t });
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ id: randomBytes(8).toString('hex'), name, access_token: `bkaa_${randomBytes(8).toString('hex')}` }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v3`;
    fleet = await startFleetHosts(dir, ['bk-1', 'bk-2', 'bk-3'], VAULT_PASSWORD);
    hosts.push(...fleet.hosts);
    Object.assign(before, fleet.before);
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: buildkite,
      draft: { platform: 'buildkite', variant: 'cfg', step: 'export', answers: { endpoint, tags: { queue: 'fleet' } } },
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
      const pid = path.join(h.root, 'run/buildkite-agent/agent.pid');
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

  it("site.yml installs the generator's cfg byte for byte, starts the agent, verify passes, and a second run changes nothing", async () => {
    const first = await play('site.yml');
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      const cfg = path.join(h.root, CFG);
      expect(readFileSync(cfg, 'utf8')).toBe(cfgFor(h, oldToken));
      expect(statSync(cfg).mode & 0o777).toBe(0o600);
      await registered(h.name, oldToken);
    }
    const again = await play('site.yml');
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("rotate.yml: previewed with --check --diff (nothing changes, no token shown), then writes the generator's line, keeps a backup, re-registers with the new token, and a second run changes nothing; the token is only ever in the project vaulted", async () => {
    // The admin's vault file, made with the real ansible-vault as the project README says.
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
    expect(preview.output).toMatch(/Write the new token: token= in buildkite-agent\.cfg/);
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
      expect(readFileSync(cfg, 'utf8')).toBe(cfgFor(h, newToken));
      expect(statSync(cfg).mode & 0o777).toBe(0o600);
      const backups = readdirSync(path.dirname(cfg)).filter((f) => f.startsWith('buildkite-agent.cfg.') && f.endsWith('~'));
      expect(backups).toHaveLength(1);
      expect(readFileSync(path.join(path.dirname(cfg), backups[0]!), 'utf8')).toBe(cfgFor(h, oldToken));
      // The restart presented the new token to the Agent API.
      await registered(h.name, newToken);
    }
    const again = await play('rotate.yml', withToken);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("rotate.yml to a token the Agent API refuses fails verify at the hop, even when the restarted agent is slow to write its first line: the previous run's lines do not count", async () => {
    // The agent binary here waits 3 s before the stand-in writes its first line: until then the
    // log ends with the previous run's "registered … connected" lines, which verify used to pass on.
    const slow = path.join(dir, 'slow-agent');
    writeFileSync(slow, `#!/bin/sh\nsleep 3\nexec ${STANDIN} "$@"\n`, { mode: 0o755 });
    const refused = token();
    const h = hosts[0]!;
    const r = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: refused, agent_binary: slow })]);
    expect(r.code, r.output).not.toBe(0);
    expect(r.recap[h.name], r.output).toMatchObject({ failed: 1 });
    expect(r.output).toMatch(/hop registered \([^)]*\) failed: [^\n]*401/);
    expect(r.output).not.toContain(refused);
    expect(registrations.some((x) => x.token === refused)).toBe(false);
    // Back to the accepted token for the tests after this one.
    const back = await play('rotate.yml', ['--limit', h.name, '-e', JSON.stringify({ agent_new_token: newToken })]);
    expect(back.code, back.output).toBe(0);
    expect(readFileSync(path.join(h.root, CFG), 'utf8')).toBe(cfgFor(h, newToken));
  }, 300_000);

  it('rotate.yml refuses a token the line cannot hold as written, and changes nothing', async () => {
    const cfgs = hosts.map((h) => readFileSync(path.join(h.root, CFG), 'utf8'));
    const r = await play('rotate.yml', ['-e', JSON.stringify({ agent_new_token: 'has"quote-and-more-chars' })]);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/The new token has characters token= in buildkite-agent\.cfg cannot hold as written/);
    expect(hosts.map((h) => readFileSync(path.join(h.root, CFG), 'utf8'))).toEqual(cfgs);
  }, 300_000);

  it('remove.yml stops the agents and moves aside what the install owns: each host is as it was', async () => {
    const removed = await play('remove.yml');
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      const now = tree(h.root);
      expect(Object.fromEntries(Object.entries(now).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')))).toEqual(before[h.name]);
      const aside = readdirSync(path.join(h.root, ASIDE_DIR));
      expect(aside).toHaveLength(1);
      const kept = path.join(h.root, ASIDE_DIR, aside[0]!);
      expect(readFileSync(path.join(kept, CFG), 'utf8')).toBe(cfgFor(h, newToken));
      expect(readFileSync(path.join(kept, 'var/log/buildkite-agent/agent.log'), 'utf8')).toMatch(/Received signal `SIGTERM`, stopping/);
    }
  }, 300_000);
});
