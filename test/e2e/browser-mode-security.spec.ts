import { test, expect } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNELS } from '../../shared/ipc';
import { startServe, wsProtocols, type RunningServer } from '../support/browser-mode';

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

function wsStatus(headers: Record<string, string>, protocols: string[] = ['agent-onboard']): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api/ws`, protocols, { headers });
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

function tabSecret(location: string | string[] | undefined): string {
  return /#ao-session=([A-Za-z0-9_-]+)$/.exec(String(location))?.[1] ?? '';
}

test('exchanges the token for an HttpOnly SameSite=Strict cookie for the page and a tab secret for the API', async () => {
  const first = await get(`/?token=${server.token}`);
  expect(first.status).toBe(303);
  const cookie = String(first.headers['set-cookie']);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  const secret = tabSecret(first.headers.location);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const session = cookie.split(';')[0]!;
  const page = await get('/', { Cookie: session });
  expect(page.status).toBe(200);
  expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  expect(await wsStatus({ Origin: server.origin, Cookie: session }, wsProtocols(secret))).toBe(101);
  // The cookie without the tab secret, or with a made-up one, opens no socket.
  expect(await wsStatus({ Origin: server.origin, Cookie: session })).toBe(401);
  expect(await wsStatus({ Origin: server.origin, Cookie: session }, wsProtocols('A'.repeat(43)))).toBe(401);
  // The tab secret without the cookie neither.
  expect(await wsStatus({ Origin: server.origin }, wsProtocols(secret))).toBe(401);
  // The cookie alone, with a foreign Origin or Host, is still refused.
  expect(await wsStatus({ Origin: 'http://evil.example', Cookie: session })).toBe(403);
  expect(await wsStatus({ Cookie: session })).toBe(403);
  expect((await get('/', { Cookie: session, Origin: 'http://evil.example' })).status).toBe(403);
  expect((await get('/', { Cookie: session, Host: 'evil.example' })).status).toBe(403);
  expect((await get(`/?token=${server.token}`, { Host: `attacker.example:${new URL(server.origin).port}` })).status).toBe(403);
  // A cross-origin page on another loopback port is refused too: the Origin must be the Host.
  expect(await wsStatus({ Origin: 'http://127.0.0.1:1', Cookie: session }, wsProtocols(secret))).toBe(403);
});

test('works through an SSH port forward, where the browser sees another port', async () => {
  const first = await get(`/?token=${server.token}`, { Host: '127.0.0.1:8080' });
  expect(first.status).toBe(303);
  const session = String(first.headers['set-cookie']).split(';')[0]!;
  // The cookie's name carries the server's port, so two servers on one host keep their sessions.
  expect(session.startsWith(`ao_session_${new URL(server.origin).port}=`)).toBe(true);
  expect((await get('/', { Cookie: session, Host: 'localhost:8080' })).status).toBe(200);
  expect(await wsStatus({ Origin: 'http://127.0.0.1:8080', Host: '127.0.0.1:8080', Cookie: session }, wsProtocols(tabSecret(first.headers.location)))).toBe(
    101,
  );
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

/** A plain client's call of one channel with whatever it has; 'refused:<status>' when no socket opens. */
function callAs(headers: Record<string, string>, protocols: string[], channel: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api/ws`, protocols, { headers });
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel, payload: {} })));
    ws.on('message', (d) => {
      ws.close();
      resolve(`answered: ${String(d).slice(0, 80)}`);
    });
    ws.on('unexpected-response', (_req, res) => resolve(`refused:${res.statusCode}`));
    ws.on('error', () => resolve('refused:error'));
  });
}

test('the attack: a page on another loopback port gets nothing that calls a channel', async ({ page }) => {
  // The "other service" the browser visits: it records every header it receives, as a hostile
  // local service would, including the cookies browsers send to every port of 127.0.0.1.
  const seen: IncomingHttpHeaders[] = [];
  const spy = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><img src="/pixel.png">');
  });
  await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The page can call the API (its tab secret is in its own sessionStorage).
    const own = await page.evaluate(async () => {
      const secret = sessionStorage.getItem('ao-session') ?? '';
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api/ws`, ['agent-onboard', `ao-session.${secret}`]);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: 'app:info', payload: {} }));
        ws.onmessage = (m) => resolve(String(m.data));
        ws.onerror = () => resolve('refused');
      });
    });
    expect(JSON.parse(own)).toMatchObject({ id: 1, result: { ok: true } });
    expect(page.url()).not.toContain('ao-session');

    const spyOrigin = `http://127.0.0.1:${(spy.address() as AddressInfo).port}`;
    await page.goto(`${spyOrigin}/`);
    await page.waitForLoadState('load');
    expect(seen.length).toBeGreaterThan(0);
    // The premise of the attack holds: the browser did hand the app's cookie to the other port.
    const cookies = [...new Set(seen.map((h) => h.cookie).filter((c): c is string => c !== undefined))];
    expect(cookies.join(';')).toMatch(new RegExp(`ao_session_${new URL(server.origin).port}=`));

    // Replay everything the spy got, with the app's Origin and Host, against every channel, and
    // offer every header value it saw as a would-be tab secret too.
    const values = [
      ...new Set(
        seen.flatMap((h) =>
          Object.values(h)
            .flat()
            .filter((v): v is string => typeof v === 'string'),
        ),
      ),
    ];
    const guesses = values.flatMap((v) => v.split(/[;,=\s]+/)).filter((v) => /^[A-Za-z0-9_-]{16,}$/.test(v));
    const replayHeaders = { Origin: server.origin, Cookie: cookies.join('; ') };
    const attempts = [['agent-onboard'], ...guesses.map((g) => wsProtocols(g))];
    const outcomes = new Set<string>();
    for (const channel of CHANNELS) {
      for (const protocols of attempts) outcomes.add(await callAs(replayHeaders, protocols, channel));
    }
    expect([...outcomes]).toEqual(['refused:401']);
  } finally {
    await new Promise<void>((r) => spy.close(() => r()));
  }
});
