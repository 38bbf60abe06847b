/** Handlers of the Configs step: preview a platform's files against a folder, then write them. */
import type { z } from 'zod';
import type { Contract } from '../../../shared/ipc';
import type { configsRequestSchema } from '../../../shared/configs-contract';
import type { Generated } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import { generateFiles, generatorOf, planConfigs, resolveOutDir, writeConfigs } from '../../services/configs';
import { credentialFromVault } from '../../services/credential';
import type { Deps } from '../../services/deps';
import { WriteLedger } from '../../services/write-ledger';
import type { Handlers, JobRegistry } from '../dispatch';

type ConfigsChannels = Pick<Contract, 'configs:plan' | 'configs:write'>;
type Request = z.infer<typeof configsRequestSchema>;

/** The generated files and the resolved folder of a request (the same for preview and write). */
function generateFor(deps: Deps, req: Request): Result<{ outDir: string; generated: Generated }> {
  const gen = generatorOf(req.platform, req.variant);
  if (!gen.ok) return gen;
  const outDir = resolveOutDir(req.outDir);
  if (!outDir.ok) return outDir;
  const credential = credentialFromVault(deps.vault, gen.value.platform.credential, req.credentialId, req.knownHosts);
  if (!credential.ok) return credential;
  const generated = generateFiles(gen.value.platform, gen.value.variant, req.answers, credential.value, req.trustedCa ? { trustedCa: req.trustedCa } : undefined);
  if (!generated.ok) return generated;
  return ok({ outDir: outDir.value, generated: generated.value });
}

function ioFailure(error: unknown): Result<never> {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOTDIR' || e?.code === 'EISDIR') return err('IO_ERROR', 'The output folder is (or is inside) a file, not a folder.', 'Choose another folder.');
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return err('IO_ERROR', 'The output folder cannot be read: permission denied.', 'Choose a folder you can write to.');
  throw error;
}

export function configsHandlers(deps: Deps, _jobs: JobRegistry): Handlers<ConfigsChannels> {
  return {
    'configs:plan': async (req) => {
      const built = generateFor(deps, req);
      if (!built.ok) return built;
      try {
        return ok(await planConfigs(built.value.outDir, built.value.generated));
      } catch (error) {
        return ioFailure(error);
      }
    },
    'configs:write': async (req, ctx) => {
      const built = generateFor(deps, req);
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
