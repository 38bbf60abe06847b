import { useEffect, useState } from 'react';
import type { ConfigsPlan } from '../../../shared/configs-contract';
import type { Draft } from '../../../shared/ipc';
import { ERROR_TITLES, type AppError } from '../../../shared/result';
import { api } from '../../api';
import { CodeText } from '../../components/CodeText';
import { CommandList } from '../../components/CommandList';
import { NextSteps, requestOf } from '../configs/ConfigsStep';
import { useExistingPreview } from '../configs/BambooExistingStep';
import type { StepProps, StepView } from '../types';

/**
 * Where an onboarding stands. Done says only what was written and what is left to do; the agent is
 * not called onboarded until it is seen online (a later check adds an `online` state here).
 */
export type DoneState = 'nothing-written' | 'partly-written' | 'written' | 'checking' | 'problem';

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

/**
 * The bundle the Export step wrote for this onboarding, as the draft recorded it. (Matching History
 * by platform and folder named an earlier onboarding's bundle as this one's.)
 */
function bundlePathOf(draft: Draft): string | null {
  return draft.bundlePath ?? null;
}

const LEADS: Record<DoneState, string> = {
  'nothing-written': 'nothing is written yet.',
  'partly-written': 'some of the files are written; the rest is still to do.',
  written: 'written. The agent is not seen online yet: what is left is below.',
  checking: 'checking what was written…',
  problem: 'what was written cannot be checked.',
};

function Section({ id, title, children, pending }: { id: string; title: string; children: React.ReactNode; pending?: boolean }): React.JSX.Element {
  return (
    <section className={`done-summary${pending ? ' pending' : ''}`} aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function ToStep({ update, step, label }: Pick<StepProps, 'update'> & { step: Draft['step']; label: string }): React.JSX.Element {
  return (
    <button type="button" className="secondary" onClick={() => update({ step })}>
      {label}
    </button>
  );
}

function ProblemNote({ error }: { error: AppError }): React.JSX.Element {
  return (
    <>
      <p>
        <strong>{ERROR_TITLES[error.code]}.</strong> {error.message}
      </p>
      {error.hint ? (
        <p>
          <CodeText text={error.hint} />
        </p>
      ) : null}
    </>
  );
}

const DIAGNOSE = <li>If the agent does not connect, paste its log into Diagnostics (top bar): it names known failures and their fixes.</li>;

/** An onboarding that generates files: which are in the output folder as generated, and what is left. */
function GeneratedDone(props: StepProps & { name: string; bundle: string | null }): React.JSX.Element {
  const { update, name, bundle } = props;
  const { request, check } = useFolderCheck(props);
  const plan = check?.plan ?? null;
  const inPlace = plan?.files.filter((f) => f.status === 'same') ?? [];
  const unwritten = plan?.files.filter((f) => f.status !== 'same') ?? [];
  const state: DoneState = !request
    ? 'nothing-written'
    : !check
      ? 'checking'
      : check.error
        ? 'problem'
        : unwritten.length === 0
          ? 'written'
          : inPlace.length
            ? 'partly-written'
            : 'nothing-written';
  return (
    <>
      <p className="lead" data-testid="done-lead" data-state={state}>
        {name}: {state === 'written' ? `the files are ${LEADS.written}` : LEADS[state]}
      </p>
      {check?.error ? (
        <Section id="done-problem" title="The output folder cannot be checked" pending>
          <ProblemNote error={check.error} />
          <ToStep update={update} step="configs" label="Go to Configs" />
        </Section>
      ) : null}
      <Section id="done-written" title="Written">
        {inPlace.length || bundle ? (
          <ul>
            {inPlace.length ? (
              <li>
                {inPlace.length === 1 ? '1 file' : `${inPlace.length} files`} in <code>{plan!.outDir}</code>, exactly as generated:{' '}
                {inPlace.map((f) => f.path).join(', ')}
              </li>
            ) : null}
            {bundle ? (
              <li>
                The bundle <code>{bundle}</code>
              </li>
            ) : null}
          </ul>
        ) : (
          <p>Nothing yet{request ? '' : ': no output folder was chosen on the Configs step'}.</p>
        )}
      </Section>
      <Section id="done-left" title="Left to do" pending>
        <ul>
          {!request ? (
            <li>
              Write the files on the Configs step, or carry the bundle made on the Export step to the agent host.{' '}
              <ToStep update={update} step="configs" label="Go to Configs" />
            </li>
          ) : null}
          {plan && unwritten.length ? (
            <li>
              Write {unwritten.length === 1 ? '1 file' : `${unwritten.length} files`} that <code>{plan.outDir}</code> does not hold as generated:{' '}
              {unwritten.map((f) => f.path).join(', ')}. <ToStep update={update} step="configs" label="Go to Configs" />
            </li>
          ) : null}
          <li>
            Copy the files to the agent host{bundle ? ' (or the bundle, and check it there with agent-onboard bundle verify)' : ''}, then run the commands below
            there.
          </li>
          {DIAGNOSE}
        </ul>
        {plan ? <NextSteps plan={plan} /> : null}
      </Section>
    </>
  );
}

/** An existing Bamboo agent: whether its wrapper.conf holds the token now, and the restart left to do. */
function ExistingDone({ draft, update, name }: StepProps & { name: string }): React.JSX.Element {
  const { plan, error, loading } = useExistingPreview(draft);
  const finding = plan?.files[0];
  const holds = finding?.status === 'same';
  const state: DoneState =
    !draft.outDir?.trim() || !draft.credentialId ? 'nothing-written' : loading ? 'checking' : error ? 'problem' : holds ? 'written' : 'nothing-written';
  return (
    <>
      <p className="lead" data-testid="done-lead" data-state={state}>
        {name}: {state === 'written' ? `the token is ${LEADS.written}` : LEADS[state]}
      </p>
      {error ? (
        <Section id="done-problem" title="The agent home cannot be checked" pending>
          <ProblemNote error={error} />
          <ToStep update={update} step="configs" label="Go to Configs" />
        </Section>
      ) : null}
      <Section id="done-written" title="Written">
        {holds && finding ? (
          <p>
            <code>{finding.path}</code> holds the security token from the Credentials step.
          </p>
        ) : (
          <p>Nothing yet: the agent&apos;s wrapper.conf does not hold the new token.</p>
        )}
      </Section>
      <Section id="done-left" title="Left to do" pending>
        <ul>
          {!holds ? (
            <li>
              Write the token into wrapper.conf on the Configs step. <ToStep update={update} step="configs" label="Go to Configs" />
            </li>
          ) : null}
          <li>Restart the agent so it reads the token, then check its log:</li>
          {DIAGNOSE}
        </ul>
        {plan?.commands.length ? <CommandList commands={plan.commands} /> : null}
      </Section>
    </>
  );
}

/** A platform that writes no agent files (an analysis): the bundle, and the fix left to make. */
function AnalysisDone({ update, name, bundle }: StepProps & { name: string; bundle: string | null }): React.JSX.Element {
  const state: DoneState = bundle ? 'written' : 'nothing-written';
  return (
    <>
      <p className="lead" data-testid="done-lead" data-state={state}>
        {name}: {state === 'written' ? `the analysis is ${LEADS.written}` : LEADS[state]}
      </p>
      <Section id="done-written" title="Written">
        {bundle ? (
          <p>
            The analysis bundle <code>{bundle}</code>: the report, each fix&apos;s full policy and a patch for each policy as you gave it.
          </p>
        ) : (
          <p>Nothing yet: the analysis is packed on the Export step.</p>
        )}
      </Section>
      <Section id="done-left" title="Left to do" pending>
        <ul>
          {!bundle ? (
            <li>
              Pack the analysis. <ToStep update={update} step="export" label="Go to Export" />
            </li>
          ) : null}
          <li>Apply one of the fixes: launch with IMDSv2, or update the policy in AWS Organizations (the commands are in the bundle&apos;s README).</li>
          <li>Then let Bamboo start an elastic agent and check it comes online in Bamboo → Administration → Elastic instances.</li>
          {DIAGNOSE}
        </ul>
      </Section>
    </>
  );
}

function nameOf({ platform, draft }: StepProps): string {
  const variant = platform?.variants.find((v) => v.id === draft.variant);
  return `${platform?.name ?? 'The agent'}${variant ? ` (${variant.name})` : ''}`;
}

function DoneStep(props: StepProps): React.JSX.Element {
  const bundle = bundlePathOf(props.draft);
  return <GeneratedDone {...props} name={nameOf(props)} bundle={bundle} />;
}

function ExistingDoneStep(props: StepProps): React.JSX.Element {
  return <ExistingDone {...props} name={nameOf(props)} />;
}

function AnalysisDoneStep(props: StepProps): React.JSX.Element {
  const bundle = bundlePathOf(props.draft);
  return <AnalysisDone {...props} name={nameOf(props)} bundle={bundle} />;
}

export const doneStep: StepView = { Component: DoneStep };
/** Done for an install edited in place (an existing Bamboo agent's wrapper.conf). */
export const existingDoneStep: StepView = { Component: ExistingDoneStep };
/** Done for an analysis that writes no agent files (Bamboo elastic's policy check). */
export const analysisDoneStep: StepView = { Component: AnalysisDoneStep };
