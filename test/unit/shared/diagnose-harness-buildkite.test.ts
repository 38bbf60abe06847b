import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../shared/diagnose';

const CASES: [string, string, string][] = [
  [
    'harness',
    'harness-connectivity-failed',
    '2026-03-01T10:00:00Z Connectivity test failed. Please check network connection from your delegate to Harness manager.',
  ],
  ['harness', 'harness-account-not-found', '[2026-03-01 10:00:01] Account ID: px7xd_BFRCi-pfWPYXVjvw not found. Stop launching delegate.'],
  ['harness', 'harness-manager-check-failed', 'Connection check to Harness manager failed. Stop launching\ndelegate.'],
  [
    'harness',
    'harness-working-dir-permissions',
    'Missing required write permissions for running user 1001 on delegate working directory /opt/harness-delegate/. Shutting down.',
  ],
  ['harness', 'harness-upgrader-mismatch', 'upgrader-job-2891: error patching: deployments.apps "harness-delegate" not found'],
  [
    'harness',
    'harness-fargate-logs',
    'STOPPED (ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream)',
  ],
  [
    'harness',
    'harness-fargate-logs',
    'AccessDeniedException: User: arn:aws:sts::1:assumed-role/ecsTaskExecutionRole is not authorized to perform: logs:CreateLogGroup',
  ],
  ['harness', 'harness-token-revoked', 'Delegate token harness_token_1 is revoked; delegate will be stopped'],
  ['buildkite', 'buildkite-missing-token', '2026-03-01 10:00:00 FATAL  Missing token. See: `buildkite-agent start --help`'],
  ['buildkite', 'buildkite-missing-build-path', 'Missing build-path. See: `buildkite-agent start --help`'],
  [
    'buildkite',
    'buildkite-register-unauthorized',
    '2026-03-01 10:00:00 WARN   POST https://agent-edge.buildkite.com/v3/register: 401 Unauthorized (Attempt 1/30 Retrying in 10s)',
  ],
  [
    'buildkite',
    'buildkite-register-unreachable',
    'WARN POST https://agent-edge.buildkite.com/v3/register: dial tcp: lookup agent-edge.buildkite.com: no such host (Attempt 3/30 Retrying in 10s)',
  ],
  ['buildkite', 'buildkite-scoped-token-forbidden', 'ERROR 403 Forbidden: the token lacks the permission read_job_env'],
  ['buildkite', 'buildkite-ignored-keys', 'additional-hooks-path="/etc/buildkite-agent/more-hooks"\ntags-from-gcp=true'],
];

describe('diagnose: Harness and Buildkite known failures', () => {
  it.each(CASES)('%s: %s', (platform, id, log) => {
    const found = diagnose(log);
    expect(found.map((d) => d.failure.id)).toContain(id);
    const hit = found.find((d) => d.failure.id === id)!;
    expect(hit.platform).toBe(platform);
    expect(hit.failure.cause.length).toBeGreaterThan(20);
    expect(hit.failure.fix.length).toBeGreaterThan(20);
  });

  it('offers the rotation flow where a new token is the fix', () => {
    const revoked = diagnose('Delegate token default_token is revoked', 'harness').find((d) => d.failure.id === 'harness-token-revoked');
    expect(revoked?.failure.action).toEqual({ kind: 'rotate-token', platform: 'harness' });
    const unauthorized = diagnose('POST https://agent.buildkite.com/v3/register: 401 Unauthorized', 'buildkite')[0];
    expect(unauthorized?.failure.action).toEqual({ kind: 'rotate-token', platform: 'buildkite' });
  });

  it('does not flag the commented-out keys of the packaged buildkite-agent.cfg, nor the current key names', () => {
    const cfg = '# additional-hooks-path="/hook/path/a,/hook/path/b"\n# tags-from-gcp=true\ntags-from-ec2-meta-data=true\nadditional-hooks-paths="/a"\n';
    expect(diagnose(cfg, 'buildkite').map((d) => d.failure.id)).not.toContain('buildkite-ignored-keys');
  });

  it('stays quiet on an ordinary delegate log', () => {
    expect(diagnose('Delegate started\nConnected to manager https://app.harness.io\nHeartbeat sent', 'harness')).toEqual([]);
    expect(diagnose('Successfully registered agent "ci-1" with tags [queue=default]', 'buildkite')).toEqual([]);
  });
});
