/** The vendor answer rules (shared/vendor-answers.ts), answer by answer. */
import { describe, expect, it } from 'vitest';
import { judgeVendorAnswer, vendorCheckPath } from '../../../shared/vendor-answers';

const a = (status: number, body: string, headers: Record<string, string> = {}): { status: number; body: string; headers: Record<string, string> } => ({
  status,
  body,
  headers,
});

describe('judgeVendorAnswer', () => {
  it('Buildkite: only a 401 with a JSON message is the Agent API', () => {
    expect(judgeVendorAnswer('buildkite-agent-api', '/v3/ping', a(401, '{"message":"No token"}')).looksLike).toBe(true);
    expect(judgeVendorAnswer('buildkite-agent-api', '/v3/ping', a(401, '<html>401</html>')).looksLike).toBe(false);
    expect(judgeVendorAnswer('buildkite-agent-api', '/v3/ping', a(200, '{"message":"ok"}')).looksLike).toBe(false);
  });
  it('Harness: only the RestResponse wrapper is the manager', () => {
    expect(judgeVendorAnswer('harness-manager', '/api/version', a(200, '{"metaData":null,"resource":{},"responseMessages":[]}')).looksLike).toBe(true);
    expect(judgeVendorAnswer('harness-manager', '/api/version', a(200, '{"version":"1"}')).looksLike).toBe(false);
  });
  it('Bamboo: server info, or an Atlassian login refusal', () => {
    expect(judgeVendorAnswer('bamboo-server', '/rest/api/latest/info', a(200, '{"version":"9.6.2","buildNumber":"90617"}')).detail).toContain('Bamboo 9.6.2');
    expect(judgeVendorAnswer('bamboo-server', '/rest/api/latest/info', a(401, '', { 'x-seraph-loginreason': 'AUTHENTICATION_DENIED' })).looksLike).toBe(true);
    expect(judgeVendorAnswer('bamboo-server', '/rest/api/latest/info', a(401, '')).looksLike).toBe(false);
  });
  it('puts the check path below the path of the URL the agent uses', () => {
    expect(vendorCheckPath('buildkite-agent-api', '/v3/')).toBe('/v3/ping');
    expect(vendorCheckPath('bamboo-server', '/')).toBe('/rest/api/latest/info');
    expect(vendorCheckPath('harness-manager', undefined)).toBe('/api/version');
  });
});
