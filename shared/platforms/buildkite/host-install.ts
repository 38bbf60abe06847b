/**
 * Installing the Buildkite agent's generated files on a host over SSH.
 * - cfg / env under '/': the Linux package's layout, /etc/buildkite-agent/buildkite-agent.cfg (or
 *   .env plus the drop-in that loads it), 0600, handed to the buildkite-agent user when the
 *   package created it; then `systemctl restart buildkite-agent`; the log is the unit's journal.
 * - cfg / env under another install root (a folder the login user owns): the same files below it,
 *   and the login user runs `buildkite-agent start` detached, logging to a file (the fleet role's
 *   layout, shared/platforms/buildkite/ansible.ts). The env file is sourced by the shell that then
 *   execs the agent, so the token is never an argument.
 * - docker: the generated run-agent.sh and its 0600 agent.env, run as they are.
 * The host must have buildkite-agent (or docker): the plan stops before any change when it does not.
 */
import { err, ok, type Result } from '../../result';
import { withQuotes } from '../../escape';
import { detachedCommands, detachedWhere, dirOf, dockerScriptRecipe, isHostRoot, underRoot } from '../host-recipes';
import type { AgentWhere, Artifact, HostCommand, HostRecipe } from '../types';
import { CFG_FILE, PROXY_DROP_IN } from './config-file';
import { DOCKER_SCRIPT } from './docker';
import { DROP_IN, ENV_FILE } from './systemd';

const CONFIG_DIR = '/etc/buildkite-agent';
const UNIT = 'buildkite-agent';
const SERVICE_USER = 'buildkite-agent';

/** How to get the agent on a host: it is not in any distribution's own packages. */
export const BUILDKITE_INSTALL_HINT =
  "add Buildkite's package repository and install buildkite-agent (https://buildkite.com/docs/agent/v3/ubuntu, or the installer script at https://buildkite.com/docs/agent/v3/linux)";

/** Where a host install of the agent under `prefix` keeps its log, pid and container. */
function layout(prefix: string) {
  return {
    log: underRoot(prefix, '/var/log/buildkite-agent/agent.log'),
    pid: underRoot(prefix, '/run/buildkite-agent/agent.pid'),
    configDir: underRoot(prefix, CONFIG_DIR),
    dockerDir: underRoot(prefix, '/opt/agent-onboard/buildkite-agent'),
  };
}

/** Where the agent's log and state are on a host installed under `prefix` (cfg/env; the docker variant's are the container's). */
export function buildkiteWhere(prefix: string): AgentWhere {
  if (isHostRoot(prefix)) return { log: { source: 'journalctl', unit: UNIT }, status: { command: `systemctl is-active ${UNIT}`, running: /^active/m } };
  const l = layout(prefix);
  const w = detachedWhere({ pidFile: l.pid, logFile: l.log });
  return w.ok ? w.value : { log: { source: 'log-file', file: l.log } };
}

/** The recipe for a variant's files under `prefix`; BAD_INPUT for Kubernetes (its commands are shown). */
export function buildkiteHostRecipe(variant: string, files: Artifact[], prefix: string): Result<HostRecipe> {
  if (variant === 'docker')
    return dockerScriptRecipe({
      title: 'Buildkite agent in Docker (run-agent.sh)',
      dir: layout(prefix).dockerDir,
      script: DOCKER_SCRIPT,
      files,
      notes: ['The container mounts the build, hooks and plugins paths of the answers from the host.'],
    });
  if (variant !== 'cfg' && variant !== 'env')
    return err(
      'BAD_INPUT',
      'The Kubernetes variant (agent-stack-k8s) is not installed over SSH: no cluster is reached from here.',
      'Run the commands shown on the Configs step where kubectl reaches the cluster.',
    );
  const byName = new Map(files.map((f) => [f.path, f]));
  const main = byName.get(variant === 'cfg' ? CFG_FILE : ENV_FILE);
  if (!main) return err('BAD_INPUT', `The files lack ${variant === 'cfg' ? CFG_FILE : ENV_FILE}.`, 'Install from the whole generated folder or bundle.');
  return isHostRoot(prefix) ? systemdRecipe(variant, main, byName.get(variant === 'cfg' ? PROXY_DROP_IN : DROP_IN)) : loginUserRecipe(variant, main, prefix);
}

function systemdRecipe(variant: 'cfg' | 'env', main: Artifact, dropIn: Artifact | undefined): Result<HostRecipe> {
  const target = `${CONFIG_DIR}/${main.path}`;
  const dropInTarget = dropIn ? `/etc/systemd/system/${dropIn.path}` : undefined;
  const stop: HostCommand = { title: 'Stop the agent service', command: `systemctl stop ${UNIT}`, privileged: true, mayFail: true };
  return ok({
    kind: 'systemd',
    title: `Buildkite agent (Linux package) with ${target}`,
    dirs: [{ path: CONFIG_DIR, mode: 0o755 }, ...(dropInTarget ? [{ path: dirOf(dropInTarget), mode: 0o755 }] : [])],
    files: [
      // The package's service runs as buildkite-agent, which must read its 0600 cfg; the env file is read by systemd as root.
      { from: main.path, target, mode: 0o600, secret: true, text: main.text, ...(variant === 'cfg' ? { owner: SERVICE_USER } : {}) },
      ...(dropIn && dropInTarget ? [{ from: dropIn.path, target: dropInTarget, mode: 0o644, secret: false, text: dropIn.text }] : []),
    ],
    requires: ['buildkite-agent', 'systemctl'],
    installHints: { 'buildkite-agent': BUILDKITE_INSTALL_HINT },
    ...(variant === 'cfg'
      ? {
          // The cfg is placed as the package's user: without it (an agent not from the package) nothing is changed.
          prepare: [
            {
              title: `Check that the package created the ${SERVICE_USER} user`,
              command: `id -u ${SERVICE_USER} >/dev/null 2>&1 || { echo 'The ${SERVICE_USER} user is missing: install the agent from the Buildkite package repository (it creates the user and the service), then install again.' >&2; exit 1; }`,
            },
          ],
        }
      : {}),
    stop: [stop],
    start: [
      ...(dropIn ? [{ title: 'Make systemd read the drop-in', command: 'systemctl daemon-reload', privileged: true }] : []),
      { title: 'Restart the agent service (it registers with the new settings)', command: `systemctl restart ${UNIT}`, privileged: true },
    ],
    where: buildkiteWhere('/'),
    agentMade: [],
    notes: [
      variant === 'cfg'
        ? 'The cfg replaces the package default; the service reads it at start.'
        : 'Environment variables win over the packaged buildkite-agent.cfg, so these settings apply.',
    ],
  });
}

function loginUserRecipe(variant: 'cfg' | 'env', main: Artifact, prefix: string): Result<HostRecipe> {
  const l = layout(prefix);
  const target = `${l.configDir}/${main.path}`;
  const argv = variant === 'cfg' ? ['buildkite-agent', 'start', '--config', target] : ['buildkite-agent', 'start'];
  const cmds = detachedCommands(
    { pidFile: l.pid, logFile: l.log, cwd: l.configDir, argv, ...(variant === 'env' ? { envFile: target } : {}) },
    'the Buildkite agent',
  );
  if (!cmds.ok) return err('BAD_INPUT', `install root: ${cmds.error.message}`);
  const checked = withQuotes((q) => q.sh(prefix));
  if (!checked.ok) return err('BAD_INPUT', `install root: ${checked.error.message}`);
  return ok({
    kind: 'shell',
    title: `Buildkite agent under ${prefix} (run as the login user)`,
    dirs: [
      { path: l.configDir, mode: 0o700 },
      { path: dirOf(l.log), mode: 0o750 },
      { path: dirOf(l.pid), mode: 0o700 },
    ],
    files: [{ from: main.path, target, mode: 0o600, secret: true, text: main.text }],
    requires: ['buildkite-agent', 'setsid'],
    installHints: { 'buildkite-agent': BUILDKITE_INSTALL_HINT },
    stop: [cmds.value.stop],
    start: [cmds.value.start],
    where: buildkiteWhere(prefix),
    agentMade: [l.log, l.pid],
    notes: [
      'The agent runs as the SSH login user from the install root; the system service (if any) is left alone.',
      `Its build, hooks and plugins paths are the ones in ${main.path}: the login user must be able to write the build path.`,
    ],
  });
}
