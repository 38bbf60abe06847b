/**
 * The one sender of vendor API requests (shared/platforms/types VendorRequest: URL, method,
 * headers such as a Bearer token, body — built by pure platform code) from the main process:
 * a token check (Platform.tokenVerify), a PAT fetching a runner token, an app-installation check.
 * It goes direct or through the proxy plan's CONNECT tunnel (the same planner as the probe), and
 * trusts the system CAs plus the company CA when given. The answer is bounded and read as JSON
 * when it is JSON (its text otherwise). Nothing here logs or echoes a header or the body sent.
 *
 * Failures: BAD_INPUT (no valid http(s) URL, a bad proxy), REMOTE_FAILED (DNS, refused, TLS, proxy
 * — the message says which and what to do), TIMEOUT, CANCELLED.
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { VendorRequest } from '../../shared/platforms/types';
import type { ProxySpec } from '../../shared/probe';
import { err, ok, type Result } from '../../shared/result';
import { connectTunnel, planProxy } from './probe/proxy';

export interface VendorRequestOptions {
  proxy?: ProxySpec;
  /** Company CA certificates (PEM) trusted besides the system's. */
  caPems?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The environment a proxy of mode 'env' is read from. */
  env?: Record<string, string | undefined>;
  /** Answers longer than this are cut (default 64 KiB). */
  maxBytes?: number;
}

export interface VendorAnswer {
  status: number;
  body: unknown;
}

/** Opens the connection for `url`: direct or through the proxy's CONNECT tunnel, TLS for https. */
async function connect(url: URL, o: VendorRequestOptions, signal: AbortSignal, timeoutMs: number): Promise<Duplex> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  const plan = planProxy(o.proxy ?? { mode: 'none' }, o.env ?? {});
  if ('error' in plan) throw Object.assign(new Error(plan.error), { code: 'BAD_PROXY' });
  const proxy = plan.forEndpoint({ host, port, protocol: https ? 'https' : 'http' });
  const raw: net.Socket = proxy
    ? (await connectTunnel(proxy, host, port, timeoutMs, signal)).socket
    : await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host, port });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
        signal.addEventListener('abort', () => s.destroy(signal.reason as Error), { once: true });
      });
  if (!https) return raw;
  const ca = o.caPems?.length ? [...tls.rootCertificates, ...o.caPems] : undefined;
  return new Promise<Duplex>((resolve, reject) => {
    const s = tls.connect({ socket: raw, servername: net.isIP(host) ? undefined : host, ...(ca ? { ca } : {}) });
    s.once('secureConnect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends `req` and reads the status and (JSON when it is) body; throws what went wrong. */
async function send(req: VendorRequest, url: URL, o: VendorRequestOptions, signal: AbortSignal, timeoutMs: number): Promise<VendorAnswer> {
  const max = o.maxBytes ?? 64 * 1024;
  const socket = await connect(url, o, signal, timeoutMs);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'user-agent': 'agent-onboard',
      ...req.headers,
      ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
    };
    const r = http.request(
      { method: req.method ?? 'GET', host: url.host, path: `${url.pathname}${url.search}`, headers, createConnection: () => socket, signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= max) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            // Not JSON: the platform's reader says what that means.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    // A proxy tunnel's socket comes paused (its CONNECT answer was read by hand): TLS resumes it on
    // its own, a plain http:// request through the tunnel waited forever until this.
    r.on('socket', (s) => s.resume());
    r.end(req.body);
  });
}

/** Why nothing answered, in words, with what to do next (never a header or the body sent). */
function unreachable(e: unknown, url: URL, timedOut: boolean, signal?: AbortSignal): Result<never> {
  if (signal?.aborted) return err('CANCELLED', `The request to ${url.origin} was cancelled.`);
  const error = e as NodeJS.ErrnoException & { name?: string };
  const code = error.code ?? '';
  if (code === 'BAD_PROXY') return err('BAD_INPUT', error.message, 'Fix the proxy on the Connectivity step (or --proxy).');
  if (timedOut || error.name === 'TimeoutError' || error.name === 'AbortError')
    return err('TIMEOUT', `${url.origin} did not answer in time.`, 'Run the connectivity checks: the way to it (or the proxy) may be blocked.');
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|unable to get local issuer|ERR_TLS/i.test(`${code} ${error.message}`)) {
    return err(
      'REMOTE_FAILED',
      `${url.origin} presented a certificate this app does not trust (${code || error.message}).`,
      'If your company inspects TLS or the server has a private CA, trust its CA on the Connectivity step (or --ca-file), then try again.',
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return err('REMOTE_FAILED', `${url.hostname} could not be resolved (DNS).`, 'Check the URL, or the DNS (or proxy) this machine uses.');
  if (code === 'ECONNREFUSED')
    return err(
      'REMOTE_FAILED',
      `${url.host} refused the connection: nothing listens there, or a firewall rejects it.`,
      'Check the URL and run the connectivity checks.',
    );
  return err(
    'REMOTE_FAILED',
    `The request to ${url.origin} failed: ${(error.message ?? String(e)).split('\n')[0]}.`,
    'Check the URL and run the connectivity checks.',
  );
}

/** Sends `req` (direct or through the proxy, trusting the company CA) and resolves to its answer or a failure that says what to do. */
export async function sendVendorRequest(req: VendorRequest, o: VendorRequestOptions = {}): Promise<Result<VendorAnswer>> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return err('BAD_INPUT', 'The vendor request has no valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('BAD_INPUT', `Vendor requests go over HTTP(S), not ${url.protocol}.`);
  if (o.signal?.aborted) return err('CANCELLED', `The request to ${url.origin} was cancelled.`);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([timeout, ...(o.signal ? [o.signal] : [])]);
  try {
    return ok(await send(req, url, o, signal, timeoutMs));
  } catch (e) {
    return unreachable(e, url, timeout.aborted, o.signal);
  }
}
