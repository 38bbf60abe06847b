/**
 * The IPC channels of the Install step (install on the agent host over SSH, watch it come online,
 * undo), joined into the contract by shared/ipc.ts. The login key never crosses: the renderer
 * names a key FILE (read in main) or the ssh-agent, and the key's bytes and passphrase stay in
 * main. The plan is kept in main under a plan id, with the files it uploads (they hold the agent's
 * private key or token), so `remote:install` carries out exactly the plan the user confirmed.
 */
import { z } from 'zod';
import { proxySpecSchema, sshUserSchema } from './probe/schema';
import { trustedCaTextSchema } from './probe-contract';
import { hostSchema, portSchema } from './validate';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A read-only vendor token kept in main for the vendor-side check, by reference (the token itself never comes back). */
export const vendorRefSchema = z.string().regex(/^vt-[0-9a-f]{16}$/);

/** Known_hosts text with the agent host's pin (public data). */
const knownHostsText = z.string().max(16384);

/** How main logs in: a private key file on this machine (path), or the running ssh-agent. */
export const loginKeySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().trim().min(1, 'give the path of the private key file').max(4096) }).strict(),
  z.object({ kind: z.literal('agent') }).strict(),
]);
export type LoginKey = z.infer<typeof loginKeySchema>;

/** Where the agent host is and how to log in. */
export const hostLoginSchema = z
  .object({
    host: hostSchema,
    port: portSchema,
    user: sshUserSchema,
    key: loginKeySchema,
    /** The pinned key(s) of the agent host: its key is checked before anything is sent. */
    knownHosts: knownHostsText,
  })
  .strict();
export type HostLogin = z.infer<typeof hostLoginSchema>;

/** The install root on the host ('/' by default): absolute, without '..'. */
export const prefixSchema = z
  .string()
  .trim()
  .max(1024)
  .refine((p) => p.startsWith('/') && !p.split('/').includes('..'), 'must be an absolute path on the host (from /), without ..');

const hopIdSchema = z.enum(['ssh', 'files', 'started', 'stayed-up', 'registered', 'connected', 'vendor']);
export const hopReportSchema = z.object({
  hop: hopIdSchema,
  state: z.enum(['passed', 'failed', 'waiting', 'holding', 'pending', 'not-checked']),
  detail: z.string(),
  line: z.string().optional(),
});
export type HopReportView = z.infer<typeof hopReportSchema>;

export const installPlanSchema = z.object({
  platform: z.string(),
  variant: z.string(),
  title: z.string(),
  prefix: z.string(),
  asRoot: z.boolean(),
  /** Files go into place with sudo -n from a private staging folder. */
  sudo: z.boolean(),
  runsAs: z.string(),
  dirs: z.array(z.object({ path: z.string(), mode: z.number(), exists: z.boolean() })),
  files: z.array(
    z.object({
      from: z.string(),
      target: z.string(),
      mode: z.number(),
      secret: z.boolean(),
      owner: z.string(),
      replaces: z.enum(['nothing', 'same bytes', 'a different file']),
    }),
  ),
  commands: z.array(z.object({ phase: z.enum(['prepare', 'stop', 'start']), title: z.string(), command: z.string() })),
  freeBytes: z.number().optional(),
  needBytes: z.number(),
  notes: z.array(z.string()),
});
export type InstallPlanView = z.infer<typeof installPlanSchema>;

const hostCommandSchema = z.object({
  title: z.string().max(300),
  command: z.string().max(4096),
  privileged: z.boolean().optional(),
  mayFail: z.boolean().optional(),
});

/** What an install did on the host (public: paths, modes, hashes): what undo works from. The CLI's --undo file holds the same. */
export const installRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  at: z.string().max(64),
  host: z.string().max(255),
  port: z.number(),
  user: z.string().max(64),
  prefix: z.string().max(1024),
  platform: z.string().max(64),
  variant: z.string().max(64),
  files: z
    .array(
      z.object({
        target: z.string().startsWith('/'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        mode: z.number(),
        backup: z.string().startsWith('/').optional(),
      }),
    )
    .max(1000),
  dirsCreated: z.array(z.string().startsWith('/')).max(1000),
  /** Placed with sudo -n by a login user that is not root (undo uses sudo -n too). */
  sudo: z.boolean().optional(),
  stop: z.array(hostCommandSchema).max(20),
  agentMade: z.array(z.string().startsWith('/')).max(100),
  where: z.unknown(),
});
export type InstallRecordView = z.infer<typeof installRecordSchema>;

/**
 * The Install step's state in the draft, as typed (checked when used): public data only — the
 * key's path, never the key; the agent host's pin; the record of the last install there.
 */
export const installDraftSchema = z
  .object({
    host: z.string().max(255),
    port: z.string().max(8),
    user: z.string().max(64),
    key: z.enum(['file', 'agent']),
    keyPath: z.string().max(4096),
    prefix: z.string().max(1024),
    knownHosts: knownHostsText,
    record: installRecordSchema,
    /** Seen online at the end of the last install or check. */
    online: z.boolean(),
    /** The hops as the last install or check saw them (without log lines), for the Done step. */
    hops: z.array(hopReportSchema.omit({ line: true })).max(20),
    /** The agent's resolved name, when its log said it. */
    name: z.string().max(255),
  })
  .partial()
  .strict();
export type InstallDraft = z.infer<typeof installDraftSchema>;

/** The hops as the draft keeps them: no log line (a draft is saved to disk as typed). */
export function hopsForDraft(hops: HopReportView[]): NonNullable<InstallDraft['hops']> {
  return hops.slice(0, 20).map(({ hop, state, detail }) => ({ hop, state, detail: detail.slice(0, 2000) }));
}

/** The key the host presented, and whether it is the pinned one. */
export const presentedKeySchema = z.object({
  type: z.string(),
  fingerprint: z.string(),
  /** The known_hosts line that pins it. */
  line: z.string(),
  pinned: z.enum(['yes', 'no', 'mismatch']),
});

/** What the Install step shows before any host is asked: can this install type be installed from here? */
/** What the Install step installs (the contract's `source`). */
export type InstallSource = { kind: 'draft'; draft: unknown } | { kind: 'bundle'; file: string; passphrase?: string | undefined; sha256?: string | undefined };

export const installSupportSchema = z.discriminatedUnion('supported', [
  z.object({ supported: z.literal(true), title: z.string() }),
  z.object({
    supported: z.literal(false),
    reason: z.string(),
    hint: z.string().optional(),
    /** The commands to run by hand on the host, as the Configs step lists them. */
    commands: z.array(z.object({ title: z.string(), command: z.string(), os: z.string().optional() })),
    notes: z.array(z.string()),
  }),
]);

/** Progress data of `remote:install` and `remote:verify` (one per event). */
export type RemoteEventData = { kind: 'output'; text: string } | { kind: 'hops'; hops: HopReportView[]; leftMs: number; timeoutMs: number; name?: string };

export const watchResultSchema = z.object({
  online: z.boolean(),
  hops: z.array(hopReportSchema),
  name: z.string().optional(),
});

/** The channels, given the draft schema (ipc.ts owns it; a function, so there is no import cycle). */
export function remoteChannels<D extends z.ZodType>(draft: D) {
  /**
   * What is installed: the wizard's files for a draft (generated again in main), or a bundle file
   * from the Bundles page (opened in main; its passphrase, when its secrets are encrypted, as the
   * bundle channels take it; `sha256` from bundle:inspect: a bundle changed since is refused).
   */
  const source = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('draft'), draft }).strict(),
    z
      .object({
        kind: z.literal('bundle'),
        file: z.string().trim().min(1, 'is required').max(4096),
        passphrase: z.string().min(8, 'must have at least 8 characters').max(1024).optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      })
      .strict(),
  ]);
  const sourceRef = z.object({ source });
  return {
    /**
     * Whether the draft's install type is installed from here (its platform has a host recipe for
     * the variant); if not, why and the commands to run by hand. Generates the files in main.
     */
    'remote:support': { input: sourceRef.extend({ prefix: prefixSchema.optional() }).strict(), output: installSupportSchema },
    /**
     * The agent host's key, read in the key exchange (nothing of ours is sent: no user, no key),
     * compared with the pins given. The user confirms a new one before pinning it.
     */
    'remote:host-key': {
      input: z.object({ jobId, host: hostSchema, port: portSchema, knownHosts: knownHostsText }).strict(),
      output: presentedKeySchema,
      job: true as const,
    },
    /**
     * Logs in (host key verified first), reads the host and answers the plan: each file with its
     * target, mode and what it replaces, each command (sudo -n where root is needed). Changes
     * nothing. The plan and its files stay in main under `planId` for `remote:install`.
     */
    'remote:plan': {
      input: sourceRef.extend({ jobId, login: hostLoginSchema, prefix: prefixSchema }).strict(),
      output: z.object({ planId: z.string(), plan: installPlanSchema, hostKey: z.string() }),
      job: true as const,
    },
    /**
     * Carries out a confirmed plan, then watches the agent come online hop by hop within
     * `timeoutMs`. Progress data: RemoteEventData (command output, the hops with the time left).
     * A failure is answered as a value (online false, the failed hop, what is in place now) when
     * the install got as far as the host; the record is there whenever something was created.
     */
    'remote:install': {
      input: z
        .object({
          jobId,
          planId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
          timeoutMs: z.number().int().min(5_000).max(600_000),
          vendorRef: vendorRefSchema.optional(),
        })
        .strict(),
      output: watchResultSchema.extend({
        record: installRecordSchema.optional(),
        /** When the install itself failed: what happened, files now in place, temp files left. */
        failure: z
          .object({ code: z.string(), message: z.string(), hint: z.string().optional(), inPlace: z.array(z.string()), leftovers: z.array(z.string()) })
          .optional(),
      }),
      job: true as const,
    },
    /** Checks again whether an installed agent is online (its log and service state on the host). */
    'remote:verify': {
      input: z
        .object({
          jobId,
          login: hostLoginSchema,
          platform: z.string().max(64),
          prefix: prefixSchema,
          timeoutMs: z.number().int().min(0).max(600_000),
          vendorRef: vendorRefSchema.optional(),
        })
        .strict(),
      output: watchResultSchema,
      job: true as const,
    },
    /**
     * The optional vendor-side confirmation: a separate read-only token (Buildkite read_agents,
     * Harness core_delegate_view, a Bamboo PAT, GitLab read_api…) pasted for this check alone. Main
     * keeps it in memory for this window (never in the draft, the store or beside the agent token)
     * and answers a reference that `remote:install` / `remote:verify` take; the vendor is asked, with
     * the platform's documented requests, about the agent's resolved name once the log proved it,
     * through the proxy and company CA given here (as the token check with the vendor does).
     */
    'remote:vendor-token': {
      input: z
        .object({
          platform: z.string().max(64),
          baseUrl: z
            .string()
            .trim()
            .url('must be a URL, like https://api.buildkite.com')
            .max(2048)
            .refine((u) => /^https?:\/\//i.test(u), 'must start with https:// (or http:// for a server on this network)'),
          token: z.string().trim().min(8, 'paste the read-only token (at least 8 characters)').max(4096),
          scope: z.string().trim().max(256).optional(),
          /** The way to the vendor, as the Connectivity step set it (default: the environment's proxy). */
          proxy: proxySpecSchema.optional(),
          /** Company CA certificates (PEM or DER text) trusted besides the system's. */
          trustedCa: trustedCaTextSchema.optional(),
        })
        .strict(),
      output: z.object({ vendorRef: vendorRefSchema, needs: z.string() }),
    },
    /** What undo of a record would do on the host (changes nothing). */
    'remote:undo-plan': {
      input: z.object({ jobId, login: hostLoginSchema, record: installRecordSchema }).strict(),
      output: z.object({
        stop: z.array(z.string()),
        steps: z.array(z.object({ path: z.string(), action: z.string(), to: z.string().optional(), from: z.string().optional() })),
        asideDir: z.string(),
        dirs: z.array(z.string()),
        sudo: z.boolean().optional(),
      }),
      job: true as const,
    },
    /** Undoes an install on the host: stop, restore what it replaced, move what it created aside. */
    'remote:undo': {
      input: z.object({ jobId, login: hostLoginSchema, record: installRecordSchema }).strict(),
      output: z.object({
        done: z.array(z.object({ path: z.string(), action: z.string(), to: z.string().optional() })),
        dirsRemoved: z.array(z.string()),
        asideDir: z.string(),
      }),
      job: true as const,
    },
  } as const;
}
