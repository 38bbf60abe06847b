/**
 * Installing a Harness delegate's generated files on a host over SSH.
 * - docker: the generated run-delegate.sh and its 0600 delegate.env, run as they are (the token
 *   only in the env file docker reads); the delegate's /api/health is asked inside the container.
 * - shell: start.sh, stop.sh and the two 0600 config files into the shell-delegate folder
 *   (/opt/harness-delegate under the install root), which must already hold watcher.jar from
 *   Harness's shell-delegate package; then start.sh, which starts the watcher detached. The
 *   delegate logs to delegate.log there, and its built-in health endpoint is :3460/api/health.
 * Kubernetes, Helm and ECS are not installed from here (their commands are shown).
 */
import { err, ok, type Result } from '../../result';
import { withQuotes } from '../../escape';
import { dockerScriptRecipe, underRoot } from '../host-recipes';
import type { AgentWhere, Artifact, HostRecipe } from '../types';
import { DOCKER_SCRIPT } from './docker';
import { DELEGATE_CONFIG, WATCHER_CONFIG } from './shell';

const SHELL_DIR = '/opt/harness-delegate';

/** Where the shell-script delegate under `prefix` logs, and how to tell it runs. */
export function harnessWhere(prefix: string): AgentWhere {
  const dir = underRoot(prefix, SHELL_DIR);
  const w = withQuotes((q) => ({
    log: { source: 'log-file' as const, file: `${dir}/delegate.log` },
    status: { command: `pgrep -f -- ${q.sh(`-Dwatchersourcedir=${dir}`)} >/dev/null && echo running`, running: /^running/m },
  }));
  return w.ok ? w.value : { log: { source: 'log-file', file: `${dir}/delegate.log` } };
}

/** The recipe for a variant's files under `prefix`; BAD_INPUT for the cluster variants. */
export function harnessHostRecipe(variant: string, files: Artifact[], prefix: string): Result<HostRecipe> {
  if (variant === 'docker')
    return dockerScriptRecipe({
      title: 'Harness delegate in Docker (run-delegate.sh)',
      dir: underRoot(prefix, '/opt/agent-onboard/harness-delegate'),
      script: DOCKER_SCRIPT,
      files,
      notes: ['The delegate needs 1 CPU and 2 GB of memory on this host; its health endpoint is asked inside the container (docker exec … curl).'],
    });
  if (variant !== 'shell')
    return err(
      'BAD_INPUT',
      `The ${variant} delegate is not installed over SSH: no cluster is reached from here.`,
      'Run the commands shown on the Configs step where kubectl, helm or the AWS CLI reaches it.',
    );
  const byName = new Map(files.map((f) => [f.path, f]));
  const need = ['start.sh', 'stop.sh', WATCHER_CONFIG, DELEGATE_CONFIG];
  const missing = need.filter((n) => !byName.has(n));
  if (missing.length) return err('BAD_INPUT', `The files lack ${missing.join(', ')}.`, 'Install from the whole generated folder or bundle.');
  const dir = underRoot(prefix, SHELL_DIR);
  const r = withQuotes((q) => ({
    kind: 'shell' as const,
    title: `Harness shell-script delegate in ${dir}`,
    dirs: [{ path: dir, mode: 0o755 }],
    files: need.map((name) => {
      const f = byName.get(name)!;
      return { from: name, target: `${dir}/${name}`, mode: f.secret ? 0o600 : 0o755, secret: f.secret, text: f.text };
    }),
    requires: ['java', 'bash', 'pgrep', 'setsid'],
    installHints: { java: 'install a Java runtime Harness supports (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)' },
    stop: [{ title: 'Stop the watcher and the delegate of this folder', command: `bash ${q.sh(`${dir}/stop.sh`)}`, mayFail: true }],
    start: [
      {
        // start.sh itself refuses a folder without watcher.jar, naming it; it starts the watcher with nohup and waits 3 s.
        title: 'Start the watcher (it starts the delegate) with start.sh',
        command: `cd ${q.sh(dir)} && setsid bash ./start.sh </dev/null`,
      },
    ],
    where: harnessWhere(prefix),
    agentMade: [`${dir}/delegate.log`, `${dir}/watcher.log`, `${dir}/nohup-watcher.out`],
    notes: [
      "The folder must hold watcher.jar from Harness's shell-delegate package (Delegates → New delegate); start.sh stops with a message when it is missing.",
      'The delegate runs as the SSH login user; its health endpoint is http://localhost:3460/api/health on the host.',
    ],
  }));
  if (!r.ok) return err('BAD_INPUT', `install root: ${r.error.message}`);
  return ok(r.value);
}
