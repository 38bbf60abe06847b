import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { AGENT_ONLINE_MODULE } from '../../../../shared/ansible/online-module';
import { ansibleProject, onlineVars, pythonRegex } from '../../../../shared/ansible/project';
import { readOnlineLog } from '../../../../shared/online';
import { PLATFORMS } from '../../../../shared/platforms';
import { armorcode } from '../../../../shared/platforms/armorcode';
import { armorcodeSupervisord, armorcodeSystemd, hostLayout } from '../../../../shared/platforms/armorcode/ansible';
import { generateArmorcode } from '../../../../shared/platforms/armorcode/generate';
import { bambooRemote } from '../../../../shared/platforms/bamboo-remote';
import { bambooRemoteShell } from '../../../../shared/platforms/bamboo-remote/ansible';
import { harness } from '../../../../shared/platforms/harness';
import type { Credential } from '../../../../shared/platforms/types';

// A syntactically valid RSA key pair is not needed for layout: the generator checks the PEM shape.
const KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
  'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
  'o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k',
  'TQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp7',
  '9mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUCIG2Es59z8ugGrDY+pxLQnwfotadxd+Uy',
  'v/Ow5T0q5gIJAiEAyS4RaI9YG8EWx/2w0T67ZUVAw8eOMB6BIUg0Xcu+3okCIBOs',
  '/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97YE00',
  '-----END RSA PRIVATE KEY-----',
  '',
].join('\n');
// Ansible runs modules with the system's python3 (ansible-core is a Debian package).
const PYTHON = '/usr/bin/python3';
const KNOWN = '[tunnel.example.com]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GZVl\n';

function credential(): Credential {
  const pub = spawnSync('ssh-keygen', ['-y', '-f', '/dev/stdin'], { input: KEY, encoding: 'utf8' });
  return {
    kind: 'ssh-keypair',
    privateKey: KEY,
    publicKey:
      pub.stdout.trim() || 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAQQCo9+BpMRYQ/dL3DS2CyJxRF+j6ctbT3/Qp84+KeFhnii7NT7fELilKUSnxS30WAvQCCo2yU1orfgqr41mM70MB',
    knownHosts: KNOWN,
  };
}

const answers = armorcode.answers.parse({
  server: 'tunnel.example.com',
  port: 2222,
  user: 'acme',
  services: [{ name: 'on', url: 'http://10.0.0.5:8080', remotePort: 5001 }],
});

describe('ansibleProject (ArmorCode, supervisord on the host)', () => {
  const root = '/srv/agents/edge-1';
  const placed = armorcodeSupervisord.files(answers, credential(), root);
  if (!placed.ok) throw new Error(placed.error.message);
  const files = ansibleProject({
    platform: armorcode,
    type: armorcodeSupervisord,
    agents: [{ name: 'edge-1', host: '10.1.0.1', port: 2201, user: 'ops', root, answers, files: placed.value.files }],
    appVersion: 't',
    removalNotes: ['Ask ArmorCode to drop the key.'],
  });
  const byPath = new Map(files.map((f) => [f.path, f]));

  it('ships each host file byte-identical to the generator for the same layout, secrets marked', () => {
    const direct = generateArmorcode(answers, credential(), 'docker', hostLayout(root));
    if (!direct.ok) throw new Error(direct.error.message);
    for (const name of ['supervisord.conf', 'private-key.pem', 'known_hosts', 'public-key.pem', 'pre-launch-check.sh']) {
      const shipped = byPath.get(`host_files/edge-1/${name}`)!;
      const generated = direct.value.files.find((f) => f.path === name)!;
      expect(shipped.text).toBe(generated.text);
      expect(shipped.secret).toBe(generated.secret);
    }
    expect(byPath.get('host_files/edge-1/private-key.pem')!.secret).toBe(true);
    expect(byPath.get('host_files/edge-1/supervisord.conf')!.text).toContain(`${root}/etc/armorcode/private-key.pem`);
  });

  it('writes YAML that a YAML 1.1 reader (PyYAML, as Ansible) reads back to the same values', () => {
    const vars = parse(byPath.get('host_vars/edge-1.yml')!.text, { version: '1.1' }) as Record<string, unknown>;
    expect(vars).toMatchObject({ ansible_host: '10.1.0.1', ansible_port: 2201, ansible_user: 'ops', agent_install_root: root, agent_generated_root: root });
    // A service named "on" stays the string "on" (YAML 1.1 would read a bare on as true).
    expect((vars.agent_answers as { services: { name: unknown }[] }).services[0]!.name).toBe('on');
    expect((vars.agent_files as { dest: string; mode: string }[]).find((f) => f.dest.endsWith('private-key.pem'))!.mode).toBe('0600');
    for (const f of files.filter((x) => x.path.endsWith('.yml'))) {
      for (const doc of parseAllDocuments(f.text, { version: '1.1' }) as { errors: unknown[] }[]) expect(doc.errors, f.path).toEqual([]);
    }
    const inventory = parse(byPath.get('inventory.yml')!.text) as {
      all: { children: Record<string, { children: Record<string, { hosts: Record<string, null> }> }> };
    };
    expect(Object.keys(inventory.all.children.armorcode!.children.armorcode_supervisord!.hosts)).toEqual(['edge-1']);
  });

  it('rolls by default and never stores a vault password', () => {
    const site = parse(byPath.get('site.yml')!.text) as { serial: string; max_fail_percentage: string }[];
    expect(site[0]!.serial).toContain('[1, "25%"]');
    expect(site[0]!.max_fail_percentage).toContain('default(0)');
    expect(byPath.get('ansible.cfg')!.text).not.toMatch(/vault_password_file|vault_identity_list/);
    expect(byPath.get('README.md')!.text).toMatch(/--ask-vault-pass/);
    expect(byPath.get('README.md')!.text).toMatch(/--check --diff/);
  });

  it('has no rotate.yml (a key pair per agent, not a token in a line), and its README says why and what to do instead', () => {
    expect(byPath.has('rotate.yml')).toBe(false);
    expect(byPath.has('roles/armorcode_supervisord/tasks/rotate.yml')).toBe(false);
    expect(byPath.get('README.md')!.text).toMatch(/\*\*No rotate\.yml:\*\* the tunnel has no token in a line[^]*run site\.yml/);
  });
});

describe('ansibleProject (ArmorCode, systemd units)', () => {
  it('refuses an install root other than / (systemd reads units only from its own folders)', () => {
    const r = armorcodeSystemd.files(answers, credential(), '/srv/agents/edge-1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/install root \/\)/);
  });

  it("places the generator's systemd variant byte for byte: units in /etc/systemd/system moved aside on their own, key and pin owned by armorcode", () => {
    const placed = armorcodeSystemd.files(answers, credential(), '');
    if (!placed.ok) throw new Error(placed.error.message);
    const generated = generateArmorcode(answers, credential(), 'systemd');
    if (!generated.ok) throw new Error(generated.error.message);
    const byName = new Map(generated.value.files.map((f) => [f.path, f.text]));
    expect(placed.value.files.map((f) => [f.artifact.path, f.dest, f.owner ?? '', f.aside ?? false, f.on])).toEqual([
      ['private-key.pem', '/etc/armorcode/private-key.pem', 'armorcode', false, 'restart'],
      ['known_hosts', '/etc/armorcode/known_hosts', 'armorcode', false, 'restart'],
      ['public-key.pem', '/etc/armorcode/public-key.pem', '', false, 'none'],
      ['armorcode-tunnel-on.service', '/etc/systemd/system/armorcode-tunnel-on.service', '', true, 'restart'],
    ]);
    for (const f of placed.value.files) expect(f.artifact.text).toBe(byName.get(f.artifact.path));
    const files = ansibleProject({
      platform: armorcode,
      type: armorcodeSystemd,
      agents: [{ name: 'edge-1', root: '', answers, files: placed.value.files }],
      appVersion: 't',
      removalNotes: [],
    });
    const text = (p: string): string => files.find((f) => f.path === p)!.text;
    const main = parse(text('roles/armorcode_systemd/tasks/main.yml')) as Record<string, unknown>[];
    expect(main.find((t) => 'ansible.builtin.user' in t)).toMatchObject({ 'ansible.builtin.user': { name: 'armorcode', system: true, create_home: false } });
    const online = parse(text('roles/armorcode_systemd/tasks/online.yml')) as Record<string, Record<string, unknown>>[];
    expect(online[0]!.agent_online).toMatchObject({ journal: '{{ agent_journal }}', status: '{{ agent_status }}' });
    expect(parse(text('roles/armorcode_systemd/vars/main.yml'))).toMatchObject({ agent_journal: 'armorcode-tunnel-*', agent_status: { stayed_up_ms: 10_000 } });
  });
});

describe('ansibleProject (Bamboo remote agent): rotate.yml finds the token from the file, and every platform that rotates says how in its README', () => {
  it('the Bamboo role finds the parameter with a read-only command that runs in --check too, then replaces every definition with a backup and no output', () => {
    const a = bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' });
    const placed = bambooRemoteShell.files(a, { kind: 'token', token: 'f3defca0b1dee4b665fa7471cfe2899d524722f9' }, '/srv/a');
    if (!placed.ok) throw new Error(placed.error.message);
    const files = ansibleProject({
      platform: bambooRemote,
      type: bambooRemoteShell,
      agents: [{ name: 'bb-1', root: '/srv/a', answers: a, files: placed.value.files }],
      appVersion: 't',
      removalNotes: [],
    });
    const byPath = new Map(files.map((f) => [f.path, f]));
    const tasks = parse(byPath.get('roles/bamboo_remote_shell/tasks/rotate.yml')!.text, { version: '1.1' }) as Record<string, unknown>[];
    const locate = tasks.find((t) => 'ansible.builtin.command' in t)!;
    expect(locate).toMatchObject({ check_mode: false, changed_when: false });
    expect((locate['ansible.builtin.command'] as { argv: string[] }).argv[0]).toBe('awk');
    const write = tasks.find((t) => 'ansible.builtin.replace' in t)!;
    expect(write).toMatchObject({ no_log: true, diff: false, 'ansible.builtin.replace': { backup: true } });
    expect(byPath.get('README.md')!.text).toMatch(/read from each host's wrapper\.conf/);
    // A Linux host only, and only the agent home the role's paths name.
    expect(bambooRemoteShell.files({ ...a, agentOs: 'windows' }, { kind: 'token', token: 'f3defca0b1dee4b665fa7471cfe2899d524722f9' }, '').ok).toBe(false);
    const elsewhere = bambooRemoteShell.files({ ...a, agentHome: '/home/bamboo' }, { kind: 'token', token: 'f3defca0b1dee4b665fa7471cfe2899d524722f9' }, '');
    expect(!elsewhere.ok && elsewhere.error.hint).toMatch(/install_root column/);
  });

  it("verify reads the Bamboo agent's latest start (the wrapper's 'Launching a JVM...', in its log and console forms, never a jvm line) and needs the wrapper to say it runs", () => {
    const a = bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' });
    const placed = bambooRemoteShell.files(a, { kind: 'token', token: 'f3defca0b1dee4b665fa7471cfe2899d524722f9' }, '/srv/a');
    if (!placed.ok) throw new Error(placed.error.message);
    const files = ansibleProject({
      platform: bambooRemote,
      type: bambooRemoteShell,
      agents: [{ name: 'bb-1', root: '/srv/a', answers: a, files: placed.value.files }],
      appVersion: 't',
      removalNotes: [],
    });
    const byPath = new Map(files.map((f) => [f.path, f]));
    const vars = parse(byPath.get('roles/bamboo_remote_shell/vars/main.yml')!.text, { version: '1.1' }) as {
      agent_running: string;
      agent_online_signals: { hop: string; pattern: string }[];
    };
    expect(vars.agent_running).toMatch(/bin\/bamboo-agent\.sh status$/);
    const online = parse(byPath.get('roles/bamboo_remote_shell/tasks/online.yml')!.text, { version: '1.1' }) as Record<string, Record<string, string>>[];
    expect(online[0]!.agent_online!.running).toBe('{{ agent_running }}');
    const started = new RegExp(vars.agent_online_signals.find((s) => s.hop === 'started')!.pattern);
    expect(started.test('STATUS | wrapper  | 2017/09/08 16:50:35 | Launching a JVM...')).toBe(true);
    expect(started.test('wrapper  | Launching a JVM...')).toBe(true);
    expect(started.test('INFO   | jvm 1    | 2026/01/02 10:00:00 | echo Launching a JVM...')).toBe(false);
  });

  it.each(['shell', 'docker'])(
    "the Harness %s role asks the delegate's health endpoint at agent_health_urls (default its own 127.0.0.1:3460), inside the container for Docker, and its README says how to set it per host",
    (id) => {
      const type = harness.ansible!.find((t) => t.id === id)!;
      const a = harness.answers.parse({ accountId: 'acme', managerEndpoint: 'https://app.harness.io', delegateName: 'hd-1', imageTag: '26.02.88404' });
      const placed = type.files(a, { kind: 'token', token: 'ZmFrZS1kZWxlZ2F0ZS10b2tlbi12YWx1ZQ==' }, '');
      if (!placed.ok) throw new Error(placed.error.message);
      const files = ansibleProject({
        platform: harness,
        type,
        agents: [{ name: 'hd-1', root: '', answers: a, files: placed.value.files }],
        appVersion: 't',
        removalNotes: [],
      });
      const byPath = new Map(files.map((f) => [f.path, f]));
      const defaults = parse(byPath.get(`roles/harness_${id}/defaults/main.yml`)!.text, { version: '1.1' }) as Record<string, unknown>;
      expect(defaults.agent_health_urls).toEqual({ 'harness-health': 'http://127.0.0.1:3460/api/health' });
      const vars = parse(byPath.get(`roles/harness_${id}/vars/main.yml`)!.text, { version: '1.1' }) as { agent_online_signals: Record<string, unknown>[] };
      const health = vars.agent_online_signals.find((s) => s.kind === 'health')!;
      expect(health).toMatchObject({ hop: 'connected', url: "{{ agent_health_urls['harness-health'] }}" });
      expect(health.exec).toEqual(id === 'docker' ? ['docker', 'exec', '{{ agent_answers.delegateName }}'] : undefined);
      expect(byPath.get('README.md')!.text).toMatch(
        /`agent_health_urls` \(role `harness_\w+` defaults: harness-health: http:\/\/127\.0\.0\.1:3460\/api\/health\)/,
      );
    },
  );

  it('every Ansible install type either rotates or says in its README why not', () => {
    for (const p of PLATFORMS) for (const t of p.ansible ?? []) expect(Boolean(t.rotate) !== Boolean(t.noRotate), `${p.id}/${t.id}`).toBe(true);
  });
});

describe('the agent_online module reads logs like shared/online', () => {
  it("compiles every platform's online and failure patterns in Python", () => {
    const patterns = PLATFORMS.flatMap((p) => [
      ...p.online.flatMap((s) => (s.kind === 'log' ? [s.pattern] : s.kind === 'health' ? [s.ok] : [])),
      ...p.failures.flatMap((f) => f.patterns),
      ...(p.ansible ?? []).flatMap((t) => (t.verifySignals ?? []).map((s) => s.pattern)),
    ]).map(pythonRegex);
    const r = spawnSync(PYTHON, ['-c', 'import json,re,sys\nfor p in json.load(sys.stdin): re.compile(p)\nprint("ok")'], {
      input: JSON.stringify(patterns),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });

  const logs: Record<string, string> = {
    online: [
      'autossh[1]: starting ssh (count 1)',
      'INFO success: tunnel-web entered RUNNING state, process has stayed up for > than 5 seconds (startsecs)',
      'Authenticated to 127.0.0.1 ([127.0.0.1]:2222) using "publickey".',
    ].join('\n'),
    refused: [
      'autossh[1]: starting ssh (count 1)',
      'acme@127.0.0.1: Permission denied (publickey).',
      'autossh[1]: ssh exited with error status 255; restarting ssh',
      'autossh[1]: starting ssh (count 2)',
    ].join('\n'),
    forward: [
      'autossh[1]: starting ssh (count 1)',
      'Authenticated to 127.0.0.1 ([127.0.0.1]:2222) using "publickey".',
      'Warning: remote port forwarding failed for listen port 5001',
    ].join('\n'),
    starting: 'autossh[1]: starting ssh (count 1)',
  };

  it.each(Object.keys(logs))('gives the same hop states as readOnlineLog (%s)', (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-online-py-'));
    try {
      writeFileSync(path.join(dir, 'agent_online.py'), AGENT_ONLINE_MODULE);
      writeFileSync(path.join(dir, 'log'), logs[name]!);
      const { signals, failures } = onlineVars(armorcode);
      const script = `import json, re, sys, time
sys.path.insert(0, ${JSON.stringify(dir)})
import agent_online as m
a = json.load(sys.stdin)
sig = [dict(s, compiled=re.compile(s['pattern']), hold_ms=int(s['hold_ms'])) for s in a['signals'] if s['kind'] == 'log']
fl = [dict(f, compiled=[re.compile(x) for x in f['patterns']]) for f in a['failures']]
print(json.dumps([[h['hop'], h['state']] for h in m.read_log(${JSON.stringify(path.join(dir, 'log'))}, sig, fl, {}, time.time())]))`;
      const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ signals, failures }), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const ts = readOnlineLog('armorcode', logs[name]!).hops.map((h) => [h.hop, h.state]);
      expect(JSON.parse(r.stdout)).toEqual(ts);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with `since` (the log before a restart) reads only what was written after it: a whole earlier run no longer passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-online-since-'));
    try {
      writeFileSync(path.join(dir, 'agent_online.py'), AGENT_ONLINE_MODULE);
      const log = path.join(dir, 'log');
      writeFileSync(log, `${logs.online}\n`);
      const { signals, failures } = onlineVars(armorcode);
      const hops = (since: unknown): [string, string][] => {
        const script = `import json, re, sys, time
sys.path.insert(0, ${JSON.stringify(dir)})
import agent_online as m
a = json.load(sys.stdin)
sig = [dict(s, compiled=re.compile(s['pattern']), hold_ms=0) for s in a['signals'] if s['kind'] == 'log']
fl = [dict(f, compiled=[re.compile(x) for x in f['patterns']]) for f in a['failures']]
print(json.dumps([[h['hop'], h['state']] for h in m.read_log(${JSON.stringify(log)}, sig, fl, {}, time.time(), a['since'])]))`;
        const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ signals, failures, since }), encoding: 'utf8' });
        expect(r.stderr).toBe('');
        return JSON.parse(r.stdout) as [string, string][];
      };
      const st = statSync(log);
      const mark = { exists: true, inode: st.ino, size: st.size };
      // The earlier run alone: passes without a mark (nothing restarted), waits with one.
      expect(hops(null).every(([, s]) => s === 'passed')).toBe(true);
      expect(hops(mark)[0]).toEqual(['started', 'waiting']);
      // The restarted agent's lines after the mark are read: here it is refused.
      appendFileSync(log, `${logs.refused}\n`);
      expect(hops(mark)).toEqual(readOnlineLog('armorcode', logs.refused!).hops.map((h) => [h.hop, h.state]));
      // A log that is a new file (rotated away, or absent before the restart) is read whole.
      rmSync(log);
      writeFileSync(log, `${logs.online}\n`);
      const renewed = statSync(log).ino === mark.inode ? { ...mark, inode: mark.inode + 1 } : mark;
      expect(hops(renewed).every(([, s]) => s === 'passed')).toBe(true);
      expect(hops({ exists: false, inode: 0, size: 0 }).every(([, s]) => s === 'passed')).toBe(true);
      // The same file cut shorter than the mark is read whole too.
      writeFileSync(log, `${logs.starting}\n`);
      expect(hops({ exists: true, inode: statSync(log).ino, size: 1_000_000 })[0]).toEqual(['started', 'passed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the install types' shell lines", () => {
  // Each line is a Jinja template whose only substitutions are `{{ … | quote }}` (a shell word).
  const render = (t: string): string => {
    // One path per distinct template, so shellcheck sees which words are the same file.
    const seen = new Map<string, string>();
    const words = t.replace(/\{\{[^}]*\|\s*quote\s*\}\}/g, (m) => seen.get(m) ?? (seen.set(m, `'/srv/root/p${seen.size}'`), seen.get(m)!));
    return /\{\{|\{%/.test(words) ? jinja(words) : words;
  };
  // Lines that use more of Jinja (the systemd role's units, the files this run changed) are
  // rendered by Jinja itself as Ansible sets it up (trim_blocks, `quote` is shlex.quote), with a
  // host that has two units of which one changed.
  const jinja = (t: string): string => {
    const script = `import json, shlex, sys, jinja2
a = json.load(sys.stdin)
env = jinja2.Environment(trim_blocks=True, undefined=jinja2.StrictUndefined)
env.filters['quote'] = shlex.quote
sys.stdout.write(env.from_string(a['t']).render(**a['vars']))`;
    const units = ['armorcode-tunnel-a.service', 'armorcode-tunnel-b.service'];
    const vars = { agent_units: units, agent_changed: units };
    const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ t, vars }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout;
  };
  const types = PLATFORMS.flatMap((p) => (p.ansible ?? []).map((t) => ({ id: `${p.id}/${t.id}`, t })));

  it.each(types.map((x) => [x.id, x.t] as const))('pass shellcheck as the sh the shell module runs them with (%s)', (_id, t) => {
    for (const [name, line] of Object.entries({
      start: t.start,
      reload: t.reload,
      restart: t.restart,
      stop: t.stop,
      ...(t.running ? { running: t.running } : {}),
    })) {
      const text = render(line);
      expect(text, name).not.toMatch(/\{\{|\{%/);
      const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${text}\n`, encoding: 'utf8' });
      expect(r.stdout, `${name}:\n${text}`).toBe('');
      expect(r.status, name).toBe(0);
    }
  });

  it.each(types.map((x) => [x.id, x.t] as const))('say nothing and change nothing when the service is not running (%s)', (_id, t) => {
    // No pid file, no control socket: reload, restart and stop exit 0 and print none of their words.
    // systemctl is a STAND-IN here (test/support/systemctl-standin.py, with no unit running or
    // enabled): systemd is not PID 1 on these machines, so the real one answers nothing at all.
    const dir = mkdtempSync(path.join(tmpdir(), 'ao-not-running-'));
    try {
      mkdirSync(path.join(dir, 'bin'));
      symlinkSync(path.resolve(import.meta.dirname, '../../../support/systemctl-standin.py'), path.join(dir, 'bin', 'systemctl'));
      for (const line of [t.reload, t.restart, t.stop]) {
        const r = spawnSync('sh', ['-c', render(line.replace(/\{\{[^}]*\|\s*quote\s*\}\}/g, "'/nonexistent/agent-onboard-test'"))], {
          encoding: 'utf8',
          timeout: 30_000,
          env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH ?? ''}`, SYSTEMCTL_STANDIN_DIR: path.join(dir, 'state') },
        });
        expect(r.status, line).toBe(0);
        expect(r.stdout, line).not.toMatch(/reloaded|restarted|stopped|started/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
