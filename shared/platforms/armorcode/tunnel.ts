/**
 * The tunnel itself: one reverse forward per internal service, as an argv that each generated
 * format (supervisord.conf, a systemd unit) writes with its own quoting. Paths are parameters so
 * tests can run the real thing in a temp folder; the defaults are the vendor's container layout.
 */
import { parseServiceUrl, type ArmorcodeAnswers, type ArmorcodeService, type ServiceTarget } from './answers';

/** Where things live on the agent host (or in the container). */
export interface ArmorcodeLayout {
  /** The folder holding private-key.pem, known_hosts and supervisord.conf. */
  configDir: string;
  autossh: string;
  ssh: string;
  /** supervisord `user=` of each program (null: omit; supervisord then keeps its own user). */
  programUser: string | null;
  /** supervisord's own log file. */
  logFile: string;
  /** Folder for supervisord's pid file and control socket. */
  runDir: string;
  /** The system user the systemd units run as. */
  systemdUser: string;
}

/** The vendor's container layout (armor-code/agent Dockerfile): /etc/armorcode, appuser. */
export const CONTAINER_LAYOUT: ArmorcodeLayout = {
  configDir: '/etc/armorcode',
  autossh: '/usr/bin/autossh',
  ssh: '/usr/bin/ssh',
  programUser: 'appuser',
  logFile: '/dev/stdout',
  runDir: '/tmp',
  systemdUser: 'armorcode',
};

const SAFE_PATH = /^\/(?:[A-Za-z0-9._-]+\/?)*$/;

/** A message for the first layout path that is not a plain absolute path, or null. */
export function layoutProblem(layout: ArmorcodeLayout): string | null {
  for (const key of ['configDir', 'autossh', 'ssh', 'logFile', 'runDir'] as const) {
    const v = layout[key];
    if (!SAFE_PATH.test(v) || v.split('/').includes('..'))
      return `${key} must be an absolute path of letters, digits, '.', '_', '-' and '/' (got ${JSON.stringify(v.slice(0, 80))})`;
  }
  for (const user of [layout.programUser, layout.systemdUser]) {
    if (user !== null && !/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) return `user ${JSON.stringify(user.slice(0, 40))} is not a valid user name`;
  }
  return null;
}

/** `dir/name` without a doubled slash. */
export function inDir(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** The service's target (its URL is valid once the answers parsed). */
export function targetOf(service: ArmorcodeService): ServiceTarget {
  const parsed = parseServiceUrl(service.url);
  if (!parsed.ok) throw new Error(`service ${service.name}: ${parsed.message}`);
  return parsed.target;
}

/** `[bind:]remote_port:target_host:target_port` for -R; IPv6 targets in brackets. */
export function forwardSpec(service: ArmorcodeService): string {
  const t = targetOf(service);
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `*:${service.remotePort}:${host}:${t.port}`;
}

/**
 * The ssh options every tunnel uses: keep-alives so a dead link is noticed, a forward that cannot
 * be bound ends the session (so it is retried instead of hanging), no prompts, and the server's
 * key checked against the pinned known_hosts. LogLevel=VERBOSE makes ssh print `Authenticated to …`,
 * which the online check reads (reference/next-platforms.md A4); it logs no secrets.
 */
export function sshOptions(a: ArmorcodeAnswers, layout: ArmorcodeLayout): string[] {
  const opts = [
    `ServerAliveInterval=${a.serverAliveInterval}`,
    `ServerAliveCountMax=${a.serverAliveCountMax}`,
    'ExitOnForwardFailure=yes',
    'LogLevel=VERBOSE',
    'BatchMode=yes',
    'ConnectTimeout=20',
    'StrictHostKeyChecking=yes',
    `UserKnownHostsFile=${inDir(layout.configDir, 'known_hosts')}`,
    'GlobalKnownHostsFile=/dev/null',
    'UpdateHostKeys=no',
    'IdentitiesOnly=yes',
  ];
  return opts.flatMap((o) => ['-o', o]);
}

/** The argv after the program name: options, key, port, the forward, `--`, the destination. */
export function tunnelArgs(a: ArmorcodeAnswers, service: ArmorcodeService, layout: ArmorcodeLayout): string[] {
  return [
    '-N',
    ...sshOptions(a, layout),
    '-i',
    inDir(layout.configDir, 'private-key.pem'),
    '-p',
    String(a.port),
    '-l',
    a.user,
    '-R',
    forwardSpec(service),
    '--',
    a.server,
  ];
}

/** The autossh argv (supervisord): `-M 0` leaves liveness to the keep-alives above. */
export function autosshArgv(a: ArmorcodeAnswers, service: ArmorcodeService, layout: ArmorcodeLayout): string[] {
  return [layout.autossh, '-M', '0', ...tunnelArgs(a, service, layout)];
}

/** The plain ssh argv (systemd restarts it itself). */
export function sshArgv(a: ArmorcodeAnswers, service: ArmorcodeService, layout: ArmorcodeLayout): string[] {
  return [layout.ssh, ...tunnelArgs(a, service, layout)];
}
