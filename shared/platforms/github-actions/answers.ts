/**
 * What the GitHub Actions runner generators need (reference/next-platforms.md B1), validated so no
 * value can break a file. Names and labels may hold characters a shell, PowerShell or cmd.exe
 * treats specially (GitHub allows them): the generators quote every value for its target, or
 * refuse it with the reason (see quote.ts), so only line breaks and control characters are refused here.
 */
import { z } from 'zod';
import { httpUrlSchema } from '../../validate';
import { doc } from '../answers-doc';

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL.test(v), { message: 'must be one line without control characters' });

/** Where a GitHub URL points: a repository, an organization or an enterprise, on github.com or a GHES host. */
export interface GitHubTarget {
  kind: 'repo' | 'org' | 'enterprise';
  /** https://github.com or https://ghe.example.com */
  origin: string;
  /** True on github.com (or a GHE.com data-residency host), false on GitHub Enterprise Server. */
  dotcom: boolean;
  owner: string;
  repo?: string;
  /** The REST API root: https://api.github.com, https://api.<tenant>.ghe.com or https://<ghes>/api/v3. */
  api: string;
}

/** Reads a runner URL (`https://github.com/org[/repo]`, `…/enterprises/slug`); undefined when it is none. */
export function githubTarget(url: string): GitHubTarget | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.search || u.hash) return undefined;
  const parts = u.pathname.split('/').filter(Boolean);
  const seg = /^[A-Za-z0-9_.-]{1,100}$/;
  if (parts.length === 0 || parts.length > 2 || !parts.every((p) => seg.test(p) && p !== '.' && p !== '..')) return undefined;
  const host = u.hostname.toLowerCase();
  const dotcom = host === 'github.com' || host.endsWith('.ghe.com');
  const api = host === 'github.com' ? 'https://api.github.com' : host.endsWith('.ghe.com') ? `https://api.${host}` : `${u.origin}/api/v3`;
  const origin = u.origin;
  if (parts[0] === 'enterprises') return parts.length === 2 ? { kind: 'enterprise', origin, dotcom, owner: parts[1]!, api } : undefined;
  return parts.length === 2
    ? { kind: 'repo', origin, dotcom, owner: parts[0]!, repo: parts[1]!.replace(/\.git$/, ''), api }
    : { kind: 'org', origin, dotcom, owner: parts[0]!, api };
}

const labelsSchema = oneLine(1000)
  .refine((v) => v.split(',').every((l) => l.trim() !== '' || v.trim() === ''), { message: 'separate labels with single commas (no empty label)' })
  .refine((v) => v.split(',').every((l) => l.trim().length <= 100), { message: 'a label is at most 100 characters' })
  .optional();

export const githubActionsAnswers = z.object({
  url: httpUrlSchema
    .refine((v) => githubTarget(v) !== undefined, {
      message: 'must be https://github.com/ORG, https://github.com/ORG/REPO, …/enterprises/SLUG, or the same on your GitHub Enterprise Server',
    })
    .meta(doc('The repository, organization or enterprise the runner serves (config.sh --url; ARC githubConfigUrl).', 'https://github.com/octo-org/octo-repo'))
    .transform((v) => v.replace(/\/+$/, '').replace(/\.git$/, '')),
  runnerName: oneLine(64)
    .min(1, 'is required')
    .optional()
    .meta(doc('The runner name (host runners; GitHub shows it in Settings → Actions → Runners).', 'build-01')),
  labels: labelsSchema.meta(doc('Extra labels, separated by commas (workflows pick runners with runs-on).', 'linux, gpu')),
  runnerGroup: oneLine(100).min(1).default('Default').meta(doc('The runner group (organization and enterprise runners).', 'Default')),
  workFolder: oneLine(255).min(1).default('_work').meta(doc('The work folder, relative to the runner folder or absolute.', '_work')),
  lifetime: z
    .enum(['persistent', 'ephemeral'])
    .default('persistent')
    .meta(doc('ephemeral: the runner takes one job and is then removed (config.sh --ephemeral).', 'persistent')),
  updates: z
    .enum(['automatic', 'disabled'])
    .default('automatic')
    .meta(doc('disabled: the runner does not update itself (config.sh --disableupdate; you must update it within 30 days of a release).', 'automatic')),
  runnerDir: oneLine(1024)
    .min(1)
    .refine((v) => v.startsWith('/') || v.startsWith('~/'), { message: 'must be an absolute path (or start with ~/)' })
    .default('/opt/actions-runner')
    .meta(doc('Where the runner is unpacked on a Linux or macOS host.', '/opt/actions-runner')),
  windowsDir: oneLine(260)
    .min(1)
    .refine((v) => /^[A-Za-z]:\\/.test(v), { message: 'must be an absolute Windows path like C:\\actions-runner' })
    .default('C:\\actions-runner')
    .meta(doc('Where the runner is unpacked on a Windows host.', 'C:\\actions-runner')),
  serviceUser: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Linux user name (lower-case letters, digits, "_" and "-")')
    .default('actions-runner')
    .meta(doc('The Linux user the runner service runs as (svc.sh install USER); it must own the runner folder and must not be root.', 'actions-runner')),
  runnerVersion: z
    .string()
    .trim()
    .regex(/^\d+\.\d+\.\d+$/, 'a runner release like 2.329.0')
    .optional()
    .meta(doc('The runner release to download (from github.com/actions/runner/releases); without it the download step is left to you.', '2.329.0')),
  runsIn: z
    .enum(['host', 'container-volume', 'container-no-volume'])
    .default('host')
    .meta(
      doc(
        'Where the runner folder lives: a host or VM, a container with the folder on a volume, or a container without one (its registration is lost on restart).',
        'host',
      ),
    ),
  runnerFile: z
    .string()
    .max(8000)
    .optional()
    .meta(
      doc(
        "The runner folder's .runner file, pasted as it is (reregister variant): the runner's identity, no secret.",
        '{"agentId": 12, "agentName": "build-01", "poolId": 1, "poolName": "Default", "serverUrl": "https://pipelines.actions.githubusercontent.com/abc", "gitHubUrl": "https://github.com/octo-org/octo-repo", "workFolder": "_work"}',
      ),
    ),
  serviceFile: oneLine(300)
    .optional()
    .meta(
      doc(
        "The runner folder's .service file (reregister variant): the service name svc.sh gave it, absent when the runner is not a service.",
        'actions.runner.octo-org-octo-repo.build-01.service',
      ),
    ),
  proxyUrl: httpUrlSchema
    .optional()
    .meta(doc('The HTTP proxy the runner goes through, without credentials (https_proxy in .env).', 'http://proxy.internal:3128')),
  noProxy: oneLine(2000)
    .optional()
    .meta(
      doc(
        'Host names or domain suffixes reached without the proxy, separated by commas (the runner matches suffixes only: no IP addresses or CIDR ranges).',
        '.corp.example,ghe.corp.example',
      ),
    ),
  arcNamespace: z
    .string()
    .trim()
    .regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .default('arc-runners')
    .meta(doc('The namespace of the runner scale set (arc variant).', 'arc-runners')),
  arcControllerNamespace: z
    .string()
    .trim()
    .regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .default('arc-systems')
    .meta(doc('The namespace of the ARC controller (arc variant).', 'arc-systems')),
  scaleSetName: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?$/, 'lower-case letters, digits and "-" (max 45; it names the Helm release and is the runs-on label)')
    .optional()
    .meta(doc('The runner scale set name: the Helm release and the runs-on label of workflows (arc variant).', 'arc-runner-set')),
  minRunners: z.coerce.number().int().min(0).max(1000).default(0).meta(doc('Idle runners kept ready (arc variant).', 0)),
  maxRunners: z.coerce.number().int().min(1).max(1000).default(5).meta(doc('The most runners at once (arc variant).', 5)),
  containerMode: z
    .enum(['none', 'dind', 'kubernetes'])
    .default('none')
    .meta(doc('How jobs run containers: none, dind (Docker in Docker) or kubernetes (container hooks; needs a storage class).', 'dind')),
  arcAuth: z
    .enum(['pat', 'app'])
    .default('pat')
    .meta(doc('How ARC authenticates: a PAT in the Secret, or a GitHub App (app id, installation id, private key file).', 'app')),
  appId: z
    .string()
    .trim()
    .regex(/^(\d{1,12}|Iv[0-9a-zA-Z.]{4,40})$/, 'the App ID (digits) or the Client ID (Iv1.… or Iv23…) from the GitHub App settings')
    .optional()
    .meta(doc('The GitHub App ID or Client ID (arc variant with a GitHub App).', '123456')),
  installationId: z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, 'the installation ID: digits, from the URL of the app installation (…/settings/installations/<id>)')
    .optional()
    .meta(doc('The installation ID of the app on the organization in the URL (arc variant with a GitHub App).', '7654321')),
  appKeyFile: oneLine(1024)
    .refine((v) => /\.pem$/i.test(v), { message: 'must be the path of the .pem private key file GitHub gave you' })
    .optional()
    .meta(
      doc(
        'The path of the GitHub App private key (.pem) on the machine that runs kubectl; the key is read there, never by this app.',
        './my-app.2026-01-01.private-key.pem',
      ),
    ),
  chartVersion: z
    .string()
    .trim()
    .regex(/^\d+\.\d+\.\d+$/, 'a chart release like 0.13.0')
    .optional()
    .meta(doc('The ARC chart version to install (both charts share it); without it Helm takes the newest.', '0.13.0')),
});
export type GitHubActionsAnswers = z.infer<typeof githubActionsAnswers>;
