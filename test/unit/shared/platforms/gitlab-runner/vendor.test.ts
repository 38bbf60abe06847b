import { describe, expect, it } from 'vitest';
import { gitlabRunner } from '../../../../../shared/platforms/gitlab-runner';
import { gitlabApiService, gitlabRunnersApi, readVerify } from '../../../../../shared/platforms/gitlab-runner/vendor';

const NOW = new Date('2026-12-07T00:00:00Z');

describe('GitLab token verify (POST /api/v4/runners/verify)', () => {
  it('builds the documented request: the token in the JSON body, no system_id (which would create a runner manager)', () => {
    const a = gitlabRunner.answers.parse({ url: 'https://gitlab.corp.example/gitlab/' });
    const r = gitlabRunner.tokenVerify!.request(a, 'glrt-AbCdEfGhIjKlMnOpQrSt1234');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ url: 'https://gitlab.corp.example/gitlab/api/v4/runners/verify', method: 'POST' });
    expect(JSON.parse(r.value.body!)).toEqual({ token: 'glrt-AbCdEfGhIjKlMnOpQrSt1234' });
    expect(r.value.url).not.toContain('glrt-');
  });

  it('tells valid, expiring, expired and refused apart', () => {
    expect(readVerify({ status: 200, body: { id: 7, token: 'x', token_expires_at: null } }, NOW)).toMatchObject({
      state: 'valid',
      message: expect.stringMatching(/does not expire/),
    });
    expect(readVerify({ status: 200, body: { id: 7, token: 'x', token_expires_at: '2027-03-01T00:00:00.000Z' } }, NOW)).toMatchObject({
      state: 'valid',
      expiresAt: '2027-03-01T00:00:00.000Z',
    });
    expect(readVerify({ status: 200, body: { id: 7, token: 'x', token_expires_at: '2026-12-09T00:00:00.000Z' } }, NOW).message).toMatch(/in 2 days.*soon/);
    expect(readVerify({ status: 200, body: { id: 7, token: 'x', token_expires_at: '2026-12-01T00:00:00.000Z' } }, NOW)).toMatchObject({ state: 'expired' });
    expect(readVerify({ status: 403, body: { message: '403 Forbidden' } }, NOW)).toMatchObject({ state: 'invalid', message: expect.stringMatching(/expired/) });
    expect(readVerify({ status: 404, body: 'Not Found' }, NOW)).toMatchObject({ state: 'unknown' });
  });
});

describe('GitLab service and runner status', () => {
  it('tells GitLab from another server by GET /api/v4/version', () => {
    expect(gitlabApiService.judge({ status: 401, headers: {}, body: { message: '401 Unauthorized' } }).looksLike).toBe(true);
    expect(gitlabApiService.judge({ status: 200, headers: {}, body: '<html>login</html>' }).looksLike).toBe(false);
  });

  it('reads GET /api/v4/runners/:id status', () => {
    const req = gitlabRunnersApi.requests('https://gitlab.example.com/', '42', 'edge', 'glpat-read');
    expect(req[0]).toMatchObject({ url: 'https://gitlab.example.com/api/v4/runners/42', headers: { 'PRIVATE-TOKEN': 'glpat-read' } });
    expect(gitlabRunnersApi.read('edge', [{ status: 200, body: { id: 42, status: 'online', contacted_at: '2026-12-07T00:00:00Z' } }]).state).toBe('passed');
    expect(gitlabRunnersApi.read('edge', [{ status: 200, body: { id: 42, status: 'never_contacted' } }]).state).toBe('waiting');
    expect(gitlabRunnersApi.read('edge', [{ status: 200, body: { id: 42, status: 'stale' } }]).state).toBe('failed');
    expect(gitlabRunnersApi.read('edge', [{ status: 403, body: {} }]).detail).toMatch(/read_api/);
  });
});
