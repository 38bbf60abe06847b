/**
 * An existing install: ARC's PAT rotated in place (on the real-world ARC values files in
 * ../shared/fixtures/real-world/github-actions, read in place), a host runner's .runner recognised
 * and refused with its identity, and the re-registration script for each way out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { githubActions, githubActionsAnswers, readRunnerFile, readServiceFile, reregister } from '../../../../../shared/platforms/github-actions';
import { diagnose } from '../../../../../shared/diagnose';
import { recognisePlatform } from '../../../../../shared/platforms/recognise';

const ROOT = path.resolve(import.meta.dirname, '../../../../../../shared/fixtures/real-world/github-actions');
const PAT = `ghp_${'N3w'.repeat(12)}`;
const REG = 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W';
const RUNNER =
  '\uFEFF{\n  "agentId": 12,\n  "agentName": "build-01",\n  "poolId": 1,\n  "poolName": "Default",\n  "gitHubUrl": "https://github.com/octo-org/octo-repo",\n  "workFolder": "_work"\n}';
const updater = (id: string) => githubActions.updaters.find((u) => u.id === id)!;

describe.skipIf(!existsSync(ROOT))('ARC values from actions-runner-controller (real-world fixtures)', () => {
  const files = existsSync(ROOT) ? readdirSync(ROOT).filter((f) => f.endsWith('.yaml')) : [];
  it.each(files)('%s: the inline github_token is replaced, every other byte kept', (name) => {
    const text = readFileSync(path.join(ROOT, name), 'utf8');
    const u = updater('github-arc-token');
    expect(u.detect(name, text)).toBe(true);
    const r = u.rotate(text, PAT);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.changes).toHaveLength(1);
    expect(r.value.text).toBe(text.replace('github_token: test', `github_token: ${PAT}`));
    const before = parseAllDocuments(text, { version: '1.1' })[0]!.toJS() as { githubConfigSecret: Record<string, string> };
    const after = parseAllDocuments(r.value.text, { version: '1.1' })[0]!.toJS() as { githubConfigSecret: Record<string, string> };
    expect(after).toEqual({ ...before, githubConfigSecret: { github_token: PAT } });
  });
});
if (!existsSync(ROOT)) console.warn(`skipped the real-world ARC values: ${ROOT} is absent`);

describe('ARC Secret rotation', () => {
  it('replaces github_token in a generated Secret (base64) and refuses a registration token', () => {
    const g = githubActions.generate!(
      githubActionsAnswers.parse({ url: 'https://github.com/octo-org', scaleSetName: 'set' }),
      { kind: 'token', token: `ghp_${'o1d'.repeat(12)}` },
      'arc',
    );
    if (!g.ok) throw new Error(g.error.message);
    const secret = g.value.files.find((f) => f.path === 'arc/github-config-secret.yaml')!;
    const u = updater('github-arc-token');
    expect(u.detect('github-config-secret.yaml', secret.text)).toBe(true);
    const r = u.rotate(secret.text, PAT);
    if (!r.ok) throw new Error(r.error.message);
    const doc = parseAllDocuments(r.value.text, { version: '1.1' })[0]!.toJS() as { data: { github_token: string } };
    expect(Buffer.from(doc.data.github_token, 'base64').toString()).toBe(PAT);
    expect(u.rotate(secret.text, REG)).toMatchObject({ ok: false, error: { code: 'TOKEN_WRONG_KIND' } });
    expect(u.commandsFor!(r.value.text, '/x/secret.yaml')[0]!.command).toBe('kubectl apply -f /x/secret.yaml');
  });
});

describe('a host runner: re-register, because there is no token to rotate', () => {
  it('.runner is recognised and refused with the runner identity and the way out', () => {
    const u = updater('github-runner-settings');
    expect(u.detect('/opt/actions-runner/.runner', RUNNER)).toBe(true);
    expect(u.detect('/x/.runner', '{"uuid":"x","address":"y","token":"z"}')).toBe(false);
    const r = u.rotate(RUNNER, REG);
    expect(!r.ok && r.error).toMatchObject({
      code: 'NOT_BUILT',
      message: expect.stringMatching(/"build-01" \(id 12\) in runner group "Default" of https:\/\/github\.com\/octo-org\/octo-repo/),
      hint: expect.stringMatching(/--replace/),
    });
    expect(recognisePlatform([{ path: '.runner', text: RUNNER }]).platform).toBe('github-actions');
  });

  const state = readRunnerFile(RUNNER);
  const service = readServiceFile('actions.runner.octo-org-octo-repo.build-01.service');
  if (!state.ok || !service.ok) throw new Error('fixture');

  it('with a remove token: stop, uninstall, remove, configure with --replace, install, start, in that order', () => {
    const r = reregister({
      state: state.value,
      service: service.value,
      runnerDir: '/opt/actions-runner',
      mode: 'remove-token',
      removeToken: 'BREMOVE0123456789ABCDEFGHIJK',
      registrationToken: REG,
      labels: 'linux,gpu',
    });
    if (!r.ok) throw new Error(r.error.message);
    const script = r.value.files.find((f) => f.path === 'reregister-runner.sh')!.text;
    const order = ['./svc.sh stop', './svc.sh uninstall', './config.sh remove', '--replace', './svc.sh install', './svc.sh start'].map((s) =>
      script.indexOf(s),
    );
    expect(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!))).toBe(true);
    expect(script).toContain(
      './config.sh --unattended --url https://github.com/octo-org/octo-repo --name build-01 --labels linux,gpu --runnergroup Default --work _work --replace',
    );
    expect(script).toContain('# The service name is the one in .service: actions.runner.octo-org-octo-repo.build-01.service');
    expect(script).not.toContain(REG);
    expect(r.value.files.filter((f) => f.secret).map((f) => [f.path, f.mode])).toEqual([
      ['remove-token', 0o600],
      ['runner-token', 0o600],
    ]);
  });

  it('after GitHub deleted the registration: no remove (the catch-22), the local files moved aside, not deleted', () => {
    const r = reregister({ state: state.value, service: service.value, runnerDir: '/opt/actions-runner', mode: 'deleted', registrationToken: REG });
    if (!r.ok) throw new Error(r.error.message);
    const script = r.value.files.find((f) => f.path === 'reregister-runner.sh')!.text;
    expect(script).not.toContain('config.sh remove');
    expect(script).toMatch(/for f in \.runner \.credentials \.credentials_rsaparams[^\n]*\n\s+if \[ -e "\$f" \]; then mv "\$f" "\$aside\/"; fi/);
    expect(r.value.notes.join('\n')).toMatch(/no remove token is needed/);
    expect(r.value.files.map((f) => f.path)).toEqual(['runner-token', 'reregister-runner.sh']);
  });

  it('with a PAT: one token file, used for both steps', () => {
    const r = reregister({ state: state.value, runnerDir: '~/actions-runner', mode: 'pat', pat: PAT });
    if (!r.ok) throw new Error(r.error.message);
    const script = r.value.files.find((f) => f.path === 'reregister-runner.sh')!.text;
    expect(script.match(/ACTIONS_RUNNER_INPUT_PAT=\$\(cat "\$here\/runner-pat"\)/g)).toHaveLength(2);
    expect(script).toContain('runner_dir="$HOME"/actions-runner');
    expect(script).not.toContain('svc.sh');
  });

  it('the reregister variant (wizard and CLI): the pasted .runner and .service, a PAT or a registration token', () => {
    const base = {
      url: 'https://github.com/octo-org/octo-repo',
      runnerFile: RUNNER,
      serviceFile: 'actions.runner.octo-org-octo-repo.build-01.service',
      labels: 'linux, gpu',
    };
    const answers = githubActionsAnswers.parse(base);
    const withPat = githubActions.generate!(answers, { kind: 'token', token: PAT }, 'reregister');
    if (!withPat.ok) throw new Error(withPat.error.message);
    expect(withPat.value.files.map((f) => [f.path, f.mode, f.secret])).toEqual([
      ['runner-pat', 0o600, true],
      ['reregister-runner.sh', 0o755, false],
    ]);
    const script = withPat.value.files[1]!.text;
    expect(script).toContain('./config.sh remove');
    expect(script).toContain('--name build-01 --labels linux,gpu');
    expect(script).toContain('.service: actions.runner.octo-org-octo-repo.build-01.service');
    const withReg = githubActions.generate!(answers, { kind: 'token', token: REG }, 'reregister');
    if (!withReg.ok) throw new Error(withReg.error.message);
    expect(withReg.value.files.map((f) => f.path)).toEqual(['runner-token', 'reregister-runner.sh']);
    expect(withReg.value.files[1]!.text).not.toContain('config.sh remove');
    // Another repository's .runner, no .runner, or one never configured: refused, pointing at the answer.
    const other = githubActions.generate!(
      githubActionsAnswers.parse({ ...base, url: 'https://github.com/octo-org/other' }),
      { kind: 'token', token: PAT },
      'reregister',
    );
    expect(!other.ok && other.error).toMatchObject({
      code: 'BAD_INPUT',
      field: 'answers.url',
      message: expect.stringContaining('belongs to https://github.com/octo-org/octo-repo'),
    });
    const none = githubActions.generate!(githubActionsAnswers.parse({ url: base.url }), { kind: 'token', token: PAT }, 'reregister');
    expect(!none.ok && none.error).toMatchObject({ field: 'answers.runnerFile' });
    const gitea = githubActions.generate!(
      githubActionsAnswers.parse({ ...base, runnerFile: '{"uuid":"x","address":"y","token":"z"}' }),
      { kind: 'token', token: PAT },
      'reregister',
    );
    expect(!gitea.ok && gitea.error.message).toMatch(/Gitea act_runner/);
  });

  it('refuses to start without the tokens it needs, saying which', () => {
    expect(reregister({ state: state.value, runnerDir: '/r', mode: 'remove-token', registrationToken: REG })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/remove token/) },
    });
    expect(reregister({ state: state.value, runnerDir: '/r', mode: 'deleted' })).toMatchObject({ ok: false });
  });
});

describe('diagnostics from the runner’s exact lines', () => {
  it.each([
    ["Http response code: NotFound from 'POST https://api.github.com/actions/runner-registration'", 'github-registration-404'],
    [
      "Cannot configure the runner because it is already configured. To reconfigure the runner, run 'config.cmd remove' or './config.sh remove' first.",
      'github-already-configured',
    ],
    ['2025-01-02 10:00:00Z: A session for this runner already exists.', 'github-session-exists'],
    ['2025-01-02 10:00:00Z: Runner connect error: The SSL connection could not be established. Retrying until reconnected.', 'github-connect-error'],
    [
      'Failed to create a session. The runner registration has been deleted from the server, please re-configure. Runner registrations are automatically deleted for runners that have not connected to the service recently.',
      'github-registration-deleted',
    ],
    [
      'failed to get runner registration token: 401 Unauthorized {"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}',
      'github-arc-bad-credentials',
    ],
    ['Error: could not find any installation: failed to get access token for GitHub App auth: 404 Not Found', 'github-arc-not-found'],
    ['RunnerScaleSetNotFoundException: runner scale set not found', 'github-arc-not-found'],
  ])('%s', (line, id) => {
    const found = diagnose(line, 'github-actions');
    expect(found.map((d) => d.failure.id)).toContain(id);
    expect(found.every((d) => d.platform === 'github-actions')).toBe(true);
  });
});
