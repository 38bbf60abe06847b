/**
 * What a platform adds to the renderer when the generic wizard and pages are not enough: steps
 * of its own, a picture, a hint. Each lives in renderer/platforms/<id>/ and is registered in
 * renderer/platforms/index.ts; nothing else in the renderer names a platform.
 */
import type { StepId } from '../../shared/platforms/types';
import type { StepView } from '../steps/types';

/** A picture the Configs step shows above the files (null when the answers cannot draw one). */
export type ConfigsDiagram = (props: { answers: Record<string, unknown>; variant: string | null }) => React.JSX.Element | null;

/** A hint shown under the Rotate page's paths box, for the first path given. */
export type PathHint = (props: { path: string }) => React.JSX.Element | null;

export interface RendererPlatform {
  /** Steps this platform shows its own way (for every variant). */
  steps?: Partial<Record<StepId, StepView>>;
  /** Steps one variant shows its own way; they win over `steps`. */
  variantSteps?: Record<string, Partial<Record<StepId, StepView>>>;
  /** The Configs step's picture of what the files set up. */
  configsDiagram?: ConfigsDiagram;
  /**
   * The answer that holds the agent's outbound port, and the ports it may take: the Connectivity
   * step offers to switch it when a check suggests another of these ports.
   */
  portAnswer?: { key: string; ports: number[]; default: number };
  /** The Rotate page: a hint under the paths box (e.g. what was read from the file at the path). */
  rotation?: { PathHint?: PathHint };
}
