/**
 * What proves a Bamboo remote agent is online (reference/next-platforms.md A3): the agent log's
 * "ready to receive builds" line, and the REST list of agents asked with a Bamboo personal access
 * token; approval pending (remote agent authentication) is its own state from
 * /agent/authentication?pending=true, never a failure. Bamboo agents have no health endpoint.
 */
import type { OnlineSignal } from '../types';

export const bambooRemoteOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'connected',
    id: 'bamboo-ready',
    pattern: /Bamboo agent '([^']+)' ready to receive builds/,
    name: 1,
    meaning: 'the agent is connected to the server and accepted',
    source: 'Atlassian Bamboo agent log (atlassian-bamboo-agent.log / wrapper.log)',
  },
  { kind: 'vendor-api', hop: 'vendor', id: 'bamboo-api-agents', api: 'bamboo-agents', scope: 'personal access token of a Bamboo admin', meaning: 'Bamboo lists the agent as online (and approved)', source: 'Atlassian KB "How to do monitoring for the Bamboo Data Center remote agents"; AgentAuthenticationResource javadoc' },
];
