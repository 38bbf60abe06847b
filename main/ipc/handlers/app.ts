/** Handlers of the app itself: info, the draft, job cancellation. */
import { ok } from '../../../shared/result';
import type { Contract } from '../../../shared/ipc';
import type { Deps } from '../../services/deps';
import { DraftService } from '../../services/store';
import type { Handlers, JobRegistry } from '../dispatch';

type AppChannels = Pick<Contract, 'app:info' | 'draft:load' | 'draft:save' | 'draft:clear' | 'job:cancel'>;

export function appHandlers(deps: Deps, jobs: JobRegistry): Handlers<AppChannels> {
  const drafts = new DraftService(deps.store);
  return {
    'app:info': async () => ok({ version: deps.version, mode: deps.mode, secretStorage: deps.cipher.available() }),
    'draft:load': async () => ok(drafts.load()),
    'draft:save': async (draft) => ok({ savedAt: drafts.save(draft) }),
    'draft:clear': async () => {
      drafts.clear();
      return ok({});
    },
    'job:cancel': async ({ jobId }, ctx) => ok({ cancelled: jobs.cancel(ctx.senderId, jobId) }),
  };
}
