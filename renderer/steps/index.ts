/** One view per wizard step; each step's folder holds its component. */
import type { PlatformId, StepId } from '../../shared/platforms/types';
import type { StepView } from './types';
import { platformStep } from './platform/PlatformStep';
import { detailsStep } from './details/DetailsStep';
import { credentialsStep } from './credentials/CredentialsStep';
import { connectivityStep } from './connectivity/ConnectivityStep';
import { configsStep } from './configs/ConfigsStep';
import { scpAnalysisStep } from './configs/ScpAnalysisStep';
import { bambooExistingStep } from './configs/BambooExistingStep';
import { exportStep } from './export/ExportStep';
import { analysisDoneStep, doneStep, existingDoneStep } from './done/DoneStep';

export const STEP_VIEWS: Record<StepId, StepView> = {
  platform: platformStep,
  details: detailsStep,
  credentials: credentialsStep,
  connectivity: connectivityStep,
  configs: configsStep,
  export: exportStep,
  done: doneStep,
};

/**
 * Steps a platform (or one of its variants, as `platform/variant`) shows differently: bamboo-elastic's
 * Configs step is a policy analysis; an existing Bamboo agent gets its token written in place.
 */
export const STEP_OVERRIDES: Partial<Record<PlatformId | `${PlatformId}/${string}`, Partial<Record<StepId, StepView>>>> = {
  'bamboo-elastic': { configs: scpAnalysisStep, done: analysisDoneStep },
  'bamboo-remote/existing': { configs: bambooExistingStep, done: existingDoneStep },
};

/** The view of a step for a platform and variant. */
export function stepView(step: StepId, platform: PlatformId | null, variant?: string | null): StepView {
  if (!platform) return STEP_VIEWS[step];
  return (variant ? STEP_OVERRIDES[`${platform}/${variant}`]?.[step] : undefined) ?? STEP_OVERRIDES[platform]?.[step] ?? STEP_VIEWS[step];
}
