/**
 * The SSH steps: read the server's banner ourselves (so silence and non-SSH answers are named,
 * not guessed from an ssh2 error), then hand the same socket to ssh2 for the key exchange (host
 * key type and SHA256 fingerprint, checked against the pins before anything is sent), key
 * authentication, and the reverse-forward permission (tcpip-forward, released right after).
 */
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import ssh2, { type ConnectConfig } from 'ssh2';
import { knownHostsLine, pinnedKeys } from '../../../shared/known-hosts';
import type { EndpointResult, ProbeCheck } from '../../../shared/probe';
import { StepFailure, errorText, printable, since, within } from './step';

export type SshFacts = NonNullable<EndpointResult['ssh']>;

const MAX_PREAMBLE = 8 * 1024;

/**
 * Waits for the server to speak first, as SSH servers do, and returns the `SSH-` line. Fails
 * with SILENT (nothing within `timeoutMs`, or closed without a word) or NOT_SSH (something
 * else spoke, e.g. an HTTP server or a proxy's error page). Everything read is put back on the
 * socket for ssh2.
 */
export function readBanner(socket: Duplex, timeoutMs: number, signal: AbortSignal): Promise<string> {
  return within(
    'banner',
    timeoutMs,
    signal,
    (stepSignal) =>
      new Promise<string>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const cleanup = (): void => {
          socket.off('data', onData);
          socket.off('end', onEnd);
          socket.off('error', onError);
        };
        const onData = (chunk: Buffer): void => {
          buf = Buffer.concat([buf, chunk]);
          const verdict = scanPreamble(buf);
          if (verdict === 'more') return;
          cleanup();
          socket.pause();
          socket.unshift(buf);
          if (verdict.ok) resolve(verdict.banner);
          else reject(new StepFailure('banner', 'NOT_SSH', verdict.why, { answered: verdict.http ? 'http' : 'tcp' }));
        };
        const onEnd = (): void => {
          cleanup();
          reject(
            buf.length
              ? new StepFailure('banner', 'NOT_SSH', `the server sent "${printable(buf)}" and closed the connection`, { answered: 'tcp' })
              : new StepFailure('banner', 'SILENT', 'the port accepted the connection, then closed it without sending anything'),
          );
        };
        const onError = (e: Error): void => {
          cleanup();
          reject(new StepFailure('banner', 'REFUSED', `the connection was reset before the server spoke: ${errorText(e)}`));
        };
        stepSignal.addEventListener('abort', cleanup, { once: true });
        socket.on('data', onData);
        socket.once('end', onEnd);
        socket.once('error', onError);
        socket.resume();
      }),
    () => new StepFailure('banner', 'SILENT', `the port accepted the connection but sent no SSH banner within ${timeoutMs} ms`),
  );
}

type Preamble = 'more' | { ok: true; banner: string } | { ok: false; why: string; http: boolean };

/** Looks for the `SSH-` line; RFC 4253 allows other text lines before it. */
export function scanPreamble(buf: Buffer): Preamble {
  const text = buf.toString('latin1');
  if (text.startsWith('HTTP/')) return { ok: false, http: true, why: `an HTTP server answered instead of SSH: "${printable(text.split('\r\n')[0] ?? '')}"` };
  if (buf.length > 0 && buf[0] === 0x15) return { ok: false, http: false, why: 'a TLS alert came back instead of an SSH banner' };
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) break;
    const line = text.slice(from, nl).replace(/\r$/, '');
    if (line.startsWith('SSH-')) return { ok: true, banner: printable(line, 255) };
    if (/[^\x20-\x7e\t]/.test(line))
      return { ok: false, http: false, why: `the server sent bytes that are not an SSH banner: "${printable(text.slice(0, 80))}"` };
    from = nl + 1;
  }
  if (text.startsWith('SSH-') && text.length > 255) return { ok: true, banner: printable(text, 255) };
  if (buf.length > MAX_PREAMBLE || /[^\x20-\x7e\t\r\n]/.test(text.slice(from))) {
    return { ok: false, http: false, why: `the server sent bytes that are not an SSH banner: "${printable(text.slice(0, 80))}"` };
  }
  return 'more';
}

/** `SHA256:` + unpadded base64 of the SHA-256 of the key blob, as ssh-keygen -l prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (e.g. ssh-ed25519). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

const HOST_KEY_ALGOS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const DEFAULT_HOST_KEY_ORDER = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Host key algorithms with the pinned key types first, so the server shows the pinned key (as OpenSSH does). */
export function hostKeyPreference(pinnedTypes: string[]): string[] {
  const first = pinnedTypes.flatMap((t) => HOST_KEY_ALGOS[t] ?? []);
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ORDER])];
}

export interface SshCheckOptions {
  host: string;
  port: number;
  banner: string;
  /** The login user; auth is tested only with a key. */
  user?: string;
  /** A private key ssh2 can parse (see keys.keyForSsh2), already decrypted or with its passphrase. */
  privateKey?: string;
  passphrase?: string;
  /** Remote ports to ask the server to listen on (tcpip-forward), released right after. */
  forwardPorts?: number[];
  /** Bind address for the forwards: '' = all interfaces (the agent's `*:`), 'localhost' = loopback. */
  forwardBind?: string;
  /** Pinned known_hosts text; a presented key not pinned for host:port fails the run of this endpoint. */
  knownHosts?: string;
  /** Acceptable fingerprints (SHA256:...); when given, any other key is a mismatch. */
  expectFingerprints?: string[];
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Runs the SSH checks over `socket` (banner already read and put back). Adds a check per step
 * to `checks` and returns the facts; throws a StepFailure (with the facts so far) on the first
 * failing step. The socket is always closed at the end.
 */
export async function checkSsh(socket: Duplex, o: SshCheckOptions, timeoutMs: number, signal: AbortSignal, checks: ProbeCheck[]): Promise<SshFacts> {
  const facts: SshFacts = { banner: o.banner, auth: 'not-tested', ...(o.user ? { user: o.user } : {}) };
  const pins = pinnedKeys(o.knownHosts, o.host, o.port);
  let presented: { type: string; blob: Buffer; fingerprint: string } | undefined;
  let mismatch: string | undefined;

  const handshake = deferred<void>();
  const ready = deferred<void>();
  const client = new ssh2.Client();
  const fail = (e: Error & { level?: string }): void => {
    handshake.reject(e);
    ready.reject(e);
  };
  client.on('error', fail);
  client.on('close', () => fail(Object.assign(new Error('the server closed the connection'), { level: 'closed' })));
  client.on('handshake', () => handshake.resolve());
  client.on('ready', () => ready.resolve());

  const withKey = Boolean(o.privateKey && o.user);
  const config: ConnectConfig = {
    sock: socket,
    username: o.user || 'agent-onboard-probe',
    readyTimeout: 0,
    tryKeyboard: false,
    algorithms: { serverHostKey: hostKeyPreference(pins.map((p) => p.keyType)) as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
    hostVerifier: (key: Buffer) => {
      const blob = Buffer.from(key);
      presented = { type: keyTypeOf(blob), blob, fingerprint: fingerprintOf(blob) };
      mismatch = pinMismatch(presented, pins, o.expectFingerprints);
      return mismatch === undefined;
    },
    // Without a key nothing is offered: the probe stops after the key exchange.
    authHandler: [],
  };
  if (withKey && o.privateKey) {
    delete config.authHandler;
    config.privateKey = o.privateKey;
    if (o.passphrase) config.passphrase = o.passphrase;
  }

  const hostFacts = (): void => {
    if (!presented) return;
    facts.hostKeyType = presented.type;
    facts.fingerprint = presented.fingerprint;
    facts.knownHostsLine = knownHostsLine(o.host, o.port, presented.type, presented.blob.toString('base64'));
    facts.pin = mismatch ? 'mismatch' : pins.length || o.expectFingerprints?.length ? 'match' : 'unpinned';
  };

  try {
    let start = performance.now();
    client.connect(config);
    try {
      await within('ssh', timeoutMs, signal, () => handshake.promise);
    } catch (error) {
      hostFacts();
      if (mismatch) {
        checks.push({ step: 'ssh', status: 'pass', ms: since(start), detail: 'key exchange reached the host key' });
        checks.push({ step: 'hostkey', status: 'fail', detail: mismatch });
        throw new StepFailure('hostkey', 'HOST_KEY_MISMATCH', mismatch, { ssh: facts });
      }
      throw asFailure('ssh', error, 'SSH_NEGOTIATION_FAILED', `the SSH key exchange with ${o.banner} failed`, facts);
    }
    hostFacts();
    checks.push({ step: 'ssh', status: 'pass', ms: since(start), detail: `key exchange done with ${o.banner}` });
    checks.push({
      step: 'hostkey',
      status: facts.pin === 'match' ? 'pass' : 'warn',
      detail: `${facts.hostKeyType} ${facts.fingerprint}${facts.pin === 'match' ? ' — matches the pinned key' : ' — not pinned yet: confirm it with the server owner'}`,
    });

    if (!withKey) {
      checks.push({ step: 'auth', status: 'skip', detail: o.user ? 'no private key given' : 'no user and key given' });
      return facts;
    }
    start = performance.now();
    try {
      await within('auth', timeoutMs, signal, () => ready.promise);
    } catch (error) {
      const level = (error as { level?: string }).level;
      if (level === 'client-authentication') {
        facts.auth = 'rejected';
        const detail = `the server refused the key for user ${o.user}`;
        checks.push({ step: 'auth', status: 'fail', ms: since(start), detail });
        throw new StepFailure('auth', 'AUTH_REJECTED', detail, { ssh: facts });
      }
      throw asFailure('auth', error, 'SSH_NEGOTIATION_FAILED', 'the connection failed during authentication', facts);
    }
    facts.auth = 'accepted';
    checks.push({ step: 'auth', status: 'pass', ms: since(start), detail: `the key is accepted for user ${o.user}` });

    for (const port of o.forwardPorts ?? []) {
      start = performance.now();
      const outcome = await tryForward(client, o.forwardBind ?? 'localhost', port, timeoutMs, signal);
      facts.forwards = [...(facts.forwards ?? []), { port, ...outcome }];
      checks.push({ step: 'forward', status: outcome.status === 'allowed' ? 'pass' : 'fail', ms: since(start), detail: outcome.detail });
    }
    const refused = facts.forwards?.find((f) => f.status === 'refused');
    if (refused) throw new StepFailure('forward', 'FORWARD_REFUSED', refused.detail, { ssh: facts });
    return facts;
  } finally {
    client.removeAllListeners('ready');
    client.removeAllListeners('handshake');
    client.on('error', () => undefined);
    client.end();
    setTimeout(() => socket.destroy(), 200).unref();
  }
}

function pinMismatch(
  presented: { type: string; fingerprint: string; blob: Buffer },
  pins: { keyType: string; key: string }[],
  expect: string[] | undefined,
): string | undefined {
  if (expect?.length && !expect.includes(presented.fingerprint)) {
    return `the server's ${presented.type} host key is ${presented.fingerprint}, not the expected ${expect.join(' or ')}`;
  }
  if (pins.length && !pins.some((p) => p.keyType === presented.type && p.key === presented.blob.toString('base64'))) {
    return `the server's ${presented.type} host key ${presented.fingerprint} is not the pinned one (pinned: ${pins.map((p) => p.keyType).join(', ')})`;
  }
  return undefined;
}

async function tryForward(
  client: InstanceType<typeof ssh2.Client>,
  bind: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status: 'allowed' | 'refused'; detail: string }> {
  const label = `${bind || '*'}:${port}`;
  try {
    await within(
      'forward',
      timeoutMs,
      signal,
      () =>
        new Promise<void>((resolve, reject) => {
          client.forwardIn(bind, port, (e) => (e ? reject(e) : resolve()));
        }),
    );
  } catch (error) {
    if (error instanceof StepFailure && error.verdict !== 'FORWARD_REFUSED') throw error;
    return { status: 'refused', detail: `the server refused to listen on ${label} for this session (${errorText(error)})` };
  }
  // Release at once: the probe must never hold a port the real agent needs.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.min(timeoutMs, 2000));
    client.unforwardIn(bind, port, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { status: 'allowed', detail: `the server opened remote port ${label} for this session and released it` };
}

function asFailure(step: 'ssh' | 'auth', error: unknown, verdict: 'SSH_NEGOTIATION_FAILED', what: string, facts: SshFacts): StepFailure {
  if (error instanceof StepFailure) return new StepFailure(error.step, error.verdict, error.detail, { ssh: facts });
  return new StepFailure(step, verdict, `${what}: ${errorText(error)}`, { ssh: facts });
}
