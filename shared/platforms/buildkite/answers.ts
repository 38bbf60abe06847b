/** What the Buildkite agent generators need, validated so no value can break a file. */
import { z } from 'zod';
import { httpUrlSchema, noProxySchema } from '../../validate';
import { doc } from '../answers-doc';

export const DEFAULT_ENDPOINT = 'https://agent-edge.buildkite.com/v3';

/** The address the app offers to add as `health-check-addr` (loopback only, never exposed). */
export const BUILDKITE_HEALTH_ADDR = 'localhost:3901';

const TAG_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const pathSchema = z
  .string()
  .trim()
  .max(1024)
  .refine((v) => !CONTROL.test(v), { message: 'must be one line without control characters' })
  .optional();

export const buildkiteAnswers = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(200)
    .refine((v) => !CONTROL.test(v), { message: 'must be one line without control characters' })
    // Buildkite's own default: the agent names itself after its host (shown filled in the wizard).
    .default('%hostname-%spawn')
    .meta(doc('The agent name; %hostname and %spawn are replaced by the agent (not used on Kubernetes).', '%hostname-%spawn')),
  tags: z
    .record(z.string(), z.string(), {
      error: (issue) =>
        issue.input === undefined ? undefined : 'must be an object of tag names to values, e.g. {"queue": "default", "os": "linux"} (not a "k=v,k2=v2" string)',
    })
    .default({})
    .superRefine((tags, ctx) => {
      for (const [k, v] of Object.entries(tags)) {
        if (!TAG_KEY.test(k)) ctx.addIssue({ code: 'custom', message: `tag "${k}": a key is letters, digits and _ . : / - (max 100)` });
        if (v.includes(',') || CONTROL.test(v) || v.length > 200)
          ctx.addIssue({ code: 'custom', message: `tag "${k}": a value has no commas or line breaks (max 200)` });
      }
    })
    .meta(doc('Agent tags as an object of names to values; queue picks the queue.', { queue: 'default', os: 'linux' })),
  endpoint: httpUrlSchema
    .default(DEFAULT_ENDPOINT)
    .meta(doc('The Agent API endpoint (agents before 3.122.0: https://agent.buildkite.com/v3).', DEFAULT_ENDPOINT)),
  buildPath: pathSchema.meta(doc('Where the agent checks out and runs builds (cfg, env and docker variants).', '/var/lib/buildkite-agent/builds')),
  hooksPath: pathSchema.meta(doc("The agent's hooks folder (cfg, env and docker variants).", '/etc/buildkite-agent/hooks')),
  pluginsPath: pathSchema.meta(doc("The agent's plugins folder (cfg, env and docker variants).", '/etc/buildkite-agent/plugins')),
  namespace: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .default('buildkite')
    .meta(doc('The Kubernetes namespace (kubernetes variant).', 'buildkite')),
  healthCheck: z
    .enum(['off', 'on'])
    .default('off')
    .meta(
      doc(
        `'on' writes health-check-addr="${BUILDKITE_HEALTH_ADDR}" (cfg and env variants): the agent serves its heartbeat on the host's loopback only, and install-and-verify reads it.`,
        'on',
      ),
    ),
  /** The HTTP(S) proxy the agent goes through (Go's HTTPS_PROXY/HTTP_PROXY), without credentials. */
  proxyUrl: httpUrlSchema
    .optional()
    .meta(doc('The HTTP proxy the agent goes through, without credentials; written as HTTPS_PROXY and HTTP_PROXY.', 'http://proxy.internal:3128')),
  noProxy: noProxySchema
    .optional()
    .meta(doc('Hosts, domain suffixes or IP addresses reached without the proxy, separated by commas.', '.corp.example,10.0.0.5')),
});
export type BuildkiteAnswers = z.infer<typeof buildkiteAnswers>;

/** The tags as the agent reads them: `k=v,k2=v2`. */
export function tagsValue(a: BuildkiteAnswers): string {
  return Object.entries(a.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
