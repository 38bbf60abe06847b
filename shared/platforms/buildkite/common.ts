/** Pieces every Buildkite install type shares: which token this is, the environment, the defaults. */
import { noProxyValue } from '../../validate';
import type { BuildkiteAnswers } from './answers';
import { BUILDKITE_HEALTH_ADDR, DEFAULT_ENDPOINT, tagsValue } from './answers';

/** Environment variables that hold the agent token. */
export const TOKEN_ENV_NAMES = ['BUILDKITE_AGENT_TOKEN'] as const;

/** Where the Linux packages put things (the agent requires build-path). */
export const LINUX_PATHS = {
  buildPath: '/var/lib/buildkite-agent/builds',
  hooksPath: '/etc/buildkite-agent/hooks',
  pluginsPath: '/etc/buildkite-agent/plugins',
};

/** What the user must know about the token, said once on every install type. */
export const WHICH_TOKEN =
  "This is the agent token: a cluster's agent (registration) token from Agents → your cluster → Agent Tokens. The agent sends it once to POST /v3/register and gets back its own session token (bkaa_…), which is not what goes here — nor is an API access token (bkua_…) or a job token (bkaj_…).";

/**
 * Which pipeline steps this agent takes, in words: jobs wait (silently, for ever) when no running
 * agent matches every tag a step asks for, and an agent without a queue tag is on "default".
 */
export function queueNote(tags: Record<string, string>): string {
  const others = Object.entries(tags).filter(([k]) => k !== 'queue');
  const also = others.length
    ? ` Steps may also ask for ${others.map(([k, v]) => `${k}=${v}`).join(', ')}; a step that asks for a tag this agent lacks waits for another agent.`
    : '';
  if (!tags.queue) {
    return `No queue tag: this agent serves the queue "default", so only steps without agents: { queue: … } (or with queue: "default") run here; a step that names another queue waits until an agent with that queue starts.${also}`;
  }
  return `Pipeline steps reach this agent with agents: { queue: "${tags.queue}" } (in the agent's cluster).${also}`;
}

/** The agent's settings as environment variables, token first. */
export function agentEnv(a: BuildkiteAnswers, token: string, paths: Partial<typeof LINUX_PATHS>): [string, string][] {
  const env: [string, string][] = [
    ['BUILDKITE_AGENT_TOKEN', token],
    ['BUILDKITE_AGENT_NAME', a.name],
  ];
  const tags = tagsValue(a);
  if (tags) env.push(['BUILDKITE_AGENT_TAGS', tags]);
  if (paths.buildPath) env.push(['BUILDKITE_BUILD_PATH', paths.buildPath]);
  if (paths.hooksPath) env.push(['BUILDKITE_HOOKS_PATH', paths.hooksPath]);
  if (paths.pluginsPath) env.push(['BUILDKITE_PLUGINS_PATH', paths.pluginsPath]);
  if (a.endpoint !== DEFAULT_ENDPOINT) env.push(['BUILDKITE_AGENT_ENDPOINT', a.endpoint]);
  if (a.healthCheck === 'on') env.push(['BUILDKITE_AGENT_HEALTH_CHECK_ADDR', BUILDKITE_HEALTH_ADDR]);
  return [...env, ...proxyEnv(a)];
}

/**
 * The proxy as the agent (a Go program) reads it: HTTPS_PROXY for the Agent API, HTTP_PROXY for
 * plain-HTTP downloads, NO_PROXY for hosts reached directly; empty without a proxy.
 */
export function proxyEnv(a: Pick<BuildkiteAnswers, 'proxyUrl' | 'noProxy'>): [string, string][] {
  if (!a.proxyUrl) return [];
  const noProxy = noProxyValue(a.noProxy);
  return [['HTTPS_PROXY', a.proxyUrl], ['HTTP_PROXY', a.proxyUrl], ...(noProxy ? [['NO_PROXY', noProxy] as [string, string]] : [])];
}

/** The answers' paths over the Linux package defaults. */
export function linuxPaths(a: BuildkiteAnswers): typeof LINUX_PATHS {
  return {
    buildPath: a.buildPath || LINUX_PATHS.buildPath,
    hooksPath: a.hooksPath || LINUX_PATHS.hooksPath,
    pluginsPath: a.pluginsPath || LINUX_PATHS.pluginsPath,
  };
}

/** Restart-and-verify commands for an agent run by systemd. */
export function systemdCommands(reload: boolean): { title: string; command: string }[] {
  return [
    ...(reload ? [{ title: 'Make systemd read the changed unit files', command: 'sudo systemctl daemon-reload' }] : []),
    { title: 'Restart the agent (it registers again with the new token)', command: 'sudo systemctl restart buildkite-agent' },
    { title: 'Check it is running', command: 'sudo systemctl status buildkite-agent --no-pager' },
    { title: 'Look for registration errors in its log', command: 'sudo journalctl -u buildkite-agent --since "10 min ago" --no-pager' },
  ];
}
