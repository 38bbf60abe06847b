/** Atlassian Bamboo remote agent with security-token verification (reference/platforms.md §2). */
import type { Endpoint, Platform } from '../types';
import { servicePath } from '../endpoints';
import { err } from '../../result';
import { baseUrl, bambooRemoteAnswers, type BambooRemoteAnswers } from './answers';
import { BAMBOO_REMOTE_FAILURES } from './failures';
import { generateExisting, generateInstaller } from './installer';
import { wrapperConfUpdater } from './updater';
import { bambooAgentsApi, bambooRemoteOnline } from './online';
import { bambooRemoteHostRecipe } from './host-install';
import { bambooServer } from './service';
import { bambooToken } from './token';
import { bambooCaNotes } from './ca';
import { bambooRemoteShell } from './ansible';
import { example } from './example';

export { bambooRemoteAnswers, type BambooRemoteAnswers } from './answers';
export { readWrapperConf, setSecurityToken, type WrapperConfInfo } from './wrapper-conf';

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

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
    {
      key: 'serverUrl',
      label: 'Bamboo server URL',
      kind: 'url',
      required: true,
      placeholder: 'https://bamboo.example.com',
      help: 'The base URL; /agentServer/ is added for you.',
    },
    { key: 'brokerPort', label: 'Broker port', kind: 'port', default: '54663', help: 'The JMS broker port agents connect to (54663, or 54667 for SSL).' },
    {
      key: 'brokerHost',
      label: 'Broker host',
      kind: 'host',
      placeholder: 'same as the server',
      help: "Only when the server's broker client URL names another host than the server URL.",
    },
    {
      key: 'agentOs',
      label: 'Agent host OS',
      kind: 'select',
      default: 'linux',
      options: [
        { value: 'linux', label: 'Linux (sh script + systemd unit)' },
        { value: 'macos', label: 'macOS (sh script)' },
        { value: 'windows', label: 'Windows (PowerShell and cmd scripts)' },
      ],
    },
    {
      key: 'installerVersion',
      label: 'Bamboo server version',
      kind: 'text',
      required: true,
      variants: ['installer'],
      help: "Your server's version, like 9.6.2 (Administration → System information). It names the installer jar atlassian-bamboo-agent-installer-<version>.jar, and the server serves only the jar of its own version.",
    },
    {
      key: 'agentHome',
      label: 'Agent home on the agent host',
      kind: 'text',
      help: "The installer's -Dbamboo.home. Left empty: /opt/bamboo-agent-home (C:\\bamboo-agent-home on Windows).",
    },
    {
      key: 'serviceUser',
      label: 'Service user (Linux)',
      kind: 'text',
      default: 'bamboo',
      variants: ['installer'],
      help: 'The user the systemd unit runs the agent as.',
    },
  ],
  answers: bambooRemoteAnswers,
  credential: {
    kind: 'token',
    token: bambooToken,
  },
  endpoints(a): Endpoint[] {
    const u = new URL(baseUrl(a.serverUrl));
    const https = u.protocol === 'https:';
    const host = hostOf(u);
    return [
      {
        id: 'server',
        host,
        port: u.port ? Number(u.port) : https ? 443 : 80,
        protocol: https ? 'https' : 'http',
        purpose: 'Bamboo server (/agentServer/: registration, bootstrap, artifacts)',
        service: bambooServer.id,
        path: servicePath(bambooServer, u.pathname),
      },
      {
        id: 'broker',
        host: a.brokerHost ?? host,
        port: a.brokerPort,
        protocol: 'tcp',
        purpose: `Bamboo JMS broker (${a.brokerPort === 54667 ? 'ssl' : 'tcp'}://…:${a.brokerPort})`,
      },
    ];
  },
  generate(a, credential, variant) {
    if (variant === 'installer') return generateInstaller(a, credential);
    if (variant === 'existing') return generateExisting(a);
    return err('BAD_INPUT', `Unknown variant '${variant}' for the Bamboo remote agent: use installer or existing.`);
  },
  updaters: [wrapperConfUpdater],
  ansible: [bambooRemoteShell],
  example,
  revokeChecklist: [
    'Bamboo has one security token per server. Reset it only when every agent can get the new one: Administration → Agents → Security token verification → reset.',
    'Agents that are connected keep working until they restart; any agent restarted with the old token is refused ("Security token is required…").',
    "Update every remote agent's conf/wrapper.conf (this tool, or agent-onboard rotate bamboo-remote) and restart each one.",
    'Update the other copies: container env SECURITY_TOKEN (the image does not rewrite an existing wrapper.conf on its volume), the Helm secret (agent.securityToken.secretName), and install scripts.',
    'Check Administration → Agents: every remote agent is online again, then delete the old token from wherever it was kept.',
  ],
  failures: BAMBOO_REMOTE_FAILURES,
  online: bambooRemoteOnline,
  hostInstall: bambooRemoteHostRecipe,
  recognise: /atlassian-bamboo-agent-installer|bamboo-agent-home|\/agentServer\b|wrapper\.app\.parameter/,
  vendorApi: bambooAgentsApi,
  caNotes: bambooCaNotes,
  services: [bambooServer],
  publicDomains: ['atlassian.net', 'atlassian.com'],
};
