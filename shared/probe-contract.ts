/**
 * The IPC channels of the Connectivity step, joined into the contract by shared/ipc.ts. The
 * private key travels only as a vault id; proxy passwords go in but never come back out.
 */
import { z } from 'zod';
import { fingerprintSchema, probeEndpointSchema, probeRunSchema, proxySpecSchema, sshUserSchema, trustedCaSchema } from './probe';
import { portSchema } from './validate';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Pasted or loaded CA certificates (PEM): public data, at most 256 KiB. */
export const trustedCaTextSchema = z.string().max(256 * 1024);

/** Input of `probe:run`. */
export const probeRunInputSchema = z.object({
  jobId,
  /** The platform's endpoints plus the ones the user added. */
  endpoints: z.array(probeEndpointSchema).min(1, 'add at least one endpoint').max(64),
  /** Limit of each step in ms (default 5000). */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** Vault id of the SSH private key (from the Credentials step): enables the auth and forward checks. */
  credentialId: z.string().max(128).optional(),
  sshUser: sshUserSchema.optional(),
  /** Remote ports the agent will forward (tcpip-forward, released right after). */
  forwardPorts: z.array(portSchema).max(16).optional(),
  /** '' = all interfaces, as the agent's `-R *:PORT:…`; 'localhost' as a plain `-R PORT:…`. */
  forwardBind: z.enum(['', 'localhost']).optional(),
  /** Host key fingerprints the SSH endpoints must show. */
  expectedFingerprints: z.array(fingerprintSchema).max(16).optional(),
  /** Pinned known_hosts lines (draft.knownHosts): a different key is HOST_KEY_MISMATCH. */
  knownHosts: z.string().max(16384).optional(),
  proxy: proxySpecSchema.optional(),
  /** PEM of CA certificates to trust besides the system's (a company CA; see probe:read-ca). */
  trustedCa: trustedCaTextSchema.optional(),
});

export const probeChannels = {
  /**
   * Probes every endpoint in parallel (a job). Emits one progress event per finished endpoint
   * with its EndpointResult as `data` (the live table); answers the whole run. Final verdicts
   * may refine a row once (run-wide interception rule): the answer is authoritative.
   */
  'probe:run': { job: true, input: probeRunInputSchema, output: probeRunSchema },
  /**
   * Reads CA certificates the user pasted or chose (PEM text) and says what each one is, so the
   * user sees what they are about to trust; `pem` is the certificates alone, re-encoded (what the
   * draft keeps). BAD_INPUT when it is not a certificate (a private key above all: refused,
   * never echoed).
   */
  'probe:read-ca': { input: z.object({ text: trustedCaTextSchema }).strict(), output: z.object({ certificates: z.array(trustedCaSchema), pem: z.string() }) },
  /** The proxy settings this process sees in its environment (passwords removed). */
  'probe:proxy-env': {
    input: z.object({}).strict(),
    output: z.object({ httpsProxy: z.string().optional(), httpProxy: z.string().optional(), noProxy: z.string().optional() }),
  },
} as const;
