/**
 * A GitHub Actions self-hosted runner on a Linux host in a fleet's Ansible project, the way the
 * wizard's "linux" bundle configures it: configure-runner.sh (the generator's bytes) runs
 * config.sh once with the registration token read from the 0600 file runner-token into
 * ACTIONS_RUNNER_INPUT_TOKEN (never on a command line), and deletes the file. The runner then runs
 * as the runner user (`serviceUser`, never root: config.sh refuses it) with run.sh, detached,
 * its output in a log file verify reads, as the Buildkite and GitLab Runner roles run their
 * agents on hosts without systemd.
 *
 * The runner program is the admin's: the role does not download it. The admin downloads the
 * actions-runner tarball once (github.com/actions/runner/releases, SHA-256 compared with the
 * release page) and gives its path on the control node as `runner_archive`; the role unpacks it
 * into the runner folder of each host that has no runner yet. An admin with 200 hosts expects the
 * role to put the runner there (unpacking by hand on every host is what the fleet export is for),
 * and a control-node file keeps the hosts off the internet and the version the admin checked.
 *
 * Idempotent: a runner folder with `.runner` is configured already, so neither the token file is
 * copied nor config.sh run again (the registration token is spent on the first configuration).
 */
import { err, ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated, GenerateExtras } from '../types';
import type { GitHubActionsAnswers } from './answers';

/** The runner folder under the install root (the answers' default; the fleet role keeps it there). */
export const RUNNER_DIR = '/opt/actions-runner';
/** Where the wizard's files go (configure-runner.sh runs from here and finds runner-token beside it). */
export const SETUP_DIR = '/etc/actions-runner';
const LOG_DIR = '/var/log/actions-runner';
const RUN_DIR = '/run/actions-runner';
export const RUNNER_LOG = `${LOG_DIR}/runner.log`;
/** The file remove.yml reads a remove token from (`-e @remove-token.yml`), vault-encrypted by the admin. */
export const REMOVE_TOKEN_FILE = 'remove-token.yml';

type Generate = (a: unknown, c: Credential, variant: string, extras?: GenerateExtras) => Result<Generated>;

const q = (p: string): string => `{{ (agent_install_root ~ '${p}') | quote }}`;
const USER = '{{ agent_answers.serviceUser }}';
const PID = `P=${q(`${RUN_DIR}/runner.pid`)}`;
const VARS = `U={{ agent_answers.serviceUser | quote }}
R=${q(RUNNER_DIR)}
L=${q(RUNNER_LOG)}
${PID}`;
// The runner never runs as root: as the runner user itself, directly; as root, setpriv (which
// execs, so the pid file names run.sh itself); as another admin, sudo (which passes signals on).
const AS_RUNNER = `if [ "$(id -un)" = "$U" ]; then set --
elif [ "$(id -u)" -eq 0 ]; then
  H=$(getent passwd "$U") && H=\${H#*:*:*:*:*:} && H=\${H%%:*}
  set -- setpriv --reuid="$U" --regid="$(id -g "$U")" --init-groups env HOME="$H" USER="$U" LOGNAME="$U"
else set -- sudo -n -H -u "$U" --
fi`;
// In braces, so `! ${RUNNING}` negates the whole test (`! a && b` is `(! a) && b` in sh).
const RUNNING = '{ [ -s "$P" ] && kill -0 "$(cat "$P")" 2>/dev/null; }';
// setsid detaches run.sh from Ansible's SSH session; its output is the log verify reads.
const RUN = `"$@" setsid "$R/run.sh" </dev/null >>"$L" 2>&1 &
echo $! >"$P"`;
// run.sh passes SIGTERM to the listener, which ends its session with GitHub and exits.
const STOP = `kill "$(cat "$P")"
for _ in $(seq 100); do ${RUNNING} || break; sleep 0.1; done
if ${RUNNING}; then echo "the runner did not stop within 10 s" >&2; exit 1; fi`;
const restart = (word: string): string => `${VARS}
if ! ${RUNNING}; then exit 0; fi
${AS_RUNNER}
${STOP}
${RUN}
echo ${word}`;

const stat = (path: string, register: string): Record<string, unknown> => ({
  'ansible.builtin.stat': { path: `{{ agent_install_root }}${path}`, get_checksum: false, get_mime: false, get_attributes: false },
  register,
});

/** site.yml's own tasks: the runner user, the runner program from runner_archive, the token once. */
const BEFORE_START: Record<string, unknown>[] = [
  {
    name: 'Find the runner user (the runner never runs as root)',
    'ansible.builtin.command': { argv: ['id', '-u', USER] },
    register: 'gh_runner_user',
    changed_when: false,
    failed_when: false,
    check_mode: false,
  },
  {
    name: 'Fail when there is no runner user',
    'ansible.builtin.fail': {
      msg: `There is no user "${USER}" on this host (serviceUser): create it first (useradd --system --create-home ${USER}); config.sh refuses to run as root.`,
    },
    when: 'gh_runner_user.rc != 0 or (gh_runner_user.stdout | trim) == "0"',
  },
  { name: 'Find the runner program', ...stat(`${RUNNER_DIR}/config.sh`, 'gh_runner_program') },
  {
    name: 'Fail when there is no runner and no runner_archive to unpack',
    'ansible.builtin.fail': {
      msg: `There is no runner in {{ agent_install_root }}${RUNNER_DIR}, and no runner_archive: download actions-runner-linux-<arch>-<version>.tar.gz from https://github.com/actions/runner/releases once, compare its SHA-256 with the release page, and run with -e runner_archive=/path/to/it (a file on this control node).`,
    },
    when: 'not gh_runner_program.stat.exists and (runner_archive | default("") | length) == 0',
  },
  {
    name: "Unpack the runner (runner_archive, the admin's actions-runner tarball) as the runner user",
    'ansible.builtin.unarchive': {
      src: '{{ runner_archive }}',
      dest: `{{ agent_install_root }}${RUNNER_DIR}`,
      owner: USER,
      creates: `{{ agent_install_root }}${RUNNER_DIR}/config.sh`,
    },
    when: 'not gh_runner_program.stat.exists',
  },
  {
    name: 'The runner user owns the runner folder and the setup folder (config.sh writes and deletes there; 0750, also after a tarball that sets its own mode)',
    'ansible.builtin.file': { path: '{{ agent_install_root }}{{ item }}', state: 'directory', owner: USER, mode: '0750' },
    loop: [RUNNER_DIR, SETUP_DIR],
  },
  { name: 'Find whether the runner is configured already (.runner)', ...stat(`${RUNNER_DIR}/.runner`, 'gh_runner_configured') },
  {
    name: 'Install the registration token for the first configuration only (0600, the runner user; configure-runner.sh deletes it)',
    'ansible.builtin.copy': {
      src: '{{ playbook_dir }}/host_files/{{ inventory_hostname }}/{{ item.src }}',
      dest: '{{ agent_install_root }}{{ item.dest }}',
      mode: '0600',
      owner: USER,
    },
    loop: "{{ agent_files | selectattr('on', 'equalto', 'once') | list }}",
    loop_control: { label: '{{ item.dest }}' },
    when: 'not gh_runner_configured.stat.exists',
    no_log: true,
    diff: false,
  },
];

/**
 * remove.yml's own task: with a remove token (`-e @remove-token.yml`), `config.sh remove` as the
 * runner user, the token on its standard input (read into ACTIONS_RUNNER_INPUT_TOKEN, never on a
 * command line); without one, nothing here (the folder moves aside; GitHub lists the runner
 * offline until it is deleted there or after 14 days).
 */
const AFTER_STOP: Record<string, unknown>[] = [
  { name: 'Find whether the runner is configured (.runner)', ...stat(`${RUNNER_DIR}/.runner`, 'gh_runner_configured') },
  {
    name: `Remove the runner's registration with GitHub (config.sh remove, the remove token from -e @${REMOVE_TOKEN_FILE}; never shown)`,
    'ansible.builtin.shell': {
      cmd: `${VARS}
${AS_RUNNER}
IFS= read -r ACTIONS_RUNNER_INPUT_TOKEN
export ACTIONS_RUNNER_INPUT_TOKEN
cd "$R" && "$@" ./config.sh remove >>"$L" 2>&1`,
      stdin: '{{ agent_remove_token }}',
    },
    register: 'gh_runner_remove',
    changed_when: 'gh_runner_remove.rc == 0',
    failed_when: false,
    no_log: true,
    when: 'gh_runner_configured.stat.exists and (agent_remove_token | default("") | length) > 0',
  },
  {
    name: 'Fail when GitHub refused the remove token (nothing moved aside)',
    'ansible.builtin.fail': {
      msg: `config.sh remove failed (exit {{ gh_runner_remove.rc }}; its lines are in {{ agent_install_root }}${RUNNER_LOG}): a remove token lives one hour and belongs to one repository or organization. Get a fresh one from the runner's page on GitHub, or run remove.yml without agent_remove_token to move the runner aside and delete it in GitHub (Settings, Actions, Runners). The runner is stopped and nothing was moved aside: site.yml starts it again.`,
    },
    when: 'gh_runner_remove.rc | default(0) != 0',
  },
];

/** The answers with the runner folder under `root`, or why the fleet role cannot install them. */
export function rootedRunnerAnswers(a: GitHubActionsAnswers, root: string): Result<GitHubActionsAnswers> {
  if (a.runnerDir !== RUNNER_DIR)
    return err(
      'BAD_INPUT',
      `The Ansible export installs the runner in ${RUNNER_DIR} under the install root; "${a.runnerDir}" is elsewhere.`,
      `Set Runner folder to ${RUNNER_DIR} (the install_root column moves it per host).`,
    );
  if (a.workFolder.startsWith('/'))
    return err(
      'BAD_INPUT',
      `The Ansible export keeps the work folder inside the runner folder (remove.yml moves that aside); "${a.workFolder}" is absolute.`,
      'Set Work folder to a relative path such as _work.',
    );
  // An ephemeral runner deletes its .runner after one job; the next site.yml would then configure
  // it again with a registration token spent long ago.
  if (a.lifetime === 'ephemeral')
    return err(
      'BAD_INPUT',
      'The Ansible export configures each runner once with a registration token that lives one hour; an ephemeral runner needs a new one after every job.',
      'Set Lifetime to persistent for a fleet, or run ephemeral runners with ARC or your own autoscaler (a PAT or JIT configuration per job).',
    );
  return ok({ ...a, runnerDir: `${root}${RUNNER_DIR}` });
}

/** The install type, made with the platform's own generate (the wizard's token checks and files). */
export function githubRunnerType(generate: Generate): AnsibleInstallType {
  return {
    id: 'shell',
    name: 'runner on a Linux host (run.sh as the runner user, no systemd)',
    variant: 'linux',
    files(answers: unknown, credential: Credential, root: string, extras?: GenerateExtras): Result<{ generated: Generated; files: AnsibleFile[] }> {
      const rooted = rootedRunnerAnswers(answers as GitHubActionsAnswers, root);
      if (!rooted.ok) return rooted;
      const generated = generate(rooted.value, credential, 'linux', extras);
      if (!generated.ok) return generated;
      // configure-runner.sh reads runner-env.txt and the CA only when it configures; runner-token
      // is copied by the role's own task, and only while the runner is not configured.
      const files = generated.value.files.map((artifact): AnsibleFile => ({
        artifact,
        dest: `${SETUP_DIR}/${artifact.path}`,
        on: artifact.path === 'runner-token' ? 'once' : 'none',
      }));
      return ok({ generated: generated.value, files });
    },
    dirs: [RUNNER_DIR, SETUP_DIR, LOG_DIR, RUN_DIR],
    log: RUNNER_LOG,
    start: `${VARS}
S=${q(SETUP_DIR)}
if ${RUNNING}; then exit 0; fi
${AS_RUNNER}
if [ ! -e "$R/.runner" ]; then
  # A configuration starts a new log (the one before kept as runner.log.1): verify, which reads
  # the whole log when nothing restarted, must not find an earlier attempt with a refused token.
  if [ -e "$L" ]; then mv -f "$L" "$L.1"; fi
  # The lines of config.sh (registration accepted, or why not) go to the log verify reads.
  if ! "$@" "$S/configure-runner.sh" >>"$L" 2>&1; then
    echo "configuration started; configure-runner.sh failed (verify names the hop)"
    exit 0
  fi
fi
${RUN}
echo started`,
    // run.sh reads .env only when it starts: a reload is a restart.
    reload: restart('reloaded'),
    restart: restart('restarted'),
    stop: `${PID}
if ! ${RUNNING}; then exit 0; fi
${STOP}
echo stopped`,
    removal: `stops the runner; with a remove token (\`-e @${REMOVE_TOKEN_FILE}\`, vault-encrypted: \`agent_remove_token: "…"\`, from the runner's page on GitHub, valid one hour) it first runs \`config.sh remove\` as the runner user, the token on its standard input. Then it takes away ${RUNNER_DIR} (the runner with .runner, .credentials and its private key .credentials_rsaparams, _work, _diag), ${SETUP_DIR}, ${LOG_DIR} and ${RUN_DIR} under the install root. Without a remove token GitHub keeps listing the runner offline: delete it there (Settings → Actions → Runners), or GitHub deletes it after 14 days offline`,
    noRotate:
      'the registration token is spent when config.sh registers the runner (it lives one hour); the runner then signs in with its own key (.credentials_rsaparams), so there is no token on the hosts to replace. To move a runner to a new registration, run remove.yml (with a remove token, or delete the runner in GitHub), export the fleet again with a fresh registration token and run site.yml.',
    // The runner prints "√ Connected to GitHub" before its version line, and the registration
    // lines come from config.sh before run.sh starts, so an attempt read from the version line
    // would never see them; verify reads this run's lines only (the log's mark) instead.
    verifyHops: ['registered', 'connected'],
    tasks: { beforeStart: BEFORE_START, afterStop: AFTER_STOP },
    notes: [
      'The runner program is not downloaded by the role. Download actions-runner-linux-x64-<version>.tar.gz (or -arm64) once from https://github.com/actions/runner/releases, compare its SHA-256 with the release page, and give its path on this control node: `-e runner_archive=/path/actions-runner-linux-x64-<version>.tar.gz`. Hosts that already have a runner in the runner folder keep it.',
      `The runner runs as the host's serviceUser (never root: config.sh refuses it), which must exist. Connect as root or as that user; the role starts run.sh detached (no systemd unit) with its output in ${RUNNER_LOG} under the install root.`,
      'The registration token lives one hour: run site.yml within the hour of making it. It is used once per host (a host whose runner folder has .runner is not configured again), and configure-runner.sh deletes it from the host after use.',
    ],
  };
}
