/**
 * Diagnostics with each log line as the agent (or its SDK) really prints it, and the rule that
 * the selected platform is tried first (issue 12 item 12). Sources of the wording:
 * - Buildkite: buildkite/agent api/client.go ErrorResponse.Error() = "<METHOD> <URL>: <status>: <message>",
 *   logged by the register retrier as "<error> (<retrier state>)".
 * - Harness: the delegate's own lines, reference/next-platforms.md (DelegateAgentServiceImpl).
 * - AWS SDK for Java v1 (what Bamboo uses): AmazonServiceException.getMessage() =
 *   "<message> (Service: …; Status Code: …; Error Code: …; Request ID: …; Proxy: …)".
 * - Bamboo's own wording around "Security token is required" is unconfirmed (reference/platforms.md),
 *   so the distinctive fragment alone must be enough.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../shared/diagnose';

const ids = (text: string, platform?: Parameters<typeof diagnose>[1]): string[] => diagnose(text, platform).map((d) => d.failure.id);

const BUILDKITE_401 =
  '2026-12-07 10:00:00 WARN   POST https://agent-edge.buildkite.com/v3/register: 401 Unauthorized: Invalid token (Attempt 1/30 Retrying in 10s)';
const AWS_JAVA =
  '2026-12-07 10:00:00,123 ERROR [elasticInstanceManager-1] [EC2InstanceImpl] Failed to start instance com.amazonaws.services.ec2.model.AmazonEC2Exception: You are not authorized to perform this operation. Encoded authorization failure message: 5Gn1ZQ0a-EXAMPLE-ryQhB3h2UOxYfLr (Service: AmazonEC2; Status Code: 403; Error Code: UnauthorizedOperation; Request ID: 2f0c8e3a-1b2c-4d5e-8f90-a1b2c3d4e5f6; Proxy: null)';

describe('diagnose: real log lines', () => {
  it('recognises "Security token is required" on its own and inside a wrapper log line, with Bamboo selected or not', () => {
    expect(ids('Security token is required', 'bamboo-remote')).toEqual(['bamboo-security-token-missing']);
    expect(
      ids('INFO   | jvm 1    | 2026/12/07 10:00:00 | 2026-12-07 10:00:00,001 FATAL [WrapperSimpleAppMain] [AgentContext] Security token is required'),
    ).toContain('bamboo-security-token-missing');
  });

  it('recognises the AWS SDK for Java form of UnauthorizedOperation, as the CLI form', () => {
    expect(ids(AWS_JAVA, 'bamboo-elastic')).toContain('bamboo-elastic-unauthorized-run-instances');
    expect(ids(AWS_JAVA)).toContain('bamboo-elastic-unauthorized-run-instances');
    expect(
      ids(
        'An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: abc',
      ),
    ).toContain('bamboo-elastic-unauthorized-run-instances');
  });

  it("reads Buildkite's 401 at /v3/register as a refused agent token, never as Harness's revoked delegate token", () => {
    expect(ids(BUILDKITE_401, 'buildkite')).toContain('buildkite-register-unauthorized');
    expect(ids(BUILDKITE_401, 'buildkite')).not.toContain('harness-token-revoked');
    expect(ids(BUILDKITE_401)).not.toContain('harness-token-revoked');
  });

  it("recognises the Harness delegate's own token lines", () => {
    for (const line of [
      'Delegate used invalid token. Self destruct procedure will be initiated.',
      'Delegate used expired token. It will be frozen and drained.',
      'Delegate used revoked token. It will be frozen and drained.',
    ]) {
      expect(ids(`2026-12-07 10:00:00,000 [main] ERROR io.harness.delegate.service.DelegateAgentServiceImpl - ${line}`, 'harness')).toEqual([
        'harness-token-revoked',
      ]);
    }
  });

  it('tries the selected platform first, and the others only when it recognises nothing', () => {
    const harness = 'Delegate used revoked token. It will be frozen and drained.';
    expect(diagnose(harness, 'buildkite').map((d) => d.platform)).toEqual(['harness']);
    const both = `${BUILDKITE_401}\n${harness}`;
    expect(diagnose(both, 'buildkite').every((d) => d.platform === 'buildkite')).toBe(true);
    expect(diagnose(both, 'harness').map((d) => d.platform)).toEqual(['harness']);
  });
});
