/**
 * The GitHub tokens a runner install meets (reference/next-platforms.md B1 "Credentials"), and
 * how to tell them apart by shape: the one-hour registration token from the "New self-hosted
 * runner" page, a PAT that lets config.sh fetch registration and remove tokens itself, and the
 * tokens people paste by mistake (app installation tokens, OAuth tokens, a JIT config blob).
 */
import type { TokenCheck, TokenSpec } from '../types';
import { decodeBase64Utf8 } from '../../edit/values';

/** Where a registration token comes from, in words. */
export const REGISTRATION_WHERE =
  'GitHub → your repository or organization → Settings → Actions → Runners → New self-hosted runner: the value after --token (it expires one hour after the page made it). Or a personal access token (ghp_… / github_pat_…) that may create runner tokens.';

/** The permission a PAT needs to fetch registration and remove tokens, for a URL of this kind. */
export function patPermission(kind: 'repo' | 'org' | 'enterprise'): string {
  if (kind === 'repo') return 'a fine-grained token with the repository permission "Administration: write" (classic: the repo scope)';
  if (kind === 'org') return 'a fine-grained token with the organization permission "Self-hosted runners: write" (classic: the admin:org scope)';
  return 'a classic token with the manage_runners:enterprise scope';
}

/** How long a registration or remove token lives (GitHub REST "Create a registration token": expires after one hour). */
export const REGISTRATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const OTHER_GITHUB: { re: RegExp; kind: string; kindName: string; why: string }[] = [
  {
    re: /^ghs_/,
    kind: 'installation-token',
    kindName: 'GitHub App installation token',
    why: 'It is minted from a GitHub App for one hour (a workflow GITHUB_TOKEN is one too); config.sh cannot register with it. For ARC, give the app ID, installation ID and private key instead; for a host runner, a registration token or a PAT.',
  },
  {
    re: /^gho_/,
    kind: 'oauth-token',
    kindName: 'GitHub OAuth app token',
    why: 'It belongs to an OAuth app signed in as a user; the runner takes a registration token or a personal access token.',
  },
  {
    re: /^ghu_/,
    kind: 'user-to-server-token',
    kindName: 'GitHub App user token',
    why: 'A GitHub App acting for a user; the runner takes a registration token or a personal access token.',
  },
  { re: /^ghr_/, kind: 'refresh-token', kindName: 'GitHub refresh token', why: 'It only renews another token.' },
];

/** True when `token` is a JIT runner configuration (`encoded_jit_config`): base64 of JSON naming runner files. */
export function isJitConfig(token: string): boolean {
  if (token.length < 100 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const text = decodeBase64Utf8(token);
  return text !== undefined && /^\s*\{/.test(text) && /"\.runner"|"\.credentials"|"agentId"/.test(text);
}

/** Judges a cleaned token for a runner (TokenSpec.check). */
export function checkGitHubToken(token: string): TokenCheck {
  const other = OTHER_GITHUB.find((k) => k.re.test(token));
  if (other)
    return {
      verdict: 'wrong-kind',
      kind: other.kind,
      kindName: other.kindName,
      message: `This is a ${other.kindName} (it starts with ${token.slice(0, 4)}). ${other.why}`,
    };
  if (/^ghp_[A-Za-z0-9]{36}$/.test(token)) {
    return {
      verdict: 'ok',
      kind: 'pat-classic',
      kindName: 'GitHub personal access token (classic)',
      message: 'Looks like a classic personal access token: the runner uses it to fetch its own registration and remove tokens (config.sh --pat).',
      note: 'It needs the repo scope for a repository runner, admin:org for an organization runner. It does not expire within the hour, but it is a powerful token: prefer a fine-grained one.',
    };
  }
  if (/^github_pat_[A-Za-z0-9_]{60,}$/.test(token)) {
    return {
      verdict: 'ok',
      kind: 'pat-fine-grained',
      kindName: 'GitHub fine-grained personal access token',
      message: 'Looks like a fine-grained personal access token: the runner uses it to fetch its own registration and remove tokens (config.sh --pat).',
      note: 'It needs "Administration: write" on the repository (repository runner) or "Self-hosted runners: write" on the organization (organization runner).',
    };
  }
  if (/^(ghp_|github_pat_)/.test(token))
    return {
      verdict: 'invalid',
      message: `This starts like a GitHub personal access token but has ${token.length} characters: part of it may be missing or extra.`,
    };
  if (isJitConfig(token)) {
    return {
      verdict: 'wrong-kind',
      kind: 'jit-config',
      kindName: 'JIT runner configuration',
      message:
        'This is a just-in-time runner configuration (encoded_jit_config from generate-jitconfig), not a token: it is the whole runner setup for one job. Run it directly with ./run.sh --jitconfig on the host; config.sh is not used.',
    };
  }
  if (/^[A-Z0-9]{20,40}$/.test(token)) {
    return {
      verdict: 'ok',
      kind: 'registration-token',
      kindName: 'GitHub runner registration token',
      message: 'Looks like a runner registration token. It expires one hour after GitHub made it.',
      note: 'A remove token (from "Remove runner") looks the same: registering with one fails with a bare 404 from runner-registration. Use the token from "New self-hosted runner".',
    };
  }
  if (/^[A-Za-z0-9]{20,40}$/.test(token))
    return {
      verdict: 'invalid',
      message:
        'A runner registration token has upper-case letters and digits only; this has lower-case letters. Copy it again from the New self-hosted runner page.',
    };
  return {
    verdict: 'invalid',
    message: 'This is not a runner registration token (about 29 upper-case letters and digits) nor a personal access token (ghp_… or github_pat_…).',
  };
}

/** The platform's TokenSpec: registration token or PAT; GitHub's other tokens are claimed, so this check names them. */
export const githubTokenSpec: TokenSpec = {
  name: 'registration token or personal access token',
  where: REGISTRATION_WHERE,
  check: checkGitHubToken,
  claims: /^(gh[pousr]_|github_pat_)/,
  lifetime: {
    kinds: ['registration-token'],
    ms: REGISTRATION_TOKEN_LIFETIME_MS,
    warnMs: 10 * 60 * 1000,
    renew: 'Get a fresh one on the New self-hosted runner page (or let a PAT fetch it), and check it again here.',
  },
};
