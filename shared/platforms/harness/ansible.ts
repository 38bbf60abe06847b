/**
 * The Harness shell-script delegate in a fleet's Ansible project: the wizard's start.sh, stop.sh
 * and the two config files (the generator's own bytes, "shell" variant) in /opt/harness-delegate
 * under the install root, run as the user Ansible connects as. watcher.jar is not generated: it
 * comes from Harness's shell-delegate package, and the admin puts it in that folder first (start.sh
 * says so, and the host fails at the start, when it is missing). Verify reads delegate.log in the
 * folder for the delegate's own lines, "Delegate registered with id" among them.
 */
import { ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated, GenerateExtras } from '../types';
import { DELEGATE_CONFIG, WATCHER_CONFIG } from './shell';

/** The folder of the delegate under the install root (the folder the wizard's commands copy into). */
export const HARNESS_SHELL_DIR = '/opt/harness-delegate';

const DIR = `{{ (agent_install_root ~ '${HARNESS_SHELL_DIR}') | quote }}`;
const RUNNING = `pgrep -f -- "-Dwatchersourcedir=$D" >/dev/null`;
const START = `cd "$D" && ./start.sh >/dev/null`;
const STOP = `cd "$D" && ./stop.sh >/dev/null`;

type Generate = (a: unknown, c: Credential, variant: string, extras?: GenerateExtras) => Result<Generated>;

/** The install type, made with the platform's own generate (the wizard's token checks and files). */
export function harnessShellType(generate: Generate): AnsibleInstallType {
  return {
    id: 'shell',
    name: 'shell-script delegate on the host (start.sh with watcher.jar)',
    variant: 'shell',
    files(answers: unknown, credential: Credential): Result<{ generated: Generated; files: AnsibleFile[] }> {
      const generated = generate(answers, credential, 'shell');
      if (!generated.ok) return generated;
      // start.sh names no path (it runs from its own folder), so the bytes do not depend on the root.
      // The watcher reads its config and the token only when it starts: any change restarts it.
      const files = generated.value.files.map((artifact): AnsibleFile => ({ artifact, dest: `${HARNESS_SHELL_DIR}/${artifact.path}`, on: 'restart' }));
      return ok({ generated: generated.value, files });
    },
    dirs: [HARNESS_SHELL_DIR],
    log: `${HARNESS_SHELL_DIR}/delegate.log`,
    start: `D=${DIR}
if ${RUNNING}; then exit 0; fi
${START} && echo started`,
    reload: `D=${DIR}
if ! ${RUNNING}; then exit 0; fi
${STOP} && ${START} && echo reloaded`,
    restart: `D=${DIR}
if ! ${RUNNING}; then exit 0; fi
${STOP} && ${START} && echo restarted`,
    stop: `D=${DIR}
if ! ${RUNNING}; then exit 0; fi
${STOP} && echo stopped`,
    removal: `stops the watcher and the delegate (stop.sh), then takes away ${HARNESS_SHELL_DIR} (start.sh, stop.sh, ${WATCHER_CONFIG} and ${DELEGATE_CONFIG} with the token, their backups, watcher.jar and the logs) under the install root`,
    noRotate: `the delegate token is in two files, ${WATCHER_CONFIG} and ${DELEGATE_CONFIG}, not one line. Export the fleet again with the new token and run site.yml (preview with --check --diff): it replaces both files with backups and restarts the delegate, and verify waits for it to register again.`,
  };
}
