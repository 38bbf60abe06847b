/**
 * What the wizard wrote, so an onboarding can be undone exactly: every file the Configs step
 * created or changed, with the SHA-256 it wrote and the backup of what was there before. Undo
 * touches only files that are still exactly as written: a file it created is moved aside
 * (`NAME.bak-<time>`, never deleted), a file it changed gets its backup back (the wizard's version
 * is kept as a backup in turn), and anything changed since is left alone and reported.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ok, type Result } from '../../shared/result';
import { moveAside, readSnapshot, writeFileAtomic, type WriteOutcome } from './files';
import type { KeyValueStore } from './store';

/** The store key of the ledger: absolute path → what was written there. */
export const LEDGER_KEY = 'writes';
/** Most files remembered; the oldest fall off. */
export const LEDGER_LIMIT = 5000;

export interface LedgerFile {
  path: string;
  /** SHA-256 of what the wizard wrote last. */
  sha256: string;
  /** True when the file did not exist before the wizard's first write. */
  created: boolean;
  /** Backup of what was there before the wizard's first write (for changed files). */
  backupPath?: string;
  at: string;
}

export type UndoAction = 'move-aside' | 'restore-backup' | 'leave';

export interface UndoItem {
  path: string;
  /** as-written: still the wizard's bytes; changed: edited since; missing: gone. */
  state: 'as-written' | 'changed' | 'missing';
  action: UndoAction;
  why: string;
}

export interface UndoOutcome {
  path: string;
  done: 'moved-aside' | 'restored' | 'left';
  detail: string;
  /** Where the wizard's version went (moved aside, or the backup made when restoring). */
  keptAt?: string;
}

function isLedgerFile(v: unknown): v is LedgerFile {
  const f = v as Partial<LedgerFile> | null;
  return Boolean(f) && typeof f!.path === 'string' && typeof f!.sha256 === 'string' && typeof f!.created === 'boolean' && typeof f!.at === 'string';
}

export class WriteLedger {
  constructor(private readonly store: KeyValueStore) {}

  private all(): Record<string, LedgerFile> {
    const raw = this.store.get(LEDGER_KEY);
    if (!raw || typeof raw !== 'object') return {};
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((e): e is [string, LedgerFile] => isLedgerFile(e[1])));
  }

  /**
   * Remembers a batch of writes. A file written again keeps what its first write found (created,
   * or the backup of the user's own file), so undo goes back to before the wizard, not one step.
   */
  record(outcomes: WriteOutcome[], now = new Date()): void {
    const all = this.all();
    for (const o of outcomes) {
      const abs = path.resolve(o.path);
      const before = all[abs];
      if (o.status === 'unchanged' && !before) continue; // it was already there, as is: not ours
      const created = before ? before.created : o.status === 'created';
      const backupPath = before ? before.backupPath : o.backupPath;
      all[abs] = { path: abs, sha256: o.sha256, created, ...(backupPath ? { backupPath } : {}), at: now.toISOString() };
    }
    const kept = Object.values(all)
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, LEDGER_LIMIT);
    this.store.set(LEDGER_KEY, Object.fromEntries(kept.map((f) => [f.path, f])));
  }

  /** The files written under `dir` (the onboarding's output folder). */
  under(dir: string): LedgerFile[] {
    const root = path.resolve(dir) + path.sep;
    return Object.values(this.all())
      .filter((f) => f.path.startsWith(root))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The files among `paths` (absolute) that the ledger knows. */
  only(paths: string[]): LedgerFile[] {
    const all = this.all();
    return paths
      .map((p) => all[path.resolve(p)])
      .filter((f): f is LedgerFile => f !== undefined)
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  forget(paths: string[]): void {
    const all = this.all();
    for (const p of paths) delete all[p];
    this.store.set(LEDGER_KEY, all);
  }
}

/** What undo would do to each file, from what is on disk now. */
export async function planUndo(files: LedgerFile[]): Promise<UndoItem[]> {
  return Promise.all(
    files.map(async (f): Promise<UndoItem> => {
      const now = await readSnapshot(f.path);
      if (!now.exists) return { path: f.path, state: 'missing', action: 'leave', why: 'it is no longer there' };
      if (now.sha256 !== f.sha256)
        return { path: f.path, state: 'changed', action: 'leave', why: 'it changed since the wizard wrote it; left for you to review' };
      if (f.created)
        return { path: f.path, state: 'as-written', action: 'move-aside', why: 'the wizard created it; it is renamed NAME.bak-<time>, not deleted' };
      const backup = f.backupPath ? await stat(f.backupPath).catch(() => undefined) : undefined;
      if (!backup)
        return { path: f.path, state: 'as-written', action: 'leave', why: 'the backup of what was there before is gone, so there is nothing to restore' };
      return {
        path: f.path,
        state: 'as-written',
        action: 'restore-backup',
        why: `your version from before the wizard comes back from ${path.basename(f.backupPath!)}`,
      };
    }),
  );
}

/** Undoes the writes planUndo allows, file by file; a file that cannot be undone is left and said so. */
export async function undoWrites(files: LedgerFile[]): Promise<Result<UndoOutcome[]>> {
  const plan = await planUndo(files);
  const out: UndoOutcome[] = [];
  for (const [i, item] of plan.entries()) {
    const f = files[i]!;
    if (item.action === 'leave') {
      out.push({ path: f.path, done: 'left', detail: item.why });
      continue;
    }
    if (item.action === 'move-aside') {
      const moved = await moveAside(f.path, f.sha256);
      out.push(
        moved.ok
          ? { path: f.path, done: 'moved-aside', detail: `moved aside to ${path.basename(moved.value)}`, keptAt: moved.value }
          : { path: f.path, done: 'left', detail: moved.error.message },
      );
      continue;
    }
    const backup = await readFile(f.backupPath!);
    const mode = (await stat(f.backupPath!)).mode & 0o777;
    const restored = await writeFileAtomic({ path: f.path, data: backup, mode, secret: (mode & 0o077) === 0, expectedSha256: f.sha256 });
    out.push(
      restored.ok
        ? {
            path: f.path,
            done: 'restored',
            detail: `the version from before the wizard is back; the wizard's is kept as ${path.basename(restored.value.backupPath ?? '')}`,
            ...(restored.value.backupPath ? { keptAt: restored.value.backupPath } : {}),
          }
        : { path: f.path, done: 'left', detail: restored.error.message },
    );
  }
  return ok(out);
}
