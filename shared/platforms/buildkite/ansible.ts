/**
 * The Buildkite agent in a fleet's Ansible project, the way the agent's own shell install runs it:
 * `buildkite-agent start --config buildkite-agent.cfg` as the user Ansible connects as, no systemd,
 * under an install root. The cfg is the generator's own (generateCfg, the wizard's "cfg" install
 * type) with the build, hooks and plugins paths under the root, so its bytes are the ones the
 * single-agent export writes for the same answers. The agent binary is not downloaded by the
 * role: it runs `agent_binary` (default `buildkite-agent` on the PATH, as the package or the
 * vendor's install.sh put it).
 */
import { err, ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated } from '../types';
import type { BuildkiteAnswers } from './answers';
import { LINUX_PATHS } from './common';
import { CFG_FILE, generateCfg } from './config-file';

const CONFIG_DIR = '/etc/buildkite-agent';
const LIB_DIR = '/var/lib/buildkite-agent';
const LOG_DIR = '/var/log/buildkite-agent';
const RUN_DIR = '/run/buildkite-agent';
export const BUILDKITE_CFG_DEST = `${CONFIG_DIR}/${CFG_FILE}`;

/** The answers with the three paths under `root` where the user left them at the package's. */
export function rootedAnswers(a: BuildkiteAnswers, root: string): BuildkiteAnswers {
  return {
    ...a,
    buildPath: a.buildPath || `${root}${LINUX_PATHS.buildPath}`,
    hooksPath: a.hooksPath || `${root}${LINUX_PATHS.hooksPath}`,
    pluginsPath: a.pluginsPath || `${root}${LINUX_PATHS.pluginsPath}`,
  };
}

const q = (p: string): string => `{{ (agent_install_root ~ '${p}') | quote }}`;
const CFG = q(BUILDKITE_CFG_DEST);
const LOG = q(`${LOG_DIR}/agent.log`);
const PID = q(`${RUN_DIR}/agent.pid`);
// In braces, so `! ${RUNNING}` negates the whole test (`! a && b` is `(! a) && b` in sh).
const RUNNING = `{ [ -s ${PID} ] && kill -0 "$(cat ${PID})" 2>/dev/null; }`;
// setsid detaches the agent from Ansible's SSH session; its output is the log verify reads.
const START = `setsid {{ agent_binary | default('buildkite-agent') | quote }} start --config ${CFG} </dev/null >>${LOG} 2>&1 &
echo $! >${PID}`;
const STOP = `kill "$(cat ${PID})"
for _ in $(seq 100); do ${RUNNING} || break; sleep 0.1; done
if ${RUNNING}; then echo "buildkite-agent did not stop within 10 s" >&2; exit 1; fi`;
// The agent reads its cfg only when it starts (it has no reload): a changed cfg restarts it.
const restart = (word: string): string => `if ! ${RUNNING}; then exit 0; fi
${STOP}
${START}
echo ${word}`;

export const buildkiteShell: AnsibleInstallType = {
  id: 'shell',
  name: 'buildkite-agent start on the host (no systemd)',
  variant: 'cfg',
  files(answers: unknown, credential: Credential, root: string): Result<{ generated: Generated; files: AnsibleFile[] }> {
    const a = answers as BuildkiteAnswers;
    // The proxy is a systemd drop-in for the packaged service, which this install type does not use.
    if (a.proxyUrl)
      return err(
        'BAD_INPUT',
        'The Ansible export of the Buildkite agent runs it without systemd, so it cannot give it the proxy drop-in.',
        'Leave the proxy out and set HTTPS_PROXY in the environment of the hosts, or install with the systemd unit from the single-agent export.',
      );
    if (credential.kind !== 'token') return err('BAD_INPUT', 'The Buildkite agent needs its agent token.');
    const generated = generateCfg(rootedAnswers(a, root), credential.token);
    if (!generated.ok) return generated;
    const files = generated.value.files
      .filter((f) => f.path === CFG_FILE)
      .map((artifact): AnsibleFile => ({ artifact, dest: BUILDKITE_CFG_DEST, on: 'restart' }));
    return ok({ generated: generated.value, files });
  },
  dirs: [CONFIG_DIR, LIB_DIR, LOG_DIR, RUN_DIR],
  log: `${LOG_DIR}/agent.log`,
  start: `if ${RUNNING}; then exit 0; fi
${START}
echo started`,
  reload: restart('reloaded'),
  restart: restart('restarted'),
  stop: `if ! ${RUNNING}; then exit 0; fi
${STOP}
echo stopped`,
  removal: `stops the agent, then takes away ${CONFIG_DIR} (buildkite-agent.cfg with the token, and its backups), ${LIB_DIR} (builds), ${LOG_DIR} and ${RUN_DIR} under the install root`,
  rotate: {
    dest: BUILDKITE_CFG_DEST,
    what: 'token= in buildkite-agent.cfg',
    regexp: '^token=.*$',
    line: 'token="{{ agent_new_token }}"',
    // An agent token (buildkiteToken: letters, digits, '-', '_', 16-255 long) is written token="…" by
    // the generator (renderCfgLine), so the
    // rotated line is the generator's own; anything else is refused before a file is touched.
    token: '^[A-Za-z0-9_-]{16,255}$',
    on: 'restart',
  },
};
