import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildkite, buildkiteAnswers, WHICH_TOKEN } from '../../../../../shared/platforms/buildkite';
import { cfgValues, parseCfgLine, renderCfgLine } from '../../../../../shared/platforms/buildkite/cfg';
import type { Generated } from '../../../../../shared/platforms/types';
import { bash, HOSTILE_TOKENS, REFUSED_TOKENS, shellcheck, yamllint } from '../../../../support/rotation';
import { dockerRunEnv, runScript } from '../../../../support/consumers';

const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
const answers = buildkiteAnswers.parse({ name: '%hostname-%spawn', tags: { queue: 'deploy', os: 'linux' } });
const work = mkdtempSync(path.join(tmpdir(), 'buildkite-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gen(variant: string, token = TOKEN, a = answers): Generated {
  const r = buildkite.generate!(a, { kind: 'token', token }, variant);
  if (!r.ok) throw new Error(`${variant}: ${r.error.message}`);
  return r.value;
}
const file = (g: Generated, name: string): string => g.files.find((f) => f.path === name)!.text;

/** The container environment a generated Docker folder gives (script run against a stand-in docker; --env-file read as docker does). */
function dockerEnv(g: Generated): Record<string, string> {
  const run = runScript(work, g.files, 'run-agent.sh', ['docker']);
  const call = run.calls.find((c) => c.command === 'docker' && c.args[0] === 'run');
  if (!call) throw new Error(`docker run was not reached: ${run.stderr}`);
  return dockerRunEnv(call.args, run.dir);
}

describe('buildkite-agent.cfg as the agent reads it (port of cliconfig/file.go)', () => {
  it.each([
    ['token="xxx"', 'token', 'xxx'],
    ['token=xxx', 'token', 'xxx'],
    ['token: xxx', 'token', 'xxx'],
    ['export token="x y"', 'token', 'x y'],
    ['  name = "%hostname-%spawn"  ', 'name', '%hostname-%spawn'],
    ['build-path="C:\\buildkite-agent\\builds"', 'build-path', 'C:\\buildkite-agent\\builds'],
    ['tags="a=b,c=d"', 'tags', 'a=b,c=d'],
    ['token="ab#cd" # trailing comment', 'token', 'ab#cd'],
    ['token=ab # trailing comment', 'token', 'ab'],
    ["token='single'", 'token', 'single'],
    ['token="esc\\"aped"', 'token', '"esc\\"aped"'],
    ['token="line\\nbreak"', 'token', 'line\nbreak'],
    ['experiment="git-mirrors,ansi-timestamps"', 'experiment', 'git-mirrors,ansi-timestamps'],
  ])('%s → %s = %j', (line, key, value) => {
    expect(parseCfgLine(line)).toEqual({ key, value });
  });

  it('reads a whole file: comments, blank lines and CRLF skipped, the later line wins', () => {
    const text = '# c\r\ntoken="a"\r\n\r\n  # token="commented"\r\nname=n\r\ntoken="b"\r\n';
    expect([...cfgValues(text)]).toEqual([
      ['token', 'b'],
      ['name', 'n'],
    ]);
  });

  it.each([...HOSTILE_TOKENS, 'a"b', '"quoted"', "'x'", 'lit\\nnl'])('writes a value it can read back exactly, or refuses it (%#)', (value) => {
    const r = renderCfgLine('token', value);
    if (r.ok) expect(parseCfgLine(r.value)).toEqual({ key: 'token', value });
    else expect(r.error).toMatchObject({ code: 'UNSAFE_VALUE', message: expect.stringContaining('cannot hold this value') });
  });

  it('refuses exactly the values its parser cannot represent', () => {
    expect(renderCfgLine('token', 'a"b').ok).toBe(true); // single quotes hold one double quote
    expect(renderCfgLine('token', '"x"').ok).toBe(false); // quotes at both ends are always trimmed
    expect(renderCfgLine('token', `a"b'c"d'`).ok).toBe(false);
  });
});

describe('Buildkite generators', () => {
  it("cfg: token, name, tags and the three paths, read back by the agent's parser", () => {
    const g = gen('cfg');
    expect(Object.fromEntries(cfgValues(file(g, 'buildkite-agent.cfg')))).toEqual({
      token: TOKEN,
      name: '%hostname-%spawn',
      tags: 'queue=deploy,os=linux',
      'build-path': '/var/lib/buildkite-agent/builds',
      'hooks-path': '/etc/buildkite-agent/hooks',
      'plugins-path': '/etc/buildkite-agent/plugins',
    });
    expect(g.files[0]).toMatchObject({ secret: true, mode: 0o600 });
    expect(g.commands.map((c) => c.command)).toContain('sudo systemctl restart buildkite-agent');
  });

  it('env: an EnvironmentFile (read here by bash, which agrees with systemd on the values it allows) and the drop-in that loads it', () => {
    const g = gen(
      'env',
      TOKEN,
      buildkiteAnswers.parse({ name: 'ci agent 1', tags: { queue: 'q' }, endpoint: 'https://agent.buildkite.com/v3', buildPath: '/srv/builds' }),
    );
    const env = file(g, 'buildkite-agent.env');
    const out = bash(
      `set -a; . /dev/stdin <<'EOF'\n${env}\nEOF\nprintf '%s\\0' "$BUILDKITE_AGENT_TOKEN" "$BUILDKITE_AGENT_NAME" "$BUILDKITE_AGENT_TAGS" "$BUILDKITE_BUILD_PATH" "$BUILDKITE_AGENT_ENDPOINT"`,
    );
    expect(out.split('\0').slice(0, -1)).toEqual([TOKEN, 'ci agent 1', 'queue=q', '/srv/builds', 'https://agent.buildkite.com/v3']);
    expect(file(g, 'buildkite-agent.service.d/agent-onboard.conf')).toContain('EnvironmentFile=/etc/buildkite-agent/buildkite-agent.env');
    expect(g.commands.map((c) => c.command)).toContain('sudo systemctl daemon-reload');
  });

  it('env: refuses a value systemd and shells would read differently', () => {
    const r = buildkite.generate!(buildkiteAnswers.parse({ name: 'it\'s "$(id)"' }), { kind: 'token', token: TOKEN }, 'env');
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSAFE_VALUE' } });
  });

  it('docker: shellcheck-clean, and docker run gets the token and settings exactly', () => {
    const g = gen('docker');
    const script = file(g, 'run-agent.sh');
    expect(shellcheck(script)).toBe('');
    // The token goes through a 0600 --env-file, never on the command line (ps shows arguments).
    expect(script).not.toContain(TOKEN);
    expect(g.files.map((f) => [f.path, f.mode, f.secret])).toEqual([
      ['run-agent.sh', 0o755, false],
      ['agent.env', 0o600, true],
    ]);
    const run = runScript(work, g.files, 'run-agent.sh', ['docker']);
    expect(run.calls.flatMap((c) => c.args).join('\n')).not.toContain(TOKEN);
    expect(dockerEnv(g)).toEqual({ BUILDKITE_AGENT_TOKEN: TOKEN, BUILDKITE_AGENT_NAME: '%hostname-%spawn', BUILDKITE_AGENT_TAGS: 'queue=deploy,os=linux' });
  });

  it('docker: mounts the trusted company CA where the agent loads it, and warns that loopback in a container is the container', () => {
    const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0E=\n-----END CERTIFICATE-----\n';
    const r = buildkite.generate!(answers, { kind: 'token', token: TOKEN }, 'docker', { trustedCa: CA });
    if (!r.ok) throw new Error(r.error.message);
    expect(file(r.value, 'ca-bundle/company-ca.pem')).toBe(CA);
    expect(shellcheck(file(r.value, 'run-agent.sh'))).toBe('');
    const run = runScript(work, r.value.files, 'run-agent.sh', ['docker']);
    const args = run.calls.find((c) => c.args[0] === 'run')!.args;
    expect(args[args.indexOf('-v') + 1]).toBe(`${run.dir}/ca-bundle/company-ca.pem:/usr/local/share/ca-certificates/agent-onboard/company-ca.pem:ro`);
    // Go loads every file of each SSL_CERT_DIR folder, the image's own roots included.
    expect(dockerRunEnv(args, run.dir).SSL_CERT_DIR).toBe('/etc/ssl/certs:/usr/local/share/ca-certificates/agent-onboard');
    expect(runScript(work, gen('docker').files, 'run-agent.sh', ['docker']).calls.find((c) => c.args[0] === 'run')!.args).not.toContain('-v');

    const local = buildkiteAnswers.parse({ name: 'ci', endpoint: 'http://127.0.0.1:8080/v3', proxyUrl: 'http://localhost:3128' });
    expect(gen('docker', TOKEN, local).notes.join('\n')).toContain('127.0.0.1, localhost inside the container is the container itself');
    expect(gen('docker').notes.join('\n')).not.toContain('inside the container');
    expect(gen('env', TOKEN, local).notes.join('\n')).not.toContain('inside the container');
  });

  it('docker: the build, hooks and plugins paths are used, mounted from the host at the same place', () => {
    const a = buildkiteAnswers.parse({ name: 'ci', buildPath: '/srv/builds', hooksPath: '/etc/bk hooks', pluginsPath: '/srv/plugins' });
    const g = gen('docker', TOKEN, a);
    const run = runScript(work, g.files, 'run-agent.sh', ['docker']);
    const args = run.calls.find((c) => c.args[0] === 'run')!.args;
    expect(args.filter((x, i) => args[i - 1] === '-v')).toEqual(['/srv/builds:/srv/builds', '/etc/bk hooks:/etc/bk hooks', '/srv/plugins:/srv/plugins']);
    expect(dockerRunEnv(args, run.dir)).toMatchObject({
      BUILDKITE_BUILD_PATH: '/srv/builds',
      BUILDKITE_HOOKS_PATH: '/etc/bk hooks',
      BUILDKITE_PLUGINS_PATH: '/srv/plugins',
    });
    const r = buildkite.generate!(buildkiteAnswers.parse({ name: 'ci', hooksPath: 'relative:path' }), { kind: 'token', token: TOKEN }, 'docker');
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSAFE_VALUE', message: expect.stringContaining('absolute path without ":"') } });
  });

  it('kubernetes: a Secret with BUILDKITE_AGENT_TOKEN and agent-stack-k8s values pointing at it (no token in the values)', () => {
    const g = gen('kubernetes');
    const docs = parseAllDocuments(file(g, 'buildkite-agent-token-secret.yaml')).map((d) => d.toJS());
    expect(docs[1]).toMatchObject({
      kind: 'Secret',
      metadata: { name: 'buildkite-agent-token', namespace: 'buildkite' },
      stringData: { BUILDKITE_AGENT_TOKEN: TOKEN },
    });
    const values = file(g, 'agent-stack-k8s-values.yaml');
    expect(parse(values)).toEqual({ agentStackSecret: 'buildkite-agent-token', config: { queue: 'deploy', tags: ['os=linux'] } });
    expect(values).not.toContain(TOKEN);
    for (const f of g.files) expect(yamllint(f.text)).toBe('');
    expect(g.commands.map((c) => c.command)).toContain(
      'helm upgrade --install agent-stack-k8s oci://ghcr.io/buildkite/helm/agent-stack-k8s --namespace buildkite --create-namespace -f agent-stack-k8s-values.yaml',
    );
  });

  it('says which pipeline steps reach the agent, and warns when it has no queue tag (it serves "default")', () => {
    for (const v of ['cfg', 'env', 'docker']) expect(gen(v).notes.join('\n')).toContain('Pipeline steps reach this agent with agents: { queue: "deploy" }');
    expect(gen('cfg').notes.join('\n')).toContain('Steps may also ask for os=linux');
    const noQueue = gen('cfg', TOKEN, buildkiteAnswers.parse({ name: 'ci', tags: { os: 'linux' } })).notes.join('\n');
    expect(noQueue).toContain('No queue tag: this agent serves the queue "default"');
    expect(noQueue).toContain('waits until an agent with that queue starts');
  });

  it('writes the proxy where each install type reads it, checks the proxy host too, and refuses credentials in it', () => {
    const proxied = buildkiteAnswers.parse({
      name: 'ci',
      tags: { queue: 'deploy' },
      proxyUrl: 'http://proxy.corp.example:3128',
      noProxy: ' .corp.example, 10.0.0.5 ,',
    });
    const env = bash(
      `set -a; . /dev/stdin <<'EOF'\n${file(gen('env', TOKEN, proxied), 'buildkite-agent.env')}\nEOF\nprintf '%s|%s|%s' "$HTTPS_PROXY" "$HTTP_PROXY" "$NO_PROXY"`,
    );
    expect(env).toBe('http://proxy.corp.example:3128|http://proxy.corp.example:3128|.corp.example,10.0.0.5');
    expect(dockerEnv(gen('docker', TOKEN, proxied))).toMatchObject({ HTTPS_PROXY: 'http://proxy.corp.example:3128', NO_PROXY: '.corp.example,10.0.0.5' });
    const cfg = gen('cfg', TOKEN, proxied);
    expect(file(cfg, 'buildkite-agent.service.d/proxy.conf')).toBe(
      '# The HTTP(S) proxy of the Buildkite agent, generated by Agent Onboard.\n[Service]\nEnvironment="HTTPS_PROXY=http://proxy.corp.example:3128"\nEnvironment="HTTP_PROXY=http://proxy.corp.example:3128"\nEnvironment="NO_PROXY=.corp.example,10.0.0.5"\n',
    );
    const cmds = cfg.commands.map((c) => c.command);
    expect(cmds).toContain('sudo install -D -m 644 buildkite-agent.service.d/proxy.conf /etc/systemd/system/buildkite-agent.service.d/proxy.conf');
    expect(cmds).toContain('sudo systemctl daemon-reload');
    expect(gen('cfg').files.map((f) => f.path)).toEqual(['buildkite-agent.cfg']);
    expect(buildkite.endpoints(proxied).map((e) => [e.id, e.host, e.port, e.protocol])).toEqual([
      ['agent-api', 'agent-edge.buildkite.com', 443, 'https'],
      ['proxy', 'proxy.corp.example', 3128, 'tcp'],
    ]);
    expect(buildkiteAnswers.safeParse({ name: 'ci', proxyUrl: 'http://user:pw@proxy:3128' }).success).toBe(false);
    expect(buildkiteAnswers.safeParse({ name: 'ci', noProxy: 'a b' }).success).toBe(false);
  });

  it('says how to remove each install type later (shellcheck-clean), never deleting the namespace for you', () => {
    const removal = (v: string, a = answers): string[] => gen(v, TOKEN, a).removal!.commands.map((c) => c.command);
    expect(removal('cfg')).toEqual(['sudo systemctl disable --now buildkite-agent', 'sudo rm /etc/buildkite-agent/buildkite-agent.cfg']);
    expect(removal('cfg', buildkiteAnswers.parse({ name: 'ci', proxyUrl: 'http://proxy:3128' }))[2]).toBe(
      'sudo rm /etc/systemd/system/buildkite-agent.service.d/proxy.conf && sudo systemctl daemon-reload',
    );
    expect(removal('env')[1]).toBe(
      'sudo rm /etc/buildkite-agent/buildkite-agent.env /etc/systemd/system/buildkite-agent.service.d/agent-onboard.conf && sudo systemctl daemon-reload',
    );
    expect(removal('docker')).toEqual(['docker rm -f buildkite-agent']);
    expect(removal('kubernetes')).toEqual([
      'helm uninstall agent-stack-k8s --namespace buildkite',
      'kubectl delete secret buildkite-agent-token --namespace buildkite',
    ]);
    for (const v of buildkite.variants) expect(shellcheck(`#!/bin/bash\n${removal(v.id).join('\n')}\n`), v.id).toBe('');
  });

  it('says which token this is on every install type', () => {
    for (const v of buildkite.variants) expect(gen(v.id).notes).toContain(WHICH_TOKEN);
    expect(WHICH_TOKEN).toMatch(/registration/);
    expect(WHICH_TOKEN).toMatch(/bkaa_/);
  });

  it.each([
    ['bkua_0123456789abcdef0123456789abcdef01234567', 'API access token'],
    ['bkaa_0123456789abcdef0123456789abcdef01234567', 'session token'],
    ['bkaj_0123456789abcdef0123456789abcdef01234567', 'job token'],
  ])('refuses %s, naming it a %s', (token, kind) => {
    const r = buildkite.generate!(answers, { kind: 'token', token }, 'cfg');
    expect(r).toMatchObject({ ok: false, error: { code: 'TOKEN_WRONG_KIND', message: expect.stringContaining(kind) } });
  });

  it.each(HOSTILE_TOKENS.concat(['%hostname "quoted" \'name\'']))(
    'writes a hostile name so each format reads it back, or refuses it with a reason (%#)',
    (name) => {
      const parsed = buildkiteAnswers.safeParse({ name, tags: { queue: 'x' } });
      if (!parsed.success) {
        expect(name.length).toBeGreaterThan(200); // only over-long names stop at the schema
        return;
      }
      const a = parsed.data;
      const cfg = buildkite.generate!(a, { kind: 'token', token: TOKEN }, 'cfg');
      if (cfg.ok) expect(cfgValues(file(cfg.value, 'buildkite-agent.cfg')).get('name')).toBe(name);
      else expect(cfg.error.code).toBe('UNSAFE_VALUE');
      const docker = buildkite.generate!(a, { kind: 'token', token: TOKEN }, 'docker');
      expect(docker.ok).toBe(true);
      if (docker.ok) {
        expect(shellcheck(file(docker.value, 'run-agent.sh'))).toBe('');
        expect(dockerEnv(docker.value).BUILDKITE_AGENT_NAME).toBe(name);
      }
      const env = buildkite.generate!(a, { kind: 'token', token: TOKEN }, 'env');
      if (env.ok) expect(bash(`set -a; . /dev/stdin <<'EOF'\n${file(env.value, 'buildkite-agent.env')}\nEOF\nprintf '%s' "$BUILDKITE_AGENT_NAME"`)).toBe(name);
      else expect(env.error.code).toBe('UNSAFE_VALUE');
    },
  );

  it.each(REFUSED_TOKENS)('refuses a token with a line break, control character or padding (%j)', (token) => {
    for (const v of buildkite.variants) expect(buildkite.generate!(answers, { kind: 'token', token }, v.id).ok).toBe(false);
  });

  it.each([
    [{ name: 'a\nb' }],
    [{ name: 'x', tags: { 'bad key': 'v' } }],
    [{ name: 'x', tags: { queue: 'a,b' } }],
    [{ name: 'x', tags: { queue: 'a\nb' } }],
    [{ name: 'x', buildPath: '/a\n/b' }],
    [{ name: 'x', endpoint: 'ftp://x' }],
  ])('refuses answers that could break a file: %j', (raw) => {
    expect(buildkiteAnswers.safeParse(raw).success).toBe(false);
  });
});

describe('Buildkite rotation of generated installs', () => {
  const NEW = 'f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a596877';
  it.each(['cfg', 'env', 'docker', 'kubernetes'])('rotating a %s install gives the files a fresh generate would', (variant) => {
    const before = gen(variant);
    const after = gen(variant, NEW);
    for (const f of before.files.filter((x) => x.text.includes(TOKEN))) {
      const updater = buildkite.updaters.find((u) => u.detect(f.path, f.text));
      expect(updater, f.path).toBeDefined();
      const r = updater!.rotate(f.text, NEW);
      expect(r.ok && r.value.text, f.path).toBe(after.files.find((x) => x.path === f.path)!.text);
    }
  });
});
