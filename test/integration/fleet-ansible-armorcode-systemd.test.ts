/**
 * The ArmorCode systemd fleet role, run by the real engine (Debian's ansible-core) against three
 * loopback sshd "hosts" that install under / (test/support/fleet-hosts.ts `ownEtc`): each host's
 * sshd runs in a mount namespace of its own whose /etc is an overlay, so the units, the key and
 * the armorcode user (real useradd, through Ansible's user module) land in that host's upper folder.
 * A fourth real sshd stands in for the ArmorCode server (the vendor's SSH endpoint cannot be
 * reached from a test; sshd is what it runs).
 *
 * STAND-INS, said plainly, and why: systemd is not PID 1 here, so `systemctl` and `journalctl`
 * first on each host's PATH are test/support/systemctl-standin.py (its state folder per host): it
 * records its calls and does what systemd would do with the unit files: it runs the unit's real
 * ExecStart (the real ssh to the "ArmorCode server") as its User=, stamps its output into the
 * unit's journal, links the unit into multi-user.target.wants on enable, and answers is-active /
 * is-enabled. Everything else is real: sshd, ssh, useradd, the tunnel carrying HTTP.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ArmorcodeAnswers } from '../../shared/platforms/armorcode/answers';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { getPlatform } from '../../shared/platforms';
import { generateArmorcode } from '../../shared/platforms/armorcode/generate';
import { etcChanges, ownEtcProblem, startFleetHosts, type FleetHost, type FleetHosts } from '../support/fleet-hosts';
import { getLoopback, until } from '../support/net-servers';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';

const SUPPORT = path.resolve(import.meta.dirname, '../support');
const armorcode = getPlatform('armorcode')!;
const VAULT_PASSWORD = 'fleet vault password 456';
/** remove.yml moves aside into /etc here: the hosts have an /etc of their own, not a /var/backups. */
const ASIDE = 'etc/agent-onboard-aside';
/** The user database useradd writes (and its backups): remove.yml keeps the armorcode user on purpose. */
const USER_DB = ['.pwd.lock', 'passwd', 'passwd-', 'group', 'group-', 'shadow', 'shadow-', 'gshadow', 'gshadow-', 'subuid', 'subuid-', 'subgid', 'subgid-'];

const problem = ownEtcProblem();
if (problem) console.warn(`fleet-ansible-armorcode-systemd: skipped (${problem})`);

interface Agent {
  host: FleetHost;
  services: { name: string; server: http.Server; port: number; remotePort: number; body: string }[];
}

function startHttp(body: string): Promise<{ server: http.Server; port: number }> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => res.end(body));
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

describe.skipIf(Boolean(problem))('ArmorCode systemd fleet role, run by ansible-playbook against three loopback hosts with an /etc of their own', () => {
  let dir: string;
  let project: string;
  let fleet: FleetHosts;
  let server: RunningSshd;
  let agentKeys: { name: string; publicKey: string }[] = [];
  const agents: Agent[] = [];
  const answers = (): Record<string, unknown> => ({
    server: '127.0.0.1',
    port: server.port,
    user: server.user,
    serverAliveInterval: 5,
    serverAliveCountMax: 2,
  });

  const state = (a: Agent): string => path.join(a.host.home!, 'systemd');
  const calls = (a: Agent): string => (existsSync(path.join(state(a), 'calls.log')) ? readFileSync(path.join(state(a), 'calls.log'), 'utf8') : '');
  const upper = (a: Agent, p: string): string => path.join(a.host.etcUpper!, p);
  const changes = (a: Agent): Record<string, string> => etcChanges(a.host.etcUpper!, [ASIDE.slice('etc/'.length), ...USER_DB]);
  const play = (playbook: string, extra: string[] = []) =>
    fleet.play(project, playbook, ['-e', `agent_aside_dir=/${ASIDE}`, '-e', 'agent_verify_timeout=45', ...extra]);
  const together = ['-e', '{"agent_serial": [3]}'];
  const authorize = (names: string[]): void =>
    writeFileSync(
      path.join(server.dir, 'authorized_keys'),
      agentKeys
        .filter((k) => names.includes(k.name))
        .map((k) => k.publicKey)
        .join('\n') + '\n',
    );
  const killUnits = (): void => {
    for (const a of agents) {
      if (!existsSync(state(a))) continue;
      for (const f of readdirSync(state(a)).filter((n) => n.endsWith('.pid')))
        try {
          process.kill(-Number(readFileSync(path.join(state(a), f), 'utf8')), 'SIGKILL');
        } catch {
          // Already stopped.
        }
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-acsd-'));
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['systemctl', 'journalctl']) symlinkSync(path.join(SUPPORT, 'systemctl-standin.py'), path.join(bin, name));
    server = await startSshd({ authorizedKeys: [] });
    fleet = await startFleetHosts(dir, ['sd-1', 'sd-2', 'sd-3'], VAULT_PASSWORD, {
      ownEtc: { bin, env: (home) => ({ SYSTEMCTL_STANDIN_DIR: path.join(home, 'systemd') }) },
    });
    for (const [i, host] of fleet.hosts.entries()) {
      // The first host has two services (two units): a change to one unit restarts only that one.
      const names = i === 0 ? ['web', 'api'] : ['web'];
      const services = [];
      for (const name of names) {
        const body = `${name} service of ${host.name}`;
        services.push({ name, ...(await startHttp(body)), remotePort: await freePort(), body });
      }
      agents.push({ host, services });
    }
    const csv = [
      'name,ansible_host,ansible_port,ansible_user,install_root,services',
      ...agents.map(
        (a) =>
          `${a.host.name},127.0.0.1,${a.host.sshd.port},${a.host.sshd.user},,"${JSON.stringify(a.services.map((s) => ({ name: s.name, url: `http://127.0.0.1:${s.port}`, remotePort: s.remotePort }))).replace(/"/g, '""')}"`,
      ),
    ].join('\n');
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: armorcode,
      type: 'systemd',
      draft: { platform: 'armorcode', variant: 'systemd', step: 'export', answers: answers(), knownHosts: `${server.knownHostsLine}\n` },
      csv,
      outDir: project,
      credential: { kind: 'none' },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
    const rows = parse<Record<string, string>>(readFileSync(exported.value.publicKeys!, 'utf8'), { columns: true });
    agentKeys = rows.map((r) => ({ name: r.name!, publicKey: r['public key']! }));
    authorize(agents.map((a) => a.host.name));
  }, 120_000);

  afterAll(async () => {
    killUnits();
    for (const a of agents) for (const s of a.services) s.server.close();
    await fleet?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the real tools accept every playbook (--syntax-check, ansible-lint where installed)', () => {
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const playbooks = ['site.yml', 'verify.yml', 'remove.yml'];
    for (const playbook of playbooks) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return;
    const lint = spawnSync('ansible-lint', ['--offline', '-p', ...playbooks], { cwd: project, encoding: 'utf8', env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 240_000);

  it("site.yml creates the armorcode user, places the generator's units and key as it, enables and starts the units; verify reads the journal; each forwarded port reaches that host's service; a second run changes nothing", async () => {
    const first = await play('site.yml', together);
    expect(first.code, first.output).toBe(0);
    for (const a of agents) {
      expect(first.recap[a.host.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      // Through the "ArmorCode server": each port for this host reaches this host's service.
      for (const s of a.services) expect(await until(`HTTP through ${a.host.name}/${s.name}`, () => getLoopback(s.remotePort))).toBe(s.body);
      const key = lstatSync(upper(a, 'armorcode/private-key.pem'));
      expect((key.mode & 0o777).toString(8)).toBe('600');
      expect(readFileSync(upper(a, 'passwd'), 'utf8')).toMatch(new RegExp(`^armorcode:x:${key.uid}:`, 'm'));
      expect(lstatSync(upper(a, 'armorcode/known_hosts')).uid).toBe(key.uid);
      expect(lstatSync(upper(a, 'armorcode/public-key.pem')).uid).toBe(0);
      expect((lstatSync(upper(a, 'armorcode')).mode & 0o777).toString(8)).toBe('755');
      // The bytes are the generator's for this host's answers (the wizard's systemd variant, its default layout).
      const vars = parseYaml(readFileSync(path.join(project, 'host_vars', `${a.host.name}.yml`), 'utf8')) as { agent_answers: ArmorcodeAnswers };
      for (const { name } of a.services) {
        const unit = `armorcode-tunnel-${name}.service`;
        const placed = readFileSync(upper(a, `systemd/system/${unit}`), 'utf8');
        const generated = generateArmorcode(
          vars.agent_answers,
          {
            kind: 'ssh-keypair',
            privateKey: readFileSync(upper(a, 'armorcode/private-key.pem'), 'utf8'),
            publicKey: readFileSync(upper(a, 'armorcode/public-key.pem'), 'utf8'),
            knownHosts: `${server.knownHostsLine}\n`,
          },
          'systemd',
        );
        if (!generated.ok) throw new Error(generated.error.message);
        expect(placed).toBe(generated.value.files.find((f) => f.path === unit)!.text);
        expect(readlinkSync(upper(a, `systemd/system/multi-user.target.wants/${unit}`))).toBe(`/etc/systemd/system/${unit}`);
        // The real systemd-analyze reads the placed unit as systemd would (its User= need not exist here).
        const verified = spawnSync('systemd-analyze', ['verify', upper(a, `systemd/system/${unit}`)], { encoding: 'utf8' });
        expect(verified.stderr).not.toMatch(/Unknown (key|section)|Invalid|Failed to parse|bad-setting/i);
      }
      const c = calls(a);
      expect(c).toContain('["systemctl", "daemon-reload"]');
      expect(c).toContain('["systemctl", "enable", "--quiet", "armorcode-tunnel-web.service"]');
      expect(c).toContain('["systemctl", "start", "armorcode-tunnel-web.service"]');
      // The journal since this run's start, not a file.
      expect(c).toMatch(/\["journalctl", "-u", "armorcode-tunnel-\*", "--no-pager", "-q", "-o", "cat", "--since", "@\d+\.\d+"\]/);
    }
    // Hop by hop, as install-and-verify shows them: every unit active on each poll for 10 s, then ssh's VERBOSE lines in the journal.
    expect(first.output).toMatch(/stayed-up: the service answered running on every poll for 1\d s \(n=0; for u in armorcode-tunnel-web\.service/);
    expect(first.output).toMatch(/connected: the session held its remote forwards/);

    const verify = await play('verify.yml', together);
    expect(verify.code, verify.output).toBe(0);
    for (const a of agents) expect(verify.recap[a.host.name], verify.output).toMatchObject({ failed: 0, changed: 0 });

    const again = await play('site.yml', together);
    expect(again.code, again.output).toBe(0);
    for (const a of agents) expect(again.recap[a.host.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('a changed unit file makes systemd reload and restarts only its own unit', async () => {
    const a = agents[0]!;
    const file = path.join(project, 'host_files', a.host.name, 'armorcode-tunnel-api.service');
    const original = readFileSync(file, 'utf8');
    const mark = calls(a).length;
    writeFileSync(file, original.replace('RestartSec=5', 'RestartSec=6'));
    try {
      const r = await play('site.yml', ['--limit', a.host.name]);
      expect(r.code, r.output).toBe(0);
      const now = calls(a).slice(mark);
      expect(now).toContain('["systemctl", "daemon-reload"]');
      expect(now).toContain('["systemctl", "restart", "armorcode-tunnel-api.service"]');
      expect(now).not.toContain('"restart", "armorcode-tunnel-web.service"');
      expect(r.recap[a.host.name]).toMatchObject({ failed: 0 });
      // The restarted unit came back online (verify passed above) and carries HTTP again.
      for (const s of a.services) expect(await until(`HTTP through ${s.name}`, () => getLoopback(s.remotePort))).toBe(s.body);
    } finally {
      // The project as exported again; the host keeps the changed unit and its backup, which remove.yml moves aside next.
      writeFileSync(file, original);
    }
  }, 300_000);

  it('remove.yml stops and disables the units, moves aside units and key, runs daemon-reload: each /etc is as it was but the armorcode user', async () => {
    const removed = await play('remove.yml', together);
    expect(removed.code, removed.output).toBe(0);
    for (const a of agents) {
      expect(changes(a)).toEqual(fleet.before[a.host.name]);
      for (const s of a.services) expect(await until(`${s.name} closed`, async () => ((await getLoopback(s.remotePort)) === null ? true : null))).toBe(true);
      const c = calls(a);
      expect(c).toContain('["systemctl", "disable", "--now", "--quiet", "armorcode-tunnel-web.service"]');
      expect(c.trim().split('\n').pop()).toBe('["systemctl", "daemon-reload"]');
      const [aside, ...more] = readdirSync(upper(a, ASIDE.slice('etc/'.length)));
      expect(more).toEqual([]);
      const kept = path.join(upper(a, ASIDE.slice('etc/'.length)), aside!);
      expect((lstatSync(path.join(kept, 'etc/armorcode/private-key.pem')).mode & 0o777).toString(8)).toBe('600');
      expect(existsSync(path.join(kept, 'etc/systemd/system/armorcode-tunnel-web.service'))).toBe(true);
      // The backup site.yml's copy left beside the changed unit (first host) went with it.
      const backups = readdirSync(path.join(kept, 'etc/systemd/system')).filter((n) => n.endsWith('~'));
      expect(backups.map((n) => n.replace(/\.\d+\..*~$/, '.<backup>~'))).toEqual(a === agents[0] ? ['armorcode-tunnel-api.service.<backup>~'] : []);
      expect(readFileSync(upper(a, 'passwd'), 'utf8')).toMatch(/^armorcode:x:/m);
    }
    const again = await play('remove.yml', together);
    expect(again.code, again.output).toBe(0);
    for (const a of agents) expect(again.recap[a.host.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it("a host whose key the server refuses fails verify at the registered hop, though the journal still holds an old run's accepted lines", async () => {
    const [canary, ...rest] = agents as [Agent, Agent, Agent];
    // The journal keeps the first run's "Authenticated to" lines: only what follows this run's start counts.
    expect(readFileSync(path.join(state(canary), 'armorcode-tunnel-web.service.journal'), 'utf8')).toMatch(/Authenticated to 127\.0\.0\.1/);
    authorize(rest.map((a) => a.host.name));
    try {
      const r = await play('site.yml', ['-e', '{"agent_verify_timeout": 40}']);
      expect(r.code).not.toBe(0);
      expect(r.recap[canary.host.name]!.failed).toBe(1);
      expect(r.output).toMatch(
        /hop registered \(Registered with the server\) failed: .*The server refuses the key.*\[log: [^\]]*Permission denied \(publickey/,
      );
      expect(r.output).toMatch(/NO MORE HOSTS LEFT/);
      for (const a of rest) expect(r.recap[a.host.name]).toBeUndefined();
    } finally {
      authorize(agents.map((a) => a.host.name));
      await play('remove.yml', together);
    }
    expect(changes(canary)).toEqual(fleet.before[canary.host.name]);
  }, 300_000);
});
