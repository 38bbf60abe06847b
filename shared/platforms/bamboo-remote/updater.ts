/** The in-place editor of an existing agent's conf/wrapper.conf (token rotation and first token). */
import { ok } from '../../result';
import type { Command, Updater } from '../types';
import { isWindowsPath, RESTART_COMMANDS, restartCommands } from './restart';
import { isBambooWrapperConf, readWrapperConf, setSecurityToken } from './wrapper-conf';

/** The agent home of a wrapper.conf: its -Dbamboo.home, else the folder above conf/. */
export function agentHomeOf(text: string, filePath: string): string | undefined {
  const info = readWrapperConf(text);
  if (info.ok && info.value.agentHome) return info.value.agentHome;
  const m = /^(.+?)[\\/]conf[\\/]wrapper\.conf$/i.exec(filePath);
  return m?.[1];
}

/** Writes the security token into the app parameter right after the /agentServer/ URL. */
export const wrapperConfUpdater: Updater = {
  id: 'bamboo-wrapper-conf',
  name: 'Bamboo agent conf/wrapper.conf (security token after the server URL)',
  detect: isBambooWrapperConf,
  rotate(text, newToken) {
    const r = setSecurityToken(text, newToken.trim());
    if (!r.ok) return r;
    const { info } = r.value;
    return ok({
      text: r.value.text,
      changes: r.value.changes,
      notes: [
        `Server URL found: ${info.serverUrl} (wrapper.app.parameter.${info.serverUrlParameter}, line ${info.serverUrlLine}); the token is wrapper.app.parameter.${info.token.parameter}.`,
        'The agent reads wrapper.conf only when it starts: restart it.',
      ],
    });
  },
  commands: RESTART_COMMANDS,
  homeFiles: ['conf/wrapper.conf'],
  commandsFor(text, filePath): Command[] {
    const home = agentHomeOf(text, filePath);
    if (!home) return RESTART_COMMANDS;
    return restartCommands(home, isWindowsPath(home) ? ['windows'] : ['linux', 'macos']);
  },
};
