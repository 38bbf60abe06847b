/**
 * Browser mode's saved secrets (no OS keychain there): set a passphrase once, unlock after each
 * start, lock on request, or forget everything when the passphrase is lost. The passphrase goes
 * to main once per call and is never kept here.
 */
import { useId, useState } from 'react';
import type { SecretStoreStatus } from '../../../shared/credentials-contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import type { ShownError } from './use-credential';

/** Same rule as main's MIN_STORE_PASSPHRASE (checked there too). */
const MIN_LENGTH = 12;

/** Sets up (`create`) or unlocks the passphrase for saved secrets; `onDone` gets the new status. */
export function SecretStoreForm({ create, onDone }: { create: boolean; onDone(status: SecretStoreStatus): void }): React.JSX.Element {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);

  const submit = async (): Promise<void> => {
    setError(null);
    if (create && passphrase.length < MIN_LENGTH)
      return setError({ code: 'BAD_INPUT', message: `Use at least ${MIN_LENGTH} characters: this passphrase guards every saved secret on this disk.` });
    if (create && passphrase !== repeat) return setError({ code: 'BAD_INPUT', message: 'The two passphrases differ.' });
    setBusy(true);
    const r = await api.invoke('secrets:unlock', { passphrase, create });
    setBusy(false);
    setPassphrase('');
    setRepeat('');
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  const reset = async (): Promise<void> => {
    const r = await api.invoke('secrets:reset', {});
    setConfirmReset(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <form
      className="cred-form secret-store"
      aria-label={create ? 'Set a passphrase for saved secrets' : 'Unlock saved secrets'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-pass`}>{create ? 'New passphrase for saved secrets' : 'Passphrase for saved secrets'}</label>
        <input
          id={`${id}-pass`}
          type="password"
          autoComplete={create ? 'new-password' : 'current-password'}
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </div>
      {create && (
        <div className="field">
          <label htmlFor={`${id}-repeat`}>Repeat it</label>
          <input id={`${id}-repeat`} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </div>
      )}
      <p>
        <button type="submit" disabled={busy || !passphrase}>
          {busy ? (create ? 'Setting it…' : 'Unlocking…') : create ? 'Set the passphrase' : 'Unlock'}
        </button>
      </p>
      {!create &&
        (confirmReset ? (
          <p role="alert">
            Forget every saved secret and the passphrase? Keys and tokens saved here are gone for good; the agents&apos; own files are not touched.{' '}
            <button type="button" className="secondary" onClick={() => void reset()}>
              Forget the saved secrets
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setConfirmReset(false)}>
              Keep them
            </button>
          </p>
        ) : (
          <p className="help">
            Forgot the passphrase?{' '}
            <button type="button" className="link" onClick={() => setConfirmReset(true)}>
              Forget the saved secrets…
            </button>
          </p>
        ))}
      <ErrorNote error={error} />
    </form>
  );
}

/** The Credentials step's view of a credential saved in an earlier session while the secrets are locked. */
export function LockedCredential({
  what,
  onUnlocked,
  onReplace,
}: {
  what: string;
  onUnlocked(status: SecretStoreStatus): void;
  onReplace(): void;
}): React.JSX.Element {
  return (
    <section className="notice" aria-labelledby="locked-heading">
      <h2 id="locked-heading">The saved {what} is locked</h2>
      <p>It was saved encrypted with your passphrase. Enter it to use the {what} again.</p>
      <SecretStoreForm create={false} onDone={onUnlocked} />
      <p>
        <button type="button" className="secondary" onClick={onReplace}>
          Use a different {what} instead
        </button>
      </p>
    </section>
  );
}
