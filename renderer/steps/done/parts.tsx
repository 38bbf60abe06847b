/** The pieces every Done view shares: where an onboarding stands, its sections, and the way back to a step. */
import type { Draft } from '../../../shared/ipc';
import { ERROR_TITLES, type AppError } from '../../../shared/result';
import { CodeText } from '../../components/CodeText';
import type { StepProps } from '../types';

/**
 * Where an onboarding stands. Done says only what was written and what is left to do; the agent is
 * not called onboarded until it is seen online (a later check adds an `online` state here).
 */
export type DoneState = 'nothing-written' | 'partly-written' | 'written' | 'checking' | 'problem';

/**
 * The bundle the Export step wrote for this onboarding, as the draft recorded it. (Matching History
 * by platform and folder named an earlier onboarding's bundle as this one's.)
 */
export function bundlePathOf(draft: Draft): string | null {
  return draft.bundlePath ?? null;
}

export const LEADS: Record<DoneState, string> = {
  'nothing-written': 'nothing is written yet.',
  'partly-written': 'some of the files are written; the rest is still to do.',
  written: 'written. The agent is not seen online yet: what is left is below.',
  checking: 'checking what was written…',
  problem: 'what was written cannot be checked.',
};

export function Section({ id, title, children, pending }: { id: string; title: string; children: React.ReactNode; pending?: boolean }): React.JSX.Element {
  return (
    <section className={`done-summary${pending ? ' pending' : ''}`} aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function ToStep({ update, step, label }: Pick<StepProps, 'update'> & { step: Draft['step']; label: string }): React.JSX.Element {
  return (
    <button type="button" className="secondary" onClick={() => update({ step })}>
      {label}
    </button>
  );
}

export function ProblemNote({ error }: { error: AppError }): React.JSX.Element {
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

export const DIAGNOSE = <li>If the agent does not connect, paste its log into Diagnostics (top bar): it names known failures and their fixes.</li>;

/** The platform and variant, in words: "Bamboo remote agent (Existing …)". */
export function nameOf({ platform, draft }: StepProps): string {
  const variant = platform?.variants.find((v) => v.id === draft.variant);
  return `${platform?.name ?? 'The agent'}${variant ? ` (${variant.name})` : ''}`;
}
