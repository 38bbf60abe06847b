/**
 * The IPC channels of bundles, fleets, history and diagnostics, joined into the contract by
 * shared/ipc.ts. A function of the draft schema (ipc.ts owns it), so there is no import cycle.
 * Outputs never carry a secret: passphrases go in, never out; manifests hold checksums only.
 */
import { z } from 'zod';
import { manifestSchema } from './bundle';
import { historyEntrySchema } from './history';
import { PLATFORM_IDS } from './platforms';
import { STEP_IDS } from './platforms/types';

const pathSchema = z.string().trim().min(1, 'is required').max(4096);
/** A bundle passphrase: at least 8 characters. It is used, never stored or sent back. */
export const passphraseSchema = z.string().min(8, 'must have at least 8 characters').max(1024);
const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A fleet CSV as pasted or read (one row an agent). */
const fleetCsv = z.string().max(2_000_000);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');

const fixWords = { label: z.string().optional(), cli: z.string().optional() };
/** What a fix action is, as data (mirrors FixAction in platforms/types.ts). */
export const fixActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rotate-token'), platform: z.enum(PLATFORM_IDS), ...fixWords }),
  z.object({ kind: z.literal('switch-port'), port: z.number().int(), ...fixWords }),
  z.object({ kind: z.literal('open-step'), step: z.enum(STEP_IDS), pasteInto: z.string().optional(), ...fixWords }),
]);

export const diagnosisSchema = z.object({
  platform: z.enum(PLATFORM_IDS),
  failure: z.object({ id: z.string(), title: z.string(), cause: z.string(), fix: z.string(), action: fixActionSchema.optional() }),
  excerpt: z.string(),
});

/** One file of an opened bundle, with its checksum status and what unpacking would do to it. */
export const bundleFileStatusSchema = z.object({
  path: z.string(),
  size: z.number(),
  mode: z.number(),
  secret: z.boolean(),
  encrypted: z.boolean(),
  status: z.enum(['ok', 'mismatch', 'missing', 'locked']),
  target: z.enum(['create', 'overwrite', 'same']).optional(),
  /** SHA-256 of the file now in the target folder (null: none there), for bundle:import's expectedTargets. */
  targetSha256: z.string().nullable().optional(),
});

export const fleetAgentRowSchema = z.object({
  line: z.number(),
  name: z.string(),
  host: z.string().optional(),
  variant: z.string().nullable(),
  errors: z.array(z.string()),
});

export const fleetBundleSchema = z.object({
  name: z.string(),
  path: z.string(),
  status: z.enum(['created', 'failed', 'cancelled']),
  bytes: z.number().optional(),
  error: z.string().optional(),
  /** With a key pair per agent: its public key's fingerprint (SHA256:…). */
  fingerprint: z.string().optional(),
});

/** The channels, given the draft schema. */
export function bundleChannels<D extends z.ZodType>(draft: D) {
  /** What every fleet job starts from: the job, the draft, the CSV and the output folder. */
  const fleetJob = { jobId, draft, csv: fleetCsv, outDir: pathSchema };
  return {
    'bundle:export': {
      job: true as const,
      input: z.object({
        jobId,
        /** The wizard's files for this draft (generated again, same bytes), or a folder as it is. */
        source: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('draft'), draft }),
          z.object({
            kind: z.literal('folder'),
            dir: pathSchema,
            /** null: recognised from the folder's files. */
            platform: z.enum(PLATFORM_IDS).nullable().default(null),
            variant: z.string().max(64).nullable().default(null),
          }),
        ]),
        out: pathSchema,
        includePrivateKey: z.boolean().default(false),
        passphrase: passphraseSchema.optional(),
        /** The connectivity report as text. */
        report: z.string().max(1_000_000).optional(),
        overwrite: z.boolean().default(false),
      }),
      output: z.object({
        path: z.string(),
        bytes: z.number(),
        sha256: z.string(),
        manifest: manifestSchema,
        /** Files not packed: private keys left out, the file service's backups. */
        left: z.array(z.string()),
        /** The files packed as secret, and what makes each one secret (never the secret itself). */
        secretFiles: z.array(z.object({ path: z.string(), because: z.array(z.string()) })).default([]),
        /** The platform's warnings about the files packed (Platform.bundleWarnings), in sentences. */
        warnings: z.array(z.string()).default([]),
      }),
    },
    'bundle:inspect': {
      input: z.object({ file: pathSchema, passphrase: passphraseSchema.optional(), to: pathSchema.optional() }),
      output: z.object({
        manifest: manifestSchema,
        bytes: z.number(),
        /** SHA-256 of the bundle file as read: bundle:import takes it back to unpack exactly what was shown. */
        sha256: z.string(),
        ok: z.boolean(),
        files: z.array(bundleFileStatusSchema),
      }),
    },
    'bundle:import': {
      job: true as const,
      input: z
        .object({
          jobId,
          file: pathSchema,
          to: pathSchema,
          passphrase: passphraseSchema.optional(),
          overwrite: z.boolean().default(false),
          /** bundle:inspect's sha256: the import is refused (FILE_CHANGED) when the file now differs. */
          expectedBundleSha256: sha256Hex.optional(),
          /**
           * bundle:inspect's targetSha256 per file (null: it was not there): the import is refused
           * (FILE_CHANGED, nothing written) when a file in the folder is no longer what was shown.
           */
          expectedTargets: z.record(z.string().max(4096), sha256Hex.nullable()).optional(),
        })
        // An overwrite is approved for what inspect showed: without the hashes of the bundle and of
        // the files it replaces, a zip swapped in the meantime, or a file that appeared or changed
        // in the folder, would be overwritten without the user ever seeing it.
        .refine((i) => !i.overwrite || i.expectedBundleSha256 !== undefined, {
          message: 'is required when overwrite is true (the sha256 from bundle:inspect)',
          path: ['expectedBundleSha256'],
        })
        .refine((i) => !i.overwrite || i.expectedTargets !== undefined, {
          message: "is required when overwrite is true (each file's targetSha256 from bundle:inspect)",
          path: ['expectedTargets'],
        }),
      output: z.object({
        manifest: manifestSchema,
        written: z.array(z.object({ path: z.string(), status: z.enum(['created', 'updated', 'unchanged']), backupPath: z.string().optional() })),
      }),
    },
    'fleet:check': {
      input: z.object({ draft, csv: fleetCsv }),
      output: z.object({ columns: z.array(z.string()), problems: z.array(z.string()), agents: z.array(fleetAgentRowSchema) }),
    },
    'fleet:run': {
      job: true as const,
      input: z.object({
        ...fleetJob,
        includePrivateKey: z.boolean().default(false),
        passphrase: passphraseSchema.optional(),
        overwrite: z.boolean().default(false),
        /** SSH platforms: a new key pair for each agent (needs a passphrase: the keys travel in the bundles). */
        keyPerAgent: z.boolean().default(false),
      }),
      output: z.object({
        outDir: z.string(),
        created: z.number(),
        failed: z.number(),
        cancelled: z.number(),
        elapsedMs: z.number(),
        bundles: z.array(fleetBundleSchema),
        /** With a key pair per agent: public-keys.csv beside the bundles. */
        publicKeys: z.string().optional(),
      }),
    },
    /** The fleet as an Ansible project (install, verify, remove); secrets vault-encrypted, the password never stored. */
    'fleet:ansible': {
      job: true as const,
      input: z.object({
        ...fleetJob,
        vaultPassword: passphraseSchema,
        /** An install type of the platform's `ansible` list (default: the first). */
        installType: z.string().max(64).optional(),
        /** Folder everything goes under on each host ('' or absent: /); a CSV install_root cell overrides it. */
        installRoot: z.string().max(1024).optional(),
      }),
      output: z.object({
        outDir: z.string(),
        hosts: z.number(),
        files: z.number(),
        encrypted: z.number(),
        elapsedMs: z.number(),
        publicKeys: z.string().optional(),
      }),
    },
    'history:list': { input: z.object({}).strict(), output: z.object({ entries: z.array(historyEntrySchema) }) },
    'history:add': {
      input: z.object({ draft, bundlePath: pathSchema.optional(), agents: z.number().int().min(0).optional() }),
      output: z.object({ entry: historyEntrySchema }),
    },
    'history:reopen': { input: z.object({ id: z.string().max(80) }), output: z.object({ draft }) },
    'history:remove': { input: z.object({ id: z.string().max(80) }), output: z.object({ removed: z.boolean() }) },
    /** What the wizard wrote for this onboarding (its output folder), and what undo would do to each file now. */
    'history:files': {
      input: z.object({ id: z.string().max(80) }),
      output: z.object({
        outDir: z.string().optional(),
        files: z.array(
          z.object({
            path: z.string(),
            state: z.enum(['as-written', 'changed', 'missing']),
            action: z.enum(['move-aside', 'restore-backup', 'leave']),
            why: z.string(),
          }),
        ),
      }),
    },
    /**
     * Undoes what the wizard wrote for this onboarding: files still exactly as written are moved
     * aside (created ones) or get their backup back (changed ones); anything edited since is left.
     */
    'history:undo': {
      input: z.object({ id: z.string().max(80) }),
      output: z.object({
        results: z.array(z.object({ path: z.string(), done: z.enum(['moved-aside', 'restored', 'left']), detail: z.string(), keptAt: z.string().optional() })),
      }),
    },
    'diagnose:run': {
      input: z.object({ text: z.string().max(2_000_000), platform: z.enum(PLATFORM_IDS).optional() }),
      output: z.object({ diagnoses: z.array(diagnosisSchema) }),
    },
  };
}
