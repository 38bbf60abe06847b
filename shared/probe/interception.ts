/**
 * Telling TLS interception (a middlebox re-signing traffic) from a private or self-signed server
 * when a certificate is not trusted.
 */
import { PLATFORMS } from '../platforms';

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
 * Host name suffixes of the SaaS endpoints this app configures (each platform's `publicDomains`).
 * Their certificates always come from a public CA, so an untrusted certificate there is not a
 * private server: it is a middlebox.
 */
export const PUBLIC_TLS_SUFFIXES: readonly string[] = [...new Set(PLATFORMS.flatMap((p) => p.publicDomains ?? []))];

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
  if (f.otherDomainsSameIssuer.length > 0)
    return `the same untrusted issuer (${f.issuer}) also signed the certificates of ${f.otherDomainsSameIssuer.join(', ')}, in other domains`;
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
