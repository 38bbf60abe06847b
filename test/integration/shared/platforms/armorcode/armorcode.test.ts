/**
 * The ArmorCode platform module: answers, the pinned known_hosts, and every generated format read
 * back by the real tool that will read it (supervisord's own config reader, systemd-analyze,
 * shellcheck, the yaml parser and yamllint), including against a hostile corpus.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../../../../shared/diagnose';
import { armorcode, parseServiceUrl, type ArmorcodeAnswers } from '../../../../../shared/platforms/armorcode';
import { generateArmorcode } from '../../../../../shared/platforms/armorcode/generate';
import { knownHostsFile } from '../../../../../shared/platforms/armorcode/known-hosts';
import { pinnedKeys } from '../../../../../shared/known-hosts';
import { quoteSh, quoteSupervisord, quoteSystemd } from '../../../../../shared/escape';
import type { Result } from '../../../../../shared/result';
import { autosshArgv, CONTAINER_LAYOUT, layoutProblem } from '../../../../../shared/platforms/armorcode/tunnel';
import { privateKeyFile, publicKeyFile } from '../../../../../shared/platforms/armorcode/key-files';
import type { Artifact, Credential } from '../../../../../shared/platforms/types';

const SUPERVISORD_READER = path.resolve(import.meta.dirname, '../../../../support/supervisord-config.py');

let dir: string;
let privateKey: string;
let publicKey: string;
let hostKey: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-ac-unit-'));
  execFileSync('openssl', ['genrsa', '-traditional', '-out', path.join(dir, 'k'), '2048'], { stdio: 'ignore' });
  privateKey = readFileSync(path.join(dir, 'k'), 'utf8');
  publicKey = execFileSync('ssh-keygen', ['-y', '-f', path.join(dir, 'k')], { encoding: 'utf8' }).trim();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, 'hk')]);
  hostKey = readFileSync(path.join(dir, 'hk.pub'), 'utf8').trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (): Record<string, unknown> => ({
  server: 'tunnel.example.com',
  port: 22,
  user: 'acme',
  services: [
    { name: 'jira', url: 'https://jira.acme.com', remotePort: 5000 },
    { name: 'sonar', url: 'http://sonar.acme.com:9000/projects', remotePort: 5001 },
  ],
});
const credential = (knownHosts = `tunnel.example.com ${hostKey}\n`): Credential => ({ kind: 'ssh-keypair', privateKey, publicKey, knownHosts });
const parseAnswers = (raw: unknown): ArmorcodeAnswers => armorcode.answers.parse(raw);
const fileOf = (files: Artifact[], name: string): Artifact => {
  const f = files.find((x) => x.path === name);
  if (!f) throw new Error(`no ${name}`);
  return f;
};

function writeTemp(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

type SupervisordView = { programs: { name: string; argv: string[]; environment: Record<string, string>; autorestart: string; stopasgroup: boolean }[] };
let tempCounter = 0;

/** supervisord's own reading of configs (one process for all): program names and argv as it will exec them. */
function readSupervisordMany(texts: string[]): SupervisordView[] {
  if (texts.length === 0) return [];
  const files = texts.map((t) => writeTemp(`supervisord-${tempCounter++}.conf`, t));
  const r = spawnSync('/usr/bin/python3', [SUPERVISORD_READER, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`supervisord cannot read it: ${r.stderr.split('\n').filter(Boolean).at(-1)}`);
  return JSON.parse(r.stdout);
}

function readSupervisord(text: string): SupervisordView {
  return readSupervisordMany([text])[0]!;
}

function systemdVerify(name: string, text: string): { status: number | null; stderr: string } {
  const r = spawnSync('systemd-analyze', ['verify', writeTemp(name, text)], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

function shellcheck(text: string): { status: number | null; stdout: string } {
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: text, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

/** shellcheck over many scripts in one run: the names of those with findings. */
function shellcheckMany(scripts: { name: string; text: string }[]): string[] {
  if (scripts.length === 0) return [];
  const files = scripts.map((s) => writeTemp(`script-${tempCounter++}.sh`, s.text));
  const r = spawnSync('shellcheck', ['-s', 'sh', '-f', 'gcc', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return scripts.filter((_, i) => r.stdout.includes(`${files[i]}:`)).map((s) => s.name);
}

describe('armorcode answers', () => {
  it('refuses a remote port used twice, naming the second service', () => {
    const raw = base();
    (raw.services as { remotePort: number }[])[1]!.remotePort = 5000;
    const r = armorcode.answers.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual([
      'services.1.remotePort',
      'remote port 5000 is already used by service 1',
    ]);
  });

  it('refuses the same service name twice, case-insensitively', () => {
    const raw = base();
    (raw.services as { name: string }[])[1]!.name = 'JIRA';
    expect(armorcode.answers.safeParse(raw).error?.issues[0]?.path).toEqual(['services', 1, 'name']);
  });

  it.each([['-oProxyCommand=x'], ['tunnel example.com'], ['a\nb'], ['$(id).example.com'], ['']])('refuses server %j', (server) => {
    expect(armorcode.answers.safeParse({ ...base(), server }).error?.issues[0]?.path).toEqual(['server']);
  });

  it.each([[0], [65536], ['abc'], [22.5]])('refuses port %j', (port) => {
    expect(armorcode.answers.safeParse({ ...base(), port }).error?.issues[0]?.path).toEqual(['port']);
  });

  it('takes the port as text (the form) and defaults it to 22', () => {
    expect(parseAnswers({ ...base(), port: '443' }).port).toBe(443);
    const { port: _port, ...rest } = base();
    expect(parseAnswers(rest).port).toBe(22);
  });

  it.each([
    ['https://jira.acme.com', { scheme: 'https', host: 'jira.acme.com', port: 443 }],
    ['http://Sonar.Acme.com', { scheme: 'http', host: 'sonar.acme.com', port: 80 }],
    ['https://jira.acme.com:8443/secure/Dashboard.jspa?x=1', { scheme: 'https', host: 'jira.acme.com', port: 8443 }],
    ['tcp://10.0.0.5:5432', { scheme: 'tcp', host: '10.0.0.5', port: 5432 }],
    ['git.acme.com:7999', { scheme: 'tcp', host: 'git.acme.com', port: 7999 }],
    ['ssh://git.acme.com', { scheme: 'ssh', host: 'git.acme.com', port: 22 }],
    ['https://[fd00::5]:8443', { scheme: 'https', host: 'fd00::5', port: 8443 }],
  ])('parses service URL %s into scheme, host and port', (url, target) => {
    expect(parseServiceUrl(url)).toEqual({ ok: true, target });
  });

  it.each([
    ['https://user:pw@jira.acme.com', 'must not hold a user name or password'],
    ['https://-oProxyCommand=x', 'is not a host name'],
    ['ftp://files.acme.com', 'is not supported'],
    ['tcp://db.acme.com', 'needs a port'],
    ['jira.acme.com', 'needs a scheme or a port'],
    ['https://jira.acme.com:0', 'between 1 and 65535'],
    ['https://jira.acme.com:70000', 'between 1 and 65535'],
    ['https://fd00::5', 'must look like'],
    ['https://jira acme.com', 'must look like'],
  ])('refuses service URL %j with a reason', (url, reason) => {
    const r = parseServiceUrl(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(reason);
  });
});

describe('armorcode known_hosts', () => {
  it('pins nothing without a host key, and says how to get one', () => {
    const r = generateArmorcode(parseAnswers(base()), { ...credential(), knownHosts: undefined } as Credential, 'docker');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('HOST_KEY_REQUIRED');
    expect(!r.ok && r.error.hint).toContain('ssh-keyscan -p 22 tunnel.example.com');
  });

  it('does not use a key pinned for port 22 when the agent uses 443 (each port pins its own)', () => {
    const r = generateArmorcode(parseAnswers({ ...base(), port: 443 }), credential(), 'docker');
    expect(!r.ok && r.error.code).toBe('HOST_KEY_REQUIRED');
    const ok443 = generateArmorcode(parseAnswers({ ...base(), port: 443 }), credential(`[tunnel.example.com]:443 ${hostKey}\n`), 'docker');
    expect(ok443.ok && fileOf(ok443.value.files, 'known_hosts').text).toBe(`[tunnel.example.com]:443 ${hostKey}\n`);
  });

  it('keeps only plain lines for the server, without comments, and normalises [host]:22', () => {
    const [type, key] = hostKey.split(' ');
    const text = [
      `# comment`,
      `@revoked tunnel.example.com ssh-ed25519 ${'A'.repeat(16)}`,
      `@cert-authority tunnel.example.com ${hostKey}`,
      `|1|abc=|def= ${hostKey}`,
      `other.example.com ${hostKey}`,
      `[TUNNEL.example.com]:22 ${hostKey} $(id) "evil"`,
      `tunnel.example.com ssh-rsa ${key}`,
    ].join('\n');
    expect(pinnedKeys(text, 'tunnel.example.com', 22)).toEqual([{ keyType: type, key }]);
    const file = knownHostsFile(text, 'tunnel.example.com', 22);
    expect(file.ok && file.value).toBe(`tunnel.example.com ${type} ${key}\n`);
  });
});

describe('armorcode key files', () => {
  it('refuses a passphrase-protected PEM key: the tunnel runs unattended', () => {
    const encrypted = privateKey.replace(
      '-----BEGIN RSA PRIVATE KEY-----\n',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n',
    );
    expect(privateKeyFile(encrypted)).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_REQUIRED' } });
  });

  it('refuses a public key that is not one OpenSSH line', () => {
    expect(publicKeyFile(`${publicKey}\n${publicKey}`)).toMatchObject({ ok: false, error: { code: 'KEY_MALFORMED' } });
    expect(publicKeyFile('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toMatchObject({ ok: false });
  });
});

describe('armorcode generated files (docker)', () => {
  it('writes the vendor layout: supervisord.conf, compose, Dockerfile, keys, pinned known_hosts and the check script', () => {
    const r = generateArmorcode(parseAnswers(base()), credential(), 'docker');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.map((f) => [f.path, f.mode.toString(8), f.secret])).toEqual([
      ['supervisord.conf', '644', false],
      ['docker-compose.yml', '644', false],
      ['Dockerfile', '644', false],
      ['.dockerignore', '644', false],
      ['private-key.pem', '600', true],
      ['public-key.pem', '644', false],
      ['known_hosts', '644', false],
      ['pre-launch-check.sh', '755', false],
    ]);
    expect(fileOf(r.value.files, 'private-key.pem').text).toBe(privateKey.trim() + '\n');
    expect(fileOf(r.value.files, 'public-key.pem').text).toBe(publicKey + '\n');
  });

  it('gives supervisord one autossh program per service with the tunnel defaults, as supervisord itself reads it', () => {
    const r = generateArmorcode(parseAnswers(base()), credential(), 'docker');
    if (!r.ok) throw new Error(r.error.message);
    const conf = readSupervisord(fileOf(r.value.files, 'supervisord.conf').text);
    expect(conf.programs.map((p) => p.name)).toEqual(['tunnel-jira', 'tunnel-sonar']);
    const jira = conf.programs[0]!;
    expect(jira.argv).toEqual([
      '/usr/bin/autossh',
      '-M',
      '0',
      '-N',
      '-o',
      'ServerAliveInterval=30',
      '-o',
      'ServerAliveCountMax=3',
      '-o',
      'ExitOnForwardFailure=yes',
      '-o',
      'LogLevel=VERBOSE',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=20',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'UserKnownHostsFile=/etc/armorcode/known_hosts',
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'UpdateHostKeys=no',
      '-o',
      'IdentitiesOnly=yes',
      '-i',
      '/etc/armorcode/private-key.pem',
      '-p',
      '22',
      '-l',
      'acme',
      '-R',
      '*:5000:jira.acme.com:443',
      '--',
      'tunnel.example.com',
    ]);
    expect(conf.programs[1]!.argv).toContain('*:5001:sonar.acme.com:9000');
    // autossh gets a log file (its stderr, which supervisord keeps) so its "starting ssh" lines exist.
    expect(jira.environment).toEqual({ AUTOSSH_GATETIME: '0', AUTOSSH_LOGFILE: '/dev/stderr' });
    expect(jira.autorestart).not.toBe('False');
    expect(jira.stopasgroup).toBe(true);
    expect(fileOf(r.value.files, 'supervisord.conf').text).not.toContain('StrictHostKeyChecking=no');
  });

  it('writes a compose file and Dockerfile in the vendor layout that parse (yaml, yamllint)', () => {
    const r = generateArmorcode(parseAnswers(base()), credential(), 'docker');
    if (!r.ok) throw new Error(r.error.message);
    const compose = fileOf(r.value.files, 'docker-compose.yml').text;
    expect(parseYaml(compose)).toMatchObject({ services: { 'armorcode-tunnel-1': { build: '.', restart: 'always' } } });
    const lint = spawnSync('yamllint', ['-d', '{extends: default, rules: {document-start: disable}}', '-'], { input: compose, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    const dockerfile = fileOf(r.value.files, 'Dockerfile').text;
    expect(dockerfile).toContain('COPY supervisord.conf private-key.pem known_hosts /etc/armorcode/');
    expect(dockerfile).toContain('ENTRYPOINT ["supervisord", "--nodaemon", "--configuration", "/etc/armorcode/supervisord.conf"]');
  });

  it('puts -p 443 on the command line when the agent uses 443', () => {
    const r = generateArmorcode(parseAnswers({ ...base(), port: 443 }), credential(`[tunnel.example.com]:443 ${hostKey}`), 'docker');
    if (!r.ok) throw new Error(r.error.message);
    expect(readSupervisord(fileOf(r.value.files, 'supervisord.conf').text).programs[0]!.argv.join(' ')).toContain('-p 443 -l acme');
  });

  it('says in good English who restarts a dropped tunnel, per variant', () => {
    const docker = generateArmorcode(parseAnswers(base()), credential(), 'docker');
    const systemd = generateArmorcode(parseAnswers(base()), credential(), 'systemd');
    expect(docker.ok && docker.value.notes.join(' ')).toContain('autossh and supervisord start it again.');
    expect(systemd.ok && systemd.value.notes.join(' ')).toContain('systemd starts it again.');
  });

  it('warns that localhost inside the container is not the agent host', () => {
    const raw = base();
    (raw.services as { url: string }[])[0]!.url = 'http://localhost:8080';
    const r = generateArmorcode(parseAnswers(raw), credential(), 'docker');
    expect(r.ok && r.value.notes.join(' ')).toContain('inside the container that is the container itself');
  });
});

describe('armorcode generated files (systemd)', () => {
  it('says how to remove the tunnels later: compose down, or disable and delete the units, key folder and user; and have ArmorCode drop the key', () => {
    const docker = generateArmorcode(parseAnswers(base()), credential(), 'docker');
    const systemd = generateArmorcode(parseAnswers(base()), credential(), 'systemd');
    if (!docker.ok || !systemd.ok) throw new Error('generate failed');
    expect(docker.value.removal!.commands.map((c) => c.command)).toEqual(['docker compose down --rmi local']);
    const cmds = systemd.value.removal!.commands.map((c) => c.command);
    expect(cmds[0]).toBe('sudo systemctl disable --now armorcode-tunnel-jira.service armorcode-tunnel-sonar.service');
    expect(cmds[1]).toBe(
      'sudo rm /etc/systemd/system/armorcode-tunnel-jira.service /etc/systemd/system/armorcode-tunnel-sonar.service && sudo systemctl daemon-reload',
    );
    expect(shellcheck(`#!/bin/sh\n${cmds.join('\n')}\n`)).toEqual({ status: 0, stdout: '' });
    expect(systemd.value.removal!.notes.join(' ')).toContain('remote ports 5000, 5001 can be released');
  });

  it('writes one unit per service that systemd-analyze verifies, running ssh with the same defaults', () => {
    const r = generateArmorcode(parseAnswers(base()), credential(), 'systemd');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.map((f) => f.path)).toEqual([
      'armorcode-tunnel-jira.service',
      'armorcode-tunnel-sonar.service',
      'private-key.pem',
      'public-key.pem',
      'known_hosts',
      'pre-launch-check.sh',
    ]);
    const unit = fileOf(r.value.files, 'armorcode-tunnel-jira.service').text;
    expect(systemdVerify('armorcode-tunnel-jira.service', unit)).toEqual({ status: 0, stderr: '' });
    expect(unit).toContain('Restart=always');
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/ssh -N .*-o ExitOnForwardFailure=yes -o LogLevel=VERBOSE .* -R \*:5000:jira\.acme\.com:443 -- tunnel\.example\.com$/m,
    );
  });
});

describe('armorcode pre-launch check', () => {
  it.each(['docker', 'systemd'])('passes shellcheck (%s)', (variant) => {
    for (const port of [22, 443]) {
      const r = generateArmorcode(parseAnswers({ ...base(), port }), credential(`[tunnel.example.com]:${port} ${hostKey}`), variant);
      if (!r.ok) throw new Error(r.error.message);
      expect(shellcheck(fileOf(r.value.files, 'pre-launch-check.sh').text)).toEqual({ status: 0, stdout: '' });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile input: every value either is refused with a clear error, or changes nothing about the
// structure of any file (same programs, same argv shape, one ExecStart, valid YAML, clean script).

const HOSTILE = [
  'a b',
  '-oProxyCommand=touch /tmp/pwned',
  '-oProxyCommand=x',
  'x\ny',
  'x\r\n[program:evil]\ncommand=/bin/sh',
  '[program:x]',
  '"quoted"',
  "it's",
  '$(touch /tmp/pwned)',
  '`id`',
  'a;b',
  'a #b',
  '%(ENV_HOME)s',
  '${HOME}',
  'ünïcødé',
  'evil\u202e',
  'x\u0000y',
  'a'.repeat(10_000),
  '',
];

type Mutate = (raw: Record<string, unknown>, v: string) => { raw: Record<string, unknown>; knownHosts?: string; publicKey?: string };
const FIELDS: Record<string, Mutate> = {
  server: (raw, v) => ({ raw: { ...raw, server: v }, knownHosts: `${v} ${hostKey}` }),
  user: (raw, v) => ({ raw: { ...raw, user: v } }),
  port: (raw, v) => ({ raw: { ...raw, port: v } }),
  'service name': (raw, v) => ({ raw: { ...raw, services: [{ name: v, url: 'https://jira.acme.com', remotePort: 5000 }] } }),
  'service URL host': (raw, v) => ({ raw: { ...raw, services: [{ name: 'jira', url: `https://${v}:443`, remotePort: 5000 }] } }),
  'service URL path': (raw, v) => ({ raw: { ...raw, services: [{ name: 'jira', url: `https://jira.acme.com/${v}`, remotePort: 5000 }] } }),
  'service URL whole': (raw, v) => ({ raw: { ...raw, services: [{ name: 'jira', url: v, remotePort: 5000 }] } }),
  'remote port': (raw, v) => ({ raw: { ...raw, services: [{ name: 'jira', url: 'https://jira.acme.com', remotePort: v }] } }),
  'keep-alive interval': (raw, v) => ({ raw: { ...raw, serverAliveInterval: v } }),
  'known_hosts comment': (raw, v) => ({ raw, knownHosts: `tunnel.example.com ${hostKey} ${v}` }),
  'known_hosts host': (raw, v) => ({ raw, knownHosts: `${v} ${hostKey}\ntunnel.example.com ${hostKey}` }),
  'public key comment': (raw, v) => ({ raw, publicKey: `${publicKey} ${v}` }),
};

const REFUSALS = ['BAD_INPUT', 'UNSAFE_VALUE', 'HOST_KEY_REQUIRED', 'KEY_MALFORMED'];
// eslint-disable-next-line no-control-regex -- control characters are what these tests look for.
const STRAY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/;
// eslint-disable-next-line no-control-regex -- idem.
const ANY_CONTROL = /[\u0000-\u001f\u202e]/;

describe('armorcode hostile corpus', () => {
  it.each(Object.keys(FIELDS))("%s: every hostile value is refused clearly or leaves every file's structure intact", (field) => {
    const accepted: { what: string; a: ArmorcodeAnswers; variant: string; files: Artifact[] }[] = [];
    for (const value of HOSTILE) {
      const m = FIELDS[field]!({ ...base(), services: [{ name: 'jira', url: 'https://jira.acme.com', remotePort: 5000 }] }, value);
      const parsed = armorcode.answers.safeParse(m.raw);
      if (!parsed.success) {
        expect(parsed.error.issues[0]!.message.length).toBeGreaterThan(5);
        continue;
      }
      const cred = {
        kind: 'ssh-keypair',
        privateKey,
        publicKey: m.publicKey ?? publicKey,
        knownHosts: m.knownHosts ?? `${parsed.data.server} ${hostKey}`,
      } as Credential;
      for (const variant of ['docker', 'systemd']) {
        const what = `${field}=${JSON.stringify(value.slice(0, 40))} (${variant})`;
        const r = generateArmorcode(parsed.data, cred, variant);
        if (!r.ok) expect(REFUSALS, `${what}: ${r.error.message}`).toContain(r.error.code);
        else accepted.push({ what, a: parsed.data, variant, files: r.value.files });
      }
    }
    assertStructure(accepted);
  });
});

/** Every accepted output: same programs and argv, one ExecStart, valid YAML, clean scripts, no stray control characters. */
function assertStructure(outputs: { what: string; a: ArmorcodeAnswers; variant: string; files: Artifact[] }[]): void {
  for (const { what, variant, a, files } of outputs) {
    for (const f of files) expect(STRAY_CONTROL.test(f.text), `${what}: control character in ${f.path}`).toBe(false);
    expect(
      fileOf(files, 'known_hosts')
        .text.trim()
        .split('\n')
        .every((l) => l.split(' ').length === 3),
      `${what}: known_hosts`,
    ).toBe(true);
    expect(fileOf(files, 'public-key.pem').text.split('\n'), what).toHaveLength(2);
    if (variant === 'docker') {
      expect(parseYaml(fileOf(files, 'docker-compose.yml').text)).toEqual({ services: { 'armorcode-tunnel-1': expect.objectContaining({ build: '.' }) } });
    } else {
      for (const s of a.services) {
        const unit = fileOf(files, `armorcode-tunnel-${s.name}.service`).text;
        expect(
          unit.split('\n').filter((l) => l.startsWith('ExecStart=')),
          what,
        ).toHaveLength(1);
        expect(
          unit.split('\n').filter((l) => l.startsWith('[')),
          what,
        ).toEqual(['[Unit]', '[Service]', '[Install]']);
      }
    }
  }
  const docker = outputs.filter((o) => o.variant === 'docker');
  const read = readSupervisordMany(docker.map((o) => fileOf(o.files, 'supervisord.conf').text));
  docker.forEach((o, i) =>
    expect(
      read[i]!.programs.map((p) => p.argv),
      o.what,
    ).toEqual(o.a.services.map((s) => autosshArgv(o.a, s, CONTAINER_LAYOUT))),
  );
  // Identical scripts are checked once (most values never reach the script).
  const scripts = new Map(outputs.map((o) => [fileOf(o.files, 'pre-launch-check.sh').text, o.what]));
  expect(shellcheckMany([...scripts].map(([text, name]) => ({ name, text })))).toEqual([]);
}

describe('armorcode format quoting round-trips through the real readers', () => {
  const value = (r: Result<string>): string => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const values = HOSTILE.filter((v) => v !== '');

  it('supervisord reads back every argument it accepts exactly, and refuses the rest', () => {
    const accepted = values.filter((v) => {
      const q = quoteSupervisord(v);
      if (!q.ok) expect(q.error.code).toBe('UNSAFE_VALUE');
      return q.ok;
    });
    expect(accepted.length).toBeGreaterThan(8);
    const conf = `[supervisord]\n\n[program:probe]\ncommand=/bin/echo ${accepted.map((v) => value(quoteSupervisord(v))).join(' ')}\n`;
    expect(readSupervisord(conf).programs[0]!.argv).toEqual(['/bin/echo', ...accepted]);
  });

  it('systemd verifies a unit with every argument it accepts, and refuses control characters', () => {
    const accepted = values.filter((v) => !ANY_CONTROL.test(v));
    const unit = `[Unit]\nDescription=probe\n\n[Service]\nExecStart=/bin/echo ${accepted.map((v) => value(quoteSystemd(v, 'exec'))).join(' ')}\n`;
    expect(systemdVerify('probe.service', unit)).toEqual({ status: 0, stderr: '' });
    expect(quoteSystemd('x\ny', 'exec')).toMatchObject({ ok: false, error: { code: 'UNSAFE_VALUE' } });
  });

  it('the shell reads back every word it accepts exactly', () => {
    const accepted = values.filter((v) => !ANY_CONTROL.test(v));
    const script = `for a in ${accepted.map((v) => value(quoteSh(v))).join(' ')}; do printf '%s\\0' "$a"; done`;
    const out = spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout;
    expect(out.split('\0').slice(0, -1)).toEqual(accepted);
  });
});

describe('armorcode known failures', () => {
  it.each([
    ['armorcode-unreachable-22', 'FAILED connecting to server: tunnel.example.com'],
    ['armorcode-unreachable-22', '2026-11-22 06:30:01,123 ssh: connect to host tunnel.example.com port 22: Connection timed out'],
    ['armorcode-unreachable-22', 'kex_exchange_identification: Connection closed by 10.0.0.1 port 22'],
    ['armorcode-exit-status-1', '2026-11-22 06:30:02,200 INFO exited: ACCESS_JIRA (exit status 1; not expected)'],
    ['armorcode-exit-status-1', 'Warning: Identity file /etc/armorcode/private-key.pem not accessible: No such file or directory.'],
    ['armorcode-remote-port-in-use', 'Error: remote port forwarding failed for listen port 5000'],
    ['armorcode-host-key', 'Host key verification failed.'],
    ['armorcode-host-key', 'No ED25519 host key is known for [tunnel.example.com]:443 and you have requested strict checking.'],
    ['armorcode-publickey-denied', 'acme@tunnel.example.com: Permission denied (publickey).'],
    ['armorcode-key-permissions', "Permissions 0644 for '/etc/armorcode/private-key.pem' are too open."],
  ])('recognises %s in %j', (id, line) => {
    expect(diagnose(line, 'armorcode').map((d) => d.failure.id)).toContain(id);
  });

  it('offers the switch to 443 only for port 22, and recognises nothing in a healthy log', () => {
    expect(diagnose('ssh: connect to host tunnel.example.com port 22: Connection refused', 'armorcode')[0]?.failure.action).toEqual({
      kind: 'switch-port',
      port: 443,
    });
    expect(diagnose('ssh: connect to host tunnel.example.com port 443: Connection refused', 'armorcode')).toEqual([]);
    const healthy =
      "2026-11-22 06:30:01,001 INFO supervisord started with pid 1\n2026-11-22 06:30:02,005 INFO spawned: 'tunnel-jira' with pid 7\n2026-11-22 06:30:07,010 INFO success: tunnel-jira entered RUNNING state, process has stayed up for > than 5 seconds (startsecs)";
    expect(diagnose(healthy, 'armorcode')).toEqual([]);
  });
});

describe('armorcode layout', () => {
  it.each([
    [{ configDir: '/tmp/with space' }, 'configDir'],
    [{ configDir: 'relative' }, 'configDir'],
    [{ runDir: '/tmp/../etc' }, 'runDir'],
    [{ logFile: '/tmp/x;y' }, 'logFile'],
    [{ programUser: 'root\nuser=evil' }, 'user'],
  ])('refuses paths and users that are not plain (%j)', (change, what) => {
    expect(layoutProblem({ ...CONTAINER_LAYOUT, ...change })).toContain(what);
    const r = generateArmorcode(parseAnswers(base()), credential(), 'docker', { ...CONTAINER_LAYOUT, ...change });
    expect(!r.ok && r.error.code).toBe('BAD_INPUT');
  });

  it('accepts the container layout', () => {
    expect(layoutProblem(CONTAINER_LAYOUT)).toBeNull();
  });
});
