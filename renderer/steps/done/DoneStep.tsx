import { useEffect, useState } from 'react';
import type { ConfigsPlan } from '../../../shared/configs-contract';
import { ERROR_TITLES, type AppError } from '../../../shared/result';
import { api } from '../../api';
import { CodeText } from '../../components/CodeText';
import { NextSteps, requestOf } from '../configs/ConfigsStep';
import type { StepProps, StepView } from '../types';

type Check = { key: string; plan: ConfigsPlan | null; error: AppError | null };

/** Whether the files in the output folder are the ones this onboarding generates (read-only preview). */
function useFolderCheck(props: StepProps): { request: boolean; check: Check | null } {
  const { draft, platform } = props;
  const request = platform?.generate ? requestOf(draft, platform) : null;
  const key = JSON.stringify(request);
  const [check, setCheck] = useState<Check | null>(null);
  useEffect(() => {
    const req = JSON.parse(key) as ReturnType<typeof requestOf>;
    if (!req) return;
    let live = true;
    void api.invoke('configs:plan', req).then((r) => {
      if (live) setCheck({ key, plan: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return { request: request !== null, check: check?.key === key ? check : null };
}

function DoneStep(props: StepProps): React.JSX.Element {
  const { platform, draft, update } = props;
  const variant = platform?.variants.find((v) => v.id === draft.variant);
  const name = `${platform?.name ?? 'The agent'}${variant ? ` (${variant.name})` : ''}`;
  const { request, check } = useFolderCheck(props);
  const plan = check?.plan ?? null;
  const unwritten = plan?.files.filter((f) => f.status !== 'same') ?? [];
  const written = plan !== null && unwritten.length === 0;
  const toConfigs = (
    <button type="button" className="secondary" onClick={() => update({ step: 'configs' })}>
      Go to Configs
    </button>
  );

  return (
    <>
      <p className="lead">{!platform?.generate || written ? `${name} is onboarded.` : `${name}: one thing is left before the agent can be installed.`}</p>
      {platform?.generate && !request && (
        <section className="done-summary pending" aria-labelledby="done-h">
          <h2 id="done-h">No files written yet</h2>
          <p>No output folder was chosen on the Configs step. Write the files there, or carry the bundle made on the Export step to the agent host.</p>
          {toConfigs}
        </section>
      )}
      {request && !check && (
        <p role="status" className="help">
          Checking the output folder…
        </p>
      )}
      {check?.error && (
        <section className="done-summary pending" aria-labelledby="done-h">
          <h2 id="done-h">The files are not ready</h2>
          <p>
            <strong>{ERROR_TITLES[check.error.code]}.</strong> {check.error.message}
          </p>
          {check.error.hint && (
            <p>
              <CodeText text={check.error.hint} />
            </p>
          )}
          {toConfigs}
        </section>
      )}
      {plan && !written && (
        <section className="done-summary pending" aria-labelledby="done-h">
          <h2 id="done-h">
            {unwritten.length} of {plan.files.length} file{plan.files.length === 1 ? '' : 's'} still to write
          </h2>
          <p>
            <code>{plan.outDir}</code> does not hold {unwritten.map((f) => f.path).join(', ')} as generated. Write {unwritten.length === 1 ? 'it' : 'them'} on
            the Configs step (anything there is backed up first).
          </p>
          {toConfigs}
        </section>
      )}
      {plan && written && (
        <>
          <section className="done-summary" aria-labelledby="done-h">
            <h2 id="done-h">Files written</h2>
            <p>
              All {plan.files.length} files are in <code>{plan.outDir}</code>, exactly as generated. Copy them to the agent host (or use the bundle from the
              Export step), then:
            </p>
          </section>
          <NextSteps plan={plan} />
        </>
      )}
      {platform && (
        <>
          <h2>Vendor documentation</h2>
          <ul>
            {platform.docs.map((d) => (
              <li key={d.url}>
                <a href={d.url} target="_blank" rel="noreferrer noopener">
                  {d.title} ↗
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="help">If the agent does not connect, paste its log into Diagnostics (top bar): it names known failures and their fixes.</p>
    </>
  );
}

export const doneStep: StepView = { Component: DoneStep };
