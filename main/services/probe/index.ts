/**
 * The connectivity probe: every endpoint at once, each through its steps (DNS → proxy → TCP →
 * SSH banner, key exchange, host key, auth, forward | TLS → HTTP), each step with its own time
 * limit, the whole run with a deadline. A host that accepts and never speaks, a black-holed
 * address or a slow DNS server costs one step limit, not the run; the run takes about as long
 * as its slowest endpoint. Plain Node: used by the IPC handler, the CLI and the benchmark.
 */
import { setMaxListeners } from 'node:events';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { measureClock } from '../../../shared/clock-skew';
import {
  baseDomain,
  clockWarnings,
  endpointLabel,
  levelOf,
  runPassed,
  suggestPortSwitch,
  type EndpointResult,
  type ProbeCheck,
  type ProbeEndpoint,
  type ProbeRun,
  type ProbeStep,
  type TrustedCa,
  type VerdictCode,
} from '../../../shared/probe';
import { resolveHost, type DnsAnswer } from './dns';
import { judgeVendorAnswer } from '../../../shared/vendor-answers';
import { httpGet, readBody, type HttpAnswer, type HttpHead } from './http';
import { connectTunnel, proxyAuthFailure, proxyAuthorization, type ProxyPlan } from './proxy';
import { checkSsh, readBanner } from './ssh';
import type { Ssh2Key } from '../keys';
import { StepFailure, abortedFailure, errorText, since } from './step';
import { connectTcp } from './tcp';
import { handshake, judgeCertificate, nameError, type TlsOutcome } from './tls';

export { planProxy, type ProxyPlan } from './proxy';

export interface ProbeOptions {
  /** Limit of each step, in ms (DNS, connect, banner, handshake, auth, each forward, HTTP answer). */
  timeoutMs: number;
  /** Limit of the whole run, in ms; default 3 × timeoutMs. */
  deadlineMs?: number;
  /** SSH login for the auth and forward checks (auth is tested only with a key). */
  ssh?: { user?: string; key?: Ssh2Key; forwardPorts?: number[]; forwardBind?: string };
  /** Pinned known_hosts lines; a key not pinned for a host:port that has pins is a mismatch. */
  knownHosts?: string;
  /** Acceptable host key fingerprints for every SSH endpoint (SHA256:...). */
  expectFingerprints?: string[];
  /** Which proxy each endpoint goes through (see planProxy). */
  proxy?: ProxyPlan;
  /** DNS servers to ask instead of the system resolver (ip or ip:port). */
  dnsServers?: string[];
  /** CAs (PEM) to trust besides the system's. */
  extraCa?: string[];
  /** What extraCa holds, for the run's report (see readCaBundle). */
  trustedCas?: TrustedCa[];
  /** For ssh and auto endpoints: how long a port may stay quiet before TLS is tried beside the wait for an SSH banner (the TLS try gets the rest of the step limit). Default min(timeoutMs / 3, 1500); at most timeoutMs / 2. */
  autoSniffMs?: number;
  /** Endpoints probed at the same time (default 64). */
  concurrency?: number;
}

export interface ProbeHooks {
  /** Aborting it cancels the run: unfinished endpoints end as CANCELLED at once. */
  signal?: AbortSignal;
  /** Called once per endpoint as soon as it is done (results may be refined once more at the end, see crossCheck). */
  onResult?(result: EndpointResult, done: number, total: number): void;
}

/** Probes every endpoint (in parallel) and returns the run with suggestions. Never throws. */
export async function runProbes(endpoints: ProbeEndpoint[], options: ProbeOptions, hooks: ProbeHooks = {}): Promise<ProbeRun> {
  const startedAt = new Date();
  const start = performance.now();
  const timeoutMs = options.timeoutMs;
  const deadlineMs = options.deadlineMs ?? timeoutMs * 3;
  const run = new AbortController();
  // Every running step listens to the run's signal; dozens at once is expected, not a leak.
  setMaxListeners(0, run.signal);
  const onCancel = (): void => run.abort('cancelled');
  if (hooks.signal?.aborted) run.abort('cancelled');
  hooks.signal?.addEventListener('abort', onCancel, { once: true });
  const deadline = setTimeout(() => run.abort('deadline'), deadlineMs);

  const results: EndpointResult[] = new Array(endpoints.length);
  let done = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < endpoints.length) {
      const i = next++;
      const endpoint = endpoints[i] as ProbeEndpoint;
      const result = await probeOne(endpoint, options, run.signal);
      results[i] = result;
      done += 1;
      hooks.onResult?.(result, done, endpoints.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 64, endpoints.length) }, worker));
  } finally {
    clearTimeout(deadline);
    hooks.signal?.removeEventListener('abort', onCancel);
  }
  crossCheck(results);
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ms: since(start),
    timeoutMs,
    deadlineMs,
    ...(options.proxy?.describe ? { proxy: options.proxy.describe } : {}),
    ...(options.trustedCas?.length ? { trustedCas: options.trustedCas } : {}),
    passed: runPassed(results),
    results,
    suggestions: suggestPortSwitch(results),
  };
}

/**
 * The run-wide part of the interception rule: an untrusted issuer that signed certificates of
 * hosts in different domains in this run is a middlebox, so those TLS_UNTRUSTED become
 * TLS_INTERCEPTED.
 */
export function crossCheck(results: EndpointResult[]): void {
  const untrusted = results.filter((r) => r.tls && !r.tls.trusted && r.tls.issuer);
  for (const r of untrusted) {
    if (r.verdict !== 'TLS_UNTRUSTED' || !r.tls) continue;
    const issuer = r.tls.issuer;
    const others = untrusted
      .filter((o) => o !== r && o.tls?.issuer === issuer && baseDomain(o.endpoint.host) !== baseDomain(r.endpoint.host))
      .map((o) => o.endpoint.host);
    if (!others.length) continue;
    const judged = judgeCertificate(
      r.tls,
      {},
      { host: r.endpoint.host, viaProxy: Boolean(r.via), tlsInsteadOfSsh: false, otherDomainsSameIssuer: [...new Set(others)] },
    );
    r.verdict = judged.verdict;
    r.detail = judged.detail;
    r.level = levelOf(r.verdict, r.endpoint.optional);
  }
}

/** What one endpoint's probe gathers along the way. */
interface Acc {
  answered: EndpointResult['answered'];
  checks: ProbeCheck[];
  dns?: DnsAnswer;
  tcp?: EndpointResult['tcp'];
  via?: string;
  ssh?: EndpointResult['ssh'];
  tls?: EndpointResult['tls'];
  http?: EndpointResult['http'];
  clock?: EndpointResult['clock'];
}

interface Outcome {
  verdict: VerdictCode;
  detail: string;
}

async function probeOne(endpoint: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal): Promise<EndpointResult> {
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const acc: Acc = { answered: 'nothing', checks: [] };
  let outcome: Outcome;
  try {
    outcome = await Promise.race([flow(endpoint, o, signal, acc), whenAborted(signal, o.timeoutMs)]);
  } catch (error) {
    outcome = failed(acc, error);
  }
  return {
    endpoint: {
      id: endpoint.id,
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.protocol,
      purpose: endpoint.purpose ?? '',
      ...(endpoint.optional ? { optional: true } : {}),
    },
    answered: acc.answered,
    verdict: outcome.verdict,
    level: levelOf(outcome.verdict, endpoint.optional),
    detail: outcome.detail,
    startedAt,
    ms: since(start),
    ...(acc.dns?.resolved ? { dns: { addresses: acc.dns.addresses, ms: acc.dns.ms } } : {}),
    ...(acc.tcp ? { tcp: acc.tcp } : {}),
    ...(acc.via ? { via: acc.via } : {}),
    ...(acc.ssh ? { ssh: acc.ssh } : {}),
    ...(acc.tls ? { tls: acc.tls } : {}),
    ...(acc.http ? { http: acc.http } : {}),
    ...clockPart(acc.clock, endpointLabel(endpoint.host, endpoint.port)),
    checks: acc.checks,
  };
}

function whenAborted(signal: AbortSignal, timeoutMs: number): Promise<never> {
  return new Promise((_, reject) => {
    const fire = (): void => reject(abortedFailure('tcp', signal, timeoutMs));
    if (signal.aborted) fire();
    else signal.addEventListener('abort', fire, { once: true });
  });
}

function failed(acc: Acc, error: unknown): Outcome {
  const f = error instanceof StepFailure ? error : new StepFailure('tcp', 'UNREACHABLE', `unexpected failure: ${errorText(error)}`);
  if (!acc.checks.some((c) => c.step === f.step && c.status === 'fail')) acc.checks.push({ step: f.step, status: 'fail', detail: f.detail });
  const ssh = f.facts.ssh as Acc['ssh'];
  if (ssh) {
    acc.ssh = ssh;
    acc.answered = 'ssh';
  }
  const answered = f.facts.answered as Acc['answered'] | undefined;
  if (answered && acc.answered === 'nothing') acc.answered = answered;
  return { verdict: f.verdict, detail: f.detail };
}

/** Runs `work` as step `step`, recording a pass check with its time (a failure is recorded by failed()). */
async function step<T>(acc: Acc, name: ProbeStep, work: () => Promise<T>, describe: (v: T) => string): Promise<T> {
  const start = performance.now();
  try {
    const value = await work();
    acc.checks.push({ step: name, status: 'pass', ms: since(start), detail: describe(value) });
    return value;
  } catch (error) {
    if (error instanceof StepFailure) acc.checks.push({ step: error.step, status: 'fail', ms: since(start), detail: error.detail });
    throw error;
  }
}

async function flow(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<Outcome> {
  switch (e.protocol) {
    case 'tcp': {
      const socket = await open(e, o, signal, acc);
      socket.destroy();
      acc.answered = 'tcp';
      return { verdict: 'TCP_OK', detail: `${endpointLabel(e.host, e.port)} accepts TCP connections (${acc.tcp?.ms ?? 0} ms)` };
    }
    case 'ssh':
      return sshFlow(e, o, signal, acc);
    case 'tls':
    case 'https':
      return tlsFlow(e, o, signal, acc, { tlsInsteadOfSsh: false });
    case 'http':
      return httpFlow(e, o, signal, acc);
    case 'auto':
      return autoFlow(e, o, signal, acc);
  }
}

/** DNS (unless a proxy resolves), then a TCP connection or a CONNECT tunnel. */
async function open(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<net.Socket> {
  const proxy = o.proxy?.forEndpoint(e);
  if (proxy) {
    acc.via = proxy.display;
    const tunnel = await step(
      acc,
      'proxy',
      () => connectTunnel(proxy, e.host, e.port, o.timeoutMs, signal),
      (t) => `CONNECT ${endpointLabel(e.host, e.port)} through ${proxy.display}: 200 in ${t.ms} ms`,
    );
    acc.tcp = { address: `via proxy ${tunnel.proxyAddress}`, ms: tunnel.ms };
    return tunnel.socket;
  }
  if (!acc.dns) {
    acc.dns = await step(
      acc,
      'dns',
      () => resolveHost(e.host, o.timeoutMs, signal, o.dnsServers),
      (d) => `${e.host} → ${d.addresses.join(', ')}`,
    );
    // An IP address needs no lookup: no DNS check in the report.
    if (!acc.dns.resolved) acc.checks.pop();
  }
  return connectFirst(e, acc.dns.addresses, o, signal, acc);
}

/** Tries each address in turn while they fail fast (refused, unreachable); a timeout ends it. */
async function connectFirst(e: ProbeEndpoint, addresses: string[], o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<net.Socket> {
  let lastError: unknown = new StepFailure('tcp', 'DNS_FAILED', `${e.host} has no address`);
  for (const address of addresses) {
    try {
      const c = await step(
        acc,
        'tcp',
        () => connectTcp(address, e.port, o.timeoutMs, signal),
        (c) => `connected to ${endpointLabel(c.address, e.port)} in ${c.ms} ms`,
      );
      acc.tcp = { address: c.address, ms: c.ms };
      return c.socket;
    } catch (error) {
      lastError = error;
      if (!(error instanceof StepFailure) || !['REFUSED', 'UNREACHABLE'].includes(error.verdict)) break;
    }
  }
  throw lastError;
}

async function sshFlow(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc, socketIn?: net.Socket, bannerIn?: string): Promise<Outcome> {
  const socket = socketIn ?? (await open(e, o, signal, acc));
  let banner = bannerIn;
  if (banner === undefined) {
    const found = await detect(e, o, signal, acc, socket, 'ssh');
    if (found.kind === 'banner-failed') throw found.failure;
    if (found.kind === 'tls') return tlsInsteadOfSsh(e, acc, found.tls);
    if (found.kind !== 'ssh') throw new StepFailure('banner', 'NOT_SSH', 'the port did not answer with SSH');
    banner = found.banner;
  }
  acc.answered = 'ssh';
  const ssh = o.ssh;
  const facts = await checkSsh(
    socket,
    {
      host: e.host,
      port: e.port,
      banner,
      ...(ssh?.user ? { user: ssh.user } : {}),
      ...(ssh?.key ? { privateKey: ssh.key.privateKey, ...(ssh.key.passphrase ? { passphrase: ssh.key.passphrase } : {}) } : {}),
      ...(ssh?.forwardPorts?.length && ssh.key ? { forwardPorts: ssh.forwardPorts } : {}),
      ...(ssh?.forwardBind !== undefined ? { forwardBind: ssh.forwardBind } : {}),
      ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}),
      ...(o.expectFingerprints?.length ? { expectFingerprints: o.expectFingerprints } : {}),
    },
    o.timeoutMs,
    signal,
    acc.checks,
  );
  acc.ssh = facts;
  const parts = [`${banner}, host key ${facts.hostKeyType} ${facts.fingerprint}${facts.pin === 'match' ? ' (pinned)' : ''}`];
  if (facts.auth === 'accepted') parts.push(`key accepted for ${facts.user}`);
  if (facts.forwards?.length) parts.push(`remote forward ${facts.forwards.map((f) => f.port).join(', ')} allowed`);
  return { verdict: 'SSH_OK', detail: parts.join('; ') };
}

/** An SSH port where TLS answered (a proxy or web server on 443): NOT_SSH, with the certificate it showed. */
function tlsInsteadOfSsh(e: ProbeEndpoint, acc: Acc, tls: TlsOutcome): Outcome {
  const wrongName = nameError(e.host, tls.socket);
  tls.socket.destroy();
  acc.answered = 'tls';
  acc.tls = tls.facts;
  const judged = judgeCertificate(
    tls.facts,
    { nameError: wrongName },
    { host: e.host, viaProxy: Boolean(acc.via), tlsInsteadOfSsh: true, otherDomainsSameIssuer: [] },
  );
  const note = judged.verdict === 'TLS_INTERCEPTED' ? `; ${judged.detail}` : '';
  return { verdict: 'NOT_SSH', detail: `the port speaks TLS, not SSH: certificate "${tls.facts.subject}" issued by "${tls.facts.issuer}"${note}` };
}

async function tlsFlow(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc, ctx: { tlsInsteadOfSsh: boolean }): Promise<Outcome> {
  const socket = await open(e, o, signal, acc);
  const tls = await step(
    acc,
    'tls',
    () =>
      handshake(
        socket,
        { host: e.host, ...(o.extraCa ? { extraCa: o.extraCa } : {}), ...(e.protocol === 'https' || e.protocol === 'auto' ? { alpn: ['http/1.1'] } : {}) },
        o.timeoutMs,
        signal,
      ),
    (t) => `${t.facts.protocol}; "${t.facts.subject}" issued by "${t.facts.issuer}"; ${t.facts.trusted ? 'trusted' : `not trusted (${t.facts.error})`}`,
  );
  return overTls(e, o, signal, acc, tls, ctx);
}

/** After a TLS handshake: the certificate's verdict, then (unless the endpoint is plain 'tls') the HTTP answer. */
async function overTls(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc, tls: TlsOutcome, ctx: { tlsInsteadOfSsh: boolean }): Promise<Outcome> {
  acc.answered = 'tls';
  acc.tls = tls.facts;
  const judged = judgeCertificate(
    tls.facts,
    { nameError: nameError(e.host, tls.socket) },
    { host: e.host, viaProxy: Boolean(acc.via), tlsInsteadOfSsh: ctx.tlsInsteadOfSsh, otherDomainsSameIssuer: [] },
  );
  const handshakeCheck = acc.checks.findLast((c) => c.step === 'tls');
  if (judged.verdict !== 'TLS_OK' && handshakeCheck) Object.assign(handshakeCheck, { status: 'fail', detail: `${handshakeCheck.detail} — ${judged.detail}` });
  if (e.protocol === 'tls') {
    tls.socket.destroy();
    return judged;
  }
  try {
    const head = await step(
      acc,
      'http',
      () => httpGet(tls.socket, { hostHeader: hostHeader(e), target: e.path ?? '/' }, o.timeoutMs, signal),
      (h) => statusText(h),
    );
    recordHttp(acc, head);
    if (judged.verdict !== 'TLS_OK') return judged;
    return await serviceVerdict(e, acc, tls.socket, head, o, signal, httpVerdict(head, `${judged.detail}; HTTP ${head.status}`));
  } catch (error) {
    if (judged.verdict !== 'TLS_OK') return judged;
    throw error;
  } finally {
    tls.socket.destroy();
  }
}

async function httpFlow(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<Outcome> {
  const proxy = o.proxy?.forEndpoint(e);
  let socket: net.Socket;
  let target = e.path ?? '/';
  let auth: string | undefined;
  if (proxy) {
    acc.via = proxy.display;
    const c = await step(
      acc,
      'proxy',
      () => connectTcp(proxy.host, proxy.port, o.timeoutMs, signal, 'proxy'),
      (c) => `connected to the proxy ${proxy.display} in ${c.ms} ms`,
    );
    acc.tcp = { address: `via proxy ${c.address}:${proxy.port}`, ms: c.ms };
    socket = c.socket;
    target = `http://${hostHeader(e)}${target}`;
    auth = proxyAuthorization(proxy);
  } else {
    socket = await open(e, o, signal, acc);
  }
  try {
    const head = await step(
      acc,
      'http',
      () => httpGet(socket, { hostHeader: hostHeader(e), target, ...(auth ? { proxyAuthorization: auth } : {}) }, o.timeoutMs, signal),
      (h) => statusText(h),
    );
    if (proxy && head.status === 407) throw proxyAuthFailure(proxy, head.headers);
    recordHttp(acc, head);
    return await serviceVerdict(e, acc, socket, head, o, signal, httpVerdict(head, `HTTP ${head.status}${head.reason ? ` ${head.reason}` : ''}`));
  } finally {
    socket.destroy();
  }
}

/**
 * 'auto': SSH if the server speaks first; TLS (then HTTP over it) or plain HTTP when it waits
 * for the client (tried side by side with the banner wait, see detect()); otherwise TCP.
 */
async function autoFlow(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<Outcome> {
  const socket = await open(e, o, signal, acc);
  const found = await detect(e, o, signal, acc, socket, 'auto');
  switch (found.kind) {
    case 'ssh':
      return sshFlow(e, o, signal, acc, socket, found.banner);
    case 'banner-failed': {
      if (found.failure.verdict !== 'NOT_SSH') throw found.failure;
      const check = acc.checks.findLast((c) => c.step === 'banner');
      if (check) Object.assign(check, { status: 'skip', detail: `not SSH: ${found.failure.detail}` });
      acc.answered = 'tcp';
      return { verdict: 'TCP_OK', detail: `${endpointLabel(e.host, e.port)} accepts connections; ${found.failure.detail}` };
    }
    case 'tls':
      return overTls(e, o, signal, acc, found.tls, { tlsInsteadOfSsh: false });
    case 'http':
      recordHttp(acc, found.head);
      acc.answered = 'http';
      return httpVerdict(found.head, `plain HTTP: ${found.head.status}${found.head.reason ? ` ${found.head.reason}` : ''}`);
    case 'not-http':
      acc.answered = 'tcp';
      return {
        verdict: 'TCP_OK',
        detail: `${endpointLabel(e.host, e.port)} accepts connections; the service is not SSH, TLS or HTTP (${found.failure.detail})`,
      };
  }
}

/** An outcome of an attempt that may lose a race: its value or its failure. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function quiet(ms: number, signal: AbortSignal): Promise<'quiet'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('quiet'), ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

/**
 * How long a port may stay quiet before the TLS try starts beside the wait for an SSH banner: a
 * third of the step limit, at most 1.5 s. An SSH server speaks as soon as it accepts, so real
 * ones are rarely sent a TLS hello; the TLS try then gets the rest of the limit, so a port that
 * stays silent to both costs one limit.
 */
function quietSpell(o: ProbeOptions): number {
  return Math.min(o.autoSniffMs ?? Math.min(o.timeoutMs / 3, 1500), o.timeoutMs / 2);
}

/** What answered on a port that was asked to speak first. */
type Detected =
  | { kind: 'ssh'; banner: string }
  | { kind: 'banner-failed'; failure: StepFailure }
  | { kind: 'tls'; tls: TlsOutcome; side: Acc }
  | { kind: 'http'; head: HttpAnswer; side: Acc }
  | { kind: 'not-http'; failure: StepFailure; side: Acc };

function isSilentTimeout(error: unknown): boolean {
  return error instanceof StepFailure && error.verdict === 'SILENT' && !/closed/.test(error.detail);
}

function isNotTls(error: unknown): boolean {
  return error instanceof StepFailure && error.verdict === 'TLS_HANDSHAKE_FAILED' && error.facts.answered === 'tcp';
}

/** A fresh record for an attempt on a second connection (it reuses the DNS answer). */
function sideAcc(acc: Acc): Acc {
  return { answered: 'nothing', checks: [], ...(acc.dns ? { dns: acc.dns } : {}) };
}

/** Takes the winning attempt's record into the endpoint's. */
function merge(acc: Acc, side: Acc): void {
  acc.checks.push(...side.checks);
  if (side.tcp) acc.tcp = side.tcp;
  if (side.via) acc.via = side.via;
}

/**
 * Who speaks on `socket`: waits for an SSH banner and, when the port stays quiet for a short
 * spell, tries TLS on a second connection at the same time, within what is left of the step
 * limit; in 'auto' mode an answer that is not TLS then tries plain HTTP on a third, still beside
 * the banner wait. The first clear answer wins and the other attempts are stopped, so a port
 * silent to all of them costs one step limit, not one per protocol tried (a silent SSH port
 * used to cost the banner limit and then the TLS limit: bench/probe.ts). `socket` is destroyed
 * unless SSH won.
 */
async function detect(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc, socket: net.Socket, mode: 'ssh' | 'auto'): Promise<Detected> {
  const losers = new AbortController();
  const tries = AbortSignal.any([signal, losers.signal]);
  const start = performance.now();
  const banner = settle(readBanner(socket, o.timeoutMs, tries)).then((b) => ({ from: 'banner' as const, b, ms: since(start) }));
  let tls: Promise<{ from: 'tls'; t: Settled<TlsOutcome> }> | undefined;
  const state: { won: 'ssh' | 'tls' | 'other' } = { won: 'other' };
  const bannerOutcome = (b: Settled<string>, ms: number): Detected => {
    if (b.ok) {
      state.won = 'ssh';
      acc.checks.push({ step: 'banner', status: 'pass', ms, detail: b.value });
      return { kind: 'ssh', banner: b.value };
    }
    const failure = b.error instanceof StepFailure ? b.error : new StepFailure('banner', 'UNREACHABLE', errorText(b.error));
    acc.checks.push({ step: 'banner', status: mode === 'auto' && isSilentTimeout(failure) ? 'skip' : 'fail', ms, detail: failure.detail });
    return { kind: 'banner-failed', failure };
  };
  try {
    const spell = quietSpell(o);
    const first = await Promise.race([banner, quiet(spell, tries)]);
    if (first !== 'quiet') return bannerOutcome(first.b, first.ms);

    const tlsSide = sideAcc(acc);
    tls = settle(tryTls(e, { ...o, timeoutMs: Math.round(o.timeoutMs - spell) }, tries, tlsSide, mode)).then((t) => ({ from: 'tls' as const, t }));
    const next = await Promise.race([banner, tls]);
    let tlsResult: Settled<TlsOutcome>;
    if (next.from === 'banner') {
      if (next.b.ok || !isSilentTimeout(next.b.error)) return bannerOutcome(next.b, next.ms);
      bannerOutcome(next.b, next.ms);
      tlsResult = (await tls).t;
    } else {
      tlsResult = next.t;
    }
    if (tlsResult.ok) {
      state.won = 'tls';
      merge(acc, tlsSide);
      return { kind: 'tls', tls: tlsResult.value, side: tlsSide };
    }
    const bannerDone = acc.checks.some((c) => c.step === 'banner');
    if (mode === 'auto' && isNotTls(tlsResult.error)) {
      // Not TLS either: plain HTTP, still beside the banner wait.
      const httpSide = sideAcc(acc);
      httpSide.checks.push(...tlsSide.checks.map((c) => (c.step === 'tls' ? { ...c, status: 'skip' as const } : c)));
      const http = settle(tryHttp(e, o, tries, httpSide)).then((h) => ({ from: 'http' as const, h }));
      const after = bannerDone ? await http : await Promise.race([banner, http]);
      if (after.from === 'banner' && (after.b.ok || !isSilentTimeout(after.b.error))) return bannerOutcome(after.b, after.ms);
      const h = after.from === 'http' ? after.h : (await http).h;
      if (h.ok) {
        merge(acc, httpSide);
        return { kind: 'http', head: h.value, side: httpSide };
      }
      // Neither TLS nor HTTP: an SSH banner may still come.
      if (!bannerDone && after.from === 'http') {
        const last = await banner;
        if (last.b.ok || !isSilentTimeout(last.b.error)) return bannerOutcome(last.b, last.ms);
      }
      merge(acc, httpSide);
      if (h.error instanceof StepFailure && h.error.verdict === 'HTTP_ERROR') return { kind: 'not-http', failure: h.error, side: httpSide };
      throw h.error;
    }
    // TLS failed: the banner decides, or the port is silent.
    if (!bannerDone) {
      const last = await banner;
      if (last.b.ok || !isSilentTimeout(last.b.error)) return bannerOutcome(last.b, last.ms);
      bannerOutcome(last.b, last.ms);
    }
    merge(acc, tlsSide);
    const silent = acc.checks.find((c) => c.step === 'banner');
    if (tlsResult.error instanceof StepFailure && (tlsResult.error.verdict === 'CANCELLED' || tlsResult.error.step === 'proxy')) throw tlsResult.error;
    if (mode === 'auto' && !(tlsResult.error instanceof StepFailure && tlsResult.error.verdict === 'SILENT')) throw tlsResult.error;
    throw new StepFailure('banner', 'SILENT', `${silent?.detail ?? 'no SSH banner'}, and no answer to a TLS handshake either`);
  } finally {
    losers.abort('lost');
    if (state.won !== 'ssh') socket.destroy();
    if (state.won !== 'tls') void tls?.then(({ t }) => t.ok && t.value.socket.destroy());
  }
}

/** The TLS try of detect(): a second connection and a handshake (with ALPN http/1.1 in 'auto'). */
async function tryTls(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc, mode: 'ssh' | 'auto'): Promise<TlsOutcome> {
  const socket = await open(e, o, signal, acc);
  return step(
    acc,
    'tls',
    () =>
      handshake(
        socket,
        { host: e.host, ...(o.extraCa ? { extraCa: o.extraCa } : {}), ...(mode === 'auto' ? { alpn: ['http/1.1'] } : {}) },
        o.timeoutMs,
        signal,
      ),
    (t) =>
      mode === 'ssh'
        ? `${t.facts.protocol} answered instead of SSH`
        : `${t.facts.protocol}; "${t.facts.subject}" issued by "${t.facts.issuer}"; ${t.facts.trusted ? 'trusted' : `not trusted (${t.facts.error})`}`,
  );
}

/** The plain-HTTP try of detect() ('auto' only). */
async function tryHttp(e: ProbeEndpoint, o: ProbeOptions, signal: AbortSignal, acc: Acc): Promise<HttpAnswer> {
  const socket = await open(e, o, signal, acc);
  try {
    return await step(
      acc,
      'http',
      () => httpGet(socket, { hostHeader: hostHeader(e), target: e.path ?? '/' }, o.timeoutMs, signal),
      (h) => statusText(h),
    );
  } finally {
    socket.destroy();
  }
}

function hostHeader(e: ProbeEndpoint): string {
  const h = e.host.includes(':') ? `[${e.host}]` : e.host;
  const standard = (e.protocol === 'http' && e.port === 80) || (e.protocol !== 'http' && e.port === 443);
  return standard ? h : `${h}:${e.port}`;
}

function statusText(h: HttpHead): string {
  return `HTTP ${h.status}${h.reason ? ` ${h.reason}` : ''}${h.headers.server ? ` (server: ${h.headers.server.slice(0, 60)})` : ''}`;
}

function recordHttp(acc: Acc, h: HttpAnswer): void {
  if (acc.answered === 'nothing') acc.answered = 'http';
  acc.http = { status: h.status, reason: h.reason.slice(0, 120), ...(h.headers.server ? { server: h.headers.server.slice(0, 120) } : {}) };
  // Any answer with a Date header says what time the server thinks it is, whatever its status.
  const clock = measureClock({ date: h.headers.date, age: h.headers.age, sentAt: h.sentAt, rttMs: h.rttMs });
  if (clock) acc.clock = clock;
}

/** The clock reading and its warning, when the answer had a usable Date header. */
function clockPart(clock: Acc['clock'], label: string): Pick<EndpointResult, 'clock' | 'warnings'> {
  if (!clock) return {};
  const warnings = clockWarnings(clock, label);
  return { clock, ...(warnings.length ? { warnings } : {}) };
}

/**
 * For an endpoint that names its vendor service: reads the start of the body and says whether
 * the answer looks like that service (NOT_THE_SERVICE when it does not), as a check of its own.
 */
async function serviceVerdict(
  e: ProbeEndpoint,
  acc: Acc,
  socket: Duplex,
  head: HttpAnswer,
  o: ProbeOptions,
  signal: AbortSignal,
  plain: Outcome,
): Promise<Outcome> {
  if (!e.service || plain.verdict !== 'HTTP_OK') return plain;
  const body = await readBody(socket, head, o.timeoutMs, signal);
  const judged = judgeVendorAnswer(e.service, e.path ?? '/', { status: head.status, headers: head.headers, body });
  acc.checks.push({ step: 'http', status: judged.looksLike ? 'pass' : 'fail', detail: judged.detail });
  return judged.looksLike ? { verdict: 'HTTP_OK', detail: `${plain.detail}; ${judged.detail}` } : { verdict: 'NOT_THE_SERVICE', detail: judged.detail };
}

function httpVerdict(h: HttpHead, detail: string): Outcome {
  if (h.status >= 500) return { verdict: 'HTTP_ERROR', detail: `the server answered ${statusText(h)}` };
  return { verdict: 'HTTP_OK', detail };
}
