import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bambooRemote } from '../../../../../shared/platforms/bamboo-remote';
import { quoteCmd, quotePs1, quoteSh, quoteSystemd } from '../../../../../shared/escape';
import type { Generated } from '../../../../../shared/platforms/types';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const work = mkdtempSync(path.join(tmpdir(), 'bamboo-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The installer needs the server's version; tests give 9.6.2 unless they say otherwise. */
function generate(answers: Record<string, unknown>, variant = 'installer', token = TOKEN): Generated {
  const r = bambooRemote.generate!(bambooRemote.answers.parse({ installerVersion: '9.6.2', ...answers }), { kind: 'token', token }, variant);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function file(g: Generated, name: string): string {
  const f = g.files.find((x) => x.path === name);
  if (!f) throw new Error(`no ${name} in ${g.files.map((x) => x.path).join(', ')}`);
  return f.text;
}

function writeOut(g: Generated, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of g.files) {
    writeFileSync(path.join(dir, f.path), f.text);
    chmodSync(path.join(dir, f.path), f.mode);
  }
}

describe('Bamboo remote agent: new install on Linux', () => {
  const g = generate({ serverUrl: 'https://bamboo.example.com/bamboo/', agentHome: '/opt/bamboo agent home', installerVersion: '9.6.2' });

  it('writes the token only to security-token (0600, secret), never into scripts, commands or notes', () => {
    expect(g.files.map((f) => [f.path, f.mode.toString(8), f.secret])).toEqual([
      ['security-token', '600', true],
      ['install-bamboo-agent.sh', '755', false],
      ['bamboo-agent.service', '644', false],
    ]);
    expect(file(g, 'security-token')).toBe(`${TOKEN}\n`);
    const visible = JSON.stringify({ files: g.files.filter((f) => !f.secret), commands: g.commands, notes: g.notes });
    expect(visible).not.toContain(TOKEN);
  });

  it('shows the installer command with -Dbamboo.home, the /agentServer/ URL and -t, quoted for sh', () => {
    expect(g.commands.map((c) => c.command)).toContain(
      `java -Dbamboo.home='/opt/bamboo agent home' -jar atlassian-bamboo-agent-installer-9.6.2.jar https://bamboo.example.com/bamboo/agentServer/ -t "$(cat security-token)"`,
    );
  });

  it('says how to remove the agent later: stop and disable the unit, then delete it in Bamboo and its home', () => {
    expect(g.removal?.commands.map((c) => c.command)).toEqual([
      'sudo systemctl disable --now bamboo-agent',
      'sudo rm /etc/systemd/system/bamboo-agent.service && sudo systemctl daemon-reload',
    ]);
    expect(g.removal?.notes.join(' ')).toMatch(/Remote agents, disable the agent, then delete it/);
  });

  it('runs: downloads the installer from <url>/agentServer/agentInstaller/ and passes the exact arguments to java', () => {
    // The real installer jar and Bamboo server cannot run here (no network), so `curl` and `java` are
    // small recording stand-ins on PATH; the script itself runs in the real /bin/sh.
    const dir = path.join(work, 'run dir');
    writeOut(g, dir);
    const bin = path.join(work, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    const log = path.join(work, 'argv.log');
    writeFileSync(path.join(bin, 'java'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${log}'\n`, { mode: 0o755 });
    writeFileSync(
      path.join(bin, 'curl'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}.curl'\nwhile [ $# -gt 1 ]; do [ "$1" = --output ] && : > "$2"; shift; done\n`,
      { mode: 0o755 },
    );
    execFileSync('/bin/sh', [path.join(dir, 'install-bamboo-agent.sh')], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(readFileSync(log, 'utf8').split('\n').slice(0, -1)).toEqual([
      '-Dbamboo.home=/opt/bamboo agent home',
      '-jar',
      path.join(dir, 'atlassian-bamboo-agent-installer-9.6.2.jar'),
      'https://bamboo.example.com/bamboo/agentServer/',
      '-t',
      TOKEN,
    ]);
    expect(readFileSync(`${log}.curl`, 'utf8')).toContain(
      'https://bamboo.example.com/bamboo/agentServer/agentInstaller/atlassian-bamboo-agent-installer-9.6.2.jar\n',
    );
  });

  it('stops with a clear message when security-token is not next to the script', () => {
    const dir = path.join(work, 'no-token');
    writeOut(g, dir);
    rmSync(path.join(dir, 'security-token'));
    const r = spawnSync('/bin/sh', [path.join(dir, 'install-bamboo-agent.sh')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('security-token is missing');
  });

  it('writes a systemd unit that systemd-analyze accepts, running the wrapper in the console', () => {
    const safeHome = path.join(work, 'agent home');
    mkdirSync(path.join(safeHome, 'bin'), { recursive: true });
    writeFileSync(path.join(safeHome, 'bin', 'bamboo-agent.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const unit = file(generate({ serverUrl: 'https://bamboo.example.com', agentHome: safeHome, serviceUser: 'root' }), 'bamboo-agent.service');
    expect(unit).toContain(`ExecStart="${safeHome}/bin/bamboo-agent.sh" console`);
    const unitPath = path.join(work, 'bamboo-agent.service');
    writeFileSync(unitPath, unit);
    const r = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.includes('bamboo-agent.service'))).toEqual([]);
    expect(r.status).toBe(0);
    // Answers never hold '%', but the unit's quoting escapes systemd specifiers anyway.
    expect(quoteSystemd('/srv/a %h/bin/bamboo-agent.sh', 'exec')).toEqual({ ok: true, value: '"/srv/a %%h/bin/bamboo-agent.sh"' });
  });
});

describe('Bamboo remote agent: macOS and Windows', () => {
  it('a new install without the server version is refused: the jar must match the server, so none is assumed', () => {
    const r = bambooRemote.generate!(bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com' }), { kind: 'token', token: TOKEN }, 'installer');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringContaining("installerVersion is required for a new install: your Bamboo server's version") },
    });
    // An existing install needs no version: it keeps its own jar.
    expect(
      bambooRemote.generate!(bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com' }), { kind: 'token', token: TOKEN }, 'existing').ok,
    ).toBe(true);
  });

  it('macOS: the sh installer without a systemd unit', () => {
    const g = generate({ serverUrl: 'http://bamboo.local:8085', agentOs: 'macos' });
    expect(g.files.map((f) => f.path)).toEqual(['security-token', 'install-bamboo-agent.sh']);
    expect(file(g, 'install-bamboo-agent.sh')).toContain('SERVER_URL=http://bamboo.local:8085/agentServer/\n');
    expect(g.commands.every((c) => c.os === 'macos')).toBe(true);
  });

  it('Windows: PowerShell and cmd installers with CRLF, values quoted per shell, default home C:\\bamboo-agent-home', () => {
    const g = generate({ serverUrl: 'https://bamboo.example.com/agentServer/', agentOs: 'windows', agentHome: 'C:\\Build Agents\\bamboo (prod)' });
    const ps1 = file(g, 'install-bamboo-agent.ps1');
    const cmd = file(g, 'install-bamboo-agent.cmd');
    for (const text of [ps1, cmd]) expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ps1).toContain("$ServerUrl = 'https://bamboo.example.com/agentServer/'\r\n");
    expect(ps1).toContain("$AgentHome = 'C:\\Build Agents\\bamboo (prod)'\r\n");
    expect(ps1).toContain('& java "-Dbamboo.home=$AgentHome" -jar $Installer $ServerUrl -t $SecurityToken');
    expect(cmd).toContain('set "AGENT_HOME=C:\\Build Agents\\bamboo (prod)"\r\n');
    expect(cmd).toContain('java "-Dbamboo.home=%AGENT_HOME%" -jar "%INSTALLER%" "%SERVER_URL%" -t "%SECURITY_TOKEN%"');
    expect(g.files.map((f) => f.path)).toEqual(['security-token', 'install-bamboo-agent.ps1', 'install-bamboo-agent.cmd']);
    expect(JSON.stringify(g)).not.toMatch(/agentServer\/agentServer/);
    const def = generate({ serverUrl: 'https://bamboo.example.com', agentOs: 'windows' });
    expect(file(def, 'install-bamboo-agent.ps1')).toContain("$AgentHome = 'C:\\bamboo-agent-home'");
  });

  it('an existing install generates no files, only the restart commands and where to write the token', () => {
    const g = generate({ serverUrl: 'https://bamboo.example.com', agentHome: '/srv/bamboo' }, 'existing');
    expect(g.files).toEqual([]);
    expect(g.commands.map((c) => c.command)).toContain('/srv/bamboo/bin/bamboo-agent.sh restart');
    expect(g.notes[0]).toContain('rotate bamboo-remote');
  });
});

describe('Bamboo remote agent: bad input is refused before anything is generated', () => {
  it.each([
    ['a quote in the URL', { serverUrl: "https://bamboo.example.com/'x" }],
    ['a command substitution in the URL', { serverUrl: 'https://bamboo.example.com/$(id)' }],
    ['a query string', { serverUrl: 'https://bamboo.example.com/?a=1&b=2' }],
    ['a %-escape (cmd would expand it)', { serverUrl: 'https://bamboo.example.com/a%20b' }],
    ['a relative agent home', { serverUrl: 'https://b.example.com', agentHome: 'bamboo-agent-home' }],
    ['a quote in the agent home', { serverUrl: 'https://b.example.com', agentHome: "/opt/it's" }],
    ['$ in the agent home', { serverUrl: 'https://b.example.com', agentHome: '/opt/$HOME' }],
    ['a newline in the agent home', { serverUrl: 'https://b.example.com', agentHome: '/opt/a\nExecStartPre=/bin/rm' }],
    ['.. in the agent home', { serverUrl: 'https://b.example.com', agentHome: '/opt/../etc' }],
    ['a Windows home for Linux', { serverUrl: 'https://b.example.com', agentHome: 'C:\\bamboo' }],
    ['a POSIX home for Windows', { serverUrl: 'https://b.example.com', agentOs: 'windows', agentHome: '/opt/bamboo' }],
    ['% in a Windows home', { serverUrl: 'https://b.example.com', agentOs: 'windows', agentHome: 'C:\\%TEMP%' }],
    ['a bad service user', { serverUrl: 'https://b.example.com', serviceUser: 'root;rm' }],
  ])('refuses %s', (_name, answers) => {
    expect(bambooRemote.answers.safeParse(answers).success).toBe(false);
  });

  it('refuses a token that is not 40 hex characters, and a key pair', () => {
    const a = bambooRemote.answers.parse({ serverUrl: 'https://b.example.com' });
    const bad = bambooRemote.generate!(a, { kind: 'token', token: `${TOKEN.slice(0, 39)}'` }, 'installer');
    expect(bad.ok ? 'generated' : bad.error.code).toBe('TOKEN_INVALID');
    const key = bambooRemote.generate!(a, { kind: 'ssh-keypair', privateKey: 'x', publicKey: 'y' }, 'installer');
    expect(key.ok ? 'generated' : key.error.code).toBe('TOKEN_WRONG_KIND');
  });

  it('quotes hostile values for each shell, or refuses them', () => {
    const hostile = `it's $(rm -rf /) \`x\` "q" %PATH% ‘smart’`;
    expect(quoteSh(hostile)).toEqual({ ok: true, value: `'it'\\''s $(rm -rf /) \`x\` "q" %PATH% ‘smart’'` });
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${(quoteSh(hostile) as { value: string }).value}`], { encoding: 'utf8' })).toBe(hostile);
    expect(quotePs1(hostile)).toEqual({ ok: true, value: `'it''s $(rm -rf /) \`x\` "q" %PATH% ‘‘smart’’'` });
    expect(quoteCmd('NAME=a%b')).toEqual({ ok: true, value: '"NAME=a%%b"' });
    for (const f of [quoteSh, quotePs1, quoteCmd, (v: string) => quoteSystemd(v, 'exec')]) expect(f('a\nb').ok).toBe(false);
    expect(quoteCmd('a"b').ok).toBe(false);
    expect(quoteSystemd('a\\b', 'exec')).toEqual({ ok: true, value: '"a\\\\b"' });
  });
});

describe('Bamboo remote agent: connectivity endpoints', () => {
  const ends = (a: Record<string, unknown>): string[] =>
    bambooRemote.endpoints(bambooRemote.answers.parse(a)).map((e) => `${e.id} ${e.protocol} ${e.host}:${e.port}`);
  it('probes the server URL over HTTP(S) and the broker port on the same host', () => {
    expect(ends({ serverUrl: 'http://bamboo.local:8085/agentServer/' })).toEqual(['server http bamboo.local:8085', 'broker tcp bamboo.local:54663']);
    expect(ends({ serverUrl: 'https://bamboo.example.com/bamboo' })).toEqual(['server https bamboo.example.com:443', 'broker tcp bamboo.example.com:54663']);
  });
  it('takes another broker host and port, and strips IPv6 brackets', () => {
    expect(ends({ serverUrl: 'https://[fd00::5]:8443', brokerHost: 'broker.example.com', brokerPort: 54667 })).toEqual([
      'server https fd00::5:8443',
      'broker tcp broker.example.com:54667',
    ]);
    expect(ends({ serverUrl: 'https://[fd00::5]:8443' })).toEqual(['server https fd00::5:8443', 'broker tcp fd00::5:54663']);
  });
});
