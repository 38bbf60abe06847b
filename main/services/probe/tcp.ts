/** The TCP step: one connect to an address, timed, within the step limit. */
import net from 'node:net';
import { StepFailure, errorText, since, within } from './step';

export interface TcpConnection {
  socket: net.Socket;
  address: string;
  ms: number;
}

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EACCES', 'EPERM']);

/**
 * Connects to `address:port`. Fails with REFUSED (reset), UNREACHABLE (no route, or a local
 * policy forbids it) or TIMEOUT (dropped: no answer at all within `timeoutMs`).
 * `step` is 'tcp' for the endpoint itself and 'proxy' when connecting to a proxy.
 */
export async function connectTcp(address: string, port: number, timeoutMs: number, signal: AbortSignal, step: 'tcp' | 'proxy' = 'tcp'): Promise<TcpConnection> {
  const start = performance.now();
  const label = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  let socket: net.Socket | undefined;
  try {
    await within(
      step,
      timeoutMs,
      signal,
      (stepSignal) =>
        new Promise<void>((resolve, reject) => {
          socket = net.connect({ host: address, port });
          stepSignal.addEventListener('abort', () => socket?.destroy(), { once: true });
          socket.once('connect', () => resolve());
          socket.once('error', (e) => reject(classify(label, e, step)));
        }),
      () =>
        new StepFailure(
          step,
          step === 'proxy' ? 'PROXY_UNREACHABLE' : 'TIMEOUT',
          `the TCP connect to ${label} got no answer within ${timeoutMs} ms: the packets are most likely dropped by a firewall`,
        ),
    );
  } catch (error) {
    socket?.destroy();
    throw error;
  }
  if (!socket) throw new StepFailure(step, 'UNREACHABLE', `could not open a socket to ${label}`);
  socket.setNoDelay(true);
  return { socket, address, ms: since(start) };
}

function classify(label: string, error: Error, step: 'tcp' | 'proxy'): StepFailure {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (step === 'proxy') return new StepFailure('proxy', 'PROXY_UNREACHABLE', `could not connect to the proxy at ${label}: ${errorText(error)}`);
  if (REFUSED.has(code)) return new StepFailure('tcp', 'REFUSED', `${label} refused the connection (${code})`);
  if (UNREACHABLE.has(code)) return new StepFailure('tcp', 'UNREACHABLE', `no route to ${label} (${code})`);
  if (code === 'ETIMEDOUT') return new StepFailure('tcp', 'TIMEOUT', `the TCP connect to ${label} timed out in the kernel (${code})`);
  return new StepFailure('tcp', 'UNREACHABLE', `could not connect to ${label}: ${errorText(error)}`);
}
