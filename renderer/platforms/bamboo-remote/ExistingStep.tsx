import { useEffect, useId, useState } from 'react';
import type { Draft } from '../../../shared/ipc';
import type { AppError } from '../../../shared/result';
import type { RotationPlan } from '../../../shared/rotation';
import { api } from '../../api';
import { BambooWrapperHint } from './WrapperHint';
import { CommandList } from '../../components/CommandList';
import { DiffView } from '../../components/DiffView';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import type { StepProps, StepView } from '../../steps/types';

/** The rotation preview a draft asks for: the agent home (draft.outDir) and the token from the Credentials step. */
export function existingScanOf(draft: Draft): { platform: 'bamboo-remote'; paths: string[]; tokenId: string } | null {
  const home = draft.outDir?.trim();
  if (!home || !draft.credentialId) return null;
  return { platform: 'bamboo-remote', paths: [home], tokenId: draft.credentialId };
}

/** Previews the token edit of one wrapper.conf with the rotation engine (rotate:scan), kept with the request it answers. */
export function useExistingPreview(draft: Draft): { plan: RotationPlan | null; error: AppError | null; loading: boolean; again(): void } {
  const request = existingScanOf(draft);
  const key = JSON.stringify(request);
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<{ key: string; round: number; plan: RotationPlan | null; error: AppError | null } | null>(null);
  useEffect(() => {
    const req = JSON.parse(key) as ReturnType<typeof existingScanOf>;
    if (!req) return undefined;
    let live = true;
    // Read once the user stops typing, not on every key.
    const timer = setTimeout(() => {
      void api.invoke('rotate:scan', req).then((r) => {
        if (live) setResult({ key, round, plan: r.ok ? r.value : null, error: r.ok ? null : r.error });
      });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, round]);
  const current = result?.key === key && result.round === round ? result : null;
  return { plan: current?.plan ?? null, error: current?.error ?? null, loading: request !== null && current === null, again: () => setRound((n) => n + 1) };
}

/**
 * The Configs step of an existing Bamboo agent: which agent home (or wrapper.conf) on this
 * machine, the token edit previewed by the rotation engine with the token masked, the write (all
 * or nothing, with a backup), then how to restart the agent so it reads the token.
 */
function BambooExistingStep({ draft, update }: StepProps): React.JSX.Element {
  const id = useId();
  const home = draft.outDir ?? '';
  const { plan, error, loading, again } = useExistingPreview(draft);
  const apply = useJob('rotate:apply');
  const [confirming, setConfirming] = useState<string | null>(null);
  const finding = plan?.files[0];
  const report = apply.value;

  const write = async (): Promise<void> => {
    if (!plan) return;
    setConfirming(null);
    const done = await apply.run({ planId: plan.planId });
    // The preview is read again: the file now holds the token, and a second write would change nothing.
    if (done) again();
  };

  return (
    <>
      <p className="lead">
        An existing agent keeps its registration: only the security token in its <code>conf/wrapper.conf</code> changes. The edit is previewed first (the token
        masked), written with a backup of the file, and takes effect when the agent restarts.
      </p>
      <div className="field">
        <label htmlFor={`${id}-home`}>
          Agent home on this machine<span aria-hidden="true"> *</span>
        </label>
        <p className="help" id={`${id}-home-help`}>
          The bamboo-agent-home folder (the one with bin/, conf/ and lib/) or its conf/wrapper.conf, on the machine running Agent Onboard ({'~/'} is your home
          folder).
        </p>
        <input
          id={`${id}-home`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          aria-required="true"
          aria-describedby={`${id}-home-help`}
          value={home}
          onChange={(e) => {
            apply.reset();
            update({ outDir: e.target.value });
          }}
        />
      </div>
      {home.trim() ? <BambooWrapperHint path={home} /> : null}
      {!draft.credentialId ? (
        <div className="cfg-panel cfg-error" role="alert">
          <p>No security token yet: the Credentials step keeps it.</p>
          <button type="button" className="secondary" onClick={() => update({ step: 'credentials' })}>
            Go to Credentials
          </button>
        </div>
      ) : null}
      {loading ? (
        <p role="status" className="help">
          Previewing the token edit…
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {plan && finding ? (
        <section aria-labelledby={`${id}-edit-h`} data-testid="existing-preview">
          <h2 id={`${id}-edit-h`}>The edit</h2>
          <p>
            <code>{finding.path}</code>:{' '}
            {finding.status === 'change'
              ? finding.changes.map((c) => `line ${c.line}: ${c.what}`).join('; ')
              : finding.status === 'same'
                ? 'it already holds this token; nothing to write.'
                : (finding.error?.message ?? plan.problems[0] ?? 'it cannot take the token.')}
          </p>
          {finding.notes.length ? (
            <ul className="cfg-notes">
              {finding.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {finding.diff ? <DiffView diff={finding.diff} label={`Changes to ${finding.path}`} /> : null}
          {plan.ready ? (
            confirming === plan.planId ? (
              <div className="cfg-panel" role="group" aria-labelledby={`${id}-confirm`}>
                <p id={`${id}-confirm`}>
                  Write the token into <code>{finding.path}</code> (the file there now is backed up first)?
                </p>
                <div className="cfg-row">
                  <button type="button" onClick={() => void write()} disabled={apply.running}>
                    Write now
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" onClick={() => setConfirming(plan.planId)} disabled={apply.running}>
                Write the token…
              </button>
            )
          ) : null}
        </section>
      ) : null}
      <JobProgress label="Writing wrapper.conf" running={apply.running} message={apply.message} fraction={apply.fraction} onCancel={apply.cancel} />
      {apply.error ? <ErrorNote error={apply.error} /> : null}
      {report ? (
        <section className="cfg-panel" aria-labelledby={`${id}-written`}>
          <h2 id={`${id}-written`}>Written</h2>
          {report.files.map((f) => (
            <p key={f.path} role="status" data-testid="existing-written">
              <code>{f.path}</code> {f.status === 'updated' ? 'now holds the new token' : 'was already up to date'}
              {f.backupPath ? (
                <>
                  ; the previous version is kept as <code>{f.backupPath}</code>
                </>
              ) : null}
              .
            </p>
          ))}
        </section>
      ) : null}
      {plan && plan.commands.length > 0 ? (
        <section aria-labelledby={`${id}-restart`}>
          <h2 id={`${id}-restart`}>Then restart the agent</h2>
          <p className="help">The agent reads wrapper.conf only when it starts.</p>
          <CommandList commands={plan.commands} />
        </section>
      ) : null}
    </>
  );
}

/** Next needs the agent home: without it there is nothing for this flow to do. */
export const bambooExistingStep: StepView = {
  Component: BambooExistingStep,
  validate: (draft): Record<string, string> =>
    draft.outDir?.trim() ? {} : { outDir: 'is required: the bamboo-agent-home (or its conf/wrapper.conf) to put the token in' },
};
