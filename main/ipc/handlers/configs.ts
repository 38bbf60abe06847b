/** Handlers of the Configs step: preview a platform's files against a folder, then write them. */
import type { Contract } from '../../../shared/ipc';
import { err, ok, type Result } from '../../../shared/result';
import { planConfigs, writeConfigs } from '../../services/configs';
import { configsFor } from '../../services/draft-files';
import type { Deps } from '../../services/deps';
import { WriteLedger } from '../../services/write-ledger';
import type { Handlers, JobRegistry } from '../dispatch';

type ConfigsChannels = Pick<Contract, 'configs:plan' | 'configs:write'>;

function ioFailure(error: unknown): Result<never> {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOTDIR' || e?.code === 'EISDIR')
    return err('IO_ERROR', 'The output folder is (or is inside) a file, not a folder.', 'Choose another folder.');
  if (e?.code === 'EACCES' || e?.code === 'EPERM')
    return err('IO_ERROR', 'The output folder cannot be read: permission denied.', 'Choose a folder you can write to.');
  throw error;
}

export function configsHandlers(deps: Deps, _jobs: JobRegistry): Handlers<ConfigsChannels> {
  return {
    'configs:plan': async (req) => {
      const built = configsFor(deps.vault, req);
      if (!built.ok) return built;
      try {
        return ok(await planConfigs(built.value.outDir, built.value.generated));
      } catch (error) {
        return ioFailure(error);
      }
    },
    'configs:write': async (req, ctx) => {
      const built = configsFor(deps.vault, req);
      if (!built.ok) return built;
      const { outDir, generated } = built.value;
      ctx.progress(`Writing ${generated.files.length} files to ${outDir}`, 0);
      if (ctx.signal.aborted) return err('CANCELLED', 'The write was cancelled; nothing was written.');
      const written = await writeConfigs(outDir, generated, req.planHash, req.expected);
      if (!written.ok) return written;
      new WriteLedger(deps.store).record(written.value);
      ctx.progress('Written', 1);
      return ok({
        outDir,
        files: written.value.map((w, i) => ({ path: generated.files[i]!.path, status: w.status, ...(w.backupPath ? { backupPath: w.backupPath } : {}) })),
      });
    },
  };
}
