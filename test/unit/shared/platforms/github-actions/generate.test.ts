import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { githubActions, githubActionsAnswers } from '../../../../../shared/platforms/github-actions';
import { quoteCmd as cmdWord, quotePs1 as psWord, quoteSh as shWord } from '../../../../../shared/escape';
import { readCmdArg, readPs1SingleQuoted } from '../../../../support/escape-readers';
import type { Generated } from '../../../../../shared/platforms/types';

const REG = 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W';
const PAT = `github_pat_11ABCDEFG0${'x'.repeat(72)}`;
const HOSTILE = `it's "a" $(touch /tmp/pwn) \`id\` %PATH% !x! & | < > ^ ; ‘q’`;

function gen(answers: Record<string, unknown>, variant: string, token = REG, trustedCa?: string): Generated {
  const r = githubActions.generate!(githubActionsAnswers.parse(answers), { kind: 'token', token }, variant, trustedCa ? { trustedCa } : undefined);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const file = (g: Generated, p: string) => g.files.find((f) => f.path === p)!;

const psRead = readPs1SingleQuoted;
const cmdRead = (w: string) => readCmdArg(w);

describe('a Linux runner', () => {
  const a = {
    url: 'https://github.com/octo-org/octo-repo',
    runnerName: 'build-01',
    labels: 'linux, gpu',
    runnerVersion: '2.329.0',
    proxyUrl: 'http://proxy.internal:3128',
    noProxy: '.corp.example, 10.0.0.5, 10.0.0.0/8',
  };
  const g = gen(a, 'linux');

  it('writes the token only into a 0600 secret file, never into the script or a command', () => {
    expect(file(g, 'runner-token')).toMatchObject({ text: `${REG}\n`, mode: 0o600, secret: true });
    for (const f of g.files.filter((x) => x.path !== 'runner-token')) expect(f.text).not.toContain(REG);
    for (const c of g.commands) expect(c.command).not.toContain(REG);
  });

  it('runs the exact config.sh line with the token from the environment', () => {
    const script = file(g, 'configure-runner.sh').text;
    expect(script).toContain(
      './config.sh --unattended --url https://github.com/octo-org/octo-repo --name build-01 --labels linux,gpu --runnergroup Default --work _work\n',
    );
    expect(script).toContain('ACTIONS_RUNNER_INPUT_TOKEN=$(cat "$token_file")');
    expect(script).toContain('rm -f "$token_file"');
    expect(file(g, 'configure-runner.sh').mode).toBe(0o755);
  });

  it('adds --ephemeral and --disableupdate, and a PAT goes in as ACTIONS_RUNNER_INPUT_PAT', () => {
    const e = gen({ ...a, lifetime: 'ephemeral', updates: 'disabled' }, 'linux', PAT);
    const script = file(e, 'configure-runner.sh').text;
    expect(script).toMatch(/--work _work --ephemeral --disableupdate\n/);
    expect(script).toContain('ACTIONS_RUNNER_INPUT_PAT=$(cat "$token_file")');
    expect(e.notes.join('\n')).toMatch(/Administration: write/);
  });

  it('writes proxy settings to .env lower-case and warns about the IP and the CIDR range in no_proxy', () => {
    expect(file(g, 'runner-env.txt').text).toBe(
      'https_proxy=http://proxy.internal:3128\nhttp_proxy=http://proxy.internal:3128\nno_proxy=.corp.example,10.0.0.5,10.0.0.0/8\n',
    );
    const notes = g.notes.join('\n');
    expect(notes).toMatch(/10\.0\.0\.5: an IP address/);
    expect(notes).toMatch(/10\.0\.0\.0\/8: a CIDR range/);
    expect(notes).not.toMatch(/\.corp\.example:/);
  });

  it('points the runner at the company CA and says how the runner trusts it', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const c = gen(a, 'linux', REG, ca);
    expect(file(c, 'runner-env.txt').text).toContain('NODE_EXTRA_CA_CERTS=/opt/actions-runner/company-ca.pem\n');
    expect(file(c, 'company-ca.pem')).toMatchObject({ text: ca, secret: false });
    expect(githubActions.caNotes!('/etc/ssl/company.pem').join(' ')).toMatch(/system store.*NODE_EXTRA_CA_CERTS/s);
  });

  it('warns when the runner folder is in a container without a volume, not when it is ephemeral', () => {
    expect(gen({ ...a, runsIn: 'container-no-volume' }, 'linux').notes.join('\n')).toMatch(/container without a volume/);
    expect(gen({ ...a, runsIn: 'container-no-volume', lifetime: 'ephemeral' }, 'linux').notes.join('\n')).not.toMatch(/without a volume/);
    expect(gen({ ...a, runsIn: 'container-volume' }, 'linux').notes.join('\n')).not.toMatch(/without a volume/);
  });

  it('installs the service with svc.sh, downloads the chosen release, and says how to remove it', () => {
    const commands = g.commands.map((c) => c.command).join('\n');
    expect(commands).toContain('sudo ./svc.sh install actions-runner && sudo ./svc.sh start');
    expect(commands).toContain('releases/download/v2.329.0/actions-runner-linux-$arch-2.329.0.tar.gz');
    expect(g.removal!.commands.map((c) => c.command).join('\n')).toMatch(/svc\.sh uninstall[\s\S]*config\.sh remove/);
  });

  it('refuses a runner without a name, a token of the wrong kind, and a line break in a label', () => {
    const noName = githubActions.generate!(githubActionsAnswers.parse({ url: a.url }), { kind: 'token', token: REG }, 'linux');
    expect(!noName.ok && noName.error.message).toMatch(/runner name/);
    const ghs = githubActions.generate!(githubActionsAnswers.parse(a), { kind: 'token', token: `ghs_${'a'.repeat(36)}` }, 'linux');
    expect(!ghs.ok && ghs.error.code).toBe('TOKEN_WRONG_KIND');
    expect(githubActionsAnswers.safeParse({ ...a, labels: 'a\nb' }).success).toBe(false);
  });
});

describe('hostile names and labels', () => {
  it('sh, PowerShell and cmd each read back exactly the value, or it is refused with the reason', () => {
    const ps = psWord(HOSTILE);
    expect(ps.ok && psRead(ps.value)).toBe(HOSTILE);
    const cmd = cmdWord(HOSTILE);
    expect(!cmd.ok && cmd.error).toMatchObject({ code: 'UNSAFE_VALUE', message: expect.stringMatching(/double quote/) });
    const noQuote = HOSTILE.replace(/"/g, '');
    const cmdOk = cmdWord(noQuote);
    expect(cmdOk.ok && cmdRead(cmdOk.value)).toBe(noQuote);
    for (const bad of ['a\nb', 'a\rb', 'a\u0000b', 'a\u2028b']) {
      expect(shWord(bad).ok).toBe(false);
      expect(psWord(bad).ok).toBe(false);
      expect(cmdWord(bad).ok).toBe(false);
    }
  });

  it('a Windows runner quotes every value in both scripts, and refuses a double quote where Windows cannot keep it', () => {
    const name = "it's 100% & <ok> ^ !x! ‘q’";
    const g = gen({ url: 'https://github.com/octo-org', runnerName: name, labels: 'win, a&b' }, 'windows');
    const ps = file(g, 'configure-runner.ps1').text;
    const psArg = /--name ('(?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*')/.exec(ps)![1]!;
    expect(psRead(psArg)).toBe(name);
    expect(ps).toContain("--labels 'win,a&b'");
    expect(ps).toMatch(/--runasservice\r\n/);
    const cmd = file(g, 'configure-runner.cmd').text;
    expect(cmd).toContain('setlocal DisableDelayedExpansion');
    const cmdArg = /--name ("[^"]*")/.exec(cmd)![1]!;
    expect(cmdRead(cmdArg)).toBe(name);
    expect(cmd).toContain('"bin\\Runner.Listener.exe" configure --unattended --url "https://github.com/octo-org"');
    for (const f of g.files.filter((x) => x.path !== 'runner-token')) expect(f.text).not.toContain(REG);
    const quoted = githubActions.generate!(
      githubActionsAnswers.parse({ url: 'https://github.com/octo-org', runnerName: 'a"b' }),
      { kind: 'token', token: REG },
      'windows',
    );
    expect(!quoted.ok && quoted.error).toMatchObject({ code: 'UNSAFE_VALUE', message: expect.stringMatching(/runner name/) });
  });
});

describe('an ARC runner scale set', () => {
  const a = {
    url: 'https://github.com/octo-org',
    scaleSetName: 'arc-runner-set',
    minRunners: 1,
    maxRunners: 10,
    containerMode: 'dind',
    proxyUrl: 'http://proxy.internal:3128',
    noProxy: 'kubernetes.default.svc,.cluster.local',
  };

  it('puts the PAT only in its own Secret, base64 in data, and names the Secret from the values (YAML 1.1 as Helm reads it)', () => {
    const g = gen(a, 'arc', PAT);
    const secret = file(g, 'arc/github-config-secret.yaml');
    expect(secret).toMatchObject({ mode: 0o600, secret: true });
    const s = parseAllDocuments(secret.text, { version: '1.1' })[0]!.toJS() as {
      metadata: { name: string; namespace: string };
      data: { github_token: string };
    };
    expect(Buffer.from(s.data.github_token, 'base64').toString('utf8')).toBe(PAT);
    const values = parseAllDocuments(file(g, 'arc/scale-set-values.yaml').text, { version: '1.1' })[0]!.toJS() as Record<string, unknown>;
    expect(values).toEqual({
      githubConfigUrl: 'https://github.com/octo-org',
      githubConfigSecret: s.metadata.name,
      runnerScaleSetName: 'arc-runner-set',
      runnerGroup: 'Default',
      minRunners: 1,
      maxRunners: 10,
      containerMode: { type: 'dind' },
      proxy: {
        http: { url: 'http://proxy.internal:3128' },
        https: { url: 'http://proxy.internal:3128' },
        noProxy: ['kubernetes.default.svc', '.cluster.local'],
      },
    });
    expect(s.metadata.namespace).toBe('arc-runners');
    for (const f of g.files.filter((x) => x.path !== 'arc/github-config-secret.yaml')) expect(f.text).not.toContain(PAT);
    const controller = parseAllDocuments(file(g, 'arc/controller-values.yaml').text, { version: '1.1' })[0]!.toJS();
    expect(controller).toEqual({ replicaCount: 1, flags: { logLevel: 'info', logFormat: 'text' } });
    expect(file(g, 'arc/install.sh').text).toContain(
      'helm upgrade --install arc-runner-set --namespace arc-runners -f scale-set-values.yaml oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set',
    );
  });

  it('with a GitHub App, the key is read by kubectl from its file and the installation is named as the top failure', () => {
    const g = gen({ ...a, arcAuth: 'app', appId: '123456', installationId: '7654321', appKeyFile: './my app.pem', chartVersion: '0.13.0' }, 'arc', PAT);
    expect(g.files.map((f) => f.path)).not.toContain('arc/github-config-secret.yaml');
    const script = file(g, 'arc/create-app-secret.sh').text;
    expect(script).toContain("pem=${GITHUB_APP_KEY_FILE:-'./my app.pem'}");
    expect(script).toContain('--from-literal=github_app_id=123456');
    expect(script).toContain('--from-file=github_app_private_key="$pem"');
    expect(g.notes.join('\n')).toMatch(/installed on octo-org.*404/);
    expect(file(g, 'arc/install.sh').text).toContain('--version 0.13.0');
    for (const f of g.files) expect(f.text).not.toContain(PAT);
  });

  it('refuses a registration token for ARC, min above max, and an app without its IDs', () => {
    const reg = githubActions.generate!(githubActionsAnswers.parse(a), { kind: 'token', token: REG }, 'arc');
    expect(!reg.ok && reg.error.code).toBe('TOKEN_WRONG_KIND');
    const minmax = githubActions.generate!(githubActionsAnswers.parse({ ...a, minRunners: 5, maxRunners: 2 }), { kind: 'token', token: PAT }, 'arc');
    expect(!minmax.ok && minmax.error.message).toMatch(/Minimum runners/);
    const app = githubActions.generate!(githubActionsAnswers.parse({ ...a, arcAuth: 'app' }), { kind: 'token', token: PAT }, 'arc');
    expect(!app.ok && app.error.message).toMatch(/App ID/);
    expect(githubActionsAnswers.safeParse({ ...a, appId: 'abc' }).success).toBe(false);
    expect(githubActionsAnswers.safeParse({ ...a, appId: 'Iv23liABCDEF' }).success).toBe(true);
  });

  it('mounts a company CA from a ConfigMap that githubServerTLS names', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const g = gen(a, 'arc', PAT, ca);
    const values = parseAllDocuments(file(g, 'arc/scale-set-values.yaml').text, { version: '1.1' })[0]!.toJS() as {
      githubServerTLS: { certificateFrom: { configMapKeyRef: { name: string; key: string } } };
    };
    const cm = parseAllDocuments(file(g, 'arc/company-ca-configmap.yaml').text, { version: '1.1' })[0]!.toJS() as {
      metadata: { name: string };
      data: Record<string, string>;
    };
    expect(cm.metadata.name).toBe(values.githubServerTLS.certificateFrom.configMapKeyRef.name);
    expect(cm.data[values.githubServerTLS.certificateFrom.configMapKeyRef.key]).toBe(ca);
  });
});

describe('endpoints', () => {
  it('lists the Actions hosts for github.com and only the server for GHES', () => {
    const dotcom = githubActions.endpoints(githubActionsAnswers.parse({ url: 'https://github.com/o/r', proxyUrl: 'http://proxy:3128' })).map((e) => e.host);
    expect(dotcom).toEqual(
      expect.arrayContaining([
        'github.com',
        'api.github.com',
        'pipelines.actions.githubusercontent.com',
        'vstoken.actions.githubusercontent.com',
        'broker.actions.githubusercontent.com',
        'results-receiver.actions.githubusercontent.com',
        'codeload.github.com',
        'ghcr.io',
        'proxy',
      ]),
    );
    const ghes = githubActions.endpoints(githubActionsAnswers.parse({ url: 'https://ghe.corp.example/octo-org' }));
    expect(ghes).toEqual([{ id: 'ghes', host: 'ghe.corp.example', port: 443, protocol: 'https', purpose: expect.any(String) }]);
  });
});
