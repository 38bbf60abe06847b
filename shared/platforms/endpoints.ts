/** Endpoints the platform modules build from URLs the user gave. */
import type { Endpoint, VendorServiceSpec } from './types';

/** An http(s) URL's host (IPv6 without brackets) and port (the scheme's default when none is given). */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443 };
}

/** The path the probe asks a vendor service: the endpoint's own path (e.g. /v3) followed by the service's check path. */
export function servicePath(service: VendorServiceSpec, basePath: string | undefined): string {
  return `${(basePath ?? '').replace(/\/+$/, '')}${service.path}`;
}

/** True for a JSON object (not an array or null): what vendor answers are read as. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The service at a URL, checked as HTTPS (on 443 unless the URL names a port); with `service`,
 * the probe also asks that vendor's check path below the URL's path and judges the answer.
 */
export function httpsEndpoint(id: string, url: string, purpose: string, service?: VendorServiceSpec): Endpoint {
  const { host } = hostPort(url);
  const u = new URL(url);
  return {
    id,
    host,
    port: u.port ? Number(u.port) : 443,
    protocol: 'https',
    purpose,
    ...(service ? { service: service.id, path: servicePath(service, u.pathname) } : {}),
  };
}

/** The agent's HTTP proxy, when it has one: its TCP port must be reachable. */
export function proxyEndpoints(proxyUrl: string | undefined): Endpoint[] {
  return proxyUrl ? [{ id: 'proxy', ...hostPort(proxyUrl), protocol: 'tcp', purpose: 'HTTP proxy' }] : [];
}
