import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { describeClock } from '../../shared/clock-skew';
import {
  endpointLabel,
  fingerprintSchema,
  fixFor,
  parseProxyUrl,
  sshUserSchema,
  VERDICTS,
  WARNINGS,
  type EndpointResult,
  type ProbeEndpoint,
  type ProbeRun,
  type ProbeWarning,
} from '../../shared/probe';
import { answeredSummary, firewallCsv } from '../../shared/probe-report';
import { hostSchema, portSchema } from '../../shared/validate';
import { keyForSsh2, type Ssh2Key } from '../services/keys';
import { planProxy, runProbes } from '../services/probe';
import type { CaBundle } from '../services/probe/ca';
import { readCaFileArg } from './ca-file';
import { envSecretArg } from './read-file';
import { EXIT, UsageError, errorText, type CliIo, type Command } from './types';
import path from 'node:path';
import { readRegularFile, UserFileError } from '../services/user-file';

const DEFAULT_PORTS = [22, 443];

export const probeCommand: Command = {
  name: 'probe',
  summary: 'Check that an agent host can reach its server',
  built: true,
  help: `Usage: agent-onboard probe --host HOST [--port N ...] [--timeout-ms N]
                           [--ssh-user USER --ssh-key FILE [--passphrase-env VAR]]
                           [--forward REMOTE_PORT ...] [--expect-fingerprint SHA256:... ...]
                           [--proxy URL] [--ca-file FILE ...] [--json | --csv]

Probes every port of HOST at once. For each port it finds out what answers: an SSH server (banner,
host key type and SHA256 fingerprint), TLS (version, certificate subject, issuer, expiry, trust,
with a TLS-interception check) and HTTP over it, plain HTTP, or just TCP — and gives a verdict
with the fix. Every HTTP answer's Date header is compared with this host's clock: more than
2 minutes off is a WARNING (it does not fail the run, but token agents will fail to log in).
Run it on the agent host.

Options:
  --host HOST                  the server to reach (name or IP address)
  --port N                     a port to probe; repeat for more (default: 22 and 443)
  --timeout-ms N               limit of each step: DNS, connect, banner, handshake, auth (default 5000);
                               the whole run stops after 3 × N
  --ssh-user USER              with --ssh-key: log in to each SSH port with this user and key
  --ssh-key FILE               private key file (OpenSSH, PEM PKCS#1/PKCS#8, PuTTY)
  --passphrase-env VAR         the key's passphrase is in environment variable VAR
  --forward REMOTE_PORT        after logging in, ask the server to listen on this remote port
                               (what the agent's -R needs), then release it; repeatable
  --expect-fingerprint SHA256:...  the host key the server must show (repeatable); any other key
                               fails, and the key is never offered to that server
  --proxy URL                  go through this HTTP proxy (CONNECT), e.g. http://proxy:3128;
                               without it, HTTPS_PROXY / NO_PROXY from the environment apply.
                               Proxy credentials only via HTTPS_PROXY (never on the command line)
  --ca-file FILE               trust this CA (PEM with one or more certificates, or DER) besides
                               the system's: your company's CA or the TLS-inspecting proxy's root;
                               repeatable. A private key file is refused
  --json                       print the whole run as one JSON document
  --csv                        print the firewall rules the agent needs as CSV, one row per port
                               (destination, addresses, purpose, result), for a network team

Exit codes: 0 every port passed, 1 a check failed, 2 bad usage or bad input.

Examples:
  npm run -s cli -- probe --host tunnel.example.com --port 22 --port 443
  npm run -s cli -- probe --host tunnel.example.com --ssh-user acme --ssh-key private-key.pem \\
      --forward 5000 --expect-fingerprint SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU --json`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string', multiple: true },
        'timeout-ms': { type: 'string' },
        'ssh-user': { type: 'string' },
        'ssh-key': { type: 'string' },
        'passphrase-env': { type: 'string' },
        forward: { type: 'string', multiple: true },
        'expect-fingerprint': { type: 'string', multiple: true },
        proxy: { type: 'string' },
        'ca-file': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.json && values.csv) throw new UsageError('--json and --csv are two output formats: choose one');
    const request = await parseRequest(values, io);
    const run = await runProbes(request.endpoints, request.options);
    io.stdout(values.json ? JSON.stringify(toJson(run), null, 2) + '\n' : values.csv ? firewallCsv(run) : toText(run));
    return run.passed ? EXIT.OK : EXIT.FAILED;
  },
};

interface Values {
  host?: string;
  port?: string[];
  'timeout-ms'?: string;
  'ssh-user'?: string;
  'ssh-key'?: string;
  'passphrase-env'?: string;
  forward?: string[];
  'expect-fingerprint'?: string[];
  proxy?: string;
  'ca-file'?: string[];
}

function parsed<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${what} ${JSON.stringify(value)}: ${r.error.issues[0]?.message ?? 'is not valid'}`);
  return r.data;
}

async function parseRequest(v: Values, io: CliIo): Promise<{ endpoints: ProbeEndpoint[]; options: Parameters<typeof runProbes>[1] }> {
  if (!v.host) throw new UsageError('--host is required (the server the agent must reach)');
  const host = parsed(hostSchema, v.host, '--host');
  const ports = [...new Set((v.port ?? DEFAULT_PORTS.map(String)).map((p) => parsed(portSchema, p, '--port')))];
  const timeoutMs = v['timeout-ms'] === undefined ? 5000 : Number(v['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)
    throw new UsageError('--timeout-ms must be a whole number of milliseconds between 100 and 600000');
  if (Boolean(v['ssh-user']) !== Boolean(v['ssh-key'])) throw new UsageError('--ssh-user and --ssh-key go together (the auth test needs both)');
  const user = v['ssh-user'] ? parsed(sshUserSchema, v['ssh-user'], '--ssh-user') : undefined;
  const forwardPorts = (v.forward ?? []).map((p) => parsed(portSchema, p, '--forward'));
  if (forwardPorts.length && !user) throw new UsageError('--forward needs --ssh-user and --ssh-key (the forward is asked for after logging in)');
  const expect = (v['expect-fingerprint'] ?? []).map((f) => parsed(fingerprintSchema, f, '--expect-fingerprint'));
  const key = v['ssh-key'] ? await readKey(v['ssh-key'], v['passphrase-env'], io) : undefined;
  const proxy = planProxy(v.proxy === undefined ? { mode: 'env' } : manualProxy(v.proxy, io.env), io.env);
  if ('error' in proxy) throw new UsageError(proxy.error);
  const ca = await readCaFiles(v['ca-file'] ?? [], io);
  return {
    endpoints: ports.map((port) => ({ id: `port-${port}`, host, port, protocol: 'auto', purpose: '' })),
    options: {
      timeoutMs,
      ssh: { ...(user ? { user } : {}), ...(key ? { key } : {}), ...(forwardPorts.length ? { forwardPorts } : {}) },
      ...(expect.length ? { expectFingerprints: expect } : {}),
      proxy,
      ...(ca.pems.length ? { extraCa: ca.pems, trustedCas: ca.certificates } : {}),
    },
  };
}

async function readCaFiles(files: string[], io: CliIo): Promise<CaBundle> {
  const all: CaBundle = { pems: [], certificates: [] };
  for (const file of files) {
    const ca = await readCaFileArg(file, io.cwd);
    all.pems.push(...ca.pems);
    all.certificates.push(...ca.certificates);
  }
  return all;
}

function manualProxy(url: string, env: Record<string, string | undefined>): { mode: 'manual'; url: string; noProxy?: string } {
  const p = parseProxyUrl(url);
  if (!p.ok) throw new UsageError(`--proxy: ${p.message}`);
  if (p.username || p.password)
    throw new UsageError('--proxy must not carry credentials (they would show in the process list); put the URL with credentials in HTTPS_PROXY instead');
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  return { mode: 'manual', url, ...(noProxy ? { noProxy } : {}) };
}

async function readKey(file: string, passphraseEnv: string | undefined, io: CliIo): Promise<Ssh2Key> {
  const passphrase = envSecretArg(io.env, '--passphrase-env', passphraseEnv, 'passphrase');
  let text: string;
  try {
    text = (await readRegularFile(path.resolve(io.cwd, file))).toString('utf8');
  } catch (error) {
    throw new UsageError(
      `--ssh-key ${file}: cannot read it (${error instanceof UserFileError ? error.message : ((error as NodeJS.ErrnoException).code ?? 'error')})`,
    );
  }
  const key = keyForSsh2(text, passphrase);
  if (!key.ok) throw new UsageError(`--ssh-key ${file}: ${errorText(key.error)}`);
  return key.value;
}

/** The JSON document: the run, with each endpoint's label, verdict title, fix and SSH fingerprint at the top level. */
function toJson(run: ProbeRun): unknown {
  return {
    passed: run.passed,
    from: hostname(),
    startedAt: run.startedAt,
    ms: run.ms,
    timeoutMs: run.timeoutMs,
    deadlineMs: run.deadlineMs,
    ...(run.proxy ? { proxy: run.proxy } : {}),
    ...(run.trustedCas ? { trustedCas: run.trustedCas } : {}),
    results: run.results.map((r) => ({
      endpoint: endpointLabel(r.endpoint.host, r.endpoint.port),
      host: r.endpoint.host,
      port: r.endpoint.port,
      answered: r.answered,
      verdict: r.verdict,
      pass: r.level === 'pass',
      title: VERDICTS[r.verdict].title,
      detail: r.detail,
      ...(r.level === 'pass' ? {} : { fix: fixFor(r) }),
      ...(r.ssh?.fingerprint ? { fingerprint: r.ssh.fingerprint, hostKeyType: r.ssh.hostKeyType, knownHostsLine: r.ssh.knownHostsLine } : {}),
      ms: r.ms,
      ...(r.dns ? { dns: r.dns } : {}),
      ...(r.tcp ? { tcp: r.tcp } : {}),
      ...(r.via ? { via: r.via } : {}),
      ...(r.ssh ? { ssh: r.ssh } : {}),
      ...(r.tls ? { tls: r.tls } : {}),
      ...(r.http ? { http: r.http } : {}),
      ...(r.clock ? { clockSkewMs: r.clock.skewMs, clock: r.clock } : {}),
      ...(r.warnings?.length ? { warnings: r.warnings.map(warningJson) } : {}),
      checks: r.checks,
    })),
    suggestions: run.suggestions,
    warnings: run.results.flatMap((r) => (r.warnings ?? []).map((w) => ({ endpoint: endpointLabel(r.endpoint.host, r.endpoint.port), ...warningJson(w) }))),
  };
}

function warningJson(w: ProbeWarning): { code: string; title: string; detail: string; fix: string } {
  return { code: w.code, title: WARNINGS[w.code].title, detail: w.detail, fix: WARNINGS[w.code].fix };
}

function row(r: EndpointResult): string {
  const mark = r.level === 'pass' ? 'PASS' : r.level === 'warn' ? 'WARN' : 'FAIL';
  const lines = [`${mark}  ${endpointLabel(r.endpoint.host, r.endpoint.port).padEnd(24)} ${r.verdict.padEnd(22)} ${answeredSummary(r)}`];
  if (r.level !== 'pass') lines.push(`      ${r.detail}`, `      Fix: ${fixFor(r)}`);
  else if (r.ssh?.auth === 'accepted' || r.ssh?.forwards?.length) lines.push(`      ${r.detail}`);
  if (r.clock && !r.warnings?.length) lines.push(`      Clock: ${describeClock(r.clock)}`);
  for (const w of r.warnings ?? [])
    lines.push(
      `WARN  ${endpointLabel(r.endpoint.host, r.endpoint.port).padEnd(24)} ${w.code.padEnd(22)} ${WARNINGS[w.code].title.toUpperCase()}: ${w.detail}`,
      `      Fix: ${WARNINGS[w.code].fix}`,
    );
  return lines.join('\n');
}

function toText(run: ProbeRun): string {
  const out = [...run.results.map(row)];
  for (const s of run.suggestions) out.push(`Suggestion: ${s.message}`);
  if (run.proxy) out.push(`Proxy: ${run.proxy}`);
  for (const ca of run.trustedCas ?? []) out.push(`Also trusted: CA "${ca.subject}" (SHA-256 ${ca.fingerprint256})${ca.expired ? ' — EXPIRED' : ''}`);
  // Said again at the very end, where a user looks: the run passes, but the agent will not.
  const skewed = run.results.find((r) => r.warnings?.some((w) => w.code === 'CLOCK_SKEW'));
  if (skewed?.clock) out.push(`WARNING: ${describeClock(skewed.clock)}. Token agents will fail to authenticate until time sync is fixed (see Fix above).`);
  out.push(
    `${run.passed ? 'Passed' : 'Failed'}: ${run.results.filter((r) => r.level === 'pass').length} of ${run.results.length} passed in ${(run.ms / 1000).toFixed(1)} s (limit ${run.timeoutMs} ms per step).`,
  );
  return out.join('\n') + '\n';
}
