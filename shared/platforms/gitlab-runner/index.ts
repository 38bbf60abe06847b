/** GitLab Runner (reference/next-platforms.md B2, platforms.md §6): one folder, registered in ../index.ts. */
import { httpsEndpoint, proxyEndpoints } from '../endpoints';
import { tokenGenerator } from '../token-generator';
import type { Endpoint, Platform, Removal } from '../types';
import { gitlabRunnerShell } from './ansible';
import { gitlabRunnerAnswers, gitlabRunnerFields, type GitlabRunnerAnswers } from './answers';
import { GITLAB_RUNNER_FAILURES } from './failures';
import { CONFIG_FILE, DOCKER_CONFIG, DOCKER_SCRIPT, GENERATORS, HELM_SECRET, HELM_VALUES } from './generate';
import { gitlabRunnerHostRecipe, gitlabRunnerWhere } from './host-install';
import { gitlabRunnerOnline } from './online';
import { runnerTokenSpec } from './token';
import { GITLAB_RUNNER_UPDATERS } from './updaters';
import { gitlabApiService, gitlabRunnersApi, gitlabTokenVerify } from './vendor';

export { gitlabRunnerAnswers, type GitlabRunnerAnswers } from './answers';

/** Files and commands for a new runner of `variant`; any token but a glrt- one is refused, naming it. */
const generate = tokenGenerator<GitlabRunnerAnswers>({
  agent: 'GitLab Runner',
  agentInSentence: 'GitLab Runner',
  token: 'runner authentication token',
  getOne: 'a runner authentication token',
  spec: runnerTokenSpec,
  refuseInvalid: true,
  variants: GENERATORS,
  removal,
});

/**
 * `.runner_system_id` is written by the runner on its first start beside config.toml and names
 * this one host to GitLab (each host is a runner manager of the runner). A bundle that carries it
 * makes every host it is unpacked on the same manager: GitLab sees one host flapping between them.
 */
export function systemIdWarnings(paths: readonly string[]): string[] {
  const found = paths.filter((p) => /(^|\/)\.runner_system_id$/.test(p));
  if (!found.length) return [];
  return [
    `This bundle carries ${found.join(', ')}: the system id the runner wrote for the host it came from. Every host that unpacks it would share one system id, and GitLab would see them as one runner manager flapping between hosts. Delete the file from each host after unpacking (the runner writes a new one on its next start), or pack the folder without it.`,
  ];
}

/** The variant of a folder this app's generator wrote (install --from DIR without --platform). */
function recogniseGenerated(files: readonly { path: string; text: string }[]): string | undefined {
  const has = (p: string): { path: string; text: string } | undefined => files.find((f) => f.path === p);
  const runners = (p: string): boolean => /^\s*\[\[runners\]\]/m.test(has(p)?.text ?? '');
  if (has(HELM_VALUES) && has(HELM_SECRET)) return 'helm';
  if (has(DOCKER_SCRIPT) && runners(DOCKER_CONFIG)) return 'docker';
  if (runners(CONFIG_FILE)) return 'package';
  return undefined;
}

function removal(variant: string): Removal {
  const gitlab = 'In GitLab → Settings → CI/CD → Runners, delete the runner (this also invalidates its token).';
  if (variant === 'helm')
    return {
      commands: [
        {
          title: 'Uninstall the chart and its Secret',
          command: 'helm uninstall gitlab-runner -n gitlab-runner && kubectl delete secret gitlab-runner-token -n gitlab-runner',
        },
      ],
      notes: [gitlab],
    };
  if (variant === 'docker')
    return {
      commands: [{ title: 'Remove the container', command: 'docker rm -f gitlab-runner' }],
      notes: [gitlab, 'Delete the config folder afterwards: it holds the token.'],
    };
  return {
    commands: [
      {
        title: 'Stop the service and remove the configuration',
        command: 'sudo systemctl disable --now gitlab-runner && sudo rm -f /etc/gitlab-runner/config.toml',
      },
    ],
    notes: [gitlab],
  };
}

export const gitlabRunner: Platform<GitlabRunnerAnswers> = {
  id: 'gitlab-runner',
  name: 'GitLab Runner',
  summary: 'A GitLab Runner with its runner authentication token (glrt-): config.toml for the Linux package, Docker or Helm.',
  docs: [
    { title: 'GitLab Runner advanced configuration (config.toml)', url: 'https://docs.gitlab.com/runner/configuration/advanced-configuration/' },
    { title: 'Registering runners', url: 'https://docs.gitlab.com/runner/register/' },
    { title: 'Running GitLab Runner behind a proxy', url: 'https://docs.gitlab.com/runner/configuration/proxy/' },
  ],
  variants: [
    { id: 'package', name: 'Linux package (systemd)' },
    { id: 'docker', name: 'Docker (gitlab/gitlab-runner)' },
    { id: 'helm', name: 'Kubernetes (Helm chart)' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields: gitlabRunnerFields,
  answers: gitlabRunnerAnswers,
  credential: { kind: 'token', token: runnerTokenSpec },
  endpoints(a): Endpoint[] {
    return [httpsEndpoint('gitlab', a.url, 'GitLab (job requests and the token check)'), ...proxyEndpoints(a.proxyUrl)];
  },
  generate,
  updaters: GITLAB_RUNNER_UPDATERS,
  revokeChecklist: [
    'A runner picks up the new token from config.toml within 3 seconds: check its log for "Configuration loaded" and no "forbidden".',
    'If you created a new token by resetting it in GitLab, the old one is already invalid; if you created a new runner, delete the old runner in GitLab → Settings → CI/CD → Runners.',
    'Delete the backup files written by the rotation (*.bak-<time>): they still hold the old token.',
  ],
  failures: GITLAB_RUNNER_FAILURES,
  online: gitlabRunnerOnline,
  hostInstall: gitlabRunnerHostRecipe,
  ansible: [gitlabRunnerShell],
  where: gitlabRunnerWhere,
  caNotes: (file) => [
    `GitLab Runner trusts it through tls-ca-file = "${file}" in its [[runners]] entry (config.toml), which the Configs step writes when a company CA was trusted; jobs in containers need it in their image or as a CI variable.`,
  ],
  rotation: {
    placeholder: '/etc/gitlab-runner/config.toml',
    hint: 'The runner rewrites config.toml itself when it renews its token: the file is read again just before writing.',
  },
  services: [gitlabApiService],
  publicDomains: ['gitlab.com'],
  vendorApi: gitlabRunnersApi,
  recognise: /\bgitlab-runner\b|\[\[runners\]\]|gitlab\/gitlab-runner|\bglrt-/,
  tokenVerify: gitlabTokenVerify,
  bundleWarnings: systemIdWarnings,
  recogniseGenerated,
  // The conformance suite's generic token shapes carry no glrt- prefix: these are the three shapes GitLab issues.
  example: { tokens: ['glrt-AbCdEfGhIjKlMnOpQrSt1234', 'glrt-t1_AbCdEfGhIjKlMnOpQrSt', 'glrt-t3_ab-cd_ef.01.1a2b3c4d5e6f7g8h'] },
};
