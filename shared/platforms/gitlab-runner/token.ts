/**
 * GitLab's tokens as a runner sees them (reference/next-platforms.md B2; gitlab-runner
 * helpers/shorten_token.go, network/gitlab.go): the runner authentication token `glrt-…` (with or
 * without a t1_/t2_/t3_ partition prefix) is what config.toml holds; every other GitLab token is
 * named, with why it does not belong there and where to get the right one.
 */
import type { TokenCheck, TokenSpec } from '../types';

export const RUNNER_TOKEN_WHERE =
  'GitLab → your project, group or Admin Area → Settings → CI/CD → Runners → New runner (or Create instance runner): create the runner there, then copy its runner authentication token (glrt-…, shown once).';

const AUTH_TOKEN = /^glrt-(t[123]_)?[A-Za-z0-9_.-]+$/;

/** GitLab tokens that are not a runner authentication token, with why. */
const OTHER_KINDS: { re: RegExp; kind: string; kindName: string; why: string }[] = [
  {
    re: /^GR1348941/,
    kind: 'registration-token',
    kindName: 'legacy runner registration token',
    why: 'Registration tokens are deprecated (GitLab 15.6) and off by default on new instances since 17.0 ("Runner registration tokens must be enabled in the Admin Area"); they only register a runner and never go into config.toml. Create the runner in GitLab instead and use its glrt- token.',
  },
  {
    re: /^glrtr-/,
    kind: 'runner-registration-less-token',
    kindName: 'GitLab glrtr- runner token',
    why: 'It is not the runner authentication token (glrt-) that config.toml holds.',
  },
  {
    re: /^glpat-/,
    kind: 'personal-access-token',
    kindName: 'GitLab personal access token',
    why: 'It is for the API (creating runners, gitlab-runner reset-token --pat, the status check), not for a runner to pick up jobs.',
  },
  { re: /^glcbt-/, kind: 'job-token', kindName: 'GitLab CI job token', why: 'Each job gets its own and it ends with the job.' },
  { re: /^glptt-/, kind: 'pipeline-trigger-token', kindName: 'GitLab pipeline trigger token', why: 'It starts pipelines; it does not run jobs.' },
  { re: /^gldt-/, kind: 'deploy-token', kindName: 'GitLab deploy token', why: 'It reads repositories and registries; it does not run jobs.' },
  {
    re: /^glft-|^glimt-|^glagent-|^gloas-|^glsoat-|^glffct-/,
    kind: 'other-gitlab-token',
    kindName: 'GitLab token of another kind',
    why: 'Only a runner authentication token (glrt-) runs jobs.',
  },
];

/** Judges a cleaned token for config.toml's `token`. */
export function checkRunnerToken(token: string): TokenCheck {
  const other = OTHER_KINDS.find((k) => k.re.test(token));
  if (other)
    return {
      verdict: 'wrong-kind',
      kind: other.kind,
      kindName: other.kindName,
      message: `This is a ${other.kindName}, not a runner authentication token. ${other.why}`,
    };
  if (/^GR[0-9A-Fa-f]{7}/.test(token)) {
    return {
      verdict: 'wrong-kind',
      kind: 'registration-token',
      kindName: 'legacy runner registration token',
      message: `This looks like a legacy runner registration token (GR…). ${OTHER_KINDS[0]!.why}`,
    };
  }
  if (token.startsWith('glrt-')) {
    if (!AUTH_TOKEN.test(token))
      return { verdict: 'invalid', message: 'A runner authentication token has only letters, digits, "_", "-" and "." after glrt-.' };
    const body = token.replace(/^glrt-(t[123]_)?/, '');
    if (body.length < 20)
      return {
        verdict: 'invalid',
        message: `This is too short for a runner authentication token (${body.length} characters after the prefix); part of it may be missing.`,
      };
    if (token.length > 512) return { verdict: 'invalid', message: `This is too long for a runner authentication token (${token.length} characters).` };
    return {
      verdict: 'ok',
      kind: 'runner-authentication-token',
      kindName: 'GitLab runner authentication token',
      message: 'Looks like a GitLab runner authentication token (glrt-).',
    };
  }
  if (/^gl[a-z]{1,6}-/.test(token))
    return {
      verdict: 'invalid',
      message: `This starts with ${token.slice(0, token.indexOf('-') + 1)}, a GitLab prefix runner authentication tokens do not have (they start with glrt-).`,
    };
  return {
    verdict: 'invalid',
    message:
      'A GitLab runner authentication token starts with glrt-. Tokens without it are legacy registration tokens or tokens of runners registered before GitLab 15.10; create the runner in GitLab to get a glrt- token.',
  };
}

export const runnerTokenSpec: TokenSpec = {
  name: 'runner authentication token',
  where: RUNNER_TOKEN_WHERE,
  check: checkRunnerToken,
  // shared/tokens.ts names gl*- tokens as "GitLab token" for other platforms; this platform judges them.
  claims: /^(glrt|glrtr|glpat|glcbt|glptt|gldt|glft|glimt|glagent|gloas|glsoat|glffct)-|^GR[0-9A-Fa-f]{7}/,
};
