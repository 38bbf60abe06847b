/**
 * The main process never crashes on what the renderer sends it: every channel of the contract,
 * fed garbage through the real dispatch and real handlers, answers a Result (BAD_INPUT), never an
 * exception or an INTERNAL error; and the browser-mode WebSocket survives malformed frames.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatchApp, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { startBrowserServer, type BrowserServer } from '../../main/ipc/server';
import { browserModeDeps } from '../../main/services/passphrase-cipher';
import { openConfStore } from '../../main/services/store';
import { CHANNELS } from '../../shared/ipc';
import { loginPlainClient, wsProtocols } from '../support/browser-mode';

const HOSTILE_STRING = `'"; $(rm -rf /) \`id\` \n[program:x]\n-oProxyCommand=sh ${'\u202e'}${'x'.repeat(70_000)}`;
const deep = (n: number): unknown => (n === 0 ? {} : { a: deep(n - 1) });
const GARBAGE: unknown[] = [
  null,
  undefined,
  42,
  'text',
  [],
  [1, 2, 3],
  true,
  { jobId: 42 },
  { jobId: '../../etc' },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
  { text: HOSTILE_STRING, path: HOSTILE_STRING, platform: HOSTILE_STRING, id: HOSTILE_STRING },
  deep(200),
  Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
];

async function handlersForTest(): Promise<{ handlers: ReturnType<typeof createHandlers>; jobs: JobRegistry }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ao-fuzz-'));
  const jobs = new JobRegistry();
  const store = await openConfStore(dataDir);
  return { jobs, handlers: createHandlers(browserModeDeps(store, dataDir, 'fuzz'), jobs) };
}

describe('every channel refuses garbage with a Result', () => {
  it(`covers all ${CHANNELS.length} channels with ${GARBAGE.length} payloads each`, async () => {
    const { handlers, jobs } = await handlersForTest();
    const internal: string[] = [];
    const ctx: CallContext = { senderId: 'fuzz', jobs, emit: () => undefined, onInternalError: (c, e) => internal.push(`${c}: ${String(e)}`) };
    for (const channel of CHANNELS) {
      for (const [i, payload] of GARBAGE.entries()) {
        const r = await dispatchApp(handlers, channel, payload, ctx);
        expect(typeof r.ok, `${channel} #${i}`).toBe('boolean');
        if (!r.ok) expect(r.error.code, `${channel} #${i}: ${r.error.message}`).not.toBe('INTERNAL');
        // Garbage must never be taken as a valid request, except by channels whose input is empty-or-anything.
        if (r.ok)
          expect(
            ['app:info', 'draft:load', 'draft:clear', 'history:list', 'probe:proxy-env', 'secrets:store-status', 'secrets:lock', 'secrets:reset'],
            `${channel} accepted #${i}`,
          ).toContain(channel);
      }
    }
    expect(internal).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});

describe('the browser-mode socket survives malformed frames', () => {
  let server: BrowserServer;
  let cookie: string;
  let protocols: string[];
  beforeAll(async () => {
    const { handlers, jobs } = await handlersForTest();
    server = await startBrowserServer({ handlers, jobs, staticDir: mkdtempSync(path.join(tmpdir(), 'ao-web-')) });
    const login = await loginPlainClient(server.port, server.token);
    cookie = login.cookie;
    protocols = wsProtocols(login.secret);
  });
  afterAll(() => server.close());

  it('answers bad frames with BAD_INPUT and keeps serving', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, protocols, { headers: { Origin: origin, Cookie: cookie } });
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    const replies: { id: unknown; result: { ok: boolean; error?: { code: string } } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d)) as (typeof replies)[number]));
    for (const frame of ['not json', '[]', 'null', '{"id":1}', '{"id":2,"channel":"nope:nope"}', Buffer.from([0, 1, 2, 255])]) ws.send(frame);
    ws.send(JSON.stringify({ id: 99, channel: 'app:info', payload: {} }));
    await new Promise((r) => setTimeout(r, 500));
    const last = replies.find((m) => m.id === 99);
    expect(last?.result.ok).toBe(true);
    const bad = replies.filter((m) => m.id !== 99);
    expect(bad.length).toBe(6);
    expect(bad.every((m) => m.result.ok === false && ['BAD_INPUT', 'UNKNOWN_CHANNEL'].includes(m.result.error!.code))).toBe(true);
    ws.close();
  });

  it('drops a frame over the size limit without taking the server down', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const big = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, protocols, { headers: { Origin: origin, Cookie: cookie } });
    await new Promise((r) => big.once('open', r));
    const closed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.send('x'.repeat(9 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
  });
});
