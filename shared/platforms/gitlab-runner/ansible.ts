/**
 * GitLab Runner in a fleet's Ansible project, the way the package's service runs it but without
 * systemd: `gitlab-runner run --config config.toml` as the user Ansible connects as, under an
 * install root. config.toml is the wizard's own (renderConfigToml through generatePackage) with
 * tls-ca-file under the root, so its bytes are the ones the single-agent export writes for the
 * same answers. The role does not download the runner: it runs `agent_binary` (default
 * `gitlab-runner` on the PATH, as the deb/rpm package puts it).
 *
 * After each start and reload the role runs `gitlab-runner verify --config …` into the log: its
 * "Verifying runner... is valid" (POST /api/v4/runners/verify) is the registered hop, which `run`
 * alone does not print. `run` logs "Checking for jobs... received" only when a job comes, so a
 * fleet verify waits for started and registered; a refused token still fails the host through
 * "is not valid" or "Checking for jobs... forbidden".
 */
import { err, ok, type Result } from '../../result';
import type { AnsibleFile, AnsibleInstallType, Credential, GenerateExtras, Generated } from '../types';
import { CONFIG_DIR, CONFIG_PATH, type GitlabRunnerAnswers } from './answers';
import { CA_FILE, CONFIG_FILE, generatePackage } from './generate';

const CERTS_DIR = `${CONFIG_DIR}/certs`;
const LIB_DIR = '/var/lib/gitlab-runner';
const LOG_DIR = '/var/log/gitlab-runner';
const RUN_DIR = '/run/gitlab-runner';

/** The answers with tls-ca-file under `root`. */
export function rootedRunnerAnswers(a: GitlabRunnerAnswers, root: string): GitlabRunnerAnswers {
  return { ...a, caFile: `${root}${a.caFile}` };
}

const q = (p: string): string => `{{ (agent_install_root ~ '${p}') | quote }}`;
const BIN = "{{ agent_binary | default('gitlab-runner') | quote }}";
const CFG = q(CONFIG_PATH);
const LOG = q(`${LOG_DIR}/runner.log`);
const PID = q(`${RUN_DIR}/runner.pid`);
// In braces, so `! ${RUNNING}` negates the whole test (`! a && b` is `(! a) && b` in sh).
const RUNNING = `{ [ -s ${PID} ] && kill -0 "$(cat ${PID})" 2>/dev/null; }`;
// The token check with GitLab, into the log verify reads, once the runner has said "Configuration
// loaded" after `mark` (verify reads from the last such line; 10 s at most). Its answer is judged
// by verify, not here.
const LOG_SIZE = `mark=$(wc -c 2>/dev/null <${LOG} || echo 0)`;
const VERIFY = `for _ in $(seq 100); do tail -c "+$((mark + 1))" ${LOG} 2>/dev/null | grep -q 'Configuration loaded' && break; sleep 0.1; done
${BIN} verify --config ${CFG} >>${LOG} 2>&1 || true`;
// setsid detaches the runner from Ansible's SSH session; its output is the log verify reads.
const START = `${LOG_SIZE}
setsid ${BIN} run --config ${CFG} --working-directory ${q(LIB_DIR)} </dev/null >>${LOG} 2>&1 &
echo $! >${PID}
${VERIFY}`;
const STOP = `kill "$(cat ${PID})"
for _ in $(seq 100); do ${RUNNING} || break; sleep 0.1; done
if ${RUNNING}; then echo "gitlab-runner did not stop within 10 s" >&2; exit 1; fi`;

export const gitlabRunnerShell: AnsibleInstallType = {
  id: 'shell',
  name: 'gitlab-runner run on the host (no systemd)',
  variant: 'package',
  files(answers: unknown, credential: Credential, root: string, extras?: GenerateExtras): Result<{ generated: Generated; files: AnsibleFile[] }> {
    const a = answers as GitlabRunnerAnswers;
    // The proxy is a systemd drop-in for the packaged service, which this install type does not use.
    if (a.proxyUrl)
      return err(
        'BAD_INPUT',
        'The Ansible export of GitLab Runner runs it without systemd, so it cannot give it the proxy drop-in.',
        "Leave the proxy out and set HTTPS_PROXY in the environment of the hosts, or install with the package's service from the single-agent export.",
      );
    if (extras?.trustedCa && !a.caFile.startsWith(`${CERTS_DIR}/`))
      return err(
        'BAD_INPUT',
        `The Ansible export puts the company CA in ${CERTS_DIR}/ (a folder the role creates); "${a.caFile}" is elsewhere.`,
        `Set the CA file to ${CERTS_DIR}/company-ca.crt.`,
      );
    if (credential.kind !== 'token') return err('BAD_INPUT', 'GitLab Runner needs its runner authentication token.');
    const generated = generatePackage(rootedRunnerAnswers(a, root), credential.token, extras?.trustedCa);
    if (!generated.ok) return generated;
    const files: AnsibleFile[] = [];
    for (const artifact of generated.value.files) {
      // The runner reads config.toml again on SIGHUP (and by itself every 3 s): a change reloads.
      if (artifact.path === CONFIG_FILE) files.push({ artifact, dest: CONFIG_PATH, on: 'reload' });
      // The CA is read when a request is made with it: nothing to restart.
      if (artifact.path === CA_FILE) files.push({ artifact, dest: a.caFile, on: 'none' });
    }
    return ok({ generated: generated.value, files });
  },
  dirs: [CONFIG_DIR, CERTS_DIR, LIB_DIR, LOG_DIR, RUN_DIR],
  log: `${LOG_DIR}/runner.log`,
  start: `if ${RUNNING}; then exit 0; fi
${START}
echo started`,
  reload: `if ! ${RUNNING}; then exit 0; fi
${LOG_SIZE}
kill -HUP "$(cat ${PID})"
${VERIFY}
echo reloaded`,
  restart: `if ! ${RUNNING}; then exit 0; fi
${STOP}
${START}
echo restarted`,
  stop: `if ! ${RUNNING}; then exit 0; fi
${STOP}
echo stopped`,
  removal: `stops the runner, then takes away ${CONFIG_DIR} (config.toml with the token, its backups and .runner_system_id), ${LIB_DIR} (builds), ${LOG_DIR} and ${RUN_DIR} under the install root`,
  rotate: {
    dest: CONFIG_PATH,
    what: 'token = in config.toml',
    // Only the [[runners]] entry's token line (token_obtained_at and token_expires_at do not match).
    regexp: '^(\\s*)token\\s*=.*$',
    line: '\\1token = "{{ agent_new_token }}"',
    // A runner authentication token (checkRunnerToken: glrt-, an optional t1_/t2_/t3_, letters,
    // digits, '_', '.', '-') is written as a TOML basic string with nothing to escape, so the
    // rotated line is the generator's own; anything else is refused before a file is touched.
    token: '^glrt-(t[123]_)?[A-Za-z0-9_.-]{20,500}$',
    on: 'reload',
  },
  verifyHops: ['started', 'registered'],
};
