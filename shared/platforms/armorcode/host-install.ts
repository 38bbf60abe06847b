/**
 * Installing the tunnel on a host over SSH: the Docker Compose variant's supervisord.conf runs as
 * it is under the host's own supervisord, with the container paths moved under the install root
 * (the prefix). The move is exact: for every generated conf, rerooting it gives the same bytes as
 * generating it with the host layout (test/integration/shared/platforms/armorcode/host-install.test.ts).
 */
import { err, ok, type Result } from '../../result';
import { SERVICE_STAYED_UP_MS, type AgentWhere, type Artifact, type HostRecipe } from '../types';
import { quoteShWords, withQuotes } from '../../escape';
import { CONTAINER_LAYOUT, inDir, layoutProblem, type ArmorcodeLayout } from './tunnel';

/** `prefix` + an absolute path ('/' + '/etc/x' = '/etc/x'). */
export function underPrefix(prefix: string, path: string): string {
  const p = prefix.replace(/\/+$/, '');
  return `${p}${path}`;
}

/** Where the tunnel lives on a host under `prefix`; programs run as the supervisord user. */
export function hostLayout(prefix: string): ArmorcodeLayout {
  return {
    ...CONTAINER_LAYOUT,
    configDir: underPrefix(prefix, '/etc/armorcode'),
    programUser: null,
    logFile: underPrefix(prefix, '/var/log/armorcode/tunnel.log'),
    runDir: underPrefix(prefix, '/run/armorcode'),
  };
}

/** The container layout's supervisord.conf with its paths moved to `layout`; BAD_INPUT for a conf this app did not generate. */
export function rerootSupervisordConf(text: string, layout: ArmorcodeLayout): Result<string> {
  const c = CONTAINER_LAYOUT;
  const markers = [
    `logfile=${c.logFile}`,
    `pidfile=${inDir(c.runDir, 'armorcode-supervisord.pid')}`,
    `serverurl=unix://${inDir(c.runDir, 'armorcode-supervisor.sock')}`,
  ];
  if (!markers.every((m) => text.split('\n').includes(m))) {
    return err(
      'BAD_INPUT',
      'supervisord.conf is not the one Agent Onboard generates for the Docker Compose variant (its log, pid and socket lines differ).',
      'Generate the files again with Agent Onboard, or install this conf by hand.',
    );
  }
  const lines = text.split('\n').flatMap((line) => {
    if (c.programUser && line === `user=${c.programUser}`) return layout.programUser ? [`user=${layout.programUser}`] : [];
    if (line === `logfile=${c.logFile}`) return [`logfile=${layout.logFile}`];
    if (line === `stdout_logfile=${c.logFile}`) return [`stdout_logfile=${layout.logFile}`];
    return [line.split(inDir(c.runDir, 'armorcode-')).join(inDir(layout.runDir, 'armorcode-')).split(`${c.configDir}/`).join(`${layout.configDir}/`)];
  });
  return ok(lines.join('\n'));
}

/** Where the tunnels' log (supervisord, autossh and ssh lines in one file) and state are. */
export function armorcodeWhere(prefix: string): AgentWhere {
  const layout = hostLayout(prefix);
  // A prefix no shell word can carry gets no status command (the install itself refuses it).
  const ctl = quoteShWords(['supervisorctl', '-c', inDir(layout.configDir, 'supervisord.conf')]);
  return {
    log: { source: 'supervisord', file: layout.logFile },
    ...(ctl.ok ? { status: { command: `${ctl.value} status`, running: /\bRUNNING\b/ } } : {}),
  };
}

/** The supervisord recipe for the Docker Compose variant's files, under `prefix`. */
export function armorcodeHostRecipe(variant: string, files: Artifact[], prefix: string): Result<HostRecipe> {
  if (variant === 'systemd') return armorcodeSystemdRecipe(files, prefix);
  if (variant !== 'docker')
    return err(
      'BAD_INPUT',
      `ArmorCode has no ${JSON.stringify(variant.slice(0, 40))} variant to install.`,
      'Generate the Docker Compose or the systemd variant.',
    );
  const layout = hostLayout(prefix);
  const bad = layoutProblem(layout);
  if (bad) return err('BAD_INPUT', `install root: ${bad}`);
  const byName = new Map(files.map((f) => [f.path, f]));
  const need = ['supervisord.conf', 'private-key.pem', 'known_hosts', 'public-key.pem'];
  const missing = need.filter((n) => !byName.has(n));
  if (missing.length) return err('BAD_INPUT', `The files lack ${missing.join(', ')}.`, 'Install from the whole generated folder or bundle.');
  const conf = rerootSupervisordConf(byName.get('supervisord.conf')!.text, layout);
  if (!conf.ok) return conf;
  const confPath = inDir(layout.configDir, 'supervisord.conf');
  const pidFile = inDir(layout.runDir, 'armorcode-supervisord.pid');
  return withQuotes((q) => ({
    kind: 'supervisord' as const,
    title: `ArmorCode tunnels under supervisord in ${layout.configDir}`,
    dirs: [
      { path: layout.configDir, mode: 0o700 },
      { path: inDir(underPrefix(prefix, '/var/log'), 'armorcode'), mode: 0o750 },
      { path: layout.runDir, mode: 0o700 },
    ],
    files: [
      { from: 'supervisord.conf', target: confPath, mode: 0o644, secret: false, text: conf.value },
      ...['private-key.pem', 'known_hosts', 'public-key.pem'].map((name) => {
        const f = byName.get(name)!;
        return { from: name, target: inDir(layout.configDir, name), mode: f.secret ? 0o600 : f.mode & 0o777, secret: f.secret, text: f.text };
      }),
    ],
    requires: ['supervisord', 'supervisorctl', 'autossh', 'ssh'],
    // supervisorctl fails when no supervisord listens on the socket: nothing to stop then.
    // `shutdown` only asks; supervisord stops the tunnels and removes its pid file when it is gone,
    // so wait for that (up to 30 s) before anything moves its files or folders away.
    stop: [
      {
        title: 'Stop a tunnel supervisord this install runs, and wait until it has exited',
        command: `${q.shWords(['supervisorctl', '-c', confPath])} shutdown; n=0; while [ -e ${q.sh(pidFile)} ] && [ "$n" -lt 30 ]; do sleep 1; n=$((n + 1)); done; [ ! -e ${q.sh(pidFile)} ]`,
        mayFail: true,
      },
    ],
    start: [
      {
        title: 'Start supervisord with the tunnels (detached from this session)',
        command: `setsid -f supervisord -c ${q.sh(confPath)} </dev/null >/dev/null 2>&1`,
      },
    ],
    where: armorcodeWhere(prefix),
    agentMade: [layout.logFile],
    notes: [
      'The tunnels run as the SSH login user under its own supervisord, from the install root; nothing else on the host changes.',
      'Send public-key.pem to ArmorCode support: the tunnels connect only after they have added it.',
    ],
  }));
}

/** A generated unit's file name, and the journalctl -u / systemctl pattern of them all. */
export const UNIT_FILE = /^armorcode-tunnel-[A-Za-z0-9_.-]+\.service$/;
export const UNITS_PATTERN = 'armorcode-tunnel-*';

/**
 * Whether every unit of `units` (shell words, already quoted) is active: systemd writes no
 * "stayed up" line, so active on every poll for SERVICE_STAYED_UP_MS (past RestartSec=5) proves it.
 * The host recipe's verify and the fleet role's verify both ask this.
 */
export function allUnitsActive(units: string): { command: string; running: RegExp; stayedUpMs: number } {
  return {
    command: `n=0; for u in ${units}; do systemctl is-active --quiet "$u" || n=1; done; [ "$n" = 0 ] && echo active`,
    running: /^active/m,
    stayedUpMs: SERVICE_STAYED_UP_MS,
  };
}

/** Why the systemd units install only under / (the host recipe and the fleet role both refuse another root). */
export function systemdRootProblem(prefix: string): Result<void> {
  if (prefix.replace(/\/+$/, '') !== '')
    return err(
      'BAD_INPUT',
      `The systemd units run only from the host's own systemd (install root /), as the armorcode user; under ${prefix} systemd would never start them.`,
      'Install under / (root, or a login user with passwordless sudo), or generate the Docker Compose variant: it installs under any folder and runs the tunnels as the login user under supervisord.',
    );
  return ok(undefined);
}

/**
 * The systemd variant's units, under '/' only: the key and pin into /etc/armorcode for the
 * dedicated `armorcode` user (created when missing, as the commands shown do), the units into
 * /etc/systemd/system (the user made first, so the files are placed as its), then daemon-reload,
 * enable and restart. Under another install root it is
 * refused: systemd reads units only from its own folders and runs them as that user, so a unit
 * "installed" below a folder would never run, and running its ssh as the login user instead is
 * what the Docker Compose variant already does there (supervisord and autossh keep it up).
 */
export function armorcodeSystemdRecipe(files: Artifact[], prefix: string): Result<HostRecipe> {
  const rooted = systemdRootProblem(prefix);
  if (!rooted.ok) return rooted;
  const units = files.filter((f) => UNIT_FILE.test(f.path));
  const byName = new Map(files.map((f) => [f.path, f]));
  const missing = ['private-key.pem', 'known_hosts', 'public-key.pem'].filter((n) => !byName.has(n));
  if (!units.length) missing.unshift('armorcode-tunnel-*.service');
  if (missing.length) return err('BAD_INPUT', `The files lack ${missing.join(', ')}.`, 'Install from the whole generated folder or bundle.');
  const layout = hostLayout('/');
  const user = layout.systemdUser;
  const dir = layout.configDir;
  const names = units.map((u) => u.path);
  return withQuotes((q) => {
    const all = q.shWords(names);
    return {
      kind: 'systemd' as const,
      title: `ArmorCode tunnels as systemd units (${names.join(', ')})`,
      // Root's folder, open for the units' user to reach its own files in it (the key itself is 0600).
      dirs: [{ path: dir, mode: 0o755 }],
      files: [
        ...['private-key.pem', 'known_hosts', 'public-key.pem'].map((name) => {
          const f = byName.get(name)!;
          // ssh runs as the units' user and reads the key and the pin: both are that user's (the key 0600).
          const owner = name === 'public-key.pem' ? {} : { owner: user };
          return { from: name, target: inDir(dir, name), mode: f.secret ? 0o600 : 0o644, secret: f.secret, text: f.text, ...owner };
        }),
        ...units.map((u) => ({ from: u.path, target: `/etc/systemd/system/${u.path}`, mode: 0o644, secret: false, text: u.text })),
      ],
      requires: ['ssh', 'systemctl', 'useradd'],
      stop: [{ title: 'Stop and disable the tunnel units', command: `systemctl disable --now ${all}`, privileged: true, mayFail: true }],
      // The key and pin belong to the user the units run as (ssh refuses a key others can read), so it exists before they are placed.
      prepare: [
        {
          title: `Create the ${user} user the tunnels run as (when missing)`,
          command: `id -u ${q.sh(user)} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ${q.sh(user)}`,
          privileged: true,
        },
      ],
      start: [
        { title: 'Make systemd read the units', command: 'systemctl daemon-reload', privileged: true },
        { title: 'Enable the tunnels and (re)start them with this key', command: `systemctl enable ${all} && systemctl restart ${all}`, privileged: true },
      ],
      where: {
        log: { source: 'journalctl' as const, unit: UNITS_PATTERN },
        // Every unit must be active; systemd writes no "stayed up" line, so active on every poll proves it.
        status: allUnitsActive(all),
      },
      agentMade: [],
      notes: [
        'systemd restarts each tunnel 5 s after any exit, for ever; the units run ssh as the armorcode user.',
        'Send public-key.pem to ArmorCode support: the tunnels connect only after they have added it.',
      ],
    };
  });
}
