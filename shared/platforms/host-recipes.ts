/**
 * Pieces the platforms' host recipes share (no platform named here): paths under an install root,
 * a program started detached as the login user with a pid file and a log file, and a generated
 * `docker run` script run as it is. The shell text is built with shared/escape only, so a path no
 * shell word can carry is refused (BAD_INPUT), never written half-quoted.
 */
import { err, type Result } from '../result';
import { withQuotes } from '../escape';
import type { AgentWhere, Artifact, HostCommand, HostRecipe } from './types';

/** `prefix` + an absolute path ('/' + '/etc/x' = '/etc/x'). */
export function underRoot(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path}`;
}

/** The install root is the host's own '/' (a real install, with its service manager). */
export function isHostRoot(prefix: string): boolean {
  return prefix.replace(/\/+$/, '') === '';
}

/** The folder part of an absolute path. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A process the login user runs: where its pid and log are, and how it starts. */
export interface DetachedProcess {
  pidFile: string;
  logFile: string;
  /** Folder it runs in. */
  cwd: string;
  /** The program and its arguments (paths and names only, never a secret). */
  argv: string[];
  /** A file of `KEY=value` lines (this app's own env files: no quote, `$`, backslash or backtick in a value) sourced first, so a secret never is an argument. */
  envFile?: string;
}

/** Answers "running" while the process in the pid file lives (the verify status check). */
export function detachedWhere(p: Pick<DetachedProcess, 'pidFile' | 'logFile'>): Result<AgentWhere> {
  return withQuotes((q) => ({
    log: { source: 'log-file' as const, file: p.logFile },
    status: { command: `kill -0 "$(cat ${q.sh(p.pidFile)} 2>/dev/null)" 2>/dev/null && echo running`, running: /^running/m },
  }));
}

/**
 * Starts `argv` in a new session (it outlives the SSH channel), its pid written first, stdout and
 * stderr appended to the log file; and stops it again with every process of its group (the pid is
 * the group's), waiting up to 30 s for the group to be gone.
 */
export function detachedCommands(p: DetachedProcess, what: string): Result<{ start: HostCommand; stop: HostCommand }> {
  return withQuotes((q) => {
    // One fixed inner script; the pid file, the log, the env file and the program are its arguments.
    const inner = p.envFile
      ? `echo $$ > "$0"; log=$1; set -a; . "$2"; set +a; shift 2; exec "$@" >>"$log" 2>&1`
      : `echo $$ > "$0"; log=$1; shift; exec "$@" >>"$log" 2>&1`;
    const args = [p.pidFile, p.logFile, ...(p.envFile ? [p.envFile] : []), ...p.argv];
    return {
      start: {
        title: `Start ${what} (detached from this session)`,
        command: `cd ${q.sh(p.cwd)} && setsid -f sh -c ${q.sh(inner)} ${q.shWords(args)} </dev/null >/dev/null 2>&1`,
      },
      stop: {
        title: `Stop ${what} this install started, and wait until it has exited`,
        // setsid made the process the leader of its own group: the whole group is stopped, so what
        // it started (Bamboo's installer runs the wrapper and the agent's JVM as children) goes too.
        command: `pid=$(cat ${q.sh(p.pidFile)} 2>/dev/null) && { kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null; }; n=0; while [ -n "$pid" ] && kill -0 -- -"$pid" 2>/dev/null && [ "$n" -lt 30 ]; do sleep 1; n=$((n + 1)); done`,
        mayFail: true,
      },
    };
  });
}

/** What a generated `docker run` script needs to be installed and run as it is. */
export interface DockerScriptInstall {
  title: string;
  /** Folder on the host for the script and its env file (already under the install root). */
  dir: string;
  /** The generated script, its env file (the secret) and anything beside them (a CA), by file name. */
  script: string;
  files: Artifact[];
  notes: string[];
}

/**
 * The value of a `NAME=value` line of a generated shell script, read back with the shell's rules
 * for the two forms the generators write (a bare word, or single quotes with `'\''` for a quote);
 * undefined for anything else (a script this app did not write).
 */
export function shAssignment(scriptText: string, name: string): string | undefined {
  const line = new RegExp(`^${name}=(.+)$`, 'm').exec(scriptText)?.[1];
  if (!line) return undefined;
  const m = /^'((?:[^']|'\\'')*)'$/.exec(line);
  if (m) return m[1]!.replace(/'\\''/g, "'");
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(line) ? line : undefined;
}

/** The container name a generated script runs (its `NAME=` line). */
export function containerName(scriptText: string): string | undefined {
  return shAssignment(scriptText, 'NAME');
}

/**
 * The recipe for a Docker variant: the generated script and its 0600 env file uploaded into one
 * folder, any earlier container of the script's name removed, then the script run (it passes the
 * env file with --env-file, so the token is never an argument). The image and every option come
 * from the script itself: this recipe adds no second copy of them.
 */
export function dockerScriptRecipe(d: DockerScriptInstall): Result<HostRecipe> {
  const byName = new Map(d.files.map((f) => [f.path, f]));
  const script = byName.get(d.script);
  if (!script) return err('BAD_INPUT', `The files lack ${d.script}.`, 'Install from the whole generated folder or bundle.');
  const name = containerName(script.text);
  if (!name) return err('BAD_INPUT', `${d.script} is not a script this app generated (no NAME= line).`, 'Generate the files again with Agent Onboard.');
  const envFileName = /--env-file "\$HERE\/([^"]+)"/.exec(script.text)?.[1];
  if (!envFileName || !byName.get(envFileName)?.secret)
    return err('BAD_INPUT', `${d.script} runs no env file from these files.`, 'Install from the whole generated folder or bundle.');
  const dirs = new Set([d.dir]);
  const files = d.files.map((f) => {
    const target = `${d.dir}/${f.path}`;
    dirs.add(dirOf(target));
    return { from: f.path, target, mode: f.secret ? 0o600 : f.mode & 0o777, secret: f.secret, text: f.text };
  });
  return withQuotes((q) => {
    const remove: HostCommand = {
      title: `Remove a container named ${name} left by an earlier install`,
      command: `docker rm -f ${q.sh(name)} >/dev/null 2>&1 || true`,
      mayFail: true,
    };
    return {
      kind: 'docker' as const,
      title: d.title,
      dirs: [...dirs].map((path) => ({ path, mode: path === d.dir ? 0o700 : 0o755 })),
      files,
      requires: ['docker', 'bash'],
      stop: [remove],
      start: [remove, { title: `Run ${d.script} (docker run -d --name ${name} --env-file …)`, command: `bash ${q.sh(`${d.dir}/${d.script}`)}` }],
      where: dockerWhere(name),
      agentMade: [],
      notes: [
        ...d.notes,
        `The token is only in ${envFileName} (mode 0600), which docker reads with --env-file; \`docker inspect ${name}\` shows it to whoever may run docker on this host.`,
      ],
    };
  });
}

/** A container's log (docker logs) and state (docker inspect). */
export function dockerWhere(container: string): AgentWhere {
  const q = withQuotes((w) => w.sh(container));
  const word = q.ok ? q.value : "''";
  return {
    log: { source: 'docker-logs', container },
    status: { command: `docker inspect -f '{{.State.Status}}' ${word}`, running: /^running/m },
  };
}
