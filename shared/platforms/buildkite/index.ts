/** Buildkite agent (reference/platforms.md §4). */
import { z } from 'zod';
import type { Endpoint, Platform } from '../types';
import { httpUrlSchema } from '../../validate';

export const buildkiteAnswers = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  tags: z.record(z.string(), z.string()).default({}),
  endpoint: httpUrlSchema.default('https://agent-edge.buildkite.com/v3'),
  buildPath: z.string().trim().optional(),
  hooksPath: z.string().trim().optional(),
  pluginsPath: z.string().trim().optional(),
});
export type BuildkiteAnswers = z.infer<typeof buildkiteAnswers>;

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
    { key: 'name', label: 'Agent name', kind: 'text', required: true, placeholder: '%hostname-%spawn' },
    { key: 'tags', label: 'Tags', kind: 'tags', help: 'key=value pairs, e.g. queue=default', placeholder: 'queue=default' },
    { key: 'endpoint', label: 'Agent API endpoint', kind: 'url', placeholder: 'https://agent-edge.buildkite.com/v3' },
    { key: 'buildPath', label: 'Build path', kind: 'text', placeholder: '/var/lib/buildkite-agent/builds', variants: ['cfg', 'env', 'docker'] },
    { key: 'hooksPath', label: 'Hooks path', kind: 'text', placeholder: '/etc/buildkite-agent/hooks', variants: ['cfg', 'env', 'docker'] },
    { key: 'pluginsPath', label: 'Plugins path', kind: 'text', placeholder: '/etc/buildkite-agent/plugins', variants: ['cfg', 'env', 'docker'] },
  ],
  answers: buildkiteAnswers,
  credential: {
    kind: 'token',
    token: { name: 'agent token', where: 'Buildkite → Agents → your cluster → Agent Tokens (not an API token, not a bkaa_ session token).' },
  },
  endpoints(a): Endpoint[] {
    const u = new URL(a.endpoint);
    return [{ id: 'agent-api', host: u.hostname, port: u.port ? Number(u.port) : 443, protocol: 'https', purpose: 'Buildkite Agent API' }];
  },
  updaters: [],
  failures: [],
};
