/**
 * All handlers of the app's contract, built from the injected dependencies. Each domain keeps its
 * handlers in its own file here; this file only joins them, so a missing one fails to compile.
 */
import type { Contract } from '../../../shared/ipc';
import type { Deps } from '../../services/deps';
import type { Handlers, JobRegistry } from '../dispatch';
import { appHandlers } from './app';
import { credentialsHandlers } from './credentials';
import { bundleHandlers } from './bundle';
import { historyHandlers } from './history';
import { configsHandlers } from './configs';
import { platformHandlers } from '../../platforms';
import { probeHandlers } from './probe';
import { rotateHandlers } from './rotate';
import { remoteHandlers } from './remote';
import { tokenVerifyHandlers } from './token-verify';

export function createHandlers(deps: Deps, jobs: JobRegistry): Handlers<Contract> {
  return {
    ...appHandlers(deps, jobs),
    ...credentialsHandlers(deps, jobs),
    ...bundleHandlers(deps, jobs),
    ...historyHandlers(deps, jobs),
    ...configsHandlers(deps, jobs),
    ...platformHandlers(),
    ...probeHandlers(deps, jobs),
    ...rotateHandlers(deps, jobs),
    ...remoteHandlers(deps, jobs),
    ...tokenVerifyHandlers(deps, jobs),
  };
}
