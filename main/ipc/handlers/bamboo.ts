/** Handlers of the Bamboo platforms: the SCP analysis of elastic agents and reading an agent's wrapper.conf. */
import type { Contract } from '../../../shared/ipc';
import { readWrapperInfo } from '../../services/bamboo-wrapper';
import type { Deps } from '../../services/deps';
import { checkScps } from '../../services/scp-check';
import type { Handlers, JobRegistry } from '../dispatch';

type BambooChannels = Pick<Contract, 'scp:check' | 'bamboo:readWrapper'>;

export function bambooHandlers(_deps: Deps, _jobs: JobRegistry): Handlers<BambooChannels> {
  return {
    'scp:check': async ({ jobId: _jobId, ...request }, ctx) => checkScps(request, { signal: ctx.signal, progress: (message, fraction) => ctx.progress(message, fraction) }),
    'bamboo:readWrapper': async ({ path }) => readWrapperInfo(path),
  };
}
