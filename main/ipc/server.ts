/**
 * Browser mode: the same handlers behind HTTP + WebSocket on 127.0.0.1. The printed URL carries a
 * random per-launch token. Exchanging it gives two things:
 * - an HttpOnly, SameSite=Strict cookie that only opens the static renderer build (public code);
 * - a tab session secret, handed to the page in the redirect's URL fragment, which the page keeps
 *   in its own origin's sessionStorage and offers as a WebSocket subprotocol.
 * The API socket needs both. Cookies ignore ports, so any other service on 127.0.0.1 that the
 * browser visits receives the cookie; it never receives the tab secret (fragments are never sent,
 * storage is per origin, port included), so the cookie alone calls nothing.
 * Every request without a valid token or cookie gets 401; a foreign Host or Origin gets 403.
 * Calls travel over one WebSocket per page, so a job's events go to the page that started it.
 */
import { randomBytes, timingSafeEqual, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { JobEvent } from '../../shared/ipc';
import { err } from '../../shared/result';
import { dispatchApp, type JobRegistry, type Handlers } from './dispatch';
import type { Contract } from '../../shared/ipc';
import { CSP } from './csp';
import { SESSION_FRAGMENT, WS_PROTOCOL, WS_SESSION_PREFIX } from '../../shared/browser-session';

/**
 * Prefix of the session cookie. Browsers share cookies across the ports of a host, so the name
 * carries the server's port: two browser-mode servers never log each other out.
 */
export const SESSION_COOKIE = 'ao_session';

/** A tab secret unused for this long is forgotten: the printed URL must be opened again. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** At most this many tab secrets are kept; the least recently used is dropped first. */
const MAX_SESSIONS = 64;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserServerOptions {
  handlers: Handlers<Contract>;
  jobs: JobRegistry;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  log?: (line: string) => void;
  /** Clock for session expiry (tests). */
  now?: () => number;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405, text: string): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

/** Starts browser mode; resolves once it listens. */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const cookieSecret = randomBytes(32).toString('base64url');
  const now = opts.now ?? Date.now;
  /** Tab secret → last use (ms). */
  const sessions = new Map<string, number>();
  const newSession = (): string => {
    const s = randomBytes(32).toString('base64url');
    sessions.set(s, now());
    while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    return s;
  };
  /** Whether the request offers a live tab secret; refreshes its last use. */
  const sessionOk = (req: IncomingMessage): boolean => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const secret = offered.find((p) => p.startsWith(WS_SESSION_PREFIX))?.slice(WS_SESSION_PREFIX.length);
    if (!secret) return false;
    for (const [known, lastUsed] of sessions) {
      if (!safeEqual(secret, known)) continue;
      if (now() - lastUsed > SESSION_IDLE_MS) {
        sessions.delete(known);
        return false;
      }
      sessions.delete(known);
      sessions.set(known, now());
      return true;
    }
    return false;
  };
  const staticDir = path.resolve(opts.staticDir);
  let port = 0;
  let cookieName = SESSION_COOKIE;

  // DNS rebinding needs a foreign host name, so the Host must name loopback; the port may differ
  // from ours when the user reaches us through an SSH port forward (ssh -L 8080:127.0.0.1:PORT).
  const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;
  const hostOk = (host: string | undefined): host is string => host !== undefined && LOOPBACK_HOST.test(host);

  /** 'ok', or why the request is refused. */
  const gate = (req: IncomingMessage, requireOrigin: boolean): 'ok' | 'host' | 'origin' | 'auth' => {
    const host = req.headers.host;
    if (!hostOk(host)) return 'host';
    const origin = req.headers.origin;
    // Same origin only: the page's Origin must be the very host and port it was served from.
    if (origin !== undefined ? origin !== `http://${host}` : requireOrigin) return 'origin';
    const cookie = cookieValue(req, cookieName);
    return cookie !== undefined && safeEqual(cookie, cookieSecret) ? 'ok' : 'auth';
  };

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 404, 'Not found');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = url.searchParams.get('token');
    const verdict = gate(req, false);
    if (verdict === 'host' || verdict === 'origin') return refuse(res, 403, `Forbidden: foreign ${verdict === 'host' ? 'Host' : 'Origin'} header.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    if (given !== null) {
      if (!safeEqual(given, token)) return refuse(res, 401, 'Unauthorized: the token in this URL is not the one this server printed.');
      securityHeaders(res);
      res.setHeader('Set-Cookie', `${cookieName}=${cookieSecret}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      // One leading slash only: `/.//evil.example/?token=…` has the path `//evil.example/`, which
      // a browser reads as another host (an open redirect). The tab secret goes in the fragment:
      // browsers keep it on the redirect but never send it to any server or in a Referer.
      const location = '/' + url.pathname.replace(/^\/+/, '') + (url.search || '') + `#${SESSION_FRAGMENT}=${newSession()}`;
      res.writeHead(303, { Location: location });
      res.end();
      return;
    }
    if (verdict === 'auth') return refuse(res, 401, 'Unauthorized: open the URL that `npm run serve` printed (it carries the token).');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || !path.extname(rel)) rel = '/index.html';
    const file = path.resolve(staticDir, '.' + rel);
    if (!file.startsWith(staticDir + path.sep)) return refuse(res, 404, 'Not found');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return refuse(res, 404, 'Not found');
    const body = await readFile(file);
    securityHeaders(res);
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  // The tab secret is never echoed back: the server answers with the plain protocol name only.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let verdict = url.pathname === '/api/ws' ? gate(req, true) : 'notfound';
    if (verdict === 'ok' && !sessionOk(req)) verdict = 'auth';
    if (verdict !== 'ok') {
      const status = verdict === 'auth' ? '401 Unauthorized' : verdict === 'notfound' ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const senderId = `ws-${randomUUID()}`;
    const send = (msg: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const emit = (event: JobEvent): void => send({ event });
    ws.on('message', (data, isBinary) => {
      let msg: { id?: unknown; channel?: unknown; payload?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(data.toString()) as typeof msg;
        if (!msg || typeof msg !== 'object') throw new Error('not an object');
      } catch {
        send({ id: null, result: err('BAD_INPUT', 'Messages must be JSON objects {id, channel, payload}.') });
        return;
      }
      const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
      void dispatchApp(opts.handlers, msg.channel, msg.payload, {
        senderId,
        jobs: opts.jobs,
        emit,
        onInternalError: (channel, error) => opts.log?.(`internal error on ${channel}: ${error instanceof Error ? error.message : String(error)}`),
      }).then((result) => send({ id, result }));
    });
    ws.on('close', () => opts.jobs.cancelAll(senderId));
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  cookieName = `${SESSION_COOKIE}_${port}`;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
