/** Handlers of the onboarding history and of the diagnostics page. */
import { diagnose } from '../../../shared/diagnose';
import type { Contract } from '../../../shared/ipc';
import { ok } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { HistoryService } from '../../services/history';
import { DraftService } from '../../services/store';
import type { Handlers, JobRegistry } from '../dispatch';

type HistoryChannels = Pick<Contract, 'history:list' | 'history:add' | 'history:reopen' | 'history:remove' | 'diagnose:run'>;

export function historyHandlers(deps: Deps, _jobs: JobRegistry): Handlers<HistoryChannels> {
  const history = new HistoryService(deps.store);
  const drafts = new DraftService(deps.store);
  return {
    'history:list': async () => ok({ entries: history.list() }),
    'history:add': async ({ draft, bundlePath, agents }) => {
      const entry = history.add(draft, { ...(bundlePath ? { bundlePath } : {}), ...(agents !== undefined ? { agents } : {}) });
      return entry.ok ? ok({ entry: entry.value }) : entry;
    },
    'history:reopen': async ({ id }) => {
      const draft = history.reopen(id);
      if (!draft.ok) return draft;
      // The reopened onboarding becomes the wizard's draft, so the wizard opens on it.
      drafts.save(draft.value);
      return ok({ draft: draft.value });
    },
    'history:remove': async ({ id }) => ok({ removed: history.remove(id) }),
    'diagnose:run': async ({ text, platform }) => ok({ diagnoses: diagnose(text, platform) }),
  };
}
