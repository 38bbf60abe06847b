/** How to restart a Bamboo remote agent after its wrapper.conf changed, and see it reconnect. */
import type { Command } from '../types';

/**
 * Restart and check commands; `<bamboo-agent-home>` stands for the agent home (callers that know
 * it substitute it: it is always inside single quotes, and agent homes are validated to hold no quote).
 */
export const RESTART_COMMANDS: Command[] = [
  { os: 'linux', title: 'Restart the agent (systemd service)', command: 'sudo systemctl restart bamboo-agent' },
  { os: 'linux', title: 'Or, when it does not run under systemd', command: "'<bamboo-agent-home>/bin/bamboo-agent.sh' restart" },
  { os: 'macos', title: 'Restart the agent', command: "'<bamboo-agent-home>/bin/bamboo-agent.sh' restart" },
  { os: 'windows', title: 'Restart the agent service', command: "Restart-Service -DisplayName 'Bamboo Remote Agent'" },
  { title: 'Docker: restart the container (the image never rewrites an existing wrapper.conf)', command: 'docker restart <container>' },
  ...(['linux', 'macos'] as const).map((os) => ({ os, title: 'Check that it connected: the log says "ready to receive builds"', command: "tail -n 50 -f '<bamboo-agent-home>/atlassian-bamboo-agent.log'" })),
  { os: 'windows', title: 'Check that it connected: the log says "ready to receive builds"', command: "Get-Content -Tail 50 -Wait '<bamboo-agent-home>\\atlassian-bamboo-agent.log'" },
];
