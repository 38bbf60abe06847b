/**
 * GitHub REST calls a runner install needs, as pure request builders and answer readers (the main
 * process makes the request): a registration or remove token fetched with a PAT — what
 * `config.sh --pat` does (actions/runner ConfigurationManager.cs GetRunnerTokenAsync), answered
 * `{token, expires_at}` — and whether a GitHub App is installed on the organization in the URL
 * (`GET /orgs/{org}/installations`, answered `{total_count, installations: [{id, app_id,
 * app_slug, account: {login}}]}`), the top ARC failure. Plus the unauthenticated `GET /meta`
 * that tells GitHub's API from any other HTTPS server.
 */
import { err, ok, type Result } from '../../result';
import type { TokenVerify, VendorRequest, VendorServiceSpec } from '../types';
import { githubTarget, type GitHubActionsAnswers } from './answers';
import { checkGitHubToken, patPermission } from './tokens';

const HEADERS = (token: string): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
});

/** POST …/actions/runners/registration-token (or remove-token) for the runner URL, with a PAT. */
export function runnerTokenRequest(url: string, pat: string, which: 'registration' | 'remove'): Result<VendorRequest> {
  const t = githubTarget(url);
  if (!t) return err('BAD_INPUT', `${url} is not a GitHub repository, organization or enterprise URL.`);
  const scope = t.kind === 'repo' ? `repos/${t.owner}/${t.repo}` : t.kind === 'org' ? `orgs/${t.owner}` : `enterprises/${t.owner}`;
  return ok({ url: `${t.api}/${scope}/actions/runners/${which}-token`, method: 'POST', headers: HEADERS(pat) });
}

/** A token GitHub made, with when it stops working (ms since the epoch). */
export interface FetchedToken {
  token: string;
  expiresAt: number;
}

/** Reads the answer to runnerTokenRequest; AUTH_FAILED / FORBIDDEN / NOT_FOUND say what to change. */
export function readRunnerToken(answer: { status: number; body: unknown }, permission: string): Result<FetchedToken> {
  if (answer.status === 401)
    return err('AUTH_FAILED', 'GitHub refused the PAT (401): it expired, was revoked, or was mistyped.', 'Create a new token and try again.');
  if (answer.status === 403)
    return err(
      'FORBIDDEN',
      `GitHub answered 403: the PAT lacks the permission to create runner tokens here. It needs ${permission}.`,
      "Edit the token's permissions (or ask an owner of the organization for one), then try again.",
    );
  if (answer.status === 404)
    return err(
      'NOT_FOUND',
      `GitHub answered 404: the repository or organization does not exist, or the PAT cannot see it (it needs ${permission}).`,
      'Check the URL, and that the token was granted access to this repository or organization.',
    );
  if (answer.status !== 201 && answer.status !== 200) return err('REMOTE_FAILED', `GitHub answered ${answer.status} when asked for a runner token.`);
  const b = answer.body as { token?: unknown; expires_at?: unknown } | undefined;
  const expires = typeof b?.expires_at === 'string' ? Date.parse(b.expires_at) : NaN;
  if (typeof b?.token !== 'string' || !/^[A-Za-z0-9]{20,60}$/.test(b.token) || Number.isNaN(expires))
    return err('REMOTE_FAILED', "GitHub's answer has no token and expiry time in the documented shape ({token, expires_at}).");
  return ok({ token: b.token, expiresAt: expires });
}

/** GET /orgs/{org}/installations for the organization in the URL (a token with organization "Administration: read"). */
export function installationsRequest(url: string, token: string): Result<VendorRequest> {
  const t = githubTarget(url);
  if (!t) return err('BAD_INPUT', `${url} is not a GitHub URL.`);
  if (t.kind !== 'org' && t.kind !== 'repo') return err('BAD_INPUT', 'A GitHub App cannot register enterprise runners.');
  return ok({ url: `${t.api}/orgs/${t.owner}/installations?per_page=100`, method: 'GET', headers: HEADERS(token) });
}

/** Whether the app (`appId`: the numeric App ID, or a Client ID that cannot be matched) has installation `installationId` on the URL's organization. */
export function readInstallations(
  answer: { status: number; body: unknown },
  url: string,
  appId: string,
  installationId: string,
): { state: 'passed' | 'failed' | 'unknown'; detail: string } {
  const owner = githubTarget(url)?.owner ?? '?';
  if (answer.status === 401) return { state: 'unknown', detail: 'GitHub refused the token used for this check (401); the app itself was not checked.' };
  if (answer.status === 403 || answer.status === 404)
    return {
      state: 'unknown',
      detail: `The token cannot list ${owner}'s app installations (${answer.status}): it needs organization "Administration: read" (classic: read:org as an owner). The app was not checked.`,
    };
  const list = (answer.body as { installations?: { id?: number; app_id?: number; app_slug?: string; account?: { login?: string } }[] } | undefined)
    ?.installations;
  if (answer.status !== 200 || !Array.isArray(list)) return { state: 'unknown', detail: `GitHub answered ${answer.status} without an installations list.` };
  const found = list.find((i) => String(i.id) === installationId);
  if (!found) {
    const same = /^\d+$/.test(appId) ? list.find((i) => String(i.app_id) === appId) : undefined;
    return {
      state: 'failed',
      detail: same
        ? `The app ${same.app_slug ?? appId} is installed on ${owner} as installation ${same.id}, not ${installationId}: put ${same.id} in github_app_installation_id.`
        : `${owner} has no installation ${installationId}: the app is not installed on ${owner} (install it from the app's page → Install App), or the ID belongs to another account. The ARC listener would fail with 404.`,
    };
  }
  if (/^\d+$/.test(appId) && String(found.app_id) !== appId)
    return {
      state: 'failed',
      detail: `Installation ${installationId} on ${owner} belongs to app ${found.app_slug ?? found.app_id} (App ID ${found.app_id}), not App ID ${appId}: the listener would fail with 401.`,
    };
  return { state: 'passed', detail: `The app ${found.app_slug ?? appId} is installed on ${found.account?.login ?? owner} as installation ${installationId}.` };
}

/** GitHub's REST API, known by `GET /meta` (public): github.com answers with `verifiable_password_authentication`, GHES adds `installed_version`. */
export const githubServices: VendorServiceSpec[] = [
  {
    id: 'github-api',
    name: "GitHub's REST API",
    path: '/meta',
    judge({ status, body }) {
      const b = body as Record<string, unknown> | undefined;
      if (status === 200 && b && typeof b === 'object' && ('verifiable_password_authentication' in b || 'installed_version' in b))
        return { looksLike: true, why: "GET /meta answered GitHub's metadata (verifiable_password_authentication)." };
      return {
        looksLike: false,
        why: `GET /meta answered ${status} without GitHub's metadata: something else (a proxy's page, a captive portal) answers at this address.`,
      };
    },
  },
];

/** True for an ARC scale set: the variant says so or, when it is not known, the answers name a scale set. */
function isArc(a: GitHubActionsAnswers, variant: string | undefined): boolean {
  return variant === 'arc' || (variant === undefined && Boolean(a.scaleSetName));
}

/** True when these answers and variant mean an ARC scale set authenticating with a GitHub App. */
function arcApp(a: GitHubActionsAnswers, variant: string | undefined): boolean {
  return a.arcAuth === 'app' && isArc(a, variant);
}

function permissionFor(url: string): string {
  const t = githubTarget(url);
  return t ? patPermission(t.kind) : 'the permission to create runner tokens';
}

function clockUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/**
 * The generic token check (Platform.tokenVerify) for GitHub, by the token's kind and the variant:
 * - a PAT for a runner on a host (or a re-registration): POST …/actions/runners/registration-token,
 *   which proves the PAT may register runners here; the one-hour token GitHub answers is `issued`,
 *   so the main process keeps it in the vault where it can replace the PAT as the credential;
 * - a PAT for ARC with a PAT: the same request, proving the permission the listener needs (the
 *   token it makes expires unused);
 * - a PAT for ARC with a GitHub App: GET /orgs/{org}/installations, and whether the app is
 *   installed on the organization in the URL (the top ARC failure), as a finding;
 * - a registration token cannot be checked without using it: refused before anything is sent.
 */
export const githubTokenVerify: TokenVerify<GitHubActionsAnswers> = {
  what:
    "Only a personal access token (ghp_… / github_pat_…) can be checked, with GitHub's REST API at the URL on the Details step. " +
    "For a runner on a host: it asks for a registration token (POST …/actions/runners/registration-token), which proves the PAT may register runners; the one-hour token GitHub returns stays in this app's vault, and you may use it instead of the PAT. " +
    'For ARC with a PAT: the same request, for the permission the listener needs (the token it makes expires unused). ' +
    'For ARC with a GitHub App: it lists the organization\'s app installations (GET /orgs/ORG/installations; the PAT needs organization "Administration: read") to check the app is installed there. Nothing else is created or changed.',
  request(a, token, variant) {
    const kind = checkGitHubToken(token);
    if (kind.verdict !== 'ok') return err(kind.verdict === 'wrong-kind' ? 'TOKEN_WRONG_KIND' : 'TOKEN_INVALID', kind.message);
    if (!kind.kind.startsWith('pat')) {
      return err(
        'TOKEN_WRONG_KIND',
        'GitHub has no way to check a registration token without using it: its countdown is on the Credentials step.',
        'Give a personal access token instead to have it checked (and to fetch a fresh registration token with it).',
      );
    }
    if (arcApp(a, variant)) {
      if (!a.appId || !a.installationId)
        return err('BAD_INPUT', 'Checking the GitHub App needs its App ID and installation ID.', 'Fill them in on the Details step.');
      return installationsRequest(a.url, token);
    }
    return runnerTokenRequest(a.url, token, 'registration');
  },
  read(answer, _now, asked) {
    const a = asked?.answers;
    if (a && arcApp(a, asked.variant)) {
      if (answer.status === 401)
        return { state: 'invalid', message: 'GitHub refused the PAT (401): it expired, was revoked, or was mistyped. Create a new token and check again.' };
      const finding = readInstallations(answer, a.url, a.appId ?? '', a.installationId ?? '');
      if (answer.status !== 200) return { state: 'unknown', message: finding.detail, findings: [finding] };
      return {
        state: 'valid',
        message: `GitHub accepts the PAT and it may list ${githubTarget(a.url)?.owner ?? 'the organization'}'s app installations.`,
        findings: [finding],
      };
    }
    const permission = a ? permissionFor(a.url) : 'the permission to create runner tokens';
    const fetched = readRunnerToken(answer, permission);
    if (!fetched.ok) {
      const text = `${fetched.error.message}${fetched.error.hint ? ` ${fetched.error.hint}` : ''}`;
      return { state: fetched.error.code === 'AUTH_FAILED' || fetched.error.code === 'FORBIDDEN' ? 'invalid' : 'unknown', message: text };
    }
    const expiresAt = new Date(fetched.value.expiresAt).toISOString();
    if (a && isArc(a, asked.variant)) {
      return {
        state: 'valid',
        message: `GitHub accepts the PAT: it may create runner tokens here, as ARC's listener needs (${permission}). The registration token this made expires unused at ${clockUtc(fetched.value.expiresAt)}.`,
      };
    }
    const shape = checkGitHubToken(fetched.value.token);
    const issued =
      shape.verdict === 'ok' && shape.kind === 'registration-token'
        ? {
            token: fetched.value.token,
            kind: shape.kind,
            kindName: shape.kindName,
            expiresAt,
            note: 'Fetched with your PAT; it expires one hour after GitHub made it.',
          }
        : undefined;
    return {
      state: 'valid',
      message: `GitHub accepts the PAT: it may create runner tokens here (${permission}). GitHub issued a registration token that expires at ${clockUtc(fetched.value.expiresAt)}${issued ? "; it is kept in this app's vault, and using it instead of the PAT keeps the PAT out of the generated files" : ''}.`,
      ...(issued ? { issued } : {}),
    };
  },
};
