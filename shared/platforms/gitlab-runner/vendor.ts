/**
 * GitLab's own answers: which server is GitLab (for the probe), whether a runner token is valid
 * (POST /api/v4/runners/verify with the token itself, which creates nothing when no system_id is
 * sent), and whether GitLab sees the runner (GET /api/v4/runners/:id with a read-only token).
 * Sources: GitLab doc/api/runners.md; spec/requests/api/ci/runner/runners_verify_post_spec.rb
 * (200 {id, token, token_expires_at}; 403 for an unknown and for an expired token alike; a
 * system_id makes it create a runner manager, so none is sent).
 */
import { err, ok } from '../../result';
import type { TokenVerify, TokenVerification, VendorApi, VendorServiceSpec } from '../types';
import type { GitlabRunnerAnswers } from './answers';

/** The GitLab URL without a trailing slash (a relative URL root such as /gitlab is kept). */
export function apiBase(url: string): string {
  return url.replace(/\/+$/, '');
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** GET /api/v4/version unauthenticated: GitLab answers 401 {"message":"401 Unauthorized"} (or 200 {version} where it is public). */
export const gitlabApiService: VendorServiceSpec = {
  id: 'gitlab-api',
  name: "GitLab's REST API",
  path: '/api/v4/version',
  judge({ status, headers, body }) {
    const b = obj(body);
    if (status === 401 && b?.message === '401 Unauthorized')
      return { looksLike: true, why: 'it answers GET /api/v4/version with GitLab\'s own 401 {"message":"401 Unauthorized"}' };
    if (status === 200 && typeof b?.version === 'string') return { looksLike: true, why: `it answers GET /api/v4/version with GitLab ${b.version}` };
    if (headers['x-gitlab-meta']) return { looksLike: true, why: "it sends GitLab's X-Gitlab-Meta header" };
    return {
      looksLike: false,
      why: `GET /api/v4/version answered ${status} without GitLab's JSON: this is not GitLab (a proxy page, a login portal, or the wrong URL)`,
    };
  },
};

const DAY_MS = 24 * 3600 * 1000;

/** Reads the answer to POST /api/v4/runners/verify. */
export function readVerify(answer: { status: number; body: unknown }, now: Date): TokenVerification {
  const b = obj(answer.body);
  if (answer.status === 200 || answer.status === 201) {
    const expires = typeof b?.token_expires_at === 'string' ? b.token_expires_at : undefined;
    const id = typeof b?.id === 'number' ? ` (runner id ${b.id})` : '';
    if (!expires) return { state: 'valid', message: `GitLab accepts this runner token${id}; it does not expire.` };
    const left = Date.parse(expires) - now.getTime();
    if (Number.isNaN(left)) return { state: 'valid', message: `GitLab accepts this runner token${id}.`, expiresAt: expires };
    if (left <= 0)
      return {
        state: 'expired',
        message: `GitLab says this token expired on ${expires}${id}. Reset it in GitLab (or create a new runner) and use the new token.`,
        expiresAt: expires,
      };
    const days = Math.floor(left / DAY_MS);
    const soon = days < 7 ? ` That is soon: a running runner renews it by itself, but a runner that is not up by then needs a new token from GitLab.` : '';
    return {
      state: 'valid',
      message: `GitLab accepts this runner token${id}; it expires on ${expires} (in ${days} day${days === 1 ? '' : 's'}).${soon}`,
      expiresAt: expires,
    };
  }
  if (answer.status === 403) {
    return {
      state: 'invalid',
      message:
        'GitLab refused this token (403): no runner has it. It was mistyped, reset in GitLab, its runner was deleted, or it expired — GitLab answers the same for all of these. Copy the token of the runner again from GitLab (Settings → CI/CD → Runners), or reset it there.',
    };
  }
  if (answer.status === 400) return { state: 'invalid', message: 'GitLab answered 400: the request had no usable token.' };
  if (answer.status === 404)
    return {
      state: 'unknown',
      message:
        'There is no /api/v4/runners/verify at this URL (404): check the GitLab URL (a self-managed GitLab under a path needs it, e.g. https://host/gitlab).',
    };
  if (answer.status === 429) return { state: 'unknown', message: 'GitLab is rate-limiting this address (429); try again in a minute.' };
  return { state: 'unknown', message: `GitLab answered ${answer.status}, which does not say whether the token is valid.` };
}

export const gitlabTokenVerify: TokenVerify<GitlabRunnerAnswers> = {
  what: 'POST /api/v4/runners/verify on your GitLab with the runner token itself: GitLab only checks it and creates nothing.',
  request(a, token) {
    if (!token.startsWith('glrt-')) return err('TOKEN_WRONG_KIND', 'Only a runner authentication token (glrt-…) can be checked this way.');
    return ok({
      url: `${apiBase(a.url)}/api/v4/runners/verify`,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token }),
    });
  },
  read: readVerify,
};

/** GET /api/v4/runners/:id with a read_api token: status online | offline | stale | never_contacted. */
export const gitlabRunnersApi: VendorApi = {
  scope: "a personal, group or project access token with read_api (or an administrator's) — used for this check only",
  scopeField: { label: 'Runner ID', help: 'The number in config.toml (id = …) or in GitLab → Runners → the runner (#123).' },
  requests(base, scopeValue, _name, token) {
    return [
      {
        url: `${apiBase(base)}/api/v4/runners/${encodeURIComponent(scopeValue)}`,
        method: 'GET',
        headers: { 'PRIVATE-TOKEN': token, accept: 'application/json' },
      },
    ];
  },
  read(name, answers) {
    const a = answers[0];
    if (!a) return { state: 'failed', detail: 'GitLab did not answer GET /api/v4/runners/:id' };
    if (a.status === 401 || a.status === 403)
      return {
        state: 'failed',
        detail: `GitLab answered ${a.status}: the token cannot read this runner (it needs read_api, and access to the runner's project or group)`,
      };
    if (a.status === 404) return { state: 'failed', detail: 'GitLab has no runner with this id that the token can see (404)' };
    const b = obj(a.body);
    if (a.status !== 200 || !b) return { state: 'failed', detail: `GitLab answered ${a.status} without the runner's details` };
    const status = typeof b.status === 'string' ? b.status : undefined;
    const contacted = typeof b.contacted_at === 'string' ? `, last contact ${b.contacted_at}` : '';
    const paused = b.paused === true ? ' It is paused in GitLab: it takes no jobs until resumed.' : '';
    const called = typeof b.description === 'string' && b.description ? ` "${b.description}"` : name ? ` "${name}"` : '';
    if (status === 'online') return { state: 'passed', detail: `GitLab lists runner${called} as online${contacted}.${paused}` };
    if (status === 'never_contacted')
      return { state: 'waiting', detail: `GitLab lists runner${called} as never contacted: no runner process has used its token yet.` };
    if (status === 'offline' || status === 'stale')
      return { state: 'failed', detail: `GitLab lists runner${called} as ${status}${contacted}: the runner process is not reaching GitLab.${paused}` };
    return { state: 'failed', detail: `GitLab answered with status ${status ?? 'missing'}` };
  },
};
