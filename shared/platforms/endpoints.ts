/** Endpoints the platform modules build from URLs the user gave. */
import type { Endpoint } from './types';

/** An http(s) URL's host (IPv6 without brackets) and port (the scheme's default when none is given). */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443 };
}

/** The service at a URL, checked as HTTPS (on 443 unless the URL names a port). */
export function httpsEndpoint(id: string, url: string, purpose: string): Endpoint {
  const { host } = hostPort(url);
  const port = new URL(url).port;
  return { id, host, port: port ? Number(port) : 443, protocol: 'https', purpose };
}

/** The agent's HTTP proxy, when it has one: its TCP port must be reachable. */
export function proxyEndpoints(proxyUrl: string | undefined): Endpoint[] {
  return proxyUrl ? [{ id: 'proxy', ...hostPort(proxyUrl), protocol: 'tcp', purpose: 'HTTP proxy' }] : [];
}
