import { describe, expect, it } from 'vitest';
import { gitlabRunner } from '../../../../../shared/platforms/gitlab-runner';

/** The runner's own lines (gitlab-runner commands/register.go, network/gitlab.go; reference B2). */
const LINES: [string, string][] = [
  ['ERROR: Verifying runner... is not valid                runner=AbCdEfGh', 'gitlab-runner-token-not-valid'],
  ['WARNING: Checking for jobs... forbidden               runner=AbCdEfGh', 'gitlab-runner-jobs-forbidden'],
  ['ERROR: Registering runner... forbidden (check registration token)  runner=GR134894', 'gitlab-runner-registration-forbidden'],
  [
    'FATAL: Runner configuration other than name and executor configuration is reserved (specifically --locked, --access-level, --run-untagged, --maximum-timeout, --paused, --tag-list, and --maintenance-note) and cannot be specified when registering with a runner authentication token.',
    'gitlab-runner-reserved-options',
  ],
  [
    'ERROR: Verifying runner... failed  status=couldn\'t execute POST against https://gitlab.corp.example/api/v4/runners/verify: Post "https://gitlab.corp.example/api/v4/runners/verify": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    'gitlab-runner-unknown-authority',
  ],
];

describe('GitLab Runner known failures', () => {
  it.each(LINES)('recognises %s', (line, id) => {
    const hit = gitlabRunner.failures.find((f) => f.patterns.some((p) => p.test(line)));
    expect(hit?.id).toBe(id);
  });

  it('online signals come from the runner itself', () => {
    const log = gitlabRunner.online.filter((s) => s.kind === 'log');
    expect(log.find((s) => s.pattern.test('Verifying runner... is valid                        runner=AbCdEfGh'))?.hop).toBe('registered');
    expect(log.find((s) => s.pattern.test('Checking for jobs... received                       job=1 repo_url=x runner=AbCdEfGh'))?.hop).toBe('connected');
  });
});
