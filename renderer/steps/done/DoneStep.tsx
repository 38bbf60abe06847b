import { useEffect, useState } from 'react';
import type { ConfigsPlan } from '../../../shared/configs-contract';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { NextSteps, requestOf } from '../configs/ConfigsStep';
import type { StepProps, StepView } from '../types';
import { HostDone, hostOutcome } from './HostDone';
import { bundlePathOf, DIAGNOSE, LEADS, nameOf, Section, ToStep, ProblemNote, type DoneState } from './parts';

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

/** An onboarding that generates files: which are in the output folder as generated, and what is left. */
function GeneratedDone(props: StepProps & { name: string; bundle: string | null }): React.JSX.Element {
  const { update, name, bundle } = props;
  // Installed on the agent host from the Install step: that is what Done reports first.
  const host = props.draft.install?.record ? hostOutcome(props.draft.install) : null;
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
      <p className="lead" data-testid="done-lead" data-state={host ? (host.online ? 'online' : 'installed') : state}>
        {name}: {host ? host.lead : state === 'written' ? `the files are ${LEADS.written}` : LEADS[state]}
      </p>
      {host ? <HostDone draft={props.draft} update={update} platform={props.platform} /> : null}
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
          {!request && !host ? (
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
          {host ? null : (
            <li>
              Copy the files to the agent host{bundle ? ' (or the bundle, and check it there with agent-onboard bundle verify)' : ''}, then run the commands
              below there.
            </li>
          )}
          {DIAGNOSE}
        </ul>
        {plan ? <NextSteps plan={plan} /> : null}
      </Section>
    </>
  );
}

function DoneStep(props: StepProps): React.JSX.Element {
  const bundle = bundlePathOf(props.draft);
  return <GeneratedDone {...props} name={nameOf(props)} bundle={bundle} />;
}

export const doneStep: StepView = { Component: DoneStep };
