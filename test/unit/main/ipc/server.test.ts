import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry, type Handlers } from '../../../../main/ipc/dispatch';
import { startBrowserServer, type BrowserServer } from '../../../../main/ipc/server';
import type { Contract } from '../../../../shared/ipc';
import WebSocket from 'ws';
import { loginPlainClient, wsProtocols } from '../../../support/browser-mode';

// Raw sockets, so the request line reaches the server byte for byte (no client-side normalising).
let server: BrowserServer;
let cookie = '';
const TOKEN = 'test-token-0123456789';

function raw(requestLine: string, headers: string[] = []): Promise<{ status: number; location?: string; setCookie?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => {
      socket.write([requestLine, `Host: 127.0.0.1:${server.port}`, 'Connection: close', ...headers, '', ''].join('\r\n'));
    });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const location = /^Location: (.*)$/im.exec(head)?.[1];
      const setCookie = /^Set-Cookie: ([^;]+)/im.exec(head)?.[1];
      resolve({ status: Number(head.split(' ')[1]), ...(location !== undefined ? { location } : {}), ...(setCookie !== undefined ? { setCookie } : {}), body });
    });
  });
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ao-serve-'));
  mkdirSync(path.join(root, 'web'));
  mkdirSync(path.join(root, 'web-other'));
  writeFileSync(path.join(root, 'web', 'index.html'), 'INDEX-PAGE');
  writeFileSync(path.join(root, 'web', 'app.js'), 'APP-JS');
  writeFileSync(path.join(root, 'outside-secret.txt'), 'OUTSIDE-SECRET');
  writeFileSync(path.join(root, 'web-other', 'x.js'), 'SIBLING-FOLDER');
  server = await startBrowserServer({ handlers: {} as Handlers<Contract>, jobs: new JobRegistry(), staticDir: path.join(root, 'web'), token: TOKEN });
  const login = await raw(`GET /?token=${TOKEN} HTTP/1.1`);
  expect(login.status).toBe(303);
  cookie = login.setCookie!;
});
afterAll(async () => server.close());

describe('browser mode: static files', () => {
  it('serves files of the renderer build to a logged-in page', async () => {
    const r = await raw('GET /app.js HTTP/1.1', [`Cookie: ${cookie}`]);
    expect([r.status, r.body]).toEqual([200, 'APP-JS']);
  });

  it.each([
    '/../outside-secret.txt',
    '/%2e%2e/outside-secret.txt',
    '/.%2e/outside-secret.txt',
    '/..%2foutside-secret.txt',
    '/%2e%2e%2foutside-secret.txt',
    '/..%5coutside-secret.txt',
    '/assets/..%2f..%2foutside-secret.txt',
    '/..%2fweb-other/x.js',
    '/app.js%00.html',
    '/%E0%A4%A.js',
  ])('never serves anything outside the build for %s', async (p) => {
    const r = await raw(`GET ${p} HTTP/1.1`, [`Cookie: ${cookie}`]);
    expect(r.status).toBe(404);
    expect(r.body).not.toMatch(/OUTSIDE-SECRET|SIBLING-FOLDER/);
  });
});

describe('browser mode: the token exchange', () => {
  it.each(['/.//evil.example/?token=', '/./\\evil.example?token=', '//evil.example?token=', '/.//evil.example/x?a=1&token='])(
    'redirects %s only to a path on this server (never a protocol-relative //host)',
    async (p) => {
      const r = await raw(`GET ${p}${TOKEN} HTTP/1.1`);
      expect(r.status).toBe(303);
      expect(r.location).toMatch(/^\/(?![/\\])/);
      expect(r.location).not.toContain(TOKEN);
    },
  );
});

describe('browser mode: the tab secret', () => {
  it('is forgotten after 12 hours unused, so an old tab must open the printed URL again', async () => {
    let clock = 1_000_000;
    const s = await startBrowserServer({
      handlers: {} as Handlers<Contract>,
      jobs: new JobRegistry(),
      staticDir: mkdtempSync(path.join(tmpdir(), 'ao-web-')),
      now: () => clock,
    });
    try {
      const login = await loginPlainClient(s.port, s.token);
      const status = (): Promise<number> =>
        new Promise((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/ws`, wsProtocols(login.secret), {
            headers: { Origin: `http://127.0.0.1:${s.port}`, Cookie: login.cookie },
          });
          ws.on('open', () => {
            expect(ws.protocol).toBe('agent-onboard');
            ws.close();
            resolve(101);
          });
          ws.on('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
        });
      expect(await status()).toBe(101);
      clock += 11 * 3600_000;
      expect(await status()).toBe(101);
      clock += 12 * 3600_000 + 1;
      expect(await status()).toBe(401);
    } finally {
      await s.close();
    }
  });
});
