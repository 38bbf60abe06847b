/**
 * GitHub's REST API as a runner install uses it, against a loopback HTTPS stand-in: GitHub itself
 * cannot be reached from tests, so a local server answers the documented shapes (GitHub REST
 * "Self-hosted runners": POST …/actions/runners/registration-token → 201 {token, expires_at};
 * GET …/actions/runners → {total_count, runners}; "Apps": GET /orgs/{org}/installations →
 * {total_count, installations}), under /api/v3 as GitHub Enterprise Server serves them, with a
 * certificate from a test CA (a private CA, as GHES often has). Requests go through the main
 * process's one vendor sender (main/services/vendor-request.ts: direct or through a CONNECT proxy).
 */
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendVendorRequest } from '../../../../../main/services/vendor-request';
import { checkGitHubToken, githubActions, installationsRequest, readInstallations, readRunnerToken, runnerTokenRequest } from '../../../../../shared/platforms/github-actions';
import { makeTestCerts, type TestCerts } from '../../../../support/tls-certs';

const PAT = `github_pat_11STANDIN0${'p'.repeat(72)}`;
const READ = `ghp_${'R3ad'.repeat(9)}`;
const FRESH = 'ASTANDINREGISTRATIONTOKEN0001';
let certs: TestCerts;
let server: https.Server;
let base = '';
const seen: string[] = [];

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

beforeAll(async () => {
  certs = await makeTestCerts();
  server = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    const auth = req.headers.authorization ?? '';
    seen.push(`${req.method} ${req.url} ${req.headers['x-github-api-version'] ?? ''}`);
    if (auth !== `Bearer ${PAT}` && auth !== `Bearer ${READ}`) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const url = new URL(req.url ?? '/', 'https://x');
    if (req.method === 'POST' && /^\/api\/v3\/repos\/octo-org\/octo-repo\/actions\/runners\/(registration|remove)-token$/.test(url.pathname)) {
      if (auth !== `Bearer ${PAT}`) return json(res, 403, { message: 'Resource not accessible by personal access token' });
      return json(res, 201, { token: FRESH, expires_at: '2026-12-07T08:00:00.000+00:00' });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/repos/octo-org/octo-repo/actions/runners') {
      const all = [
        { id: 12, name: 'build-01', os: 'linux', status: 'online', busy: false, labels: [{ id: 1, name: 'self-hosted', type: 'read-only' }, { id: 5, name: 'gpu', type: 'custom' }] },
        { id: 13, name: 'build-02', os: 'linux', status: 'offline', busy: false, labels: [] },
      ];
      const runners = all.filter((r) => !url.searchParams.get('name') || r.name === url.searchParams.get('name'));
      return json(res, 200, { total_count: runners.length, runners });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/orgs/octo-org/installations') {
      return json(res, 200, { total_count: 1, installations: [{ id: 7654321, app_id: 123456, app_slug: 'arc-app', target_type: 'Organization', account: { login: 'octo-org', type: 'Organization' } }] });
    }
    return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  certs.cleanup();
});

describe('a PAT fetches a registration token (what config.sh --pat does)', () => {
  it('gets a token with its expiry, which the platform then accepts as a registration token', async () => {
    const req = runnerTokenRequest(`${base}/octo-org/octo-repo`, PAT, 'registration');
    if (!req.ok) throw new Error(req.error.message);
    const answer = await sendVendorRequest(req.value, { caPems: [certs.caPem] });
    if (!answer.ok) throw new Error(answer.error.message);
    const token = readRunnerToken(answer.value, 'Administration: write');
    expect(token).toEqual({ ok: true, value: { token: FRESH, expiresAt: Date.UTC(2026, 11, 7, 8) } });
    expect(checkGitHubToken(FRESH)).toMatchObject({ verdict: 'ok', kind: 'registration-token' });
    expect(seen.at(-1)).toMatch(/^POST \/api\/v3\/repos\/octo-org\/octo-repo\/actions\/runners\/registration-token 2022-11-28$/);
  });

  it('a wrong PAT is AUTH_FAILED, one without the permission names it', async () => {
    const bad = runnerTokenRequest(`${base}/octo-org/octo-repo`, `ghp_${'x'.repeat(36)}`, 'remove');
    const a1 = await sendVendorRequest((bad as { ok: true; value: never }).value, { caPems: [certs.caPem] });
    expect(a1.ok && readRunnerToken(a1.value, 'p')).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    const weak = runnerTokenRequest(`${base}/octo-org/octo-repo`, READ, 'registration');
    const a2 = await sendVendorRequest((weak as { ok: true; value: never }).value, { caPems: [certs.caPem] });
    expect(a2.ok && readRunnerToken(a2.value, 'Administration: write')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/Administration: write/) } });
  });

  it('without the private CA the request fails and says to add the company CA', async () => {
    const req = runnerTokenRequest(`${base}/octo-org/octo-repo`, PAT, 'registration');
    const a = await sendVendorRequest((req as { ok: true; value: never }).value);
    expect(a).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED', hint: expect.stringMatching(/company inspects TLS.*trust its CA/) } });
  });
});

describe("GitHub's runners list with a read-only token", () => {
  it('reads the runner online, another offline, an unknown one missing', async () => {
    const api = githubActions.vendorApi!;
    const ask = async (name: string) => {
      const [req] = api.requests(`${base}/octo-org/octo-repo`, '', name, READ);
      const a = await sendVendorRequest(req!, { caPems: [certs.caPem] });
      return api.read(name, [a.ok ? a.value : undefined]);
    };
    expect(await ask('build-01')).toEqual({ state: 'passed', detail: 'GitHub lists runner "build-01" (id 12), labels self-hosted, gpu online, idle.' });
    expect(await ask('build-02')).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/offline/) });
    expect(await ask('build-99')).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/does not list/) });
  });
});

describe('the GitHub App is installed on the organization in the URL', () => {
  it('passes the right installation and names the wrong one', async () => {
    const req = installationsRequest(`${base}/octo-org`, READ);
    if (!req.ok) throw new Error(req.error.message);
    const a = await sendVendorRequest(req.value, { caPems: [certs.caPem] });
    if (!a.ok) throw new Error(a.error.message);
    expect(readInstallations(a.value, `${base}/octo-org`, '123456', '7654321')).toMatchObject({ state: 'passed' });
    expect(readInstallations(a.value, `${base}/octo-org`, '123456', '1111')).toMatchObject({ state: 'failed', detail: expect.stringMatching(/installation 7654321, not 1111/) });
  });
});
