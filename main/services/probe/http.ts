/**
 * The HTTP step: one request (GET, no credentials, Connection: close) over a socket that is
 * already open — plain TCP, TLS, or a proxy connection — and the status line and headers of the
 * answer. Also the HTTP head reader the proxy step uses for CONNECT answers.
 */
import type { Duplex } from 'node:stream';
import type { ProbeStep } from '../../../shared/probe';
import { APP_VERSION } from '../../version';
import { StepFailure, printable, within } from './step';

export interface HttpHead {
  status: number;
  reason: string;
  headers: Record<string, string>;
  /** Bytes that arrived after the head (the start of a body, or tunnelled data). */
  rest: Buffer;
}

const MAX_HEAD = 32 * 1024;

/**
 * Reads one HTTP response head from `socket`. Fails with `notHttp` when the bytes are not an
 * HTTP response, and with TIMEOUT (or `onTimeout`) when it does not complete in time.
 */
export function readHead(
  step: ProbeStep,
  socket: Duplex,
  timeoutMs: number,
  signal: AbortSignal,
  notHttp: (text: string) => StepFailure,
  onTimeout?: () => StepFailure,
): Promise<HttpHead> {
  return within(
    step,
    timeoutMs,
    signal,
    (stepSignal) =>
      new Promise<HttpHead>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const cleanup = (): void => {
          socket.off('data', onData);
          socket.off('error', onError);
          socket.off('end', onEnd);
        };
        const onData = (chunk: Buffer): void => {
          buf = Buffer.concat([buf, chunk]);
          if (buf.length >= 5 && !buf.subarray(0, 5).toString('latin1').startsWith('HTTP/')) {
            cleanup();
            reject(notHttp(printable(buf)));
            return;
          }
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) {
            if (buf.length > MAX_HEAD) {
              cleanup();
              reject(notHttp(`an HTTP head longer than ${MAX_HEAD} bytes`));
            }
            return;
          }
          cleanup();
          socket.pause();
          try {
            resolve(parseHead(buf.subarray(0, end).toString('latin1'), buf.subarray(end + 4)));
          } catch {
            reject(notHttp(printable(buf)));
          }
        };
        const onError = (e: Error): void => {
          cleanup();
          reject(
            new StepFailure(
              step,
              step === 'proxy' ? 'PROXY_UNREACHABLE' : 'HTTP_ERROR',
              `the connection failed while waiting for an HTTP answer: ${e.message}`,
            ),
          );
        };
        const onEnd = (): void => {
          cleanup();
          reject(
            buf.length
              ? notHttp(printable(buf))
              : new StepFailure(step, step === 'proxy' ? 'PROXY_REFUSED' : 'HTTP_ERROR', 'the connection was closed without an HTTP answer'),
          );
        };
        stepSignal.addEventListener('abort', cleanup, { once: true });
        socket.on('data', onData);
        socket.once('error', onError);
        socket.once('end', onEnd);
        socket.resume();
      }),
    onTimeout,
  );
}

function parseHead(text: string, rest: Buffer): HttpHead {
  const [statusLine = '', ...headerLines] = text.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m?.[1]) throw new Error('bad status line');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(m[1]), reason: (m[2] ?? '').trim(), headers, rest };
}

export interface HttpRequest {
  /** Host header: host[:port]. */
  hostHeader: string;
  /** Origin-form path ('/x') or, through a proxy, absolute-form ('http://host:port/x'). */
  target: string;
  /** Value of Proxy-Authorization (through a proxy with credentials). */
  proxyAuthorization?: string;
}

/** An answer's head with when the request went out, for the clock check. */
export interface HttpAnswer extends HttpHead {
  /** This host's wall clock (ms since the epoch) when the request was written. */
  sentAt: number;
  /** From writing the request to the end of the answer's head, in ms (monotonic clock). */
  rttMs: number;
}

/** Sends a GET and reads the answer's head. Fails with HTTP_ERROR when the answer is not HTTP. */
export async function httpGet(socket: Duplex, req: HttpRequest, timeoutMs: number, signal: AbortSignal): Promise<HttpAnswer> {
  const lines = [
    `GET ${req.target} HTTP/1.1`,
    `Host: ${req.hostHeader}`,
    `User-Agent: agent-onboard-probe/${APP_VERSION}`,
    'Accept: */*',
    'Connection: close',
    ...(req.proxyAuthorization ? [`Proxy-Authorization: ${req.proxyAuthorization}`] : []),
  ];
  const sentAt = Date.now();
  const start = performance.now();
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  const head = await readHead(
    'http',
    socket,
    timeoutMs,
    signal,
    (text) => new StepFailure('http', 'HTTP_ERROR', `the answer is not HTTP: "${text}"`),
    () => new StepFailure('http', 'SILENT', `the server accepted the request but sent no HTTP answer within ${timeoutMs} ms`),
  );
  return { ...head, sentAt, rttMs: performance.now() - start };
}

const MAX_BODY = 16 * 1024;

/** The body of a chunked transfer as far as it arrived (a cut-off last chunk is kept as is). */
function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(raw.subarray(eol + 2, Math.min(raw.length, eol + 2 + size)));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Reads the start of an answer's body (at most 16 KiB): to its Content-Length, the end of a
 * chunked body, or the close the request's `Connection: close` asks for. Ends at the step limit
 * with what arrived; never fails (a body is evidence, not a requirement).
 */
export function readBody(socket: Duplex, head: HttpHead, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const chunked = /\bchunked\b/i.test(head.headers['transfer-encoding'] ?? '');
  const length = Number(head.headers['content-length']);
  const enough = (buf: Buffer): boolean =>
    buf.length >= MAX_BODY ||
    (chunked ? buf.includes('\r\n0\r\n') || buf.subarray(0, 3).toString('latin1') === '0\r\n' : Number.isFinite(length) && buf.length >= length);
  const decode = (buf: Buffer): string => (chunked ? dechunk(buf) : buf).subarray(0, MAX_BODY).toString('utf8');
  return new Promise<string>((resolve) => {
    let buf = head.rest;
    const finish = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('close', finish);
      socket.off('error', finish);
      signal.removeEventListener('abort', finish);
      resolve(decode(buf));
    };
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (enough(buf)) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    if (enough(buf) || signal.aborted) {
      finish();
      return;
    }
    signal.addEventListener('abort', finish, { once: true });
    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('close', finish);
    socket.once('error', finish);
    socket.resume();
  });
}
