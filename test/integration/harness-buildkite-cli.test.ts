/**
 * The generic `generate` and `diagnose` commands with the Harness and Buildkite modules: every
 * install type written from a minimal answers file and a token from the environment, read back
 * by the tools that consume it; another kind of token refused; their known failures named.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { cfgValues } from '../../shared/platforms/buildkite/cfg';
import { dockerEnvFile } from '../support/consumers';
import { bash, shellcheck, yamllint } from '../support/rotation';
import { makeCa } from '../support/tls-certs';

const root = mkdtempSync(path.join(tmpdir(), 'hb-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const HARNESS_TOKEN = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const BK_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';

async function cli(argv: string[], env: Record<string, string> = {}, stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, readStdin: async () => stdin, cwd: root });
  return { code, stdout, stderr };
}

writeFileSync(
  path.join(root, 'harness.json'),
  JSON.stringify({ accountId: 'acc_1', managerEndpoint: 'https://app.harness.io', delegateName: 'd1', imageTag: '26.02.88404' }),
);
writeFileSync(path.join(root, 'buildkite.json'), JSON.stringify({ name: '%hostname-%spawn', tags: { queue: 'default', os: 'linux' } }));

/** What each written file must read back as. */
const READS: Record<string, (dir: string) => void> = {
  'harness kubernetes': (d) => {
    const text = readFileSync(path.join(d, 'harness-delegate.yaml'), 'utf8');
    expect(yamllint(text)).toBe('');
    expect(
      parseAllDocuments(text)
        .filter((x) => x.get('kind') === 'Secret')
        .map((x) => x.toJS().data),
    ).toEqual([{ DELEGATE_TOKEN: HARNESS_TOKEN }, { UPGRADER_TOKEN: HARNESS_TOKEN }]);
  },
  'harness helm': (d) => {
    expect(parse(readFileSync(path.join(d, 'harness-delegate-values.yaml'), 'utf8'))).toMatchObject({
      existingDelegateToken: expect.any(String),
      upgrader: { existingUpgraderToken: expect.any(String) },
    });
    const secrets = parseAllDocuments(readFileSync(path.join(d, 'harness-delegate-secrets.yaml'), 'utf8')).map((x) => x.toJS().stringData);
    expect(secrets).toEqual([{ DELEGATE_TOKEN: HARNESS_TOKEN }, { UPGRADER_TOKEN: HARNESS_TOKEN }]);
  },
  'harness docker': (d) => {
    const script = readFileSync(path.join(d, 'run-delegate.sh'), 'utf8');
    expect(shellcheck(script)).toBe('');
    expect(statSync(path.join(d, 'run-delegate.sh')).mode & 0o777).toBe(0o755);
    // The token is in the 0600 env file docker reads literally, never in the script.
    expect(script).not.toContain(HARNESS_TOKEN);
    expect(dockerEnvFile(readFileSync(path.join(d, 'delegate.env'), 'utf8')).DELEGATE_TOKEN).toBe(HARNESS_TOKEN);
    expect(statSync(path.join(d, 'delegate.env')).mode & 0o777).toBe(0o600);
  },
  'harness ecs': (d) =>
    expect(JSON.parse(readFileSync(path.join(d, 'harness-delegate-task-spec.json'), 'utf8')).containerDefinitions[0].environment).toContainEqual({
      name: 'DELEGATE_TOKEN',
      value: HARNESS_TOKEN,
    }),
  'harness shell': (d) => {
    for (const f of ['config-watcher.yml', 'config-delegate.yml']) {
      expect(parse(readFileSync(path.join(d, f), 'utf8')).delegateToken).toBe(HARNESS_TOKEN);
      expect(statSync(path.join(d, f)).mode & 0o777).toBe(0o600);
    }
    for (const f of ['start.sh', 'stop.sh']) expect(shellcheck(readFileSync(path.join(d, f), 'utf8'))).toBe('');
  },
  'buildkite cfg': (d) => expect(cfgValues(readFileSync(path.join(d, 'buildkite-agent.cfg'), 'utf8')).get('token')).toBe(BK_TOKEN),
  'buildkite env': (d) => {
    expect(bash(`set -a; . '${path.join(d, 'buildkite-agent.env')}'; printf '%s|%s' "$BUILDKITE_AGENT_TOKEN" "$BUILDKITE_AGENT_TAGS"`)).toBe(
      `${BK_TOKEN}|queue=default,os=linux`,
    );
    expect(readFileSync(path.join(d, 'buildkite-agent.service.d', 'agent-onboard.conf'), 'utf8')).toContain('[Service]');
  },
  'buildkite docker': (d) => expect(shellcheck(readFileSync(path.join(d, 'run-agent.sh'), 'utf8'))).toBe(''),
  'buildkite kubernetes': (d) => {
    expect(parseAllDocuments(readFileSync(path.join(d, 'buildkite-agent-token-secret.yaml'), 'utf8'))[1]!.toJS().stringData).toEqual({
      BUILDKITE_AGENT_TOKEN: BK_TOKEN,
    });
    expect(readFileSync(path.join(d, 'agent-stack-k8s-values.yaml'), 'utf8')).not.toContain(BK_TOKEN);
  },
};

describe('generate harness|buildkite', () => {
  it.each(Object.keys(READS))('%s: written from a minimal answers file, read back by its consumer, and unchanged when run again', async (name) => {
    const [platform, variant] = name.split(' ') as [string, string];
    const out = path.join(root, `${platform}-${variant}`);
    const env = { T: platform === 'harness' ? HARNESS_TOKEN : BK_TOKEN };
    const args = ['generate', platform, '--variant', variant, '--answers', `${platform}.json`, '--token-env', 'T', '--out', out];
    const first = await cli(args, env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).not.toContain(env.T);
    READS[name]!(out);
    const again = await cli([...args, '--json'], env);
    expect(JSON.parse(again.stdout).files.every((f: { status: string }) => f.status === 'unchanged')).toBe(true);
  });

  it('--ca-file: the Harness Docker delegate mounts the company CA (DER read, PEM written) and runs as root; a key is refused', async () => {
    await makeCa(root, 'ca', '/CN=Corp Root CA');
    execFileSync('openssl', ['x509', '-in', path.join(root, 'ca.pem'), '-outform', 'DER', '-out', path.join(root, 'ca.cer')]);
    const out = path.join(root, 'harness-ca');
    const args = ['generate', 'harness', '--variant', 'docker', '--answers', 'harness.json', '--token-env', 'T', '--out', out];
    const r = await cli([...args, '--ca-file', 'ca.cer', '--json'], { T: HARNESS_TOKEN });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(out, 'ca-bundle', 'company-ca.pem'), 'utf8')).toBe(readFileSync(path.join(root, 'ca.pem'), 'utf8'));
    expect(readFileSync(path.join(out, 'run-delegate.sh'), 'utf8')).toContain('-u root -v "$HERE/ca-bundle:/opt/harness-delegate/ca-bundle:ro"');
    expect(JSON.parse(r.stdout).removal.commands[0].command).toBe('docker rm -f d1');
    const refused = await cli([...args, '--ca-file', 'ca.key'], { T: HARNESS_TOKEN });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^agent-onboard generate: --ca-file ca.key: This is a private key/);
  });

  it('refuses another kind of token with one line, writing nothing', async () => {
    const out = path.join(root, 'refused');
    const r = await cli(['generate', 'buildkite', '--variant', 'docker', '--answers', 'buildkite.json', '--token-env', 'T', '--out', out], {
      T: 'bkaa_0123456789abcdef0123456789abcdef01234567',
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('session token');
    expect(() => statSync(out)).toThrow();
  });
});

describe('diagnose with Harness and Buildkite logs', () => {
  it.each([
    ['harness', '2026-03-02T10:00:00Z Account ID: acc_1 not found. Stop launching delegate.', 'harness-account-not-found'],
    [
      'buildkite',
      '2026-03-02 10:00:00 WARN POST https://agent-edge.buildkite.com/v3/register: 401 Unauthorized (Attempt 4/30 Retrying in 10s)',
      'buildkite-register-unauthorized',
    ],
  ])('%s: names the failure from pasted log text', async (platform, log, id) => {
    const r = await cli(['diagnose', '--platform', platform, '--json', '-'], {}, log);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnoses.map((d: { failure: { id: string } }) => d.failure.id)).toContain(id);
  });
});
