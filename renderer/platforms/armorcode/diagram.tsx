/** The Configs step's picture for ArmorCode: the tunnel from the agent host to ArmorCode and the services it reaches. */
import { armorcodeAnswers } from '../../../shared/platforms/armorcode/answers';
import { TunnelPath } from './TunnelPath';

export function ArmorcodeDiagram({ answers, variant }: { answers: Record<string, unknown>; variant: string | null }): React.JSX.Element | null {
  const parsed = armorcodeAnswers.safeParse(answers);
  return parsed.success ? <TunnelPath answers={parsed.data} variant={variant} /> : null;
}
