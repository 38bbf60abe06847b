/**
 * Vendor endpoints are recognised by how they answer (issue 12 item 9), not just by speaking
 * TLS. The vendors' SaaS cannot be reached from tests, so loopback HTTPS stand-ins answer the
 * probe's check paths in the documented shapes (see shared/vendor-answers.ts for the sources),
 * and a plain web server on the same kind of port shows what "any TLS server" now gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEndpoint } from '../../shared/probe';
import { runProbes } from '../../main/services/probe';
import { buildkite } from '../../shared/platforms/buildkite';
import { harness } from '../../shared/platforms/harness';
import { bambooRemote } from '../../shared/platforms/bamboo-remote';
import { startCannedHttps, type Running } from '../support/net-servers';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';

let certs: TestCerts;
let vendor: Running & { requests: string[] };
let generic: Running & { requests: string[] };

beforeAll(async () => {
  certs = await makeTestCerts();
  vendor = await startCannedHttps(certs.trusted, {
    '/v3/ping': { status: 401, body: JSON.stringify({ message: 'Authorization failed' }) },
    '/gratis/api/version': {
      status: 200,
      chunked: true,
      body: JSON.stringify({ metaData: {}, resource: { versionInfo: { version: '1.0.87500' } }, responseMessages: [] }),
    },
    '/rest/api/latest/info': {
      status: 200,
      body: JSON.stringify({ version: '9.6.2', edition: '', buildDate: '2024-05-01T00:00:00.000Z', buildNumber: '90617', state: 'RUNNING' }),
    },
  });
  generic = await startCannedHttps(certs.trusted, {
    '/': { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Welcome to nginx!</body></html>' },
  });
});
afterAll(async () => {
  await Promise.all([vendor?.stop(), generic?.stop()]);
  certs?.cleanup();
});

/** The platform's own endpoint, pointed at a loopback port (the stand-in's certificate names localhost). */
function planned(endpoints: ProbeEndpoint[], id: string, port: number): ProbeEndpoint {
  const e = endpoints.find((x) => x.id === id)!;
  return { ...e, host: 'localhost', port };
}

describe('vendor endpoints answer like the vendor', () => {
  const bk = buildkite.endpoints(buildkite.answers.parse({ name: 'ci', endpoint: 'https://agent-edge.buildkite.com/v3' }));
  const hn = harness.endpoints(
    harness.answers.parse({ accountId: 'acc', delegateName: 'd', imageTag: '26.02.88404', managerEndpoint: 'https://app.harness.io/gratis' }),
  );
  const bb = bambooRemote.endpoints(bambooRemote.answers.parse({ serverUrl: 'https://bamboo.example.com' }));

  it('each platform names its service and the check path below the URL the agent uses', () => {
    expect(bk.find((e) => e.id === 'agent-api')).toMatchObject({ service: 'buildkite-agent-api', path: '/v3/ping' });
    expect(hn.find((e) => e.id === 'manager')).toMatchObject({ service: 'harness-manager', path: '/gratis/api/version' });
    expect(bb.find((e) => e.id === 'server')).toMatchObject({ service: 'bamboo-server', path: '/rest/api/latest/info' });
  });

  it('says the answer looked like the service when it did', async () => {
    const run = await runProbes([planned(bk, 'agent-api', vendor.port), planned(hn, 'manager', vendor.port), planned(bb, 'server', vendor.port)], {
      timeoutMs: 5000,
      extraCa: [certs.caPem],
    });
    expect(run.results.map((r) => r.verdict)).toEqual(['HTTP_OK', 'HTTP_OK', 'HTTP_OK']);
    expect(run.results[0]?.detail).toContain("answered like Buildkite's Agent API: GET /v3/ping → refused without a token: 401");
    expect(run.results[1]?.detail).toContain('answered like the Harness manager');
    expect(run.results[2]?.detail).toContain('answered like a Bamboo server: GET /rest/api/latest/info → Bamboo 9.6.2 (build 90617)');
    expect(vendor.requests).toEqual(expect.arrayContaining(['GET /v3/ping', 'GET /gratis/api/version', 'GET /rest/api/latest/info']));
  });

  it('any other TLS server gets "answered, but not like …" and a failed verdict, not a pass', async () => {
    const run = await runProbes([planned(bk, 'agent-api', generic.port), planned(hn, 'manager', generic.port), planned(bb, 'server', generic.port)], {
      timeoutMs: 5000,
      extraCa: [certs.caPem],
    });
    expect(run.results.map((r) => [r.verdict, r.level])).toEqual([
      ['NOT_THE_SERVICE', 'fail'],
      ['NOT_THE_SERVICE', 'fail'],
      ['NOT_THE_SERVICE', 'fail'],
    ]);
    expect(run.results[0]?.detail).toBe(
      'answered, but not like Buildkite\'s Agent API: GET /v3/ping → expected 401 with a JSON {"message"} body, got 404 without JSON',
    );
    expect(run.results[1]?.checks.at(-1)).toMatchObject({ step: 'http', status: 'fail' });
    expect(run.passed).toBe(false);
  });
});
