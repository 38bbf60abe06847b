/** What the Harness delegate generators need, validated so no value can break a file. */
import { z } from 'zod';
import { httpUrlSchema, noProxySchema } from '../../validate';
import { doc } from '../answers-doc';

const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const harnessAnswers = z.object({
  accountId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-"')
    .meta(doc('Your Harness account ID (Account Settings → Overview).', 'px7xd_BFRCi-pfWPYXVjvw')),
  managerEndpoint: httpUrlSchema
    .default('https://app.harness.io')
    .meta(doc('The manager URL shown on the delegate install page.', 'https://app.harness.io/gratis'))
    .transform((v) => v.replace(/\/+$/, '')),
  delegateName: z
    .string()
    .trim()
    .regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .meta(doc('The delegate name: lower-case letters, digits and "-".', 'my-delegate')),
  imageTag: z
    .string()
    .trim()
    // No default: the tag must be the one the user's Harness account offers, never one assumed here.
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag like 26.02.88404')
    .meta(doc('The delegate image version from the delegate install page (avoid "latest").', '26.02.88404')),
  namespace: z
    .string()
    .trim()
    .regex(K8S_NAME, 'lower-case letters, digits and "-" (a Kubernetes name)')
    .default('harness-delegate-ng')
    .meta(doc('The Kubernetes namespace (kubernetes and helm variants).', 'harness-delegate-ng')),
  proxyUrl: httpUrlSchema.optional().meta(doc('The HTTP proxy the delegate goes through, without credentials.', 'http://proxy.internal:3128')),
  noProxy: noProxySchema
    .optional()
    .meta(doc('Hosts, domain suffixes or IP addresses reached without the proxy, separated by commas.', '.corp.example,10.0.0.5')),
  tags: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_. ,-]*$/, 'tags are letters, digits, "_", "." and "-", separated by commas')
    .optional()
    .meta(doc('Delegate tags, separated by commas; pipelines select delegates by tag.', 'prod, linux')),
  ecsCluster: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, 'an ECS cluster name (letters, digits, "_" and "-")')
    .default('default')
    .meta(doc('The ECS cluster (ecs variant).', 'default')),
});
export type HarnessAnswers = z.infer<typeof harnessAnswers>;
