import { useId, useState } from 'react';
import { mergeKnownHosts, unpinHost } from '../../../shared/known-hosts';
import { endpointLabel, type EndpointResult } from '../../../shared/probe';
import type { StepProps } from '../types';
import { isPinned } from './plan';

/**
 * Confirm-and-pin: the user compares the fingerprint with the one the vendor published (pasting
 * it checks the comparison), confirms, and the known_hosts line goes into the draft for the
 * generated configs. A mismatch offers only to drop the old pin, never to accept silently.
 */
export function HostKeys({
  results,
  draft,
  update,
}: {
  results: EndpointResult[];
  draft: StepProps['draft'];
  update: StepProps['update'];
}): React.JSX.Element | null {
  const ssh = results.filter((r) => r.ssh?.fingerprint && r.ssh.knownHostsLine);
  if (!ssh.length) return null;
  return (
    <section className="probe-panel" aria-labelledby="host-keys-heading">
      <h2 id="host-keys-heading">Server host keys</h2>
      <p className="help">
        The agent checks the server&apos;s host key on every connection. Compare each fingerprint with the one the server owner gave you, then pin it: the
        generated configs carry it in known_hosts with host key checking on.
      </p>
      {ssh.map((r) => (
        <HostKey key={r.endpoint.id} r={r} draft={draft} update={update} />
      ))}
    </section>
  );
}

function HostKey({ r, draft, update }: { r: EndpointResult; draft: StepProps['draft']; update: StepProps['update'] }): React.JSX.Element {
  const id = useId();
  const [confirmed, setConfirmed] = useState(false);
  const [vendor, setVendor] = useState('');
  const ssh = r.ssh as NonNullable<EndpointResult['ssh']>;
  const fp = ssh.fingerprint as string;
  const label = endpointLabel(r.endpoint.host, r.endpoint.port);
  const pinned = isPinned(draft.knownHosts, r);
  const given = vendor.trim();
  const compared = given ? (given === fp || `SHA256:${given}` === fp ? 'match' : 'differ') : undefined;

  if (ssh.pin === 'mismatch') {
    return (
      <div className="host-key host-key-bad" role="alert">
        <p>
          <strong>{label}: the host key is not the pinned one.</strong> It now shows {ssh.hostKeyType} <code className="fingerprint">{fp}</code>. Ask the server
          owner whether the server was re-keyed before you trust it.
        </p>
        <button type="button" className="secondary" onClick={() => update({ knownHosts: unpinHost(draft.knownHosts, r.endpoint.host, r.endpoint.port) })}>
          Remove the old pin for {label}
        </button>
      </div>
    );
  }
  return (
    <div className="host-key" data-testid={`host-key-${r.endpoint.id}`}>
      <p>
        <strong>{label}</strong> · {ssh.hostKeyType} <code className="fingerprint">{fp}</code>
      </p>
      {pinned ? (
        <p className="ok" role="status">
          <span aria-hidden="true">✓ </span>Pinned for the generated configs.{' '}
          <button type="button" className="link" onClick={() => update({ knownHosts: unpinHost(draft.knownHosts, r.endpoint.host, r.endpoint.port) })}>
            Unpin
          </button>
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-vendor`}>Fingerprint you were given (optional)</label>
            <input
              id={`${id}-vendor`}
              type="text"
              spellCheck={false}
              value={vendor}
              onChange={(e) => setVendor(e.target.value)}
              placeholder="SHA256:…"
              aria-describedby={`${id}-cmp`}
            />
            <p id={`${id}-cmp`} className={compared === 'differ' ? 'error' : compared === 'match' ? 'ok' : 'help'} aria-live="polite">
              {compared === 'match'
                ? 'It matches.'
                : compared === 'differ'
                  ? 'It does NOT match: do not pin this key.'
                  : 'Paste it to compare character by character.'}
            </p>
          </div>
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I compared this fingerprint with the one from the
            server owner and it is the same
          </label>
          <button
            type="button"
            disabled={!confirmed || compared === 'differ'}
            onClick={() => update({ knownHosts: mergeKnownHosts(draft.knownHosts, ssh.knownHostsLine as string) })}
          >
            Pin host key of {label}
          </button>
        </>
      )}
    </div>
  );
}
