/**
 * The Harness shell-script delegate in a fleet's Ansible project: the wizard's start.sh, stop.sh
 * and the two config files (the generator's own bytes, "shell" variant) in /opt/harness-delegate
 * under the install root, run as the user Ansible connects as. watcher.jar is not generated: it
 * comes from Harness's shell-delegate package, and the admin puts it in that folder first (start.sh
 * says so, and the host fails at the start, when it is missing). Verify reads delegate.log in the
 * folder for the delegate's own lines, "Delegate registered with id" among them, then asks the
 * delegate's health endpoint (http://127.0.0.1:3460/api/health on the host, harness-core
 * DelegateHealthMonitor.java; `agent_health_urls` in the role's defaults, set per host where the
 * delegate's health port differs).
 *
 * The Docker delegate: the wizard's run-delegate.sh and delegate.env (the token's only home, one
 * DELEGATE_TOKEN= line, so rotate.yml can replace it) in /opt/harness-delegate-docker; the
 * container is named after the delegate, and `docker logs -f` of it is appended to a log file
 * on the host for verify, from each start of the container. The health endpoint is inside the
 * container (its port is not published): verify asks it with `docker exec <delegate> curl`, as the
 * app's install-and-verify does (main/services/remote/watch.ts httpGetInContainer).
 */
import { ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, Generated, GenerateExtras } from '../types';
import { DOCKER_ENV_FILE, DOCKER_SCRIPT } from './docker';
import { DELEGATE_CONFIG, SHELL_DELEGATE_DIR, WATCHER_CONFIG } from './shell';

/** The folder of the delegate under the install root (the folder the wizard's commands copy into). */
export const HARNESS_SHELL_DIR = SHELL_DELEGATE_DIR;

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
    // The shell delegate's health port is on the host itself.
    health: {},
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

/** The Docker delegate's folder and log under the install root. */
export const HARNESS_DOCKER_DIR = '/opt/harness-delegate-docker';
const DOCKER_LOG_DIR = '/var/log/harness-delegate';

const NAME_VAR = 'N={{ agent_answers.delegateName | quote }}';
const DOCKER_VARS = `D={{ (agent_install_root ~ '${HARNESS_DOCKER_DIR}') | quote }}
L={{ (agent_install_root ~ '${DOCKER_LOG_DIR}/delegate.log') | quote }}
${NAME_VAR}`;
const EXISTS = 'docker container inspect "$N" >/dev/null 2>&1';
// run-delegate.sh refuses to run over an existing container; the follower ends with the container.
const RUN = `"$D/${DOCKER_SCRIPT}" >/dev/null
setsid docker logs -f "$N" </dev/null >>"$L" 2>&1 &`;

/** The Docker delegate's install type, made with the platform's own generate. */
export function harnessDockerType(generate: Generate): AnsibleInstallType {
  return {
    id: 'docker',
    name: 'Docker delegate on the host (run-delegate.sh with delegate.env)',
    variant: 'docker',
    files(answers: unknown, credential: Credential, _root: string, extras?: GenerateExtras): Result<{ generated: Generated; files: AnsibleFile[] }> {
      const generated = generate(answers, credential, 'docker', extras);
      if (!generated.ok) return generated;
      // The script finds delegate.env (and ca-bundle/) beside itself, so the bytes do not depend on the root.
      // docker reads the env file only when it creates the container: any change recreates it.
      const files = generated.value.files.map((artifact): AnsibleFile => ({ artifact, dest: `${HARNESS_DOCKER_DIR}/${artifact.path}`, on: 'restart' }));
      return ok({ generated: generated.value, files });
    },
    dirs: [HARNESS_DOCKER_DIR, `${HARNESS_DOCKER_DIR}/ca-bundle`, DOCKER_LOG_DIR],
    log: `${DOCKER_LOG_DIR}/delegate.log`,
    // The port is inside the container (not published): curl runs there, in the container named after the delegate.
    health: { exec: ['docker', 'exec', '{{ agent_answers.delegateName }}'] },
    start: `${DOCKER_VARS}
if ${EXISTS}; then exit 0; fi
${RUN}
echo started`,
    reload: `${DOCKER_VARS}
if ! ${EXISTS}; then exit 0; fi
docker rm -f "$N" >/dev/null
${RUN}
echo reloaded`,
    restart: `${DOCKER_VARS}
if ! ${EXISTS}; then exit 0; fi
docker rm -f "$N" >/dev/null
${RUN}
echo restarted`,
    stop: `${NAME_VAR}
if ! ${EXISTS}; then exit 0; fi
docker rm -f "$N" >/dev/null
echo stopped`,
    removal: `removes the delegate's container (docker rm -f; the image stays), then takes away ${HARNESS_DOCKER_DIR} (${DOCKER_SCRIPT}, ${DOCKER_ENV_FILE} with the token, their backups) and ${DOCKER_LOG_DIR} under the install root`,
    rotate: {
      dest: `${HARNESS_DOCKER_DIR}/${DOCKER_ENV_FILE}`,
      what: `DELEGATE_TOKEN= in ${DOCKER_ENV_FILE}`,
      regexp: '^DELEGATE_TOKEN=.*$',
      line: 'DELEGATE_TOKEN={{ agent_new_token }}',
      // docker reads an env file's value literally (dockerEnvFile writes NAME=value): a delegate
      // token (base64) needs no quoting, so the rotated line is the generator's own.
      token: '^[A-Za-z0-9+/=_.-]{16,4096}$',
      on: 'restart',
    },
  };
}
