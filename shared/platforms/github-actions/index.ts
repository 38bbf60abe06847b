/**
 * GitHub Actions self-hosted runners and ARC runner scale sets (reference/next-platforms.md B1,
 * platforms.md §6): a runner on a Linux, macOS or Windows host configured by config.sh with a
 * one-hour registration token (or a PAT that fetches one), or a runner scale set on Kubernetes
 * with its GitHub credential in a Secret of its own.
 */
import { err, errAt, ok, type Result } from '../../result';
import { checkTokenText } from '../../edit/values';
import type { Credential, Endpoint, Field, GenerateExtras, Generated, Platform } from '../types';
import { githubActionsAnswers, githubTarget, type GitHubActionsAnswers } from './answers';
import { githubServices, githubTokenVerify } from './api';
import { generateArc } from './arc';
import { GITHUB_FAILURES } from './failures';
import { CA_FILE, generateHost, shDir, type HostOs } from './host';
import { runnerEndpoints } from './network';
import { githubOnline, githubVendorApi } from './online';
import { reregister } from './reregister';
import { readRunnerFile, readServiceFile, type RunnerService } from './state';
import { checkGitHubToken, githubTokenSpec } from './tokens';
import { GITHUB_UPDATERS } from './updaters';
import { githubRunnerType } from './ansible';

export { githubActionsAnswers, githubTarget, type GitHubActionsAnswers } from './answers';
export { readRunnerFile, readServiceFile, serviceNameDiffers, type RunnerState, type RunnerService } from './state';
export { reregister, runnerIdentity, type ReregisterInput, type ReregisterMode } from './reregister';
export { runnerTokenRequest, readRunnerToken, installationsRequest, readInstallations, githubTokenVerify } from './api';
export { checkGitHubToken } from './tokens';

const EXAMPLE_PAT = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

const HOST = ['linux', 'macos', 'windows'];
const POSIX = ['linux', 'macos', 'reregister'];

const fields: Field[] = [
  {
    key: 'url',
    label: 'GitHub URL',
    kind: 'url',
    required: true,
    placeholder: 'https://github.com/octo-org/octo-repo',
    help: 'The repository or organization the runners serve (or …/enterprises/SLUG); your GitHub Enterprise Server URL works the same.',
  },
  {
    key: 'runnerName',
    label: 'Runner name',
    kind: 'text',
    variants: HOST,
    placeholder: 'build-01',
    help: 'Unique in the repository or organization; re-registering under the same name replaces the old runner.',
  },
  {
    key: 'runnerFile',
    label: "The runner's .runner file",
    kind: 'textarea',
    variants: ['reregister'],
    placeholder: '{"agentId": 12, "agentName": "build-01", …}',
    help: 'Paste it from the runner folder (cat /opt/actions-runner/.runner): its name, group and URL are kept. It holds no secret.',
  },
  {
    key: 'serviceFile',
    label: "The runner's .service file (optional)",
    kind: 'text',
    variants: ['reregister'],
    placeholder: 'actions.runner.octo-org-octo-repo.build-01.service',
    help: 'cat /opt/actions-runner/.service: the service is stopped and uninstalled by this name (never recomputed: svc.sh shortens long names). Empty when the runner is not a service.',
  },
  {
    key: 'labels',
    label: 'Labels (optional)',
    kind: 'text',
    variants: [...HOST, 'reregister'],
    placeholder: 'linux, gpu',
    help: 'Extra labels, separated by commas; the runner also gets self-hosted, its OS and its architecture.',
  },
  { key: 'runnerGroup', label: 'Runner group', kind: 'text', default: 'Default', help: 'Organization and enterprise runners only.' },
  { key: 'workFolder', label: 'Work folder', kind: 'text', default: '_work', variants: HOST },
  {
    key: 'lifetime',
    label: 'Runner lifetime',
    kind: 'select',
    default: 'persistent',
    variants: HOST,
    options: [
      { value: 'persistent', label: 'Persistent' },
      { value: 'ephemeral', label: 'Ephemeral (one job, then removed)' },
    ],
  },
  {
    key: 'updates',
    label: 'Runner updates',
    kind: 'select',
    default: 'automatic',
    variants: HOST,
    options: [
      { value: 'automatic', label: 'Automatic' },
      { value: 'disabled', label: 'Disabled (--disableupdate)' },
    ],
  },
  { key: 'runnerDir', label: 'Runner folder', kind: 'text', default: '/opt/actions-runner', variants: POSIX },
  { key: 'windowsDir', label: 'Runner folder', kind: 'text', default: 'C:\\actions-runner', variants: ['windows'] },
  {
    key: 'serviceUser',
    label: 'Service user',
    kind: 'text',
    default: 'actions-runner',
    variants: ['linux'],
    help: 'The runner runs as this user, never as root.',
  },
  {
    key: 'runnerVersion',
    label: 'Runner version (optional)',
    kind: 'text',
    variants: HOST,
    placeholder: '2.329.0',
    help: 'From github.com/actions/runner/releases; adds the download commands.',
  },
  {
    key: 'runsIn',
    label: 'The runner folder lives on',
    kind: 'select',
    default: 'host',
    variants: POSIX,
    options: [
      { value: 'host', label: 'A host or VM' },
      { value: 'container-volume', label: 'A container, on a volume' },
      { value: 'container-no-volume', label: 'A container, without a volume' },
    ],
  },
  {
    key: 'scaleSetName',
    label: 'Scale set name',
    kind: 'text',
    variants: ['arc'],
    placeholder: 'arc-runner-set',
    help: 'Workflows select it with runs-on: <name>.',
  },
  { key: 'arcNamespace', label: 'Runner namespace', kind: 'text', default: 'arc-runners', variants: ['arc'] },
  { key: 'arcControllerNamespace', label: 'Controller namespace', kind: 'text', default: 'arc-systems', variants: ['arc'] },
  { key: 'minRunners', label: 'Minimum runners', kind: 'number', default: '0', variants: ['arc'] },
  { key: 'maxRunners', label: 'Maximum runners', kind: 'number', default: '5', variants: ['arc'] },
  {
    key: 'containerMode',
    label: 'Container mode',
    kind: 'select',
    default: 'none',
    variants: ['arc'],
    options: [
      { value: 'none', label: 'None' },
      { value: 'dind', label: 'Docker in Docker' },
      { value: 'kubernetes', label: 'Kubernetes (container hooks)' },
    ],
  },
  {
    key: 'arcAuth',
    label: 'ARC authenticates with',
    kind: 'select',
    default: 'pat',
    variants: ['arc'],
    options: [
      { value: 'pat', label: 'A personal access token' },
      { value: 'app', label: 'A GitHub App' },
    ],
  },
  {
    key: 'appId',
    label: 'App ID or Client ID',
    kind: 'text',
    variants: ['arc'],
    placeholder: '123456',
    help: "GitHub App only: from the app's settings page.",
  },
  {
    key: 'installationId',
    label: 'Installation ID',
    kind: 'text',
    variants: ['arc'],
    placeholder: '7654321',
    help: "GitHub App only: the number at the end of the installation's URL on the organization in the GitHub URL.",
  },
  {
    key: 'appKeyFile',
    label: 'App private key file',
    kind: 'text',
    variants: ['arc'],
    placeholder: './my-app.private-key.pem',
    help: 'GitHub App only: the .pem path where you run kubectl; the key is read there, never by Agent Onboard.',
  },
  { key: 'chartVersion', label: 'ARC chart version (optional)', kind: 'text', variants: ['arc'], placeholder: '0.13.0' },
  {
    key: 'proxyUrl',
    label: 'HTTP proxy (optional)',
    kind: 'url',
    placeholder: 'http://proxy.internal:3128',
    help: "Without credentials. Written as https_proxy and http_proxy in the runner's .env (ARC: proxy values).",
  },
  {
    key: 'noProxy',
    label: 'No proxy for (optional)',
    kind: 'text',
    placeholder: '.corp.example, ghe.corp.example',
    help: 'Host names or domain suffixes; the runner ignores IP addresses and CIDR ranges here.',
  },
];

/** Files and commands for `variant`; a token of the wrong kind is refused, naming it. */
function generate(a: GitHubActionsAnswers, credential: Credential, variant: string, extras?: GenerateExtras): Result<Generated> {
  if (![...HOST, 'arc', 'reregister'].includes(variant))
    return err('BAD_INPUT', `Unknown variant '${variant}' for GitHub Actions: use linux, macos, windows, arc or reregister.`);
  const target = githubTarget(a.url);
  if (!target) return err('BAD_INPUT', `${a.url} is not a GitHub repository, organization or enterprise URL.`);
  if (credential.kind !== 'token') return err('BAD_INPUT', 'A GitHub runner needs a registration token or a personal access token.');
  const text = checkTokenText(credential.token, 'The token');
  if (!text.ok) return text;
  const verdict = checkGitHubToken(credential.token);
  if (verdict.verdict === 'invalid') return err('TOKEN_INVALID', verdict.message, `Get one from ${githubTokenSpec.where}`);
  if (verdict.verdict === 'wrong-kind') return err('TOKEN_WRONG_KIND', verdict.message, `Get one from ${githubTokenSpec.where}`);
  const pat = verdict.kind.startsWith('pat');
  if (variant === 'reregister') return reregisterFromAnswers(a, credential.token, pat);
  if (variant === 'arc') return generateArc(a, target, credential.token, pat ? 'pat' : 'other', extras?.trustedCa);
  const generated = generateHost(a, target, credential.token, pat ? 'pat' : 'token', variant as HostOs, extras?.trustedCa);
  if (!generated.ok || variant === 'windows')
    return generated.ok
      ? ok({
          ...generated.value,
          removal: {
            commands: [
              {
                title: "Remove the runner (elevated PowerShell, in the runner folder; a remove token from the runner's page on GitHub)",
                os: 'windows',
                command: '$env:ACTIONS_RUNNER_INPUT_TOKEN = Read-Host -MaskInput "Remove token"; .\\config.cmd remove',
              },
            ],
            notes: ['config.cmd remove also uninstalls the Windows service.'],
          },
        })
      : generated;
  const dir = shDir(a.runnerDir);
  return dir.ok ? ok({ ...generated.value, removal: removal(dir.value) }) : dir;
}

/**
 * The reregister variant: the pasted `.runner` (and `.service`) of an existing runner, re-registered
 * under the same name with a PAT (config.sh removes and registers with it) or a registration token
 * (the old registration files are moved aside and --replace takes the name over: this also works
 * when GitHub already deleted the registration, where no remove token exists).
 */
function reregisterFromAnswers(a: GitHubActionsAnswers, token: string, pat: boolean): Result<Generated> {
  if (!a.runnerFile?.trim())
    return errAt(
      'answers.runnerFile',
      'BAD_INPUT',
      "Re-registering needs the runner's .runner file.",
      'Paste the output of cat /opt/actions-runner/.runner (your runner folder) into ".runner file" on the Details step.',
    );
  const state = readRunnerFile(a.runnerFile);
  if (!state.ok) return state;
  if (!state.value.agentName || !state.value.gitHubUrl)
    return errAt(
      'answers.runnerFile',
      'BAD_INPUT',
      'This .runner has no agentName or gitHubUrl: the runner was never configured, so configure it as a new runner instead.',
    );
  const runnerUrl = state.value.gitHubUrl.replace(/\/+$/, '').replace(/\.git$/, '');
  if (runnerUrl.toLowerCase() !== a.url.toLowerCase())
    return errAt(
      'answers.url',
      'BAD_INPUT',
      `This .runner belongs to ${runnerUrl}, but the GitHub URL is ${a.url}.`,
      'Set the GitHub URL to the one in .runner (the token must be for it too), or paste the .runner of the right runner.',
    );
  let service: RunnerService | undefined;
  if (a.serviceFile?.trim()) {
    const read = readServiceFile(a.serviceFile);
    if (!read.ok) return read;
    service = read.value;
  }
  const made = reregister({
    state: state.value,
    service,
    runnerDir: a.runnerDir,
    mode: pat ? 'pat' : 'deleted',
    labels: a.labels,
    ...(pat ? { pat: token } : { registrationToken: token }),
  });
  const dir = shDir(a.runnerDir);
  if (!made.ok || !dir.ok) return made.ok ? (dir as Result<never>) : made;
  return ok({ ...made.value, removal: removal(dir.value) });
}

function removal(dir: string): Generated['removal'] {
  return {
    commands: [
      { title: 'Stop and uninstall the service', command: `cd ${dir} && sudo ./svc.sh stop && sudo ./svc.sh uninstall` },
      {
        title: "Remove the registration (asks for a remove token from the runner's page on GitHub, typed, not shown)",
        command: `cd ${dir} && stty -echo && printf 'Remove token: ' && read -r ACTIONS_RUNNER_INPUT_TOKEN && stty echo && echo && export ACTIONS_RUNNER_INPUT_TOKEN && ./config.sh remove; unset ACTIONS_RUNNER_INPUT_TOKEN`,
      },
    ],
    notes: [
      'If GitHub already deleted the runner (14 days offline), skip config.sh remove and delete the runner folder.',
      'With a PAT instead of a remove token, set ACTIONS_RUNNER_INPUT_PAT instead.',
    ],
  };
}

export const githubActions: Platform<GitHubActionsAnswers> = {
  id: 'github-actions',
  name: 'GitHub Actions runner',
  summary: 'A self-hosted GitHub Actions runner on Linux, macOS or Windows, or an ARC runner scale set on Kubernetes.',
  docs: [
    {
      title: 'Adding self-hosted runners',
      url: 'https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/adding-self-hosted-runners',
    },
    {
      title: 'Deploying runner scale sets with ARC',
      url: 'https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners-with-actions-runner-controller/deploying-runner-scale-sets-with-actions-runner-controller',
    },
  ],
  variants: [
    { id: 'linux', name: 'Linux host (systemd)' },
    { id: 'macos', name: 'macOS host (launchd)' },
    { id: 'windows', name: 'Windows host (service)' },
    { id: 'arc', name: 'Kubernetes (ARC runner scale set)' },
    { id: 'reregister', name: 'Re-register an existing runner (Linux or macOS)' },
  ],
  steps: ['platform', 'details', 'credentials', 'connectivity', 'configs', 'export', 'done'],
  fields,
  answers: githubActionsAnswers,
  credential: { kind: 'token', token: githubTokenSpec },
  endpoints(a): Endpoint[] {
    const target = githubTarget(a.url);
    return target ? runnerEndpoints(a, target) : [];
  },
  generate,
  updaters: GITHUB_UPDATERS,
  ansible: [githubRunnerType((a, c, v, x) => generate(a as GitHubActionsAnswers, c, v, x))],
  revokeChecklist: [
    'Check in GitHub → Settings → Actions → Runners that the runner (or scale set) is online again.',
    'Revoke the old PAT in GitHub → Settings → Developer settings → Personal access tokens.',
    'Delete the backup files written by the rotation (*.bak-<time>): they still hold the old token.',
  ],
  failures: GITHUB_FAILURES,
  online: githubOnline,
  caNotes(file) {
    return [
      `The runner (.NET) trusts the system store: add ${file} there (update-ca-certificates on Debian/Ubuntu, update-ca-trust on RHEL, the keychain on macOS, the machine's Trusted Root store on Windows) and restart the service.`,
      `Node-based actions read NODE_EXTRA_CA_CERTS: the runner's .env points it at ${CA_FILE} in the runner folder. ARC mounts the CA from a ConfigMap (githubServerTLS).`,
    ];
  },
  rotation: {
    placeholder: '/opt/actions-runner or arc/github-config-secret.yaml',
    hint: "A host runner has no token to rotate: it is re-registered (its .runner is read to say how). ARC's PAT is rotated in its Secret or values.",
  },
  services: githubServices,
  publicDomains: ['github.com'],
  vendorApi: githubVendorApi,
  tokenVerify: githubTokenVerify,
  example: {
    // The conformance suite's generic tokens include registration-token shapes only; ARC takes a PAT.
    tokens: [EXAMPLE_PAT, 'github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijKLMNOP'],
    installed: {
      // The chart's own values layout (gha-runner-scale-set values.yaml), the PAT inline: what an
      // install made from GitHub's quick start has, rather than the Secret the app writes.
      'github-arc-token': {
        file: 'values.yaml',
        text: `githubConfigUrl: "https://github.com/octo-org"\ngithubConfigSecret:\n  github_token: "${EXAMPLE_PAT}"\nmaxRunners: 5\n`,
        token: EXAMPLE_PAT,
      },
    },
  },
  recognise: /\bactions-runner\b|\bconfig\.sh --url https:\/\/|githubConfigUrl|"gitHubUrl"|\bactions\.runner\.[\w.-]+\.service\b/,
};

/** Re-registration of an existing runner (see reregister.ts), for the CLI and the renderer's own step part. */
export const reregisterRunner = reregister;
