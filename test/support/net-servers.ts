/**
 * Small real servers on 127.0.0.1 for network tests: a port that accepts and never speaks, a
 * black-holed port (the kernel drops SYNs: connects hang), an HTTPS server with a given
 * certificate, a plain HTTP server, and a DNS server that answers A queries late or never.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { KeyCert } from './tls-certs';

export interface Running {
  port: number;
  stop(): Promise<void>;
}

function listen(server: net.Server | http.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return sockets;
}

/** Accepts connections and never sends a byte (nor closes). */
export async function startSilent(): Promise<Running> {
  const server = net.createServer(() => undefined);
  const sockets = track(server);
  const port = await listen(server);
  return { port, stop: closer(server, sockets) };
}

/**
 * A port whose SYNs are dropped, so a connect hangs as it does to a firewalled address: a child
 * process listens with a backlog of 1 and then blocks forever without accepting; two filler
 * connections fill the queue, after which the kernel ignores new SYNs.
 */
export async function startBlackHole(): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(s.address().port+'\\n');setTimeout(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0),20)})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`black hole exited with ${c}`)));
  });
  await new Promise((r) => setTimeout(r, 150));
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const hung = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      fillers.push(s);
      const t = setTimeout(() => resolve(true), 300);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (hung) break;
  }
  return {
    port,
    stop: async () => {
      for (const s of fillers) s.destroy();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}

/** How a test HTTP(S) server answers besides its status. */
export interface AnswerOptions {
  /**
   * The Date header: a function giving its value for each answer, null for none, or absent for
   * Node's own (this host's clock).
   */
  date?: (() => string) | null;
}

function dated(res: http.ServerResponse, o: AnswerOptions): Record<string, string> {
  if (o.date === null) res.sendDate = false;
  return o.date ? { date: o.date() } : {};
}

/** An HTTPS server with this key and certificate on `host` (a 127/8 address), answering every request with `status`. */
export async function startHttps(kc: KeyCert, status = 200, host = '127.0.0.1', o: AnswerOptions = {}): Promise<Running> {
  const server = https.createServer({ key: kc.key, cert: kc.cert }, (req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', server: 'test-https', ...dated(res, o) });
    res.end('ok\n');
  });
  const sockets = track(server);
  server.on('secureConnection', (s) => s.on('error', () => undefined));
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, host);
  return { port, stop: closer(server, sockets) };
}

/** A plain HTTP server answering every request with `status`. */
export async function startHttp(status = 200, o: AnswerOptions = {}): Promise<Running & { requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(status, { 'content-type': 'text/plain', server: 'test-http', ...dated(res, o) });
    res.end('ok\n');
  });
  const sockets = track(server);
  const port = await listen(server);
  return { port, requests, stop: closer(server, sockets) };
}

/**
 * A DNS server on UDP 127.0.0.1 that answers A queries with `address` after `delayMs`
 * (Infinity = never). Other query types get an empty answer at once.
 */
export async function startDns(address: string, delayMs: number): Promise<Running & { queries: string[] }> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  socket.on('message', (msg, rinfo) => {
    const q = parseQuestion(msg);
    if (!q) return;
    queries.push(`${q.name} ${q.type}`);
    const reply = answer(msg, q, q.type === 1 ? address : undefined);
    const delay = q.type === 1 ? delayMs : 0;
    if (!Number.isFinite(delay)) return;
    const t = setTimeout(() => {
      timers.delete(t);
      socket.send(reply, rinfo.port, rinfo.address);
    }, delay);
    timers.add(t);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    queries,
    stop: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        socket.close(() => resolve());
      }),
  };
}

function parseQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  if (msg.length < 12) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i] as number;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += len + 1;
  }
  if (i + 5 > msg.length) return undefined;
  return { name: labels.join('.'), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

function answer(query: Buffer, q: { end: number }, address: string | undefined): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(address ? 1 : 0, 6);
  const question = query.subarray(12, q.end);
  if (!address) return Buffer.concat([header, question]);
  const rr = Buffer.alloc(16);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(1, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(4, 10);
  address.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
  return Buffer.concat([header, question, rr]);
}

/** One canned answer of a stand-in HTTPS server: status, headers and body for a path. */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Send the body with Transfer-Encoding: chunked, in pieces. */
  chunked?: boolean;
}

/**
 * An HTTPS server that answers each path with a canned answer (404 elsewhere): a loopback
 * stand-in for a vendor SaaS endpoint (Buildkite's Agent API, the Harness manager, a Bamboo
 * server), speaking the shapes their clients document, since tests cannot reach the vendors.
 */
export async function startCannedHttps(kc: KeyCert, answers: Record<string, CannedAnswer>): Promise<Running & { requests: string[] }> {
  const requests: string[] = [];
  const server = https.createServer({ key: kc.key, cert: kc.cert }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const a = answers[req.url ?? ''] ?? { status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } };
    if (a.chunked) {
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      const mid = Math.floor(a.body.length / 2);
      res.write(a.body.slice(0, mid));
      setTimeout(() => res.end(a.body.slice(mid)), 20);
      return;
    }
    res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(a.body), ...a.headers });
    res.end(a.body);
  });
  const sockets = track(server);
  server.on('secureConnection', (s) => s.on('error', () => undefined));
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { port, requests, stop: closer(server, sockets) };
}

/** GET http://127.0.0.1:port/ → body, or null when nothing (or something broken) answers. */
export function getLoopback(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2_000, agent: false }, (res) => {
      let data = '';
      res.on('data', (d) => (data += String(d)));
      res.on('end', () => resolve(data));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
  });
}

/** Polls `probe` every 200 ms until it gives a value (not null or false); throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | false> | T | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
