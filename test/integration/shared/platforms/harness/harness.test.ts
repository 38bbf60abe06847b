import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, harnessAnswers } from '../../../../../shared/platforms/harness';
import type { Generated } from '../../../../../shared/platforms/types';
import { harnessBase64Inner } from '../../../../../shared/platforms/harness/common';
import { HOSTILE_TOKENS, REFUSED_TOKENS, shellcheck, yamllint } from '../../../../support/rotation';
import { dockerRunEnv, secretValues } from '../../../../support/consumers';

const TOKEN = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY='; // base64, as Harness shows it
const answers = harnessAnswers.parse({
  accountId: 'px7xd_BFRCi-pfWPYXVjvw',
  managerEndpoint: 'https://app.harness.io/gratis/',
  delegateName: 'build-delegate',
  imageTag: '26.02.88404',
  proxyUrl: 'http://proxy.corp.example:3128',
  noProxy: '.corp.example, 10.0.0.5',
  tags: 'linux, prod',
});
const work = mkdtempSync(path.join(tmpdir(), 'harness-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gen(variant: string, token = TOKEN, a = answers): Generated {
  const r = harness.generate!(a, { kind: 'token', token }, variant);
  if (!r.ok) throw new Error(`${variant}: ${r.error.message}`);
  return r.value;
}
const file = (g: Generated, name: string): string => g.files.find((f) => f.path === name)!.text;

/**
 * Runs a generated Docker folder (script, env file, CA) against a stand-in `docker` that records its
 * arguments; `env` is the container's environment as docker builds it from --env-file and -e.
 */
function dockerArgs(g: Generated, exists = false): { status: number; args: string[]; stderr: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(work, 'docker-'));
  writeFileSync(
    path.join(dir, 'docker'),
    '#!/usr/bin/env bash\nif [ "$1" = container ] && [ "$2" = inspect ]; then exit "$FAKE_INSPECT"; fi\nprintf \'%s\\0\' "$@" > "$FAKE_OUT"\n',
  );
  chmodSync(path.join(dir, 'docker'), 0o755);
  for (const f of g.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.text, { mode: f.mode });
  }
  const out = path.join(dir, 'args');
  const r = spawnSync('bash', [path.join(dir, 'run-delegate.sh')], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_OUT: out, FAKE_INSPECT: exists ? '0' : '1' },
  });
  let args: string[] = [];
  try {
    args = readFileSync(out, 'utf8').split('\0').slice(0, -1);
  } catch {
    // not run
  }
  return { status: r.status ?? -1, args, stderr: r.stderr, env: args.length ? dockerRunEnv(args, dir) : {} };
}

describe('Harness generators', () => {
  it('Kubernetes: the token in both Secrets (data, as Harness shows it), container "delegate", upgrader aimed at the Deployment', () => {
    const g = gen('kubernetes');
    const text = file(g, 'harness-delegate.yaml');
    expect(yamllint(text)).toBe('');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const byKind = (k: string) => docs.filter((d) => d.kind === k);
    expect(byKind('Secret').map((s) => [s.metadata.name, s.data])).toEqual([
      ['build-delegate-account-token', { DELEGATE_TOKEN: TOKEN }],
      ['build-delegate-upgrader-token', { UPGRADER_TOKEN: TOKEN }],
    ]);
    const dep = byKind('Deployment')[0]!;
    const container = dep.spec.template.spec.containers[0];
    expect(container.name).toBe('delegate');
    expect(container.image).toBe('harness/delegate:26.02.88404');
    expect(container.envFrom).toEqual([{ secretRef: { name: 'build-delegate-account-token' } }]);
    const env = Object.fromEntries(
      container.env.filter((e: { value?: string }) => 'value' in e).map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      ACCOUNT_ID: 'px7xd_BFRCi-pfWPYXVjvw',
      MANAGER_HOST_AND_PORT: 'https://app.harness.io/gratis',
      LOG_STREAMING_SERVICE_URL: 'https://app.harness.io/gratis/log-service/',
      DELEGATE_TAGS: 'linux,prod',
      PROXY_HOST: 'proxy.corp.example',
      PROXY_PORT: '3128',
      NO_PROXY: '.corp.example,10.0.0.5',
      NEXT_GEN: 'true',
    });
    const upgrader = parse(byKind('ConfigMap')[0]!.data['config.yaml']);
    expect(upgrader).toMatchObject({ workloadName: dep.metadata.name, containerName: 'delegate', namespace: 'harness-delegate-ng' });
    expect(g.files[0]).toMatchObject({ secret: true, mode: 0o600 });
  });

  it('Helm: the token in Secrets of its own, values that only name them (no secret), and commands that never carry the token', () => {
    const g = gen('helm');
    const values = parse(file(g, 'harness-delegate-values.yaml'));
    expect(values).toMatchObject({
      delegateName: 'build-delegate',
      accountId: 'px7xd_BFRCi-pfWPYXVjvw',
      existingDelegateToken: 'build-delegate-token',
      managerEndpoint: 'https://app.harness.io/gratis',
      delegateDockerImage: 'harness/delegate:26.02.88404',
      upgrader: { enabled: true, existingUpgraderToken: 'build-delegate-upgrader-secret' },
    });
    expect(values.custom_envs).toContainEqual({ name: 'PROXY_HOST', value: 'proxy.corp.example' });
    expect(file(g, 'harness-delegate-values.yaml')).not.toContain(TOKEN);
    expect(g.files.find((f) => f.path === 'harness-delegate-values.yaml')).toMatchObject({ secret: false, mode: 0o644 });
    const secrets = parseAllDocuments(file(g, 'harness-delegate-secrets.yaml')).map((d) => d.toJS());
    expect(secrets).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'build-delegate-token', namespace: 'harness-delegate-ng' },
        type: 'Opaque',
        stringData: { DELEGATE_TOKEN: TOKEN },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'build-delegate-upgrader-secret', namespace: 'harness-delegate-ng' },
        type: 'Opaque',
        stringData: { UPGRADER_TOKEN: TOKEN },
      },
    ]);
    expect(g.files.find((f) => f.path === 'harness-delegate-secrets.yaml')).toMatchObject({ secret: true, mode: 0o600 });
    for (const f of g.files) expect(yamllint(f.text)).toBe('');
    const cmds = g.commands.map((c) => c.command);
    expect(cmds.indexOf('kubectl apply -f harness-delegate-secrets.yaml')).toBeLessThan(cmds.findIndex((c) => c.startsWith('helm upgrade -i')));
    expect(cmds).toContain(
      'helm upgrade -i build-delegate --namespace harness-delegate-ng --create-namespace harness-delegate/harness-delegate-ng -f harness-delegate-values.yaml',
    );
    expect(cmds.join('\n')).not.toContain(TOKEN);
  });

  it('Helm: Secret names stay within the 63 characters the chart keeps, for the longest delegate name', () => {
    const name = `d${'x'.repeat(61)}z`;
    const r = harness.generate!(
      harnessAnswers.parse({ accountId: 'acc', delegateName: name, imageTag: '26.02.88404' }),
      { kind: 'token', token: TOKEN },
      'helm',
    );
    const values = parse(r.ok ? r.value.files.find((f) => f.path === 'harness-delegate-values.yaml')!.text : '');
    for (const n of [values.existingDelegateToken, values.upgrader.existingUpgraderToken]) expect(n.length).toBeLessThanOrEqual(63);
    expect(values.existingDelegateToken).not.toBe(values.upgrader.existingUpgraderToken);
  });

  it('Docker: shellcheck-clean script whose docker run gets exactly the documented environment', () => {
    const g = gen('docker');
    const script = file(g, 'run-delegate.sh');
    expect(shellcheck(script)).toBe('');
    // The token never reaches the command line (ps shows it): it is in the 0600 env file.
    expect(script).not.toContain(TOKEN);
    expect(g.files.map((f) => [f.path, f.mode, f.secret])).toEqual([
      ['run-delegate.sh', 0o755, false],
      ['delegate.env', 0o600, true],
    ]);
    const run = dockerArgs(g);
    expect(run.status).toBe(0);
    expect(run.args.slice(0, 7)).toEqual(['run', '-d', '--name', 'build-delegate', '--restart', 'unless-stopped', '--cpus=1']);
    expect(run.args.join('\n')).not.toContain(TOKEN);
    expect(run.args.at(-1)).toBe('harness/delegate:26.02.88404');
    expect(run.env).toEqual({
      DELEGATE_NAME: 'build-delegate',
      NEXT_GEN: 'true',
      DELEGATE_TYPE: 'DOCKER',
      ACCOUNT_ID: 'px7xd_BFRCi-pfWPYXVjvw',
      DELEGATE_TOKEN: TOKEN,
      DELEGATE_TAGS: 'linux,prod',
      LOG_STREAMING_SERVICE_URL: 'https://app.harness.io/gratis/log-service/',
      MANAGER_HOST_AND_PORT: 'https://app.harness.io/gratis',
      PROXY_HOST: 'proxy.corp.example',
      PROXY_PORT: '3128',
      PROXY_SCHEME: 'http',
      PROXY_MANAGER: 'true',
      NO_PROXY: '.corp.example,10.0.0.5',
    });
    const again = dockerArgs(g, true);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('ECS: a task definition JSON with the delegate environment (DEPLOY_MODE=KUBERNETES as documented)', () => {
    const g = gen('ecs');
    const td = JSON.parse(file(g, 'harness-delegate-task-spec.json'));
    expect(td).toMatchObject({ family: 'harness-delegate-task-spec', requiresCompatibilities: ['EC2'], cpu: '1024', memory: '2048' });
    const env = Object.fromEntries(td.containerDefinitions[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ DELEGATE_TOKEN: TOKEN, DEPLOY_MODE: 'KUBERNETES', DELEGATE_TYPE: 'DOCKER', ACCOUNT_ID: 'px7xd_BFRCi-pfWPYXVjvw' });
    expect(g.commands[0]!.command).toBe('aws ecs register-task-definition --cli-input-json file://harness-delegate-task-spec.json');
  });

  it('shell: configs hold the token (0600), scripts hold none, pass shellcheck, and start and stop a watcher', () => {
    const g = gen('shell');
    expect(g.files.map((f) => [f.path, f.secret, f.mode])).toEqual([
      ['start.sh', false, 0o755],
      ['stop.sh', false, 0o755],
      ['config-watcher.yml', true, 0o600],
      ['config-delegate.yml', true, 0o600],
    ]);
    for (const f of ['config-watcher.yml', 'config-delegate.yml']) {
      expect(parse(file(g, f))).toMatchObject({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateToken: TOKEN, managerUrl: 'https://app.harness.io/gratis/api/' });
      expect(yamllint(file(g, f))).toBe('');
    }
    for (const f of ['start.sh', 'stop.sh']) {
      expect(shellcheck(file(g, f))).toBe('');
      expect(file(g, f)).not.toContain(TOKEN);
    }
    // A stand-in java that stays up with the watcher's arguments, as the real watcher would.
    const dir = mkdtempSync(path.join(work, 'shell-'));
    for (const f of g.files) writeFileSync(path.join(dir, f.path), f.text, { mode: f.mode });
    writeFileSync(path.join(dir, 'watcher.jar'), '');
    writeFileSync(path.join(dir, 'java'), '#!/usr/bin/env bash\nexec -a "java $*" sleep 60\n', { mode: 0o755 });
    const env = { PATH: process.env.PATH!, JAVA: path.join(dir, 'java') };
    const started = spawnSync('bash', ['start.sh'], { cwd: dir, encoding: 'utf8', env });
    expect(started.stdout).toContain('Watcher started');
    expect(execFileSync('pgrep', ['-f', '--', `-Dwatchersourcedir=${dir}`], { encoding: 'utf8' }).trim()).not.toBe('');
    expect(spawnSync('bash', ['start.sh'], { cwd: dir, encoding: 'utf8', env }).stdout).toContain('already running');
    const stopped = spawnSync('bash', ['stop.sh'], { cwd: dir, encoding: 'utf8', env });
    expect(stopped.status).toBe(0);
    expect(spawnSync('pgrep', ['-f', '--', `-Dwatchersourcedir=${dir}`]).status).toBe(1);
    rmSync(path.join(dir, 'watcher.jar'));
    const missing = spawnSync('bash', ['start.sh'], { cwd: dir, encoding: 'utf8', env });
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringContaining('watcher.jar is missing')]);
  });

  it.each(HOSTILE_TOKENS)('writes a hostile token so every install type reads it back exactly (%#)', (token) => {
    const k8s = parseAllDocuments(file(gen('kubernetes', token), 'harness-delegate.yaml')).map((d) => d.toJS());
    // What the delegate gets from each Secret (data base64-decoded): the token, or the token inside the base64 form Harness shows.
    const seen = k8s.filter((d) => d.kind === 'Secret').map((d) => Object.values(secretValues(d))[0]);
    expect(seen).toEqual(Array(2).fill(harnessBase64Inner(token) ?? token));
    expect(parseAllDocuments(file(gen('helm', token), 'harness-delegate-secrets.yaml')).map((d) => Object.values(d.toJS().stringData)[0])).toEqual([
      token,
      token,
    ]);
    expect(
      JSON.parse(file(gen('ecs', token), 'harness-delegate-task-spec.json')).containerDefinitions[0].environment.find(
        (e: { name: string }) => e.name === 'DELEGATE_TOKEN',
      ).value,
    ).toBe(token);
    for (const f of ['config-watcher.yml', 'config-delegate.yml']) expect(parse(file(gen('shell', token), f)).delegateToken).toBe(token);
    const docker = gen('docker', token);
    expect(shellcheck(file(docker, 'run-delegate.sh'))).toBe('');
    expect(dockerArgs(docker).env.DELEGATE_TOKEN).toBe(token);
  });

  it.each(REFUSED_TOKENS)('refuses a token with a line break, control character or padding (%j), writing nothing', (token) => {
    for (const v of harness.variants) {
      const r = harness.generate!(answers, { kind: 'token', token }, v.id);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['UNSAFE_VALUE', 'TOKEN_INVALID']).toContain(r.error.code);
    }
  });

  it('names a token of another service instead of writing it', () => {
    const r = harness.generate!(answers, { kind: 'token', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, 'docker');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'TOKEN_WRONG_KIND', message: expect.stringContaining('GitHub token') });
  });

  it.each([
    ['delegateName', 'my delegate'],
    ['delegateName', 'x\nkind: Secret'],
    ['delegateName', '$(id)'],
    ['accountId', 'a"b'],
    ['imageTag', 'v1; rm -rf /'],
    ['proxyUrl', 'http://user:pw@proxy:3128'],
    ['proxyUrl', 'http://proxy:3128/"x'],
    ['noProxy', 'a.example,$(id)'],
    ['tags', 'a\nb'],
    ['namespace', 'Bad_NS'],
  ])('refuses answers that could break a file: %s = %j', (key, value) => {
    expect(harnessAnswers.safeParse({ accountId: 'acc', delegateName: 'd', [key]: value }).success).toBe(false);
  });

  it('says how to remove each install type later, with the names it generated (shellcheck-clean)', () => {
    const removal = (v: string): string[] => gen(v).removal!.commands.map((c) => c.command);
    expect(removal('kubernetes')).toEqual(['kubectl delete -f harness-delegate.yaml']);
    expect(removal('helm')).toEqual(['helm uninstall build-delegate -n harness-delegate-ng', 'kubectl delete -f harness-delegate-secrets.yaml']);
    expect(removal('docker')).toEqual(['docker rm -f build-delegate']);
    expect(removal('ecs')[0]).toBe('aws ecs delete-service --cluster default --service build-delegate --force');
    expect(removal('shell')).toEqual(['cd /opt/harness-delegate && ./stop.sh']);
    for (const v of harness.variants) {
      expect(gen(v.id).removal!.notes.join(' '), v.id).toContain('Revoke the delegate token');
      expect(shellcheck(`#!/bin/bash\n${removal(v.id).join('\n')}\n`), v.id).toBe('');
    }
    expect(gen('kubernetes').removal!.notes[0]).toContain('includes the Namespace harness-delegate-ng');
  });

  it('mounts the company CA where the delegate loads it (Kubernetes, Helm, Docker), as root, and leaves the installs alone without one', () => {
    const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0E=\n-----END CERTIFICATE-----\n';
    const withCa = (v: string): Generated => {
      const r = harness.generate!(answers, { kind: 'token', token: TOKEN }, v, { trustedCa: CA });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    // Docker: the script runs as root with ca-bundle/ beside it mounted read-only.
    const docker = withCa('docker');
    expect(file(docker, 'ca-bundle/company-ca.pem')).toBe(CA);
    expect(shellcheck(file(docker, 'run-delegate.sh'))).toBe('');
    const run = dockerArgs(docker);
    const at = run.args.indexOf('-u');
    expect(run.args.slice(at, at + 4)).toEqual(['-u', 'root', '-v', expect.stringMatching(/\/ca-bundle:\/opt\/harness-delegate\/ca-bundle:ro$/)]);
    expect(dockerArgs(gen('docker')).args).not.toContain('-u');
    // Kubernetes: a Secret with the CA, mounted at the same folder (the manifest runs as root already).
    const k8s = parseAllDocuments(file(withCa('kubernetes'), 'harness-delegate.yaml')).map((d) => d.toJS());
    expect(k8s.find((d) => d.metadata?.name === 'build-delegate-ca-bundle')).toMatchObject({ kind: 'Secret', stringData: { 'company-ca.pem': CA } });
    const pod = k8s.find((d) => d.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'ca-bundle', secret: { secretName: 'build-delegate-ca-bundle' } }]);
    expect(pod.containers[0]).toMatchObject({
      securityContext: { runAsUser: 0 },
      volumeMounts: [{ name: 'ca-bundle', mountPath: '/opt/harness-delegate/ca-bundle/', readOnly: true }],
    });
    expect(yamllint(file(withCa('kubernetes'), 'harness-delegate.yaml'))).toBe('');
    // Helm: the chart's delegateCustomCa names a third Secret; the delegate runs as root.
    const helm = withCa('helm');
    expect(parse(file(helm, 'harness-delegate-values.yaml'))).toMatchObject({
      delegateCustomCa: { secretName: 'build-delegate-ca-bundle' },
      securityContext: { runAsRoot: true },
    });
    expect(parseAllDocuments(file(helm, 'harness-delegate-secrets.yaml')).map((d) => d.toJS().metadata.name)).toEqual([
      'build-delegate-token',
      'build-delegate-upgrader-secret',
      'build-delegate-ca-bundle',
    ]);
    expect(parse(file(gen('helm'), 'harness-delegate-values.yaml')).delegateCustomCa).toBeUndefined();
  });

  it('Docker: warns that a loopback manager or proxy address inside the container is the container', () => {
    const local = harnessAnswers.parse({ ...answers, managerEndpoint: 'https://127.0.0.1:8443', proxyUrl: 'http://[::1]:3128' });
    expect(gen('docker', TOKEN, local).notes.join('\n')).toContain('127.0.0.1, ::1 inside the container is the container itself');
    expect(gen('docker').notes.join('\n')).not.toContain('inside the container');
  });

  it('Kubernetes: a decoded (32-hex) token is base64-encoded in the Secrets, so Kubernetes hands the delegate exactly it', () => {
    const HEX = '0123456789abcdef0123456789abcdef';
    const g = gen('kubernetes', HEX);
    const secrets = parseAllDocuments(file(g, 'harness-delegate.yaml'))
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'Secret');
    expect(secrets.map((d) => secretValues(d))).toEqual([{ DELEGATE_TOKEN: HEX }, { UPGRADER_TOKEN: HEX }]);
    expect(g.notes.join('\n')).toContain('the decoded token, base64-encoded so the delegate gets it exactly');
    // The base64 form goes in as Harness's own manifest has it: the delegate gets the token it encodes.
    const shown = parseAllDocuments(file(gen('kubernetes'), 'harness-delegate.yaml'))
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'Secret');
    expect(secretValues(shown[0])).toEqual({ DELEGATE_TOKEN: Buffer.from(TOKEN, 'base64').toString() });
  });

  it('rotation says per file when a place changes token form, with what the delegate will see', () => {
    const HEX = '0123456789abcdef0123456789abcdef';
    const env = harness.updaters.find((u) => u.id === 'harness-env-file')!;
    const r = env.rotate(`ACCOUNT_SECRET=${HEX}\n`, TOKEN);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.notes?.join('\n')).toMatch(
      /ACCOUNT_SECRET.*line 1.*the decoded form \(32 hexadecimal characters\) of its token; from now on it sees the base64 form Harness shows/,
    );
    // A manifest written before the fix: the decoded token raw in data, which Kubernetes turned into garbage.
    const broken = file(gen('kubernetes'), 'harness-delegate.yaml').replaceAll(TOKEN, HEX);
    const k8s = harness.updaters.find((u) => u.id === 'harness-kubernetes')!;
    const fixed = k8s.rotate(broken, TOKEN);
    if (!fixed.ok) throw new Error(fixed.error.message);
    expect(fixed.value.notes?.filter((n) => n.includes('unreadable bytes'))).toHaveLength(2);
    // Same form before and after: nothing to say.
    const same = env.rotate(`DELEGATE_TOKEN=${TOKEN}\n`, 'bmV3dG9rZW4tZm9yLXRoZS1kZWxlZ2F0ZS0wMDAx');
    expect(same.ok && (same.value.notes ?? []).some((n) => n.includes('form'))).toBe(false);
  });

  it('needs the account ID, the delegate name and the image tag: no delegate version is assumed', () => {
    const missing = harnessAnswers.safeParse({ accountId: 'acc', delegateName: 'd' });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path.join('.'))).toEqual(['imageTag']);
    const a = harnessAnswers.parse({ accountId: 'acc', delegateName: 'd', imageTag: '26.02.88404' });
    expect(a).toMatchObject({ managerEndpoint: 'https://app.harness.io', imageTag: '26.02.88404', namespace: 'harness-delegate-ng' });
    expect(harness.generate!(a, { kind: 'token', token: TOKEN }, 'nope')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});

describe('Harness rotation of generated installs', () => {
  const NEW = 'bmV3dG9rZW4tZm9yLXRoZS1kZWxlZ2F0ZS0wMDAx';
  it.each(['kubernetes', 'helm', 'docker', 'ecs', 'shell'])('rotating a %s install gives the files a fresh generate would', (variant) => {
    const before = gen(variant);
    const after = gen(variant, NEW);
    for (const f of before.files) {
      const updater = harness.updaters.find((u) => u.detect(f.path, f.text));
      if (!f.text.includes(TOKEN)) continue;
      expect(updater, f.path).toBeDefined();
      const r = updater!.rotate(f.text, NEW);
      expect(r.ok && r.value.text, f.path).toBe(after.files.find((x) => x.path === f.path)!.text);
      const again = updater!.rotate(r.ok ? r.value.text : '', NEW);
      expect(again.ok && again.value.changes, `${f.path} twice`).toEqual([]);
    }
  });
});
