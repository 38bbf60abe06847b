/**
 * Installing a new Bamboo remote agent on a Linux host over SSH: the installer command of the
 * generated install-bamboo-agent.sh (`java -Dbamboo.home=<home> -jar <installer> <url>/agentServer/
 * -t <token>`), run by the login user in <home>/agent-onboard-install under the install root.
 *
 * The installer takes the security token only as its `-t` argument. So the whole command goes into
 * a Java argument file (`installer.args`, 0600, uploaded over SFTP) and runs as `java @installer.args`:
 * the java launcher reads the arguments from the file, and the process list (and the SSH command
 * line) shows only the file's name. The server URL, agent home and installer name are read from the
 * generated script, the token from the generated security-token file: no second copy of either.
 *
 * The installer downloads nothing secret: it is fetched from the server first (as the script does)
 * unless it is already there. It registers the agent and runs it in the console, whose output is
 * the log verify reads for "ready to receive builds". The existing-install variant edits
 * wrapper.conf in place (the Configs step or `rotate`), so it has no recipe here.
 */
import { err, ok, type Result } from '../../result';
import { withQuotes } from '../../escape';
import { detachedCommands, detachedWhere, shAssignment, underRoot } from '../host-recipes';
import type { Artifact, HostRecipe } from '../types';
import { FILES, STAGING } from './installer';
import { BAMBOO_TOKEN_PATTERN } from './wrapper-conf';

/** The agent home's entries the installer and the agent make (bin/, conf/ with wrapper.conf, lib/, …). */
const INSTALLER_WRITES = ['bin', 'conf', 'lib', 'classpath', 'xml-data', 'bamboo-agent.cfg.xml', 'uuid-temp.properties', 'atlassian-bamboo-agent.log'];

/** One argument of a Java argument file: in double quotes, `\` and `"` escaped (the launcher's rules). */
function argWord(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The recipe for the installer variant's Linux files under `prefix`. */
export function bambooRemoteHostRecipe(variant: string, files: Artifact[], prefix: string): Result<HostRecipe> {
  if (variant !== 'installer')
    return err(
      'BAD_INPUT',
      'An existing agent is updated in place (its wrapper.conf), not installed over SSH.',
      'Use the Configs step (or agent-onboard rotate bamboo-remote) on the agent home, then restart the agent.',
    );
  const byName = new Map(files.map((f) => [f.path, f]));
  const script = byName.get(FILES.sh);
  const tokenFile = byName.get(FILES.token);
  if (!script || !tokenFile)
    return err(
      'BAD_INPUT',
      `The files lack ${[!script && FILES.sh, !tokenFile && FILES.token].filter(Boolean).join(' and ')} (installing over SSH takes the Linux or macOS files).`,
      'Generate the installer variant for Linux and install from the whole folder or bundle.',
    );
  const url = shAssignment(script.text, 'SERVER_URL');
  const home = shAssignment(script.text, 'AGENT_HOME');
  const jar = shAssignment(script.text, 'INSTALLER');
  const token = tokenFile.text.trim();
  if (!url || !home?.startsWith('/') || !jar || jar.includes('/'))
    return err('BAD_INPUT', `${FILES.sh} is not the script this app generates (its SERVER_URL, AGENT_HOME or INSTALLER line differs).`);
  if (!BAMBOO_TOKEN_PATTERN.test(token)) return err('BAD_INPUT', `${FILES.token} does not hold a 40-hex security token.`);
  const agentHome = underRoot(prefix, home);
  const stage = `${agentHome}/${STAGING}`;
  const args = [`-Dbamboo.home=${agentHome}`, '-jar', `${stage}/${jar}`, url, '-t', token];
  const pidFile = `${stage}/installer.pid`;
  const logFile = `${stage}/agent-console.log`;
  const detached = detachedCommands(
    { pidFile, logFile, cwd: stage, argv: ['java', `@${stage}/installer.args`] },
    'the installer (it registers the agent and runs it)',
  );
  const where = detachedWhere({ pidFile, logFile });
  const download = withQuotes(
    (q) =>
      `[ -f ${q.sh(`${stage}/${jar}`)} ] || curl --fail --location --silent --show-error --output ${q.sh(`${stage}/${jar}`)} ${q.sh(`${url}agentInstaller/${jar}`)}`,
  );
  if (!detached.ok || !where.ok || !download.ok) return err('BAD_INPUT', `install root: a path under ${prefix} cannot be put on a command line.`);
  return ok({
    kind: 'installer',
    title: `Bamboo remote agent in ${agentHome} (the installer, run as the login user)`,
    dirs: [
      { path: agentHome, mode: 0o755 },
      { path: stage, mode: 0o700 },
    ],
    files: [{ from: FILES.token, target: `${stage}/installer.args`, mode: 0o600, secret: true, text: `${args.map(argWord).join('\n')}\n` }],
    requires: ['java', 'curl', 'setsid'],
    installHints: { java: 'install a Java runtime your Bamboo version supports (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)' },
    stop: [detached.value.stop],
    start: [{ title: `Download the installer from the Bamboo server (unless it is in ${stage})`, command: download.value }, detached.value.start],
    where: where.value,
    // What Atlassian's installer and the agent write in the agent home (reference/platforms.md §2),
    // conf/wrapper.conf with the token among them: undo moves these aside with the install's files.
    agentMade: [logFile, pidFile, `${stage}/${jar}`, ...INSTALLER_WRITES.map((name) => `${agentHome}/${name}`)],
    notes: [
      'The installer and the agent run as the SSH login user; log in as the user the agent should run as (not root).',
      `The token is in ${stage}/installer.args (0600) and, once installed, in ${agentHome}/conf/wrapper.conf; the installer is run as \`java @installer.args\`, so no process list shows it.`,
      'With remote agent authentication on, the agent waits for approval in Bamboo → Administration → Agents → Agent authentication before it says "ready to receive builds": approve it there.',
    ],
  });
}
