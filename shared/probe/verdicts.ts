/**
 * The closed set of probe verdicts and warnings with the words a person needs to fix each one,
 * and the rules over results: the level of a verdict, a run's pass, the port switch to offer.
 */
import { clockSkewed, describeClock, type ClockFacts } from '../clock-skew';
import { PLATFORMS } from '../platforms';
import type { EndpointResult, ProbeWarning, Suggestion } from './schema';

/** " (A: x; B: y)" from the parts the platforms give, or nothing when none gives one. */
function aside(parts: readonly (string | undefined)[], separator: string): string {
  const given = [...new Set(parts.filter((s): s is string => Boolean(s)))];
  return given.length ? ` (${given.join(separator)})` : '';
}

/** How each key-pair platform's public key gets registered, as the platform says it (`registration`). */
const keyRegistration = aside(
  PLATFORMS.map((p) => (p.credential.kind === 'ssh-keypair' ? p.credential.registration : undefined)),
  '; ',
);

/** The agents whose tokens a wrong clock breaks, as their platforms name them. */
const clockAgents = aside(
  PLATFORMS.map((p) => (p.credential.kind === 'token' ? p.credential.token.clockSensitive : undefined)),
  ', ',
);

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
    fix: "Check the spelling of {host}. An internal name needs the agent host to use your internal DNS servers (/etc/resolv.conf, or the container's DNS settings); for a public name, ask the network team whether outbound DNS is filtered.",
  },
  DNS_TIMEOUT: {
    pass: false,
    title: 'DNS server did not answer',
    fix: "The DNS server did not answer in time. Check which resolver this host uses (/etc/resolv.conf) and that it is reachable; inside a container, check the container's DNS settings.",
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
    fix: `The SSH server does not accept this key for user {user}. Check the user name, and that the public key was registered with the server owner${keyRegistration}; registration can take a while.`,
  },
  FORWARD_REFUSED: {
    pass: false,
    title: 'Reverse forward refused',
    fix: 'The key logs in, but the server would not open remote port {forwardPort}: forwarding is disabled for this account (AllowTcpForwarding, permitlisten) or the port is taken, often by an agent session that is still connected. Stop other agents using that port, or ask the server owner to allow it.',
  },
  TLS_UNTRUSTED: {
    pass: false,
    title: 'Certificate not trusted',
    fix: "The certificate of {endpoint} is self-signed or issued by a private CA this host does not trust. If it is your own server with an internal CA, add that CA (PEM) to the agent's trust store, and check again with it trusted (Company CA on the Connectivity step; --ca-file on the command line). Do not turn certificate checks off.",
  },
  TLS_INTERCEPTED: {
    pass: false,
    title: 'Likely TLS interception',
    fix: "The certificate was not issued by a public CA for {host}: a corporate proxy or firewall is most likely decrypting the traffic. Ask the network team to exempt {host} from TLS inspection (best), or get the proxy's root CA (PEM), add it to the agent's trust store and check again with it trusted (Company CA on the Connectivity step; --ca-file on the command line). Never turn certificate checks off.",
  },
  TLS_EXPIRED: {
    pass: false,
    title: 'Certificate expired or not yet valid',
    fix: "Check this host's clock first: a wrong clock makes valid certificates look expired. If the clock is right, the owner of {host} must renew the certificate.",
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
    title: "This host's clock is off",
    fix: `Token agents${clockAgents} sign or check short-lived tokens with this clock and fail with misleading "unauthorized" or "token expired / not yet valid" errors. Turn on time sync: on Linux \`timedatectl set-ntp true\` (systemd-timesyncd) or install and start chrony; on Windows start the Windows Time service (w32time) and run \`w32tm /resync\`. Check it with \`timedatectl\` (System clock synchronized: yes) or \`w32tm /query /status\`, then run the check again. This compares the clock of the machine that ran the check: the computer running Agent Onboard in the wizard, the agent host when \`agent-onboard probe\` runs there.`,
  },
};

/** The warnings of one endpoint's clock reading: CLOCK_SKEW when it is beyond the threshold. */
export function clockWarnings(clock: ClockFacts | undefined, endpoint: string): ProbeWarning[] {
  if (!clock || !clockSkewed(clock)) return [];
  return [
    {
      code: 'CLOCK_SKEW',
      detail: `${describeClock(clock, `the clock of ${endpoint}`)}; its Date header said "${clock.serverDate}" when this host's clock said ${clock.localAt}`,
    },
  ];
}

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
 * host (a server that runs SSH on 22 and 443): this is how "22 is blocked, use 443" is found.
 */
export function suggestPortSwitch(results: EndpointResult[]): Suggestion[] {
  const out: Suggestion[] = [];
  const isSsh = (r: EndpointResult) => r.endpoint.protocol === 'ssh' || r.answered === 'ssh';
  for (const blocked of results) {
    if (blocked.endpoint.optional || (blocked.endpoint.protocol !== 'ssh' && blocked.endpoint.protocol !== 'auto') || !NETWORK_FAILURES.has(blocked.verdict))
      continue;
    const working = results.find(
      (r) =>
        r !== blocked &&
        isSsh(r) &&
        r.endpoint.host === blocked.endpoint.host &&
        r.endpoint.port !== blocked.endpoint.port &&
        r.answered === 'ssh' &&
        r.verdict !== 'HOST_KEY_MISMATCH' &&
        r.verdict !== 'SSH_NEGOTIATION_FAILED',
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
