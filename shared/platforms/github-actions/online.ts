/**
 * What proves a runner is online (reference/next-platforms.md B1 "Online check"): the lines the
 * runner prints (to `_diag/Runner_*.log` and the service's journal), the ARC listener's
 * statistics line, and — with a read-only token given for this check alone — GitHub's list of
 * the runners of the repository or organization (GET …/actions/runners).
 */
import type { OnlineSignal, VendorApi, VendorRequest } from '../types';
import { githubTarget } from './answers';

export const githubOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'started',
    id: 'github-runner-version',
    pattern: /Current runner version: '[^']+'/,
    meaning: 'the runner started',
    source: 'actions/runner src/Runner.Listener/Runner.cs',
  },
  {
    kind: 'log',
    hop: 'registered',
    id: 'github-runner-added',
    pattern: /Runner successfully added|Successfully replaced the runner|√ Connected to GitHub/,
    meaning: 'GitHub accepted the registration',
    source: 'actions/runner src/Runner.Listener/Configuration/ConfigurationManager.cs',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'github-listening',
    pattern: /Listening for Jobs/,
    meaning: 'the runner is connected and waits for jobs',
    source: 'actions/runner src/Runner.Listener/Runner.cs',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'github-arc-statistics',
    pattern: /Current runner scale set statistics\./,
    meaning: 'the ARC listener is connected to GitHub',
    source: 'actions/actions-runner-controller#3646 (listener log)',
  },
];

const HEADERS = (token: string): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
});

/** The REST path of the runners list for a runner URL (repository, organization or enterprise). */
export function runnersPath(url: string): string | undefined {
  const t = githubTarget(url);
  if (!t) return undefined;
  const scope = t.kind === 'repo' ? `repos/${t.owner}/${t.repo}` : t.kind === 'org' ? `orgs/${t.owner}` : `enterprises/${t.owner}`;
  return `${t.api}/${scope}/actions/runners`;
}

interface ListedRunner {
  id?: number;
  name?: string;
  status?: string;
  busy?: boolean;
  labels?: { name?: string }[];
}

/**
 * GitHub's runners list, asked with a read-only token: `base` is the runner URL
 * (https://github.com/org[/repo]), `name` the runner's name.
 */
export const githubVendorApi: VendorApi = {
  scope: 'a fine-grained token with "Administration: read" on the repository, or "Self-hosted runners: read" on the organization (classic: repo / admin:org)',
  requests(base, _scope, name, token): VendorRequest[] {
    const path = runnersPath(base);
    if (!path) return [];
    return [{ url: `${path}?per_page=100&name=${encodeURIComponent(name)}`, method: 'GET', headers: HEADERS(token) }];
  },
  read(name, answers) {
    const a = answers[0];
    if (!a) return { state: 'failed', detail: 'GitHub did not answer the runners list request.' };
    if (a.status === 401) return { state: 'failed', detail: 'GitHub refused the token (401): it expired, was revoked, or was mistyped.' };
    if (a.status === 403 || a.status === 404)
      return {
        state: 'failed',
        detail: `GitHub answered ${a.status}: the token may not read this repository's or organization's runners (it needs ${githubVendorApi.scope}), or the URL is wrong.`,
      };
    if (a.status !== 200) return { state: 'failed', detail: `GitHub answered ${a.status} to the runners list.` };
    const list = (a.body as { runners?: ListedRunner[] } | undefined)?.runners;
    if (!Array.isArray(list)) return { state: 'failed', detail: 'The answer is not a runners list.' };
    const r = list.find((x) => x.name === name);
    if (!r)
      return {
        state: 'waiting',
        detail: `GitHub does not list a runner named "${name}" yet: it is not registered, was registered under another URL, or was deleted after 14 days offline.`,
      };
    const labels = (r.labels ?? [])
      .map((l) => l.name)
      .filter(Boolean)
      .join(', ');
    const what = `runner "${name}" (id ${r.id ?? '?'})${labels ? `, labels ${labels}` : ''}`;
    if (r.status === 'online') return { state: 'passed', detail: `GitHub lists ${what} online${r.busy ? ', running a job' : ', idle'}.` };
    return {
      state: 'waiting',
      detail: `GitHub lists ${what} as ${r.status ?? 'unknown'}: the runner is registered but not connected (is its service running?).`,
    };
  },
};
