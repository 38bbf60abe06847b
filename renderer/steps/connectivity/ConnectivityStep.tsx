import type { Endpoint } from '../../../shared/platforms/types';
import { formToAnswers } from '../../wizard';
import type { StepProps, StepView } from '../types';

/** The endpoints the platform needs, from its module and the Details answers. */
export function plannedEndpoints({ draft, platform }: Pick<StepProps, 'draft' | 'platform'>): Endpoint[] {
  if (!platform) return [];
  const parsed = platform.answers.safeParse(formToAnswers(platform, draft.variant, draft.answers));
  return parsed.success ? platform.endpoints(parsed.data) : [];
}

function ConnectivityStep(props: StepProps): React.JSX.Element {
  const endpoints = plannedEndpoints(props);
  return (
    <>
      <p className="lead">The agent host must reach these endpoints before the agent can start.</p>
      <table className="table">
        <caption className="sr-only">Endpoints to check</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Protocol</th>
            <th scope="col">Purpose</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.id}>
              <td>
                <code>
                  {e.host}:{e.port}
                </code>
              </td>
              <td>{e.protocol}</td>
              <td>
                {e.purpose}
                {e.optional ? ' (optional)' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export const connectivityStep: StepView = { Component: ConnectivityStep };
