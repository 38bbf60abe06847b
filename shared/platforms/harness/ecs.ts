/**
 * The Amazon ECS task definition of a Harness delegate (reference/platforms.md §5): one container
 * with the delegate's environment, written as JSON by JSON.stringify so every value is escaped.
 */
import { ok, type Result } from '../../result';
import type { Command, Generated } from '../types';
import { shellArg, shellQuote } from '../../edit/shell';
import type { HarnessAnswers } from './answers';
import { commonNotes, delegateEnv, delegateImage } from './common';

export const ECS_FILE = 'harness-delegate-task-spec.json';
export const ECS_FAMILY = 'harness-delegate-task-spec';

/** New-revision-and-restart commands for an ECS delegate service. */
export function ecsCommands(file: string, family: string, cluster: string, service: string, envName = 'DELEGATE_TOKEN'): Command[] {
  const c = shellArg(cluster);
  const s = shellArg(service);
  return [
    { title: 'Register a new revision of the task definition', command: `aws ecs register-task-definition --cli-input-json ${shellQuote(`file://${file}`)}` },
    {
      title: 'Move the service to it and replace its tasks',
      command: `aws ecs update-service --cluster ${c} --service ${s} --task-definition ${shellQuote(family)} --force-new-deployment`,
    },
    {
      title: 'Or, for a task run without a service: stop it (ECS does not restart it) …',
      command: `aws ecs stop-task --cluster ${c} --task <task-id> --reason 'delegate token rotated'`,
    },
    { title: '… and start the new revision', command: `aws ecs run-task --cluster ${c} --task-definition ${shellQuote(family)}` },
    { title: 'Wait until the service is stable', command: `aws ecs wait services-stable --cluster ${c} --services ${s}` },
    {
      title: 'Check the registered task definition has the new token (must print <new-token-sha256>)',
      command: `aws ecs describe-task-definition --task-definition ${shellQuote(family)} --query "taskDefinition.containerDefinitions[0].environment[?name=='${envName}'].value | [0]" --output text | tr -d '\\n' | sha256sum`,
    },
  ];
}

/** The task definition as an object (the JSON file is its JSON.stringify). */
export function taskDefinition(a: HarnessAnswers, token: string): Record<string, unknown> {
  const env = delegateEnv(a, token, 'DOCKER');
  // Harness documents DEPLOY_MODE=KUBERNETES for ECS delegates too.
  env.splice(env.findIndex(([k]) => k === 'MANAGER_HOST_AND_PORT') + 1, 0, ['DEPLOY_MODE', 'KUBERNETES']);
  return {
    family: ECS_FAMILY,
    containerDefinitions: [
      {
        name: a.delegateName,
        image: delegateImage(a),
        cpu: 1024,
        memory: 2048,
        essential: true,
        hostname: a.delegateName,
        environment: env.map(([name, value]) => ({ name, value })),
      },
    ],
    requiresCompatibilities: ['EC2'],
    networkMode: 'bridge',
    cpu: '1024',
    memory: '2048',
  };
}

/** harness-delegate-task-spec.json and the aws commands that register and run it. */
export function generateEcs(a: HarnessAnswers, token: string): Result<Generated> {
  const text = `${JSON.stringify(taskDefinition(a, token), null, 2)}\n`;
  const cluster = shellQuote(a.ecsCluster);
  return ok({
    files: [{ path: ECS_FILE, text, mode: 0o600, secret: true, description: 'ECS task definition, token included' }],
    commands: [
      { title: 'Register the task definition', command: `aws ecs register-task-definition --cli-input-json file://${ECS_FILE}` },
      {
        title: 'Run it as a service',
        command: `aws ecs create-service --service-name ${shellQuote(a.delegateName)} --task-definition ${ECS_FAMILY} --cluster ${cluster} --desired-count 1`,
      },
      { title: 'Wait until it is stable', command: `aws ecs wait services-stable --cluster ${cluster} --services ${shellQuote(a.delegateName)}` },
    ],
    notes: [
      ...commonNotes(a),
      'ECS delegates do not upgrade themselves: register a new revision with a newer image tag to upgrade.',
      'For Fargate: set networkMode to awsvpc, add an executionRoleArn, and create the CloudWatch log group first (a missing one fails with "ResourceInitializationError: failed to validate logger args").',
      'The token is in the task definition in plain text; consider moving it to Secrets Manager (a `secrets` entry) once the delegate works.',
    ],
  });
}
