import { useEffect, useId, useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

type Files = ChannelOutput<'history:files'>;
type Undone = ChannelOutput<'history:undo'>;

const STATE_WORDS: Record<Files['files'][number]['state'], string> = { 'as-written': 'as the wizard wrote it', changed: 'changed since', missing: 'gone' };
const ACTION_WORDS: Record<Files['files'][number]['action'], string> = {
  'move-aside': 'moved aside',
  'restore-backup': 'your earlier version restored',
  leave: 'left as it is',
};

/** The files the wizard wrote for one onboarding, and undoing them (nothing is deleted). */
export function WrittenFiles({ entryId, label, onClose }: { entryId: string; label: string; onClose(): void }): React.JSX.Element {
  const id = useId();
  const [files, setFiles] = useState<Files | null>(null);
  const [undone, setUndone] = useState<Undone | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    void api.invoke('history:files', { id: entryId }).then((r) => {
      if (!live) return;
      if (r.ok) setFiles(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [entryId, undone]);

  const undo = async (): Promise<void> => {
    setBusy(true);
    const r = await api.invoke('history:undo', { id: entryId });
    setBusy(false);
    setConfirming(false);
    if (r.ok) setUndone(r.value);
    else setError(r.error);
  };

  const actionable = files?.files.filter((f) => f.action !== 'leave').length ?? 0;
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="written-files">
      <h2 id={`${id}-h`}>
        What the wizard wrote for {label}
        {files?.outDir ? (
          <>
            {' '}
            in <code>{files.outDir}</code>
          </>
        ) : null}
      </h2>
      {error ? <ErrorNote error={error} /> : null}
      {files === null && !error ? <p aria-busy="true">Checking the files…</p> : null}
      {files && files.files.length === 0 ? <p>The wizard has no record of files it wrote there (or they were undone already).</p> : null}
      {files && files.files.length > 0 ? (
        <table className="table">
          <caption className="sr-only">Files written, with what undo would do</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Now</th>
              <th scope="col">Undo would</th>
            </tr>
          </thead>
          <tbody>
            {files.files.map((f) => (
              <tr key={f.path}>
                <th scope="row">
                  <code>{files.outDir && f.path.startsWith(`${files.outDir}/`) ? f.path.slice(files.outDir.length + 1) : f.path}</code>
                </th>
                <td>{STATE_WORDS[f.state]}</td>
                <td>
                  {ACTION_WORDS[f.action]}: <span className="muted">{f.why}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {undone ? (
        <div role="status" data-testid="undo-results">
          <p>
            Undone: {undone.results.filter((r) => r.done !== 'left').length} of {undone.results.length} files. Nothing was deleted: what the wizard wrote is
            kept beside each file as <code>NAME.bak-&lt;time&gt;</code>.
          </p>
          <ul>
            {undone.results.map((r) => (
              <li key={r.path}>
                <code>{r.path}</code>: {r.done === 'moved-aside' ? 'moved aside' : r.done === 'restored' ? 'restored' : 'left'} ({r.detail})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="row">
        {confirming ? (
          <>
            <span>
              Undo {actionable} file{actionable === 1 ? '' : 's'}? Files changed since are left alone.
            </span>
            <button type="button" onClick={() => void undo()} disabled={busy}>
              {busy ? 'Undoing…' : 'Undo now'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} disabled={actionable === 0}>
            Undo these writes…
          </button>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
