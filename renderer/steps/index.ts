/** One view per wizard step; each step's folder holds its component. */
import type { PlatformId, StepId } from '../../shared/platforms/types';
import { stepOverride } from '../platforms';
import type { StepView } from './types';
import { platformStep } from './platform/PlatformStep';
import { detailsStep } from './details/DetailsStep';
import { credentialsStep } from './credentials/CredentialsStep';
import { connectivityStep } from './connectivity/ConnectivityStep';
import { configsStep } from './configs/ConfigsStep';
import { exportStep } from './export/ExportStep';
import { doneStep } from './done/DoneStep';

export const STEP_VIEWS: Record<StepId, StepView> = {
  platform: platformStep,
  details: detailsStep,
  credentials: credentialsStep,
  connectivity: connectivityStep,
  configs: configsStep,
  export: exportStep,
  done: doneStep,
};

/** The view of a step for a platform and variant: the platform's own (renderer/platforms) or the generic one. */
export function stepView(step: StepId, platform: PlatformId | null, variant?: string | null): StepView {
  return stepOverride(step, platform, variant) ?? STEP_VIEWS[step];
}
