/** Harness delegate (reference/platforms.md §5). */
import { httpsEndpoint, proxyEndpoints } from '../endpoints';
import { tokenGenerator } from '../token-generator';
import { harnessManager } from './service';
import { harnessToken } from './token';
import type { Endpoint, Platform } from '../types';
import { harnessAnswers, type HarnessAnswers } from './answers';
import { generateDocker } from './docker';
import { generateEcs } from './ecs';
import { HARNESS_FAILURES } from './failures';
import { generateHelm } from './helm';
import { generateKubernetes } from './kubernetes';
import { harnessRemoval } from './removal';
import { generateShell } from './shell';
import { harnessHostRecipe, harnessWhere } from './host-install';
import { HARNESS_UPDATERS } from './updaters';
import { harnessDockerType, harnessShellType } from './ansible';
import { example } from './example';
import { withTokenFormNotes } from './token-form';
import { harnessDelegatesApi, harnessOnline } from './online';
import { harnessCaNotes } from './ca';

export { harnessAnswers, type HarnessAnswers } from './answers';

/**
 * Files and commands for a new delegate of `variant`, with the token written where each install type keeps it.
 * Kubernetes, Helm and Docker mount the company CA where the delegate loads it; ECS and shell installs are told how.
 */
const generate = tokenGenerator<HarnessAnswers>({
  agent: 'The Harness delegate',
  token: 'delegate token',
  getOne: 'the delegate token',
  spec: harnessToken,
  variants: { kubernetes: generateKubernetes, helm: generateHelm, docker: generateDocker, ecs: generateEcs, shell: generateShell },
  removal: harnessRemoval,
});

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
    {
      key: 'accountId',
      label: 'Account ID',
      kind: 'text',
      required: true,
      placeholder: 'px7xd_BFRCi-pfWPYXVjvw',
      help: 'Harness → Account Settings → Overview.',
    },
    {
      key: 'managerEndpoint',
      label: 'Manager endpoint',
      kind: 'url',
      default: 'https://app.harness.io',
      help: 'As shown on the delegate install page (e.g. https://app.harness.io/gratis).',
    },
    { key: 'delegateName', label: 'Delegate name', kind: 'text', required: true, placeholder: 'my-delegate', help: 'Lower-case letters, digits and "-".' },
    {
      key: 'imageTag',
      label: 'Delegate image tag',
      kind: 'text',
      required: true,
      help: 'The version on your delegate install page, like 26.02.88404; avoid "latest".',
    },
    { key: 'namespace', label: 'Kubernetes namespace', kind: 'text', default: 'harness-delegate-ng', variants: ['kubernetes', 'helm'] },
    { key: 'ecsCluster', label: 'ECS cluster', kind: 'text', default: 'default', variants: ['ecs'] },
    { key: 'tags', label: 'Delegate tags (optional)', kind: 'text', placeholder: 'prod, linux', help: 'Comma-separated; pipelines select delegates by tag.' },
    { key: 'proxyUrl', label: 'HTTP proxy (optional)', kind: 'url', placeholder: 'http://proxy.internal:3128', help: 'Without credentials.' },
    { key: 'noProxy', label: 'No proxy for (optional)', kind: 'text', placeholder: '.corp.example, 10.0.0.5' },
  ],
  answers: harnessAnswers,
  credential: {
    kind: 'token',
    token: harnessToken,
  },
  endpoints(a): Endpoint[] {
    return [httpsEndpoint('manager', a.managerEndpoint, 'Harness manager', harnessManager), ...proxyEndpoints(a.proxyUrl)];
  },
  generate,
  updaters: HARNESS_UPDATERS.map(withTokenFormNotes),
  ansible: [
    harnessDockerType((a, c, v, x) => generate(a as HarnessAnswers, c, v, x)),
    harnessShellType((a, c, v, x) => generate(a as HarnessAnswers, c, v, x)),
  ],
  example,
  revokeChecklist: [
    'In Harness → Account Settings → Delegates, check that every delegate of this install shows Connected again, on the new token.',
    'Open Delegates → Tokens → the old token: the list of delegates still using it must be empty. Rotate any other install that still uses it.',
    'Revoke the old token there (⋮ → Revoke). Harness disconnects and stops every delegate still on it at once, so only do this after the step above.',
    'Delete the backup files written by the rotation (*.bak-<time>): they still hold the old token.',
    'Revoked tokens are purged after 30 days; only then can the name be reused.',
  ],
  failures: HARNESS_FAILURES,
  online: harnessOnline,
  hostInstall: harnessHostRecipe,
  where: harnessWhere,
  recognise: /\bDELEGATE_TOKEN\b|harness\/delegate|harness-delegate|\bdelegateToken\b/,
  vendorApi: harnessDelegatesApi,
  caNotes: harnessCaNotes,
  caInstall: 'Harness mounts it where the delegate loads it',
  publicDomains: ['harness.io'],
  services: [harnessManager],
};
