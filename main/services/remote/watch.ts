/**
 * Watching an agent come up, hop by hop, within a time limit: its log read again every second
 * (over SSH, or locally on the agent host), its service state, its local health endpoint, and,
 * when the user gave a read-only token, the vendor's own list of agents. The reading itself is
 * shared/online; this file only fetches.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { readHealth, readOnlineLog, readVendorAgents, type HopReport, type Proven } from '../../../shared/online';
import { getPlatform } from '../../../shared/platforms';
import type { AgentWhere, OnlineSignal, PlatformId } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import { sendVendorRequest, type VendorAnswer, type VendorRequestOptions } from '../vendor-request';
import type { ExecResult } from './session';
import { q } from './shell';

/** Runs one shell command where the agent is (over SSH, or here). */
export type RunCommand = (command: string) => Promise<Result<ExecResult>>;
/** Opens a TCP connection to host:port as the agent host sees it. */
export type Connect = (host: string, port: number) => Promise<Result<Duplex>>;

/** Runs a command on this machine (verify on the agent host itself). */
export const runLocally: RunCommand = (command) =>
  new Promise((resolve) =>
    execFile('/bin/sh', ['-c', command], { maxBuffer: 8 * 1024 * 1024, timeout: 20_000 }, (e, stdout, stderr) => {
      const code = e && typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : e ? 1 : 0;
      resolve(ok({ code, stdout, stderr }));
    }),
  );

/** Where the log reading starts: for a fresh install, only what came after it. */
export interface LogStart {
  /** Byte offset in a log file. */
  offset?: number;
  /** Unix seconds, for journalctl and docker logs. */
  epoch?: number;
}

/** The command that prints the log from `start` (or its last 3000 lines). */
export function logCommand(where: AgentWhere, start: LogStart = {}): string {
  const log = where.log;
  if (log.source === 'journalctl') return `journalctl -u ${q(log.unit)} --no-pager -o cat ${start.epoch ? `--since @${start.epoch}` : '-n 3000'}`;
  if (log.source === 'docker-logs') return `docker logs ${start.epoch ? `--since ${start.epoch}` : '--tail 3000'} ${q(log.container)} 2>&1`;
  return start.offset !== undefined ? `tail -c +${start.offset + 1} ${q(log.file)}` : `tail -n 3000 ${q(log.file)}`;
}

/** Where a fresh install's log starts now (the size of the log file, or the time). */
export async function logStartNow(run: RunCommand, where: AgentWhere): Promise<LogStart> {
  const epoch = Math.floor(Date.now() / 1000) - 1;
  if (where.log.source === 'journalctl' || where.log.source === 'docker-logs') return { epoch };
  const r = await run(`stat -c %s ${q(where.log.file)} 2>/dev/null || echo 0`);
  return { offset: r.ok ? Number(r.value.stdout.trim()) || 0 : 0 };
}

export interface WatchUpdate {
  hops: HopReport[];
  name?: string;
  /** Milliseconds left of the time limit. */
  leftMs: number;
  online: boolean;
}

export interface WatchOptions {
  platform: PlatformId;
  where: AgentWhere;
  run: RunCommand;
  connect?: Connect;
  start?: LogStart;
  /** Hops already proven by the installer (ssh, files), shown first. */
  before?: HopReport[];
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Check the health endpoint too (Buildkite only when the user let the app add it). */
  health?: boolean;
  vendor?: VendorCheck;
  onUpdate?: (u: WatchUpdate) => void;
}

/** How the vendor's API is reached: the proxy (none: direct), company CAs, the environment a proxy of mode 'env' is read from. */
export type VendorReach = Pick<VendorRequestOptions, 'proxy' | 'caPems' | 'env'>;

/** The optional vendor-side check: a separate read-only token, kept in main only. */
export interface VendorCheck {
  baseUrl: string;
  token: string;
  /** Buildkite organization slug, or Harness account identifier. */
  scope?: string;
  /** The same way out as the other vendor calls (sendVendorRequest); none: direct, system CAs only. */
  reach?: VendorReach;
}

/**
 * Polls until every hop passed (online), a hop failed, the time limit passed, or the signal
 * aborted; resolves to the last update. A hold hop (ArmorCode's session holding its forwards)
 * passes when the same attempt showed no failure for its hold time.
 */
export async function watchOnline(o: WatchOptions): Promise<WatchUpdate> {
  const deadline = Date.now() + o.timeoutMs;
  const platform = getPlatform(o.platform);
  let holding: { attempt: number; since: number } | undefined;
  let runningSince: number | undefined;
  let last: WatchUpdate = { hops: o.before ?? [], leftMs: o.timeoutMs, online: false };
  for (;;) {
    const now = Date.now();
    // One command per poll (the log, then the service state after a marker): each exec over SSH
    // costs a channel and a shell on the host.
    const marker = '--agent-onboard-status--';
    const combined = o.where.status
      ? `${logCommand(o.where, o.start)}; printf '\\n%s\\n' ${marker}; ${o.where.status.command} 2>&1`
      : logCommand(o.where, o.start);
    const log = await o.run(combined);
    if (!log.ok)
      return { ...last, hops: [...last.hops.filter((h) => h.hop === 'ssh' || h.hop === 'files'), { hop: 'ssh', state: 'failed', detail: log.error.message }] };
    const cut = log.value.stdout.lastIndexOf(`\n${marker}\n`);
    const logText = o.where.status && cut >= 0 ? log.value.stdout.slice(0, cut) : log.value.stdout;
    const statusText = o.where.status && cut >= 0 ? log.value.stdout.slice(cut + marker.length + 2) : '';
    const running = o.where.status ? o.where.status.running.test(statusText) : false;
    // A service manager with no "stayed up" line (systemd): running on every poll for stayedUpMs proves it.
    runningSince = running ? (runningSince ?? now) : undefined;
    const stayedUp = o.where.status?.stayedUpMs;
    const proven: Proven =
      stayedUp && runningSince !== undefined && now - runningSince >= stayedUp
        ? {
            'stayed-up': `the service answered running on every poll for ${Math.round((now - runningSince) / 1000)} s (${o.where.status!.command.slice(0, 80)})`,
          }
        : {};
    const reading = readOnlineLog(o.platform, logText, proven);
    // A restart (ssh killed and started again by autossh, a crashed delegate) is shown where it
    // happened: the latest attempt must prove every hop again, and the step says it is a new one.
    let hops =
      reading.attempt > 1
        ? reading.hops.map((h) =>
            h.hop === 'started' && h.state === 'passed'
              ? { ...h, detail: `${h.detail}: attempt ${reading.attempt} (restarted ${reading.attempt - 1} time(s) in this log); it proves each hop again` }
              : h,
          )
        : reading.hops;
    if (o.where.status && !running) {
      hops = hops.map((h) =>
        h.hop === 'started' && h.state === 'passed'
          ? { ...h, state: 'waiting', detail: `the service is not running now: ${statusText.trim().slice(0, 200) || 'no answer'}` }
          : h,
      );
    }
    const hold = hops.find((h) => h.state === 'holding');
    if (hold) {
      const signal = platform?.online.find((s): s is Extract<OnlineSignal, { kind: 'log' }> => s.kind === 'log' && s.hop === hold.hop && Boolean(s.holdMs));
      if (!holding || holding.attempt !== reading.attempt) holding = { attempt: reading.attempt, since: now };
      if (signal?.holdMs && now - holding.since >= signal.holdMs) hops = hops.map((h) => (h === hold ? { ...h, state: 'passed', detail: signal.meaning } : h));
    } else holding = undefined;
    if (o.health && hops.every((h) => h.state === 'passed')) {
      for (const s of platform?.online ?? []) {
        if (s.kind !== 'health') continue;
        // Inside a container the port is not published: asked from inside it (next-platforms.md A2).
        const inside = s.inContainer && o.where.log.source === 'docker-logs' ? o.where.log.container : undefined;
        if (!inside && !o.connect) continue;
        const answer = inside ? await httpGetInContainer(o.run, inside, s.port, s.path) : await httpGet(o.connect!, s.port, s.path);
        const report = answer.ok
          ? readHealth(s, answer.value.status, answer.value.body)
          : { hop: s.hop, state: 'waiting' as const, detail: `${s.path}: ${answer.error.message}` };
        hops = [...hops, { ...report, detail: `health ${report.detail}` }];
      }
    }
    // The vendor is asked about the agent's resolved name once the log proved it; a platform whose
    // log never names the agent (GitLab Runner: the runner id is the scope) is asked without one.
    const vendorName = reading.name ?? (platform?.online.some((s) => s.kind === 'log' && s.name !== undefined) ? undefined : '');
    if (o.vendor && vendorName !== undefined && hops.every((h) => h.state === 'passed'))
      hops = [...hops, await vendorCheck(o.platform, vendorName, o.vendor, o.signal)];
    else if (o.vendor && platform?.vendorApi?.pendingWhileWaiting && !hops.some((h) => h.state === 'failed') && hops.some((h) => h.state === 'waiting')) {
      const asked = await vendorCheck(o.platform, reading.name ?? '', o.vendor, o.signal);
      if (asked.state === 'pending') hops = [...hops, asked];
    }
    const online = hops.length > 0 && hops.every((h) => h.state === 'passed');
    last = { hops: [...(o.before ?? []), ...hops], ...(reading.name ? { name: reading.name } : {}), leftMs: Math.max(0, deadline - Date.now()), online };
    o.onUpdate?.(last);
    // A failure line in this install's log is reported at once, with its hop: the agent may retry,
    // but the cause is known and waiting would only hide it.
    if (online || hops.some((h) => h.state === 'failed')) return last;
    if (Date.now() >= deadline || o.signal?.aborted) return last;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  }
}

/**
 * GET http://localhost:port/path inside a container (`docker exec … curl`), with a 5 s limit: the
 * status from curl's `%{http_code}`, REMOTE_FAILED when nothing answered or curl is missing there.
 */
export async function httpGetInContainer(run: RunCommand, container: string, port: number, path: string): Promise<Result<{ status: number; body: string }>> {
  const marker = '--agent-onboard-http-status--';
  const r = await run(`docker exec ${q(container)} curl -sS -m 5 -w ${q(`\\n${marker}%{http_code}`)} ${q(`http://localhost:${port}${path}`)} 2>&1`);
  if (!r.ok) return r;
  const at = r.value.stdout.lastIndexOf(`\n${marker}`);
  const status = at >= 0 ? Number(r.value.stdout.slice(at + marker.length + 1).trim()) : 0;
  if (at < 0 || !status)
    return err('REMOTE_FAILED', `nothing answered on port ${port} in ${container}: ${r.value.stdout.trim().slice(0, 200) || `exit ${r.value.code}`}`);
  return ok({ status, body: r.value.stdout.slice(0, at) });
}

/** GET http://host-side-localhost:port/path through `connect`, with a 5 s limit. */
export function httpGet(connect: Connect, port: number, path: string): Promise<Result<{ status: number; body: string }>> {
  return new Promise((resolve) => {
    void connect('127.0.0.1', port).then((sock) => {
      if (!sock.ok) return resolve(sock);
      const req = http.request({ method: 'GET', path, host: 'localhost', createConnection: () => sock.value, timeout: 5_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body.length < 64_000 ? (body += d) : undefined));
        res.on('end', () => resolve(ok({ status: res.statusCode ?? 0, body })));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (e) => resolve(err('REMOTE_FAILED', `nothing answered on port ${port}: ${e.message}`)));
      req.end();
    });
  });
}

/**
 * Asks the vendor whether it sees the agent, by its resolved name, with the requests the
 * platform's `vendorApi` documents (each made only when the one before it answered 2xx), through
 * sendVendorRequest: the proxy and company CA of `v.reach`, 10 s a request.
 */
export async function vendorCheck(platform: PlatformId, name: string, v: VendorCheck, signal?: AbortSignal): Promise<HopReport> {
  const api = getPlatform(platform)?.vendorApi;
  if (!api) return { hop: 'vendor', state: 'not-checked', detail: 'this platform has no vendor API for agents' };
  const base = v.baseUrl.replace(/\/+$/, '');
  const answers: (VendorAnswer | undefined)[] = [];
  for (const [i, req] of api.requests(base, v.scope ?? '', name, v.token).entries()) {
    const before = answers[i - 1];
    if (i > 0 && !(before && before.status >= 200 && before.status < 300)) {
      answers.push(undefined);
      continue;
    }
    const r = await sendVendorRequest(req, { ...v.reach, timeoutMs: 10_000, ...(signal ? { signal } : {}) });
    if (!r.ok && i === 0)
      return { hop: 'vendor', state: 'failed', detail: `the vendor API did not answer: ${r.error.message}${r.error.hint ? ` ${r.error.hint}` : ''}` };
    answers.push(r.ok ? r.value : undefined);
  }
  return readVendorAgents(api, name, answers);
}
