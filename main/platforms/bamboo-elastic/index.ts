/** Bamboo elastic agents' main-process parts: the SCP analysis (IPC, CLI, and the bundle of an analysis). */
import type { Contract } from '../../../shared/ipc';
import type { Handlers } from '../../ipc/dispatch';
import { checkScps } from './scp-check';

export { scpCheckCommand } from './cli';
export { scpAnalysisParts } from './scp-bundle';

/** The handler of `scp:check` (shared/platforms/bamboo-elastic/contract.ts). */
export function bambooElasticHandlers(): Handlers<Pick<Contract, 'scp:check'>> {
  return {
    'scp:check': async ({ jobId: _jobId, ...request }, ctx) =>
      checkScps(request, { signal: ctx.signal, progress: (message, fraction) => ctx.progress(message, fraction) }),
  };
}
