/**
 * Token rotation in existing Buildkite agent installs: `token=` in buildkite-agent.cfg,
 * BUILDKITE_AGENT_TOKEN in env files, systemd units, docker run scripts, Kubernetes Secrets and
 * Compose files, and agentToken in agent-stack-k8s Helm values — only the token values change.
 */
import { isMap, isScalar } from 'yaml';
import { err, ok, type Result } from '../../result';
import type { Command, Updater } from '../types';
import { rotateEnvFile, rotateSystemdEnvironment } from '../../edit/env-file';
import {
  containerNameIn,
  looksLikeScript,
  noToken,
  rotateScriptWith,
  rotateYamlWith,
  YAML_NAME,
  type ScriptEdits,
  type YamlPlan,
} from '../../edit/updater-kit';
import { shownSh } from '../../escape';
import { helmSetTyped, helmSetValue } from '../../edit/helm-set';
import { applyTokenEdits, lineOf, type Rotated, type TokenEdit } from '../../edit/splice';
import { scanYamlTokens } from '../../edit/token-places';
import { base64Utf8, checkTokenText } from '../../edit/values';
import { getNode, getPair, getScalar, parseYaml, type YamlDoc, type YamlSet } from '../../edit/yaml';
import { readCfg, renderCfgValue, stripCfgComment } from './cfg';
import { systemdCommands, TOKEN_ENV_NAMES } from './common';
import { CONTAINER, dockerCommands } from './docker';
import { CHART, stackCommands } from './kubernetes';

const TOKEN_RE = /\bBUILDKITE_AGENT_TOKEN\b/;
/** Kubernetes Secret data is always base64 of the token (Buildkite tokens are not pre-encoded). */
const encodeData = (token: string): { value: string; how: string } => ({ value: base64Utf8(token), how: 'base64-encoded' });

function emptyPlace(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

// ---------------------------------------------------------------- buildkite-agent.cfg

function rotateCfg(text: string, token: string): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  if (/\$\{?[A-Za-z_]/.test(token))
    return err(
      'UNSAFE_VALUE',
      'The agent expands $NAME and ${NAME} in its cfg, so this token would not reach it as written.',
      'Check the token: real agent tokens have no "$".',
    );
  const lines = readCfg(text);
  const bad = lines.find((l) => l.error);
  if (bad)
    return err(
      'PARSE_ERROR',
      `The agent cannot read line ${lineOf(text, bad.start)} of this cfg (${bad.error}), so it would not start either.`,
      'Fix that line first; nothing was changed.',
    );
  const edits: { start: number; end: number; text: string; what: string }[] = [];
  const notes: string[] = [];
  for (const l of lines) {
    if (l.parsed?.key !== 'token') continue;
    const line = lineOf(text, l.start);
    if (/^(file|fd):\/\//.test(l.parsed.value)) {
      notes.push(`token on line ${line} is read from ${l.parsed.value}: put the new token in that file on the agent host.`);
      continue;
    }
    // The agent expands $VAR and ${VAR} in its cfg: such a value is a reference, not the token.
    const ref = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(l.parsed.value);
    if (ref) {
      notes.push(
        `token on line ${line} is "${l.parsed.value}", taken from the environment variable ${ref[1]} when the agent starts: it stays as it is. ${whereToSet(ref[1]!)}`,
      );
      continue;
    }
    const stripped = stripCfgComment(l.text);
    if (!l.text.startsWith(stripped)) return err('UNSAFE_VALUE', `The comment on line ${line} cannot be kept safely; edit that line by hand.`);
    const sep = /^[^=]*=|^[^:]*:/.exec(stripped)![0].length;
    const lead = /^[ \t]*/.exec(stripped.slice(sep))![0].length;
    const valueRaw = stripped.slice(sep + lead).replace(/[ \t]+$/, '');
    const trailing = stripped.slice(sep + lead + valueRaw.length) + l.text.slice(stripped.length);
    const prefer = valueRaw.startsWith("'") ? "'" : valueRaw.startsWith('"') ? '"' : '';
    const rendered = renderCfgValue('token', stripped.slice(0, sep + lead), token, prefer, trailing);
    if (!rendered.ok) return rendered;
    const newLine = rendered.value;
    edits.push({ start: l.start, end: l.start + l.text.length, text: newLine, what: `token on line ${line}` });
  }
  if (edits.length === 0 && notes.length) return noToken(text, notes.join(' '));
  if (edits.length === 0) {
    const commented = lines.find((l) => l.ignored && /^\s*#\s*token\s*[=:]/.test(l.text));
    return noToken(
      text,
      commented
        ? `The token is commented out in this file (line ${lineOf(text, commented.start)}): the agent gets it from BUILDKITE_AGENT_TOKEN or --token. Rotate it where that is set.`
        : 'No token line in this file: the agent gets its token from BUILDKITE_AGENT_TOKEN or --token. Rotate it where that is set.',
    );
  }
  return splice(text, edits, notes, (newText) => {
    const again = readCfg(newText).filter(
      (l) => l.parsed?.key === 'token' && !/^(file|fd):\/\//.test(l.parsed.value) && !/\$\{?[A-Za-z_]/.test(l.parsed.value),
    );
    return again.length === edits.length && again.every((l) => l.parsed?.value === token);
  });
}

/** Applies line or word edits and proves the result with `check`; reports each with its ranges. */
function splice(text: string, edits: TokenEdit[], notes: string[], check: (t: string, ranges: [number, number][]) => boolean): Rotated {
  return applyTokenEdits(text, edits, notes, (t, ranges) =>
    check(t, ranges) ? undefined : 'The edited file would not read back with the new token; nothing was changed.',
  );
}

function cfgCommands(text: string, path: string): Command[] {
  if (/^[A-Za-z]:\\/.test(path) || /"[A-Za-z]:\\/.test(text)) {
    return [
      {
        title: 'Restart the agent service (PowerShell, as administrator; the service name may differ, e.g. if installed with NSSM)',
        command: 'Restart-Service buildkite-agent',
        os: 'windows',
      },
      { title: 'Check it is running', command: 'Get-Service buildkite-agent', os: 'windows' },
    ];
  }
  if (/^\/(opt\/homebrew|usr\/local)\//.test(path)) {
    return [
      { title: 'Restart the agent (Homebrew service)', command: 'brew services restart buildkite/buildkite/buildkite-agent', os: 'macos' },
      { title: 'Check it is running', command: 'brew services info buildkite-agent', os: 'macos' },
    ];
  }
  if (/^\/buildkite\//.test(path) || /"\/buildkite\/builds"/.test(text)) {
    return dockerCommands('run-agent.sh', CONTAINER)
      .filter((c) => !c.command.startsWith('docker exec'))
      .concat([{ title: 'Or, if this cfg is mounted into the container, just restart it', command: `docker restart ${CONTAINER}` }]);
  }
  return systemdCommands(false);
}

export const cfgUpdater: Updater = {
  id: 'buildkite-cfg',
  name: 'buildkite-agent.cfg',
  detect: (fileName, text) =>
    /\.cfg$/i.test(fileName) &&
    /^[ \t]*#?[ \t]*(export[ \t]+)?(token|name|build-path|hooks-path|plugins-path|tags|spawn)[ \t]*[=:]/m.test(text) &&
    !/^\s*\[/m.test(text),
  rotate: rotateCfg,
  commands: systemdCommands(false),
  commandsFor: cfgCommands,
};

/** Where the value of an environment reference is set, in words. */
function whereToSet(name: string): string {
  return `Set the new token where ${name} is set: an env file or systemd unit in this folder is rotated with it; otherwise it is in /etc/default/buildkite-agent, a systemd drop-in (Environment=${name}=…), or docker's --env-file / -e.`;
}

// ---------------------------------------------------------------- env files and systemd units

export const envFileUpdater: Updater = {
  id: 'buildkite-env-file',
  name: 'Buildkite agent environment file',
  detect: (fileName, text) =>
    !/\.(ya?ml|json|cfg|service|conf|sh)$/i.test(fileName) &&
    /^[ \t]*(export[ \t]+)?BUILDKITE_AGENT_TOKEN[ \t]*=/m.test(text) &&
    !/\bdocker\s+run\b/.test(text),
  rotate: (text, token) => rotateEnvFile(text, token, TOKEN_ENV_NAMES),
  commands: systemdCommands(false),
  commandsFor: (_text, path) =>
    /docker|compose|\.env$/i.test(path)
      ? [
          {
            title: 'Recreate the container that reads this file (docker run --env-file …, or docker compose up -d --force-recreate)',
            command: 'docker compose up -d --force-recreate',
          },
        ]
      : systemdCommands(false),
};

export const systemdUpdater: Updater = {
  id: 'buildkite-systemd',
  name: 'systemd unit or drop-in (Environment=)',
  detect: (fileName, text) =>
    /\.(service|conf)$/i.test(fileName) && /^\[Service\]/m.test(text) && /^[ \t]*Environment[ \t]*=.*BUILDKITE_AGENT_TOKEN=/m.test(text),
  rotate: (text, token) => rotateSystemdEnvironment(text, token, TOKEN_ENV_NAMES),
  commands: systemdCommands(true),
};

// ---------------------------------------------------------------- scripts: docker run, buildkite-agent start --token, helm --set

/** Plans the script edits: BUILDKITE_AGENT_TOKEN=, --token / --token=, and helm `--set agentToken=`. */
function planScript(p: ScriptEdits, token: string): Result<void> {
  const { text, words, edits, notes } = p;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const prev = words[i - 1]?.value;
    const line = lineOf(text, w.start);
    let prefix: string | undefined;
    let what = '';
    let value = token;
    if (/^(export\s+)?BUILDKITE_AGENT_TOKEN=/.test(w.value))
      [prefix, what] = [/^(?:export\s+)?BUILDKITE_AGENT_TOKEN=/.exec(w.value)![0], `BUILDKITE_AGENT_TOKEN on line ${line}`];
    else if (w.value.startsWith('--token=')) [prefix, what] = ['--token=', `--token on line ${line}`];
    else if (prev === '--token' && words[i - 2]?.value !== 'echo') [prefix, what] = ['', `--token on line ${line}`];
    else if (/^agentToken=/.test(w.value) && (prev === '--set' || prev === '--set-string')) {
      // helm --set reads digits-only or true/null as that type: such a token goes by --set-string.
      const typed = prev === '--set' && helmSetTyped(token) && w.literal;
      if (typed)
        edits.push({
          start: words[i - 1]!.start,
          end: words[i - 1]!.end,
          text: '--set-string',
          what: `helm --set on line ${line}, made --set-string so helm keeps the token a string`,
        });
      [prefix, what, value] = ['agentToken=', `helm ${typed ? '--set-string' : prev} agentToken on line ${line}`, helmSetValue(token, true)!];
    }
    if (prefix === undefined) continue;
    if (!w.literal) {
      notes.push(`${what} is taken from ${w.value.slice(prefix.length) || 'a variable'} when the script runs: rotate it where that is set.`);
      continue;
    }
    if (prefix === '' && token.startsWith('-')) {
      // `--token -x…` would read -x… as an option: join the two words into `--token=-x…`.
      const r = p.replace({ start: words[i - 1]!.start, end: w.end }, '--token=', token, `${what} (written as --token=… since the token starts with "-")`);
      if (!r.ok) return r;
      continue;
    }
    const r = p.replace(w, prefix, value, what);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

export const scriptUpdater: Updater = {
  id: 'buildkite-script',
  name: 'Script (docker run, buildkite-agent start --token, helm --set)',
  detect: (fileName, text) =>
    looksLikeScript(fileName, text, /\.(json|cfg)$/i) &&
    (TOKEN_RE.test(text) || /buildkite-agent\s+start[^\n]*--token/.test(text) || /--set(-string)?\s+agentToken=/.test(text)),
  rotate: (text, token) => rotateScriptWith(text, token, planScript, 'No agent token in this script.'),
  commands: dockerCommands('run-agent.sh', CONTAINER),
  commandsFor: (text, path) => {
    if (/\bhelm\s+(upgrade|install)\b/.test(text))
      return [
        { title: 'Run the script again: it upgrades the release with the new token', command: `bash ${shownSh(path, '<script>')}` },
        ...stackCommands(undefined, undefined, 'buildkite').slice(-3),
      ];
    if (/\bdocker\s+(run|create)\b/.test(text)) return dockerCommands(path, containerNameIn(text) ?? '<container>');
    return [
      { title: 'Stop the running agent and start it again with this script', command: `pkill -f 'buildkite-agent start'; bash ${shownSh(path, '<script>')}` },
    ];
  },
};

// ---------------------------------------------------------------- Kubernetes, Compose, agent-stack-k8s values

function planYaml(docs: YamlDoc[], token: string): Result<YamlPlan> {
  const scan = scanYamlTokens(docs, TOKEN_ENV_NAMES, token, encodeData);
  const sets: YamlSet[] = [...scan.sets];
  const notes = [...scan.notes];
  const root = docs[0]?.contents;
  if (docs.length === 1 && isMap(root) && !getPair(root, 'kind')) {
    const secret = getScalar(root, 'agentStackSecret');
    const agentToken = getScalar(root, 'agentToken');
    const tokenSecret = getScalar(root, 'agent-token-secret');
    if (secret && typeof secret.value === 'string' && secret.value !== '')
      notes.push(`The chart reads the token from the Secret "${secret.value}" (agentStackSecret): update its BUILDKITE_AGENT_TOKEN key.`);
    else if (agentToken) sets.push({ node: agentToken, value: token, what: 'agentToken' });
    if (tokenSecret && isScalar(tokenSecret))
      notes.push(`The controller reads the token from the Secret "${String(tokenSecret.value)}" (agent-token-secret): update its BUILDKITE_AGENT_TOKEN key.`);
    // The official buildkite/agent chart keeps it nested: agent.token.
    const agentMap = getNode(root, 'agent');
    const nested = getPair(agentMap, 'token');
    if (nested) {
      const node = nested.value;
      if (isScalar(node) && typeof node.value === 'string' && /\$\{?[A-Za-z_]|\{\{/.test(node.value))
        notes.push(`agent.token is "${node.value}", set when it is deployed: rotate it where that comes from.`);
      else if (isScalar(node) && typeof node.value === 'string' && node.range)
        sets.push({ node, value: token, what: emptyPlace(node.value) ? 'agent.token (no token set here yet: the new token is set)' : 'agent.token' });
      else
        notes.push(
          'agent.token: no token set here yet (the key has no value). Write the token there as a quoted string (token: "…") and run this again, or give it with --set agent.token=….',
        );
    }
  }
  return ok({ sets, notes });
}

/** True for values of the official buildkite/agent chart: a top-level `agent:` map with a `token` key. */
function agentChartValues(text: string): boolean {
  if (!/^agent:[ \t]*(#.*)?\r?$/m.test(text) || !/^[ \t]+token:/m.test(text)) return false;
  const docs = parseYaml(text, 'The values file');
  return docs.ok && docs.value.length === 1 && Boolean(getPair(getNode(docs.value[0]!.contents, 'agent'), 'token'));
}

/** The charts whose values files hold a Buildkite token, and how each is found and restarted. */
const CHARTS = {
  agent: { ref: 'buildkite/agent', repoAdd: 'helm repo add buildkite https://buildkite.github.io/charts && helm repo update', workload: 'the agent pods' },
  stack: { ref: CHART, repoAdd: undefined, workload: 'the agent-stack-k8s controller' },
} as const;
type ChartInfo = { ref: string; repoAdd: string | undefined; workload: string; release?: string; namespace?: string };

/**
 * The chart a values file belongs to, from the file: a `helm upgrade|install RELEASE CHART` line
 * in it (a comment, often), else its shape (agent.token: buildkite/agent; agentToken or
 * agentStackSecret: agent-stack-k8s). Undefined when the file does not say.
 */
function chartOf(text: string): ChartInfo | undefined {
  const told = helmCommandIn(text);
  if (told) {
    const known = Object.values(CHARTS).find((c) => c.ref === told.chart || told.chart.endsWith(`/${c.ref.split('/').pop()!}`));
    return {
      ref: told.chart,
      repoAdd: known?.repoAdd,
      workload: known?.workload ?? 'the agent',
      release: told.release,
      ...(told.namespace ? { namespace: told.namespace } : {}),
    };
  }
  if (agentChartValues(text)) return { ...CHARTS.agent };
  if (/^(agentToken|agentStackSecret):/m.test(text)) return { ...CHARTS.stack };
  return undefined;
}

const HELM_VALUE_OPTIONS = new Set([
  '-n',
  '--namespace',
  '-f',
  '--values',
  '--version',
  '--set',
  '--set-string',
  '--set-file',
  '--kube-context',
  '--repo',
  '--timeout',
]);

/** Release, chart and namespace of the first `helm upgrade|install` line in `text` (comments included). */
function helmCommandIn(text: string): { release: string; chart: string; namespace?: string } | undefined {
  const line = /\bhelm\s+(?:upgrade|install)\b([^\n]*)/.exec(text)?.[1];
  if (line === undefined) return undefined;
  const words = line.trim().split(/\s+/).filter(Boolean);
  const positional: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-n' || w === '--namespace') namespace = words[i + 1];
    else if (w.startsWith('--namespace=')) namespace = w.slice(12);
    if (HELM_VALUE_OPTIONS.has(w)) i++;
    else if (!w.startsWith('-')) positional.push(w);
  }
  const [release, chart] = positional;
  const word = /^[A-Za-z0-9][\w./:@-]*$/;
  if (!release || !chart || !word.test(release) || !word.test(chart)) return undefined;
  return { release, chart, ...(namespace && word.test(namespace) ? { namespace } : {}) };
}

function helmUpgradeCommands(chart: ChartInfo, file: string): Command[] {
  const ns = chart.namespace ?? '<namespace>';
  const release = chart.release ?? '<release>';
  return [
    ...(chart.release
      ? []
      : [
          {
            title: `Find the release installed from ${chart.ref} (its NAME and NAMESPACE)`,
            command: `helm list --all-namespaces --filter '${chart.ref.split('/').pop()!}'`,
          },
        ]),
    ...(chart.repoAdd ? [{ title: 'Make the chart repository known to helm (once)', command: chart.repoAdd }] : []),
    {
      title: `Upgrade the release with the changed values (${chart.ref}; it restarts ${chart.workload})`,
      command: `helm upgrade ${release} ${chart.ref} --namespace ${ns} --reuse-values -f ${file}`,
    },
    { title: 'Check the pods came back with the new token', command: `kubectl get pods -n ${ns} -l app.kubernetes.io/instance=${release}` },
  ];
}

export const yamlUpdater: Updater = {
  id: 'buildkite-yaml',
  name: 'Kubernetes Secret, Compose file or agent-stack-k8s values',
  detect: (fileName, text) =>
    YAML_NAME.test(fileName) &&
    (TOKEN_RE.test(text) || /^agentToken:/m.test(text) || /^agentStackSecret:/m.test(text) || /^agent-token-secret:/m.test(text) || agentChartValues(text)),
  rotate: (text, token) => rotateYamlWith(text, token, 'The YAML file', planYaml, 'No agent token in the yaml file.'),
  commands: stackCommands('<file>', undefined, 'buildkite'),
  commandsFor: (text, path) => {
    const file = shownSh(path, '<file>');
    if (/^services:/m.test(text))
      return [
        { title: 'Recreate the agent container with the new token', command: `docker compose -f ${file} up -d --force-recreate` },
        { title: 'Watch it register', command: `docker compose -f ${file} logs --since 10m` },
      ];
    if (/^\s*kind:/m.test(text)) {
      const ns = /^\s*namespace:\s*["']?([a-z0-9-]+)/m.exec(text)?.[1] ?? 'buildkite';
      return stackCommands(file, undefined, ns);
    }
    const chart = chartOf(text);
    if (chart) return helmUpgradeCommands(chart, file);
    return stackCommands(undefined, undefined, 'buildkite');
  },
};

/** Every Buildkite updater, most specific first (the first that detects a file edits it). */
export const BUILDKITE_UPDATERS: Updater[] = [cfgUpdater, systemdUpdater, yamlUpdater, envFileUpdater, scriptUpdater];
