/**
 * A small real HTTP proxy on 127.0.0.1 (node:http): CONNECT tunnels and absolute-form GETs,
 * optionally requiring Basic credentials (407 otherwise), optionally refusing destinations
 * (403), optionally intercepting TLS like a corporate inspection proxy (it terminates TLS with
 * its own certificate and talks TLS to the real server itself).
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { KeyCert } from './tls-certs';

export interface ProxyOptions {
  /** Require these Basic credentials. */
  auth?: { user: string; pass: string };
  /** Offer only these schemes in Proxy-Authenticate (default Basic). */
  authSchemes?: string[];
  /** Refuse CONNECT to these ports with 403. */
  denyPorts?: number[];
  /** Terminate TLS with this certificate and open a new TLS connection to the target. */
  intercept?: KeyCert;
}

export interface RunningProxy {
  port: number;
  url: string;
  /** Each CONNECT/GET target seen, with the answer given. */
  log: string[];
  stop(): Promise<void>;
}

export async function startProxy(o: ProxyOptions = {}): Promise<RunningProxy> {
  const log: string[] = [];
  const sockets = new Set<net.Socket>();
  const authorized = (h: string | undefined): boolean => !o.auth || h === `Basic ${Buffer.from(`${o.auth.user}:${o.auth.pass}`).toString('base64')}`;
  const challenge = (o.authSchemes ?? ['Basic realm="test-proxy"']).map((s) => `Proxy-Authenticate: ${s}\r\n`).join('');

  const server = http.createServer((req, res) => {
    if (!authorized(req.headers['proxy-authorization'])) {
      log.push(`GET ${req.url} 407`);
      res.writeHead(407, { 'proxy-authenticate': o.authSchemes?.[0] ?? 'Basic realm="test-proxy"' });
      res.end();
      return;
    }
    const target = new URL(req.url ?? '/');
    log.push(`GET ${req.url} forward`);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        path: target.pathname + target.search,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  server.on('connect', (req, client: net.Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const [host = '', portText = ''] = (req.url ?? '').replace(/^\[(.*)\]/, '$1').split(/:(?=\d+$)/);
    const port = Number(portText);
    if (!authorized(req.headers['proxy-authorization'])) {
      log.push(`CONNECT ${req.url} 407`);
      client.end(`HTTP/1.1 407 Proxy Authentication Required\r\n${challenge}Content-Length: 0\r\n\r\n`);
      return;
    }
    if (o.denyPorts?.includes(port)) {
      log.push(`CONNECT ${req.url} 403`);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (o.intercept) {
      log.push(`CONNECT ${req.url} intercept`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      // Like inspection proxies: wait for the client's TLS handshake (it carries the SNI), then
      // talk TLS to the real server.
      const inner = new tls.TLSSocket(client, { isServer: true, key: o.intercept.key, cert: o.intercept.cert });
      inner.on('error', () => undefined);
      inner.once('secure', () => {
        const upstream = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) });
        upstream.on('error', () => inner.destroy());
        inner.pipe(upstream).pipe(inner);
      });
      return;
    }
    const upstream = net.connect(port, host, () => {
      log.push(`CONNECT ${req.url} 200`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => {
      log.push(`CONNECT ${req.url} 502`);
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
