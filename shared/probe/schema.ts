/**
 * What a probe is asked (endpoints, proxy, trusted CA) and what comes back (one result per
 * endpoint with every step tested): the zod schemas the IPC contract and the CLI's --json share.
 */
import { z } from 'zod';
import { clockFactsSchema } from '../clock-skew';
import { hostSchema, portSchema } from '../validate';
import { isVendorService } from '../vendor-answers';
import { VERDICT_CODES, WARNING_CODES } from './verdicts';

/** How an endpoint is probed. 'auto' listens for an SSH banner first, then tries TLS, then plain TCP. */
export const PROBE_PROTOCOLS = ['auto', 'ssh', 'tls', 'https', 'http', 'tcp'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

/** The steps a probe can take, in the order they happen. */
export const PROBE_STEPS = ['dns', 'proxy', 'tcp', 'banner', 'ssh', 'hostkey', 'auth', 'forward', 'tls', 'http'] as const;
export type ProbeStep = (typeof PROBE_STEPS)[number];

const warningSchema = z.object({ code: z.enum(WARNING_CODES), detail: z.string() });
export type ProbeWarning = z.infer<typeof warningSchema>;

/** `SHA256:` and 43 base64 characters, as `ssh-keygen -l` prints host key fingerprints. */
export const fingerprintSchema = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must look like SHA256: followed by 43 characters, as ssh-keygen -l prints it');

/** An SSH user name the probe logs in as (no options, spaces or '@'). */
export const sshUserSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, 'use letters, digits, ".", "_" or "-"');

/** One endpoint to probe. */
export const probeEndpointSchema = z.object({
  id: z.string().min(1).max(64),
  host: hostSchema,
  port: portSchema,
  protocol: z.enum(PROBE_PROTOCOLS),
  purpose: z.string().max(200).default(''),
  /** Failing it is a warning, not a failure (e.g. the 443 fallback while 22 is configured). */
  optional: z.boolean().optional(),
  /** Path for the HTTP request of http/https endpoints. */
  path: z
    .string()
    .regex(/^\/[\x21-\x7e]*$/, 'must start with / and contain no spaces')
    .max(512)
    .optional(),
  /** The vendor service expected to answer on `path`: its answer is compared with that service's (shared/vendor-answers.ts). */
  service: z.string().max(100).refine(isVendorService, 'is not a vendor service of a registered platform').optional(),
});
export type ProbeEndpoint = z.infer<typeof probeEndpointSchema>;

/** Which proxy to use: none, the environment's HTTP(S)_PROXY / NO_PROXY, or one given by hand. */
export const proxySpecSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('env') }),
  z.object({
    mode: z.literal('manual'),
    url: z.string().trim().min(1).max(2048),
    /** Comma-separated NO_PROXY list. */
    noProxy: z.string().max(4096).optional(),
    username: z.string().max(256).optional(),
    /** Only ever travels into the main process; never echoed in a result. */
    password: z.string().max(1024).optional(),
  }),
]);
export type ProxySpec = z.infer<typeof proxySpecSchema>;

/**
 * The proxy choice as the draft keeps it: the same, without the password (never saved; the
 * schema drops it) — the store also takes any credentials out of the URL.
 */
export const savedProxySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('env') }),
  z.object({
    mode: z.literal('manual'),
    url: z.string().max(2048),
    noProxy: z.string().max(4096).optional(),
    username: z.string().max(256).optional(),
  }),
]);
export type SavedProxy = z.infer<typeof savedProxySchema>;

const checkSchema = z.object({
  step: z.enum(PROBE_STEPS),
  status: z.enum(['pass', 'fail', 'warn', 'skip']),
  ms: z.number().optional(),
  detail: z.string(),
});
export type ProbeCheck = z.infer<typeof checkSchema>;

const sshFactsSchema = z.object({
  banner: z.string(),
  hostKeyType: z.string().optional(),
  fingerprint: z.string().optional(),
  /** The known_hosts line for this host key (`[host]:port type base64` off port 22). */
  knownHostsLine: z.string().optional(),
  /** Compared with the pins given: 'match', 'mismatch', or 'unpinned' when none applied. */
  pin: z.enum(['match', 'mismatch', 'unpinned']).optional(),
  user: z.string().optional(),
  auth: z.enum(['accepted', 'rejected', 'not-tested']),
  /** The reverse forwards tried (tcpip-forward, released right after). */
  forwards: z.array(z.object({ port: z.number(), status: z.enum(['allowed', 'refused']), detail: z.string() })).optional(),
});

const tlsFactsSchema = z.object({
  protocol: z.string(),
  subject: z.string(),
  issuer: z.string(),
  altNames: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string(),
  daysLeft: z.number(),
  trusted: z.boolean(),
  /** OpenSSL's reason when not trusted (e.g. SELF_SIGNED_CERT_IN_CHAIN). */
  error: z.string().optional(),
  selfSigned: z.boolean(),
  fingerprint256: z.string(),
});

/** The result of one endpoint. */
export const endpointResultSchema = z.object({
  endpoint: z.object({
    id: z.string(),
    host: z.string(),
    port: z.number(),
    protocol: z.enum(PROBE_PROTOCOLS),
    purpose: z.string(),
    optional: z.boolean().optional(),
  }),
  /** What answered: for 'auto' endpoints this is what the probe found. */
  answered: z.enum(['ssh', 'tls', 'http', 'tcp', 'nothing']),
  verdict: z.enum(VERDICT_CODES),
  /** pass; warn (an optional endpoint failed); fail. */
  level: z.enum(['pass', 'warn', 'fail']),
  /** What exactly happened, with the evidence (error text, status line, issuer...). */
  detail: z.string(),
  startedAt: z.string(),
  ms: z.number(),
  dns: z.object({ addresses: z.array(z.string()), ms: z.number() }).optional(),
  tcp: z.object({ address: z.string(), ms: z.number() }).optional(),
  /** The proxy used, credentials removed. */
  via: z.string().optional(),
  ssh: sshFactsSchema.optional(),
  tls: tlsFactsSchema.optional(),
  http: z.object({ status: z.number(), reason: z.string(), server: z.string().optional() }).optional(),
  /** This host's clock against the server's Date header (HTTP answers that carry one). */
  clock: clockFactsSchema.optional(),
  /** Non-failing findings (see WARNINGS), e.g. CLOCK_SKEW. */
  warnings: z.array(warningSchema).optional(),
  checks: z.array(checkSchema),
});
export type EndpointResult = z.infer<typeof endpointResultSchema>;

/** Something the app can change for the user after a run. */
export const suggestionSchema = z.object({
  kind: z.literal('switch-port'),
  host: z.string(),
  from: z.number(),
  to: z.number(),
  message: z.string(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

/** A whole run. */
/** A CA certificate the user asked the checks to trust (public data: no key). */
export const trustedCaSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** ISO time the certificate stops being valid. */
  notAfter: z.string(),
  /** basicConstraints CA:TRUE; false for a server's own certificate trusted directly. */
  isCa: z.boolean(),
  selfSigned: z.boolean(),
  expired: z.boolean(),
  /** As openssl prints it: AA:BB:… */
  fingerprint256: z.string(),
});
export type TrustedCa = z.infer<typeof trustedCaSchema>;

export const probeRunSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  ms: z.number(),
  /** Limit of each step (DNS, connect, banner, handshake, auth, forward, HTTP answer). */
  timeoutMs: z.number(),
  /** Limit of the whole run; anything still running then is reported as TIMEOUT. */
  deadlineMs: z.number(),
  /** The proxy as configured (credentials removed), with where it came from. */
  proxy: z.string().optional(),
  /** CAs trusted for this run besides the system's (a company CA the user added). */
  trustedCas: z.array(trustedCaSchema).optional(),
  passed: z.boolean(),
  results: z.array(endpointResultSchema),
  suggestions: z.array(suggestionSchema),
});
export type ProbeRun = z.infer<typeof probeRunSchema>;
