import { describe, expect, it } from 'vitest';
import { getPlatform } from '../../../../../shared/platforms';
import { RUNNER_DIR, SETUP_DIR, rootedRunnerAnswers } from '../../../../../shared/platforms/github-actions/ansible';
import { githubActionsAnswers } from '../../../../../shared/platforms/github-actions/answers';

const github = getPlatform('github-actions')!;
const type = github.ansible![0]!;
const TOKEN = 'AABBCCDDEEFFGGHHIIJJKKLLMM123';
const answers = (extra: Record<string, unknown> = {}) =>
  githubActionsAnswers.parse({ url: 'https://github.com/octo-org/octo-repo', runnerName: 'build-01', labels: 'linux,gpu', ...extra });

describe('GitHub Actions runner fleet install type', () => {
  it("lays out the wizard's linux files byte for byte under the root, the token copied once by the role's own task", () => {
    const made = type.files(answers(), { kind: 'token', token: TOKEN }, '/srv/fleet');
    if (!made.ok) throw new Error(made.error.message);
    const wizard = github.generate!({ ...answers(), runnerDir: `/srv/fleet${RUNNER_DIR}` }, { kind: 'token', token: TOKEN }, 'linux');
    if (!wizard.ok) throw new Error(wizard.error.message);
    expect(made.value.files.map((f) => [f.dest, f.on, f.artifact.text])).toEqual(
      wizard.value.files.map((f) => [`${SETUP_DIR}/${f.path}`, f.path === 'runner-token' ? 'once' : 'none', f.text]),
    );
    const script = made.value.files.find((f) => f.artifact.path === 'configure-runner.sh')!.artifact.text;
    expect(script).toContain('runner_dir=/srv/fleet/opt/actions-runner');
    expect(script).toContain('--name build-01 --labels linux,gpu');
    expect(script).not.toContain(TOKEN);
    expect(made.value.files.find((f) => f.artifact.path === 'runner-token')!.artifact).toMatchObject({ secret: true, mode: 0o600 });
  });

  it('refuses, with what to change, a runner folder elsewhere, an absolute work folder and an ephemeral runner', () => {
    expect(rootedRunnerAnswers(answers({ runnerDir: '/home/ci/runner' }), '')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(rootedRunnerAnswers(answers({ workFolder: '/data/work' }), '')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const ephemeral = type.files(answers({ lifetime: 'ephemeral' }), { kind: 'token', token: TOKEN }, '');
    expect(!ephemeral.ok && ephemeral.error.message).toMatch(/ephemeral runner needs a new one after every job/);
    expect(rootedRunnerAnswers(answers(), '')).toMatchObject({ ok: true, value: { runnerDir: RUNNER_DIR } });
  });

  it('has no rotate.yml and says why; verify waits for the registration and the listener', () => {
    expect(type.rotate).toBeUndefined();
    expect(type.noRotate).toMatch(/registration token is spent/);
    expect(type.verifyHops).toEqual(['registered', 'connected']);
    expect(github.failures.find((f) => f.id === 'github-registration-404')?.hop).toBe('registered');
  });
});
