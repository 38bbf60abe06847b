/**
 * Every generated and every rotated file, read the way its consumer reads it, must hand the agent
 * the token (issue 11's principle). It runs over every platform, variant and token place, and
 * every token shape each platform accepts (Harness's decoded 32-hex form, tokens full of + / =,
 * digits only). Rotation runs over PLATFORMS and each platform's `updaters`: an updater without a
 * sample here fails the suite, so updaters added later must come with one.
 *
 * Consumers: Kubernetes Secrets (data base64-decoded, stringData as is) and YAML read as YAML 1.1
 * by PyYAML (Kubernetes and Helm read 1.1); JSON; buildkite-agent.cfg by the port of the agent's
 * parser; env files by docker's --env-file rules and systemd's EnvironmentFile rules; systemd
 * Environment= by systemd's word rules; scripts run by bash with docker, helm, java and
 * buildkite-agent replaced by stand-ins printing their arguments, `helm --set` read by helm's
 * pkg/strvals rules, `docker run` by docker's env rules. Ports cite their source in
 * test/support/consumers.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import type { AnyPlatform, Artifact, Generated } from '../../../../shared/platforms/types';
import { parse as parseToml } from 'smol-toml';
import { checkToken } from '../../../../shared/tokens';
import { cfgValues } from '../../../../shared/platforms/buildkite/cfg';
import { harnessBase64Inner } from '../../../../shared/platforms/harness/common';
import { dockerEnvFile, dockerRunEnv, hasPyYaml, helmSet, readYaml11, readYaml11Js, runScript, secretValues, systemdEnvFile } from '../../../support/consumers';

const work = mkdtempSync(path.join(tmpdir(), 'consumers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every shape of token each platform accepts. */
const SHAPES: Record<string, string[]> = {
  'bamboo-remote': ['f3defca0b1dee4b665fa7471cfe2899d524722f9', 'F3DEFCA0B1DEE4B665FA7471CFE2899D524722F9', '1234567890123456789012345678901234567890'],
  buildkite: ['a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4g5', '1234567890123456', '-starts_with-dash_0123', 'x'.repeat(255)],
  'gitlab-runner': ['glrt-AbCdEfGhIjKlMnOpQrSt1234', 'glrt-t1_AbCdEfGhIjKlMnOpQrSt', 'glrt-t3_ab-cd_ef.01.1a2b3c4d5e6f7g8h'],
  harness: [
    Buffer.from('df4eb412d2f4458a61faa668a4301104').toString('base64'), // as Harness shows it
    'df4eb412d2f4458a61faa668a4301104', // decoded
    '12345678901234567890123456789012', // decoded, digits only
    Buffer.from('>>>???~~~>>>???~~~>>?').toString('base64'), // full of + / =
  ],
};

/** Names under which a token sits in YAML, JSON, env lists and scripts. */
const TOKEN_KEYS = new Set(['runner-token', 'delegateToken', 'upgraderToken', 'agentToken', 'token', 'accountSecret', 'DELEGATE_TOKEN', 'UPGRADER_TOKEN', 'ACCOUNT_SECRET', 'HARNESS_TOKEN', 'BUILDKITE_AGENT_TOKEN']);

/** A token place and the value its consumer reads there. */
interface Place {
  where: string;
  value: unknown;
  /** Secret `data`: Kubernetes decoded it before the agent sees it. */
  data?: boolean;
}

/** What the agent must see at a place: the token, or, from a Secret's data, the token inside Harness's base64 form. */
function expected(platform: string, token: string, place: Place): string {
  return place.data && platform === 'harness' ? (harnessBase64Inner(token) ?? token) : token;
}

/** Token places in parsed YAML/JSON documents: Secrets' data and stringData, token keys, env lists. */
function docPlaces(docs: unknown[], file: string): Place[] {
  const out: Place[] = [];
  const walk = (node: unknown, where: string, inSecret: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (typeof item === 'string' && /^[A-Z_]+=/.test(item) && TOKEN_KEYS.has(item.slice(0, item.indexOf('=')))) out.push({ where: `${where}[${i}]`, value: item.slice(item.indexOf('=') + 1) });
        walk(item, `${where}[${i}]`, inSecret);
      });
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.name === 'string' && TOKEN_KEYS.has(o.name) && 'value' in o) out.push({ where: `${where} env ${o.name}`, value: o.value });
      for (const [k, v] of Object.entries(o)) {
        if (TOKEN_KEYS.has(k) && !inSecret) out.push({ where: `${where}.${k}`, value: v });
        walk(v, `${where}.${k}`, inSecret);
      }
    }
  };
  docs.forEach((d, i) => {
    const doc = d as Record<string, unknown> | null;
    if (doc?.kind === 'Secret') {
      const fromData = new Set(Object.keys(doc.data ?? {}));
      for (const [k, v] of Object.entries(secretValues(doc))) if (TOKEN_KEYS.has(k)) out.push({ where: `${file} Secret ${k}`, value: v, data: fromData.has(k) });
      walk(doc, `${file}#${i}`, true);
    } else walk(doc, `${file}#${i}`, false);
  });
  return out;
}

/** YAML as Kubernetes and Helm read it: YAML 1.1 (PyYAML when present, else the yaml package's 1.1 schema). */
function yaml11(text: string): unknown[] {
  if (!hasPyYaml()) return readYaml11Js(text);
  const [r] = readYaml11([text]);
  if (!r || 'error' in r) throw new Error(`YAML 1.1 reader refused it: ${r ? r.error : '?'}`);
  return r.docs;
}

/** The Java Service Wrapper's view of wrapper.conf: the app parameter after the /agentServer/ URL (or after -t). */
function wrapperToken(text: string): Place[] {
  const params = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*wrapper\.app\.parameter\.(\d+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) params.set(Number(m[1]), m[2]!);
  }
  const url = [...params].find(([, v]) => v.endsWith('/agentServer/'))?.[0];
  if (url === undefined) return [];
  const next = params.get(url + 1);
  return [{ where: 'wrapper.conf', value: next === '-t' ? params.get(url + 2) : next }];
}

/** Token places of a script, by running it with stand-ins (docker, helm, java, buildkite-agent, curl). */
function scriptPlaces(files: Pick<Artifact, 'path' | 'text' | 'mode'>[], script: string): Place[] {
  const run = runScript(work, files, script, ['docker', 'helm', 'java', 'buildkite-agent', 'curl', 'kubectl']);
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  const out: Place[] = [];
  for (const c of run.calls) {
    const a = c.args;
    if (c.command === 'docker' && a[0] === 'run') {
      for (const [k, v] of Object.entries(dockerRunEnv(a, run.dir))) if (TOKEN_KEYS.has(k)) out.push({ where: `${script}: docker run ${k}`, value: v });
    }
    if (c.command === 'helm') {
      a.forEach((arg, i) => {
        if (a[i - 1] !== '--set' && a[i - 1] !== '--set-string') return;
        for (const [k, v] of Object.entries(helmSet(arg, a[i - 1] === '--set-string'))) if (TOKEN_KEYS.has(k)) out.push({ where: `${script}: helm ${a[i - 1]} ${k}`, value: v });
      });
    }
    if (c.command === 'java' && a.includes('-t')) out.push({ where: `${script}: java -t`, value: a[a.indexOf('-t') + 1] });
    if (c.command === 'buildkite-agent') {
      a.forEach((arg, i) => {
        if (arg === '--token') out.push({ where: `${script}: buildkite-agent --token`, value: a[i + 1] });
        else if (arg.startsWith('--token=')) out.push({ where: `${script}: buildkite-agent --token=`, value: arg.slice(8) });
      });
    }
  }
  return out;
}

/** The token variables of an environment read from a file. */
function envPlaces(env: Record<string, string>, where: string): Place[] {
  return Object.entries(env)
    .filter(([k]) => TOKEN_KEYS.has(k))
    .map(([k, v]) => ({ where: `${where} ${k}`, value: v }));
}

/** Every token place of a generated install, each read by its consumer. */
/** GitLab Runner's config.toml as the runner reads it (TOML 1.0): each [[runners]] entry's token. */
function tomlPlaces(text: string, file: string): Place[] {
  const runners = (parseToml(text) as { runners?: { token?: unknown }[] }).runners ?? [];
  return runners.map((r, i) => ({ where: `${file} runners[${i}].token`, value: r.token }));
}

function generatedPlaces(g: Generated): Place[] {
  const all = g.files;
  const envFilesOfDocker = new Set(all.flatMap((f) => [...f.text.matchAll(/--env-file "\$HERE\/([^"]+)"/g)].map((m) => m[1]!)));
  const out: Place[] = [];
  for (const f of all) {
    if (/\.ya?ml$/.test(f.path)) out.push(...docPlaces(yaml11(f.text), f.path));
    else if (/\.json$/.test(f.path)) out.push(...docPlaces([JSON.parse(f.text)], f.path));
    else if (/\.cfg$/.test(f.path)) out.push({ where: f.path, value: cfgValues(f.text).get('token') });
    else if (/\.toml$/.test(f.path)) out.push(...tomlPlaces(f.text, f.path));
    else if (envFilesOfDocker.has(f.path)) out.push(...envPlaces(dockerEnvFile(f.text), `${f.path} (docker --env-file)`));
    else if (/\.env$/.test(f.path)) out.push(...envPlaces(systemdEnvFile(f.text), `${f.path} (systemd EnvironmentFile)`));
    else if (/^(run-.*|install-bamboo-agent)\.sh$/.test(f.path)) {
      const jar = { path: 'atlassian-bamboo-agent-installer-9.6.2.jar', text: 'jar', mode: 0o644 };
      out.push(...scriptPlaces([...all, jar], f.path));
    }
  }
  return out;
}

const ANSWERS: Record<string, Record<string, unknown>> = {
  'bamboo-remote': { serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' },
  buildkite: { name: 'ci-%spawn', tags: { queue: 'deploy' } },
  'gitlab-runner': { url: 'https://gitlab.example.com', name: 'edge "1"', proxyUrl: 'http://proxy.corp.example:3128' },
  harness: { accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404', proxyUrl: 'http://proxy.corp.example:3128' },
};

const tokenPlatforms = PLATFORMS.filter((p) => p.credential.kind === 'token');

describe('the token shapes tried are the ones each platform accepts', () => {
  it.each(tokenPlatforms.map((p) => p.id))('%s', (id) => {
    expect(SHAPES[id], `add the token shapes of ${id}`).toBeDefined();
    const credential = PLATFORMS.find((p) => p.id === id)!.credential;
    for (const t of SHAPES[id]!) expect(credential.kind === 'token' && checkToken(credential.token, t).verdict, t).toBe('ok');
  });
});

describe('generated files hand the agent exactly the token, read as each consumer reads them', () => {
  const cases = tokenPlatforms.flatMap((p) => p.variants.flatMap((v) => (SHAPES[p.id] ?? []).map((token) => [p.id, v.id, token] as const)));
  it.each(cases)('%s %s %s', (id, variant, token) => {
    const p: AnyPlatform = PLATFORMS.find((x) => x.id === id)!;
    const r = p.generate!(p.answers.parse(ANSWERS[p.id]), { kind: 'token', token }, variant);
    if (!r.ok) throw new Error(r.error.message);
    const places = generatedPlaces(r.value);
    // Bamboo's "existing" variant writes no token (it edits the home's wrapper.conf by rotation).
    if (!(p.id === 'bamboo-remote' && variant === 'existing')) expect(places.length, 'no token place found').toBeGreaterThan(0);
    for (const place of places) expect(place.value, place.where).toBe(expected(p.id, token, place));
    // A file is secret because it holds the token.
    for (const f of r.value.files) if (!f.secret) expect(f.text.includes(token), `${f.path} holds the token but is not secret`).toBe(false);
  });
});

/** One existing file per updater, holding `OLD` where the token goes. */
const OLD = 'b2xkLXRva2VuLW9mLXRoZS1hZ2VudC0wMDAx';
const OLD_HEX = '0123456789abcdef0123456789abcdef01234567';
function generatedFile(platform: string, variant: string, file: string, token: string): string {
  const p = PLATFORMS.find((x) => x.id === platform)!;
  const r = p.generate!(p.answers.parse(ANSWERS[platform]), { kind: 'token', token }, variant);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.files.find((f) => f.path === file)!.text;
}

/** A sample per updater id: its file name and text. Add one for every new updater. */
const SAMPLES: Record<string, () => { file: string; text: string }> = {
  'bamboo-wrapper-conf': () => ({
    file: 'conf/wrapper.conf',
    text: `wrapper.java.command=java\nwrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\nwrapper.app.parameter.3=${OLD_HEX}\n`,
  }),
  'buildkite-cfg': () => ({ file: 'buildkite-agent.cfg', text: generatedFile('buildkite', 'cfg', 'buildkite-agent.cfg', 'a1b2c3d4e5f6a7b8c9d0e1f2old0') }),
  'buildkite-env-file': () => ({ file: 'buildkite-agent.env', text: generatedFile('buildkite', 'env', 'buildkite-agent.env', 'a1b2c3d4e5f6a7b8c9d0e1f2old0') }),
  'buildkite-systemd': () => ({ file: 'buildkite-agent.service', text: '[Unit]\nDescription=agent\n[Service]\nEnvironment="BUILDKITE_AGENT_TOKEN=oldtokenoldtoken"\nEnvironment=BUILDKITE_AGENT_NAME=ci\nExecStart=/usr/bin/buildkite-agent start\n' }),
  'buildkite-script': () => ({
    file: 'start-agent.sh',
    text: '#!/usr/bin/env bash\nset -eu\ndocker run -d -e BUILDKITE_AGENT_TOKEN=oldtokenoldtoken buildkite/agent:3\nbuildkite-agent start --token "oldtokenoldtoken"\nhelm upgrade --install agent-stack-k8s oci://ghcr.io/buildkite/helm/agent-stack-k8s --set agentToken=oldtokenoldtoken\n',
  }),
  'buildkite-yaml': () => ({ file: 'buildkite-agent-token-secret.yaml', text: generatedFile('buildkite', 'kubernetes', 'buildkite-agent-token-secret.yaml', 'a1b2c3d4e5f6a7b8c9d0e1f2old0') }),
  'harness-kubernetes': () => ({ file: 'harness-delegate.yaml', text: generatedFile('harness', 'kubernetes', 'harness-delegate.yaml', OLD) }),
  'harness-compose': () => ({
    file: 'docker-compose.yml',
    text: `services:\n  delegate:\n    image: harness/delegate:26.02.88404\n    environment:\n      - DELEGATE_NAME=d\n      - DELEGATE_TOKEN=${OLD}\n`,
  }),
  'harness-helm': () => ({ file: 'values.yaml', text: `delegateName: d\naccountId: acc\ndelegateToken: ${OLD}\nmanagerEndpoint: https://app.harness.io\nupgrader:\n  enabled: true\n` }),
  'harness-ecs': () => ({ file: 'harness-delegate-task-spec.json', text: generatedFile('harness', 'ecs', 'harness-delegate-task-spec.json', OLD) }),
  'harness-shell-config': () => ({ file: 'config-delegate.yml', text: generatedFile('harness', 'shell', 'config-delegate.yml', OLD) }),
  'harness-script': () => ({
    file: 'install.sh',
    text: `#!/usr/bin/env bash\nset -eu\ndocker run -d -e DELEGATE_NAME=d -e DELEGATE_TOKEN=${OLD} harness/delegate:26.02.88404\nhelm upgrade -i d --namespace harness-delegate-ng harness-delegate/harness-delegate-ng --set delegateName=d --set delegateToken=${OLD}\n`,
  }),
  'gitlab-runner-config-toml': () => ({ file: 'config.toml', text: generatedFile('gitlab-runner', 'package', 'config.toml', 'glrt-OldOldOldOldOldOldOld1') }),
  'harness-env-file': () => ({ file: 'delegate.env', text: generatedFile('harness', 'docker', 'delegate.env', OLD) }),
};

/** Token places of a rotated file, read by the consumer of its kind. */
function rotatedPlaces(updater: string, file: string, text: string): Place[] {
  if (updater === 'bamboo-wrapper-conf') return wrapperToken(text);
  if (/\.ya?ml$/.test(file)) return docPlaces(yaml11(text), file);
  if (/\.json$/.test(file)) return docPlaces([JSON.parse(text)], file);
  if (/\.cfg$/.test(file)) return [{ where: file, value: cfgValues(text).get('token') }];
  if (/\.toml$/.test(file)) return tomlPlaces(text, file);
  if (/\.service$/.test(file)) return systemdEnvironment(text);
  if (/\.sh$/.test(file)) return scriptPlaces([{ path: file, text, mode: 0o755 }], file);
  // Env files are read by docker --env-file and by systemd's EnvironmentFile alike: both must agree.
  const places: Place[] = [];
  for (const [k, v] of Object.entries(dockerEnvFile(text))) if (TOKEN_KEYS.has(k)) places.push({ where: `${file} (docker)`, value: v });
  for (const [k, v] of Object.entries(systemdEnvFile(text))) if (TOKEN_KEYS.has(k)) places.push({ where: `${file} (systemd)`, value: v });
  return places;
}

/**
 * `Environment=` lines as systemd splits them (src/basic/extract-word.c with EXTRACT_UNQUOTE |
 * EXTRACT_CUNESCAPE): words separated by blanks, "…" and '…' quoting, C escapes inside.
 */
function systemdEnvironment(text: string): Place[] {
  const out: Place[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Environment\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const words: string[] = [];
    let cur = '';
    let quote = '';
    let any = false;
    const src = m[1]!;
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') cur += src[++i] ?? '';
        else cur += c;
      } else if (c === '"' || c === "'") [quote, any] = [c, true];
      else if (c === ' ' || c === '\t') {
        if (any || cur) words.push(cur);
        [cur, any] = ['', false];
      } else if (c === '\\') cur += src[++i] ?? '';
      else cur += c;
    }
    if (quote) throw new Error(`systemd: unterminated quote in ${line}`);
    if (any || cur) words.push(cur);
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq > 0 && TOKEN_KEYS.has(w.slice(0, eq))) out.push({ where: `Environment= ${w.slice(0, eq)}`, value: w.slice(eq + 1) });
    }
  }
  return out;
}

describe('rotated files hand the agent exactly the new token, read as each consumer reads them', () => {
  const updaters = PLATFORMS.flatMap((p) => p.updaters.map((u) => [p, u.id] as const));
  it('every updater of every platform has a sample here', () => {
    for (const [p, id] of updaters) expect(SAMPLES[id], `${p.id} updater ${id} has no sample in consumer-reading.test.ts: add one`).toBeDefined();
  });
  const cases = updaters.filter(([, id]) => SAMPLES[id]).flatMap(([p, id]) => (SHAPES[p.id] ?? []).map((token) => [p.id, id, token] as const));
  it.each(cases)('%s %s %s', (platform, id, token) => {
    const p: AnyPlatform = PLATFORMS.find((x) => x.id === platform)!;
    const updater = p.updaters.find((u) => u.id === id)!;
    const sample = SAMPLES[id]!();
    expect(updater.detect(sample.file, sample.text), 'the updater must recognise its sample').toBe(true);
    const before = rotatedPlaces(id, sample.file, sample.text);
    expect(before.length, 'the sample holds no token place').toBeGreaterThan(0);
    const r = updater.rotate(sample.text, token);
    if (!r.ok) throw new Error(`${id} refused an accepted token: ${r.error.message}`);
    const after = rotatedPlaces(id, sample.file, r.value.text);
    // Every place is still there (a flag may change form: --set to --set-string, --token X to --token=X).
    expect(after.length).toBe(before.length);
    for (const place of after) expect(place.value, place.where).toBe(expected(p.id, token, place));
  });
});

describe('the consumer readers themselves', () => {
  it('read helm --set by pkg/strvals rules: "," separates, "\\" escapes, "=" in a value is literal, --set types', () => {
    expect(helmSet('a=b=,c=d\\,e', false)).toEqual({ a: 'b=', c: 'd,e' });
    expect(helmSet('x.y=1,z=true,w=012', false)).toEqual({ x: { y: 1 }, z: true, w: '012' });
    expect(helmSet('z=true', true)).toEqual({ z: 'true' });
    expect(helmSet('l={a,b}', true)).toEqual({ l: ['a', 'b'] });
  });
  it('read env files as docker (literal) and systemd (quotes, escapes) do', () => {
    expect(dockerEnvFile('# c\n  A="q"\nB=x y \n')).toEqual({ A: '"q"', B: 'x y ' });
    expect(systemdEnvFile('# c\n; c\nexport A="q\\"x"\nB=\'a b\'\nC=x\\ y\n')).toEqual({ A: 'q"x', B: 'a b', C: 'x y' });
  });
  it('read YAML as 1.1 (on is true there) and Secret data base64-decoded', () => {
    expect(yaml11('a: on\n')).toEqual([{ a: true }]);
    expect(secretValues({ data: { K: Buffer.from('v').toString('base64') }, stringData: { S: 's' } })).toEqual({ K: 'v', S: 's' });
    expect(() => secretValues({ data: { K: 'not base64!' } })).toThrow(/not base64/);
    expect(parseAllDocuments('a: 1').length).toBe(1);
  });
});
