import type { Draft } from '../../shared/ipc';
import type { AnyPlatform } from '../../shared/platforms/types';

/** What every step component gets. */
export interface StepProps {
  draft: Draft;
  update(patch: Partial<Draft>): void;
  platform: AnyPlatform | undefined;
  /** True after the user pressed Next on this step with errors: show them. */
  showErrors: boolean;
}

/** A step: its view, and what blocks Next (field key → message; empty when it may go on). */
export interface StepView {
  Component(props: StepProps): React.JSX.Element;
  validate?(draft: Draft, platform: AnyPlatform | undefined): Record<string, string>;
}
