/** ArmorCode tunnel agent: autossh reverse SSH tunnels under supervisord (reference/platforms.md §1). */
import type { Endpoint, Platform } from '../types';
import { armorcodeSupervisord, armorcodeSystemd } from './ansible';
import { armorcodeAnswers, type ArmorcodeAnswers } from './answers';
import { armorcodeFailures } from './failures';
import { generateArmorcode } from './generate';
import { armorcodeHostRecipe, armorcodeWhere } from './host-install';
import { armorcodeOnline } from './online';

export { armorcodeAnswers, armorcodeService, parseServiceUrl, type ArmorcodeAnswers } from './answers';

export const armorcode: Platform<ArmorcodeAnswers> = {
  id: 'armorcode',
  name: 'ArmorCode tunnel agent',
  summary: 'Reverse SSH tunnels (autossh under supervisord) from your network to ArmorCode on port 22 or 443.',
  docs: [{ title: 'armor-code/agent README', url: 'https://github.com/armor-code/agent' }],
  variants: [
    { id: 'docker', name: 'Docker Compose' },
    { id: 'systemd', name: 'Plain host (systemd)' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields: [
    {
      key: 'server',
      label: 'ArmorCode server host',
      kind: 'host',
      required: true,
      placeholder: 'tunnel.example.armorcode.com',
      help: 'The SSH server ArmorCode gave you.',
    },
    { key: 'user', label: 'SSH user', kind: 'text', required: true, placeholder: 'customer-name', help: 'The SSH user ArmorCode gave you.' },
    {
      key: 'port',
      label: 'SSH port',
      kind: 'select',
      required: true,
      default: '22',
      help: 'Use 443 when outbound 22 is blocked; the Connectivity step tells you which one works.',
      options: [
        { value: '22', label: '22 (SSH)' },
        { value: '443', label: '443 (when 22 is blocked)' },
      ],
    },
    {
      key: 'services',
      label: 'Internal services',
      kind: 'list',
      required: true,
      help: 'Each service the tunnel must reach, as the agent host sees it, and the remote port ArmorCode assigned to it.',
      fields: [
        { key: 'name', label: 'Name', kind: 'text', required: true, placeholder: 'jira' },
        { key: 'url', label: 'URL', kind: 'url', required: true, placeholder: 'https://jira.internal:443' },
        { key: 'remotePort', label: 'Remote port', kind: 'port', required: true, placeholder: '5000' },
      ],
    },
  ],
  answers: armorcodeAnswers,
  credential: {
    kind: 'ssh-keypair',
    keyTypes: ['rsa', 'ed25519'],
    defaultType: 'rsa',
    privateKeyName: 'private-key.pem',
    publicKeyName: 'public-key.pem',
    privateKeyFormat: 'pkcs1',
    registration: 'ArmorCode: send public-key.pem to their support',
  },
  publicDomains: ['armorcode.com', 'armorcode.ai'],
  endpoints(a): Endpoint[] {
    const custom: Endpoint[] =
      a.port === 22 || a.port === 443 ? [] : [{ id: `ssh-${a.port}`, host: a.server, port: a.port, protocol: 'ssh', purpose: 'ArmorCode SSH server' }];
    return [
      ...custom,
      { id: 'ssh-22', host: a.server, port: 22, protocol: 'ssh', purpose: 'ArmorCode SSH server', optional: a.port !== 22 },
      { id: 'ssh-443', host: a.server, port: 443, protocol: 'ssh', purpose: 'ArmorCode SSH server (443 fallback)', optional: a.port !== 443 },
    ];
  },
  generate: (a, c, variant) => generateArmorcode(a, c, variant),
  updaters: [],
  failures: armorcodeFailures,
  online: armorcodeOnline,
  recognise: /armorcode/i,
  recogniseGenerated: (files) => {
    const conf = files.find((f) => f.path === 'supervisord.conf');
    return conf && /^\[program:tunnel-/m.test(conf.text) && files.some((f) => f.path === 'private-key.pem') ? 'docker' : undefined;
  },
  ansible: [armorcodeSupervisord, armorcodeSystemd],
  hostInstall: armorcodeHostRecipe,
  where: armorcodeWhere,
};
