/**
 * The renderer's only door to the system. In Electron it is the preload's `window.api`; in
 * browser mode the same interface over the page's WebSocket, authenticated by the session cookie
 * and the tab secret this origin keeps in sessionStorage (see shared/browser-session.ts).
 */
import type { Api, Channel, ChannelInput, ChannelOutput, JobEvent } from '../shared/ipc';
import type { Result } from '../shared/result';
import { SESSION_FRAGMENT, WS_PROTOCOL, WS_SESSION_PREFIX, sessionFromFragment } from '../shared/browser-session';

declare global {
  interface Window {
    api?: Api;
  }
}

/**
 * Takes the tab secret out of the URL fragment the token exchange redirected to (so it is not
 * bookmarked or copied with the URL) into this origin's sessionStorage, which survives a reload.
 */
function tabSecret(): string | undefined {
  const fromUrl = sessionFromFragment(location.hash);
  if (fromUrl) {
    sessionStorage.setItem(SESSION_FRAGMENT, fromUrl);
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(SESSION_FRAGMENT) ?? undefined;
}

function browserApi(): Api {
  const secret = tabSecret();
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Set<(e: JobEvent) => void>();
  let socket: Promise<WebSocket> | undefined;

  const fail = (message: string): Result<never> => ({
    ok: false,
    error: {
      code: 'INTERNAL',
      message,
      hint: 'Open the URL that `npm run serve` printed (it carries the token) in this tab; if browser mode was restarted, open the new one.',
    },
  });

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const protocols = secret ? [WS_PROTOCOL, WS_SESSION_PREFIX + secret] : [WS_PROTOCOL];
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`, protocols);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('connection failed'));
      ws.onclose = () => {
        socket = undefined;
        for (const done of pending.values()) done(fail('Lost the connection to Agent Onboard.'));
        pending.clear();
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as { id?: number; result?: Result<unknown>; event?: JobEvent };
        if (data.event) for (const l of listeners) l(data.event);
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      };
    });
    return socket;
  };

  return {
    invoke: async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> => {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch {
        socket = undefined;
        return fail('Could not reach Agent Onboard.');
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, channel, payload: input }));
      });
    },
    onJobEvent: (listener) => {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}

export const api: Api = window.api ?? browserApi();

/** A fresh job id for a long-running call. */
export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
