/**
 * What proves a Buildkite agent is online (reference/next-platforms.md A1): the lines the agent
 * prints (buildkite/agent source), the opt-in health endpoint's per-spawn heartbeat, and the REST
 * list of connected agents asked with a separate `read_agents` token.
 */
import { z } from 'zod';
import type { OnlineSignal, VendorApi } from '../types';
import { BUILDKITE_HEALTH_ADDR } from './answers';

export const buildkiteOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'started',
    id: 'buildkite-starting',
    pattern: /Starting buildkite-agent v\S+ with PID: \d+/,
    meaning: 'the agent process started',
    source: 'buildkite/agent clicommand/agent_start.go',
  },
  {
    kind: 'log',
    hop: 'registered',
    id: 'buildkite-registered',
    pattern: /Successfully registered agent "([^"]+)" with tags/,
    name: 1,
    meaning: 'the Agent API accepted the token and registered the agent',
    source: 'buildkite/agent core/client.go',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'buildkite-connected',
    pattern:
      /Ping stream connection established|Streaming ping mode is unavailable, permanently falling back to polling-based ping mode|Waiting for instructions\.\.\./,
    meaning: 'the agent connected and waits for jobs',
    source: 'buildkite/agent agent/agent_worker_streaming.go, agent_worker_ping.go, agent_worker.go',
  },
  {
    kind: 'health',
    hop: 'connected',
    id: 'buildkite-heartbeat',
    port: 3901,
    path: '/agent/1',
    ok: /^OK: last heartbeat successful/,
    meaning: 'the health endpoint reports a successful heartbeat of spawn 1',
    source: 'buildkite/agent agent/agent_pool.go; docs monitoring_and_observability.md',
    optIn: `health-check-addr="${BUILDKITE_HEALTH_ADDR}"`,
    // The cfg line, or the variable in buildkite-agent.env (the Details step's "Health endpoint").
    enabledBy: /^[ \t]*health-check-addr[ \t]*=[ \t]*"?\S|^BUILDKITE_AGENT_HEALTH_CHECK_ADDR=\S/m,
  },
  {
    kind: 'vendor-api',
    hop: 'vendor',
    id: 'buildkite-api-agents',
    scope: 'read_agents',
    meaning: 'Buildkite lists the agent as connected',
    source: 'buildkite/docs pages/apis/rest_api/agents.md',
  },
];

const agentSchema = z.object({ name: z.string(), connection_state: z.string(), hostname: z.string().nullish(), version: z.string().nullish() });

/** `GET /v2/organizations/{org}/agents?name=` with a Bearer `read_agents` token (buildkite/docs pages/apis/rest_api/agents.md). */
export const buildkiteAgentsApi: VendorApi = {
  scope: 'read_agents',
  scopeField: { label: 'ORG', help: 'the organization slug' },
  requests: (base, org, name, token) => [
    { url: `${base}/v2/organizations/${encodeURIComponent(org)}/agents?name=${encodeURIComponent(name)}`, headers: { Authorization: `Bearer ${token}` } },
  ],
  read(name, [answer]) {
    const list = z.array(agentSchema).safeParse(answer?.body);
    if (!list.success) return { state: 'failed', detail: 'the Buildkite API answered in an unexpected shape' };
    const agent = list.data.find((a) => a.name === name);
    if (!agent) return { state: 'waiting', detail: `Buildkite does not list "${name}" among connected agents (yet)` };
    return agent.connection_state === 'connected'
      ? { state: 'passed', detail: `Buildkite lists "${name}" as connected${agent.hostname ? ` on ${agent.hostname}` : ''}` }
      : { state: 'failed', detail: `Buildkite lists "${name}" as ${agent.connection_state}` };
  },
};
