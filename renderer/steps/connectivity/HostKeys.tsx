import { mergeKnownHosts, unpinHost } from '../../../shared/known-hosts';
import { endpointLabel, type EndpointResult } from '../../../shared/probe';
import { HostKeyConfirm, type HostKeyWords } from '../../components/HostKeyConfirm';
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

const SERVER_WORDS: HostKeyWords = {
  mismatch: 'Ask the server owner whether the server was re-keyed before you trust it.',
  pinned: 'Pinned for the generated configs.',
  given: 'Fingerprint you were given (optional)',
  compared: 'the one from the server owner and it is the same',
};

function HostKey({ r, draft, update }: { r: EndpointResult; draft: StepProps['draft']; update: StepProps['update'] }): React.JSX.Element {
  const ssh = r.ssh as NonNullable<EndpointResult['ssh']>;
  return (
    <HostKeyConfirm
      label={endpointLabel(r.endpoint.host, r.endpoint.port)}
      keyType={ssh.hostKeyType ?? ''}
      fingerprint={ssh.fingerprint as string}
      pinned={isPinned(draft.knownHosts, r)}
      mismatch={ssh.pin === 'mismatch'}
      words={SERVER_WORDS}
      testId={`host-key-${r.endpoint.id}`}
      onPin={() => update({ knownHosts: mergeKnownHosts(draft.knownHosts, ssh.knownHostsLine as string) })}
      onUnpin={() => update({ knownHosts: unpinHost(draft.knownHosts, r.endpoint.host, r.endpoint.port) })}
    />
  );
}
