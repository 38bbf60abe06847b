/** Endpoints the platform modules build from URLs the user gave. */
import type { Endpoint } from './types';
import { vendorCheckPath, type VendorService } from '../vendor-answers';

/** An http(s) URL's host (IPv6 without brackets) and port (the scheme's default when none is given). */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443 };
}

/**
 * The service at a URL, checked as HTTPS (on 443 unless the URL names a port); with `service`,
 * the probe also asks that vendor's check path below the URL's path and judges the answer.
 */
export function httpsEndpoint(id: string, url: string, purpose: string, service?: VendorService): Endpoint {
  const { host } = hostPort(url);
  const u = new URL(url);
  return { id, host, port: u.port ? Number(u.port) : 443, protocol: 'https', purpose, ...(service ? { service, path: vendorCheckPath(service, u.pathname) } : {}) };
}

/** The agent's HTTP proxy, when it has one: its TCP port must be reachable. */
export function proxyEndpoints(proxyUrl: string | undefined): Endpoint[] {
  return proxyUrl ? [{ id: 'proxy', ...hostPort(proxyUrl), protocol: 'tcp', purpose: 'HTTP proxy' }] : [];
}
