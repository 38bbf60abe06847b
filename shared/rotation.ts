/**
 * The shapes of a token rotation as the renderer and the CLI see them: what was found in each
 * file (with a diff whose token values are masked), the commands to restart and verify, and the
 * checklist for revoking the old token. Nothing here ever holds a token.
 */
import { z } from 'zod';
import { PLATFORM_IDS } from './platforms';

/** Paths and dropped files to search, for one platform. */
export const rotateScanInputSchema = z
  .object({
    platform: z.enum(PLATFORM_IDS),
    /** Files or folders on this machine; a folder is searched for the files the platform knows. */
    paths: z.array(z.string().min(1).max(4096)).max(200).default([]),
    /** Files dropped into the page (content only: browsers do not give their location). */
    uploads: z
      .array(z.object({ name: z.string().min(1).max(255), text: z.string().max(2_000_000) }))
      .max(50)
      .default([]),
    /** The folder the dropped files live in, so they can be edited in place. */
    uploadDir: z.string().max(4096).optional(),
    /** The new token, pasted … */
    token: z.string().max(8192).optional(),
    /** … or the vault id of one from the Credentials step. */
    tokenId: z.string().max(128).optional(),
  })
  .refine((v) => v.paths.length > 0 || v.uploads.length > 0, { message: 'give at least one file or folder', path: ['paths'] })
  .refine((v) => Boolean(v.token) !== Boolean(v.tokenId), { message: 'give the new token or the id of a stored one (one of them)', path: ['token'] });
export type RotateScanInput = z.input<typeof rotateScanInputSchema>;

export const FINDING_STATUSES = ['change', 'same', 'no-token', 'refused', 'unknown', 'unreadable', 'preview-only'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

const commandSchema = z.object({ title: z.string(), command: z.string(), os: z.enum(['linux', 'macos', 'windows']).optional(), file: z.string().optional() });

export const findingSchema = z.object({
  /** Absolute path (or, for a dropped file without a folder, its name). */
  path: z.string(),
  updater: z.object({ id: z.string(), name: z.string() }).optional(),
  status: z.enum(FINDING_STATUSES),
  changes: z.array(z.object({ line: z.number().int(), what: z.string() })),
  notes: z.array(z.string()),
  /** Unified diff with every token value shown as «old token» / «new token». */
  diff: z.string(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** A file that still holds an old token value, where, and what to do about it. */
export const leftoverSchema = z.object({
  path: z.string(),
  /** 1-based lines holding an old value. */
  lines: z.array(z.number().int()),
  /** What to change by hand, in words. */
  hint: z.string(),
});
export type Leftover = z.infer<typeof leftoverSchema>;

export const rotationPlanSchema = z.object({
  planId: z.string(),
  platform: z.enum(PLATFORM_IDS),
  files: z.array(findingSchema),
  /** Files in the searched folders that hold nothing this platform knows. */
  ignored: z.number().int(),
  /** True when applying would write something and nothing blocks it. */
  ready: z.boolean(),
  /** Why it is not ready (empty when ready). */
  problems: z.array(z.string()),
  /** What the token check said (kind, cleaning done), never the token. */
  token: z.object({ kindName: z.string(), message: z.string(), cleaned: z.array(z.string()), masked: z.string() }),
  commands: z.array(commandSchema),
  revoke: z.array(z.string()),
  /**
   * Files in the searched folders that would still hold an old token value after the plan is
   * written (raw or base64): revoking the old token would break them. Never holds a value.
   */
  leftovers: z.array(leftoverSchema).default([]),
});
export type RotationPlan = z.infer<typeof rotationPlanSchema>;

export const rotationReportSchema = z.object({
  platform: z.enum(PLATFORM_IDS),
  files: z.array(
    z.object({
      path: z.string(),
      status: z.enum(['updated', 'unchanged']),
      backupPath: z.string().optional(),
      changes: z.array(z.object({ line: z.number().int(), what: z.string() })),
    }),
  ),
  commands: z.array(commandSchema),
  revoke: z.array(z.string()),
  /** The plan's leftovers, again: files still holding an old token value. */
  leftovers: z.array(leftoverSchema).default([]),
  /** SHA-256 of the new token, for the verify commands that print one. */
  tokenSha256: z.string(),
});
export type RotationReport = z.infer<typeof rotationReportSchema>;

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * The rotation channels, joined into the contract by shared/ipc.ts: `rotate:scan` finds the token
 * in the given files/folders and previews the edits (the plan is kept in the main process under
 * its planId); `rotate:apply` writes that plan (a job).
 */
export const rotateChannels = {
  'rotate:scan': { input: rotateScanInputSchema, output: rotationPlanSchema },
  'rotate:apply': { input: z.object({ jobId, planId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }), output: rotationReportSchema, job: true as const },
};
