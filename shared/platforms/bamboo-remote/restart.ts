/** How to restart a Bamboo remote agent after its wrapper.conf changed, and see it reconnect. */
import type { Command } from '../types';
import { quotePs1, quoteSh } from '../../escape';

const PLACEHOLDER = '<bamboo-agent-home>';
type Os = 'linux' | 'macos' | 'windows';

/** True for a Windows path (C:\… or \\server\share\…). */
export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * Restart and check commands for the agent at `home` (quoted for each shell; a home that cannot
 * be quoted, or none, gives the `<bamboo-agent-home>` placeholder). `oses` limits them to the
 * agent host's OS; container and service commands need no path.
 */
export function restartCommands(home?: string, oses: readonly Os[] = ['linux', 'macos', 'windows']): Command[] {
  const sh = (suffix: string): string => {
    const q = home === undefined ? undefined : quoteSh(`${home}/${suffix}`);
    return q?.ok ? q.value : `'${PLACEHOLDER}/${suffix}'`;
  };
  const ps = (suffix: string): string => {
    const q = home === undefined ? undefined : quotePs1(`${home}\\${suffix}`);
    return q?.ok ? q.value : `'${PLACEHOLDER}\\${suffix}'`;
  };
  const connected = 'Check that it connected: the log says "ready to receive builds"';
  const all: Command[] = [
    { os: 'linux', title: 'Restart the agent (systemd service)', command: 'sudo systemctl restart bamboo-agent' },
    { os: 'linux', title: 'Or, when it does not run under systemd', command: `${sh('bin/bamboo-agent.sh')} restart` },
    { os: 'linux', title: connected, command: `tail -n 50 -f ${sh('atlassian-bamboo-agent.log')}` },
    { os: 'macos', title: 'Restart the agent', command: `${sh('bin/bamboo-agent.sh')} restart` },
    { os: 'macos', title: connected, command: `tail -n 50 -f ${sh('atlassian-bamboo-agent.log')}` },
    { os: 'windows', title: 'Restart the agent service', command: "Restart-Service -DisplayName 'Bamboo Remote Agent'" },
    { os: 'windows', title: connected, command: `Get-Content -Tail 50 -Wait ${ps('atlassian-bamboo-agent.log')}` },
  ];
  return [
    ...all.filter((c) => c.os && oses.includes(c.os)),
    { title: 'Docker: restart the container (the image never rewrites an existing wrapper.conf)', command: 'docker restart <container>' },
  ];
}

/** The commands with the `<bamboo-agent-home>` placeholder, for every OS. */
export const RESTART_COMMANDS: Command[] = restartCommands();
