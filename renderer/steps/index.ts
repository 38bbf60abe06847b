/** One view per wizard step; each step's folder holds its component. */
import type { PlatformId, StepId } from '../../shared/platforms/types';
import type { StepView } from './types';
import { platformStep } from './platform/PlatformStep';
import { detailsStep } from './details/DetailsStep';
import { credentialsStep } from './credentials/CredentialsStep';
import { connectivityStep } from './connectivity/ConnectivityStep';
import { configsStep } from './configs/ConfigsStep';
import { scpAnalysisStep } from './configs/ScpAnalysisStep';
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

/** Steps a platform shows differently (e.g. bamboo-elastic's Configs step is a policy analysis). */
export const STEP_OVERRIDES: Partial<Record<PlatformId, Partial<Record<StepId, StepView>>>> = {
  'bamboo-elastic': { configs: scpAnalysisStep },
};

/** The view of a step for a platform. */
export function stepView(step: StepId, platform: PlatformId | null): StepView {
  return (platform ? STEP_OVERRIDES[platform]?.[step] : undefined) ?? STEP_VIEWS[step];
}
