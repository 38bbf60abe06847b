import { useCallback, useEffect, useId, useState } from 'react';
import type { HistoryEntry } from '../../../shared/history';
import { getPlatform } from '../../../shared/platforms';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNote } from '../../components/ErrorNote';
import type { PageProps, PageView } from '../types';
import { HostUndo } from './HostUndo';
import { WrittenFiles } from './WrittenFiles';

function HistoryPage({ navigate }: PageProps): React.JSX.Element {
  const id = useId();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState('');
  const [inspecting, setInspecting] = useState<{ id: string; label: string } | null>(null);
  const [undoing, setUndoing] = useState<{ entry: HistoryEntry; label: string } | null>(null);

  const load = useCallback(
    () =>
      api.invoke('history:list', {}).then((r) => {
        if (r.ok) setEntries(r.value.entries);
        else setError(r.error);
      }),
    [],
  );
  useEffect(() => {
    void api.invoke('history:list', {}).then((r) => (r.ok ? setEntries(r.value.entries) : setError(r.error)));
  }, []);

  const reopen = async (entry: HistoryEntry): Promise<void> => {
    const r = await api.invoke('history:reopen', { id: entry.id });
    if (!r.ok) return setError(r.error);
    navigate('wizard');
  };
  const remove = async (entry: HistoryEntry): Promise<void> => {
    const r = await api.invoke('history:remove', { id: entry.id });
    if (!r.ok) return setError(r.error);
    setNotice('Removed from the history.');
    await load();
  };

  // Undone on the host: the entry goes (the host is as it was before the install).
  const hostUndone = async (entry: HistoryEntry, asideDir: string): Promise<void> => {
    setUndoing(null);
    await api.invoke('history:remove', { id: entry.id });
    setNotice(`Undone on ${entry.hostInstall?.record.host ?? 'the host'}: created files are in ${asideDir} on the host.`);
    await load();
  };

  return (
    <main className="page" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>History</h1>
      <p className="lead">
        Every write: onboardings with their output folders and bundles, tokens written into existing installs, and installs on agent hosts. No secret is kept
        here; reopening an onboarding starts a new draft that needs its own credential.
      </p>
      {error ? <ErrorNote error={error} /> : null}
      <p role="status" className={notice.startsWith('Undone on') ? 'ok' : 'sr-only'} data-testid="history-notice">
        {notice}
      </p>
      {entries === null ? (
        <p aria-busy="true">Loading…</p>
      ) : entries.length === 0 ? (
        <p>Nothing written yet. Each write appears here as soon as it is made (files on the Configs step, a token written in place, a bundle).</p>
      ) : (
        <table className="table">
          <caption className="sr-only">Past onboardings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">When</th>
              <th scope="col">Written to</th>
              <th scope="col">Bundle</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const platform = getPlatform(e.platform);
              const variant = platform?.variants.find((v) => v.id === e.variant);
              const hi = e.hostInstall;
              const label = `${platform?.name ?? e.platform}${variant ? ` (${variant.name})` : e.paths ? ' (token written in place)' : ''}${hi ? ` on ${hi.record.host}` : ''}`;
              return (
                <tr key={e.id}>
                  <th scope="row">
                    {label}
                    {e.agents ? <span className="muted"> · {e.agents} agents</span> : null}
                  </th>
                  <td>
                    <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                  </td>
                  <td>
                    {hi ? (
                      <div data-testid="history-host-install">
                        <code>{`${hi.record.user}@${hi.record.host}:${hi.record.port}`}</code> under <code>{hi.record.prefix}</code>, {hi.record.files.length}{' '}
                        file(s){' '}
                        {hi.online ? (
                          <span className="ok">seen online</span>
                        ) : (
                          <span className="muted">not seen online{hi.leftAt ? ` (${hi.leftAt})` : ''}</span>
                        )}
                      </div>
                    ) : e.paths ? (
                      e.paths.map((p) => (
                        <code key={p} className="history-path">
                          {p}
                        </code>
                      ))
                    ) : e.outDir ? (
                      <code>{e.outDir}</code>
                    ) : (
                      <span className="muted">none chosen</span>
                    )}
                  </td>
                  <td>
                    {e.bundlePath ? (
                      <>
                        <code>{e.bundlePath}</code> <CopyButton text={e.bundlePath} label={`Copy the bundle path of ${label}`} />
                      </>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>
                    <div className="history-actions">
                      {hi ? (
                        <button
                          type="button"
                          className="small"
                          onClick={() => setUndoing({ entry: e, label })}
                          aria-label={`Undo ${label} from ${new Date(e.at).toLocaleString()} on the host`}
                        >
                          Undo on the host…
                        </button>
                      ) : null}
                      {e.paths || hi ? null : (
                        <button
                          type="button"
                          className="small"
                          onClick={() => void reopen(e)}
                          aria-label={`Reopen ${label} from ${new Date(e.at).toLocaleString()} as a new draft`}
                        >
                          Reopen as new draft
                        </button>
                      )}
                      {e.outDir || e.paths ? (
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => setInspecting({ id: e.id, label })}
                          aria-label={`What the wizard wrote for ${label} from ${new Date(e.at).toLocaleString()}`}
                        >
                          What it wrote…
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() => void remove(e)}
                        aria-label={`Remove ${label} from ${new Date(e.at).toLocaleString()} from the history`}
                      >
                        Remove
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {undoing?.entry.hostInstall ? (
        <HostUndo
          key={undoing.entry.id}
          install={undoing.entry.hostInstall}
          label={undoing.label}
          onUndone={(aside) => void hostUndone(undoing.entry, aside)}
          onClose={() => setUndoing(null)}
        />
      ) : null}
      {inspecting ? <WrittenFiles key={inspecting.id} entryId={inspecting.id} label={inspecting.label} onClose={() => setInspecting(null)} /> : null}
    </main>
  );
}

export const historyPage: PageView = { id: 'history', title: 'History', Component: HistoryPage };
