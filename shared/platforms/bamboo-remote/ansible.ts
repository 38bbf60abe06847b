/**
 * The Bamboo remote agent in a fleet's Ansible project, the way the wizard's Linux install runs
 * it but without systemd: the generator's install script and security-token (generateInstaller,
 * the "installer" variant, with the agent home under the install root) go into the agent home's
 * staging folder, the script runs Atlassian's installer once (it downloads the installer jar from
 * the server, writes bin/, conf/wrapper.conf and lib/, registers the agent with the token and runs
 * it), and from then on the agent is run by its own `bin/bamboo-agent.sh start|stop|restart|status`
 * (the Java Service Wrapper), as the user Ansible connects as. Verify requires both that the
 * agent runs now (`bin/bamboo-agent.sh status`, which reads the wrapper's pid file) and that the
 * log's last start of the agent (WRAPPER_START) is followed by "ready to receive builds": after a
 * restart it reads only what the log wrote since, and verify.yml alone reads the latest start, so
 * an old "ready" line can pass neither a stopped agent nor one whose new JVM has not connected. An
 * agent waiting for approval never writes it, so it is not success.
 *
 * rotate.yml rewrites the security token where the wizard's updater does: in conf/wrapper.conf,
 * the app parameter right after the /agentServer/ URL (after `-t` when the installer wrote the
 * flag form). That parameter's number is read from the file on each host (LOCATE_AWK, the same
 * reading as wrapper-conf.ts), never assumed.
 */
import { err, ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated } from '../types';
import { DEFAULT_AGENT_HOME, type BambooRemoteAnswers } from './answers';
import { FILES, generateInstaller, STAGING } from './installer';

/** The agent home the role installs into (under the install root). */
export const BAMBOO_FLEET_HOME = DEFAULT_AGENT_HOME.linux;
export const BAMBOO_WRAPPER_CONF = `${BAMBOO_FLEET_HOME}/conf/wrapper.conf`;
const STAGING_DIR = `${BAMBOO_FLEET_HOME}/${STAGING}`;
const LOG = `${BAMBOO_FLEET_HOME}/atlassian-bamboo-agent.log`;

/**
 * Prints the number of the app parameter that holds the security token in the wrapper.conf it
 * reads, the way wrapper-conf.ts `locate` finds it: the one parameter whose value is an
 * /agentServer/ URL, the parameter after it (after `-t` in the flag form), the last definition of
 * each winning; keys case-insensitive, comments skipped, CR LF read. It prints no value, and exits
 * 1 with the reason on stderr when there is no URL, two URLs, no token line, or a value there that
 * is not a token (the app's own updater adds a missing line; this script never guesses).
 */
export const LOCATE_AWK = `function fail(m) { print m > "/dev/stderr"; exit 1 }
{ sub(/\\r$/, "") }
/^[ \\t]*#/ { next }
{
  eq = index($0, "=")
  if (eq <= 1) next
  k = substr($0, 1, eq - 1); gsub(/^[ \\t]+|[ \\t]+$/, "", k); k = tolower(k)
  if (k !~ /^wrapper\\.app\\.parameter\\.[0-9][0-9]?[0-9]?[0-9]?$/) next
  v = substr($0, eq + 1); gsub(/^[ \\t]+|[ \\t]+$/, "", v)
  n = substr(k, 23) + 0; val[n] = v; seen[n] = 1
}
END {
  urls = 0
  for (n in seen) if (tolower(val[n]) ~ /^https?:\\/\\/[^ \\t]+\\/agentserver\\/?$/) { urls++; u = n }
  if (urls == 0) fail("wrapper.conf has no server URL: no wrapper.app.parameter ends in /agentServer/")
  if (urls > 1) fail("wrapper.conf has " urls " server URLs, so the place of the token is ambiguous: keep one /agentServer/ URL")
  p = u + 1
  if ((p in seen) && val[p] == "-t") p = u + 2
  m = "wrapper.conf has no wrapper.app.parameter." p " (the token after the server URL): "
  if (!(p in seen)) fail(m "add it with agent-onboard rotate bamboo-remote, then run rotate.yml again")
  m = "wrapper.app.parameter." p ", right after the server URL, holds something that is not a security token: "
  if (val[p] != "" && val[p] !~ /^[A-Za-z0-9_][A-Za-z0-9_-]*$/) fail(m "edit wrapper.conf by hand")
  print p
}`;

/**
 * The line that marks each start of the agent in its log: the Java Service Wrapper writes
 * "Launching a JVM..." as its own line (`STATUS | wrapper  | <time> | Launching a JVM...`) every time
 * it starts the agent's JVM: at `bamboo-agent.sh start`/`console`/`restart`, and when it restarts a
 * JVM that exited (the agent shuts itself down when it loses the server, and the wrapper starts it
 * again). Bamboo's agent log is the wrapper's log (wrapper.logfile=../atlassian-bamboo-agent.log,
 * reference/platforms.md), in the wrapper's format ("INFO   | jvm 86   | …", "STATUS | wrapper  | …
 * | <-- Wrapper Stopped": Atlassian KB "Bamboo agent go offline with message 'Quit and let the
 * Wrapper resynch'" and "How to stop Bamboo from shutting itself down and restarting"); the
 * "Launching a JVM..." text is the Tanuki wrapper's own (wrapper.log of other Tanuki-wrapped
 * servers, e.g. "STATUS | wrapper  | 2017/09/08 16:50:35 | Launching a JVM..." after "JVM exited
 * unexpectedly", its "jvm N" counting up). A wrapper line is never an agent (jvm) line, so the
 * pattern wants the `wrapper` source column.
 */
export const WRAPPER_START = /\bwrapper\s*\|(?:[^|]*\|)?\s*Launching a JVM\.\.\./;

const q = (p: string): string => `{{ (agent_install_root ~ '${p}') | quote }}`;
const HOME = q(BAMBOO_FLEET_HOME);
const SCRIPT = `"$H"/bin/bamboo-agent.sh`;
const RUNNING = `{ [ -x ${SCRIPT} ] && ${SCRIPT} status >/dev/null 2>&1; }`;

export const bambooRemoteShell: AnsibleInstallType = {
  id: 'shell',
  name: 'installer, then bin/bamboo-agent.sh on the host (no systemd)',
  variant: 'installer',
  files(answers: unknown, credential: Credential, root: string): Result<{ generated: Generated; files: AnsibleFile[] }> {
    const a = answers as BambooRemoteAnswers;
    if (a.agentOs !== 'linux')
      return err('BAD_INPUT', 'The Ansible export of the Bamboo remote agent installs on Linux hosts.', 'Set the agent host OS to Linux (agentOs: linux).');
    // The role's folders, log and rotate are fixed paths, so the agent home is the installer's default.
    if (a.agentHome && a.agentHome.replace(/\/+$/, '') !== BAMBOO_FLEET_HOME)
      return err(
        'BAD_INPUT',
        `The Ansible export installs the agent home at ${BAMBOO_FLEET_HOME} under each host's install root; "${a.agentHome}" is elsewhere.`,
        'Leave the agent home empty and give each host its own install_root column instead.',
      );
    const generated = generateInstaller({ ...a, agentHome: `${root}${BAMBOO_FLEET_HOME}` }, credential);
    if (!generated.ok) return generated;
    // The systemd unit is not placed: this install type runs the agent with its own wrapper script.
    const files = generated.value.files
      .filter((f) => f.path === FILES.token || f.path === FILES.sh)
      .map((artifact): AnsibleFile => ({ artifact, dest: `${STAGING_DIR}/${artifact.path}`, on: 'none' }));
    return ok({ generated: generated.value, files });
  },
  dirs: [BAMBOO_FLEET_HOME, STAGING_DIR],
  log: LOG,
  verifySignals: [
    {
      kind: 'log',
      hop: 'started',
      id: 'bamboo-wrapper-launch',
      pattern: WRAPPER_START,
      meaning: 'the wrapper launched the agent',
      source: 'Tanuki Java Service Wrapper log ("Launching a JVM..."); wrapper.logfile=../atlassian-bamboo-agent.log',
    },
  ],
  // The wrapper script's status reads its pid file and asks whether that process lives.
  running: `H=${HOME}
[ -x ${SCRIPT} ] || { echo "no bin/bamboo-agent.sh in $H"; exit 1; }
${SCRIPT} status`,
  // The first start runs the wizard's install script (Atlassian's installer registers the agent and
  // runs it in the console, so it is detached with setsid); it is done once conf/wrapper.conf is
  // written and the wrapper says the agent runs. Later starts use the wrapper script.
  start: `H=${HOME}
if ${RUNNING}; then exit 0; fi
if [ -f "$H/conf/wrapper.conf" ] && [ -x ${SCRIPT} ]; then ${SCRIPT} start >/dev/null && echo started && exit 0; exit 1; fi
setsid sh "$H/${STAGING}/${FILES.sh}" </dev/null >>"$H/${STAGING}/installer.log" 2>&1 &
for _ in $(seq 600); do [ -f "$H/conf/wrapper.conf" ] && ${RUNNING} && echo started && exit 0; sleep 0.1; done
echo "The Bamboo agent installer did not start the agent within 60 s; see $H/${STAGING}/installer.log" >&2; exit 1`,
  // The agent reads wrapper.conf only when it starts: a reload is a restart.
  reload: `H=${HOME}
if ! ${RUNNING}; then exit 0; fi
${SCRIPT} restart >/dev/null && echo reloaded`,
  restart: `H=${HOME}
if ! ${RUNNING}; then exit 0; fi
${SCRIPT} restart >/dev/null && echo restarted`,
  stop: `H=${HOME}
if ! ${RUNNING}; then exit 0; fi
${SCRIPT} stop >/dev/null && echo stopped`,
  removal: `stops the agent (bin/bamboo-agent.sh stop), then takes away the agent home ${BAMBOO_FLEET_HOME} (conf/wrapper.conf with the token, the agent's identity bamboo-agent.cfg.xml, the install folder with security-token, and the logs) under the install root`,
  rotate: {
    dest: BAMBOO_WRAPPER_CONF,
    what: 'the security token in conf/wrapper.conf (the app parameter after the server URL)',
    // Run without a shell; the raw block keeps Jinja off the program's braces.
    locate: ['awk', `{% raw %}${LOCATE_AWK}{% endraw %}`, `{{ agent_install_root }}${BAMBOO_WRAPPER_CONF}`],
    // Every definition of that parameter (the last one wins, so an old value cannot stay in force);
    // only the value changes: key, spacing around '=', trailing blanks and CR LF are kept, as
    // setSecurityToken keeps them, so the file is the wizard updater's bytes.
    regexp: '(?i)^([ \\t]*wrapper\\.app\\.parameter\\.{{ agent_rotate_at }}[ \\t]*=[ \\t]*)[A-Za-z0-9_-]*([ \\t]*\\r?)$',
    line: '\\g<1>{{ agent_new_token }}\\g<2>',
    every: true,
    // A security token is 40 hex characters (BAMBOO_TOKEN_PATTERN), written bare.
    token: '^[0-9A-Fa-f]{40}$',
    on: 'restart',
    note: `Which app parameter holds the token is read from each host's wrapper.conf (the one after the /agentServer/ URL, after -t in the flag form); a host whose file has no such line, or two server URLs, fails with nothing written. ${STAGING_DIR}/${FILES.token} still holds the old token: export the fleet again with the new token before the next site.yml.`,
  },
};
