/** Small pieces the key and token views share: errors, copy buttons, the keychain choice. */
import { useState } from 'react';
import { api } from '../../api';
import { copyPublic } from './clipboard';
import type { ShownError } from './use-credential';

/** An error that says what to do next. */
export function ErrorNote({ error, testId }: { error: ShownError | null; testId?: string }): React.JSX.Element | null {
  if (!error) return null;
  return (
    <div className="cred-error" role="alert" data-testid={testId}>
      <p>{error.message}</p>
      {error.hint ? <p className="cred-hint">{error.hint}</p> : null}
    </div>
  );
}

/** Copies public text and says so next to the button. */
export function CopyButton({ text, label }: { text: string; label: string }): React.JSX.Element {
  const [said, setSaid] = useState('');
  const copy = async (): Promise<void> => {
    setSaid((await copyPublic(text)) ? 'Copied.' : 'Copying was refused; select the text and copy it.');
    setTimeout(() => setSaid(''), 3000);
  };
  return (
    <>
      <button type="button" className="secondary cred-small" onClick={() => void copy()}>
        {label}
      </button>
      <span className="cred-said" role="status">
        {said}
      </span>
    </>
  );
}

/**
 * Keeping the secret across restarts: a button where the OS keychain is available, otherwise a
 * plain statement that it lives in memory only.
 */
export function KeychainChoice({ id, available }: { id: string; available: boolean | null }): React.JSX.Element | null {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  if (available === null) return null;
  if (!available) {
    return <p className="help">Kept in memory only, until Agent Onboard stops: there is no OS keychain here (browser mode). The Configs step writes it into the agent&apos;s files.</p>;
  }
  if (saved) return <p role="status">Kept in the OS keychain; it will still be here after a restart.</p>;
  const keep = async (): Promise<void> => {
    const r = await api.invoke('secrets:persist', { id });
    if (r.ok) setSaved(true);
    else setError(r.error);
  };
  return (
    <div>
      <button type="button" className="secondary" onClick={() => void keep()}>
        Keep it in the OS keychain
      </button>
      <p className="help">Otherwise it is kept in memory only, until Agent Onboard stops.</p>
      <ErrorNote error={error} />
    </div>
  );
}
