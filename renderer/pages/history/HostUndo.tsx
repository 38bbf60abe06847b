/**
 * Undo of a host install from the History page: the login (the user and host from the record, a
 * key file or the ssh-agent; the host's pin kept with the entry), the undo plan read from the host
 * first, then Undo now. The same channels and plan view as the Install step's Undo.
 */
import { useId, useState } from 'react';
import type { HistoryEntry } from '../../../shared/history';
import { hostLoginSchema } from '../../../shared/remote-contract';
import { useJob } from '../../components/useJob';
import { UndoJobsView } from '../../steps/install/parts';

type HostInstall = NonNullable<HistoryEntry['hostInstall']>;

export function HostUndo({
  install,
  label,
  onUndone,
  onClose,
}: {
  install: HostInstall;
  label: string;
  onUndone(asideDir: string): void;
  onClose(): void;
}): React.JSX.Element {
  const id = useId();
  const { record } = install;
  const [key, setKey] = useState<'file' | 'agent'>('file');
  const [keyPath, setKeyPath] = useState('');
  const [touched, setTouched] = useState(false);
  const undoPlan = useJob('remote:undo-plan', { cancelOnUnmount: true, startMessage: 'Reading the host…' });
  const undo = useJob('remote:undo', { startMessage: 'Undoing…' });

  const parsed = hostLoginSchema.safeParse({
    host: record.host,
    port: record.port,
    user: record.user,
    key: key === 'agent' ? { kind: 'agent' } : { kind: 'file', path: keyPath },
    knownHosts: install.knownHosts,
  });
  const keyError =
    touched && !parsed.success ? (parsed.error.issues.find((i) => i.path.join('.') === 'key.path')?.message ?? parsed.error.issues[0]?.message) : undefined;

  const showPlan = (): void => {
    setTouched(true);
    if (parsed.success) void undoPlan.run({ login: parsed.data, record });
  };
  const runUndo = async (): Promise<void> => {
    if (!parsed.success) return;
    const r = await undo.start({ login: parsed.data, record });
    if (r.ok) onUndone(r.value.asideDir);
  };

  return (
    <section className="cfg-panel" aria-labelledby={`${id}-h`} data-testid="history-host-undo">
      <h2 id={`${id}-h`}>Undo {label}</h2>
      <p>
        Install {record.id} on <code>{`${record.user}@${record.host}:${record.port}`}</code> under <code>{record.prefix}</code>, {record.files.length} file(s).
        The host key is checked against the pin kept from the install before anything is sent.
      </p>
      <fieldset>
        <legend>Log in with</legend>
        <label>
          <input type="radio" name={`${id}-key`} checked={key === 'file'} onChange={() => setKey('file')} /> a private key file
        </label>
        <label>
          <input type="radio" name={`${id}-key`} checked={key === 'agent'} onChange={() => setKey('agent')} /> the running ssh-agent
        </label>
      </fieldset>
      {key === 'file' && (
        <div className="field">
          <label htmlFor={`${id}-path`}>Private key file (read in the app&apos;s main process; its contents never reach this window)</label>
          <input
            id={`${id}-path`}
            value={keyPath}
            onChange={(e) => setKeyPath(e.target.value)}
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? `${id}-path-err` : undefined}
            spellCheck={false}
          />
          {keyError ? (
            <p id={`${id}-path-err`} className="field-error">
              {keyError}
            </p>
          ) : null}
        </div>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={showPlan} disabled={undoPlan.running || undo.running}>
          Show the undo plan
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={undo.running}>
          Close
        </button>
      </div>
      <UndoJobsView undoPlan={undoPlan} undo={undo} onUndo={() => void runUndo()} />
    </section>
  );
}
