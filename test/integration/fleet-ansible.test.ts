/**
 * A fleet exported as an Ansible project, run by the real engine (Debian's ansible-core): three
 * "agent hosts" are real sshd servers on loopback ports, each installing under its own root
 * folder (the project's agent_install_root); a fourth sshd stands in for the ArmorCode server
 * (the vendor's SSH endpoint cannot be reached from a test; sshd is what it runs). supervisord,
 * autossh and ssh are the real ones, started by the playbook as the sshd's user.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPlatform } from '../../shared/platforms';
import { exportAnsibleFleet } from '../../main/services/fleet-ansible';
import { freePort, startSshd, type RunningSshd } from '../support/sshd';
import { runPlaybook, type PlaybookRun } from '../support/ansible';
import { getLoopback } from '../support/net-servers';

const run = promisify(execFile);
const armorcode = getPlatform('armorcode')!;
const VAULT_PASSWORD = 'fleet vault password 123';

function startHttp(body: string): Promise<{ server: http.Server; port: number }> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => res.end(body));
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** Every entry under `root` with its mode and (for files) content hash: a host's state. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(abs);
      if (st.isDirectory()) {
        out[`${r}/`] = (st.mode & 0o7777).toString(8);
        walk(abs, r);
      } else if (st.isFile()) out[r] = `${(st.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
      // A running supervisord's control socket: there, but nothing to read.
      else out[r] = `${(st.mode & 0o7777).toString(8)} ${st.isSocket() ? 'socket' : 'other'}`;
    }
  };
  walk(root, '');
  return out;
}

/** Where remove.yml moves what the install owned, under each root (the role's agent_aside_dir). */
const ASIDE = 'var/backups/agent-onboard';

/** A host's state without what remove.yml moved aside (and the folders made to hold it). */
function hostTree(root: string): Record<string, string> {
  return Object.fromEntries(Object.entries(tree(root)).filter(([k]) => k !== 'var/backups/' && !k.startsWith('var/backups/')));
}

/** The folders remove.yml moved the install into, one per run that found something to move. */
function asides(root: string): string[] {
  const dir = path.join(root, ASIDE);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

interface Host {
  name: string;
  sshd: RunningSshd;
  root: string;
  service: { server: http.Server; port: number };
  remotePort: number;
  body: string;
}

describe('fleet export --format ansible, run by ansible-playbook against three loopback hosts', () => {
  let dir: string;
  let project: string;
  let server: RunningSshd;
  let ctlKey: string;
  let knownHosts: string;
  let passFile: string;
  const hosts: Host[] = [];
  const before: Record<string, Record<string, string>> = {};
  let agentKeys: { name: string; publicKey: string }[] = [];

  const play = (playbook: string, extra: string[] = [], kh = knownHosts): Promise<PlaybookRun> =>
    runPlaybook({ project, playbook, knownHosts: kh, privateKey: ctlKey, vaultPasswordFile: passFile, extra });
  const authorize = (names: string[]): void =>
    writeFileSync(
      path.join(server.dir, 'authorized_keys'),
      agentKeys
        .filter((k) => names.includes(k.name))
        .map((k) => k.publicKey)
        .join('\n') + '\n',
    );

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-ansible-'));
    ctlKey = path.join(dir, 'controller_key');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'controller', '-f', ctlKey]);
    const ctlPub = readFileSync(`${ctlKey}.pub`, 'utf8').trim();
    server = await startSshd({ authorizedKeys: [] });
    for (const name of ['edge-1', 'edge-2', 'edge-3']) {
      const sshd = await startSshd({ authorizedKeys: [ctlPub], extraConfig: ['Subsystem sftp internal-sftp'] });
      const root = path.join(dir, `root-${name}`);
      // A host as it was before: the usual folders and a file of its own.
      for (const d of ['etc', 'var/log', 'run']) mkdirSync(path.join(root, d), { recursive: true });
      writeFileSync(path.join(root, 'etc/hostname'), `${name}\n`);
      const body = `internal service of ${name}`;
      hosts.push({ name, sshd, root, service: await startHttp(body), remotePort: await freePort(), body });
      before[name] = tree(root);
    }
    knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => h.sshd.knownHostsLine).join('\n') + '\n');
    passFile = path.join(dir, 'vault-pass');
    writeFileSync(passFile, `${VAULT_PASSWORD}\n`, { mode: 0o600 });

    const csv = [
      'name,ansible_host,ansible_port,ansible_user,install_root,services',
      ...hosts.map(
        (h) =>
          `${h.name},127.0.0.1,${h.sshd.port},${h.sshd.user},${h.root},"${JSON.stringify([{ name: 'web', url: `http://127.0.0.1:${h.service.port}`, remotePort: h.remotePort }]).replace(/"/g, '""')}"`,
      ),
    ].join('\n');
    project = path.join(dir, 'project');
    const exported = await exportAnsibleFleet({
      platform: armorcode,
      draft: {
        platform: 'armorcode',
        variant: 'docker',
        step: 'export',
        answers: { server: '127.0.0.1', port: server.port, user: server.user, serverAliveInterval: 5, serverAliveCountMax: 2 },
        knownHosts: `${server.knownHostsLine}\n`,
      },
      csv,
      outDir: project,
      credential: { kind: 'none' },
      vaultPassword: VAULT_PASSWORD,
      appVersion: 'test',
    });
    if (!exported.ok) throw new Error(exported.error.message);
    const rows = parse<Record<string, string>>(readFileSync(exported.value.publicKeys!, 'utf8'), { columns: true });
    agentKeys = rows.map((r) => ({ name: r.name!, publicKey: r['public key']! }));
    authorize(hosts.map((h) => h.name));
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed test left running: supervisord of each root.
    for (const h of hosts) {
      const conf = path.join(h.root, 'etc/armorcode/supervisord.conf');
      if (existsSync(conf)) await run('supervisorctl', ['-c', conf, 'shutdown']).catch(() => undefined);
      h.service.server.close();
      await h.sshd.stop();
    }
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // All three hosts in one batch where the roll is not what is tested (the machine is small).
  const together = ['-e', '{"agent_serial": [3]}'];

  it("site.yml previews with --check --diff, then installs and starts the tunnel on every host, verify passes, and each forwarded port reaches that host's service", async () => {
    // The README's preview: --check --diff changes nothing on the hosts and shows no secret.
    const preview = await play('site.yml', ['--check', '--diff', ...together]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).toContain('+[supervisord]');
    expect(preview.output).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    for (const h of hosts) expect(tree(h.root)).toEqual(before[h.name]);

    const first = await play('site.yml', together);
    expect(first.code, first.output).toBe(0);
    for (const h of hosts) {
      expect(first.recap[h.name], first.output).toMatchObject({ failed: 0, unreachable: 0 });
      expect(first.recap[h.name]!.changed).toBeGreaterThan(0);
      // Through the "ArmorCode server": its port for this host reaches this host's service.
      expect(await getLoopback(h.remotePort)).toBe(h.body);
      // supervisord runs from this host's root, as the sshd's user.
      const conf = path.join(h.root, 'etc/armorcode/supervisord.conf');
      const { stdout } = await run('supervisorctl', ['-c', conf, 'status']);
      expect(stdout).toMatch(/tunnel-web\s+RUNNING/);
      expect(statSync(path.join(h.root, 'etc/armorcode/private-key.pem')).mode & 0o777).toBe(0o600);
    }
    expect(first.output).toMatch(/ssh authenticated to the ArmorCode server/);

    const verify = await play('verify.yml', together);
    expect(verify.code, verify.output).toBe(0);
    for (const h of hosts) expect(verify.recap[h.name]).toMatchObject({ failed: 0, changed: 0 });
  }, 300_000);

  it('a second site.yml run changes nothing', async () => {
    const again = await play('site.yml', together);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('remove.yml stops the tunnels and moves aside (not deletes) what the install owns: each host is as it was, and the installed files are all in the aside folder', async () => {
    const installed = Object.fromEntries(
      hosts.map((h) => [h.name, Object.fromEntries(Object.entries(tree(h.root)).filter(([k]) => k.startsWith('etc/armorcode/')))]),
    );
    const removed = await play('remove.yml', together);
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) {
      expect(hostTree(h.root)).toEqual(before[h.name]);
      expect(await getLoopback(h.remotePort)).toBeNull();
      const [aside, ...more] = asides(h.root);
      expect(more).toEqual([]);
      expect(aside).toMatch(/^armorcode_supervisord-\d{8}T\d{12}Z$/);
      expect(removed.output).toContain(`Moved aside into ${path.join(h.root, ASIDE, aside!)}`);
      const kept = tree(path.join(h.root, ASIDE, aside!));
      // The key, known_hosts, supervisord.conf and the copy's backups: the same bytes and modes.
      expect(Object.fromEntries(Object.entries(kept).filter(([k]) => k.startsWith('etc/armorcode/')))).toEqual(installed[h.name]);
      expect(kept['etc/armorcode/private-key.pem']).toMatch(/^600 /);
      expect(Object.keys(kept)).toContain('var/log/armorcode/supervisord.log');
      expect(kept['etc/']).toBe('700');
    }
    // Nothing left to move: a second run changes nothing and makes no second folder.
    const again = await play('remove.yml', together);
    expect(again.code, again.output).toBe(0);
    for (const h of hosts) {
      expect(again.recap[h.name], again.output).toMatchObject({ changed: 0, failed: 0 });
      expect(asides(h.root)).toHaveLength(1);
    }
  }, 300_000);

  it('a host with a wrong host key and a host whose sshd is down fail at the ssh hop; the other completes', async () => {
    const wrong = path.join(dir, 'known_hosts.wrong');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, 'impostor')]);
    const impostor = readFileSync(path.join(dir, 'impostor.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const [ok1, badKey, down] = hosts as [Host, Host, Host];
    writeFileSync(wrong, [ok1.sshd.knownHostsLine, `[127.0.0.1]:${badKey.sshd.port} ${impostor}`, down.sshd.knownHostsLine].join('\n') + '\n');
    const downPort = down.sshd.port;
    const badKeyBefore = tree(badKey.root);
    await down.sshd.stop();
    try {
      const r = await play('site.yml', ['-e', '{"agent_max_fail_percentage": 100, "agent_serial": [3]}'], wrong);
      expect(r.code).not.toBe(0);
      expect(r.recap[ok1.name], r.output).toMatchObject({ failed: 0 });
      expect(await getLoopback(ok1.remotePort)).toBe(ok1.body);
      expect(r.recap[badKey.name]!.failed).toBe(1);
      expect(r.recap[down.name]!.failed).toBe(1);
      expect(r.output).toMatch(new RegExp(`${badKey.name}\\]: FAILED! => .*hop ssh \\(SSH to the host\\) failed: .*Host key verification failed`));
      // ssh's own words (refused) when Ansible reads them; a broken pipe when ssh has already exited
      // before Ansible writes the module to its stdin (pipelining): both are the refused port.
      expect(r.output).toMatch(
        new RegExp(`${down.name}\\]: FAILED! => .*hop ssh \\(SSH to the host\\) failed: .*(Connection refused|port ${downPort}|Broken pipe)`),
      );
      // Nothing reached the hosts that failed.
      expect(tree(badKey.root)).toEqual(badKeyBefore);
    } finally {
      const restarted = await startSshd({
        authorizedKeys: [readFileSync(`${ctlKey}.pub`, 'utf8').trim()],
        extraConfig: ['Subsystem sftp internal-sftp'],
        port: downPort,
      });
      down.sshd = restarted;
      writeFileSync(knownHosts, hosts.map((h) => h.sshd.knownHostsLine).join('\n') + '\n');
    }
    const removed = await play('remove.yml', together);
    expect(removed.code, removed.output).toBe(0);
    for (const h of hosts) expect(hostTree(h.root)).toEqual(before[h.name]);
  }, 300_000);

  it('a host whose key the server refuses fails verify at the registered hop, and serial stops the roll there', async () => {
    const [canary, ...rest] = hosts as [Host, Host, Host];
    const restBefore = Object.fromEntries(rest.map((h) => [h.name, tree(h.root)]));
    authorize(rest.map((h) => h.name));
    try {
      const r = await play('site.yml', ['-e', '{"agent_verify_timeout": 40}']);
      expect(r.code).not.toBe(0);
      expect(r.recap[canary.name]!.failed).toBe(1);
      // The refused key is named at its hop, whether or not supervisord saw the process stay up yet.
      expect(r.output).toMatch(
        /hop registered \(Registered with the server\) failed: .*The server refuses the key.*\[log: [^\]]*Permission denied \(publickey/,
      );
      expect(r.output).toMatch(/NO MORE HOSTS LEFT/);
      for (const h of rest) {
        expect(r.recap[h.name]).toBeUndefined();
        expect(tree(h.root)).toEqual(restBefore[h.name]);
      }
    } finally {
      authorize(hosts.map((h) => h.name));
      await play('remove.yml', together);
    }
    expect(hostTree(canary.root)).toEqual(before[canary.name]);
  }, 300_000);

  it('keeps secrets only in vault form: the real ansible-vault decrypts them, and no private key is in clear in the project', async () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else files.push(path.join(d, e.name));
      }
    };
    walk(project);
    const bytes = files.map((f) => readFileSync(f, 'latin1')).join('\n');
    expect(bytes).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(bytes).not.toContain(VAULT_PASSWORD);
    for (const h of hosts) {
      const file = path.join(project, 'host_files', h.name, 'private-key.pem');
      expect(readFileSync(file, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { stdout: key } = await run('ansible-vault', ['view', '--vault-id', `fleet@${passFile}`, file]);
      expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
      // The decrypted key is this agent's: it derives the public key the fleet lists for it.
      const plain = path.join(dir, `${h.name}.key`);
      writeFileSync(plain, key, { mode: 0o600 });
      chmodSync(plain, 0o600);
      const { stdout: pub } = await run('ssh-keygen', ['-y', '-f', plain]);
      expect(
        agentKeys
          .find((k) => k.name === h.name)!
          .publicKey.split(' ')
          .slice(0, 2)
          .join(' '),
      ).toBe(pub.trim().split(' ').slice(0, 2).join(' '));
      // No line of the key's body appears anywhere in the project.
      for (const line of key.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l))) expect(bytes).not.toContain(line);
      rmSync(plain);
    }
  }, 120_000);
});
