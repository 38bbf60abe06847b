// Fleet export as an Ansible project at scale, and the project run by the real engine.
//   1. 1,000 hosts (BENCH_HOSTS): Ansible project export vs the 1,000-bundle export (per-agent keys,
//      encrypted) in the same run: time and peak RSS, as a ratio.
//   2. site.yml over three loopback sshd hosts vs the same install done host by host with a shell
//      loop of scp and ssh (BENCH_RUN=0 skips it). Prints ratios, never asserts times.
//   npx tsx bench/fleet-ansible.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Vault } from 'ansible-vault';
import { parse } from 'csv-parse/sync';
import { runFleet } from '../main/services/fleet';
import { exportAnsibleFleet } from '../main/services/fleet-ansible';
import type { Draft } from '../shared/ipc';
import { getPlatform } from '../shared/platforms';
import { runPlaybook } from '../test/support/ansible';
import { freePort, startSshd } from '../test/support/sshd';

const N = Number(process.env.BENCH_HOSTS ?? 1000);
const platform = getPlatform('armorcode')!;
const PASS = 'bench vault password';

async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRss: number; value: T }> {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  return { ms, peakRss: Math.max(peakRss, process.memoryUsage().rss), value };
}
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

function draftFor(server: { port: number; user: string; knownHostsLine: string }): Draft {
  return {
    platform: 'armorcode',
    variant: 'docker',
    step: 'export',
    answers: { server: '127.0.0.1', port: server.port, user: server.user },
    knownHosts: `${server.knownHostsLine}\n`,
  };
}

async function exportScale(root: string): Promise<void> {
  const server = {
    port: 2222,
    user: 'acme',
    knownHostsLine: '[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GZVl',
  };
  const rows = Array.from(
    { length: N },
    (_, i) =>
      `edge-${i},10.0.${Math.floor(i / 250)}.${(i % 250) + 1},"[{""name"":""web"",""url"":""http://10.1.0.${(i % 250) + 1}:8080"",""remotePort"":${5000 + i}}]"`,
  );
  const csv = ['name,ansible_host,services', ...rows].join('\n');
  const bundles = await measure(() =>
    runFleet({
      platform,
      draft: draftFor(server),
      csv: ['name,host,services', ...rows].join('\n'),
      outDir: path.join(root, 'bundles'),
      credential: 'per-agent',
      passphrase: PASS,
      appVersion: 'bench',
    }),
  );
  if (!bundles.value.ok || bundles.value.value.created !== N)
    throw new Error(`bundles: ${bundles.value.ok ? bundles.value.value.failed : bundles.value.error.message}`);
  const ansible = await measure(() =>
    exportAnsibleFleet({
      platform,
      draft: draftFor(server),
      csv,
      outDir: path.join(root, 'ansible'),
      credential: { kind: 'none' },
      vaultPassword: PASS,
      appVersion: 'bench',
    }),
  );
  if (!ansible.value.ok) throw new Error(ansible.value.error.message);
  console.log(`fleet-ansible bench: ${N} ArmorCode hosts (a new RSA key pair per agent in both), Node ${process.version}`);
  console.log(`  ${N} encrypted bundles (runFleet)   ${bundles.ms.toFixed(0)} ms  ${(bundles.ms / N).toFixed(1)} ms/host  peak RSS ${mib(bundles.peakRss)}`);
  console.log(
    `  Ansible project (${ansible.value.value.files} files)  ${ansible.ms.toFixed(0)} ms  ${(ansible.ms / N).toFixed(1)} ms/host  peak RSS ${mib(ansible.peakRss)}`,
  );
  console.log(`  ratio Ansible / bundles: time ${(ansible.ms / bundles.ms).toFixed(2)}x, peak RSS ${(ansible.peakRss / bundles.peakRss).toFixed(2)}x`);
}

async function engineRun(root: string): Promise<void> {
  if (spawnSync('ansible-playbook', ['--version']).status !== 0) return console.log('  (site.yml run skipped: ansible-playbook is not installed)');
  const ctlKey = path.join(root, 'ctl');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', ctlKey]);
  const ctlPub = readFileSync(`${ctlKey}.pub`, 'utf8').trim();
  const server = await startSshd({ authorizedKeys: [] });
  const hosts = await Promise.all(
    [1, 2, 3].map(async (i) => ({ name: `h${i}`, sshd: await startSshd({ authorizedKeys: [ctlPub], extraConfig: ['Subsystem sftp internal-sftp'] }), i })),
  );
  try {
    const knownHosts = path.join(root, 'known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => h.sshd.knownHostsLine).join('\n') + '\n');
    const passFile = path.join(root, 'pass');
    writeFileSync(passFile, PASS, { mode: 0o600 });
    const rootOf = (name: string, how: string): string => path.join(root, `${how}-${name}`);
    // Each run forwards its own remote ports on the server (both installs run side by side).
    const ports = { ansible: await Promise.all(hosts.map(() => freePort())), loop: await Promise.all(hosts.map(() => freePort())) };
    const csvFor = (how: 'ansible' | 'loop'): string =>
      [
        'name,ansible_host,ansible_port,ansible_user,install_root,services',
        ...hosts.map(
          (h, k) =>
            `${h.name},127.0.0.1,${h.sshd.port},${h.sshd.user},${rootOf(h.name, how)},"[{""name"":""web"",""url"":""http://127.0.0.1:9"",""remotePort"":${ports[how][k]}}]"`,
        ),
      ].join('\n');
    const projects: Record<string, string> = {};
    const keys: string[] = [];
    for (const how of ['ansible', 'loop'] as const) {
      projects[how] = path.join(root, `project-${how}`);
      const r = await exportAnsibleFleet({
        platform,
        draft: draftFor(server),
        csv: csvFor(how),
        outDir: projects[how],
        credential: { kind: 'none' },
        vaultPassword: PASS,
        appVersion: 'bench',
      });
      if (!r.ok) throw new Error(r.error.message);
      keys.push(...parse<Record<string, string>>(readFileSync(r.value.publicKeys!, 'utf8'), { columns: true }).map((x) => x['public key']!));
    }
    writeFileSync(path.join(server.dir, 'authorized_keys'), keys.join('\n') + '\n');
    const play = (p: string, extra: string[] = []): ReturnType<typeof runPlaybook> =>
      runPlaybook({ project: projects.ansible!, playbook: p, knownHosts, privateKey: ctlKey, vaultPasswordFile: passFile, extra });

    // The loop's files, decrypted beforehand (not timed): what an admin would scp.
    const vault = new Vault({ password: PASS });
    for (const h of hosts) {
      const dir = path.join(projects.loop!, 'host_files', h.name);
      for (const f of readdirSync(dir)) {
        const text = readFileSync(path.join(dir, f), 'utf8');
        if (text.startsWith('$ANSIBLE_VAULT')) writeFileSync(path.join(dir, f), (await vault.decrypt(text, 'fleet'))!, { mode: 0o600 });
      }
    }
    const ssh = ['-i', ctlKey, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'BatchMode=yes'];
    const loop = await measure(async () => {
      for (const h of hosts) {
        const r = rootOf(h.name, 'loop');
        const dest = `${h.sshd.user}@127.0.0.1`;
        execFileSync('ssh', [...ssh, '-p', String(h.sshd.port), dest, `mkdir -p -m 0750 ${r}/etc/armorcode ${r}/var/log/armorcode ${r}/run/armorcode`]);
        const dir = path.join(projects.loop!, 'host_files', h.name);
        execFileSync('scp', [...ssh, '-q', '-p', '-P', String(h.sshd.port), ...readdirSync(dir).map((f) => path.join(dir, f)), `${dest}:${r}/etc/armorcode/`]);
        const conf = `${r}/etc/armorcode/supervisord.conf`;
        // Start, then wait like verify does: authenticated, and held 3 s.
        execFileSync('ssh', [
          ...ssh,
          '-p',
          String(h.sshd.port),
          dest,
          `setsid supervisord -c ${conf} </dev/null >/dev/null 2>&1 & until grep -q 'Authenticated to' ${r}/var/log/armorcode/supervisord.log 2>/dev/null; do sleep 0.2; done; sleep 3`,
        ]);
      }
    });
    try {
      const site = await measure(() => play('site.yml', ['-e', '{"agent_serial": [3]}']));
      if (site.value.code !== 0) throw new Error(`site.yml failed:\n${site.value.output.slice(-2000)}`);
      console.log(
        `  three loopback hosts: shell loop of scp + ssh (host by host) ${loop.ms.toFixed(0)} ms; ansible-playbook site.yml (one batch) ${site.ms.toFixed(0)} ms: ratio ${(site.ms / loop.ms).toFixed(2)}x`,
      );
    } finally {
      await play('remove.yml', ['-e', '{"agent_serial": [3]}']);
      for (const h of hosts) spawnSync('supervisorctl', ['-c', `${rootOf(h.name, 'loop')}/etc/armorcode/supervisord.conf`, 'shutdown']);
    }
  } finally {
    for (const h of hosts) await h.sshd.stop();
    await server.stop();
  }
}

const root = mkdtempSync(path.join(tmpdir(), 'ao-bench-ansible-'));
try {
  mkdirSync(path.join(root, 'x'));
  await exportScale(root);
  if (process.env.BENCH_RUN !== '0') await engineRun(root);
} finally {
  rmSync(root, { recursive: true, force: true });
}
