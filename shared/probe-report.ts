/**
 * The connectivity report a user copies or saves for their network team: every endpoint, what
 * was tested, what answered, the verdict with its fix, and when. Plain text that reads well in
 * an e-mail or a ticket; secrets never appear (proxy credentials are already removed upstream).
 */
// The browser build: the plain one touches Node's Buffer when it loads, which the renderer lacks.
import { stringify } from 'csv-stringify/browser/esm/sync';
import { z } from 'zod';
import { describeClock } from './clock-skew';
import { pinnedKeys } from './known-hosts';
import { endpointLabel, fixFor, levelOf, VERDICTS, WARNINGS, type EndpointResult, type ProbeCheck, type ProbeRun } from './probe';

export interface ReportContext {
  /** e.g. "ArmorCode tunnel agent". */
  platform?: string;
  /** Where the probe ran, e.g. the host name of the machine. */
  from?: string;
}

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

function checkLine(c: ProbeCheck): string {
  return `      - ${c.step.padEnd(7)} ${c.status.padEnd(4)}${c.ms === undefined ? '' : ` ${ms(c.ms).padStart(7)}`}  ${c.detail}`;
}

/** What answered, in one line (banner and host key; certificate; HTTP status). */
export function answeredSummary(r: EndpointResult): string {
  const parts: string[] = [];
  if (r.ssh) {
    parts.push(r.ssh.banner ? r.ssh.banner : 'SSH');
    if (r.ssh.hostKeyType && r.ssh.fingerprint) parts.push(`host key ${r.ssh.hostKeyType} ${r.ssh.fingerprint}`);
  }
  if (r.tls) parts.push(`${r.tls.protocol}, certificate "${r.tls.subject}" issued by "${r.tls.issuer}", valid until ${r.tls.validTo.slice(0, 10)}`);
  if (r.http) parts.push(`HTTP ${r.http.status}${r.http.reason ? ` ${r.http.reason}` : ''}${r.http.server ? ` (${r.http.server})` : ''}`);
  if (!parts.length) return r.answered === 'tcp' ? 'TCP only (the server did not speak first)' : 'nothing';
  return parts.join('; ');
}

function endpointBlock(r: EndpointResult): string[] {
  const e = r.endpoint;
  const lines = [
    `[${MARK[r.level]}] ${endpointLabel(e.host, e.port)} (${e.protocol})${e.purpose ? ` — ${e.purpose}` : ''}${e.optional ? ' (optional)' : ''}`,
    `    Verdict:  ${r.verdict} — ${VERDICTS[r.verdict].title}`,
    `    Detail:   ${r.detail}`,
    `    Answered: ${answeredSummary(r)}`,
  ];
  if (r.dns) lines.push(`    DNS:      ${r.dns.addresses.join(', ') || '—'} (${ms(r.dns.ms)})`);
  if (r.tcp) lines.push(`    TCP:      connected to ${r.tcp.address} in ${ms(r.tcp.ms)}`);
  if (r.via) lines.push(`    Via:      proxy ${r.via}`);
  if (r.ssh?.user)
    lines.push(
      `    SSH:      user ${r.ssh.user}; key ${r.ssh.auth}${r.ssh.forwards?.length ? `; remote forward ${r.ssh.forwards.map((f) => `${f.port} ${f.status}`).join(', ')}` : ''}`,
    );
  if (r.ssh?.pin && r.ssh.pin !== 'unpinned') lines.push(`    Host key: ${r.ssh.pin === 'match' ? 'matches the pinned key' : 'DOES NOT match the pinned key'}`);
  if (r.tls)
    lines.push(
      `    TLS:      ${r.tls.trusted ? 'trusted' : `not trusted (${r.tls.error ?? 'unknown reason'})`}; names ${r.tls.altNames.join(', ') || '—'}; ${r.tls.daysLeft} days left`,
    );
  if (r.clock) lines.push(`    Clock:    ${describeClock(r.clock)}; Date: ${r.clock.serverDate}`);
  lines.push(`    Tested:   ${r.checks.map((c) => c.step).join(' → ') || 'nothing'}`, ...r.checks.map(checkLine));
  if (r.level !== 'pass') lines.push(`    Fix:      ${fixFor(r)}`);
  for (const w of r.warnings ?? []) lines.push(`    WARNING:  ${w.code} — ${WARNINGS[w.code].title}: ${w.detail}`, `    Fix:      ${WARNINGS[w.code].fix}`);
  lines.push(`    Time:     ${r.startedAt} (${ms(r.ms)})`);
  return lines;
}

/**
 * The run's clock finding for the report's head: the CLOCK_SKEW warnings first (loud, with the
 * fix), else the tightest reading, else nothing (no server sent a usable Date header).
 */
export function clockLines(run: Pick<ProbeRun, 'results'>): string[] {
  const skewed = run.results.filter((r) => r.warnings?.some((w) => w.code === 'CLOCK_SKEW'));
  if (skewed.length) {
    return [
      `Clock:     WARNING — ${WARNINGS.CLOCK_SKEW.title}: ${skewed.map((r) => r.warnings?.find((w) => w.code === 'CLOCK_SKEW')?.detail).join('; ')}`,
      `           Fix: ${WARNINGS.CLOCK_SKEW.fix}`,
    ];
  }
  const read = run.results.filter((r) => r.clock).sort((a, b) => (a.clock?.uncertaintyMs ?? 0) - (b.clock?.uncertaintyMs ?? 0))[0];
  return read?.clock ? [`Clock:     ${describeClock(read.clock, `the clock of ${endpointLabel(read.endpoint.host, read.endpoint.port)}`)}`] : [];
}

/** The report as plain text. */
export function formatReport(run: ProbeRun, ctx: ReportContext = {}): string {
  const failed = run.results.filter((r) => r.level === 'fail').length;
  const warned = run.results.filter((r) => r.level === 'warn').length;
  const passed = run.results.length - failed - warned;
  const lines = [
    'Agent Onboard — connectivity report',
    ...(ctx.platform ? [`Platform:  ${ctx.platform}`] : []),
    ...(ctx.from ? [`From:      ${ctx.from}`] : []),
    `Run:       ${run.startedAt} → ${run.finishedAt} (${ms(run.ms)})`,
    `Limits:    ${ms(run.timeoutMs)} per step, ${ms(run.deadlineMs)} for the run`,
    `Proxy:     ${run.proxy ?? 'none (direct connections)'}`,
    ...(run.trustedCas ?? []).map(
      (ca, i) =>
        `${i ? '          ' : 'Also trusted:'} CA "${ca.subject}" (SHA-256 ${ca.fingerprint256}, valid until ${ca.notAfter.slice(0, 10)}${ca.expired ? ', EXPIRED' : ''})`,
    ),
    `Result:    ${run.passed ? 'PASSED' : 'FAILED'} — ${passed} passed, ${warned} warning${warned === 1 ? '' : 's'}, ${failed} failed, of ${run.results.length} endpoint${run.results.length === 1 ? '' : 's'}`,
    ...clockLines(run),
    '',
  ];
  for (const r of run.results) lines.push(...endpointBlock(r), '');
  if (run.suggestions.length) {
    lines.push('Suggestions:');
    for (const s of run.suggestions) lines.push(`  - ${s.message}`);
    lines.push('');
  }
  lines.push('Firewall rules this agent needs (outbound from the agent host):');
  const seen = new Set<string>();
  for (const r of run.results) {
    const key = `${r.endpoint.host}:${r.endpoint.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(
      `  - TCP ${endpointLabel(r.endpoint.host, r.endpoint.port)}${r.dns?.addresses.length ? ` (${r.dns.addresses.join(', ')})` : ''}${r.endpoint.purpose ? ` — ${r.endpoint.purpose}` : ''}${r.endpoint.optional ? ' (optional)' : ''}: ${r.level === 'pass' ? 'open' : 'NOT working'}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Spreadsheets run a cell that starts with = + - @ (or a tab/CR) as a formula: such text gets a leading '. */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The firewall rules the agent needs, as CSV for a network team's request form or spreadsheet:
 * one row per endpoint with where it goes, why, whether it is required, and what the check found.
 */
export function firewallCsv(run: Pick<ProbeRun, 'results'>): string {
  const rows = run.results.map((r) => [
    'outbound from the agent host',
    'TCP',
    r.endpoint.host,
    r.dns?.addresses.join(' ') ?? '',
    String(r.endpoint.port),
    r.endpoint.protocol,
    r.endpoint.purpose,
    r.endpoint.optional ? 'optional' : 'required',
    r.level === 'pass' ? 'open' : 'NOT working',
    `${r.verdict}: ${VERDICTS[r.verdict].title}`,
    r.via ?? '',
    r.startedAt,
  ]);
  return stringify(rows, {
    header: true,
    columns: [
      'Direction',
      'Transport',
      'Destination',
      'Resolved addresses',
      'Port',
      'Checked as',
      'Purpose',
      'Needed',
      'Result',
      'Verdict',
      'Via proxy',
      'Checked at',
    ],
    record_delimiter: 'windows',
    cast: { string: inert },
  });
}

/** Longest report text the draft keeps (64 endpoints at about 1.5 KB each fit); a longer one is cut, saying so. */
export const KEPT_REPORT_MAX = 128 * 1024;

const CUT_NOTE = '\n[… report cut here: run the checks again on the Connectivity step, then Copy or Save the full report]\n';
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
// scheme://user:password@ — a password that is not the "***" mask formatReport's proxy lines use.
// Bounded repeats: the draft schema runs this on text from the renderer, so it must stay linear.
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]{0,256}:)(?!\*\*\*@)[^\s/@]{0,1024}@/gi;

/** True when the text holds no private key and no password in a URL. */
export function holdsNoSecret(text: string): boolean {
  return !PRIVATE_KEY.test(text) && !new RegExp(URL_PASSWORD.source, 'i').test(text);
}

/**
 * The last connectivity check as the draft keeps it, so the Export step can pack its report and
 * the Connectivity step can show it after a reload. Public data only: the draft is persisted
 * unencrypted, so a report holding a private key or a URL password is refused.
 */
export const keptReportSchema = z.object({
  /** formatReport's text, at most KEPT_REPORT_MAX characters. */
  text: z.string().min(1).max(KEPT_REPORT_MAX).refine(holdsNoSecret, 'the report must not hold a private key or a password'),
  /** ISO time the run finished. */
  at: z.string().max(64),
  passed: z.boolean(),
  /** `host:port/protocol` of each endpoint checked, to notice when the onboarding's endpoints change. */
  endpoints: z.array(z.string().max(300)).max(64),
});
export type KeptReport = z.infer<typeof keptReportSchema>;

/** The `host:port/protocol` keys of endpoints, sorted: equal lists mean the same things were checked. */
export function endpointKeys(endpoints: readonly { host: string; port: number; protocol: string }[]): string[] {
  return [...new Set(endpoints.map((e) => `${endpointLabel(e.host, e.port)}/${e.protocol}`))].sort();
}

/**
 * A finished run as the draft keeps it: formatReport's text with any URL password masked and any
 * private key block dropped (defence in depth: the probe already removes proxy passwords and
 * never prints key material), cut to KEPT_REPORT_MAX characters.
 */
export function keepReport(run: ProbeRun, ctx: ReportContext = {}): KeptReport {
  let text = formatReport(run, ctx)
    .replace(URL_PASSWORD, '$1***@')
    .replace(/-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY)-----[\s\S]*?(-----END \1-----|$)/g, '[private key removed]');
  if (text.length > KEPT_REPORT_MAX) text = text.slice(0, KEPT_REPORT_MAX - CUT_NOTE.length) + CUT_NOTE;
  return { text, at: run.finishedAt, passed: run.passed, endpoints: endpointKeys(run.results.map((r) => r.endpoint)).slice(0, 64) };
}

/** The endpoints (as `host:port/protocol`) a kept report did not check: when any, it is out of date. */
export function uncheckedBy(kept: KeptReport, endpoints: readonly { host: string; port: number; protocol: string }[]): string[] {
  return endpointKeys(endpoints).filter((k) => !kept.endpoints.includes(k));
}

/**
 * A result as it stands with the pins the user has now: an SSH host key that was "not pinned
 * yet" when checked and has been pinned since (the exact key it showed) reads as pinned, so the
 * table and the kept report do not go stale after confirm-and-pin. A mismatch is never changed.
 */
export function withCurrentPins(r: EndpointResult, knownHosts: string | undefined): EndpointResult {
  const line = r.ssh?.knownHostsLine;
  if (!r.ssh || !line || r.ssh.pin === 'match' || r.ssh.pin === 'mismatch') return r;
  const [, type, key] = line.split(' ');
  if (!pinnedKeys(knownHosts, r.endpoint.host, r.endpoint.port).some((p) => p.keyType === type && p.key === key)) return r;
  return {
    ...r,
    ssh: { ...r.ssh, pin: 'match' },
    checks: r.checks.map((c) =>
      c.step === 'hostkey' && c.status === 'warn'
        ? { ...c, status: 'pass', detail: `${c.detail.replace(/ — not pinned yet.*$/, '')} — pinned after this check (the key it showed)` }
        : c,
    ),
  };
}

/** The run with withCurrentPins applied to every result. */
export function runWithCurrentPins(run: ProbeRun, knownHosts: string | undefined): ProbeRun {
  return { ...run, results: run.results.map((r) => withCurrentPins(r, knownHosts)) };
}

/** True when a result was checked against this very endpoint (same host, port and protocol), not an earlier version of it. */
export function resultIsFor(r: Pick<EndpointResult, 'endpoint'>, e: { host: string; port: number; protocol: string }): boolean {
  return r.endpoint.host === e.host && r.endpoint.port === e.port && r.endpoint.protocol === e.protocol;
}

/**
 * A result under its endpoint as it is now: when only the endpoint's role changed since the
 * check (e.g. after "Use port 443" the 22 check became optional and the 443 one required), the
 * purpose, the optional mark and the pass/warn/fail level follow the endpoint, not the old labels.
 */
export function relabel(r: EndpointResult, e: { purpose?: string; optional?: boolean }): EndpointResult {
  const optional = Boolean(e.optional);
  const { optional: _old, ...endpoint } = r.endpoint;
  return {
    ...r,
    endpoint: { ...endpoint, purpose: e.purpose ?? r.endpoint.purpose, ...(optional ? { optional: true } : {}) },
    level: levelOf(r.verdict, optional),
  };
}
