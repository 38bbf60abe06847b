import type { StepProps, StepView } from '../types';

function DoneStep({ platform, draft }: StepProps): React.JSX.Element {
  const variant = platform?.variants.find((v) => v.id === draft.variant);
  return (
    <>
      <p className="lead">
        {platform?.name ?? 'The agent'}
        {variant ? ` (${variant.name})` : ''} is onboarded.
      </p>
      {platform && (
        <ul>
          {platform.docs.map((d) => (
            <li key={d.url}>
              <a href={d.url} target="_blank" rel="noreferrer noopener">
                {d.title} ↗
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export const doneStep: StepView = { Component: DoneStep };
