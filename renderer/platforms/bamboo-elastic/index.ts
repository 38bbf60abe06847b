/** Bamboo elastic agents in the renderer: the Configs step is a policy analysis, and Done packs it. */
import type { RendererPlatform } from '../types';
import { analysisDoneStep } from './AnalysisDone';
import { scpAnalysisStep } from './ScpAnalysisStep';

export const bambooElasticView: RendererPlatform = {
  steps: { configs: scpAnalysisStep, done: analysisDoneStep },
};
