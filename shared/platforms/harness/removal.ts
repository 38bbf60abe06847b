/** Taking a Harness delegate away again, per install type (the generated names, nothing guessed). */
import { shellQuote } from '../../edit/shell';
import type { Removal } from '../types';
import type { HarnessAnswers } from './answers';
import { ECS_FAMILY } from './ecs';
import { HELM_SECRETS_FILE } from './helm';
import { MANIFEST_FILE } from './kubernetes';

const NOTES = [
  'In Harness → Account Settings → Delegates, delete this delegate once it shows disconnected (or let Harness drop it after it stops sending heartbeats).',
  'Revoke the delegate token under Delegates → Tokens if no other delegate uses it.',
];

export function harnessRemoval(variant: string, a: HarnessAnswers): Removal {
  const ns = `-n ${a.namespace}`;
  const name = shellQuote(a.delegateName);
  switch (variant) {
    case 'kubernetes':
      return {
        commands: [{ title: 'Delete what the manifest created', command: `kubectl delete -f ${MANIFEST_FILE}` }],
        notes: [
          `The manifest includes the Namespace ${a.namespace}: if other workloads live there, remove the Namespace document from ${MANIFEST_FILE} first, or delete the objects one by one.`,
          ...NOTES,
        ],
      };
    case 'helm':
      return {
        commands: [
          { title: 'Uninstall the release', command: `helm uninstall ${name} ${ns}` },
          { title: 'Delete the token Secrets (the chart does not own them)', command: `kubectl delete -f ${HELM_SECRETS_FILE}` },
        ],
        notes: NOTES,
      };
    case 'docker':
      return { commands: [{ title: 'Stop and remove the container', command: `docker rm -f ${name}` }], notes: NOTES };
    case 'ecs': {
      const cluster = shellQuote(a.ecsCluster);
      return {
        commands: [
          { title: 'Delete the service (its tasks stop)', command: `aws ecs delete-service --cluster ${cluster} --service ${name} --force` },
          { title: 'List the task definition revisions, then deregister each', command: `aws ecs list-task-definitions --family-prefix ${ECS_FAMILY}` },
        ],
        notes: NOTES,
      };
    }
    default:
      return {
        commands: [{ title: 'Stop the watcher and the delegate', command: 'cd /opt/harness-delegate && ./stop.sh' }],
        notes: ['Then delete the shell-delegate folder (/opt/harness-delegate): it holds the token in config-watcher.yml and config-delegate.yml.', ...NOTES],
      };
  }
}
