import { useEffect, useMemo, useState } from 'react';
import { COMPANY_CA_FILE } from '../../../shared/bundle';
import { endpointLabel, WARNINGS, type ProbeRun, type ProxySpec } from '../../../shared/probe';
import { firewallCsv, formatReport, keepReport, relabel, resultIsFor, runWithCurrentPins, uncheckedBy, withCurrentPins } from '../../../shared/probe-report';
import { ERROR_TITLES } from '../../../shared/result';
import { CopyButton } from '../../components/CopyButton';
import { platformView } from '../../platforms';
import type { StepProps, StepView } from '../types';
import { AddEndpoint } from './AddEndpoint';
import { CaFields } from './CaFields';
import { HostKeys } from './HostKeys';
import { initialProxy, isPinned, savedProxy, keptLabel, plannedEndpoints, probeCommands, probeEndpoints, sshPlan, type ExtraEndpoint } from './plan';
import { ProxyFields } from './ProxyFields';
import { ReachPicture } from './ReachPicture';
import { ResultsTable } from './ResultsTable';
import { TokenVerify } from './TokenVerify';
import { useProbe } from './use-probe';

export { plannedEndpoints } from './plan';

const TIMEOUTS = [2000, 5000, 10000, 20000];

function download(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function useElapsed(since: number | undefined, running: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, [running]);
  return since === undefined ? 0 : Math.max(0, now - since);
}

function ConnectivityStep({ draft, update, platform }: StepProps): React.JSX.Element {
  const [extra, setExtra] = useState<ExtraEndpoint[]>([]);
  const [proxy, setProxyNow] = useState<ProxySpec>(() => initialProxy(draft));
  // A proxy other than the environment's is not hidden behind a closed section on a visit back.
  const [proxyShown] = useState(() => proxy.mode !== 'env');
  // Kept in the draft (never the password), so going back to Details and returning keeps it.
  const setProxy = (p: ProxySpec): void => {
    setProxyNow(p);
    update({ proxy: savedProxy(p) });
  };
  const [timeoutMs, setTimeoutMs] = useState(5000);
  const [testLogin, setTestLogin] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const { state, start, cancel } = useProbe();
  // A platform whose agent can use another outbound port (ArmorCode: 22 or 443) takes a suggested switch in one click.
  const portAnswer = platformView(platform?.id).portAnswer;
  const agentPort = portAnswer ? Number(draft.answers[portAnswer.key] || portAnswer.default) : undefined;
  const running = state.status === 'running';
  const elapsed = useElapsed(state.startedAt, running);

  const planned = plannedEndpoints({ draft, platform });
  const endpoints = probeEndpoints(planned, extra);
  const ssh = sshPlan(draft, platform);
  const canLogin = Boolean(ssh?.user && draft.credentialId);
  const done = Object.keys(state.rows).length;
  const reportContext = platform ? { platform: platform.name } : {};

  // The run as it stands with today's pins: a key pinned after the check reads as pinned.
  const shownRun = useMemo(() => (state.run ? runWithCurrentPins(state.run, draft.knownHosts) : undefined), [state.run, draft.knownHosts]);
  // A finished run is kept in the draft (public data only), for the Export step and a reload;
  // again after a pin, so the kept report never says "not pinned yet" for a pinned key.
  useEffect(() => {
    if (state.status === 'done' && shownRun) update({ connectivity: keepReport(shownRun, reportContext) });
  }, [shownRun]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = (): void => {
    setNotice(null);
    if (proxy.mode === 'manual' && !proxy.url.trim()) {
      setNotice('Enter the proxy URL, or choose another proxy option.');
      return;
    }
    start({
      endpoints,
      timeoutMs,
      ...(testLogin && canLogin && ssh?.user
        ? { credentialId: draft.credentialId, sshUser: ssh.user, forwardPorts: ssh.forwardPorts, forwardBind: '' as const }
        : {}),
      ...(draft.knownHosts ? { knownHosts: draft.knownHosts } : {}),
      ...(draft.trustedCa ? { trustedCa: draft.trustedCa } : {}),
      proxy,
    });
  };

  // Rows of endpoints that changed since they were checked (e.g. after "Use port 443") are not shown
  // under the new label: they read "Not checked yet" until the checks run again.
  const rows = Object.fromEntries(
    Object.entries(state.rows).flatMap(([id, r]) => {
      const e = endpoints.find((x) => x.id === id && resultIsFor(r, x));
      return e ? [[id, relabel(withCurrentPins(r, draft.knownHosts), e)] as const] : [];
    }),
  );
  const results = shownRun?.results ?? Object.values(rows);
  const pinnedByHost: Record<string, string[]> = {};
  for (const r of results) if (r.ssh?.fingerprint && isPinned(draft.knownHosts, r)) (pinnedByHost[r.endpoint.host] ??= []).push(r.ssh.fingerprint);
  const commands = probeCommands(endpoints, ssh, pinnedByHost, Boolean(draft.trustedCa));
  // Until a new run finishes, the last one's report (kept in the draft) is shown again.
  const kept = state.run ? undefined : draft.connectivity;
  const unchecked = kept ? uncheckedBy(kept, planned) : [];
  const report = shownRun ? formatReport(shownRun, reportContext) : (kept?.text ?? '');
  const reportName = `connectivity-report-${(state.run?.startedAt ?? kept?.at ?? '').replace(/[:.]/g, '-')}.txt`;

  return (
    <>
      <p className="lead">
        Prove the agent can reach its server before anything starts. Every endpoint is checked at once, each step with its own time limit; Cancel stops at any
        moment.
      </p>

      <ReachPicture endpoints={endpoints} rows={rows} />

      <section className="probe-setup" aria-label="What to check">
        {extra.length > 0 && (
          <ul className="probe-extra">
            {extra.map((e) => (
              <li key={e.id}>
                <code>{endpointLabel(e.host, e.port)}</code> ({e.protocol}){' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => setExtra(extra.filter((x) => x.id !== e.id))}
                  aria-label={`Remove ${endpointLabel(e.host, e.port)}`}
                  disabled={running}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <AddEndpoint taken={extra.map((e) => e.id)} onAdd={(e) => setExtra([...extra, e])} />
        <details className="probe-options" open={proxyShown}>
          <summary>Proxy and time limit</summary>
          <ProxyFields value={proxy} onChange={setProxy} />
          <div className="field">
            <label htmlFor="probe-timeout">Time limit of each step</label>
            <select id="probe-timeout" value={timeoutMs} onChange={(e) => setTimeoutMs(Number(e.target.value))}>
              {TIMEOUTS.map((t) => (
                <option key={t} value={t}>
                  {t / 1000} s
                </option>
              ))}
            </select>
          </div>
        </details>
        <details
          className="probe-options"
          open={Boolean(draft.trustedCa) || results.some((r) => r.verdict === 'TLS_INTERCEPTED' || r.verdict === 'TLS_UNTRUSTED')}
        >
          <summary>Company CA{draft.trustedCa ? ' (trusted)' : ''}</summary>
          <CaFields value={draft.trustedCa} onChange={(pem) => update({ trustedCa: pem })} disabled={running} />
        </details>
        {ssh && (
          <label className="check">
            <input type="checkbox" checked={testLogin && canLogin} disabled={!canLogin} onChange={(e) => setTestLogin(e.target.checked)} /> Also log in with the
            key
            {ssh.forwardPorts.length
              ? ` and test the reverse forward${ssh.forwardPorts.length > 1 ? 's' : ''} (remote port ${ssh.forwardPorts.join(', ')})`
              : ''}
            {!canLogin && <span className="muted"> — needs the SSH user on Details and a key on Credentials</span>}
          </label>
        )}
      </section>

      <div className="probe-actions">
        <button type="button" onClick={run} disabled={running || endpoints.length === 0}>
          {state.status === 'idle' ? 'Run the checks' : 'Run again'}
        </button>
        <button type="button" className="secondary" onClick={cancel} disabled={!running}>
          Cancel
        </button>
        <span role="status" className="probe-status" aria-live="polite">
          {running && `Checking… ${done} of ${endpoints.length} done (${(elapsed / 1000).toFixed(1)} s)`}
          {state.status === 'done' && state.run && summary(state.run)}
          {state.status === 'cancelled' && `Cancelled after ${done} of ${endpoints.length}.`}
          {state.status === 'idle' && kept && `Last check: ${keptLabel(kept)}.`}
        </span>
      </div>
      {endpoints.length === 0 && <p className="notice">Fill in the Details step, or add an endpoint above, to have something to check.</p>}
      {notice && (
        <p className="error" role="alert">
          {notice}
        </p>
      )}
      {state.status === 'failed' && state.error && (
        <div className="error" role="alert">
          <strong>{ERROR_TITLES[state.error.code]}.</strong> {state.error.message} {state.error.hint}
          {(state.error.code === 'SECRET_UNAVAILABLE' || state.error.code === 'SECRET_LOCKED') && (
            <button type="button" className="secondary" onClick={() => update({ step: 'credentials' })}>
              Go to Credentials
            </button>
          )}
        </div>
      )}

      <ResultsTable endpoints={endpoints} rows={rows} running={running} />

      {state.run?.suggestions.map((s) => (
        <div key={`${s.host}-${s.from}-${s.to}`} className="probe-panel probe-suggestion" role="note">
          <p>{s.message}</p>
          {portAnswer && agentPort === s.from && portAnswer.ports.includes(s.to) && (
            <button type="button" onClick={() => update({ answers: { ...draft.answers, [portAnswer.key]: String(s.to) } })}>
              Use port {s.to} for the agent
            </button>
          )}
          {portAnswer && agentPort === s.to && (
            <p className="ok" role="status">
              The agent now uses port {s.to}. Run the checks again to confirm.
            </p>
          )}
        </div>
      ))}

      <ClockPanel results={results} />

      {platform?.tokenVerify && <TokenVerify draft={draft} update={update} platform={platform} proxy={proxy} />}

      {results.length > 0 && <HostKeys results={results} draft={draft} update={update} />}

      {report && (
        <section className="probe-panel" aria-labelledby="report-heading">
          <h2 id="report-heading">Report for your network team</h2>
          <p className="help">
            Every endpoint, what was tested, the result and the time, as plain text (the Export step adds it to the bundle), and the firewall rules the agent
            needs as CSV for a request form or spreadsheet.
          </p>
          {kept && (
            <p className="help" data-testid="kept-report-note">
              From the last check ({keptLabel(kept)}). Run the checks again to see the table.
              {unchecked.length > 0 && ` It did not check ${unchecked.join(', ')}: the answers changed since.`}
            </p>
          )}
          <div className="probe-actions">
            <CopyButton text={report} label="Copy report" showLabel small={false} />
            <button type="button" className="secondary" onClick={() => download(reportName, report)}>
              Save report
            </button>
            {state.run && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  shownRun &&
                  download(reportName.replace(/^connectivity-report/, 'firewall-rules').replace(/\.txt$/, '.csv'), firewallCsv(shownRun), 'text/csv')
                }
              >
                Save firewall rules (CSV)
              </button>
            )}
          </div>
          <details>
            <summary>Show the report</summary>
            {/* Long enough to scroll: focusable so a keyboard user can scroll it. */}
            <pre data-testid="probe-report" aria-label="Connectivity report" tabIndex={0}>
              {report}
            </pre>
          </details>
        </section>
      )}

      {commands.length > 0 && (
        <section className="probe-panel" aria-labelledby="agent-host-heading">
          <h2 id="agent-host-heading">Run the same check on the agent host</h2>
          <p className="help">These checks ran from this computer. If the agent runs elsewhere, run this there (it exits 0 when every check passes):</p>
          {draft.trustedCa && (
            <p className="help">
              It trusts the company CA from the file <code>{COMPANY_CA_FILE}</code>: save it beside the command.{' '}
              <button type="button" className="secondary" onClick={() => download(COMPANY_CA_FILE, draft.trustedCa ?? '')}>
                Save {COMPANY_CA_FILE}
              </button>
            </p>
          )}
          {commands.map((c) => (
            <div key={c} className="probe-command">
              <pre>{c}</pre>
              <CopyButton text={c} label="Copy command" showLabel small={false} />
            </div>
          ))}
        </section>
      )}
    </>
  );
}

/** The clock-skew warning, once for the run, loud: every token agent on this host will fail to log in. */
function ClockPanel({ results }: { results: ProbeRun['results'] }): React.JSX.Element | null {
  const skewed = results.filter((r) => r.warnings?.some((w) => w.code === 'CLOCK_SKEW'));
  if (!skewed.length) return null;
  return (
    <section className="probe-panel probe-clock" role="alert" aria-labelledby="clock-heading" data-testid="clock-warning">
      <h2 id="clock-heading">This computer&apos;s clock is off</h2>
      {skewed.map((r) => (
        <p key={r.endpoint.id}>{sentence(r.warnings?.find((w) => w.code === 'CLOCK_SKEW')?.detail ?? '')}</p>
      ))}
      <p>{WARNINGS.CLOCK_SKEW.fix}</p>
      <p className="help">
        This checked the clock of the computer running Agent Onboard. If the agent runs on another host, run the command under &quot;Run the same check on the
        agent host&quot; there: it checks that host&apos;s clock the same way.
      </p>
    </section>
  );
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function summary(run: ProbeRun): string {
  const failed = run.results.filter((r) => r.level === 'fail').length;
  const warned = run.results.filter((r) => r.level === 'warn').length;
  const secs = (run.ms / 1000).toFixed(1);
  if (!failed) return `All required checks passed in ${secs} s${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.`;
  return `${failed} of ${run.results.length} failed (${secs} s): see the fixes below.`;
}

export const connectivityStep: StepView = { Component: ConnectivityStep };
