/**
 * What a runner must reach (github/docs runner-essential-communications, via
 * reference/next-platforms.md B1 "Network"), and how the runner reads proxy settings: lower-case
 * https_proxy / no_proxy in the runner's .env, where no_proxy entries are host suffixes only.
 */
import type { Endpoint } from '../types';
import { hostPort, proxyEndpoints } from '../endpoints';
import { isHost } from '../../validate';
import type { GitHubActionsAnswers, GitHubTarget } from './answers';

function https(id: string, host: string, purpose: string, optional?: boolean): Endpoint {
  return { id, host, port: 443, protocol: 'https', purpose, ...(optional ? { optional } : {}) };
}

/** The HTTPS endpoints a runner (or an ARC listener) talks to, for this URL; plus the proxy. */
export function runnerEndpoints(a: GitHubActionsAnswers, target: GitHubTarget): Endpoint[] {
  const proxy = proxyEndpoints(a.proxyUrl);
  if (!target.dotcom) {
    const { host, port } = hostPort(target.origin);
    return [{ id: 'ghes', host, port, protocol: 'https', purpose: 'GitHub Enterprise Server (web, API and Actions)' }, ...proxy];
  }
  const host = new URL(target.origin).hostname;
  const api = new URL(target.api).hostname;
  const list: Endpoint[] = [https('github', host, 'GitHub (registration and job log links)'), https('api', api, 'GitHub REST API (runner registration)')];
  if (host === 'github.com') {
    list.push(
      https('pipelines', 'pipelines.actions.githubusercontent.com', 'Actions service (sessions and jobs)'),
      https('vstoken', 'vstoken.actions.githubusercontent.com', 'Actions token service (the runner signs in)'),
      https('broker', 'broker.actions.githubusercontent.com', 'Actions broker (newer runners get jobs here)'),
      https('results-receiver', 'results-receiver.actions.githubusercontent.com', 'Actions results (logs and job results)'),
      https('codeload', 'codeload.github.com', 'Downloading actions', true),
      https('objects', 'objects.githubusercontent.com', 'Runner updates and release downloads', true),
      https('ghcr', 'ghcr.io', 'Container images of actions and jobs', true),
    );
  }
  return [...list, ...proxy];
}

/** The no_proxy entries the runner cannot use as written, each with why: IP addresses, CIDR ranges, wildcards, ports. */
export function noProxyProblems(list: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (list ?? '').split(',')) {
    const e = raw.trim();
    if (!e) continue;
    if (/\/\d{1,3}$/.test(e)) out.push(`${e}: a CIDR range; the runner matches host-name suffixes only, so list the host names instead.`);
    else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(e) || /^\[?[0-9a-f:]+\]?$/i.test(e))
      out.push(`${e}: an IP address; the runner matches host-name suffixes only, so a request to this address by name still goes through the proxy.`);
    else if (e.includes('*')) out.push(`${e}: a wildcard; write the suffix without it (${e.replace(/^\*+/, '')}).`);
    else if (/:\d+$/.test(e)) out.push(`${e}: a port; the runner compares host names only, so ${e.replace(/:\d+$/, '')} already covers every port.`);
    else if (!isHost(e.replace(/^\./, ''))) out.push(`${e}: not a host name.`);
  }
  return out;
}
