/** Buildkite agent (reference/platforms.md §4). */
import { httpsEndpoint, proxyEndpoints } from '../endpoints';
import { tokenGenerator } from '../token-generator';
import { buildkiteAgentApi } from './service';
import { buildkiteToken } from './token';
import type { Endpoint, Platform } from '../types';
import { BUILDKITE_HEALTH_ADDR, buildkiteAnswers, type BuildkiteAnswers } from './answers';
import { buildkiteHostRecipe, buildkiteWhere } from './host-install';
import { generateCfg } from './config-file';
import { generateDocker } from './docker';
import { BUILDKITE_FAILURES } from './failures';
import { generateKubernetes } from './kubernetes';
import { buildkiteRemoval } from './removal';
import { generateEnv } from './systemd';
import { BUILDKITE_UPDATERS } from './updaters';
import { buildkiteAgentsApi, buildkiteOnline } from './online';
import { buildkiteCaNotes } from './ca';
import { example } from './example';
import { buildkiteShell } from './ansible';

export { buildkiteAnswers, type BuildkiteAnswers, DEFAULT_ENDPOINT } from './answers';
export { WHICH_TOKEN } from './common';

/**
 * Files and commands for a new agent of `variant`; another kind of Buildkite token is refused, naming it.
 * Docker mounts the company CA where the agent loads it; the packaged agent uses the host's store.
 */
const generate = tokenGenerator<BuildkiteAnswers>({
  agent: 'The Buildkite agent',
  token: 'agent token',
  getOne: 'an agent token',
  spec: buildkiteToken,
  variants: { cfg: generateCfg, env: generateEnv, docker: generateDocker, kubernetes: generateKubernetes },
  removal: buildkiteRemoval,
});

export const buildkite: Platform<BuildkiteAnswers> = {
  id: 'buildkite',
  name: 'Buildkite agent',
  summary: 'A Buildkite agent registered with a cluster agent token: cfg file, systemd, Docker or Kubernetes.',
  docs: [{ title: 'Buildkite agent configuration', url: 'https://buildkite.com/docs/agent/v3/configuration' }],
  variants: [
    { id: 'cfg', name: 'buildkite-agent.cfg' },
    { id: 'env', name: 'Environment / systemd' },
    { id: 'docker', name: 'Docker' },
    { id: 'kubernetes', name: 'Kubernetes (agent-stack-k8s)' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields: [
    {
      key: 'name',
      label: 'Agent name',
      kind: 'text',
      required: true,
      default: '%hostname-%spawn',
      help: 'The agent replaces %hostname and %spawn (the default names each agent after its host); not used on Kubernetes.',
    },
    { key: 'tags', label: 'Tags', kind: 'tags', help: 'key=value pairs, e.g. queue=default', placeholder: 'queue=default' },
    { key: 'endpoint', label: 'Agent API endpoint', kind: 'url', default: 'https://agent-edge.buildkite.com/v3' },
    { key: 'buildPath', label: 'Build path', kind: 'text', placeholder: '/var/lib/buildkite-agent/builds', variants: ['cfg', 'env', 'docker'] },
    { key: 'hooksPath', label: 'Hooks path', kind: 'text', placeholder: '/etc/buildkite-agent/hooks', variants: ['cfg', 'env', 'docker'] },
    { key: 'pluginsPath', label: 'Plugins path', kind: 'text', placeholder: '/etc/buildkite-agent/plugins', variants: ['cfg', 'env', 'docker'] },
    { key: 'namespace', label: 'Kubernetes namespace', kind: 'text', default: 'buildkite', variants: ['kubernetes'] },
    {
      key: 'healthCheck',
      label: 'Health endpoint',
      kind: 'select',
      default: 'off',
      options: [
        { value: 'off', label: 'Off (the agent default)' },
        { value: 'on', label: `On, at ${BUILDKITE_HEALTH_ADDR} (this host only)` },
      ],
      help: 'The agent serves its heartbeat locally; installing over SSH then proves the agent keeps reaching Buildkite, not only that it registered.',
      variants: ['cfg', 'env'],
    },
    {
      key: 'proxyUrl',
      label: 'HTTP proxy (optional)',
      kind: 'url',
      placeholder: 'http://proxy.internal:3128',
      help: 'Without credentials. Written as HTTPS_PROXY and HTTP_PROXY for the agent.',
      variants: ['cfg', 'env', 'docker'],
    },
    { key: 'noProxy', label: 'No proxy for (optional)', kind: 'text', placeholder: '.corp.example, 10.0.0.5', variants: ['cfg', 'env', 'docker'] },
  ],
  answers: buildkiteAnswers,
  credential: {
    kind: 'token',
    token: buildkiteToken,
  },
  endpoints(a): Endpoint[] {
    return [httpsEndpoint('agent-api', a.endpoint, 'Buildkite Agent API', buildkiteAgentApi), ...proxyEndpoints(a.proxyUrl)];
  },
  generate,
  updaters: BUILDKITE_UPDATERS,
  example,
  revokeChecklist: [
    'Restart every agent that uses the old token first: agents present the registration token only when they start.',
    'In Buildkite → Agents, check that each agent of this install is connected again.',
    'Revoke the old token in Agents → your cluster → Agent Tokens (Revoke). Agents that start later with it will fail to register (401).',
    'Delete the backup files written by the rotation (*.bak-<time>): they still hold the old token.',
  ],
  failures: BUILDKITE_FAILURES,
  online: buildkiteOnline,
  recognise: /\bbuildkite-agent\b|\bBUILDKITE_AGENT_TOKEN\b|agent-stack-k8s/,
  vendorApi: buildkiteAgentsApi,
  caNotes: buildkiteCaNotes,
  services: [buildkiteAgentApi],
  publicDomains: ['buildkite.com'],
  ansible: [buildkiteShell],
  hostInstall: buildkiteHostRecipe,
  where: buildkiteWhere,
};
