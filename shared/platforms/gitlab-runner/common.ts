/** Pieces every GitLab Runner install type shares: quoting, the proxy environment, the notes. */
import { noProxyValue } from '../../validate';
import { quoteSh } from '../../escape';
import type { GitlabRunnerAnswers } from './answers';

/** The proxy as the runner (a Go program) reads it; empty without a proxy. */
export function proxyEnv(a: Pick<GitlabRunnerAnswers, 'proxyUrl' | 'noProxy'>): [string, string][] {
  if (!a.proxyUrl) return [];
  const noProxy = noProxyValue(a.noProxy);
  return [['HTTPS_PROXY', a.proxyUrl], ['HTTP_PROXY', a.proxyUrl], ...(noProxy ? [['NO_PROXY', noProxy] as [string, string]] : [])];
}

/** `value` as one shell word (shared/escape), or `fallback` when no shell word can hold it (a line break). */
export function shellWord(value: string, fallback = "'…'"): string {
  const q = quoteSh(value);
  return q.ok ? q.value : fallback;
}

/** What the user must know about the token and the settings GitLab keeps, said on every install type. */
export function commonNotes(a: GitlabRunnerAnswers): string[] {
  return [
    'This config holds the runner authentication token (glrt-…) of a runner already created in GitLab; the runner checks it with POST /api/v4/runners/verify when it starts (it creates nothing).',
    'Tags, "locked", "run untagged" and "protected" are set on the runner in GitLab (Settings → CI/CD → Runners → edit): with a glrt- token they cannot be set from the runner host, and gitlab-runner register stops with an error if they are passed.',
    `The runner reloads config.toml by itself every 3 seconds; it also rewrites the file when it renews its own token, so edit it only through this app or gitlab-runner.`,
    ...(a.executor === 'shell' ? ['Shell executor: jobs run as the gitlab-runner user directly on this host; give it only what jobs need.'] : []),
  ];
}
