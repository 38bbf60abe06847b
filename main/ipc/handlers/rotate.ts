/**
 * Handlers of "Update an existing install": `rotate:scan` plans a token rotation and keeps the plan
 * (with the new texts, which hold the token) here in the main process; the renderer gets findings
 * and masked diffs under a planId. `rotate:apply` writes that plan, once.
 */
import { randomBytes } from 'node:crypto';
import type { Contract } from '../../../shared/ipc';
import { err, ok } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { sha256 } from '../../services/files';
import { HistoryService } from '../../services/history';
import { applyRotation, planRotation, type InternalPlan } from '../../services/rotate';
import { WriteLedger } from '../../services/write-ledger';
import type { Handlers, JobRegistry } from '../dispatch';

type RotateChannels = Pick<Contract, 'rotate:scan' | 'rotate:apply'>;

/** How long a preview stays applicable (the file hashes are checked again on apply anyway). */
const PLAN_TTL_MS = 30 * 60 * 1000;
const MAX_PLANS = 20;

export function rotateHandlers(deps: Deps, _jobs: JobRegistry): Handlers<RotateChannels> {
  const plans = new Map<string, { sender: string; at: number; plan: InternalPlan }>();
  const prune = (): void => {
    const now = Date.now();
    for (const [id, p] of plans) if (now - p.at > PLAN_TTL_MS) plans.delete(id);
    while (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value!);
  };
  return {
    'rotate:scan': async (input, ctx) => {
      let token = input.token;
      if (input.tokenId) {
        const secret = deps.vault.get(input.tokenId);
        if (!secret) return err('SECRET_UNAVAILABLE', 'The stored token is no longer available.', 'Paste the new token again.');
        if (secret.kind !== 'token') return err('TOKEN_WRONG_KIND', 'The chosen secret is not a token.');
        token = secret.value;
      }
      const planId = `plan_${randomBytes(12).toString('base64url')}`;
      const planned = await planRotation(
        {
          platform: input.platform,
          paths: input.paths,
          uploads: input.uploads,
          ...(input.uploadDir ? { uploadDir: input.uploadDir } : {}),
          token: token ?? '',
        },
        planId,
      );
      if (!planned.ok) return planned;
      prune();
      plans.set(planId, { sender: ctx.senderId, at: Date.now(), plan: planned.value });
      return ok(planned.value.plan);
    },
    'rotate:apply': async ({ planId }, ctx) => {
      const held = plans.get(planId);
      if (!held || held.sender !== ctx.senderId)
        return err('NOT_FOUND', 'This preview has expired or was already applied.', 'Find the token again, check the diff, then apply.');
      plans.delete(planId);
      ctx.progress(`Writing ${held.plan.plan.files.filter((f) => f.status === 'change').length} file(s)…`, 0.1);
      if (ctx.signal.aborted) return err('CANCELLED', 'Cancelled before anything was written.');
      const report = await applyRotation(held.plan);
      if (!report.ok) return report;
      // Every write is listed in History and can be undone there, like the wizard's own files.
      const texts = new Map(held.plan.edits.filter((e) => e.newText !== undefined).map((e) => [e.finding.path, e.newText!]));
      const updated = report.value.files.filter((f) => f.status === 'updated' && texts.has(f.path));
      new WriteLedger(deps.store).record(
        updated.map((f) => ({
          path: f.path,
          status: 'updated' as const,
          sha256: sha256(texts.get(f.path)!),
          ...(f.backupPath ? { backupPath: f.backupPath } : {}),
        })),
      );
      if (updated.length)
        new HistoryService(deps.store).addInPlace(
          report.value.platform,
          updated.map((f) => f.path),
        );
      ctx.progress('Written.', 1);
      return report;
    },
  };
}
