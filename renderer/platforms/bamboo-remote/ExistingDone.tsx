/** Done for an existing Bamboo agent: whether its wrapper.conf holds the token now, and the restart left to do. */
import { CommandList } from '../../components/CommandList';
import { DIAGNOSE, LEADS, nameOf, ProblemNote, Section, ToStep, type DoneState } from '../../steps/done/parts';
import type { StepProps, StepView } from '../../steps/types';
import { useExistingPreview } from './ExistingStep';

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

function ExistingDoneStep(props: StepProps): React.JSX.Element {
  return <ExistingDone {...props} name={nameOf(props)} />;
}

/** Done for an install edited in place (an existing Bamboo agent's wrapper.conf). */
export const existingDoneStep: StepView = { Component: ExistingDoneStep };
