/** Atlassian Bamboo remote agent with security-token verification (reference/platforms.md §2). */
import { z } from 'zod';
import type { Endpoint, Platform } from '../types';
import { httpUrlSchema, portSchema } from '../../validate';

export const bambooRemoteAnswers = z.object({
  serverUrl: httpUrlSchema,
  brokerPort: portSchema.default(54663),
  installerVersion: z.string().trim().regex(/^[0-9][0-9A-Za-z.-]{0,31}$/, 'like 9.6.2').default('9.6.2'),
  agentHome: z.string().trim().min(1).default('/opt/bamboo-agent-home'),
});
export type BambooRemoteAnswers = z.infer<typeof bambooRemoteAnswers>;

export const bambooRemote: Platform<BambooRemoteAnswers> = {
  id: 'bamboo-remote',
  name: 'Bamboo remote agent',
  summary: 'A Bamboo Data Center remote agent that registers with the server security token.',
  docs: [{ title: 'Bamboo remote agents', url: 'https://confluence.atlassian.com/bamboo/bamboo-remote-agent-installation-guide-289276832.html' }],
  variants: [
    { id: 'installer', name: 'New install (installer command)' },
    { id: 'existing', name: 'Existing bamboo-agent-home (wrapper.conf)' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields: [
    { key: 'serverUrl', label: 'Bamboo server URL', kind: 'url', required: true, placeholder: 'https://bamboo.example.com', help: 'The base URL; /agentServer/ is added for you.' },
    { key: 'brokerPort', label: 'Broker port', kind: 'port', placeholder: '54663', help: 'The JMS broker port agents connect to (54663, or 54667 for SSL).' },
    { key: 'installerVersion', label: 'Bamboo version', kind: 'text', placeholder: '9.6.2', variants: ['installer'] },
    { key: 'agentHome', label: 'Agent home on the agent host', kind: 'text', placeholder: '/opt/bamboo-agent-home' },
  ],
  answers: bambooRemoteAnswers,
  credential: {
    kind: 'token',
    token: { name: 'security token', where: 'Bamboo → Administration → Agents → Install remote agent (40 hexadecimal characters).' },
  },
  endpoints(a): Endpoint[] {
    const u = new URL(a.serverUrl);
    const https = u.protocol === 'https:';
    return [
      { id: 'server', host: u.hostname, port: u.port ? Number(u.port) : https ? 443 : 80, protocol: https ? 'https' : 'http', purpose: 'Bamboo server (/agentServer/)' },
      { id: 'broker', host: u.hostname, port: a.brokerPort, protocol: 'tcp', purpose: 'Bamboo JMS broker' },
    ];
  },
  updaters: [],
  failures: [],
};
