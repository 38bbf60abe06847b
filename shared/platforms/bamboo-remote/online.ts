/**
 * What proves a Bamboo remote agent is online (reference/next-platforms.md A3): the agent log's
 * "ready to receive builds" line, and the REST list of agents asked with a Bamboo personal access
 * token; approval pending (remote agent authentication) is its own state from
 * /agent/authentication?pending=true, never a failure. Bamboo agents have no health endpoint.
 */
import { z } from 'zod';
import type { OnlineSignal, VendorApi } from '../types';

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
  {
    kind: 'vendor-api',
    hop: 'vendor',
    id: 'bamboo-api-agents',
    scope: 'personal access token of a Bamboo admin',
    meaning: 'Bamboo lists the agent as online (and approved)',
    source: 'Atlassian KB "How to do monitoring for the Bamboo Data Center remote agents"; AgentAuthenticationResource javadoc',
  },
];

const agentSchema = z.object({ id: z.number(), name: z.string(), active: z.boolean().nullish(), enabled: z.boolean().nullish(), busy: z.boolean().nullish() });
const pendingSchema = z.array(
  z.object({ uuid: z.string().nullish(), agentUuid: z.string().nullish(), ip: z.string().nullish(), name: z.string().nullish() }).passthrough(),
);

/**
 * `GET /rest/api/latest/agent/remote?online=true`, then the agents waiting for approval
 * (`/agent/authentication?pending=true`), with a Bearer personal access token of a Bamboo admin.
 */
export const bambooAgentsApi: VendorApi = {
  scope: 'an admin personal access token',
  pendingWhileWaiting: true,
  requests: (base, _scope, _name, token) => {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    return [
      { url: `${base}/rest/api/latest/agent/remote?online=true`, headers },
      { url: `${base}/rest/api/latest/agent/authentication?pending=true`, headers },
    ];
  },
  read(name, [online, pending]) {
    const list = z.array(agentSchema).safeParse(online?.body);
    if (!list.success) return { state: 'failed', detail: 'the Bamboo API answered in an unexpected shape' };
    const agent = list.data.find((a) => a.name === name);
    if (agent)
      return agent.enabled === false
        ? { state: 'failed', detail: `Bamboo lists "${name}" online but disabled: enable it in Administration → Agents` }
        : { state: 'passed', detail: `Bamboo lists "${name}" as online` };
    const waiting = pendingSchema.safeParse(pending?.body);
    if (waiting.success && waiting.data.length > 0)
      return {
        state: 'pending',
        detail: `${waiting.data.length} agent(s) wait for approval in Bamboo → Administration → Agents → Agent authentication; approve this one (it is not a failure)`,
      };
    return { state: 'waiting', detail: `Bamboo does not list "${name}" among online agents (yet)` };
  },
};
