/** The keychain choice the key and token views share. */
import { useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import type { SecretStoreStatus } from '../../../shared/credentials-contract';
import { SecretStoreForm } from './SecretStore';
import type { SecretStoreHandle, ShownError } from './use-credential';

/**
 * Keeping the secret across restarts: the OS keychain (desktop); in browser mode the user's
 * passphrase (set up or unlocked here first); otherwise a plain statement that it lives in
 * memory only.
 */
export function KeychainChoice({ id, store, saved: savedBefore }: { id: string; store: SecretStoreHandle; saved: boolean }): React.JSX.Element | null {
  const [saved, setSaved] = useState(savedBefore);
  const [error, setError] = useState<ShownError | null>(null);
  const status = store.status;
  if (status === null) return null;
  const keep = async (): Promise<void> => {
    const r = await api.invoke('secrets:persist', { id });
    if (r.ok) setSaved(true);
    else setError(r.error);
  };
  const openedThenKeep = (next: SecretStoreStatus): void => {
    store.set(next);
    if (next.state === 'ready') void keep();
  };
  if (status.kind === 'none') {
    return (
      <p className="help">
        Kept in memory only, until Agent Onboard stops: there is no OS keychain here. The Configs step writes it into the agent&apos;s files.
      </p>
    );
  }
  const passphrase = status.kind === 'passphrase';
  if (saved && !passphrase) return <p role="status">Kept in the OS keychain; it will still be here after a restart.</p>;
  if (saved) {
    const lock = async (): Promise<void> => {
      const r = await api.invoke('secrets:lock', {});
      if (r.ok) store.set(r.value);
      else setError(r.error);
    };
    return (
      <div>
        <p role="status">Saved, encrypted with your passphrase: after a restart, unlock it with that passphrase.</p>
        <button type="button" className="secondary" onClick={() => void lock()}>
          Lock saved secrets now
        </button>
        <ErrorNote error={error} />
      </div>
    );
  }
  if (status.state === 'unset' || status.state === 'locked') {
    return (
      <div className="secret-store-choice">
        <p className="help">Kept in memory only, until Agent Onboard stops: browser mode has no OS keychain.</p>
        <details>
          <summary>Keep it across restarts, encrypted with a passphrase (optional)</summary>
          <p className="help">
            {status.state === 'unset'
              ? 'Saved secrets are encrypted with the passphrase (scrypt, AES-256-GCM); the passphrase itself is never stored, and after each start you enter it once.'
              : 'Secrets saved earlier are locked: enter their passphrase to keep this one too.'}
          </p>
          <SecretStoreForm create={status.state === 'unset'} onDone={openedThenKeep} />
        </details>
        <ErrorNote error={error} />
      </div>
    );
  }
  return (
    <div>
      <button type="button" className="secondary" onClick={() => void keep()}>
        {passphrase ? 'Keep it, encrypted with your passphrase' : 'Keep it in the OS keychain'}
      </button>
      <p className="help">Otherwise it is kept in memory only, until Agent Onboard stops.</p>
      <ErrorNote error={error} />
    </div>
  );
}
