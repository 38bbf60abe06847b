/**
 * Connectivity probes: what can be asked (endpoints, options), what comes back (one result per
 * endpoint, with every step that was tested), and the closed set of verdicts with the words a
 * person needs to fix each one. Pure: the probing itself lives in main/services/probe/.
 */
import { z } from 'zod';
import { clockFactsSchema, clockSkewed, describeClock, type ClockFacts } from './clock-skew';
import { hostSchema, portSchema } from './validate';
import { isVendorService } from './vendor-answers';

/** How an endpoint is probed. 'auto' listens for an SSH banner first, then tries TLS, then plain TCP. */
export const PROBE_PROTOCOLS = ['auto', 'ssh', 'tls', 'https', 'http', 'tcp'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

/** The steps a probe can take, in the order they happen. */
export const PROBE_STEPS = ['dns', 'proxy', 'tcp', 'banner', 'ssh', 'hostkey', 'auth', 'forward', 'tls', 'http'] as const;
export type ProbeStep = (typeof PROBE_STEPS)[number];

/**
 * The closed set of verdicts. The first four are passes; every other one names what failed.
 * Each endpoint gets exactly one: the first failure along its steps, or the pass of the last step.
 */
export const VERDICT_CODES = [
  'SSH_OK',
  'TLS_OK',
  'HTTP_OK',
  'TCP_OK',
  'DNS_FAILED',
  'DNS_TIMEOUT',
  'REFUSED',
  'UNREACHABLE',
  'TIMEOUT',
  'SILENT',
  'NOT_SSH',
  'SSH_NEGOTIATION_FAILED',
  'HOST_KEY_MISMATCH',
  'AUTH_REJECTED',
  'FORWARD_REFUSED',
  'TLS_UNTRUSTED',
  'TLS_INTERCEPTED',
  'TLS_EXPIRED',
  'TLS_NAME_MISMATCH',
  'TLS_HANDSHAKE_FAILED',
  'HTTP_ERROR',
  'NOT_THE_SERVICE',
  'PROXY_AUTH',
  'PROXY_REFUSED',
  'PROXY_UNREACHABLE',
  'CANCELLED',
] as const;
export type VerdictCode = (typeof VERDICT_CODES)[number];

export interface VerdictInfo {
  pass: boolean;
  /** A few words for the table. */
  title: string;
  /**
   * What to do, in plain language. `{endpoint}`, `{host}`, `{port}`, `{user}` and
   * `{forwardPort}` are filled in by fixFor().
   */
  fix: string;
}

/** Title and fix text of every verdict. */
export const VERDICTS: Record<VerdictCode, VerdictInfo> = {
  SSH_OK: { pass: true, title: 'SSH server answered', fix: 'Nothing to do. Confirm the host key fingerprint with the server owner before you pin it.' },
  TLS_OK: { pass: true, title: 'TLS certificate valid and trusted', fix: 'Nothing to do.' },
  HTTP_OK: { pass: true, title: 'Server answered', fix: 'Nothing to do.' },
  TCP_OK: { pass: true, title: 'Port accepts connections', fix: 'Nothing to do.' },
  DNS_FAILED: {
    pass: false,
    title: 'Name does not resolve',
    fix: 'Check the spelling of {host}. An internal name needs the agent host to use your internal DNS servers (/etc/resolv.conf, or the container\'s DNS settings); for a public name, ask the network team whether outbound DNS is filtered.',
  },
  DNS_TIMEOUT: {
    pass: false,
    title: 'DNS server did not answer',
    fix: 'The DNS server did not answer in time. Check which resolver this host uses (/etc/resolv.conf) and that it is reachable; inside a container, check the container\'s DNS settings.',
  },
  REFUSED: {
    pass: false,
    title: 'Connection refused',
    fix: 'Nothing listens on {endpoint}, or a firewall rejects it. Check the port number; if it is right, ask the network team to allow outbound TCP from this host to {endpoint}.',
  },
  UNREACHABLE: {
    pass: false,
    title: 'No route to the host',
    fix: 'This host has no network route to {host} (or a router answered "unreachable"). Check the default route or VPN, and ask the network team to allow outbound traffic to {endpoint}.',
  },
  TIMEOUT: {
    pass: false,
    title: 'No answer in time',
    fix: 'No answer within the time limit. When the TCP connect times out, a firewall is most likely dropping the traffic silently: ask the network team to allow outbound TCP from this host to {endpoint}. When a later step timed out, the link may be very slow: retry with a longer timeout.',
  },
  SILENT: {
    pass: false,
    title: 'Accepted, then said nothing',
    fix: 'Something accepted the connection to {endpoint} but sent nothing and did not complete TLS: usually a proxy or firewall holding a connection it does not allow, or a service that is not what the agent expects. Ask the network team what answers on {endpoint}.',
  },
  NOT_SSH: {
    pass: false,
    title: 'Something other than SSH answered',
    fix: 'The port answers, but not with SSH (see what answered). A TLS certificate or an HTTP answer on port 443 means a proxy or firewall intercepts the connection and SSH cannot pass: ask the network team to allow SSH to {endpoint}, or use the other port.',
  },
  SSH_NEGOTIATION_FAILED: {
    pass: false,
    title: 'SSH handshake failed',
    fix: 'The server speaks SSH but the handshake did not complete (no algorithm in common, or the connection was closed during key exchange). Send the server version shown here to the server owner.',
  },
  HOST_KEY_MISMATCH: {
    pass: false,
    title: 'Host key is not the pinned one',
    fix: 'The server showed a different host key than the one you pinned or expected. The server may have been rebuilt, or someone may be intercepting the connection. Do not go on: ask the server owner to confirm the new fingerprint before you pin it. No credentials were sent.',
  },
  AUTH_REJECTED: {
    pass: false,
    title: 'Key not accepted',
    fix: 'The SSH server does not accept this key for user {user}. Check the user name, and that the public key was registered with the server owner (ArmorCode: send public-key.pem to their support); registration can take a while.',
  },
  FORWARD_REFUSED: {
    pass: false,
    title: 'Reverse forward refused',
    fix: 'The key logs in, but the server would not open remote port {forwardPort}: forwarding is disabled for this account (AllowTcpForwarding, permitlisten) or the port is taken, often by an agent session that is still connected. Stop other agents using that port, or ask the server owner to allow it.',
  },
  TLS_UNTRUSTED: {
    pass: false,
    title: 'Certificate not trusted',
    fix: 'The certificate of {endpoint} is self-signed or issued by a private CA this host does not trust. If it is your own server with an internal CA, add that CA (PEM) to the agent\'s trust store, and check again with it trusted (Company CA on the Connectivity step; --ca-file on the command line). Do not turn certificate checks off.',
  },
  TLS_INTERCEPTED: {
    pass: false,
    title: 'Likely TLS interception',
    fix: 'The certificate was not issued by a public CA for {host}: a corporate proxy or firewall is most likely decrypting the traffic. Ask the network team to exempt {host} from TLS inspection (best), or get the proxy\'s root CA (PEM), add it to the agent\'s trust store and check again with it trusted (Company CA on the Connectivity step; --ca-file on the command line). Never turn certificate checks off.',
  },
  TLS_EXPIRED: {
    pass: false,
    title: 'Certificate expired or not yet valid',
    fix: 'Check this host\'s clock first: a wrong clock makes valid certificates look expired. If the clock is right, the owner of {host} must renew the certificate.',
  },
  TLS_NAME_MISMATCH: {
    pass: false,
    title: 'Certificate is for another name',
    fix: 'The certificate does not name {host}. Use the host name the certificate was issued for (see its names), or, if a proxy answered instead of the server, treat it as TLS interception.',
  },
  TLS_HANDSHAKE_FAILED: {
    pass: false,
    title: 'TLS handshake failed',
    fix: '{endpoint} did not complete a TLS handshake: it may not speak TLS (plain HTTP or another protocol), or it needs a TLS version or client certificate the agent must be configured for. Check the URL scheme and port.',
  },
  HTTP_ERROR: {
    pass: false,
    title: 'Server answered with an error',
    fix: 'The server, or a gateway in front of it, answered with a server error or not with HTTP at all. Retry later; if it persists, send the status to the server owner.',
  },
  NOT_THE_SERVICE: {
    pass: false,
    title: 'Answered, but not as the service',
    fix: "Something answered on {endpoint}, but not the way the vendor's service answers (see what answered): often a proxy's or firewall's block page, a captive portal, or a wrong URL or path. Check the URL against the vendor's install page, and ask the network team what answers on {endpoint}.",
  },
  PROXY_AUTH: {
    pass: false,
    title: 'Proxy wants credentials (407)',
    fix: 'The proxy answered 407 Proxy Authentication Required. Give the proxy user and password (the agent takes them as http://user:password@proxy:port). If the proxy only offers NTLM or Negotiate (see what it asked for), the agent needs a local helper proxy such as cntlm, or an exemption for {host}.',
  },
  PROXY_REFUSED: {
    pass: false,
    title: 'Proxy refused the destination',
    fix: 'The proxy would not open a tunnel to {endpoint}: its policy blocks this host or port (many proxies allow CONNECT to port 443 only). Ask the network team to allow it, or put {host} in NO_PROXY if it is reachable directly.',
  },
  PROXY_UNREACHABLE: {
    pass: false,
    title: 'Proxy not reachable',
    fix: 'The proxy itself did not answer. Check the proxy URL (http://host:port — the scheme is http:// even for HTTPS traffic) and that this host may reach it.',
  },
  CANCELLED: { pass: false, title: 'Cancelled', fix: 'Run the check again.' },
};

/**
 * The closed set of warnings an endpoint can carry besides its verdict. A warning never fails
 * the run: the endpoint itself was reached, but something about this host will bite the agent.
 */
export const WARNING_CODES = ['CLOCK_SKEW'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** Title and fix text of every warning. */
export const WARNINGS: Record<WarningCode, { title: string; fix: string }> = {
  CLOCK_SKEW: {
    title: 'This host\'s clock is off',
    fix: 'Token agents (Harness delegates, Buildkite, Bamboo) sign or check short-lived tokens with this clock and fail with misleading "unauthorized" or "token expired / not yet valid" errors. Turn on time sync: on Linux `timedatectl set-ntp true` (systemd-timesyncd) or install and start chrony; on Windows start the Windows Time service (w32time) and run `w32tm /resync`. Check it with `timedatectl` (System clock synchronized: yes) or `w32tm /query /status`, then run the check again. This compares the clock of the machine that ran the check: the computer running Agent Onboard in the wizard, the agent host when `agent-onboard probe` runs there.',
  },
};

const warningSchema = z.object({ code: z.enum(WARNING_CODES), detail: z.string() });
export type ProbeWarning = z.infer<typeof warningSchema>;

/** The warnings of one endpoint's clock reading: CLOCK_SKEW when it is beyond the threshold. */
export function clockWarnings(clock: ClockFacts | undefined, endpoint: string): ProbeWarning[] {
  if (!clock || !clockSkewed(clock)) return [];
  return [{ code: 'CLOCK_SKEW', detail: `${describeClock(clock, `the clock of ${endpoint}`)}; its Date header said "${clock.serverDate}" when this host's clock said ${clock.localAt}` }];
}

/** `SHA256:` and 43 base64 characters, as `ssh-keygen -l` prints host key fingerprints. */
export const fingerprintSchema = z.string().trim().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must look like SHA256: followed by 43 characters, as ssh-keygen -l prints it');

/** An SSH user name the probe logs in as (no options, spaces or '@'). */
export const sshUserSchema = z.string().trim().regex(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, 'use letters, digits, ".", "_" or "-"');

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
  path: z.string().regex(/^\/[\x21-\x7e]*$/, 'must start with / and contain no spaces').max(512).optional(),
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
  endpoint: z.object({ id: z.string(), host: z.string(), port: z.number(), protocol: z.enum(PROBE_PROTOCOLS), purpose: z.string(), optional: z.boolean().optional() }),
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

/** The level of a verdict for an endpoint: an optional endpoint's failure is only a warning. */
export function levelOf(verdict: VerdictCode, optional: boolean | undefined): 'pass' | 'warn' | 'fail' {
  if (VERDICTS[verdict].pass) return 'pass';
  return optional ? 'warn' : 'fail';
}

/** `host:port`, with IPv6 addresses in brackets. */
export function endpointLabel(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The fix text of a result, with its endpoint, user and forward port filled in. */
export function fixFor(result: Pick<EndpointResult, 'verdict' | 'endpoint' | 'ssh'>): string {
  const { host, port } = result.endpoint;
  const forwardPort = (result.ssh?.forwards?.find((f) => f.status === 'refused') ?? result.ssh?.forwards?.[0])?.port;
  return VERDICTS[result.verdict].fix
    .replaceAll('{endpoint}', endpointLabel(host, port))
    .replaceAll('{host}', host)
    .replaceAll('{port}', String(port))
    .replaceAll('{user}', result.ssh?.user ?? 'the configured user')
    .replaceAll('{forwardPort}', forwardPort === undefined ? 'the requested port' : String(forwardPort));
}

/** True when the run passed: no endpoint at level 'fail'. */
export function runPassed(results: Pick<EndpointResult, 'level'>[]): boolean {
  return results.every((r) => r.level !== 'fail');
}

const NETWORK_FAILURES: ReadonlySet<VerdictCode> = new Set(['REFUSED', 'UNREACHABLE', 'TIMEOUT', 'SILENT', 'NOT_SSH', 'PROXY_REFUSED']);

/**
 * The port switch to offer: a required SSH endpoint that the network blocks (refused, dropped,
 * silent, or something else answering) while an SSH server answers on another port of the same
 * host. ArmorCode runs SSH on 22 and 443; this is how "22 is blocked, use 443" is found.
 */
export function suggestPortSwitch(results: EndpointResult[]): Suggestion[] {
  const out: Suggestion[] = [];
  const isSsh = (r: EndpointResult) => r.endpoint.protocol === 'ssh' || r.answered === 'ssh';
  for (const blocked of results) {
    if (blocked.endpoint.optional || (blocked.endpoint.protocol !== 'ssh' && blocked.endpoint.protocol !== 'auto') || !NETWORK_FAILURES.has(blocked.verdict)) continue;
    const working = results.find(
      (r) => r !== blocked && isSsh(r) && r.endpoint.host === blocked.endpoint.host && r.endpoint.port !== blocked.endpoint.port && r.answered === 'ssh' && r.verdict !== 'HOST_KEY_MISMATCH' && r.verdict !== 'SSH_NEGOTIATION_FAILED',
    );
    if (!working) continue;
    out.push({
      kind: 'switch-port',
      host: blocked.endpoint.host,
      from: blocked.endpoint.port,
      to: working.endpoint.port,
      message: `Port ${blocked.endpoint.port} of ${blocked.endpoint.host} is blocked from here (${VERDICTS[blocked.verdict].title.toLowerCase()}), but the SSH server answers on port ${working.endpoint.port}. Switch the agent to port ${working.endpoint.port}.`,
    });
  }
  return out;
}

/**
 * Issuer names of TLS-inspection products (matched case-insensitively in the issuer's O and CN).
 * A certificate signed by one of these is a proxy's, not the server's.
 */
export const INSPECTION_ISSUER_MARKERS = [
  'zscaler',
  'netskope',
  'fortinet',
  'fortigate',
  'palo alto',
  'blue coat',
  'bluecoat',
  'cisco umbrella',
  'sophos',
  'forcepoint',
  'websense',
  'check point',
  'checkpoint',
  'mcafee web gateway',
  'skyhigh',
  'barracuda',
  'kaspersky',
  'avast',
  'eset ssl filter',
  'smoothwall',
  'untangle',
  'squid',
  'mitmproxy',
  'charles proxy',
  'fiddler',
  'burp',
  'securly',
  'lightspeed',
  'iboss',
  'menlo security',
  'cloudflare gateway',
];

/**
 * Host name suffixes of the SaaS endpoints this app configures. Their certificates always come
 * from a public CA, so an untrusted certificate there is not a private server: it is a middlebox.
 */
export const PUBLIC_TLS_SUFFIXES = ['buildkite.com', 'harness.io', 'armorcode.com', 'armorcode.ai', 'atlassian.net', 'atlassian.com', 'github.com', 'gitlab.com'];

/** What the interception rule looks at for one untrusted certificate. */
export interface InterceptionFacts {
  host: string;
  issuer: string;
  /** The connection went through a proxy (given or from the environment). */
  viaProxy: boolean;
  /** Hosts of other domains (see baseDomain) in the same run whose certificates the same untrusted issuer signed. */
  otherDomainsSameIssuer: string[];
  /** The port was probed as SSH and a TLS certificate came back instead. */
  tlsInsteadOfSsh: boolean;
}

/**
 * The interception rule. A certificate that the default CAs do not trust is called TLS
 * interception (rather than a private or self-signed server) when one of these holds, and the
 * reason says which:
 * 1. its issuer names a TLS-inspection product;
 * 2. the host is a public SaaS endpoint, which always has a publicly trusted certificate;
 * 3. it came through a proxy — the proxy is what decrypts;
 * 4. the same untrusted issuer signed the certificates of hosts in other domains in this run
 *    (a company CA signs the company's own names; one CA re-signing everyone's is a middlebox);
 * 5. an SSH port answered with TLS.
 * Returns the reason, or undefined when none holds (then the verdict is TLS_UNTRUSTED).
 */
export function interceptionReason(f: InterceptionFacts): string | undefined {
  const issuer = f.issuer.toLowerCase();
  const product = INSPECTION_ISSUER_MARKERS.find((m) => issuer.includes(m));
  if (product) return `the issuer (${f.issuer}) is a TLS-inspection product`;
  const host = f.host.toLowerCase().replace(/\.$/, '');
  const saas = PUBLIC_TLS_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (saas) return `${f.host} is a public service whose certificate always comes from a public CA, but this one was issued by ${f.issuer}`;
  if (f.viaProxy) return `the connection went through a proxy and the certificate was issued by ${f.issuer}, which this host does not trust`;
  if (f.otherDomainsSameIssuer.length > 0) return `the same untrusted issuer (${f.issuer}) also signed the certificates of ${f.otherDomainsSameIssuer.join(', ')}, in other domains`;
  if (f.tlsInsteadOfSsh) return `an SSH port answered with a TLS certificate issued by ${f.issuer}`;
  return undefined;
}

/**
 * The domain a host belongs to, for telling "same company" from "someone else": the last two
 * labels of a name (a.b.example.com → example.com), or the address itself for an IP literal.
 */
export function baseDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h;
  return h.split('.').slice(-2).join('.');
}

/** Normalises a proxy URL: adds http:// to a bare host:port; refuses other schemes. */
export function parseProxyUrl(text: string): { ok: true; host: string; port: number; username?: string; password?: string; display: string } | { ok: false; message: string } {
  const raw = text.trim();
  if (!raw) return { ok: false, message: 'the proxy URL is empty' };
  if (/[\s"'`<>\\]/.test(raw)) return { ok: false, message: 'the proxy URL must not contain spaces, quotes or backslashes' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${raw}" is not a URL like http://proxy.example.com:3128` };
  }
  if (u.protocol === 'https:') return { ok: false, message: 'use http:// for the proxy: the connection to a proxy is plain HTTP even for HTTPS traffic (https:// proxies are rarely supported by agents)' };
  if (u.protocol !== 'http:') return { ok: false, message: `the proxy scheme ${u.protocol} is not supported; use http://` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 80;
  if (!host) return { ok: false, message: 'the proxy URL has no host' };
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  return {
    ok: true,
    host,
    port,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    display: `http://${username ? `${encodeURIComponent(username)}:***@` : ''}${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
}

/**
 * True when `host` (and port) matches a NO_PROXY list: comma/space separated entries of host
 * names (a leading '.' or '*.' matches subdomains; a bare name matches itself and its
 * subdomains, as curl does), IP addresses, `host:port`, or `*` for everything.
 */
export function matchesNoProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    let entry = rawEntry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const portMatch = /^(.*[^\]:]):(\d+)$/.exec(entry);
    if (portMatch?.[1] && portMatch[2] && !entry.startsWith('[')) {
      if (Number(portMatch[2]) !== port) continue;
      entry = portMatch[1];
    }
    entry = entry.replace(/^\*\./, '.').replace(/^\[|\]$/g, '');
    if (entry.startsWith('.')) {
      if (h.endsWith(entry) || h === entry.slice(1)) return true;
    } else if (h === entry || h.endsWith(`.${entry}`)) return true;
  }
  return false;
}
