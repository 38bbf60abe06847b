/**
 * The connectivity report a user copies or saves for their network team: every endpoint, what
 * was tested, what answered, the verdict with its fix, and when. Plain text that reads well in
 * an e-mail or a ticket; secrets never appear (proxy credentials are already removed upstream).
 */
import { endpointLabel, fixFor, VERDICTS, type EndpointResult, type ProbeCheck, type ProbeRun } from './probe';

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
  if (r.ssh?.user) lines.push(`    SSH:      user ${r.ssh.user}; key ${r.ssh.auth}${r.ssh.forwards?.length ? `; remote forward ${r.ssh.forwards.map((f) => `${f.port} ${f.status}`).join(', ')}` : ''}`);
  if (r.ssh?.pin && r.ssh.pin !== 'unpinned') lines.push(`    Host key: ${r.ssh.pin === 'match' ? 'matches the pinned key' : 'DOES NOT match the pinned key'}`);
  if (r.tls) lines.push(`    TLS:      ${r.tls.trusted ? 'trusted' : `not trusted (${r.tls.error ?? 'unknown reason'})`}; names ${r.tls.altNames.join(', ') || '—'}; ${r.tls.daysLeft} days left`);
  lines.push(`    Tested:   ${r.checks.map((c) => c.step).join(' → ') || 'nothing'}`, ...r.checks.map(checkLine));
  if (r.level !== 'pass') lines.push(`    Fix:      ${fixFor(r)}`);
  lines.push(`    Time:     ${r.startedAt} (${ms(r.ms)})`);
  return lines;
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
    `Result:    ${run.passed ? 'PASSED' : 'FAILED'} — ${passed} passed, ${warned} warning${warned === 1 ? '' : 's'}, ${failed} failed, of ${run.results.length} endpoint${run.results.length === 1 ? '' : 's'}`,
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
    lines.push(`  - TCP ${endpointLabel(r.endpoint.host, r.endpoint.port)}${r.dns?.addresses.length ? ` (${r.dns.addresses.join(', ')})` : ''}${r.endpoint.purpose ? ` — ${r.endpoint.purpose}` : ''}${r.endpoint.optional ? ' (optional)' : ''}: ${r.level === 'pass' ? 'open' : 'NOT working'}`);
  }
  return lines.join('\n') + '\n';
}
