/** What the Harness delegate generators need, validated so no value can break a file. */
import { z } from 'zod';
import { httpUrlSchema, noProxySchema } from '../../validate';

const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const harnessAnswers = z.object({
  accountId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-"'),
  managerEndpoint: httpUrlSchema.default('https://app.harness.io').transform((v) => v.replace(/\/+$/, '')),
  delegateName: z.string().trim().regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)'),
  imageTag: z
    .string()
    .trim()
    // No default: the tag must be the one the user's Harness account offers, never one assumed here.
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag like 26.02.88404'),
  namespace: z.string().trim().regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)').default('harness-delegate-ng'),
  proxyUrl: httpUrlSchema.optional(),
  noProxy: noProxySchema.optional(),
  tags: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_. ,-]*$/, 'tags are letters, digits, "_", "." and "-", separated by commas')
    .optional(),
  ecsCluster: z.string().trim().regex(/^[A-Za-z0-9_-]{1,255}$/, 'an ECS cluster name (letters, digits, "_" and "-")').default('default'),
});
export type HarnessAnswers = z.infer<typeof harnessAnswers>;
