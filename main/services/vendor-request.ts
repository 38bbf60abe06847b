/**
 * Sends one vendor API request a platform describes (shared/platforms/types VendorRequest: URL,
 * method, headers, body — built by pure code) from the main process, and reads the answer as JSON.
 * Generic: a platform's runners list (vendorApi), a token check (tokenVerify), a PAT fetching a
 * runner token. HTTPS only (a token never travels in clear), trusting the system CAs plus the
 * company CA when given; the answer is bounded, and a non-JSON body reads as its text.
 * Failure codes: BAD_INPUT (not an https URL), TIMEOUT, CANCELLED, IO_ERROR (DNS, refused,
 * TLS — the message says which and what to do).
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { VendorRequest } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';

export interface VendorRequestOptions {
  /** PEM of a company CA to trust besides the system's (TLS interception, GitHub Enterprise Server). */
  ca?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Answers longer than this are cut (and then read as text). */
  maxBytes?: number;
}

export interface VendorAnswer {
  status: number;
  body: unknown;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

function describe(e: NodeJS.ErrnoException, host: string): string {
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} could not be resolved (DNS): check the name, or the DNS this machine uses.`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection: nothing listens there, or a firewall rejects it.`;
  if (TLS_CODES.test(code)) return `The TLS certificate of ${host} is not trusted (${code}): if a proxy inspects TLS or the server has a private CA, add the company CA on the Connectivity step.`;
  return `The request to ${host} failed: ${e.message}`;
}

/** Sends `req` and resolves to its status and JSON body (text when not JSON), or a failure that says what to do. */
export function sendVendorRequest(req: VendorRequest, opts: VendorRequestOptions = {}): Promise<Result<VendorAnswer>> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve(err('BAD_INPUT', 'The vendor request has no valid URL.'));
  }
  if (url.protocol !== 'https:') return Promise.resolve(err('BAD_INPUT', `Vendor requests go over HTTPS only, not ${url.protocol}.`));
  if (opts.signal?.aborted) return Promise.resolve(err('CANCELLED', 'Cancelled.'));
  const max = opts.maxBytes ?? 1024 * 1024;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Result<VendorAnswer>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const headers: Record<string, string> = { 'User-Agent': 'agent-onboard', ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const request = https.request(
      url,
      { method: req.method ?? 'GET', headers, ca: opts.ca ? [...rootCertificates, opts.ca] : undefined, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size >= max) return;
          chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).subarray(0, max).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            body = text;
          }
          finish(ok({ status: res.statusCode ?? 0, body }));
        });
        res.on('error', (e) => finish(err('IO_ERROR', describe(e, url.host))));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(err('TIMEOUT', `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s: check the network path (proxy, firewall) to it.`));
    }, timeoutMs);
    const onAbort = (): void => {
      request.destroy();
      finish(err('CANCELLED', 'Cancelled.'));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (e: NodeJS.ErrnoException) => finish(err('IO_ERROR', describe(e, url.host))));
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}
