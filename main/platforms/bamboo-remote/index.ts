/** The Bamboo remote agent's main-process parts: reading an existing agent's wrapper.conf. */
import type { Contract } from '../../../shared/ipc';
import type { Handlers } from '../../ipc/dispatch';
import { readWrapperInfo } from './wrapper';

/** The handler of `bamboo:readWrapper` (shared/platforms/bamboo-remote/contract.ts). */
export function bambooRemoteHandlers(): Handlers<Pick<Contract, 'bamboo:readWrapper'>> {
  return {
    'bamboo:readWrapper': async ({ path }) => readWrapperInfo(path),
  };
}
