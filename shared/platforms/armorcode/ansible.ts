/**
 * The ArmorCode tunnel agent in a fleet's Ansible project: the vendor's supervisord + autossh
 * layout run straight on the host (no Docker, no root), under an install root. The files are the
 * generator's own for that layout (generateArmorcode with the root's paths), so they are the bytes
 * the single-agent export writes for the same layout.
 */
import { ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated } from '../types';
import type { ArmorcodeAnswers } from './answers';
import { generateArmorcode } from './generate';
import { CONTAINER_LAYOUT, type ArmorcodeLayout } from './tunnel';

const CONFIG_DIR = '/etc/armorcode';
const LOG_DIR = '/var/log/armorcode';
const RUN_DIR = '/run/armorcode';

/** The host layout under `root` ('' is /): programs run as the user Ansible connects as. */
export function hostLayout(root: string): ArmorcodeLayout {
  return {
    ...CONTAINER_LAYOUT,
    configDir: `${root}${CONFIG_DIR}`,
    programUser: null,
    logFile: `${root}${LOG_DIR}/supervisord.log`,
    runDir: `${root}${RUN_DIR}`,
  };
}

/** Which generated files the host install uses, and what a change to each restarts. */
const PLACED: Record<string, AnsibleFile['on']> = {
  'supervisord.conf': 'reload',
  'private-key.pem': 'restart',
  known_hosts: 'restart',
  'public-key.pem': 'none',
  'pre-launch-check.sh': 'none',
};

const CONF = `{{ (agent_install_root ~ '${CONFIG_DIR}/supervisord.conf') | quote }}`;
const RUNNING = `supervisorctl -c ${CONF} pid >/dev/null 2>&1`;

export const armorcodeSupervisord: AnsibleInstallType = {
  id: 'supervisord',
  name: 'supervisord on the host (autossh, no Docker)',
  variant: 'docker',
  files(answers: unknown, credential: Credential, root: string): Result<{ generated: Generated; files: AnsibleFile[] }> {
    const generated = generateArmorcode(answers as ArmorcodeAnswers, credential, 'docker', hostLayout(root));
    if (!generated.ok) return generated;
    const files = generated.value.files
      .filter((f) => f.path in PLACED)
      .map((artifact) => ({ artifact, dest: `${CONFIG_DIR}/${artifact.path}`, on: PLACED[artifact.path]! }));
    return ok({ generated: generated.value, files });
  },
  dirs: [CONFIG_DIR, LOG_DIR, RUN_DIR],
  log: `${LOG_DIR}/supervisord.log`,
  // supervisord.conf says nodaemon=true (the container runs it in the foreground), so the role
  // detaches it with setsid and waits for its control socket before going on.
  start: `if ${RUNNING}; then exit 0; fi
setsid supervisord -c ${CONF} </dev/null >/dev/null 2>&1 &
for _ in $(seq 100); do ${RUNNING} && echo started && exit 0; sleep 0.1; done
echo "supervisord did not open its control socket within 10 s" >&2; exit 1`,
  // `update` restarts only the programs whose section changed (and adds/removes programs).
  reload: `if ! ${RUNNING}; then exit 0; fi
supervisorctl -c ${CONF} update && echo reloaded`,
  restart: `if ! ${RUNNING}; then exit 0; fi
supervisorctl -c ${CONF} restart all && echo restarted`,
  stop: `if ! ${RUNNING}; then exit 0; fi
supervisorctl -c ${CONF} shutdown >/dev/null
for _ in $(seq 100); do ${RUNNING} || { echo stopped; exit 0; }; sleep 0.1; done
echo "supervisord did not stop within 10 s" >&2; exit 1`,
  // The credential is a key pair per agent, not a token in a line: a new export makes new keys.
  noRotate:
    'the tunnel has no token in a line: its credential is a key pair per agent. Export the fleet again (new key pairs, public-keys.csv for ArmorCode), register the new public keys, then run site.yml: it replaces private-key.pem with a backup and restarts the tunnels; revoke the old keys once verify passes.',
  removal: `stops supervisord (every tunnel), then takes away ${CONFIG_DIR} (key, known_hosts, supervisord.conf and their backups), ${LOG_DIR} and ${RUN_DIR} under the install root`,
};
