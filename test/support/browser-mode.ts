/** Starts the real browser-mode server (`tsx main/serve.ts`) in a child process for a test. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');

export async function startServe(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = env.AGENT_ONBOARD_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'ao-e2e-'));
  // tsx as a loader (one process): its CLI would fork a grandchild that a kill can miss.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/serve.ts')], {
    cwd: root,
    env: { ...process.env, AGENT_ONBOARD_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 30 s: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** What the token exchange gives a plain client: the cookie pair and the tab secret from the redirect's fragment. */
export interface PlainLogin {
  cookie: string;
  secret: string;
}

/** Exchanges the printed token as the browser would (a GET with `?token=`), without following the redirect. */
export async function loginPlainClient(port: number, token: string): Promise<PlainLogin> {
  const res = await fetch(`http://127.0.0.1:${port}/?token=${token}`, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const secret = /#ao-session=([A-Za-z0-9_-]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
  if (!cookie || !secret) throw new Error(`token exchange gave no cookie or no tab secret (status ${res.status})`);
  return { cookie, secret };
}

/** The WebSocket subprotocols a page offers with its tab secret. */
export function wsProtocols(secret: string): string[] {
  return ['agent-onboard', `ao-session.${secret}`];
}
