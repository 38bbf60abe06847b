import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildkite } from '../../../../shared/platforms/buildkite';
import { cfgValues, renderCfgLine, renderCfgValue } from '../../../../shared/platforms/buildkite/cfg';
import { ENV_SAFE } from '../../../../shared/edit/env-file';
import { harness } from '../../../../shared/platforms/harness';
import { harnessBase64Inner } from '../../../../shared/platforms/harness/common';
import type { AnyPlatform } from '../../../../shared/platforms/types';
import { base64Utf8 } from '../../../../shared/edit/values';
import { bash, HOSTILE_TOKENS, putBack, REFUSED_TOKENS } from '../../../support/rotation';

const work = mkdtempSync(path.join(tmpdir(), 'rotation-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a script with `docker` and `buildkite-agent` standing in, returning every argument they got. */
function argsOf(script: string): string[] {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const stub = '#!/usr/bin/env bash\nprintf \'%s\\0\' "$@" >> "$OUT"\n';
  for (const n of ['docker', 'buildkite-agent', 'helm']) writeFileSync(path.join(dir, n), stub, { mode: 0o755 });
  writeFileSync(path.join(dir, 'out'), '');
  bash(script.replace(/\r\n/g, '\n'), { PATH: `${dir}:${process.env.PATH}`, OUT: path.join(dir, 'out'), TOKEN: 'from-env' });
  return readFileSync(path.join(dir, 'out'), 'utf8').split('\0').slice(0, -1);
}
const envArgs = (args: string[], name: string): string[] =>
  args.filter((a, i) => (args[i - 1] === '-e' || args[i - 1] === '--env') && a.startsWith(`${name}=`)).map((a) => a.slice(name.length + 1));
const docs = (text: string): Record<string, any>[] => parseAllDocuments(text).map((d) => d.toJS()); // eslint-disable-line @typescript-eslint/no-explicit-any

interface Case {
  platform: AnyPlatform;
  file: string;
  updater: string;
  text: string;
  /** Every token value in the file, read the way its consumer reads the file. */
  tokens(text: string): string[];
  /** What those values must be after rotating to `token` (default: the token everywhere). */
  want?(token: string): string[];
  /** Further checks of the rotated text. */
  after?(text: string): void;
  /** Tokens this format cannot hold, which it must refuse (every other one must round-trip). */
  cannotHold?(token: string): boolean;
  count: number;
}

/** Secret `data` holds base64: Harness's token in the form it shows is kept, anything else (the decoded 32-hex form too) is encoded. */
const harnessData = (token: string): string => (harnessBase64Inner(token) !== undefined ? token : base64Utf8(token));

const K8S = [
  '# delegate manifest, hand-edited',
  'apiVersion: v1',
  'kind: Secret',
  'metadata: {name: d-account-token, namespace: ns}',
  'type: Opaque',
  'data:',
  '  DELEGATE_TOKEN: "b2xk"   # base64 of old',
  '---',
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: d-upgrader-token',
  'stringData:',
  "  UPGRADER_TOKEN: 'old'",
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: d',
  '  namespace: ns',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: delegate',
  '        envFrom:',
  '        - secretRef:',
  '            name: d-account-token',
  '        env:',
  '          - name: ACCOUNT_SECRET',
  '            value: old',
  '          - name: HARNESS_TOKEN',
  '            valueFrom:',
  '              secretKeyRef: {name: elsewhere, key: token}',
  '',
].join('\r\n');

const CASES: Case[] = [
  {
    platform: harness,
    file: 'harness-delegate.yaml',
    updater: 'harness-kubernetes',
    text: K8S,
    tokens: (t) => {
      const d = docs(t);
      return [d[0]!.data.DELEGATE_TOKEN, d[1]!.stringData.UPGRADER_TOKEN, d[2]!.spec.template.spec.containers[0].env[0].value];
    },
    want: (token) => [harnessData(token), token, token],
    count: 3,
  },
  {
    platform: harness,
    file: 'values.yaml',
    updater: 'harness-helm',
    text: '# values\ndelegateName: d\naccountId: acc\ndelegateToken: old  # set me\nmanagerEndpoint: https://app.harness.io\nupgrader:\n  enabled: true\ncustom_envs:\n  - name: DELEGATE_TOKEN\n    value: "old"\n',
    tokens: (t) => {
      const v = parse(t);
      return [v.delegateToken, v.custom_envs[0].value];
    },
    count: 2,
  },
  {
    platform: harness,
    file: 'run-delegate.sh',
    updater: 'harness-script',
    text: '#!/usr/bin/env bash\r\n# launch\r\nTOKEN_FROM_ENV="$TOKEN"\r\ndocker run -d --name del \\\r\n  -e DELEGATE_TOKEN=old \\\r\n  --env "UPGRADER_TOKEN=old" \\\r\n  -e ACCOUNT_SECRET=\'old\' \\\r\n  -e DELEGATE_NAME=d harness/delegate:1\r\n',
    tokens: (t) => {
      const a = argsOf(t);
      return [...envArgs(a, 'DELEGATE_TOKEN'), ...envArgs(a, 'UPGRADER_TOKEN'), ...envArgs(a, 'ACCOUNT_SECRET')];
    },
    count: 3,
  },
  {
    platform: harness,
    file: 'task-spec.json',
    updater: 'harness-ecs',
    text: '{\r\n\t"family": "harness-delegate-task-spec",\r\n\t"containerDefinitions": [\r\n\t\t{\r\n\t\t\t"name": "d",\r\n\t\t\t"environment": [\r\n\t\t\t\t{ "name": "DELEGATE_TOKEN", "value": "old" },\r\n\t\t\t\t{ "name": "NEXT_GEN", "value": "true" }\r\n\t\t\t]\r\n\t\t}\r\n\t]\r\n}\r\n',
    tokens: (t) => [JSON.parse(t).containerDefinitions[0].environment[0].value],
    count: 1,
  },
  {
    platform: harness,
    file: 'config-watcher.yml',
    updater: 'harness-shell-config',
    text: 'accountId: acc\r\naccountSecret: old\r\nmanagerUrl: https://app.harness.io/api/\r\ndoUpgrade: true\r\n',
    tokens: (t) => [parse(t).delegateToken ?? parse(t).accountSecret],
    after: (t) => expect(parse(t)).not.toHaveProperty('accountSecret'),
    count: 2,
  },
  {
    platform: harness,
    file: 'delegate/config-delegate.yml',
    updater: 'harness-shell-config',
    text: 'accountId: acc\naccountSecret: old\nmanagerUrl: https://app.harness.io/api/\ndelegateToken: old\nheartbeatIntervalMs: 50000\n',
    tokens: (t) => [parse(t).delegateToken ?? parse(t).accountSecret],
    after: (t) => expect(parse(t)).not.toHaveProperty('accountSecret'),
    count: 2,
  },
  {
    platform: harness,
    file: 'docker-compose.yml',
    updater: 'harness-compose',
    text: 'services:\n  delegate:\n    image: harness/delegate:1\n    environment:\n      DELEGATE_TOKEN: old\n      ACCOUNT_ID: acc\n  upgrader:\n    environment:\n      - UPGRADER_TOKEN=old\n      - PASSTHROUGH\n',
    tokens: (t) => {
      const v = parse(t);
      return [v.services.delegate.environment.DELEGATE_TOKEN, v.services.upgrader.environment[0].slice('UPGRADER_TOKEN='.length)];
    },
    count: 2,
  },
  {
    platform: buildkite,
    file: 'buildkite-agent.cfg',
    updater: 'buildkite-cfg',
    text: '# The token\r\ntoken = \'old\'  # the agent token\r\nname="%hostname-%spawn"\r\nexport token="old"\r\nbuild-path="C:\\buildkite-agent\\builds"\r\n',
    tokens: (t) => [cfgValues(t).get('token')!],
    // The first token line keeps its comment, which narrows what it can hold.
    // The agent expands $NAME / ${NAME} in its cfg: such a token would not reach it as written.
    cannotHold: (t) => /\$\{?[A-Za-z_]/.test(t) || !renderCfgValue('token', 'token = ', t, "'", '  # the agent token').ok || !renderCfgLine('token', t).ok,
    count: 2,
  },
  {
    platform: buildkite,
    file: 'buildkite-agent.service',
    updater: 'buildkite-systemd',
    text: '[Unit]\nDescription=Buildkite Agent\n\n[Service]\nEnvironment="BUILDKITE_AGENT_TOKEN=old"\nEnvironment=HOME=/var/lib/buildkite-agent BUILDKITE_AGENT_TOKEN=old\nExecStart=/usr/bin/buildkite-agent start\n',
    tokens: (t) => [...t.matchAll(/BUILDKITE_AGENT_TOKEN=([^"\s]*)/g)].map((m) => m[1]!),
    cannotHold: (t) => !ENV_SAFE.test(t) || t.includes('%'),
    count: 2,
  },
  {
    platform: buildkite,
    file: 'agent.env',
    updater: 'buildkite-env-file',
    text: '# env\nBUILDKITE_AGENT_NAME=a\nexport BUILDKITE_AGENT_TOKEN="old"\n',
    tokens: (t) => [bash(`set -a; . /dev/stdin <<'EOF'\n${t}\nEOF\nprintf '%s' "$BUILDKITE_AGENT_TOKEN"`)],
    cannotHold: (t) => !ENV_SAFE.test(t),
    count: 1,
  },
  {
    platform: buildkite,
    file: 'start-agent.sh',
    updater: 'buildkite-script',
    text: '#!/bin/sh\ndocker run -d -e BUILDKITE_AGENT_TOKEN="old" buildkite/agent:3\nbuildkite-agent start --token old --name x\nbuildkite-agent start --token=\'old\'\n',
    tokens: (t) => {
      const a = argsOf(t);
      return [
        ...envArgs(a, 'BUILDKITE_AGENT_TOKEN'),
        ...a.filter((x, i) => a[i - 1] === '--token'),
        ...a.filter((x) => x.startsWith('--token=')).map((x) => x.slice(8)),
      ];
    },
    count: 3,
  },
  {
    platform: buildkite,
    file: 'k8s/secret.yaml',
    updater: 'buildkite-yaml',
    text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bk\n  namespace: buildkite\ndata:\n  BUILDKITE_AGENT_TOKEN: b2xk\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bk2\nstringData:\n  BUILDKITE_AGENT_TOKEN: "old"\n',
    tokens: (t) => {
      const d = docs(t);
      return [d[0]!.data.BUILDKITE_AGENT_TOKEN, d[1]!.stringData.BUILDKITE_AGENT_TOKEN];
    },
    want: (token) => [base64Utf8(token), token],
    count: 2,
  },
  {
    platform: buildkite,
    file: 'values.yaml',
    updater: 'buildkite-yaml',
    text: '# agent-stack-k8s\nagentToken: ""\nconfig:\n  queue: kubernetes\n',
    tokens: (t) => [parse(t).agentToken],
    count: 1,
  },
];

describe.each(CASES)('$updater on $file', (c) => {
  const updater = (): NonNullable<ReturnType<typeof c.platform.updaters.find>> => {
    const u = c.platform.updaters.find((x) => x.detect(c.file, c.text));
    expect(u?.id).toBe(c.updater);
    return u!;
  };

  it('changes only the token values, byte for byte (CRLF, comments, quoting and other values stay)', () => {
    const NEW = 'TmV3VG9rZW4tMDEyMzQ1Njc4OWFiY2RlZg==';
    const r = updater().rotate(c.text, NEW);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.changes).toHaveLength(c.count);
    if (!c.updater.startsWith('harness-shell-config')) expect(putBack(c.text, r.value.text, r.value.changes)).toBe(c.text);
    expect(c.tokens(r.value.text)).toEqual(c.want?.(NEW) ?? Array(c.tokens(c.text).length).fill(NEW));
    c.after?.(r.value.text);
    if (c.text.includes('\r\n'))
      expect(
        r.value.text
          .split('\n')
          .slice(0, -1)
          .every((l) => l.endsWith('\r')),
      ).toBe(true);
    const again = updater().rotate(r.value.text, NEW);
    expect(again.ok && again.value.text).toBe(r.value.text);
  });

  it.each(HOSTILE_TOKENS)('writes a hostile token so the install reads back exactly it, or refuses it with a reason (%#)', (token) => {
    const r = updater().rotate(c.text, token);
    expect(r.ok, r.ok ? '' : r.error.message).toBe(!c.cannotHold?.(token));
    if (!r.ok) {
      expect(r.error.code).toBe('UNSAFE_VALUE');
      expect(r.error.message.length).toBeGreaterThan(20);
      return;
    }
    expect(c.tokens(r.value.text)).toEqual(c.want?.(token) ?? Array(c.tokens(c.text).length).fill(token));
    c.after?.(r.value.text);
  });

  it.each(REFUSED_TOKENS)('refuses %j', (token) => {
    const r = updater().rotate(c.text, token);
    expect(r.ok).toBe(false);
  });
});

describe('what updaters report instead of editing', () => {
  it('Harness: a token taken from elsewhere is a note, not an edit', () => {
    const u = harness.updaters.find((x) => x.id === 'harness-kubernetes')!;
    const r = u.rotate(K8S, 'TkVX');
    expect(r.ok && r.value.notes).toContainEqual(expect.stringContaining('HARNESS_TOKEN in Deployment d comes from Secret elsewhere (key token)'));
    const helm = harness.updaters.find((x) => x.id === 'harness-helm')!;
    const values = 'delegateName: d\naccountId: a\nmanagerEndpoint: https://app.harness.io\ndelegateToken: ""\nexistingDelegateToken: my-secret\n';
    const h = helm.rotate(values, 'TkVX');
    expect(h.ok && h.value).toMatchObject({ text: values, changes: [], notes: [expect.stringContaining('Secret "my-secret"')] });
    const script = harness.updaters.find((x) => x.id === 'harness-script')!;
    const s = script.rotate('#!/bin/sh\ndocker run -e DELEGATE_TOKEN="$TOKEN" harness/delegate\n', 'TkVX');
    expect(s.ok && s.value.notes).toEqual([expect.stringContaining('DELEGATE_TOKEN on line 2 is taken from $TOKEN')]);
  });

  it("Harness: the vendor's old start.sh is migrated with its config (grep and echo), and running it writes the new token", () => {
    const start = '#!/bin/bash\nif ! `grep accountSecret config-watcher.yml > /dev/null`; then\n  echo "accountSecret: 0123abcd" >> config-watcher.yml\nfi\n';
    const u = harness.updaters.find((x) => x.detect('start.sh', start))!;
    expect(u.id).toBe('harness-script');
    for (const token of ['TkVXVG9rZW4=', ...HOSTILE_TOKENS]) {
      const r = u.rotate(start, token);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.text).toContain('grep delegateToken config-watcher.yml');
      const dir = mkdtempSync(path.join(work, 'start-'));
      writeFileSync(path.join(dir, 'config-watcher.yml'), 'accountId: acc\n');
      bash(`cd '${dir}' && ${r.value.text.split('\n').slice(1).join('\n')}`);
      expect(parse(readFileSync(path.join(dir, 'config-watcher.yml'), 'utf8'))).toEqual({ accountId: 'acc', delegateToken: token });
    }
  });

  it('Buildkite: a commented-out token and a file:// token are reported, not touched', () => {
    const u = buildkite.updaters.find((x) => x.id === 'buildkite-cfg')!;
    const commented = '# The token\n#token="xxx"\nname="a"\n';
    expect(u.rotate(commented, 'abc')).toMatchObject({
      ok: true,
      value: { text: commented, changes: [], notes: [expect.stringContaining('commented out in this file (line 2)')] },
    });
    const file = 'token="file:///etc/buildkite-agent/token"\n';
    expect(u.rotate(file, 'abc')).toMatchObject({
      ok: true,
      value: { text: file, changes: [], notes: [expect.stringContaining('file:///etc/buildkite-agent/token')] },
    });
  });

  it('Buildkite: a cfg line the agent itself cannot read is a parse error, and nothing is changed', () => {
    const u = buildkite.updaters.find((x) => x.id === 'buildkite-cfg')!;
    expect(u.rotate('token="a"\nthis line has no separator\n', 'abc')).toMatchObject({
      ok: false,
      error: { code: 'PARSE_ERROR', message: expect.stringContaining('line 2') },
    });
  });

  it('an env file refuses a value Docker, systemd and shells would read differently', () => {
    const u = buildkite.updaters.find((x) => x.id === 'buildkite-env-file')!;
    expect(u.rotate('BUILDKITE_AGENT_TOKEN=old\n', 'a b"c')).toMatchObject({ ok: false, error: { code: 'UNSAFE_VALUE' } });
  });

  it('broken YAML is refused with its line, not edited', () => {
    const u = harness.updaters.find((x) => x.id === 'harness-kubernetes')!;
    expect(u.rotate('kind: Secret\ndata:\n  DELEGATE_TOKEN: [unclosed\n', 'TkVX')).toMatchObject({ ok: false, error: { code: 'PARSE_ERROR' } });
  });

  it('gives restart commands filled in from the file', () => {
    const k = harness.updaters.find((x) => x.id === 'harness-kubernetes')!;
    const cmds = k.commandsFor!(K8S, '/srv/harness-delegate.yaml').map((c) => c.command);
    expect(cmds).toEqual(
      expect.arrayContaining([
        'kubectl apply -f /srv/harness-delegate.yaml',
        'kubectl rollout restart deployment/d -n ns',
        'kubectl rollout status deployment/d -n ns --timeout=10m',
      ]),
    );
    expect(cmds.join('\n')).toContain("kubectl get secret d-account-token -n ns -o jsonpath='{.data.DELEGATE_TOKEN}' | base64 -d | sha256sum");
    const d = harness.updaters.find((x) => x.id === 'harness-script')!;
    expect(d.commandsFor!(CASES[2]!.text, '/opt/run-delegate.sh').map((c) => c.command)).toEqual([
      'docker rm -f del',
      'bash /opt/run-delegate.sh',
      "docker exec del printenv DELEGATE_TOKEN | tr -d '\\n' | sha256sum",
      'docker logs --since 10m -f del',
    ]);
  });
});
