/**
 * Install over SSH and verify, for the agents that cannot run here: Buildkite (cfg and env run by
 * the login user under an install root, and Docker) and Harness (the shell-script delegate and
 * Docker). Real parts: the agent host is a real sshd on loopback (host key pinned, admin key),
 * the files come from the real `generate` command and go through the real `install` and `verify`
 * commands, and undo is the real remote undo; the install root is compared file by file after it.
 *
 * STAND-INS, said plainly, and why: the agents need their vendors' servers, and this machine has no
 * Docker daemon. So the host's PATH (sshd SetEnv) starts with test/support stand-ins:
 * `buildkite-agent` (buildkite-agent-standin.py) and `docker` (docker-standin.py: records every
 * call and runs the image's
 * stand-in agent with the --env-file environment, as the daemon would), and JAVA names
 * harness-delegate-standin.py (the generated start.sh runs "$JAVA", as Harness's does). They print the agents'
 * own lines from reference/next-platforms.md Part A and register with loopback stand-ins of the
 * Buildkite Agent API (POST /v3/register, `Authorization: Token`) and the Harness manager, which
 * accept one token and refuse others, so a bad token fails where the real agent fails. The Harness
 * stand-in answers /api/health on 127.0.0.1:3460, the delegate's port.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import type { InstallRecord } from '../../main/services/remote/install';
import { startSshd, type RunningSshd } from '../support/sshd';
import { cliHostArgs, hostTarget, undoOnHost, type AdminLogin } from '../support/remote-host';

const run = promisify(execFile);
const SUPPORT = path.resolve(import.meta.dirname, '../support');
const BK_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
const BK_BAD = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';
const H_TOKEN = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const H_BAD = 'YmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmE=';

let dir: string;
let host: RunningSshd;
let api: http.Server;
let apiBase: string;
const registrations: string[] = [];
const heartbeats: string[] = [];
const adminKey = (): string => path.join(dir, 'admin_ed25519');

/** Every entry under `root`: folders with their mode, files with mode and SHA-256. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a);
      if (st.isDirectory()) {
        out[`${r}/`] = (st.mode & 0o7777).toString(8);
        walk(a, r);
      } else out[r] = `${(st.mode & 0o7777).toString(8)} ${execFileSync('sha256sum', [a], { encoding: 'utf8' }).split(' ')[0]}`;
    }
  };
  walk(root, '');
  return out;
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, readStdin: async () => '', cwd: dir });
  return { code, stdout, stderr };
}

const login = (): AdminLogin => ({ port: host.port, user: host.user, key: adminKey(), knownHosts: path.join(dir, 'known_hosts') });
const hostArgs = (): string[] => cliHostArgs(login());

type Report = { online: boolean; name?: string; hops: { hop: string; state: string; detail: string }[]; record: InstallRecord };

async function generate(platform: string, variant: string, answers: object, token: string): Promise<string> {
  const out = mkdtempSync(path.join(dir, `gen-${platform}-${variant}-`));
  rmSync(out, { recursive: true });
  writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answers));
  const g = await cli(['generate', platform, '--variant', variant, '--answers', 'answers.json', '--token-env', 'AGENT_TOKEN', '--out', out], {
    AGENT_TOKEN: token,
  });
  expect(g.code, g.stderr).toBe(0);
  return out;
}

async function install(platform: string, variant: string, from: string, prefix: string): Promise<Report & { code: number; said: string }> {
  const r = await cli([
    'install',
    ...hostArgs(),
    '--from',
    from,
    '--platform',
    platform,
    '--variant',
    variant,
    '--prefix',
    prefix,
    '--timeout-ms',
    '20000',
    '--json',
  ]);
  return { ...(JSON.parse(r.stdout) as Report), code: r.code, said: r.stdout + r.stderr };
}

const undo = (record: InstallRecord): Promise<void> => undoOnHost(hostTarget(login()), record, path.join(dir, 'aside', record.id));

const hopStates = (r: { hops: { hop: string; state: string }[] }): string[] => r.hops.map((h) => `${h.hop}:${h.state}`);
const dockerCalls = (): string[][] =>
  readFileSync(path.join(dir, 'docker', 'calls.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-agents-'));
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', adminKey()]);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(path.join(SUPPORT, 'buildkite-agent-standin.py'), path.join(bin, 'buildkite-agent'));
  symlinkSync(path.join(SUPPORT, 'docker-standin.py'), path.join(bin, 'docker'));
  mkdirSync(path.join(dir, 'docker'));
  writeFileSync(
    path.join(dir, 'docker', 'images.json'),
    JSON.stringify({
      'buildkite/agent:': [path.join(SUPPORT, 'buildkite-agent-standin.py'), 'start'],
      'harness/delegate:': [path.join(SUPPORT, 'harness-delegate-standin.py')],
    }),
  );
  // The vendor stand-ins: Buildkite's Agent API and the Harness manager, each accepting one token.
  api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      if (req.method === 'POST' && req.url === '/v3/register') {
        if (auth !== `Token ${BK_TOKEN}`) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"Unauthorized"}');
        const { name } = JSON.parse(body) as { name: string };
        registrations.push(`buildkite ${name}`);
        // An agent named gone-* gets an access token whose heartbeats Buildkite refuses (as for an agent deleted in the UI).
        const access = name.startsWith('gone-') ? 'bkaa_gone' : 'bkaa_x';
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'a1', name, access_token: access }));
      }
      if (req.method === 'POST' && req.url === '/v3/heartbeat') {
        heartbeats.push(auth);
        if (auth !== 'Token bkaa_x') return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"Unauthorized"}');
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      }
      if (req.method === 'POST' && req.url === '/api/agent/delegates/register') {
        if (auth !== `Delegate ${H_TOKEN}`) return void res.writeHead(401).end();
        registrations.push(`harness ${(JSON.parse(body) as { delegateName: string }).delegateName}`);
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"resource":{}}');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  host = await startSshd({
    authorizedKeys: [readFileSync(`${adminKey()}.pub`, 'utf8')],
    extraConfig: [
      'Subsystem sftp internal-sftp',
      `SetEnv PATH=${bin}:/usr/bin:/bin DOCKER_STANDIN_DIR=${path.join(dir, 'docker')} JAVA=${path.join(SUPPORT, 'harness-delegate-standin.py')}`,
    ],
  });
  writeFileSync(path.join(dir, 'known_hosts'), `${host.knownHostsLine}\n`);
}, 60_000);

afterAll(async () => {
  // Stop anything a failed test left running (by the pid files this test's installs wrote).
  for (const pidFile of execFileSync('sh', ['-c', `find ${dir} -name '*.pid' 2>/dev/null || true`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid > 1)
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
  }
  await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Buildkite installed over SSH (stand-in agent and Agent API)', () => {
  const answers = (endpoint: string) => ({ name: 'ci-%spawn', tags: { queue: 'deploy' }, endpoint });

  it('cfg under an install root: online hop by hop as the login user, the token only in the 0600 cfg, verify agrees, undo puts the root back', async () => {
    const from = await generate('buildkite', 'cfg', answers(`${apiBase}/v3`), BK_TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const before = tree(prefix);
    const logBefore = host.log().length;
    const r = await install('buildkite', 'cfg', from, prefix);
    expect(r.code, r.said).toBe(0);
    expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'registered:passed', 'connected:passed']);
    expect(r.name).toBe('ci-1');
    expect(registrations).toContain('buildkite ci-1');
    expect((lstatSync(path.join(prefix, 'etc/buildkite-agent/buildkite-agent.cfg')).mode & 0o777).toString(8)).toBe('600');
    expect(host.log().slice(logBefore)).not.toContain(BK_TOKEN);
    expect(r.said).not.toContain(BK_TOKEN);

    const v = await cli(['verify', ...hostArgs(), '--platform', 'buildkite', '--prefix', prefix, '--timeout-ms', '5000', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect((JSON.parse(v.stdout) as Report).online).toBe(true);

    const pid = Number(readFileSync(path.join(prefix, 'run/buildkite-agent/agent.pid'), 'utf8'));
    await undo(r.record);
    expect(tree(prefix)).toEqual(before);
    expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!.startsWith('Z')).toBe(false);
  }, 90_000);

  it('with the health endpoint turned on (cfg, then env), install also waits for a successful heartbeat on /agent/1; a refused heartbeat fails the connected hop', async () => {
    for (const variant of ['cfg', 'env']) {
      const from = await generate('buildkite', variant, { ...answers(`${apiBase}/v3`), healthCheck: 'on' }, BK_TOKEN);
      const prefix = mkdtempSync(path.join(dir, 'root-'));
      const r = await install('buildkite', variant, from, prefix);
      expect(r.code, r.said).toBe(0);
      expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'registered:passed', 'connected:passed', 'connected:passed']);
      expect(r.hops.at(-1)!.detail).toMatch(/^health \/agent\/1 answered 200: OK: last heartbeat successful/);
      expect(heartbeats).toContain('Token bkaa_x');
      await undo(r.record);
    }
    const from = await generate('buildkite', 'cfg', { ...answers(`${apiBase}/v3`), name: 'gone-%spawn', healthCheck: 'on' }, BK_TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('buildkite', 'cfg', from, prefix);
    expect(r.code, r.said).toBe(1);
    const failed = r.hops.find((h) => h.state === 'failed');
    expect(failed?.hop).toBe('connected');
    expect(failed?.detail).toMatch(/\/agent\/1 answered 500: ERROR: last heartbeat failed: .*401/);
    await undo(r.record);
  }, 120_000);

  it('env under an install root with a refused token: fails at the registered hop with the fix, exit 1', async () => {
    const from = await generate('buildkite', 'env', answers(`${apiBase}/v3`), BK_BAD);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('buildkite', 'env', from, prefix);
    expect(r.code).toBe(1);
    const failed = r.hops.find((h) => h.state === 'failed');
    expect(failed?.hop).toBe('registered');
    expect(failed?.detail).toMatch(/token/i);
    expect(r.said).not.toContain(BK_BAD);
    await undo(r.record);
  }, 90_000);

  it('docker: the generated run-agent.sh runs with --env-file (the token never an argument), online from docker logs, undo removes the container', async () => {
    const from = await generate('buildkite', 'docker', answers(`${apiBase}/v3`), BK_TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const before = tree(prefix);
    const r = await install('buildkite', 'docker', from, prefix);
    expect(r.code, r.said).toBe(0);
    expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'registered:passed', 'connected:passed']);
    const calls = dockerCalls();
    const runCall = calls.find((c) => c[0] === 'run')!;
    expect(runCall.slice(0, 4)).toEqual(['run', '-d', '--name', 'buildkite-agent']);
    expect(runCall).toContain(`${prefix}/opt/agent-onboard/buildkite-agent/agent.env`);
    expect(runCall.at(-1)).toBe('buildkite/agent:3');
    expect(JSON.stringify(calls)).not.toContain(BK_TOKEN);
    await undo(r.record);
    expect(tree(prefix)).toEqual(before);
    expect(existsSync(path.join(dir, 'docker', 'buildkite-agent.pid'))).toBe(false);
    expect(dockerCalls().at(-1)).toEqual(['rm', '-f', 'buildkite-agent']);
  }, 90_000);
});

describe('Harness installed over SSH (stand-in delegate and manager)', () => {
  const answers = { accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' };

  it('shell delegate: start.sh beside watcher.jar starts it detached, registered and connected, /api/health on :3460 answers, undo puts the root back', async () => {
    const from = await generate('harness', 'shell', { ...answers, managerEndpoint: apiBase }, H_TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    // What the user unpacked from Harness's shell-delegate package (not generated by the app).
    mkdirSync(path.join(prefix, 'opt/harness-delegate'), { recursive: true });
    writeFileSync(path.join(prefix, 'opt/harness-delegate/watcher.jar'), 'PK stand-in for the watcher jar\n');
    const before = tree(prefix);
    const r = await install('harness', 'shell', from, prefix);
    expect(r.code, r.said).toBe(0);
    // The install asks the delegate's health endpoint too, once its log proved it connected.
    expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'started:passed', 'registered:passed', 'connected:passed', 'connected:passed']);
    expect(r.hops.at(-1)!.detail).toMatch(/^health \/api\/health answered 200/);
    expect(r.name).toBe('build-delegate');
    for (const f of ['config-watcher.yml', 'config-delegate.yml'])
      expect((lstatSync(path.join(prefix, 'opt/harness-delegate', f)).mode & 0o777).toString(8)).toBe('600');

    const v = await cli(['verify', ...hostArgs(), '--platform', 'harness', '--prefix', prefix, '--health', '--timeout-ms', '5000', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const seen = JSON.parse(v.stdout) as Report;
    expect(seen.hops.at(-1)).toMatchObject({ hop: 'connected', state: 'passed' });
    expect(seen.hops.at(-1)!.detail).toMatch(/^health \/api\/health answered 200/);

    await undo(r.record);
    expect(tree(prefix)).toEqual(before);
  }, 90_000);

  it('docker delegate with a refused token: fails at the registered hop naming the token', async () => {
    const from = await generate('harness', 'docker', { ...answers, managerEndpoint: apiBase }, H_BAD);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('harness', 'docker', from, prefix);
    expect(r.code).toBe(1);
    const failed = r.hops.find((h) => h.state === 'failed');
    expect(failed?.hop).toBe('registered');
    expect(failed?.detail).toMatch(/token/i);
    await undo(r.record);
    expect(existsSync(path.join(dir, 'docker', 'build-delegate.pid'))).toBe(false);
  }, 90_000);

  it('docker delegate: online from docker logs, and its health asked inside the container (docker exec … curl)', async () => {
    const from = await generate('harness', 'docker', { ...answers, managerEndpoint: apiBase }, H_TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('harness', 'docker', from, prefix);
    expect(r.code, r.said).toBe(0);
    expect(r.hops.at(-1)!.detail).toMatch(/^health \/api\/health answered 200/);
    const v = await cli(['verify', ...hostArgs(), '--platform', 'harness', '--container', 'build-delegate', '--health', '--timeout-ms', '5000', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect((JSON.parse(v.stdout) as Report).hops.at(-1)!.detail).toMatch(/^health \/api\/health answered 200/);
    expect(dockerCalls().some((c) => c[0] === 'exec' && c[1] === 'build-delegate' && c[2] === 'curl')).toBe(true);
    await undo(r.record);
  }, 90_000);
});

/** The stand-in installer jar's source: see the describe below. */
const INSTALLER_JAVA = `
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;

public class Installer {
  static void log(String text) {
    System.out.println("INFO   | jvm 1    | " + text);
  }
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args.length > 2 && args[1].equals("-t") ? args[2] : "";
    log("Remote Agent Home: " + System.getProperty("bamboo.home") + ", Broker URL: " + url);
    HttpURLConnection c = (HttpURLConnection) new URL(url + "register").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.getOutputStream().write(token.getBytes(StandardCharsets.UTF_8));
    int code = c.getResponseCode();
    if (code == 202) {
      Thread.sleep(Long.MAX_VALUE);
    }
    if (code != 200) {
      log("Security token is required for agent registration");
      System.exit(1);
    }
    // What the real installer leaves in the agent home (reference/platforms.md §2), the token in
    // conf/wrapper.conf, and the agent's process run as its child (the real one runs
    // bin/bamboo-agent.sh console: the wrapper and the agent's JVM).
    String home = System.getProperty("bamboo.home");
    for (String d : new String[] {"bin", "conf", "lib", "xml-data/build-dir"}) new File(home, d).mkdirs();
    try (Writer w = new FileWriter(new File(home, "conf/wrapper.conf"))) {
      w.write("wrapper.app.parameter.2=" + url + "\\nwrapper.app.parameter.3=" + token + "\\n");
    }
    try (Writer w = new FileWriter(new File(home, "bamboo-agent.cfg.xml"))) {
      w.write("<configuration><agentUuid>0b4c-77</agentUuid></configuration>\\n");
    }
    Process wrapper = new ProcessBuilder("sh", "-c", "echo $$ > \\"$0\\"; exec sleep 600", home + "/bin/wrapper.pid").start();
    log("* Bamboo agent 'build-host' ready to receive builds.");
    wrapper.waitFor();
  }
}
`;

const javac = execFileSync('sh', ['-c', 'for p in javac jar java; do command -v "$p"; done | wc -l'], { encoding: 'utf8' }).trim() === '3';
if (!javac) console.warn('remote-install-agents: the Bamboo test is skipped (needs javac, jar and java: apt-get install openjdk-17-jdk-headless)');

/**
 * Bamboo's installer cannot run here (it needs a Bamboo server). The installer jar is a STAND-IN
 * built from INSTALLER_JAVA with the real javac, served by a loopback Bamboo stand-in at the path
 * the real server serves it from (<url>/agentServer/agentInstaller/<jar>), downloaded by the
 * recipe's curl and run by the REAL java launcher from the 0600 argument file, exactly as on a
 * host. It registers with the stand-in (POST <url>register with the token) and prints the
 * "ready to receive builds" line of reference/next-platforms.md A3; a refused token prints the
 * fragment Diagnostics knows ("Security token is required"; the real wording around it is
 * unconfirmed, see reference/platforms.md §2).
 */
describe.skipIf(!javac)('Bamboo remote agent installed over SSH (real java, stand-in installer and server)', () => {
  const TOKEN = '0123456789abcdef0123456789abcdef01234567';
  const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';
  const PENDING = 'aaaabbbbccccddddeeeeffff0000111122223333';
  let bamboo: http.Server;
  let bambooUrl: string;
  let jarBytes: Buffer;

  beforeAll(async () => {
    const src = path.join(dir, 'java-src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'Installer.java'), INSTALLER_JAVA);
    await run('javac', ['-d', src, path.join(src, 'Installer.java')]);
    writeFileSync(path.join(src, 'manifest'), 'Main-Class: Installer\n');
    await run('jar', ['cfm', path.join(src, 'installer.jar'), path.join(src, 'manifest'), '-C', src, 'Installer.class']);
    jarBytes = readFileSync(path.join(src, 'installer.jar'));
    bamboo = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        if (req.method === 'GET' && req.url === '/bamboo/agentServer/agentInstaller/atlassian-bamboo-agent-installer-9.6.2.jar')
          return void res.writeHead(200, { 'Content-Type': 'application/java-archive' }).end(jarBytes);
        // PENDING stands for an agent that remote agent authentication holds until an admin approves it.
        if (req.method === 'POST' && req.url === '/bamboo/agentServer/register')
          return void res.writeHead(body === TOKEN ? 200 : body === PENDING ? 202 : 401).end();
        const json = (v: unknown): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
        if (req.headers.authorization !== 'Bearer pat-read') return void res.writeHead(401).end();
        if (req.url === '/bamboo/rest/api/latest/agent/remote?online=true') return json([]);
        if (req.url === '/bamboo/rest/api/latest/agent/authentication?pending=true') return json([{ uuid: '0b4c-77', ip: '127.0.0.1', approved: false }]);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => bamboo.listen(0, '127.0.0.1', r));
    bambooUrl = `http://127.0.0.1:${(bamboo.address() as AddressInfo).port}/bamboo`;
  }, 60_000);
  afterAll(() => new Promise<void>((r) => (bamboo ? bamboo.close(() => r()) : r())));

  const answers = () => ({ serverUrl: bambooUrl, installerVersion: '9.6.2', agentOs: 'linux', agentHome: '/opt/bamboo-agent-home' });

  it('downloads the installer, runs it with the token only in the 0600 argument file (not on any command line), "ready to receive builds" is online; undo puts the root back', async () => {
    const from = await generate('bamboo-remote', 'installer', answers(), TOKEN);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const before = tree(prefix);
    const logBefore = host.log().length;
    const r = await install('bamboo-remote', 'installer', from, prefix);
    expect(r.code, r.said).toBe(0);
    expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'connected:passed']);
    expect(r.name).toBe('build-host');
    const stage = path.join(prefix, 'opt/bamboo-agent-home/agent-onboard-install');
    expect((lstatSync(path.join(stage, 'installer.args')).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(path.join(stage, 'atlassian-bamboo-agent-installer-9.6.2.jar')).equals(jarBytes)).toBe(true);
    const pid = Number(readFileSync(path.join(stage, 'installer.pid'), 'utf8'));
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(cmdline).toEqual(['java', `@${stage}/installer.args`]);
    expect(host.log().slice(logBefore)).not.toContain(TOKEN);
    expect(r.said).not.toContain(TOKEN);
    const home = path.join(prefix, 'opt/bamboo-agent-home');
    expect(readFileSync(path.join(home, 'conf/wrapper.conf'), 'utf8')).toContain(TOKEN);
    const wrapperPid = Number(readFileSync(path.join(home, 'bin/wrapper.pid'), 'utf8'));
    await undo(r.record);
    // The installer's child (the wrapper) is stopped with it, and what the installer wrote, the
    // token's wrapper.conf among it, is moved aside: the root is as it was.
    expect(existsSync(`/proc/${wrapperPid}`) && !readFileSync(`/proc/${wrapperPid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    expect(tree(prefix)).toEqual(before);
    expect(readFileSync(path.join(dir, 'aside', r.record.id, home, 'conf/wrapper.conf'), 'utf8')).toContain(TOKEN);
  }, 90_000);

  it('an agent waiting for approval: the log waits, and the vendor check (a Bamboo PAT) shows "pending" as its own state, not a failure', async () => {
    const from = await generate('bamboo-remote', 'installer', answers(), PENDING);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('bamboo-remote', 'installer', from, prefix);
    expect(r.code).toBe(1);
    expect(hopStates(r)).toEqual(['ssh:passed', 'files:passed', 'connected:waiting']);
    const log = path.join(prefix, 'opt/bamboo-agent-home/agent-onboard-install/agent-console.log');
    const v = await cli(
      [
        'verify',
        ...hostArgs(),
        '--platform',
        'bamboo-remote',
        '--log-file',
        log,
        '--vendor-url',
        bambooUrl,
        '--vendor-token-env',
        'PAT',
        '--timeout-ms',
        '2000',
        '--json',
      ],
      { PAT: 'pat-read' },
    );
    expect(v.code).toBe(1);
    const seen = JSON.parse(v.stdout) as Report;
    expect(hopStates(seen)).toEqual(['ssh:passed', 'connected:waiting', 'vendor:pending']);
    expect(seen.hops.at(-1)!.detail).toMatch(/wait for approval[\s\S]*not a failure/);
    await undo(r.record);
  }, 90_000);

  it('a token the server refuses fails at the connected hop, with the Diagnostics fix', async () => {
    const from = await generate('bamboo-remote', 'installer', answers(), OTHER);
    const prefix = mkdtempSync(path.join(dir, 'root-'));
    const r = await install('bamboo-remote', 'installer', from, prefix);
    expect(r.code).toBe(1);
    const failed = r.hops.find((h) => h.state === 'failed');
    expect(failed?.hop).toBe('connected');
    expect(failed?.detail).toMatch(/wrapper\.conf/);
    await undo(r.record);
  }, 90_000);
});
