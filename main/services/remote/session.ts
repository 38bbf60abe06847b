/**
 * One SSH session to an agent host (ssh2): the host key is checked against the pinned known_hosts
 * inside the key exchange, before authentication, so nothing of ours (not even the user name) is
 * sent to a host whose key is not pinned. Commands and SFTP go over the same session.
 *
 * Failures: HOST_KEY_REQUIRED (nothing pinned for host:port; the presented key is in the hint),
 * HOST_KEY_MISMATCH, AUTH_FAILED, CONNECTION_LOST (refused, reset, closed), TIMEOUT, CANCELLED.
 */
import type { Duplex } from 'node:stream';
import ssh2, { type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { knownHostsLine, pinnedKeys } from '../../../shared/known-hosts';
import { err, ok, type AppError, type Result } from '../../../shared/result';
import { fingerprintOf, hostKeyPreference, keyTypeOf } from '../probe/ssh';

/** Who and where: the agent host, the login, and the pins to check its key against. */
export interface HostTarget {
  host: string;
  port: number;
  user: string;
  /** A private key ssh2 can parse (OpenSSH/PEM text); absent: the ssh-agent at `agentSocket`. */
  privateKey?: string;
  passphrase?: string;
  agentSocket?: string;
  /** known_hosts text; the host's line must be in it. */
  knownHosts: string;
  timeoutMs?: number;
  /** How long SFTP requests may stay unanswered (none completing) before the session counts as lost; 60 s by default. */
  sftpStallMs?: number;
}

/** The key a host presented, for first contact (show, confirm, pin). */
export interface PresentedKey {
  type: string;
  fingerprint: string;
  /** The known_hosts line that pins it. */
  line: string;
}

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** A connected session. Every method fails with CONNECTION_LOST when the link drops. */
export interface HostSession {
  presented: PresentedKey;
  exec(command: string, opts?: { signal?: AbortSignal; onOutput?: (text: string) => void; stdin?: string }): Promise<Result<ExecResult>>;
  sftp(): Promise<Result<SFTPWrapper>>;
  /** A TCP connection from the host to host:port on its side (for its loopback health endpoints). */
  forward(host: string, port: number): Promise<Result<Duplex>>;
  /** Set once the connection is gone (closed by either side). */
  lost(): AppError | undefined;
  close(): void;
}

const lostError = (detail: string): AppError => ({
  code: 'CONNECTION_LOST',
  message: `The connection to the host was lost: ${detail}.`,
  hint: 'Check the host is up and reachable, then run the install again: it tells what is already in place and finishes or undoes it.',
});

/** The SFTP requests that take a callback and wait for the host's answer. */
const SFTP_REQUESTS = new Set([
  'open',
  'close',
  'read',
  'write',
  'fstat',
  'stat',
  'lstat',
  'unlink',
  'rename',
  'mkdir',
  'rmdir',
  'readdir',
  'opendir',
  'chmod',
  'chown',
  'fchmod',
  'fchown',
  'setstat',
  'fsetstat',
  'utimes',
  'futimes',
  'realpath',
  'readlink',
  'symlink',
  'readFile',
  'writeFile',
  'appendFile',
  'exists',
  'fastGet',
  'fastPut',
  'ext_openssh_rename',
  'ext_openssh_fsync',
  'ext_openssh_hardlink',
  'ext_openssh_statvfs',
  'ext_openssh_fstatvfs',
]);

/**
 * An SFTP channel whose requests cannot hang forever: while any request is outstanding and none is
 * answered for `stallMs`, `onStall` runs (the caller marks the session lost and ends it) and every
 * outstanding request fails, so an upload to a host whose link is alive but whose SFTP server no
 * longer answers ends with the usual "what is in place" answer instead of waiting forever.
 */
export function watchSftp(sftp: SFTPWrapper, stallMs: number, onStall: (ms: number) => void, onEnd?: (end: (why: string) => void) => void): SFTPWrapper {
  const waiting = new Set<(e: Error) => void>();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.size === 0) return;
    timer = setTimeout(() => {
      onStall(stallMs);
      failAll(`no answer from the host's SFTP server for ${Math.round(stallMs / 1000)} s`);
    }, stallMs);
    timer.unref?.();
  };
  let ended: string | undefined;
  const failAll = (why: string): void => {
    clearTimeout(timer);
    timer = undefined;
    const failing = [...waiting];
    waiting.clear();
    for (const f of failing) f(new Error(why));
  };
  // The connection's end fails every waiting request at once (ssh2 does not answer a request still
  // queued when the link dies), and any later one straight away.
  onEnd?.((why) => {
    ended = why;
    failAll(why);
  });
  return new Proxy(sftp, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof v !== 'function' || !SFTP_REQUESTS.has(prop)) return v;
      return (...args: unknown[]): unknown => {
        const at = args.findLastIndex((a) => typeof a === 'function');
        if (at < 0) return (v as (...a: unknown[]) => unknown).apply(target, args);
        const cb = args[at] as (...r: unknown[]) => void;
        if (ended !== undefined) {
          const why = ended;
          queueMicrotask(() => cb(new Error(why)));
          return undefined;
        }
        let done = false;
        const settle = (...r: unknown[]): void => {
          if (done) return;
          done = true;
          waiting.delete(fail);
          arm();
          cb(...r);
        };
        const fail = (e: Error): void => settle(e);
        waiting.add(fail);
        if (!timer) arm();
        args[at] = settle;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * Opens a session. A host whose key is not pinned fails with HOST_KEY_REQUIRED (the presented key
 * in the hint) before authenticating; scanHostKey reads the key for first contact.
 */
export function openSession(t: HostTarget, signal?: AbortSignal): Promise<Result<HostSession>> {
  const pins = pinnedKeys(t.knownHosts, t.host, t.port);
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let presented: PresentedKey | undefined;
    let verdict: AppError | undefined;
    let gone: AppError | undefined;
    let settled = false;
    const finish = (r: Result<HostSession>): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (!r.ok) client.end();
      resolve(r);
    };
    const onAbort = (): void => finish(err('CANCELLED', 'Cancelled before anything was sent to the host.'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    client.on('error', (e: Error & { level?: string }) => {
      if (verdict) return finish({ ok: false, error: verdict });
      if (e.level === 'client-authentication')
        return finish(
          err(
            'AUTH_FAILED',
            `${t.host} refused the key for user ${t.user}.`,
            `Add the public key to ~${t.user}/.ssh/authorized_keys on the host, or give the right key (or user).`,
          ),
        );
      if (e.level === 'client-timeout')
        return finish(err('TIMEOUT', `${t.host}:${t.port} did not finish the SSH handshake in time.`, 'Check the host, the port and any firewall between.'));
      gone = lostError(e.message);
      finish({ ok: false, error: gone });
    });
    const sftpEnds = new Set<(why: string) => void>();
    client.on('close', () => {
      gone ??= lostError('the host closed the connection');
      for (const end of sftpEnds) end(gone.message);
      finish({ ok: false, error: verdict ?? gone });
    });
    client.on('ready', () => {
      const session: HostSession = {
        presented: presented!,
        exec: (command, opts) => execOn(client, command, () => gone, opts),
        sftp: () =>
          new Promise((res) => {
            if (gone) return res({ ok: false, error: gone });
            client.sftp((e, sftp) =>
              res(
                e
                  ? { ok: false, error: gone ?? lostError(e.message) }
                  : ok(
                      watchSftp(
                        sftp,
                        t.sftpStallMs ?? 60_000,
                        (ms) => {
                          gone ??= {
                            code: 'CONNECTION_LOST',
                            message: `The host stopped answering SFTP requests: none was answered for ${Math.round(ms / 1000)} s while the SSH link stayed up.`,
                            hint: 'Check the host (a full or hung disk, an overloaded sftp-server), then run the install again: it tells what is already in place and finishes or undoes it.',
                          };
                          client.end();
                        },
                        (end) => sftpEnds.add(end),
                      ),
                    ),
              ),
            );
          }),
        forward: (host, port) =>
          new Promise((res) => {
            if (gone) return res({ ok: false, error: gone });
            client.forwardOut('127.0.0.1', 0, host, port, (e, channel) =>
              res(e ? err('REMOTE_FAILED', `the host could not connect to ${host}:${port}: ${e.message}`) : ok(channel)),
            );
          }),
        lost: () => gone,
        close: () => client.end(),
      };
      finish(ok(session));
    });

    const config: ConnectConfig = {
      host: t.host,
      port: t.port,
      username: t.user,
      readyTimeout: t.timeoutMs ?? 20_000,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      algorithms: { serverHostKey: hostKeyPreference(pins.map((p) => p.keyType)) as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      hostVerifier: (key: Buffer) => {
        const blob = Buffer.from(key);
        const type = keyTypeOf(blob);
        presented = { type, fingerprint: fingerprintOf(blob), line: knownHostsLine(t.host, t.port, type, blob.toString('base64')) };
        if (pins.length === 0) {
          verdict = {
            code: 'HOST_KEY_REQUIRED',
            message: `${t.host}:${t.port} is not pinned yet. It presents ${type} ${presented.fingerprint}.`,
            hint: `Confirm this fingerprint with the host's owner, then pin it: ${presented.line}`,
          };
          return false;
        }
        if (!pins.some((p) => p.keyType === type && p.key === blob.toString('base64'))) {
          verdict = {
            code: 'HOST_KEY_MISMATCH',
            message: `${t.host}:${t.port} presented ${type} ${presented.fingerprint}, which is not the pinned key. Nothing was sent and nothing changed.`,
            hint: "The host was reinstalled, the address now points at another machine, or something intercepts the connection. Confirm the new fingerprint with the host's owner before pinning it again.",
          };
          return false;
        }
        return true;
      },
    };
    if (t.privateKey) {
      config.privateKey = t.privateKey;
      if (t.passphrase) config.passphrase = t.passphrase;
    } else if (t.agentSocket) {
      config.agent = t.agentSocket;
    }
    try {
      client.connect(config);
    } catch (e) {
      finish(
        err('BAD_INPUT', `Cannot use this key: ${e instanceof Error ? e.message : String(e)}`, 'Give an OpenSSH or PEM private key (and its passphrase).'),
      );
    }
  });
}

function execOn(
  client: InstanceType<typeof ssh2.Client>,
  command: string,
  gone: () => AppError | undefined,
  opts?: { signal?: AbortSignal; onOutput?: (text: string) => void; stdin?: string },
): Promise<Result<ExecResult>> {
  return new Promise((resolve) => {
    const lost = gone();
    if (lost) return resolve({ ok: false, error: lost });
    if (opts?.signal?.aborted) return resolve(err('CANCELLED', 'Cancelled.'));
    client.exec(command, (e, stream) => {
      if (e) return resolve({ ok: false, error: gone() ?? lostError(e.message) });
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      let sig: string | undefined;
      const onAbort = (): void => {
        stream.signal('TERM');
        stream.close();
      };
      opts?.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (d: Buffer) => {
        const text = d.toString('utf8');
        if (stdout.length < 4_000_000) stdout += text;
        opts?.onOutput?.(text);
      });
      stream.stderr.on('data', (d: Buffer) => {
        const text = d.toString('utf8');
        if (stderr.length < 1_000_000) stderr += text;
        opts?.onOutput?.(text);
      });
      stream.on('exit', (c: number | null, s?: string) => {
        code = c;
        if (s) sig = s;
      });
      stream.on('close', () => {
        opts?.signal?.removeEventListener('abort', onAbort);
        if (opts?.signal?.aborted) return resolve(err('CANCELLED', `Cancelled while running: ${command.slice(0, 120)}`));
        const lostNow = gone();
        if (lostNow && code === null) return resolve({ ok: false, error: lostNow });
        resolve(ok({ code, ...(sig ? { signal: sig } : {}), stdout, stderr }));
      });
      if (opts?.stdin !== undefined) stream.end(opts.stdin);
      else stream.end();
    });
  });
}

/**
 * The key a host presents, read in the key exchange and then dropped: no user name and no key of
 * ours is sent. `pinned` compares it with the pins in `knownHosts` (offering the pinned key types
 * first, so a host with several keys shows the pinned kind). TIMEOUT, CONNECTION_LOST, CANCELLED.
 */
export function scanHostKey(
  t: { host: string; port: number; knownHosts: string; timeoutMs?: number },
  signal?: AbortSignal,
): Promise<Result<PresentedKey & { pinned: 'yes' | 'no' | 'mismatch' }>> {
  const pins = pinnedKeys(t.knownHosts, t.host, t.port);
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let settled = false;
    const finish = (r: Result<PresentedKey & { pinned: 'yes' | 'no' | 'mismatch' }>): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      client.end();
      resolve(r);
    };
    const onAbort = (): void => finish(err('CANCELLED', 'Cancelled.'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('error', (e: Error & { level?: string }) => {
      if (e.level === 'client-timeout')
        return finish(err('TIMEOUT', `${t.host}:${t.port} did not answer the SSH handshake in time.`, 'Check the host, the port and any firewall between.'));
      finish(
        err(
          'CONNECTION_LOST',
          `Could not reach SSH on ${t.host}:${t.port}: ${e.message}.`,
          'Check the host name and port, that the host is up and that sshd runs there.',
        ),
      );
    });
    client.on('close', () =>
      finish(err('CONNECTION_LOST', `${t.host}:${t.port} closed the connection before showing a host key.`, 'Check that this port is an SSH server.')),
    );
    client.on('ready', () => finish(err('INTERNAL', 'The host key scan went past the key exchange.')));
    try {
      client.connect({
        host: t.host,
        port: t.port,
        username: 'agent-onboard-scan',
        readyTimeout: t.timeoutMs ?? 15_000,
        tryKeyboard: false,
        algorithms: { serverHostKey: hostKeyPreference(pins.map((p) => p.keyType)) as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
        hostVerifier: (key: Buffer) => {
          const blob = Buffer.from(key);
          const type = keyTypeOf(blob);
          const b64 = blob.toString('base64');
          const pinned = pins.length === 0 ? 'no' : pins.some((p) => p.keyType === type && p.key === b64) ? 'yes' : 'mismatch';
          finish(ok({ type, fingerprint: fingerprintOf(blob), line: knownHostsLine(t.host, t.port, type, b64), pinned }));
          return false;
        },
      });
    } catch (e) {
      finish(err('BAD_INPUT', `Cannot connect to ${t.host}:${t.port}: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
}
