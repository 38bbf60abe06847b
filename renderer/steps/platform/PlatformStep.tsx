import { PLATFORMS } from '../../../shared/platforms';
import type { StepProps, StepView } from '../types';

function PlatformStep({ draft, update, showErrors }: StepProps): React.JSX.Element {
  const chosen = PLATFORMS.find((p) => p.id === draft.platform);
  return (
    <>
      <fieldset className="cards" aria-describedby={showErrors && !chosen ? 'step-errors' : undefined}>
        <legend>Which agent are you onboarding?</legend>
        {PLATFORMS.map((p) => (
          <label key={p.id} className={`card${p.id === draft.platform ? ' selected' : ''}`} data-testid={`platform-${p.id}`}>
            <input
              type="radio"
              name="platform"
              value={p.id}
              checked={p.id === draft.platform}
              onChange={() =>
                // Another platform starts clean: its answers, credential, pinned host keys and connectivity report differ.
                update(
                  p.id === draft.platform
                    ? {}
                    : {
                        platform: p.id,
                        variant: p.variants[0]?.id ?? null,
                        answers: {},
                        credentialId: undefined,
                        knownHosts: undefined,
                        connectivity: undefined,
                      },
                )
              }
            />
            <span className="card-title">{p.name}</span>
            <span className="card-summary">{p.summary}</span>
            <span className="card-variants">{p.variants.map((v) => v.name).join(' · ')}</span>
            {p.docs.map((d) => (
              <a key={d.url} href={d.url} target="_blank" rel="noreferrer noopener" className="card-doc">
                {d.title} ↗
              </a>
            ))}
          </label>
        ))}
      </fieldset>
      {chosen && chosen.variants.length > 1 && (
        <fieldset className="variants">
          <legend>How will {chosen.name} run?</legend>
          {chosen.variants.map((v) => (
            <label key={v.id} className="variant">
              <input type="radio" name="variant" value={v.id} checked={draft.variant === v.id} onChange={() => update({ variant: v.id })} />
              {v.name}
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}

export const platformStep: StepView = {
  Component: PlatformStep,
  validate: (draft, platform): Record<string, string> => {
    if (!platform) return { platform: 'choose a platform' };
    return draft.variant && platform.variants.some((v) => v.id === draft.variant) ? {} : { variant: 'choose how it will run' };
  },
};
