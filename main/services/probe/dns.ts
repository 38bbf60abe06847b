/**
 * The DNS step: the system resolver (getaddrinfo, as the agent itself will resolve, /etc/hosts
 * included), or given DNS servers. IP literals skip it.
 */
import dns from 'node:dns';
import net from 'node:net';
import { StepFailure, errorText, since, within } from './step';

export interface DnsAnswer {
  addresses: string[];
  ms: number;
  /** False for IP literals (nothing was resolved). */
  resolved: boolean;
}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA', 'NXDOMAIN', 'ESERVFAIL', 'EREFUSED', 'EBADNAME', 'EFORMERR']);
const TIMED_OUT = new Set(['ETIMEOUT', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNREFUSED']);

/**
 * Resolves `host` within `timeoutMs`. Fails with DNS_FAILED (no such name, refused), or
 * DNS_TIMEOUT (no answer in time, or the resolver is unreachable).
 */
export async function resolveHost(host: string, timeoutMs: number, signal: AbortSignal, servers?: string[]): Promise<DnsAnswer> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return { addresses: [bare], ms: 0, resolved: false };
  const start = performance.now();
  const addresses = await within(
    'dns',
    timeoutMs,
    signal,
    (stepSignal) => (servers?.length ? viaServers(bare, servers, timeoutMs, stepSignal) : viaSystem(bare)),
    () => new StepFailure('dns', 'DNS_TIMEOUT', `no DNS answer for ${bare} within ${timeoutMs} ms${servers?.length ? ` from ${servers.join(', ')}` : ''}`),
  );
  return { addresses, ms: since(start), resolved: true };
}

async function viaSystem(host: string): Promise<string[]> {
  try {
    const found = await dns.promises.lookup(host, { all: true, verbatim: true });
    return found.map((a) => a.address);
  } catch (error) {
    throw classify(host, error, 'the system resolver');
  }
}

async function viaServers(host: string, servers: string[], timeoutMs: number, signal: AbortSignal): Promise<string[]> {
  const resolver = new dns.promises.Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers(servers);
  signal.addEventListener('abort', () => resolver.cancel(), { once: true });
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (addresses.length) return addresses;
  const failure = v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : new Error('no addresses');
  throw classify(host, failure, servers.join(', '));
}

function classify(host: string, error: unknown, who: string): StepFailure {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (TIMED_OUT.has(code)) return new StepFailure('dns', 'DNS_TIMEOUT', `${who} did not answer for ${host} (${code})`);
  if (NOT_FOUND.has(code)) return new StepFailure('dns', 'DNS_FAILED', `${who} has no address for ${host} (${code})`);
  return new StepFailure('dns', 'DNS_FAILED', `${host} did not resolve: ${errorText(error)}`);
}
