/**
 * Installing the package variant's files on a host over SSH. Under '/' it is the real install:
 * /etc/gitlab-runner/config.toml, the proxy drop-in and the CA, then `systemctl restart
 * gitlab-runner` (the deb/rpm package's service). Under another install root (a folder the login
 * user owns) the same files go below it and the runner runs as that user with
 * `gitlab-runner run --config …`, logging to a file. Either way the host must have gitlab-runner:
 * the plan stops before any change when it is missing.
 */
import { err, ok, type Result } from '../../result';
import type { AgentWhere, Artifact, HostRecipe } from '../types';
import { CONFIG_DIR } from './answers';
import { shellWord } from './common';
import { CA_FILE, CONFIG_FILE, PROXY_DROP_IN } from './generate';

/** How to get gitlab-runner on a host: from GitLab's own package repository, not the distribution's. */
export const GITLAB_RUNNER_INSTALL_HINT =
  "add GitLab's package repository and install gitlab-runner (https://docs.gitlab.com/runner/install/linux-repository/)";

const under = (prefix: string, path: string): string => `${prefix.replace(/\/+$/, '')}${path}`;
const isRoot = (prefix: string): boolean => prefix.replace(/\/+$/, '') === '';

/** Where the runner's log and state are on a host installed under `prefix`. */
export function gitlabRunnerWhere(prefix: string): AgentWhere {
  if (isRoot(prefix))
    return { log: { source: 'journalctl', unit: 'gitlab-runner' }, status: { command: 'systemctl is-active gitlab-runner', running: /^active/m } };
  const pidFile = under(prefix, '/run/gitlab-runner.pid');
  return {
    log: { source: 'log-file', file: under(prefix, '/var/log/gitlab-runner.log') },
    status: { command: `kill -0 "$(cat ${shellWord(pidFile)} 2>/dev/null)" 2>/dev/null && echo running`, running: /^running/m },
  };
}

/** The drop-in's Environment= words (as this app writes them) as shell words for `env`. */
function proxyFromDropIn(text: string): string {
  const line = /^Environment=(.*)$/m.exec(text)?.[1] ?? '';
  const words = [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!).replace(/%%/g, '%'));
  return words
    .map((w) => shellWord(w, ''))
    .filter(Boolean)
    .join(' ');
}

/** The recipe for the package variant's files under `prefix`. */
export function gitlabRunnerHostRecipe(variant: string, files: Artifact[], prefix: string): Result<HostRecipe> {
  if (variant !== 'package')
    return err(
      'BAD_INPUT',
      "Installing over SSH takes the Linux package variant's files (config.toml and the systemd drop-in).",
      'Generate the package variant, or follow the commands shown for Docker and Helm.',
    );
  const byName = new Map(files.map((f) => [f.path, f]));
  const config = byName.get(CONFIG_FILE);
  if (!config) return err('BAD_INPUT', 'The files lack config.toml.', 'Install from the whole generated folder or bundle.');
  const caTarget = /^\s*tls-ca-file\s*=\s*"([^"]+)"/m.exec(config.text)?.[1];
  const confDir = under(prefix, CONFIG_DIR);
  const confPath = `${confDir}/config.toml`;
  const recipeFiles: HostRecipe['files'] = [{ from: CONFIG_FILE, target: confPath, mode: 0o600, secret: true, text: config.text }];
  const dirs: HostRecipe['dirs'] = [{ path: confDir, mode: 0o700 }];
  const ca = byName.get(CA_FILE);
  if (ca && caTarget) {
    const target = under(prefix, caTarget);
    dirs.push({ path: target.slice(0, target.lastIndexOf('/')), mode: 0o755 });
    recipeFiles.push({ from: CA_FILE, target, mode: 0o644, secret: false, text: ca.text });
  }
  const dropIn = byName.get(PROXY_DROP_IN);
  const root = isRoot(prefix);
  if (dropIn) {
    dirs.push({ path: under(prefix, '/etc/systemd/system/gitlab-runner.service.d'), mode: 0o755 });
    recipeFiles.push({ from: PROXY_DROP_IN, target: under(prefix, `/etc/systemd/system/${PROXY_DROP_IN}`), mode: 0o644, secret: false, text: dropIn.text });
  }
  const where = gitlabRunnerWhere(prefix);
  if (root) {
    return ok({
      kind: 'systemd',
      title: 'GitLab Runner (package) with /etc/gitlab-runner/config.toml',
      dirs,
      files: recipeFiles,
      requires: ['gitlab-runner', 'systemctl'],
      installHints: { 'gitlab-runner': GITLAB_RUNNER_INSTALL_HINT },
      stop: [],
      start: [
        ...(dropIn ? [{ title: 'Make systemd read the proxy drop-in', command: 'systemctl daemon-reload', privileged: true }] : []),
        { title: 'Restart the runner service', command: 'systemctl restart gitlab-runner', privileged: true },
      ],
      where,
      agentMade: [`${confDir}/.runner_system_id`],
      notes: ['The runner reloads config.toml by itself; the restart applies the proxy drop-in and starts a stopped service.'],
    });
  }
  const log = under(prefix, '/var/log/gitlab-runner.log');
  const pid = under(prefix, '/run/gitlab-runner.pid');
  const work = under(prefix, '/var/lib/gitlab-runner');
  dirs.push({ path: under(prefix, '/var/log'), mode: 0o755 }, { path: under(prefix, '/run'), mode: 0o755 }, { path: work, mode: 0o750 });
  const env = dropIn ? proxyFromDropIn(dropIn.text) : '';
  return ok({
    kind: 'shell',
    title: `GitLab Runner under ${prefix} (run as the login user)`,
    dirs,
    files: recipeFiles,
    requires: ['gitlab-runner', 'setsid'],
    installHints: { 'gitlab-runner': GITLAB_RUNNER_INSTALL_HINT },
    stop: [{ title: 'Stop a runner this install started', command: `kill "$(cat ${shellWord(pid)} 2>/dev/null)" 2>/dev/null`, mayFail: true }],
    start: [
      {
        title: 'Start the runner (detached from this session)',
        command: `${env ? `env ${env} ` : ''}setsid -f sh -c 'echo $$ > "$1"; exec gitlab-runner run --config "$2" --working-directory "$3" >>"$4" 2>&1' sh ${shellWord(pid)} ${shellWord(confPath)} ${shellWord(work)} ${shellWord(log)} </dev/null >/dev/null 2>&1`,
      },
    ],
    where,
    agentMade: [log, pid, `${confDir}/.runner_system_id`],
    notes: ['The runner runs as the SSH login user from the install root; the system service (if any) is left alone.'],
  });
}
