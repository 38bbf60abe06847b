/**
 * The IPC channels of the Configs step, joined into the contract by shared/ipc.ts: preview what a
 * platform's generator would write into a folder (with a diff against what is there), then write
 * exactly that. Outputs never carry a secret: secret files come back without text and with a
 * redacted diff.
 */
import { trustedCaTextSchema } from './probe-contract';
import { holdsNoSecret } from './probe-report';
import { z } from 'zod';
import { PLATFORM_IDS } from './platforms';
import { boundedAnswersSchema } from './bounded-json';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** What to generate and where: the same for the preview and the write. */
export const configsRequestSchema = z.object({
  platform: z.enum(PLATFORM_IDS),
  variant: z.string().min(1).max(64),
  /** The Details answers (the renderer's form shaped by formToAnswers); parsed by the platform. */
  answers: boundedAnswersSchema,
  /** Vault id of the credential from the Credentials step. */
  credentialId: z.string().max(128).optional(),
  /** Pinned known_hosts line(s) (public data). */
  knownHosts: z.string().max(16384).optional(),
  /** Absolute folder on the machine running the app (`~/` is the user's home). */
  outDir: z.string().trim().min(1, 'is required').max(4096),
  /** The company CA the Connectivity step trusted (PEM, public): generators that can, install it. */
  trustedCa: trustedCaTextSchema.refine(holdsNoSecret, 'only certificates, never a private key').optional(),
});

export const plannedFileSchema = z.object({
  path: z.string(),
  status: z.enum(['create', 'update', 'same']),
  mode: z.number().int(),
  secret: z.boolean(),
  description: z.string().optional(),
  /** The new file's text; absent for secrets. */
  text: z.string().optional(),
  /** Unified diff against the file on disk; a placeholder for secrets. */
  diff: z.string(),
  /** Hash of the file on disk when previewed (null: it does not exist). */
  currentSha256: sha256Schema.nullable(),
});
export type PlannedFileView = z.infer<typeof plannedFileSchema>;

export const commandSchema = z.object({ title: z.string(), command: z.string(), os: z.enum(['linux', 'macos', 'windows']).optional() });

/** A pinned host key as the user should compare it with the vendor's fingerprint. */
export const hostKeyViewSchema = z.object({ host: z.string(), type: z.string(), fingerprint: z.string() });

export const configsPlanSchema = z.object({
  /** The folder, resolved to an absolute path. */
  outDir: z.string(),
  files: z.array(plannedFileSchema),
  commands: z.array(commandSchema),
  notes: z.array(z.string()),
  hostKeys: z.array(hostKeyViewSchema),
  /** How to take this install away again later. */
  removal: z.object({ commands: z.array(commandSchema), notes: z.array(z.string()) }).optional(),
  /** Identifies exactly what was previewed; the write refuses when it would write anything else. */
  planHash: sha256Schema,
});
export type ConfigsPlan = z.infer<typeof configsPlanSchema>;

export const writtenFileSchema = z.object({
  path: z.string(),
  status: z.enum(['created', 'updated', 'unchanged']),
  backupPath: z.string().optional(),
});

/** The channels. */
export const configsChannels = {
  'configs:plan': { input: configsRequestSchema, output: configsPlanSchema },
  'configs:write': {
    input: configsRequestSchema.extend({
      jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      planHash: sha256Schema,
      /** Path → the hash each file had when previewed (null: it did not exist). */
      expected: z.record(z.string(), sha256Schema.nullable()),
    }),
    output: z.object({ outDir: z.string(), files: z.array(writtenFileSchema) }),
    job: true as const,
  },
};
