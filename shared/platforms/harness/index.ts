/** Harness delegate (reference/platforms.md §5). */
import { z } from 'zod';
import type { Endpoint, Platform } from '../types';
import { httpUrlSchema } from '../../validate';

export const harnessAnswers = z.object({
  accountId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-"'),
  managerEndpoint: httpUrlSchema.default('https://app.harness.io'),
  delegateName: z.string().trim().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and "-" (a Kubernetes name)'),
  imageTag: z.string().trim().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag like 25.10.87000').default('latest'),
  namespace: z.string().trim().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/).default('harness-delegate-ng'),
  proxyUrl: z.string().trim().optional(),
});
export type HarnessAnswers = z.infer<typeof harnessAnswers>;

export const harness: Platform<HarnessAnswers> = {
  id: 'harness',
  name: 'Harness delegate',
  summary: 'A Harness NextGen delegate on Kubernetes, Helm, Docker, ECS or as a shell-script install.',
  docs: [{ title: 'Install a delegate', url: 'https://developer.harness.io/docs/platform/delegates/install-delegates/overview' }],
  variants: [
    { id: 'kubernetes', name: 'Kubernetes manifest' },
    { id: 'helm', name: 'Helm chart' },
    { id: 'docker', name: 'Docker' },
    { id: 'ecs', name: 'Amazon ECS task' },
    { id: 'shell', name: 'Shell-script delegate' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields: [
    { key: 'accountId', label: 'Account ID', kind: 'text', required: true, placeholder: 'px7xd_BFRCi-pfWPYXVjvw' },
    { key: 'managerEndpoint', label: 'Manager endpoint', kind: 'url', placeholder: 'https://app.harness.io' },
    { key: 'delegateName', label: 'Delegate name', kind: 'text', required: true, placeholder: 'my-delegate' },
    { key: 'imageTag', label: 'Delegate image tag', kind: 'text', placeholder: 'latest' },
    { key: 'namespace', label: 'Kubernetes namespace', kind: 'text', placeholder: 'harness-delegate-ng', variants: ['kubernetes', 'helm'] },
    { key: 'proxyUrl', label: 'HTTP proxy (optional)', kind: 'text', placeholder: 'http://proxy.internal:3128' },
  ],
  answers: harnessAnswers,
  credential: {
    kind: 'token',
    token: { name: 'delegate token', where: 'Harness → Account Settings → Delegates → Tokens (the base64 value shown there).' },
  },
  endpoints(a): Endpoint[] {
    const u = new URL(a.managerEndpoint);
    return [{ id: 'manager', host: u.hostname, port: u.port ? Number(u.port) : 443, protocol: 'https', purpose: 'Harness manager' }];
  },
  updaters: [],
  failures: [],
};
