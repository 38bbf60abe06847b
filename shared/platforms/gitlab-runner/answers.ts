/** What the GitLab Runner generators need, validated so no value can break a file. */
import { z } from 'zod';
import { httpUrlSchema, noProxySchema } from '../../validate';
import { doc } from '../answers-doc';
import type { Field } from '../types';

export const DEFAULT_URL = 'https://gitlab.com';
export const CONFIG_DIR = '/etc/gitlab-runner';
export const CONFIG_PATH = `${CONFIG_DIR}/config.toml`;
/** Where the runner looks for a server's CA by default is certs/<host>.crt; the app names its file in tls-ca-file instead. */
export const DEFAULT_CA_FILE = `${CONFIG_DIR}/certs/company-ca.crt`;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const line = (max: number): z.ZodString =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL.test(v), { message: 'must be one line without control characters' });

export const EXECUTORS = ['shell', 'docker', 'kubernetes'] as const;

export const gitlabRunnerAnswers = z.object({
  url: httpUrlSchema.default(DEFAULT_URL).meta(doc('The GitLab URL: https://gitlab.com or your self-managed instance.', DEFAULT_URL)),
  name: line(200)
    .min(1, 'is required')
    .default('gitlab-runner')
    .meta(doc('The runner name in config.toml (shown in GitLab next to the runner).', 'build-host-1')),
  executor: z
    .enum(EXECUTORS)
    .default('docker')
    .meta(doc('Where jobs run: shell (on the host), docker (a container per job) or kubernetes (a pod per job; the Helm variant always uses it).', 'docker')),
  dockerImage: line(300)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'an image reference such as alpine:3.20')
    .default('alpine:latest')
    .meta(doc('The default job image of the docker and kubernetes executors.', 'alpine:latest')),
  concurrent: z.coerce.number().int().min(1).max(1000).default(1).meta(doc('How many jobs the runner process runs at once (concurrent).', 1)),
  caFile: line(1024)
    .regex(/^\/[^"'\\$`]*$/, 'an absolute path without quotes, "\\", "$" or "`"')
    .default(DEFAULT_CA_FILE)
    .meta(doc('Where the company CA (PEM) is put on the runner host; written as tls-ca-file when a company CA is used.', DEFAULT_CA_FILE)),
  proxyUrl: httpUrlSchema
    .optional()
    .meta(doc('The HTTP proxy the runner goes through, without credentials; written as HTTPS_PROXY and HTTP_PROXY.', 'http://proxy.internal:3128')),
  noProxy: noProxySchema
    .optional()
    .meta(doc('Hosts, domain suffixes or IP addresses reached without the proxy, separated by commas.', '.corp.example,10.0.0.5')),
  listenAddress: line(100)
    .regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9252')
    .optional()
    .meta(doc('listen_address for /metrics and /health/ready (keep it on loopback).', '127.0.0.1:9252')),
  namespace: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .default('gitlab-runner')
    .meta(doc('The Kubernetes namespace (helm variant).', 'gitlab-runner')),
});
export type GitlabRunnerAnswers = z.infer<typeof gitlabRunnerAnswers>;

const SET_IN_GITLAB =
  'Tags, "locked" and "run untagged" are set in GitLab when the runner is created (a glrt- token): passing them to gitlab-runner register is fatal there, so they are not asked here.';

export const gitlabRunnerFields: Field[] = [
  { key: 'url', label: 'GitLab URL', kind: 'url', required: true, default: DEFAULT_URL, help: 'gitlab.com or your self-managed GitLab.' },
  { key: 'name', label: 'Runner name', kind: 'text', required: true, default: 'gitlab-runner', help: SET_IN_GITLAB },
  {
    key: 'executor',
    label: 'Executor',
    kind: 'select',
    default: 'docker',
    options: [
      { value: 'shell', label: 'shell (jobs run on the host)' },
      { value: 'docker', label: 'docker (a container per job)' },
      { value: 'kubernetes', label: 'kubernetes (a pod per job)' },
    ],
    variants: ['package', 'docker'],
  },
  { key: 'dockerImage', label: 'Default job image', kind: 'text', default: 'alpine:latest', help: 'For the docker and kubernetes executors.' },
  { key: 'concurrent', label: 'Concurrent jobs', kind: 'number', default: '1' },
  {
    key: 'caFile',
    label: 'Company CA path on the runner host (tls-ca-file)',
    kind: 'text',
    default: DEFAULT_CA_FILE,
    help: 'Used only when the checks trusted a company CA.',
    variants: ['package'],
  },
  {
    key: 'proxyUrl',
    label: 'HTTP proxy (optional)',
    kind: 'url',
    placeholder: 'http://proxy.internal:3128',
    help: 'Without credentials. Written as HTTPS_PROXY and HTTP_PROXY for the runner.',
  },
  { key: 'noProxy', label: 'No proxy for (optional)', kind: 'text', placeholder: '.corp.example, 10.0.0.5' },
  {
    key: 'listenAddress',
    label: 'Metrics and health address (optional)',
    kind: 'text',
    placeholder: '127.0.0.1:9252',
    help: 'listen_address: /metrics and /health/ready on the runner host.',
    variants: ['package', 'docker'],
  },
  { key: 'namespace', label: 'Kubernetes namespace', kind: 'text', default: 'gitlab-runner', variants: ['helm'] },
];
