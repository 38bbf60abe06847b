import { describeClock } from '../../../shared/clock-skew';
import { endpointLabel, fixFor, VERDICTS, WARNINGS, type EndpointResult, type ProbeEndpoint } from '../../../shared/probe';

const LEVEL_WORD = { pass: 'Pass', warn: 'Warning', fail: 'Fail' } as const;

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

function Dns({ r }: { r: EndpointResult }): React.JSX.Element {
  if (r.via) return <span className="muted">by the proxy</span>;
  if (r.dns) {
    return (
      <>
        {r.dns.addresses.map((a) => (
          <code key={a} className="block">
            {a}
          </code>
        ))}
        <span className="muted">{ms(r.dns.ms)}</span>
      </>
    );
  }
  const failed = r.checks.find((c) => c.step === 'dns' && c.status === 'fail');
  return failed ? <span>failed</span> : <span className="muted">IP address</span>;
}

function Tcp({ r }: { r: EndpointResult }): React.JSX.Element {
  if (r.tcp) return <span>{r.tcp.address.startsWith('via proxy') ? `${ms(r.tcp.ms)} via proxy` : ms(r.tcp.ms)}</span>;
  const failed = r.checks.find((c) => (c.step === 'tcp' || c.step === 'proxy') && c.status === 'fail');
  return <span>{failed ? 'no connection' : '—'}</span>;
}

/** What answered: SSH banner and host key; TLS version, certificate and expiry; HTTP status. */
export function Answered({ r }: { r: EndpointResult }): React.JSX.Element {
  const parts: React.JSX.Element[] = [];
  if (r.ssh) {
    parts.push(
      <div key="ssh">
        <code>{r.ssh.banner}</code>
        {r.ssh.fingerprint && (
          <div>
            {r.ssh.hostKeyType} <code className="fingerprint">{r.ssh.fingerprint}</code>
          </div>
        )}
        {r.ssh.auth !== 'not-tested' && (
          <div>
            key {r.ssh.auth}
            {r.ssh.user ? ` for ${r.ssh.user}` : ''}
          </div>
        )}
        {r.ssh.forwards?.map((f) => (
          <div key={f.port}>
            remote port {f.port}: {f.status}
          </div>
        ))}
      </div>,
    );
  }
  if (r.tls) {
    parts.push(
      <div key="tls">
        {r.tls.protocol}, {r.tls.trusted ? 'trusted' : 'not trusted'}
        <div>
          subject <code>{r.tls.subject}</code>
        </div>
        <div>
          issuer <code>{r.tls.issuer}</code>
        </div>
        <div>
          expires {r.tls.validTo.slice(0, 10)} ({r.tls.daysLeft} days)
        </div>
      </div>,
    );
  }
  if (r.http) {
    parts.push(
      <div key="http">
        HTTP {r.http.status} {r.http.reason}
        {r.clock && <div className="muted">clock: {describeClock(r.clock, "the server's", "this computer's clock")}</div>}
      </div>,
    );
  }
  if (!parts.length) return <span className="muted">{r.answered === 'tcp' ? 'TCP only' : 'nothing'}</span>;
  return <>{parts}</>;
}

function Verdict({ r }: { r: EndpointResult }): React.JSX.Element {
  return (
    <div className={`verdict verdict-${r.level}`}>
      <strong>
        <span className="verdict-mark" aria-hidden="true">
          {r.level === 'pass' ? '✓' : r.level === 'warn' ? '!' : '✗'}
        </span>{' '}
        {LEVEL_WORD[r.level]}: {VERDICTS[r.verdict].title}
      </strong>{' '}
      <code className="verdict-code">{r.verdict}</code>
      <div className="verdict-detail">{r.detail}</div>
      {r.level !== 'pass' && <div className="verdict-fix">Fix: {fixFor(r)}</div>}
      {r.warnings?.map((w) => (
        <div key={w.code} className="verdict verdict-warn probe-warning" data-warning={w.code}>
          <strong>
            <span className="verdict-mark" aria-hidden="true">
              !
            </span>{' '}
            Warning: {WARNINGS[w.code].title}
          </strong>{' '}
          <code className="verdict-code">{w.code}</code>
          <div className="verdict-detail">{w.detail}</div>
        </div>
      ))}
    </div>
  );
}

/** The live table: one row per endpoint, filled in as each one finishes. */
export function ResultsTable({
  endpoints,
  rows,
  running,
}: {
  endpoints: ProbeEndpoint[];
  rows: Record<string, EndpointResult>;
  running: boolean;
}): React.JSX.Element {
  return (
    <table className="table probe-table" data-testid="probe-table">
      <caption className="sr-only">Connectivity results</caption>
      <thead>
        <tr>
          <th scope="col">Endpoint</th>
          <th scope="col">DNS</th>
          <th scope="col">TCP connect</th>
          <th scope="col">What answered</th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((e) => {
          const r = rows[e.id];
          return (
            <tr key={e.id} data-endpoint={e.id} aria-busy={!r && running ? true : undefined}>
              <th scope="row">
                <code>{endpointLabel(e.host, e.port)}</code>
                <div className="muted">
                  {e.protocol}
                  {e.purpose ? ` · ${e.purpose}` : ''}
                  {e.optional ? ' · optional' : ''}
                </div>
              </th>
              {r ? (
                <>
                  <td>
                    <Dns r={r} />
                  </td>
                  <td>
                    <Tcp r={r} />
                  </td>
                  <td>
                    <Answered r={r} />
                  </td>
                  <td>
                    <Verdict r={r} />
                  </td>
                </>
              ) : (
                <td colSpan={4} className="muted">
                  {running ? 'Checking…' : 'Not checked yet'}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
