/** Bamboo remote agents in the renderer: an existing agent home gets its token written in place, and the Rotate page reads its wrapper.conf. */
import type { RendererPlatform } from '../types';
import { existingDoneStep } from './ExistingDone';
import { bambooExistingStep } from './ExistingStep';
import { BambooWrapperHint } from './WrapperHint';

export const bambooRemoteView: RendererPlatform = {
  variantSteps: { existing: { configs: bambooExistingStep, done: existingDoneStep } },
  rotation: { PathHint: BambooWrapperHint },
};
