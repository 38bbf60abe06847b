import { useEffect, useId, useRef, useState } from 'react';
import type { Draft } from '../../../shared/ipc';
import { getPlatform, PLATFORMS } from '../../../shared/platforms';
import type { FixAction, PlatformId } from '../../../shared/platforms/types';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { EMPTY_DRAFT, STEP_TITLES } from '../../wizard';
import type { PageProps, PageView } from '../types';

interface Diagnosis {
  platform: PlatformId;
  failure: { id: string; title: string; cause: string; fix: string; action?: FixAction };
  excerpt: string;
}

/** The words on a fix action's button. */
export function actionLabel(action: FixAction, platform: PlatformId): string {
  if (action.label) return action.label;
  switch (action.kind) {
    case 'rotate-token':
      return `Rotate the ${getPlatform(action.platform)?.name ?? action.platform} token`;
    case 'switch-port':
      return `Switch to port ${action.port} in the wizard`;
    case 'open-step':
      return `Open the ${STEP_TITLES[action.step]} step for ${getPlatform(platform)?.name ?? platform}`;
  }
}

/** The draft a wizard action starts from: the current one when it is for this platform, else a new one. */
async function draftFor(platform: PlatformId): Promise<Draft> {
  const r = await api.invoke('draft:load', {});
  const current = r.ok ? r.value : null;
  if (current && current.platform === platform) return current;
  return { ...EMPTY_DRAFT, platform, variant: getPlatform(platform)?.variants[0]?.id ?? null };
}

function DiagnosticsPage({ navigate }: PageProps): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState('');
  const [platform, setPlatform] = useState<PlatformId | ''>('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Diagnosis[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const results = useRef<HTMLHeadingElement>(null);

  const run = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!text.trim()) return setError({ code: 'BAD_INPUT', message: 'Paste a log or an error message first.' });
    setBusy(true);
    setError(null);
    const r = await api.invoke('diagnose:run', { text, ...(platform ? { platform } : {}) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setFound(r.value.diagnoses);
  };
  // Land keyboard and screen-reader users on the answer once it is on screen.
  useEffect(() => {
    if (found) results.current?.focus();
  }, [found]);

  const act = async (d: Diagnosis): Promise<void> => {
    const action = d.failure.action;
    if (!action) return;
    if (action.kind === 'rotate-token') return navigate('rotate', { platform: action.platform });
    const draft = await draftFor(d.platform);
    const next: Draft =
      action.kind === 'switch-port'
        ? { ...draft, step: 'details', answers: { ...draft.answers, port: String(action.port) } }
        : // A step that reads the pasted text (the SCP analysis: principal, metadata settings) gets it.
          { ...draft, step: action.step, answers: action.pasteInto ? { ...draft.answers, [action.pasteInto]: text } : draft.answers };
    const saved = await api.invoke('draft:save', next);
    if (!saved.ok) return setError(saved.error);
    navigate('wizard');
  };

  return (
    <main className="page" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Diagnostics</h1>
      <p className="lead">
        Paste a log or an error message from any supported agent. The app names the known failure, explains its cause and fix, and offers to fix it where it
        can.
      </p>
      <form onSubmit={(e) => void run(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-platform`}>Platform</label>
          <select id={`${id}-platform`} value={platform} onChange={(e) => setPlatform(e.target.value as PlatformId | '')}>
            <option value="">Any platform</option>
            {PLATFORMS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-text`}>Log or error message</label>
          <textarea
            id={`${id}-text`}
            rows={12}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            aria-describedby={`${id}-text-help`}
          />
          <p className="help" id={`${id}-text-help`}>
            Time stamps and wrapped lines are fine. Nothing you paste is stored or sent anywhere.
          </p>
        </div>
        <button type="submit" disabled={busy}>
          Diagnose
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {found ? (
        <section aria-labelledby={`${id}-results`} className="diagnoses">
          <h2 id={`${id}-results`} tabIndex={-1} ref={results}>
            {found.length === 0 ? 'No known failure found' : found.length === 1 ? 'One known failure found' : `${found.length} known failures found`}
          </h2>
          {found.length === 0 ? (
            <p role="status">
              Nothing in this text matches a failure the app knows. Paste more of the log (the lines just before the agent stopped), or choose the platform.
            </p>
          ) : (
            <p role="status" className="sr-only">
              Found: {found.map((d) => d.failure.title).join('; ')}
            </p>
          )}
          {found.map((d) => (
            <article key={`${d.platform}-${d.failure.id}`} className="diagnosis" aria-labelledby={`${id}-${d.failure.id}`}>
              <h3 id={`${id}-${d.failure.id}`}>{d.failure.title}</h3>
              <p className="muted">{getPlatform(d.platform)?.name ?? d.platform}</p>
              <h4>Cause</h4>
              <p>{d.failure.cause}</p>
              <h4>Fix</h4>
              <p>{d.failure.fix}</p>
              <h4>Where it matched</h4>
              <pre className="excerpt">{d.excerpt}</pre>
              {d.failure.action ? (
                <button type="button" onClick={() => void act(d)}>
                  {actionLabel(d.failure.action, d.platform)}
                </button>
              ) : null}
            </article>
          ))}
        </section>
      ) : null}
    </main>
  );
}

export const diagnosticsPage: PageView = { id: 'diagnostics', title: 'Diagnostics', Component: DiagnosticsPage };
