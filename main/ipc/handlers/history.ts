/** Handlers of the onboarding history and of the diagnostics page. */
import type { HistoryEntry } from '../../../shared/history';
import { diagnose } from '../../../shared/diagnose';
import type { Contract } from '../../../shared/ipc';
import { err, ok } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { HistoryService } from '../../services/history';
import { DraftService } from '../../services/store';
import { planUndo, undoWrites, WriteLedger } from '../../services/write-ledger';
import type { Handlers, JobRegistry } from '../dispatch';

type HistoryChannels = Pick<Contract, 'history:list' | 'history:add' | 'history:reopen' | 'history:remove' | 'history:files' | 'history:undo' | 'diagnose:run'>;

export function historyHandlers(deps: Deps, _jobs: JobRegistry): Handlers<HistoryChannels> {
  const history = new HistoryService(deps.store);
  const drafts = new DraftService(deps.store);
  const ledger = new WriteLedger(deps.store);
  /** The remembered writes of one onboarding: the files it edited in place, or those under its output folder. */
  const writesOf = (entry: HistoryEntry) => (entry.paths ? ledger.only(entry.paths) : entry.outDir ? ledger.under(entry.outDir) : []);
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
    'history:files': async ({ id }) => {
      const entry = history.list().find((e) => e.id === id);
      if (!entry) return err('NOT_FOUND', 'That history entry no longer exists.');
      const files = await planUndo(writesOf(entry));
      return ok(!entry.paths && entry.outDir ? { outDir: entry.outDir, files } : { files });
    },
    'history:undo': async ({ id }) => {
      const entry = history.list().find((e) => e.id === id);
      if (!entry) return err('NOT_FOUND', 'That history entry no longer exists.');
      const files = writesOf(entry);
      if (files.length === 0) return ok({ results: [] });
      const undone = await undoWrites(files);
      if (!undone.ok) return undone;
      // Undone files are no longer the wizard's; files left alone stay listed.
      ledger.forget(undone.value.filter((r) => r.done !== 'left').map((r) => r.path));
      return ok({ results: undone.value });
    },
    'diagnose:run': async ({ text, platform }) => ok({ diagnoses: diagnose(text, platform) }),
  };
}
