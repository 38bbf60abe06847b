/** Known failures of Bamboo remote agents (reference/platforms.md §2), matched in normalised log text. */
import type { KnownFailure } from '../types';

export const BAMBOO_REMOTE_FAILURES: KnownFailure[] = [
  {
    id: 'bamboo-security-token-missing',
    title: 'The agent sent no security token',
    // The distinctive fragment: the agent's wording around it varies (and is unconfirmed, see the reference).
    patterns: [/Security\s+token\s+is\s+required/i],
    cause:
      'The Bamboo server verifies security tokens, and this agent starts without one: its conf/wrapper.conf has no token in the app parameter after the /agentServer/ URL (agents installed before verification was switched on, or a container whose wrapper.conf was written without SECURITY_TOKEN).',
    fix: "Write the server's security token (Bamboo → Administration → Agents → Install remote agent) into conf/wrapper.conf, in the wrapper.app.parameter right after the /agentServer/ URL, then restart the agent.",
    action: {
      kind: 'rotate-token',
      platform: 'bamboo-remote',
      label: 'Fix wrapper.conf (put the security token in)',
      cli: 'fix wrapper.conf in place (Update an existing install in the app, or agent-onboard rotate bamboo-remote --token-env VAR <bamboo-agent-home>)',
    },
  },
  {
    id: 'bamboo-broker-unreachable',
    title: "The agent cannot reach the server's JMS broker",
    patterns: [
      /FailoverTransport\]?\s+Failed\s+to\s+connect\s+to\s+\[(?:tcp|ssl|nio|nio\+ssl):\/\/[^\]\s]+\]/i,
      /Failed\s+to\s+connect\s+to\s+\[(?:tcp|ssl):\/\/[^\]\s]+\]\s+after:\s+\d+\s+attempt/i,
    ],
    cause:
      'The agent registered over HTTP(S), but the broker client URL the server hands out (default tcp://<host>:54663, ssl on 54667) points at a host or port the agent cannot reach: a container host name, localhost, or a blocked port.',
    fix: 'In Bamboo → Administration → General configuration, set the Broker client URL to a host name the agent can resolve and reach (never localhost), open that port (54663, or 54667 for SSL) from the agent to the server, then restart the agent.',
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'bamboo-agent-duplicated',
    title: 'The agent came back as a new agent "(2)"',
    patterns: [/Remote\s+agent\s+on\s+(?:host\s+)?\S+\s+\(\d+\)/i],
    cause:
      "The agent's identity file bamboo-agent.cfg.xml (its UUID) was lost, e.g. on an ephemeral container volume, so the server registered it again under a new name.",
    fix: "Persist the whole bamboo-agent-home (or pre-seed uuid-temp.properties with agentUuid=<the old agent's UUID>), remove the stale agent in Bamboo → Administration → Agents, and keep bamboo-agent.cfg.xml across reinstalls.",
  },
];
