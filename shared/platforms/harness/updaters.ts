/**
 * Token rotation in existing Harness delegate installs: every place the delegate token lives, in
 * each install type's own files, edited in place (only the token values change).
 */
import { isMap, isScalar } from 'yaml';
import { err, ok, type Result } from '../../result';
import type { Command, Updater } from '../types';
import { editJson, member, parseJsonLocated, type JsonNode, type JsonSet } from '../../edit/json';
import { lineOf, type Rotated } from '../../edit/splice';
import { shownSh } from '../../escape';
import {
  baseName,
  containerNameIn,
  dirName,
  looksLikeScript,
  noToken,
  rotateScriptWith,
  rotateYamlWith,
  yamlTopKeys,
  YAML_NAME,
  type ScriptEdits,
  type YamlPlan,
} from '../../edit/updater-kit';
import { scanYamlTokens, type YamlTokenScan } from '../../edit/token-places';
import { checkTokenText } from '../../edit/values';
import { rotateEnvFile } from '../../edit/env-file';
import { getPair, getScalar, parseYaml, yamlInlineScalar, type YamlDoc, type YamlRemove, type YamlSet } from '../../edit/yaml';
import { TOKEN_ENV_NAMES, secretDataValue } from './common';
import { dockerCommands, DOCKER_ENV_FILE, DOCKER_SCRIPT } from './docker';
import { helmSetTyped, helmSetValue } from '../../edit/helm-set';
import { ecsCommands, ECS_FAMILY } from './ecs';
import { helmCommands } from './helm';
import { shellCommands } from './shell';

const TOKEN_NAME_RE = new RegExp(`\\b(${TOKEN_ENV_NAMES.join('|')})\\b`);

// ---------------------------------------------------------------- Kubernetes manifests and Compose

function rotateYamlEnv(text: string, token: string, name: string): Rotated {
  return rotateYamlWith(text, token, name, (docs) => ok(scanYamlTokens(docs, TOKEN_ENV_NAMES, token, secretDataValue)), `No delegate token in ${name}.`);
}

function k8sScan(text: string): YamlTokenScan | undefined {
  const docs = parseYaml(text);
  return docs.ok ? scanYamlTokens(docs.value, TOKEN_ENV_NAMES, 'x', secretDataValue) : undefined;
}

/** kubectl apply, restart and verify for the workloads of a manifest. */
export function manifestCommands(text: string, path: string): Command[] {
  const scan = k8sScan(text);
  const commands: Command[] = [{ title: 'Apply the changed manifest', command: `kubectl apply -f ${shownSh(path, '<manifest>')}` }];
  for (const w of scan?.workloads ?? []) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind)) continue;
    const ns = `-n ${shownSh(w.namespace ?? 'default', '<namespace>')}`;
    const ref = `${w.kind.toLowerCase()}/${w.name}`;
    commands.push({
      title: `Restart ${w.name} so it reads the new token (a changed Secret alone restarts nothing)`,
      command: `kubectl rollout restart ${ref} ${ns}`,
    });
    commands.push({ title: `Wait until ${w.name} is up again`, command: `kubectl rollout status ${ref} ${ns} --timeout=10m` });
    const c = w.containers.find((x) => x.envName === 'DELEGATE_TOKEN') ?? w.containers[0];
    if (c?.secret && c.secretKey) {
      commands.push({
        title: `Check ${w.name} runs with the token now in Secret ${c.secret} (the two hashes must match)`,
        command: `kubectl exec ${ref} ${ns} -c ${shownSh(c.container, '<container>')} -- printenv ${c.envName} | tr -d '\\n' | sha256sum; kubectl get secret ${shownSh(c.secret, '<secret>')} ${ns} -o jsonpath='{.data.${c.secretKey}}' | base64 -d | sha256sum`,
      });
    } else if (c) {
      commands.push({
        title: `Check ${w.name} runs with the new token (must print <new-token-sha256>)`,
        command: `kubectl exec ${ref} ${ns} -c ${shownSh(c.container, '<container>')} -- printenv ${c.envName} | tr -d '\\n' | sha256sum`,
      });
    }
    commands.push({ title: `Watch ${w.name}'s log`, command: `kubectl logs ${ref} ${ns} --since=10m --tail=100` });
  }
  for (const w of scan?.workloads ?? []) {
    if (w.kind === 'CronJob')
      commands.push({
        title: `The upgrader CronJob ${w.name} reads its Secret at its next run; nothing to restart`,
        command: `kubectl get cronjob ${w.name} -n ${shownSh(w.namespace ?? 'default', '<namespace>')}`,
      });
  }
  return commands;
}

export const kubernetesUpdater: Updater = {
  id: 'harness-kubernetes',
  name: 'Harness delegate Kubernetes manifest',
  detect: (fileName, text) =>
    YAML_NAME.test(fileName) && /^\s*kind:\s*["']?(Secret|Deployment|StatefulSet|DaemonSet|CronJob|Pod)\b/m.test(text) && TOKEN_NAME_RE.test(text),
  rotate: (text, token) => rotateYamlEnv(text, token, 'The manifest'),
  commands: [
    { title: 'Apply the changed manifest', command: 'kubectl apply -f harness-delegate.yaml' },
    { title: 'Restart the delegate so it reads the new token', command: 'kubectl rollout restart deployment/<delegate-name> -n harness-delegate-ng' },
    { title: 'Wait until it is up again', command: 'kubectl rollout status deployment/<delegate-name> -n harness-delegate-ng --timeout=10m' },
  ],
  commandsFor: manifestCommands,
};

export const composeUpdater: Updater = {
  id: 'harness-compose',
  name: 'Harness delegate Docker Compose file',
  detect: (fileName, text) => YAML_NAME.test(fileName) && /^services:/m.test(text) && TOKEN_NAME_RE.test(text) && !/^\s*kind:/m.test(text),
  rotate: (text, token) => rotateYamlEnv(text, token, 'The Compose file'),
  commands: [{ title: 'Recreate the delegate container with the new token', command: 'docker compose up -d --force-recreate' }],
  commandsFor: (_text, path) => [
    { title: 'Recreate the delegate container with the new token', command: `docker compose -f ${shownSh(path, '<compose-file>')} up -d --force-recreate` },
    { title: 'Check it is running', command: `docker compose -f ${shownSh(path, '<compose-file>')} ps` },
    { title: 'Watch its log', command: `docker compose -f ${shownSh(path, '<compose-file>')} logs --since 10m` },
  ],
};

// ---------------------------------------------------------------- Helm values

function helmValues(text: string): { docs: YamlDoc[]; root: unknown } | undefined {
  const docs = parseYaml(text);
  if (!docs.ok || docs.value.length !== 1) return undefined;
  return { docs: docs.value, root: docs.value[0]!.contents };
}

function planHelm(docs: YamlDoc[], token: string): Result<YamlPlan> {
  const root = docs[0]?.contents;
  const notes: string[] = [];
  const sets: YamlSet[] = [];
  const existing = getScalar(root, 'existingDelegateToken');
  if (existing && typeof existing.value === 'string' && existing.value !== '') {
    notes.push(
      `This install reads the token from the Secret "${existing.value}" (existingDelegateToken), not from delegateToken: update that Secret's DELEGATE_TOKEN instead.`,
    );
  } else {
    const node = getScalar(root, 'delegateToken');
    if (node) sets.push({ node, value: token, what: 'delegateToken' });
    else if (getPair(root, 'delegateToken')) notes.push('delegateToken has no value in this file; set it by hand.');
  }
  const upgrader = getPair(root, 'upgrader')?.value;
  const existingUpgrader = getScalar(upgrader, 'existingUpgraderToken');
  if (existingUpgrader && typeof existingUpgrader.value === 'string' && existingUpgrader.value !== '') {
    notes.push(
      `The upgrader reads its token from the Secret "${existingUpgrader.value}" (upgrader.existingUpgraderToken): update that Secret's UPGRADER_TOKEN too.`,
    );
  }
  for (const [where, map] of [
    ['upgraderToken', root],
    ['upgrader.upgraderToken', upgrader],
  ] as const) {
    const node = getScalar(map, 'upgraderToken');
    if (node) sets.push({ node, value: token, what: where });
  }
  // Env lists such as custom_envs may carry the token as well.
  const scan = scanYamlTokens(docs, TOKEN_ENV_NAMES, token, secretDataValue);
  sets.push(...scan.sets.filter((s) => !sets.some((x) => x.node === s.node)));
  notes.push(...scan.notes);
  return ok({ sets, notes });
}

export const helmUpdater: Updater = {
  id: 'harness-helm',
  name: 'Harness delegate Helm values',
  detect: (fileName, text) => {
    if (!YAML_NAME.test(fileName) || /^kind:/m.test(text)) return false;
    const keys = yamlTopKeys(text);
    const tokenish = keys.has('delegateToken') || keys.has('existingDelegateToken') || (keys.has('accountId') && keys.has('delegateName'));
    return (
      tokenish &&
      !keys.has('managerUrl') &&
      ['managerEndpoint', 'delegateDockerImage', 'existingDelegateToken', 'upgrader', 'replicas'].some((k) => keys.has(k))
    );
  },
  rotate: (text, token) => rotateYamlWith(text, token, 'The values file', planHelm, 'No delegate token in this values file.'),
  commands: helmCommands('values.yaml', '<release>', 'harness-delegate-ng'),
  commandsFor: (text, path) => {
    const v = helmValues(text);
    const name = String(getScalar(v?.root, 'delegateName')?.value ?? 'harness-delegate-ng');
    const [, , upgrade, status] = helmCommands(path, name, 'harness-delegate-ng');
    return [
      {
        title: 'Find the release name and namespace of this delegate (the commands below assume the delegate name and harness-delegate-ng)',
        command: 'helm list -A --filter harness-delegate',
      },
      upgrade!,
      { title: 'Restart the delegate so it reads the new token', command: `kubectl rollout restart deployment/${name} -n harness-delegate-ng` },
      status!,
      { title: "Watch the delegate's log", command: `kubectl logs deployment/${name} -n harness-delegate-ng --since=10m --tail=100` },
    ];
  },
};

// ---------------------------------------------------------------- ECS task definitions

/** containerDefinitions of a task definition, or of `aws ecs describe-task-definition` output. */
function containerDefinitions(root: JsonNode): JsonNode | undefined {
  return member(root, 'containerDefinitions') ?? member(member(root, 'taskDefinition'), 'containerDefinitions');
}

function rotateEcs(text: string, token: string): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  const root = parseJsonLocated(text, 'The task definition');
  if (!root.ok) return root;
  const defs = containerDefinitions(root.value);
  if (defs?.kind !== 'array') return err('UNKNOWN_FORMAT', 'This JSON has no containerDefinitions: it is not an ECS task definition.');
  const sets: JsonSet[] = [];
  const notes: string[] = [];
  for (const def of defs.items) {
    const cname = member(def, 'name');
    const label = cname?.kind === 'string' ? `container ${cname.value}` : 'a container';
    const env = member(def, 'environment');
    for (const e of env?.kind === 'array' ? env.items : []) {
      const n = member(e, 'name');
      const v = member(e, 'value');
      if (n?.kind !== 'string' || !(TOKEN_ENV_NAMES as readonly string[]).includes(n.value)) continue;
      if (v?.kind === 'string') sets.push({ node: v, value: token, what: `${n.value} in ${label} environment` });
      else notes.push(`${n.value} in ${label} has no string value; set it by hand.`);
    }
    const secrets = member(def, 'secrets');
    for (const s of secrets?.kind === 'array' ? secrets.items : []) {
      const n = member(s, 'name');
      const from = member(s, 'valueFrom');
      if (n?.kind === 'string' && (TOKEN_ENV_NAMES as readonly string[]).includes(n.value)) {
        notes.push(
          `${n.value} in ${label} comes from ${from?.kind === 'string' ? from.value : 'a secret store'}: put the new token there (Secrets Manager or SSM Parameter Store).`,
        );
      }
    }
  }
  if (sets.length === 0) return noToken(text, notes.length ? notes.join(' ') : 'No delegate token in this task definition.');
  const edited = editJson(text, root.value, sets, 'The task definition');
  return edited.ok ? ok({ ...edited.value, notes }) : edited;
}

export const ecsUpdater: Updater = {
  id: 'harness-ecs',
  name: 'Harness delegate ECS task definition',
  detect: (fileName, text) => /\.json$/i.test(fileName) && /"containerDefinitions"/.test(text) && TOKEN_NAME_RE.test(text),
  rotate: rotateEcs,
  commands: ecsCommands('task-spec.json', ECS_FAMILY, '<cluster>', '<service>'),
  commandsFor: (text, path) => {
    const root = parseJsonLocated(text);
    const fam = root.ok ? (member(root.value, 'family') ?? member(member(root.value, 'taskDefinition'), 'family')) : undefined;
    const family = fam?.kind === 'string' ? fam.value : ECS_FAMILY;
    const envName = TOKEN_ENV_NAMES.find((n) => text.includes(`"${n}"`)) ?? 'DELEGATE_TOKEN';
    return ecsCommands(path, family, '<cluster>', '<service>', envName);
  },
};

// ---------------------------------------------------------------- shell-script delegate configs

const NO_SHELL_CONFIG_TOKEN =
  "No delegateToken in this file: Harness's start.sh adds one from DELEGATE_TOKEN (or ACCOUNT_SECRET) when the delegate starts, so rotate it where that variable is set.";

function planShellConfig(docs: YamlDoc[], token: string): Result<YamlPlan> {
  const root = docs[0]?.contents;
  if (docs.length > 1 || (root !== null && root !== undefined && !isMap(root)))
    return err('UNKNOWN_FORMAT', 'This is not a delegate config file (a single YAML mapping).');
  const current = getScalar(root, 'delegateToken');
  const legacy = getPair(root, 'accountSecret');
  const sets: YamlSet[] = [];
  const removes: YamlRemove[] = [];
  if (current) {
    sets.push({ node: current, value: token, what: 'delegateToken' });
    if (legacy) removes.push({ pair: legacy, what: 'the old accountSecret line (delegateToken replaces it)' });
  } else if (legacy && isScalar(legacy.key) && isScalar(legacy.value)) {
    sets.push({ node: legacy.key, value: 'delegateToken', what: 'accountSecret renamed to delegateToken' });
    sets.push({ node: legacy.value, value: token, what: 'delegateToken (was accountSecret)' });
  }
  return ok({ sets, removes, notes: [] });
}

export const shellConfigUpdater: Updater = {
  id: 'harness-shell-config',
  name: 'Harness delegate config (config-watcher.yml, config-delegate.yml, config.yml)',
  detect: (fileName, text) => {
    if (!YAML_NAME.test(fileName)) return false;
    if (/^config-(watcher|delegate)\.ya?ml$/i.test(baseName(fileName))) return true;
    const keys = yamlTopKeys(text);
    return ((keys.has('delegateToken') || keys.has('accountSecret')) && keys.has('managerUrl')) || (keys.has('server') && /^# Delegate Config/m.test(text));
  },
  rotate: (text, token) => rotateYamlWith(text, token, 'The delegate config', planShellConfig, NO_SHELL_CONFIG_TOKEN),
  commands: shellCommands('/opt/harness-delegate'),
  commandsFor: (text, path) => {
    if (/^# Dropwizard config/m.test(text) || /^server:/m.test(text)) {
      return [
        {
          title: "This is the delegate image's config.yml: restart the delegate container or pod, which rebuilds it from DELEGATE_TOKEN",
          command: 'docker restart <container>  # or: kubectl rollout restart deployment/<delegate> -n <namespace>',
        },
      ];
    }
    return shellCommands(dirName(path));
  },
};

// ---------------------------------------------------------------- scripts (docker run, helm --set, Harness's start.sh)

/** Plans the script edits: token assignments, `--set delegateToken=`, and `echo "delegateToken: …"` lines. */
function planScript(p: ScriptEdits, token: string): Result<void> {
  const { text, words, edits, notes } = p;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const assign = /^(?:export\s+)?([A-Z_]+)=/.exec(w.value);
    const name = assign?.[1];
    if (name && (TOKEN_ENV_NAMES as readonly string[]).includes(name)) {
      const line = lineOf(text, w.start);
      if (!w.literal) {
        notes.push(
          `${name} on line ${line} is taken from ${w.value.slice(name.length + 1) || 'the environment'} when the script runs: rotate it where that is set.`,
        );
        continue;
      }
      const r = p.replace(w, `${name}=`, token, `${name} on line ${line}`);
      if (!r.ok) return r;
      continue;
    }
    const prev = words[i - 1]?.value;
    const set = /^(delegateToken|upgrader\.upgraderToken|upgraderToken)=/.exec(w.value);
    if (set && (prev === '--set' || prev === '--set-string')) {
      if (!w.literal) {
        notes.push(`${set[1]} on line ${lineOf(text, w.start)} is taken from a variable when the script runs.`);
        continue;
      }
      // Escaped by helm's --set rules (every real Harness token ends in "=", which helm keeps).
      // helm --set reads digits-only or true/null as that type: such a token goes by --set-string.
      const typed = prev === '--set' && helmSetTyped(token);
      if (typed)
        edits.push({
          start: words[i - 1]!.start,
          end: words[i - 1]!.end,
          text: '--set-string',
          what: `helm --set on line ${lineOf(text, w.start)}, made --set-string so helm keeps the token a string`,
        });
      const r = p.replace(w, `${set[1]}=`, helmSetValue(token, true)!, `helm ${typed ? '--set-string' : prev} ${set[1]} on line ${lineOf(text, w.start)}`);
      if (!r.ok) return r;
      continue;
    }
    const echo = /^(delegateToken|accountSecret): /.exec(w.value);
    if (echo && prev === 'echo') {
      const line = lineOf(text, w.start);
      if (!w.literal) {
        notes.push(`${echo[1]} on line ${line} is written from a variable when the script runs.`);
        continue;
      }
      const r = p.replace(
        w,
        'delegateToken: ',
        yamlInlineScalar(token),
        echo[1] === 'accountSecret' ? `accountSecret written by line ${line}, renamed to delegateToken` : `delegateToken written by line ${line}`,
      );
      if (!r.ok) return r;
    }
  }
  // Harness's old start.sh only appends the token line when `grep accountSecret` finds none: follow the rename.
  const grep = /grep accountSecret (config-(?:watcher|delegate)\.yml)/g;
  for (let m = grep.exec(text); m; m = grep.exec(text)) {
    const at = m.index + 'grep '.length;
    if (edits.some((e) => e.start <= at && at < e.end)) continue;
    edits.push({ start: at, end: at + 'accountSecret'.length, text: 'delegateToken', what: `grep for the token line on line ${lineOf(text, at)}, renamed` });
  }
  return ok(undefined);
}

export const scriptUpdater: Updater = {
  id: 'harness-script',
  name: 'Harness delegate script (docker run, helm --set, start.sh)',
  detect: (fileName, text) => looksLikeScript(fileName, text) && (TOKEN_NAME_RE.test(text) || /\b(delegateToken|accountSecret)\b/.test(text)),
  rotate: (text, token) => rotateScriptWith(text, token, planScript, 'No delegate token in this script.'),
  commands: dockerCommands(DOCKER_SCRIPT, '<container>'),
  commandsFor: (text, path) => {
    if (/\bwatcher\.jar\b|config-watcher\.yml/.test(text)) return shellCommands(dirName(path));
    if (/\bhelm\s+(upgrade|install)\b/.test(text))
      return [
        { title: 'Run the script again: it upgrades the release with the new token', command: `bash ${shownSh(path, '<script>')}` },
        { title: 'Wait until the delegate is up again', command: 'kubectl rollout status deployment/<delegate-name> -n harness-delegate-ng --timeout=10m' },
      ];
    return dockerCommands(path, containerNameIn(text) ?? '<container>');
  },
};

// ---------------------------------------------------------------- env files

export const envFileUpdater: Updater = {
  id: 'harness-env-file',
  name: 'Harness delegate env file (docker --env-file, .env)',
  detect: (fileName, text) =>
    (/(^|[\\/.])env$|\.env$|\.env\.[^\\/]*$/i.test(fileName) || /^\.env/.test(baseName(fileName))) &&
    new RegExp(`^\\s*(export\\s+)?(${TOKEN_ENV_NAMES.join('|')})\\s*=`, 'm').test(text),
  rotate: (text, token) => rotateEnvFile(text, token, TOKEN_ENV_NAMES),
  commands: [
    {
      title: 'Recreate the container that reads this file (docker run --env-file, or docker compose up -d --force-recreate)',
      command: 'docker compose up -d --force-recreate',
    },
  ],
  // The generated Docker install: run-delegate.sh beside delegate.env names the container after DELEGATE_NAME.
  commandsFor: (text, path) => {
    const name = /^DELEGATE_NAME=([A-Za-z0-9_.-]+)\r?$/m.exec(text)?.[1];
    if (baseName(path) !== DOCKER_ENV_FILE || !name) return envFileUpdater.commands;
    const dir = dirName(path);
    return dockerCommands(dir ? `${dir}/${DOCKER_SCRIPT}` : DOCKER_SCRIPT, name);
  },
};

/** Every Harness updater, most specific first (the first that detects a file edits it). */
export const HARNESS_UPDATERS: Updater[] = [shellConfigUpdater, helmUpdater, kubernetesUpdater, composeUpdater, ecsUpdater, envFileUpdater, scriptUpdater];
