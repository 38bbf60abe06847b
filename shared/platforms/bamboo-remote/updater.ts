/** The in-place editor of an existing agent's conf/wrapper.conf (token rotation and first token). */
import { ok } from '../../result';
import type { Updater } from '../types';
import { RESTART_COMMANDS } from './restart';
import { isBambooWrapperConf, setSecurityToken } from './wrapper-conf';

/** Writes the security token into the app parameter right after the /agentServer/ URL. */
export const wrapperConfUpdater: Updater = {
  id: 'bamboo-wrapper-conf',
  name: 'Bamboo agent conf/wrapper.conf (security token after the server URL)',
  detect: isBambooWrapperConf,
  rotate(text, newToken) {
    const r = setSecurityToken(text, newToken.trim());
    return r.ok ? ok({ text: r.value.text, changes: r.value.changes }) : r;
  },
  commands: RESTART_COMMANDS,
};
