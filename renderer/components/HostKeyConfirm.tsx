import { useId, useState } from 'react';
import { CopyButton } from './CopyButton';

/** What the confirm says where the Connectivity step (vendor's server) and the Install step (agent host) differ. */
export interface HostKeyWords {
  /** After "It now shows <type> <fingerprint>." on a key that is not the pinned one: what to do first. */
  mismatch: string;
  /** After the ✓ on a pinned key: what the pin is for. */
  pinned: string;
  /** Above the comparison field of a key not pinned yet (none: no such line). */
  firstContact?: React.ReactNode;
  /** The label of the comparison field. */
  given: string;
  /** The checkbox's text after "I compared this fingerprint with ". */
  compared: string;
}

/** 'match' / 'differ' for a fingerprint pasted with or without its `SHA256:` prefix; undefined when none was pasted. */
export function compareFingerprint(given: string, fingerprint: string): 'match' | 'differ' | undefined {
  const g = given.trim();
  if (!g) return undefined;
  return g === fingerprint || `SHA256:${g}` === fingerprint ? 'match' : 'differ';
}

/**
 * Confirm-and-pin of one SSH host key: its fingerprint, compared (optionally) with one pasted from
 * whoever owns the host, a checkbox, then Pin. A key that is not the pinned one (`mismatch`) offers
 * only to drop the old pin: it is never accepted silently.
 */
export function HostKeyConfirm({
  label,
  keyType,
  fingerprint,
  pinned,
  mismatch,
  words,
  copy = false,
  testId,
  onPin,
  onUnpin,
}: {
  label: string;
  keyType: string;
  fingerprint: string;
  pinned: boolean;
  mismatch: boolean;
  words: HostKeyWords;
  /** Show a copy button beside the fingerprint. */
  copy?: boolean;
  testId?: string | undefined;
  onPin(): void;
  onUnpin(): void;
}): React.JSX.Element {
  const id = useId();
  const [confirmed, setConfirmed] = useState(false);
  const [given, setGiven] = useState('');
  const compared = compareFingerprint(given, fingerprint);
  if (mismatch) {
    return (
      <div className="host-key host-key-bad" role="alert" data-testid={testId}>
        <p>
          <strong>{label}: the host key is not the pinned one.</strong> It now shows {keyType} <code className="fingerprint">{fingerprint}</code>.{' '}
          {words.mismatch}
        </p>
        <button type="button" className="secondary" onClick={onUnpin}>
          Remove the old pin for {label}
        </button>
      </div>
    );
  }
  return (
    <div className="host-key" data-testid={testId}>
      <p>
        <strong>{label}</strong> · {keyType} <code className="fingerprint">{fingerprint}</code>
        {copy ? (
          <>
            {' '}
            <CopyButton text={fingerprint} label={`Copy the fingerprint of ${label}`} />
          </>
        ) : null}
      </p>
      {pinned ? (
        <p className="ok" role="status">
          <span aria-hidden="true">✓ </span>
          {words.pinned}{' '}
          <button type="button" className="link" onClick={onUnpin}>
            Unpin
          </button>
        </p>
      ) : (
        <>
          {words.firstContact ? <p className="help">{words.firstContact}</p> : null}
          <div className="field">
            <label htmlFor={`${id}-given`}>{words.given}</label>
            <input
              id={`${id}-given`}
              type="text"
              spellCheck={false}
              value={given}
              onChange={(e) => setGiven(e.target.value)}
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
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I compared this fingerprint with {words.compared}
          </label>
          <button type="button" disabled={!confirmed || compared === 'differ'} onClick={onPin}>
            Pin host key of {label}
          </button>
        </>
      )}
    </div>
  );
}
