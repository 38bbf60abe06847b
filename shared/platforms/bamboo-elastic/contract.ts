/**
 * The IPC channel of Bamboo elastic agents, joined into the contract by the registry
 * (shared/platforms/index.ts): `scp:check` evaluates service control policies (a job: it runs
 * many simulations).
 */
import { z } from 'zod';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** IAM role/user or STS assumed-role ARN. */
export const principalArnSchema = z
  .string()
  .trim()
  .max(2048)
  .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/, 'must be an IAM role or user ARN, like arn:aws:iam::123456789012:role/bamboo-elastic');

export const httpTokensSchema = z.enum(['required', 'optional', 'absent']);
export type HttpTokens = z.infer<typeof httpTokensSchema>;

/** What to evaluate: the SCPs, who launches, and the instance metadata settings of the launch. */
export const scpCheckRequestSchema = z.object({
  policies: z
    .array(z.object({ name: z.string().trim().min(1).max(128), text: z.string().max(200_000) }))
    .min(1, 'paste at least one service control policy')
    .max(20),
  principalArn: principalArnSchema,
  /** `absent`: the launch request does not set HttpTokens (as the decoded failure may show). */
  httpTokens: httpTokensSchema,
  hopLimit: z.coerce.number().int().min(1).max(64),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region like us-east-1')
    .default('us-east-1'),
});
export type ScpCheckRequest = z.input<typeof scpCheckRequestSchema>;

/** One condition of a deciding statement, as evaluated. */
export const conditionViewSchema = z.object({
  operator: z.string(),
  key: z.string(),
  policyValues: z.array(z.string()),
  /** The request's value of the key; null when the request does not carry it. */
  requestValue: z.string().nullable(),
  matched: z.boolean(),
  /** In words, e.g. `StringNotEquals ec2:MetadataHttpTokens "required": the request has "optional"`. */
  summary: z.string(),
});

/** A statement that decided a denial. */
export const decidingStatementSchema = z.object({
  policy: z.string(),
  /** 1-based index in its policy. */
  statementIndex: z.number().int(),
  sid: z.string().optional(),
  effect: z.string(),
  conditions: z.array(conditionViewSchema),
  summary: z.string(),
});
export type DecidingStatement = z.infer<typeof decidingStatementSchema>;

/** The verdict for one action and resource type. */
export const resourceVerdictSchema = z.object({
  resourceType: z.string(),
  resource: z.string(),
  verdict: z.enum(['allowed', 'denied', 'implicitly-denied']),
  deciding: z.array(decidingStatementSchema),
});

export const actionVerdictSchema = z.object({
  action: z.string(),
  verdict: z.enum(['allowed', 'denied']),
  resources: z.array(resourceVerdictSchema),
  /** One line: what decided it. */
  summary: z.string(),
});
export type ActionVerdict = z.infer<typeof actionVerdictSchema>;

const commandView = z.object({ title: z.string(), command: z.string() });

export const scpReportSchema = z.object({
  principalArn: z.string(),
  /** The value aws:PrincipalArn has for it (a role session becomes its role). */
  principalArnKey: z.string(),
  account: z.string(),
  region: z.string(),
  settings: z.object({ httpTokens: httpTokensSchema, hopLimit: z.number().int() }),
  /** Launching (ec2:RunInstances) is allowed or denied; ModifyInstanceMetadataOptions is reported beside it. */
  verdict: z.enum(['allowed', 'denied']),
  actions: z.array(actionVerdictSchema),
  assumptions: z.array(z.string()),
  warnings: z.array(z.string()),
  fixes: z.object({
    imdsv2: z
      .object({
        works: z.boolean(),
        httpTokens: z.literal('required'),
        hopLimit: z.number().int(),
        summary: z.string(),
        risk: z.string(),
        /** What still denies when it does not work. */
        stillDeciding: z.array(decidingStatementSchema),
        commands: z.array(commandView),
      })
      .optional(),
    exemption: z
      .object({
        works: z.boolean(),
        principalPattern: z.string(),
        /** Bamboo's principal is allowed with the edited policies (current metadata settings). */
        exemptAllowed: z.boolean(),
        /** Another principal of the account is still denied. */
        othersDenied: z.boolean(),
        otherPrincipal: z.string(),
        policies: z.array(z.object({ name: z.string(), statements: z.array(z.number().int()), text: z.string(), diff: z.string() })),
        summary: z.string(),
        risk: z.string(),
        commands: z.array(commandView),
      })
      .optional(),
  }),
});
export type ScpReport = z.infer<typeof scpReportSchema>;

/** The channels. */
export const bambooElasticChannels = {
  'scp:check': { input: scpCheckRequestSchema.extend({ jobId }), output: scpReportSchema, job: true as const },
};
