/** Bamboo elastic agents on EC2 blocked by IMDSv2 service control policies (reference/platforms.md §3). */
import { z } from 'zod';
import { doc } from '../answers-doc';
import type { Platform } from '../types';
import { BAMBOO_ELASTIC_FAILURES } from './failures';
import { bambooCaNotes } from '../bamboo-remote/ca';

export { parsePolicy, type ParsedPolicy } from './policy';
export { parseFailureText, principalArnKey, type FailureFacts } from './failure-text';
export { exemptPrincipal } from './exemption';

export const bambooElasticAnswers = z.object({
  principalArn: z
    .string()
    .trim()
    .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/, 'must be an IAM role or user ARN')
    .meta(
      doc(
        'The IAM user or role of the AWS access configured in Elastic Bamboo (a role session ARN from an error message works too).',
        'arn:aws:iam::123456789012:role/bamboo-elastic',
      ),
    ),
  httpTokens: z
    .enum(['required', 'optional', 'absent'])
    .default('optional')
    .meta(doc("The instance metadata HttpTokens setting Bamboo's launches carry (absent: not set at all).", 'required')),
  hopLimit: z.coerce.number().int().min(1).max(64).default(1).meta(doc('HttpPutResponseHopLimit, 1 to 64; containers on the instance need 2.', 2)),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region like us-east-1')
    .default('us-east-1')
    .meta(doc('The AWS region the elastic agents launch in.', 'eu-west-1')),
  policies: z
    .array(z.string())
    .default([])
    .meta(doc('The service control policies (JSON documents, as text) to analyse.', ['{"Version":"2012-10-17","Statement":[]}'])),
});
export type BambooElasticAnswers = z.infer<typeof bambooElasticAnswers>;

export const bambooElastic: Platform<BambooElasticAnswers> = {
  id: 'bamboo-elastic',
  name: 'Bamboo elastic agents (EC2)',
  summary: 'Find why EC2 elastic agents fail to start under IMDSv2 service control policies, and fix it.',
  docs: [
    { title: 'Configure instance metadata options', url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html' },
  ],
  variants: [{ id: 'scp', name: 'Service control policy analysis' }],
  steps: ['platform', 'details', 'configs', 'export', 'done'],
  fields: [
    {
      key: 'principalArn',
      label: 'Principal ARN Bamboo uses',
      kind: 'text',
      required: true,
      placeholder: 'arn:aws:iam::123456789012:role/bamboo-elastic',
      help: 'The IAM user or role of the AWS access configured in Elastic Bamboo (a role session ARN from an error message works too).',
    },
    {
      key: 'httpTokens',
      label: 'Instance metadata HttpTokens',
      kind: 'select',
      default: 'optional',
      options: [
        { value: 'optional', label: 'optional (IMDSv1 allowed)' },
        { value: 'required', label: 'required (IMDSv2 only)' },
        { value: 'absent', label: 'not sent (the launch sets no metadata options)' },
      ],
    },
    { key: 'hopLimit', label: 'Metadata hop limit', kind: 'number', default: '1', help: 'HttpPutResponseHopLimit, 1–64; containers on the instance need 2.' },
    { key: 'region', label: 'AWS region', kind: 'text', default: 'us-east-1' },
  ],
  answers: bambooElasticAnswers,
  credential: { kind: 'none' },
  analysis: true,
  endpoints: () => [],
  updaters: [],
  failures: BAMBOO_ELASTIC_FAILURES,
  // An analysis of AWS policies: nothing runs, so nothing comes online.
  online: [],
  caNotes: bambooCaNotes,
};
