/**
 * The ArmorCode tunnel agent in a fleet's Ansible project: the vendor's supervisord + autossh
 * layout run straight on the host (no Docker, no root), under an install root. The files are the
 * generator's own for that layout (generateArmorcode with the root's paths), so they are the bytes
 * the single-agent export writes for the same layout.
 */
import { err, ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated } from '../types';
import type { ArmorcodeAnswers } from './answers';
import { generateArmorcode } from './generate';
import { allUnitsActive, armorcodeSystemdRecipe, systemdRootProblem, UNIT_FILE, UNITS_PATTERN } from './host-install';
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

const NO_ROTATE =
  'the tunnel has no token in a line: its credential is a key pair per agent. Export the fleet again (new key pairs, public-keys.csv for ArmorCode), register the new public keys, then run site.yml: it replaces private-key.pem with a backup and restarts the tunnels; revoke the old keys once verify passes.';

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
  noRotate: NO_ROTATE,
  removal: `stops supervisord (every tunnel), then takes away ${CONFIG_DIR} (key, known_hosts, supervisord.conf and their backups), ${LOG_DIR} and ${RUN_DIR} under the install root`,
};

/** This host's units (the generated unit files it was given), as shell words. */
const UNITS = "{{ agent_units | map('quote') | join(' ') }}";
/** The units whose own file changed in this run, and whether a file every unit reads (key, pin) changed. */
const CHANGED_UNITS = "{{ agent_changed | default([]) | select('in', agent_units) | map('quote') | join(' ') }}";
const SHARED_CHANGED = "agent_changed | default([]) | select('in', ['private-key.pem', 'known_hosts']) | list | length > 0";

/**
 * The wizard's systemd variant as a fleet role, under / only: the generator's own units (one per
 * internal service, ssh run by systemd as the `armorcode` user) and key files, placed as the host
 * recipe places them (armorcodeSystemdRecipe: the key and pin owned by that user, 0600 / 0644, in
 * root's 0755 /etc/armorcode; the units in /etc/systemd/system). Verify reads the units' journal
 * and asks whether every unit is active, as the host recipe's verify does.
 */
export const armorcodeSystemd: AnsibleInstallType = {
  id: 'systemd',
  name: 'systemd units on the host (ssh as the armorcode user)',
  variant: 'systemd',
  files(answers: unknown, credential: Credential, root: string): Result<{ generated: Generated; files: AnsibleFile[] }> {
    const rooted = systemdRootProblem(root);
    if (!rooted.ok) return rooted;
    const generated = generateArmorcode(answers as ArmorcodeAnswers, credential, 'systemd');
    if (!generated.ok) return generated;
    const recipe = armorcodeSystemdRecipe(generated.value.files, '/');
    if (!recipe.ok) return recipe;
    const byName = new Map(generated.value.files.map((f) => [f.path, f]));
    const files: AnsibleFile[] = [];
    for (const placed of recipe.value.files) {
      const artifact = byName.get(placed.from);
      if (!artifact || artifact.text !== placed.text || (artifact.mode & 0o777) !== placed.mode)
        return err('INTERNAL', `The systemd recipe places ${placed.from} differently from the generator: not exported.`);
      const unit = UNIT_FILE.test(placed.from);
      files.push({
        artifact,
        dest: placed.target,
        // A unit or the key and pin every unit's ssh reads: a change restarts (the handler picks which units).
        on: placed.from === 'public-key.pem' ? 'none' : 'restart',
        ...(placed.owner ? { owner: placed.owner } : {}),
        ...(unit ? { aside: true } : {}),
      });
    }
    return ok({ generated: generated.value, files });
  },
  dirs: [CONTAINER_LAYOUT.configDir],
  // Root's folder, open for the units' user to reach its own files in it (the key itself is 0600).
  dirMode: '0755',
  serviceUser: CONTAINER_LAYOUT.systemdUser,
  log: { journal: UNITS_PATTERN },
  status: allUnitsActive(UNITS),
  // The unit pattern's source is Python re as it is (no JS-only syntax); Ansible's Jinja reads a quoted string's backslashes as they are.
  roleVars: { agent_units: `{{ agent_files | map(attribute='src') | select('match', '${UNIT_FILE.source}') | list }}` },
  // Enabled (WantedBy=multi-user.target) and started when not active; prints nothing when all ran.
  start: `set -e
for u in ${UNITS}; do
  systemctl is-enabled --quiet "$u" || { systemctl enable --quiet "$u"; echo "enabled $u"; }
  systemctl is-active --quiet "$u" || { systemctl start "$u"; echo "started $u"; }
done`,
  // No file of this type is placed with on: 'reload'; the same lines apply a change either way.
  reload: applyChanges('reloaded'),
  restart: applyChanges('restarted'),
  stop: `set -e
for u in ${UNITS}; do
  if systemctl is-enabled --quiet "$u" || systemctl is-active --quiet "$u"; then systemctl disable --now --quiet "$u"; echo "stopped $u"; fi
done`,
  afterRemove: 'set -e\nsystemctl daemon-reload\necho changed',
  noRotate: NO_ROTATE,
  removal: `stops and disables each tunnel unit (systemctl disable --now), moves aside its unit file from /etc/systemd/system and ${CONTAINER_LAYOUT.configDir} (key, known_hosts and their backups), then runs systemctl daemon-reload. The ${CONTAINER_LAYOUT.systemdUser} user stays: deleting it would leave the moved-aside key owned by a free uid that a later user could be given`,
};

/**
 * A changed unit needs daemon-reload first; only the units whose file changed restart, or all of
 * them when the key or the pin changed. Units not running yet are left to the start task.
 */
function applyChanges(word: string): string {
  return `set -e
{% if ${CHANGED_UNITS.slice(3, -3)} %}systemctl daemon-reload{% endif +%}
for u in {% if ${SHARED_CHANGED} %}${UNITS}{% else %}${CHANGED_UNITS}{% endif %}; do
  if systemctl is-active --quiet "$u"; then systemctl restart "$u"; echo "${word} $u"; fi
done`;
}
