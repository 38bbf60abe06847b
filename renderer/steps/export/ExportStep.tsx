import type { StepProps, StepView } from '../types';

function ExportStep({ platform, draft }: StepProps): React.JSX.Element {
  return (
    <p className="lead">
      Carry the {platform?.name ?? 'agent'} configuration to the agent host{draft.outDir ? <> from <code>{draft.outDir}</code></> : null}.
    </p>
  );
}

export const exportStep: StepView = { Component: ExportStep };
