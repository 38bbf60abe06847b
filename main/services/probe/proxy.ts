/**
 * Proxies: which one applies to an endpoint (given by hand, or HTTP(S)_PROXY / NO_PROXY from
 * the environment), and the CONNECT tunnel through it. A 407 is reported with what the proxy
 * asked for (Basic, NTLM, Negotiate), so the user knows whether credentials can fix it.
 */
import type net from 'node:net';
import { matchesNoProxy, parseProxyUrl, type ProbeEndpoint, type ProxySpec } from '../../../shared/probe';
import { readHead } from './http';
import { StepFailure, since } from './step';
import { connectTcp } from './tcp';

export interface ProxyServer {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** The URL without the password, and where it came from. */
  display: string;
}

/** The proxies of a run: which one (if any) each endpoint goes through. */
export interface ProxyPlan {
  /** For the report: e.g. "http://proxy:3128 (given by hand)". */
  describe: string | undefined;
  forEndpoint(endpoint: Pick<ProbeEndpoint, 'host' | 'port' | 'protocol'>): ProxyServer | undefined;
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
}

function toServer(url: string, from: string, username?: string, password?: string): ProxyServer | { error: string } {
  const parsed = parseProxyUrl(url);
  if (!parsed.ok) return { error: `${from}: ${parsed.message}` };
  const user = username || parsed.username;
  const pass = password ?? parsed.password;
  const display = user ? parsed.display.replace(/^http:\/\/([^@]*@)?/, `http://${encodeURIComponent(user)}:***@`) : parsed.display;
  return {
    host: parsed.host,
    port: parsed.port,
    ...(user ? { username: user } : {}),
    ...(pass !== undefined ? { password: pass } : {}),
    display: `${display} (${from})`,
  };
}

/**
 * Builds the proxy plan of a run. A proxy given by hand applies to every endpoint except those
 * in its NO_PROXY list. From the environment, HTTPS_PROXY applies to https, tls and auto
 * endpoints and HTTP_PROXY to http ones, as agents read them; SSH and plain TCP go direct.
 * Returns an error message for a malformed proxy URL.
 */
export function planProxy(spec: ProxySpec, env: Record<string, string | undefined>): ProxyPlan | { error: string } {
  if (spec.mode === 'none') return { describe: undefined, forEndpoint: () => undefined };
  if (spec.mode === 'manual') {
    const server = toServer(spec.url, 'given by hand', spec.username, spec.password);
    if ('error' in server) return server;
    return {
      describe: `${server.display}${spec.noProxy ? `, NO_PROXY=${spec.noProxy}` : ''}`,
      forEndpoint: (e) => (isProxy(e, server) || matchesNoProxy(e.host, e.port, spec.noProxy) ? undefined : server),
    };
  }
  const noProxy = envValue(env, 'no_proxy');
  const httpsUrl = envValue(env, 'https_proxy');
  const httpUrl = envValue(env, 'http_proxy');
  const https = httpsUrl ? toServer(httpsUrl, 'HTTPS_PROXY') : undefined;
  const http = httpUrl ? toServer(httpUrl, 'HTTP_PROXY') : undefined;
  if (https && 'error' in https) return https;
  if (http && 'error' in http) return http;
  const parts = [https?.display, http?.display, noProxy ? `NO_PROXY=${noProxy}` : undefined].filter(Boolean);
  return {
    describe: https || http ? parts.join(', ') : undefined,
    forEndpoint: (e) => {
      if (matchesNoProxy(e.host, e.port, noProxy)) return undefined;
      const proxy = e.protocol === 'http' ? http : e.protocol === 'https' || e.protocol === 'tls' || e.protocol === 'auto' ? https : undefined;
      return proxy && !isProxy(e, proxy) ? proxy : undefined;
    },
  };
}

/**
 * True when the endpoint is the proxy itself (the platform's "HTTP proxy" check): it is reached
 * directly, since a proxy asked to CONNECT to itself proves nothing about the way to it.
 */
function isProxy(e: Pick<ProbeEndpoint, 'host' | 'port'>, proxy: ProxyServer): boolean {
  const bare = (h: string): string => h.replace(/^\[|\]$/g, '').toLowerCase();
  return e.port === proxy.port && bare(e.host) === bare(proxy.host);
}

/** The Proxy-Authorization header value for a proxy with credentials (Basic). */
export function proxyAuthorization(proxy: ProxyServer): string | undefined {
  if (!proxy.username) return undefined;
  return `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
}

/** A 407 as a StepFailure that says what the proxy asked for and whether credentials were sent. */
export function proxyAuthFailure(proxy: ProxyServer, headers: Record<string, string>): StepFailure {
  const asked = headers['proxy-authenticate'];
  const schemes = asked ? [...new Set(asked.split(/,\s*(?=[A-Za-z]+(?:\s|$))/).map((s) => s.trim().split(/\s+/)[0]))].join(', ') : 'no scheme named';
  const basicOnly = !asked || /^basic\b/i.test(asked.trim()) || /\bbasic\b/i.test(asked);
  const sent = proxy.username ? `the credentials for user ${proxy.username} were refused` : 'no credentials were given';
  const hint = basicOnly ? '' : ' — this proxy does not offer Basic authentication, so a user and password alone will not do';
  return new StepFailure(
    'proxy',
    'PROXY_AUTH',
    `the proxy ${proxy.display} answered 407 Proxy Authentication Required (it asks for: ${schemes}); ${sent}${hint}`,
  );
}

export interface Tunnel {
  socket: net.Socket;
  /** Time to connect to the proxy and get its 200. */
  ms: number;
  proxyAddress: string;
}

/**
 * Opens a CONNECT tunnel to `host:port` through the proxy. Fails with PROXY_UNREACHABLE,
 * PROXY_AUTH (407), PROXY_REFUSED (any other answer) or TIMEOUT (no answer to CONNECT).
 */
export async function connectTunnel(proxy: ProxyServer, host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Tunnel> {
  const start = performance.now();
  const { socket, address } = await connectTcp(proxy.host, proxy.port, timeoutMs, signal, 'proxy');
  try {
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const auth = proxyAuthorization(proxy);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    const head = await readHead(
      'proxy',
      socket,
      timeoutMs,
      signal,
      (text) => new StepFailure('proxy', 'PROXY_REFUSED', `the proxy did not answer CONNECT with HTTP: "${text}"`),
      () =>
        new StepFailure(
          'proxy',
          'TIMEOUT',
          `the proxy ${proxy.display} accepted the connection but did not answer CONNECT ${authority} within ${timeoutMs} ms`,
        ),
    );
    if (head.status === 407) throw proxyAuthFailure(proxy, head.headers);
    if (head.status < 200 || head.status > 299) {
      throw new StepFailure('proxy', 'PROXY_REFUSED', `the proxy answered "${head.status} ${head.reason}" to CONNECT ${authority}`);
    }
    if (head.rest.length) socket.unshift(head.rest);
    return { socket, ms: since(start), proxyAddress: `${address}:${proxy.port}` };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** The proxy variables of an environment as the UI shows them: URLs without passwords. */
export function describeEnvProxy(env: Record<string, string | undefined>): { httpsProxy?: string; httpProxy?: string; noProxy?: string } {
  const show = (name: string): string | undefined => {
    const raw = envValue(env, name);
    if (!raw) return undefined;
    const parsed = parseProxyUrl(raw);
    return parsed.ok ? parsed.display : `${raw.replace(/\/\/[^@/]*@/, '//***@')} (not usable: ${parsed.message})`;
  };
  const httpsProxy = show('https_proxy');
  const httpProxy = show('http_proxy');
  const noProxy = envValue(env, 'no_proxy');
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), ...(noProxy ? { noProxy } : {}) };
}
