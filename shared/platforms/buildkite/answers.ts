/** What the Buildkite agent generators need, validated so no value can break a file. */
import { z } from 'zod';
import { httpUrlSchema, noProxySchema } from '../../validate';

export const DEFAULT_ENDPOINT = 'https://agent-edge.buildkite.com/v3';

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
    .default('%hostname-%spawn'),
  tags: z
    .record(z.string(), z.string())
    .default({})
    .superRefine((tags, ctx) => {
      for (const [k, v] of Object.entries(tags)) {
        if (!TAG_KEY.test(k)) ctx.addIssue({ code: 'custom', message: `tag "${k}": a key is letters, digits and _ . : / - (max 100)` });
        if (v.includes(',') || CONTROL.test(v) || v.length > 200) ctx.addIssue({ code: 'custom', message: `tag "${k}": a value has no commas or line breaks (max 200)` });
      }
    }),
  endpoint: httpUrlSchema.default(DEFAULT_ENDPOINT),
  buildPath: pathSchema,
  hooksPath: pathSchema,
  pluginsPath: pathSchema,
  namespace: z.string().trim().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and "-" (a Kubernetes name)').default('buildkite'),
  /** The HTTP(S) proxy the agent goes through (Go's HTTPS_PROXY/HTTP_PROXY), without credentials. */
  proxyUrl: httpUrlSchema.optional(),
  noProxy: noProxySchema.optional(),
});
export type BuildkiteAnswers = z.infer<typeof buildkiteAnswers>;

/** The tags as the agent reads them: `k=v,k2=v2`. */
export function tagsValue(a: BuildkiteAnswers): string {
  return Object.entries(a.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
