/**
 * For install types this app does not run on a host (Kubernetes, Helm, ECS…): the user runs the
 * shown commands, pastes what `kubectl logs` (or `docker logs`, journalctl) printed, and reads it
 * here with the same online engine as the SSH install and `verify --log -`. The text stays in this
 * view: nothing is sent or saved.
 */
import { useId, useState } from 'react';
import { pastedLogSaysOnline, readOnlineLog, type LogReading } from '../../../shared/online';
import type { PlatformId } from '../../../shared/platforms/types';
import { HopList } from './parts';

/** Pasted text above this is cut to its end (the engine reads the latest lines only). */
const MAX_PASTE = 2_000_000;

export function PastedLog({ platform, command }: { platform: PlatformId; command?: string }): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState('');
  const [reading, setReading] = useState<LogReading | null>(null);
  const online = reading ? pastedLogSaysOnline(reading) : false;
  return (
    <section className="cfg-panel" aria-labelledby={`${id}-h`} data-testid="pasted-log">
      <h2 id={`${id}-h`}>Check the agent from its log</h2>
      <p className="help">
        Once it runs, paste what its log shows
        {command ? (
          <>
            {' '}
            (for example the output of <code>{command}</code>)
          </>
        ) : null}
        : the app reads it for the same signals as an install over SSH, hop by hop. The text is read here only; it is not sent or saved.
      </p>
      <label htmlFor={`${id}-text`}>Agent log</label>
      <textarea
        id={`${id}-text`}
        rows={8}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value.length > MAX_PASTE ? e.target.value.slice(-MAX_PASTE) : e.target.value);
          setReading(null);
        }}
      />
      <div className="actions">
        <button type="button" disabled={!text.trim()} onClick={() => setReading(readOnlineLog(platform, text))}>
          Read the log
        </button>
      </div>
      {reading && (
        <div role="status" data-testid="pasted-log-result">
          <p>
            <strong>
              {online
                ? `Online${reading.name ? ` as ${reading.name}` : ''}, as far as this log shows.`
                : 'Not online yet, as far as this log shows: see the first hop that is not passed.'}
            </strong>
          </p>
          <HopList hops={reading.hops} testId="pasted-log-hops" />
        </div>
      )}
    </section>
  );
}
