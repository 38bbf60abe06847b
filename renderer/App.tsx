import { useCallback, useEffect, useRef, useState } from 'react';
import type { Draft } from '../shared/ipc';
import { getPlatform } from '../shared/platforms';
import { api } from './api';
import { useDraftSaver } from './draft-saver';
import { stepView } from './steps';
import { PAGES } from './pages';
import type { PageProps } from './pages/types';
import { EMPTY_DRAFT, labelFor, STEP_TITLES, stepsFor } from './wizard';

export function App(): React.JSX.Element {
  const [page, setPage] = useState<{ id: string; data?: Record<string, unknown> }>({ id: 'wizard' });
  const navigate = useCallback((id: string, data?: Record<string, unknown>) => setPage({ id, data }), []);
  const other = PAGES.find((p) => p.id === page.id);
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Agent Onboard</span>
        <nav aria-label="Sections">
          <ul className="sections">
            {[{ id: 'wizard', title: 'New agent' }, ...PAGES].map((p) => (
              <li key={p.id}>
                <button type="button" className="link" aria-current={page.id === p.id ? 'page' : undefined} onClick={() => navigate(p.id)}>
                  {p.title}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {other ? <OtherPage key={page.id} view={other.Component} navigate={navigate} data={page.data} /> : <Wizard navigate={navigate} data={page.data} />}
    </div>
  );
}

function OtherPage({ view: View, ...props }: PageProps & { view: (p: PageProps) => React.JSX.Element }): React.JSX.Element {
  return <View {...props} />;
}

/** The onboarding wizard: Platform → … → Done, with the draft saved as it changes. */
function Wizard(_props: PageProps): React.JSX.Element {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // The furthest step reached for this platform and variant: going back to look keeps the later steps open.
  const [furthest, setFurthest] = useState<{ key: string; index: number }>({ key: '', index: 0 });

  const { adopt } = useDraftSaver(draft, (message) => setNotice(`The draft was not saved: ${message}`));

  useEffect(() => {
    void api.invoke('draft:load', {}).then((r) => {
      const loaded = r.ok && r.value ? r.value : EMPTY_DRAFT;
      adopt(loaded);
      setDraft(loaded);
      if (!r.ok) setNotice(`Could not load the saved draft: ${r.error.message}`);
    });
  }, [adopt]);

  // Pure: the draft is saved by useDraftSaver when it changes, never from inside this updater.
  const update = useCallback((patch: Partial<Draft>) => setDraft((prev) => ({ ...(prev ?? EMPTY_DRAFT), ...patch })), []);

  useEffect(() => {
    if (!draft) return;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [draft?.step]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!draft)
    return (
      <main className="loading" aria-busy="true">
        Loading…
      </main>
    );

  const platform = draft.platform ? getPlatform(draft.platform) : undefined;
  const steps = stepsFor(draft);
  const index = Math.max(0, steps.indexOf(draft.step));
  const step = steps[index] ?? 'platform';
  const view = stepView(step, draft.platform, draft.variant);
  const errors = view.validate?.(draft, platform) ?? {};
  const blocked = Object.keys(errors).length > 0;
  const flowKey = `${draft.platform ?? ''}/${draft.variant ?? ''}`;
  const reached = Math.max(index, furthest.key === flowKey ? furthest.index : index);
  // A later step stays open only while every step before it still has no errors (a changed answer can close them).
  const firstBlocked = steps.findIndex(
    (s, i) => i < reached && Object.keys(stepView(s, draft.platform, draft.variant).validate?.(draft, platform) ?? {}).length > 0,
  );
  const open = firstBlocked === -1 ? reached : firstBlocked;

  const go = (to: number): void => {
    const target = steps[to];
    if (!target) return;
    setShowErrors(false);
    setFurthest({ key: flowKey, index: Math.max(reached, to) });
    update({ step: target });
  };
  const next = (): void => {
    if (blocked) {
      setShowErrors(true);
      const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    go(index + 1);
  };
  const startOver = (): void => {
    setShowErrors(false);
    adopt(EMPTY_DRAFT);
    setDraft(EMPTY_DRAFT);
    void api.invoke('draft:clear', {});
  };

  return (
    <>
      <div className="wizard-bar">
        <nav aria-label="Wizard steps">
          <ol className="stepper">
            {steps.map((s, i) => (
              <li key={s} className={i === index ? 'current' : i < index ? 'done' : ''}>
                <button type="button" aria-current={i === index ? 'step' : undefined} disabled={i > open && i > index} onClick={() => go(i)}>
                  <span className="step-num" aria-hidden="true">
                    {i + 1}
                  </span>{' '}
                  {STEP_TITLES[s]}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      </div>
      <main className="step" aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1} ref={heading}>
          {STEP_TITLES[step]}
          {platform && step !== 'platform' ? <span className="subtitle"> · {platform.name}</span> : null}
        </h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <view.Component draft={{ ...draft, step }} update={update} platform={platform} showErrors={showErrors} />
        {showErrors && blocked && (
          <div className="error" role="alert" id="step-errors" data-testid="step-errors">
            {Object.keys(errors).length === 1 ? 'Fix this before going on:' : `Fix these ${Object.keys(errors).length} before going on:`}
            <ul>
              {Object.entries(errors).map(([k, v]) => (
                <li key={k}>
                  {labelFor(platform, k)}: {v}
                </li>
              ))}
            </ul>
          </div>
        )}
      </main>
      <footer className="actions">
        <button type="button" className="secondary" onClick={() => go(index - 1)} disabled={index === 0}>
          Back
        </button>
        {step === 'done' ? (
          <button type="button" onClick={startOver}>
            Onboard another agent
          </button>
        ) : (
          <button type="button" onClick={next} aria-describedby={showErrors && blocked ? 'step-errors' : undefined}>
            Next
          </button>
        )}
      </footer>
    </>
  );
}
