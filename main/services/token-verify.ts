/**
 * Checks an agent token with its vendor, using only the token, for platforms that describe such a
 * check (`Platform.tokenVerify`: GitLab's POST /api/v4/runners/verify, which creates nothing). The
 * request goes from the main process through the same proxy plan and company CA as the probe;
 * the token travels only in the request body, never in a URL, a log or an error message.
 *
 * Failures: BAD_INPUT (answers, no check for this platform), TOKEN_WRONG_KIND (a token this
 * endpoint cannot check), REMOTE_FAILED (no answer: DNS, refused, TLS, proxy), TIMEOUT, CANCELLED.
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { AnyPlatform, TokenVerification, VendorRequest } from '../../shared/platforms/types';
import type { ProxySpec } from '../../shared/probe';
import { err, ok, type Result } from '../../shared/result';
import { connectTunnel, planProxy } from './probe/proxy';

export interface TokenVerifyOptions {
  proxy?: ProxySpec;
  /** Company CA certificates (PEM) trusted besides the system's. */
  caPems?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  now?: Date;
}

const MAX_ANSWER = 64 * 1024;

/** Opens the connection for `url`: direct or through the proxy's CONNECT tunnel, TLS for https. */
async function connect(url: URL, o: TokenVerifyOptions, signal: AbortSignal, timeoutMs: number): Promise<Duplex> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  const plan = planProxy(o.proxy ?? { mode: 'none' }, o.env ?? {});
  if ('error' in plan) throw new Error(plan.error);
  const proxy = plan.forEndpoint({ host, port, protocol: https ? 'https' : 'http' });
  const raw: net.Socket = proxy
    ? (await connectTunnel(proxy, host, port, timeoutMs, signal)).socket
    : await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host, port });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
  if (!https) return raw;
  const ca = o.caPems?.length ? [...tls.rootCertificates, ...o.caPems] : undefined;
  return new Promise<Duplex>((resolve, reject) => {
    const s = tls.connect({ socket: raw, servername: net.isIP(host) ? undefined : host, ...(ca ? { ca } : {}) });
    s.once('secureConnect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends `req` and reads the status and (JSON when it is) body. */
async function send(req: VendorRequest, o: TokenVerifyOptions): Promise<{ status: number; body: unknown }> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(o.signal ? [o.signal] : [])]);
  const url = new URL(req.url);
  const socket = await connect(url, o, signal, timeoutMs);
  return new Promise((resolve, reject) => {
    const r = http.request(
      { method: req.method ?? 'GET', host: url.host, path: `${url.pathname}${url.search}`, headers: { ...req.headers, ...(req.body ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) }, createConnection: () => socket, signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: the reader says what that means.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Why nothing answered, in words, with what to do next (never the token). */
function unreachable(e: unknown, url: string, signal?: AbortSignal): Result<never> {
  if (signal?.aborted) return err('CANCELLED', 'The token check was cancelled.');
  const error = e as NodeJS.ErrnoException & { name?: string };
  const code = error.code ?? '';
  const origin = new URL(url).origin;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return err('TIMEOUT', `${origin} did not answer the token check in time.`, 'Run the connectivity checks: the way to it (or the proxy) may be blocked.');
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|unable to get local issuer/i.test(`${code} ${error.message}`)) {
    return err('REMOTE_FAILED', `${origin} presented a certificate this app does not trust (${code || error.message}).`, 'If your company inspects TLS, trust its CA on the Connectivity step (or --ca-file), then check again.');
  }
  return err('REMOTE_FAILED', `The token check could not reach ${origin}: ${error.message.split('\n')[0]}.`, 'Check the URL and run the connectivity checks.');
}

/**
 * Asks the vendor whether `token` is valid, with `answers` (validated by the platform's schema)
 * giving the URL. Sends nothing when the platform has no such check or the answers are bad.
 */
export async function verifyTokenWithVendor(platform: AnyPlatform, answers: unknown, token: string, o: TokenVerifyOptions = {}): Promise<Result<TokenVerification & { checked: string }>> {
  const spec = platform.tokenVerify;
  if (!spec) return err('BAD_INPUT', `${platform.name} has no token check with its vendor.`);
  const parsed = platform.answers.safeParse(answers);
  if (!parsed.success) return err('BAD_INPUT', `The answers are not valid for ${platform.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'answers'} ${i.message}`).join('; ')}.`);
  const req = spec.request(parsed.data, token);
  if (!req.ok) return req;
  const url = new URL(req.value.url);
  const checked = `${req.value.method ?? 'GET'} ${url.origin}${url.pathname}`;
  try {
    const answer = await send(req.value, o);
    return ok({ ...spec.read(answer, o.now ?? new Date()), checked });
  } catch (e) {
    return unreachable(e, req.value.url, o.signal);
  }
}
