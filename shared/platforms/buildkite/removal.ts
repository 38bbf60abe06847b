/** Taking a Buildkite agent away again, per install type. */
import type { Removal } from '../types';
import type { BuildkiteAnswers } from './answers';
import { PROXY_DROP_IN } from './config-file';
import { CONTAINER } from './docker';
import { SECRET_NAME } from './kubernetes';
import { DROP_IN, ENV_FILE } from './systemd';

const NOTES = [
  'The agent leaves Buildkite → Agents when it disconnects; its finished jobs stay in the build history.',
  'Revoke the agent token (Agents → your cluster → Agent Tokens) if no other agent uses it.',
];

const STOP = { title: 'Stop the agent and keep it from starting again', command: 'sudo systemctl disable --now buildkite-agent', os: 'linux' as const };

export function buildkiteRemoval(variant: string, a: BuildkiteAnswers): Removal {
  switch (variant) {
    case 'cfg':
      return {
        commands: [
          STOP,
          { title: 'Remove the config file that holds the token', command: 'sudo rm /etc/buildkite-agent/buildkite-agent.cfg', os: 'linux' },
          ...(a.proxyUrl
            ? [
                {
                  title: 'Remove the proxy drop-in',
                  command: `sudo rm /etc/systemd/system/${PROXY_DROP_IN} && sudo systemctl daemon-reload`,
                  os: 'linux' as const,
                },
              ]
            : []),
        ],
        notes: ['To remove the program too, uninstall the buildkite-agent package (apt-get remove / yum remove).', ...NOTES],
      };
    case 'env':
      return {
        commands: [
          STOP,
          {
            title: 'Remove the environment file and its drop-in',
            command: `sudo rm /etc/buildkite-agent/${ENV_FILE} /etc/systemd/system/${DROP_IN} && sudo systemctl daemon-reload`,
            os: 'linux',
          },
        ],
        notes: ['To remove the program too, uninstall the buildkite-agent package (apt-get remove / yum remove).', ...NOTES],
      };
    case 'docker':
      return { commands: [{ title: 'Stop and remove the container', command: `docker rm -f ${CONTAINER}` }], notes: NOTES };
    default:
      return {
        commands: [
          { title: 'Uninstall the agent stack', command: `helm uninstall agent-stack-k8s --namespace ${a.namespace}` },
          { title: 'Delete the token Secret', command: `kubectl delete secret ${SECRET_NAME} --namespace ${a.namespace}` },
        ],
        notes: [`The namespace ${a.namespace} stays: delete it (kubectl delete namespace ${a.namespace}) only if nothing else lives there.`, ...NOTES],
      };
  }
}
