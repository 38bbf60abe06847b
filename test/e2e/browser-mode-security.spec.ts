import { test, expect } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { startServe, type RunningServer } from '../support/browser-mode';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServe();
});
test.afterAll(async () => server.stop());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: url.port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

function wsStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api/ws`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

test('refuses the page, assets, API and WebSocket without the token or cookie', async () => {
  expect((await get('/')).status).toBe(401);
  expect((await get('/index.html')).status).toBe(401);
  expect((await get('/assets/anything.js')).status).toBe(401);
  expect((await get('/?token=wrong')).status).toBe(401);
  expect(await wsStatus({ Origin: server.origin })).toBe(401);
});

test('exchanges the token for an HttpOnly SameSite=Strict cookie that then opens everything', async () => {
  const first = await get(`/?token=${server.token}`);
  expect(first.status).toBe(303);
  const cookie = String(first.headers['set-cookie']);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  const session = cookie.split(';')[0]!;
  const page = await get('/', { Cookie: session });
  expect(page.status).toBe(200);
  expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  expect(await wsStatus({ Origin: server.origin, Cookie: session })).toBe(101);
  // The cookie alone, with a foreign Origin or Host, is still refused.
  expect(await wsStatus({ Origin: 'http://evil.example', Cookie: session })).toBe(403);
  expect(await wsStatus({ Cookie: session })).toBe(403);
  expect((await get('/', { Cookie: session, Origin: 'http://evil.example' })).status).toBe(403);
  expect((await get('/', { Cookie: session, Host: 'evil.example' })).status).toBe(403);
  expect((await get(`/?token=${server.token}`, { Host: `attacker.example:${new URL(server.origin).port}` })).status).toBe(403);
  // A cross-origin page on another loopback port is refused too: the Origin must be the Host.
  expect(await wsStatus({ Origin: 'http://127.0.0.1:1', Cookie: session })).toBe(403);
});

test('works through an SSH port forward, where the browser sees another port', async () => {
  const first = await get(`/?token=${server.token}`, { Host: '127.0.0.1:8080' });
  expect(first.status).toBe(303);
  const session = String(first.headers['set-cookie']).split(';')[0]!;
  // The cookie's name carries the server's port, so two servers on one host keep their sessions.
  expect(session.startsWith(`ao_session_${new URL(server.origin).port}=`)).toBe(true);
  expect((await get('/', { Cookie: session, Host: 'localhost:8080' })).status).toBe(200);
  expect(await wsStatus({ Origin: 'http://127.0.0.1:8080', Host: '127.0.0.1:8080', Cookie: session })).toBe(101);
});

test('a page from another origin cannot call the API', async ({ page }) => {
  await page.goto('about:blank');
  const outcome = await page.evaluate(async (origin) => {
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/api/ws`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  }, server.origin);
  expect(outcome).toBe('refused');
});
