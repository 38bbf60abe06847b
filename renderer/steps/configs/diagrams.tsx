/** Pictures the Configs step shows above the files, per platform (a platform without one shows none). */
import { armorcodeAnswers } from '../../../shared/platforms/armorcode/answers';
import type { PlatformId } from '../../../shared/platforms/types';
import { TunnelPath } from './TunnelPath';

type Diagram = (props: { answers: Record<string, unknown>; variant: string | null }) => React.JSX.Element | null;

function ArmorcodeDiagram({ answers, variant }: { answers: Record<string, unknown>; variant: string | null }): React.JSX.Element | null {
  const parsed = armorcodeAnswers.safeParse(answers);
  return parsed.success ? <TunnelPath answers={parsed.data} variant={variant} /> : null;
}

export const CONFIG_DIAGRAMS: Partial<Record<PlatformId, Diagram>> = {
  armorcode: ArmorcodeDiagram,
};
