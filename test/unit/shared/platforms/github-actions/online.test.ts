import { describe, expect, it } from 'vitest';
import { githubActions } from '../../../../../shared/platforms/github-actions';
import { readInstallations, readRunnerToken, runnerTokenRequest, installationsRequest } from '../../../../../shared/platforms/github-actions';

const api = githubActions.vendorApi!;
const READ = `github_pat_11READ${'r'.repeat(76)}`;

describe('online signals', () => {
  it('the runner lines prove started, registered and connected', () => {
    const hop = (line: string) => githubActions.online.find((s) => s.kind === 'log' && s.pattern.test(line))?.hop;
    expect(hop("Current runner version: '2.329.0'")).toBe('started');
    expect(hop('√ Runner successfully added')).toBe('registered');
    expect(hop('2025-01-02 10:00:03Z: Listening for Jobs')).toBe('connected');
    expect(hop('Current runner scale set statistics.')).toBe('connected');
  });
});

describe("GitHub's runners list (read-only token)", () => {
  it('asks the repository, organization or enterprise list by name, never with the token in the URL', () => {
    const [repo] = api.requests('https://github.com/octo-org/octo-repo', '', 'build 01', READ);
    expect(repo).toEqual({
      url: 'https://api.github.com/repos/octo-org/octo-repo/actions/runners?per_page=100&name=build%2001',
      method: 'GET',
      headers: { Authorization: `Bearer ${READ}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
    });
    expect(api.requests('https://github.com/octo-org', '', 'a', READ)[0]!.url).toMatch(/^https:\/\/api\.github\.com\/orgs\/octo-org\/actions\/runners\?/);
    expect(api.requests('https://ghe.corp.example/octo-org', '', 'a', READ)[0]!.url).toMatch(
      /^https:\/\/ghe\.corp\.example\/api\/v3\/orgs\/octo-org\/actions\/runners\?/,
    );
    expect(api.requests('https://github.com/enterprises/acme', '', 'a', READ)[0]!.url).toMatch(/\/enterprises\/acme\/actions\/runners\?/);
  });

  it('reads online, offline, missing and refused', () => {
    const body = {
      total_count: 2,
      runners: [
        { id: 12, name: 'build-01', os: 'linux', status: 'online', busy: true, labels: [{ name: 'self-hosted' }, { name: 'gpu' }] },
        { id: 13, name: 'build-02', status: 'offline', busy: false, labels: [] },
      ],
    };
    expect(api.read('build-01', [{ status: 200, body }])).toEqual({
      state: 'passed',
      detail: 'GitHub lists runner "build-01" (id 12), labels self-hosted, gpu online, running a job.',
    });
    expect(api.read('build-02', [{ status: 200, body }])).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/offline/) });
    expect(api.read('build-03', [{ status: 200, body }])).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/14 days/) });
    expect(api.read('x', [{ status: 401, body: {} }])).toMatchObject({ state: 'failed', detail: expect.stringMatching(/refused the token/) });
    expect(api.read('x', [{ status: 403, body: {} }])).toMatchObject({ state: 'failed', detail: expect.stringMatching(/Administration: read/) });
    expect(api.read('x', [undefined])).toMatchObject({ state: 'failed' });
  });
});

describe('a PAT fetches a registration or remove token', () => {
  it('posts to the documented endpoint of the URL', () => {
    const r = runnerTokenRequest('https://github.com/octo-org/octo-repo', READ, 'remove');
    expect(r.ok && r.value).toMatchObject({ url: 'https://api.github.com/repos/octo-org/octo-repo/actions/runners/remove-token', method: 'POST' });
    const o = runnerTokenRequest('https://github.com/octo-org', READ, 'registration');
    expect(o.ok && o.value.url).toBe('https://api.github.com/orgs/octo-org/actions/runners/registration-token');
  });

  it('reads {token, expires_at} and explains 401, 403 and 404', () => {
    expect(readRunnerToken({ status: 201, body: { token: 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W', expires_at: '2026-01-01T13:00:00.000+00:00' } }, 'p')).toEqual({
      ok: true,
      value: { token: 'AQ6ZEQHFMACQJNNSFGC23YLHOAP7W', expiresAt: Date.UTC(2026, 0, 1, 13) },
    });
    expect(readRunnerToken({ status: 401, body: {} }, 'p')).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(readRunnerToken({ status: 403, body: {} }, 'Administration: write')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Administration: write/) },
    });
    expect(readRunnerToken({ status: 404, body: {} }, 'p')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(readRunnerToken({ status: 201, body: { token: 'x' } }, 'p')).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED' } });
  });
});

describe('is the GitHub App installed on the organization in the URL?', () => {
  const body = { total_count: 1, installations: [{ id: 7654321, app_id: 123456, app_slug: 'arc-app', account: { login: 'octo-org' } }] };
  it('asks the organization in the URL', () => {
    const r = installationsRequest('https://github.com/octo-org/octo-repo', READ);
    expect(r.ok && r.value.url).toBe('https://api.github.com/orgs/octo-org/installations?per_page=100');
  });
  it('passes the right pair and names what is wrong otherwise', () => {
    expect(readInstallations({ status: 200, body }, 'https://github.com/octo-org', '123456', '7654321')).toMatchObject({ state: 'passed' });
    expect(readInstallations({ status: 200, body }, 'https://github.com/octo-org', '123456', '1')).toMatchObject({
      state: 'failed',
      detail: expect.stringMatching(/installation 7654321, not 1/),
    });
    expect(readInstallations({ status: 200, body }, 'https://github.com/octo-org', '999', '7654321')).toMatchObject({
      state: 'failed',
      detail: expect.stringMatching(/401/),
    });
    expect(readInstallations({ status: 200, body: { installations: [] } }, 'https://github.com/octo-org', 'Iv23liABCDEF', '7654321')).toMatchObject({
      state: 'failed',
      detail: expect.stringMatching(/not installed on octo-org/),
    });
    expect(readInstallations({ status: 403, body: {} }, 'https://github.com/octo-org', '1', '2')).toMatchObject({ state: 'unknown' });
  });
});
