/**
 * The generated runner scripts read by their real consumers: shellcheck (as POSIX sh) on every
 * script and every shown command, yamllint on the ARC files, and /bin/sh running the scripts
 * against a stand-in runner folder. The stand-ins (config.sh, svc.sh, sudo, id, kubectl) record
 * what they got: the real runner needs a live GitHub registration, which tests cannot reach, and
 * the test machine runs as root, which config.sh refuses (hence the stand-in `id`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { githubActions, githubActionsAnswers, readRunnerFile, readServiceFile, reregister } from '../../../../../shared/platforms/github-actions';
import type { Artifact, Generated } from '../../../../../shared/platforms/types';
import { yamllint } from '../../../../support/rotation';

const REG = 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W';
const PAT = `github_pat_11ABCDEFG0${'x'.repeat(72)}`;
const HOSTILE = `it's "a" $(touch PWNED) \`touch PWNED\` & | ; * $HOME %PATH%`;
const work = mkdtempSync(path.join(tmpdir(), 'gha-scripts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gen(answers: Record<string, unknown>, variant: string, token = REG, trustedCa?: string): Generated {
  const r = githubActions.generate!(githubActionsAnswers.parse(answers), { kind: 'token', token }, variant, trustedCa ? { trustedCa } : undefined);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function shellcheckSh(script: string): string {
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stdout;
}

/** Writes files into a fresh folder (with their modes) and returns it. */
function lay(files: Pick<Artifact, 'path' | 'text' | 'mode'>[]): string {
  const dir = mkdtempSync(path.join(work, 'b-'));
  for (const f of files) {
    const p = path.join(dir, f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.text);
    chmodSync(p, f.mode);
  }
  return dir;
}

/** Stand-in programs that append their name, arguments and the runner input variables to CALLS (NUL-separated records). */
function standIns(dir: string, names: string[], extra: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    const body =
      // The record is written in one write: two stand-ins of one pipeline (kubectl create … | kubectl apply -f -) run at once.
      extra[n] ??
      `rec=$(printf '%s\\036' "${n}" "$@" "T=\${ACTIONS_RUNNER_INPUT_TOKEN-}" "P=\${ACTIONS_RUNNER_INPUT_PAT-}"; printf '\\035'); printf '%s' "$rec" >> "$CALLS"`;
    writeFileSync(path.join(dir, n), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

function calls(file: string): { cmd: string; args: string[]; token: string; pat: string }[] {
  return readFileSync(file, 'utf8')
    .split('\x1d')
    .filter(Boolean)
    .map((rec) => {
      const parts = rec.split('\x1e').slice(0, -1);
      return { cmd: parts[0]!, args: parts.slice(1, -2), token: parts.at(-2)!.slice(2), pat: parts.at(-1)!.slice(2) };
    });
}

function posixScripts(g: Generated): string[] {
  return [
    ...g.files.filter((f) => f.path.endsWith('.sh')).map((f) => f.text),
    ...[...g.commands, ...(g.removal?.commands ?? [])].filter((c) => c.os !== 'windows').map((c) => `#!/bin/sh\n${c.command}\n`),
  ];
}

describe('shellcheck and yamllint on everything generated', () => {
  const base = {
    url: 'https://github.com/octo-org/octo-repo',
    runnerName: HOSTILE,
    labels: "gpu, it's",
    runnerVersion: '2.329.0',
    proxyUrl: 'http://proxy.internal:3128',
    noProxy: '.corp.example',
  };
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const cases: [string, Generated][] = [
    ['linux', gen(base, 'linux', REG, ca)],
    ['linux (PAT, ephemeral)', gen({ ...base, lifetime: 'ephemeral', updates: 'disabled' }, 'linux', PAT)],
    ['macos (~ folder)', gen({ ...base, runnerDir: '~/actions runner' }, 'macos')],
    ['arc (PAT)', gen({ url: 'https://github.com/octo-org', scaleSetName: 'set-1', proxyUrl: 'http://proxy:3128' }, 'arc', PAT, ca)],
    [
      'arc (app)',
      gen(
        {
          url: 'https://github.com/octo-org',
          scaleSetName: 'set-1',
          arcAuth: 'app',
          appId: '1',
          installationId: '2',
          appKeyFile: "./it's key.pem",
          chartVersion: '0.13.0',
        },
        'arc',
        PAT,
      ),
    ],
  ];
  it.each(cases)('%s: every script and shown command passes shellcheck as sh', (_n, g) => {
    for (const s of posixScripts(g)) expect(shellcheckSh(s), s).toBe('');
  });
  it.each(cases.filter(([n]) => n.startsWith('arc')))('%s: every YAML file passes yamllint', (_n, g) => {
    for (const f of g.files.filter((x) => x.path.endsWith('.yaml'))) expect(yamllint(f.text), f.path).toBe('');
  });
  it('the re-registration scripts pass shellcheck in every mode', () => {
    const state = readRunnerFile(
      '{"agentId":1,"agentName":"b 1","poolName":"Default","gitHubUrl":"https://github.com/o/r","workFolder":"_work","ephemeral":true}',
    );
    const service = readServiceFile('actions.runner.o-r.b-1.service');
    if (!state.ok || !service.ok) throw new Error('fixture');
    for (const input of [
      { mode: 'remove-token' as const, removeToken: REG, registrationToken: REG, labels: 'a,b' },
      { mode: 'pat' as const, pat: PAT },
      { mode: 'deleted' as const, registrationToken: REG },
    ]) {
      const r = reregister({ state: state.value, service: service.value, runnerDir: '/opt/actions-runner', ...input });
      if (!r.ok) throw new Error(r.error.message);
      for (const s of posixScripts(r.value)) expect(shellcheckSh(s), s).toBe('');
    }
  });
});

describe('configure-runner.sh run by /bin/sh against a stand-in runner folder', () => {
  function setup(g: Generated): { bundle: string; runner: string; bin: string; log: string; env: NodeJS.ProcessEnv } {
    const bundle = lay(g.files);
    const runner = path.join(bundle, '.runner-dir');
    const bin = standIns(path.join(bundle, '.bin'), ['id'], { id: 'echo 1000' });
    standIns(runner, ['config.sh']);
    const log = path.join(bundle, '.calls');
    writeFileSync(log, '');
    return { bundle, runner, bin, log, env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: log, HOME: bundle } };
  }

  it('passes every value to config.sh exactly, the token only through the environment, then deletes the token file', () => {
    const g0 = gen({ url: 'https://github.com/octo-org/octo-repo', runnerName: HOSTILE, labels: "gpu, it's", proxyUrl: 'http://proxy.internal:3128' }, 'linux');
    const s = setup(g0);
    const g = gen(
      { url: 'https://github.com/octo-org/octo-repo', runnerName: HOSTILE, labels: "gpu, it's", proxyUrl: 'http://proxy.internal:3128', runnerDir: s.runner },
      'linux',
    );
    for (const f of g.files) writeFileSync(path.join(s.bundle, f.path), f.text, { mode: f.mode });
    const r = spawnSync('/bin/sh', [path.join(s.bundle, 'configure-runner.sh')], { cwd: s.bundle, encoding: 'utf8', env: s.env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [call] = calls(s.log);
    expect(call).toEqual({
      cmd: 'config.sh',
      args: [
        '--unattended',
        '--url',
        'https://github.com/octo-org/octo-repo',
        '--name',
        HOSTILE,
        '--labels',
        "gpu,it's",
        '--runnergroup',
        'Default',
        '--work',
        '_work',
      ],
      token: REG,
      pat: '',
    });
    expect(existsSync(path.join(s.bundle, 'runner-token'))).toBe(false);
    expect(readFileSync(path.join(s.runner, '.env'), 'utf8')).toBe('https_proxy=http://proxy.internal:3128\nhttp_proxy=http://proxy.internal:3128\n');
    expect(readdirSync(s.bundle).concat(readdirSync(s.runner))).not.toContain('PWNED');
  });

  it('a PAT goes in as ACTIONS_RUNNER_INPUT_PAT', () => {
    const s = setup(gen({ url: 'https://github.com/octo-org', runnerName: 'r' }, 'linux', PAT));
    const g = gen({ url: 'https://github.com/octo-org', runnerName: 'r', runnerDir: s.runner }, 'linux', PAT);
    for (const f of g.files) writeFileSync(path.join(s.bundle, f.path), f.text, { mode: f.mode });
    const r = spawnSync('/bin/sh', [path.join(s.bundle, 'configure-runner.sh')], { encoding: 'utf8', env: s.env });
    expect(r.status).toBe(0);
    expect(calls(s.log)[0]).toMatchObject({ token: '', pat: PAT });
  });

  it('refuses a token file others can read, an already configured folder, and root, changing nothing', () => {
    const s = setup(gen({ url: 'https://github.com/o/r', runnerName: 'r' }, 'linux'));
    const g = gen({ url: 'https://github.com/o/r', runnerName: 'r', runnerDir: s.runner }, 'linux');
    for (const f of g.files) writeFileSync(path.join(s.bundle, f.path), f.text, { mode: f.mode });
    const script = path.join(s.bundle, 'configure-runner.sh');
    chmodSync(path.join(s.bundle, 'runner-token'), 0o644);
    let r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: s.env });
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/can be read by other users: run chmod 600/)]);
    chmodSync(path.join(s.bundle, 'runner-token'), 0o600);
    writeFileSync(path.join(s.runner, '.runner'), '{}');
    r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: s.env });
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/already holds a configured runner/)]);
    r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: { ...s.env, PATH: '/usr/bin:/bin' } });
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/not root/)]);
    expect(calls(s.log)).toEqual([]);
    expect(existsSync(path.join(s.bundle, 'runner-token'))).toBe(true);
  });
});

describe('reregister-runner.sh run by /bin/sh', () => {
  const state = readRunnerFile(
    '\uFEFF{"agentId":12,"agentName":"build-01","poolId":1,"poolName":"Default","gitHubUrl":"https://github.com/octo-org/octo-repo","workFolder":"_work"}',
  );
  const service = readServiceFile('actions.runner.octo-org-octo-repo.build-01.service');
  if (!state.ok || !service.ok) throw new Error('fixture');

  it('after GitHub deleted the registration: stops, moves the registration aside, configures with --replace, starts', () => {
    const runner = mkdtempSync(path.join(work, 'runner-'));
    for (const f of ['.runner', '.credentials', '.credentials_rsaparams']) writeFileSync(path.join(runner, f), f);
    writeFileSync(path.join(runner, '.service'), 'actions.runner.octo-org-octo-repo.build-01.service\n');
    standIns(runner, ['config.sh', 'svc.sh']);
    const r0 = reregister({ state: state.value, service: service.value, runnerDir: runner, mode: 'deleted', registrationToken: REG });
    if (!r0.ok) throw new Error(r0.error.message);
    const bundle = lay(r0.value.files);
    const bin = standIns(path.join(bundle, '.bin'), ['sudo'], { sudo: '"$@"' });
    const log = path.join(bundle, '.calls');
    writeFileSync(log, '');
    const r = spawnSync('/bin/sh', [path.join(bundle, 'reregister-runner.sh')], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: log } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(calls(log).map((c) => [c.cmd, ...c.args].join(' '))).toEqual([
      'svc.sh stop',
      'svc.sh uninstall',
      'config.sh --unattended --url https://github.com/octo-org/octo-repo --name build-01 --runnergroup Default --work _work --replace',
      `svc.sh install ${execFileSync('id', ['-un'], { encoding: 'utf8' }).trim()}`,
      'svc.sh start',
    ]);
    expect(calls(log)[2]!.token).toBe(REG);
    const aside = readdirSync(runner).find((n) => n.startsWith('.registration-'))!;
    expect(readdirSync(path.join(runner, aside)).sort()).toEqual(['.credentials', '.credentials_rsaparams', '.runner']);
    expect(existsSync(path.join(bundle, 'runner-token'))).toBe(false);
  });

  it('with a remove token: the remove token goes to remove, the registration token to configure', () => {
    const runner = mkdtempSync(path.join(work, 'runner-'));
    standIns(runner, ['config.sh', 'svc.sh']);
    const REMOVE = 'BREMOVE0123456789ABCDEFGHIJK';
    const r0 = reregister({ state: state.value, service: service.value, runnerDir: runner, mode: 'remove-token', removeToken: REMOVE, registrationToken: REG });
    if (!r0.ok) throw new Error(r0.error.message);
    const bundle = lay(r0.value.files);
    const bin = standIns(path.join(bundle, '.bin'), ['sudo'], { sudo: '"$@"' });
    const log = path.join(bundle, '.calls');
    writeFileSync(log, '');
    const r = spawnSync('/bin/sh', [path.join(bundle, 'reregister-runner.sh')], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: log } });
    expect(r.status).toBe(0);
    const c = calls(log);
    expect(c.find((x) => x.args[0] === 'remove')).toMatchObject({ cmd: 'config.sh', token: REMOVE });
    expect(c.find((x) => x.args.includes('--replace'))).toMatchObject({ token: REG });
  });
});

describe('create-app-secret.sh checks the GitHub App key with openssl before kubectl sees it', () => {
  it('passes a real RSA key file to kubectl --from-file and refuses anything else', () => {
    const dir = mkdtempSync(path.join(work, 'app-'));
    const pem = path.join(dir, 'app.private-key.pem');
    execFileSync('openssl', ['genrsa', '-traditional', '-out', pem, '2048'], { stdio: 'ignore' });
    const g = gen(
      { url: 'https://github.com/octo-org', scaleSetName: 'set-1', arcAuth: 'app', appId: '123456', installationId: '7654321', appKeyFile: pem },
      'arc',
      PAT,
    );
    const bundle = lay(g.files);
    const log = path.join(bundle, '.calls');
    writeFileSync(log, '');
    const bin = standIns(path.join(bundle, '.bin'), ['kubectl']);
    const script = path.join(bundle, 'arc', 'create-app-secret.sh');
    const r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: log } });
    expect(r.status).toBe(0);
    const secret = calls(log).find((c) => c.args[1] === 'secret')!;
    expect(secret.args).toEqual([
      'create',
      'secret',
      'generic',
      'set-1-github-config',
      '--namespace',
      'arc-runners',
      '--from-literal=github_app_id=123456',
      '--from-literal=github_app_installation_id=7654321',
      `--from-file=github_app_private_key=${pem}`,
      '--dry-run=client',
      '-o',
      'yaml',
    ]);
    writeFileSync(log, '');
    const bad = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: log, GITHUB_APP_KEY_FILE: script } });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/is not a PEM private key/)]);
    expect(calls(log)).toEqual([]);
  });
});
