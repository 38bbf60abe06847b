/** Done for Bamboo elastic's policy analysis: the bundle, and the fix left to make (it writes no agent files). */
import { bundlePathOf, DIAGNOSE, LEADS, nameOf, Section, ToStep, type DoneState } from '../../steps/done/parts';
import type { StepProps, StepView } from '../../steps/types';

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

function AnalysisDoneStep(props: StepProps): React.JSX.Element {
  return <AnalysisDone {...props} name={nameOf(props)} bundle={bundlePathOf(props.draft)} />;
}

/** Done for an analysis that writes no agent files. */
export const analysisDoneStep: StepView = { Component: AnalysisDoneStep };
