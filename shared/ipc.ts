/**
 * The IPC contract: the one place channels are declared. Each channel is `domain:verb`, takes one
 * object validated by its zod `input` schema, and answers a Result whose value matches `output`.
 * Channels marked `job: true` are long work: the caller passes a `jobId`, progress events go to
 * that caller only, and `job:cancel` aborts it. Types come from the schemas, so the renderer, the
 * preload, the dispatch and the CLI cannot drift apart.
 */
import { z } from 'zod';
import { STEP_IDS } from './platforms/types';
import type { Result } from './result';
import { configsChannels } from './configs-contract';
import { bundleChannels } from './bundle-contract';
import { credentialChannels } from './credentials-contract';
import { PLATFORM_IDS, platformChannels } from './platforms';
import { probeChannels, trustedCaTextSchema } from './probe-contract';
import { savedProxySchema } from './probe';
import { holdsNoSecret, keptReportSchema } from './probe-report';
import { rotateChannels } from './rotation';
import { installDraftSchema, remoteChannels } from './remote-contract';
import { tokenVerifyChannels } from './token-verify-contract';
import { boundedAnswersSchema } from './bounded-json';

/** A job id the renderer makes up (letters, digits, '-', '_'). */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A progress event of one job, sent only to the caller that started it. */
export const jobEventSchema = z.object({
  jobId: jobIdSchema,
  /** 0..1 when the work knows how far it is. */
  fraction: z.number().min(0).max(1).optional(),
  message: z.string(),
  /** Partial results (e.g. one probe row), shaped by the channel that started the job. */
  data: z.unknown().optional(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

/** The wizard's saved state. Never holds a secret: keys and tokens are referred to by id. */
export const draftSchema = z.object({
  platform: z.enum(PLATFORM_IDS).nullable(),
  variant: z.string().max(64).nullable(),
  step: z.enum(STEP_IDS),
  answers: boundedAnswersSchema,
  outDir: z.string().max(4096).optional(),
  /** Vault id of the credential (private key or token) chosen on the Credentials step. */
  credentialId: z.string().max(128).optional(),
  /** Pinned known_hosts line(s) from the Connectivity step (public data). */
  knownHosts: z.string().max(16384).optional(),
  /** The last connectivity check's report (public data), for the Export step and a reload. */
  connectivity: keptReportSchema.optional(),
  /** The Connectivity step's proxy choice (never its password), so a visit back finds it as it was. */
  proxy: savedProxySchema.optional(),
  /** CA certificates (PEM, public data) the Connectivity step trusts besides the system's. */
  trustedCa: trustedCaTextSchema.refine(holdsNoSecret, 'only certificates, never a private key').optional(),
  /** The bundle the Export step wrote for this onboarding (Done names it; another onboarding's is not this one's). */
  bundlePath: z.string().max(4096).optional(),
  /** The Install step's agent host (public data: where, who, the key's path, its pin) and what was installed there. */
  install: installDraftSchema.optional(),
});
export type Draft = z.infer<typeof draftSchema>;

const empty = z.object({}).strict();

/** One channel's schemas. */
export interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
  job?: true;
}

export const contract = {
  'app:info': {
    input: empty,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      secretStorage: z.boolean(),
    }),
  },
  'draft:load': { input: empty, output: draftSchema.nullable() },
  'draft:save': { input: draftSchema, output: z.object({ savedAt: z.string() }) },
  'draft:clear': { input: empty, output: z.object({}) },
  'job:cancel': { input: z.object({ jobId: jobIdSchema }), output: z.object({ cancelled: z.boolean() }) },
  ...configsChannels,
  ...bundleChannels(draftSchema),
  ...credentialChannels,
  ...platformChannels,
  ...probeChannels,
  ...rotateChannels,
  ...remoteChannels(draftSchema),
  ...tokenVerifyChannels,
} satisfies Record<string, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.infer<Contract[C]['output']>;

/** The channel names, for the preload's allow-list. */
export const CHANNELS = Object.keys(contract) as Channel[];

/** True when `name` is a declared channel. */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the renderer sees as `window.api`, in Electron (preload) and browser mode alike. */
export interface Api {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** Subscribes to this window's job events; returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  /**
   * Electron only: where a file the user dropped or picked lives ('' when unknown). Browsers never
   * tell, so browser mode has no such function.
   */
  pathForFile?(file: unknown): string;
}
