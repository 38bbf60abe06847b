// Install → online for the ArmorCode tunnel on loopback (a real sshd as the agent host, a second as
// the ArmorCode server, real supervisord + autossh), against the same steps by hand: a shell script
// with ssh (mkdir), scp (the files), ssh (chmod, start supervisord) and ssh + supervisorctl/grep polled
// every second until RUNNING and "Authenticated to" — the proof a person would look for. The app
// also holds the session 3 s for a forward failure before it says online, and reads every hop.
// Runs alternate; medians and the ratio are printed (goal ≤ 1.5×).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { planRemoteInstall, runRemoteInstall } from '../main/services/remote/install';
import { openSession, type HostTarget } from '../main/services/remote/session';
import { logStartNow, watchOnline } from '../main/services/remote/watch';
import { armorcode } from '../shared/platforms/armorcode';
import { generateArmorcode } from '../shared/platforms/armorcode/generate';
import { armorcodeHostRecipe } from '../shared/platforms/armorcode/host-install';
import type { Artifact } from '../shared/platforms/types';
import { freePort, startSshd } from '../test/support/sshd';
import { median } from './timing';

const run = promisify(execFile);
const RUNS = Number(process.env.AO_BENCH_RUNS ?? 3);

const dir = mkdtempSync(path.join(tmpdir(), 'ao-bench-install-'));
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', path.join(dir, 'admin')]);
execFileSync('openssl', ['genrsa', '-traditional', '-out', path.join(dir, 'tunnel.pem'), '2048'], { stdio: 'ignore' });
const tunnelPub = execFileSync('ssh-keygen', ['-y', '-f', path.join(dir, 'tunnel.pem')], { encoding: 'utf8' }).trim();
const agentHost = await startSshd({ authorizedKeys: [readFileSync(path.join(dir, 'admin.pub'), 'utf8')], extraConfig: ['Subsystem sftp internal-sftp'] });
const server = await startSshd({ authorizedKeys: [tunnelPub] });
writeFileSync(path.join(dir, 'known_hosts'), `${agentHost.knownHostsLine}\n`);
const remotePort = await freePort();
const answers = armorcode.answers.parse({
  server: '127.0.0.1',
  port: server.port,
  user: server.user,
  serverAliveInterval: 5,
  serverAliveCountMax: 2,
  services: [{ name: 'svc', url: 'http://127.0.0.1:9', remotePort }],
});
const g = generateArmorcode(
  answers,
  { kind: 'ssh-keypair', privateKey: readFileSync(path.join(dir, 'tunnel.pem'), 'utf8'), publicKey: tunnelPub, knownHosts: `${server.knownHostsLine}\n` },
  'docker',
);
if (!g.ok) throw new Error(g.error.message);
const files: Artifact[] = g.value.files;
const target: HostTarget = {
  host: '127.0.0.1',
  port: agentHost.port,
  user: agentHost.user,
  privateKey: readFileSync(path.join(dir, 'admin'), 'utf8'),
  knownHosts: readFileSync(path.join(dir, 'known_hosts'), 'utf8'),
};

async function shutdown(prefix: string): Promise<void> {
  await run('supervisorctl', ['-c', path.join(prefix, 'etc/armorcode/supervisord.conf'), 'shutdown']).catch(() => undefined);
  rmSync(prefix, { recursive: true, force: true });
}

async function viaApp(prefix: string): Promise<{ ms: number; hops: string }> {
  const t0 = performance.now();
  const s = await openSession(target);
  if (!s.ok) throw new Error(s.error.message);
  const planned = await planRemoteInstall(s.value, 'armorcode', 'docker', files, prefix);
  if (!planned.ok) throw new Error(planned.error.message);
  const start = await logStartNow(s.value.exec, planned.value.recipe.where);
  const done = await runRemoteInstall(s.value, target, planned.value);
  if (!done.ok) throw new Error(done.error.message);
  const seen: string[] = [];
  const u = await watchOnline({
    platform: 'armorcode',
    where: planned.value.recipe.where,
    run: (c) => s.value.exec(c),
    start,
    timeoutMs: 60_000,
    onUpdate: (x) => {
      seen.push(x.hops.map((h) => `${h.hop}:${h.state}`).join(' '));
      if (process.env.AO_BENCH_TRACE) console.log((performance.now() - t0).toFixed(0), seen.at(-1));
    },
  });
  const ms = performance.now() - t0;
  s.value.close();
  if (!u.online) throw new Error(`not online: ${seen.at(-1)}`);
  return { ms, hops: u.hops.map((h) => `${h.hop} ✓`).join(' → ') };
}

function byHandScript(prefix: string): string {
  const r = armorcodeHostRecipe('docker', files, prefix);
  if (!r.ok) throw new Error(r.error.message);
  const local = mkdtempSync(path.join(dir, 'hand-'));
  for (const f of r.value.files) writeFileSync(path.join(local, path.basename(f.target)), f.text, { mode: f.mode });
  const ssh = `ssh -q -i ${dir}/admin -o BatchMode=yes -o UserKnownHostsFile=${dir}/known_hosts -p ${agentHost.port} ${agentHost.user}@127.0.0.1`;
  const conf = `${prefix}/etc/armorcode/supervisord.conf`;
  const script = `#!/bin/sh
set -e
${ssh} "mkdir -p ${prefix}/etc/armorcode ${prefix}/var/log/armorcode ${prefix}/run/armorcode && chmod 700 ${prefix}/etc/armorcode"
scp -q -i ${dir}/admin -o BatchMode=yes -o UserKnownHostsFile=${dir}/known_hosts -P ${agentHost.port} ${local}/* ${agentHost.user}@127.0.0.1:${prefix}/etc/armorcode/
${ssh} "chmod 600 ${prefix}/etc/armorcode/private-key.pem && setsid -f supervisord -c ${conf} </dev/null >/dev/null 2>&1"
until ${ssh} "supervisorctl -c ${conf} status | grep -q RUNNING && grep -q 'Authenticated to' ${prefix}/var/log/armorcode/tunnel.log"; do sleep 1; done
`;
  const file = path.join(local, 'by-hand.sh');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

async function byHand(prefix: string): Promise<number> {
  const script = byHandScript(prefix);
  const t0 = performance.now();
  await run('sh', [script], { timeout: 60_000 });
  return performance.now() - t0;
}

const app: number[] = [];
const hand: number[] = [];
let hops = '';
try {
  for (let i = 0; i < RUNS; i++) {
    const p1 = path.join(dir, `app-${i}`);
    mkdirSync(p1);
    const a = await viaApp(p1);
    app.push(a.ms);
    hops = a.hops;
    await shutdown(p1);
    const p2 = path.join(dir, `hand-root-${i}`);
    mkdirSync(p2);
    hand.push(await byHand(p2));
    await shutdown(p2);
  }
  const ratio = median(app) / median(hand);
  console.log(`hops reported by the app: ${hops}`);
  console.log(
    `install → online, app (plan, upload, start, watch every hop): median ${median(app).toFixed(0)} ms  [${app.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  console.log(
    `same steps by hand (ssh + scp + ssh + supervisorctl poll):     median ${median(hand).toFixed(0)} ms  [${hand.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  console.log(`ratio app / by hand: ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
} finally {
  await agentHost.stop();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
