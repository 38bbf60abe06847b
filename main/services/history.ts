/**
 * The onboarding history, kept in the store under `history` (newest first, at most
 * HISTORY_LIMIT entries). Entries hold no secret (see shared/history.ts). A damaged entry is
 * dropped when the list is read, never fatal.
 */
import { randomBytes } from 'node:crypto';
import type { Draft } from '../../shared/ipc';
import { HISTORY_LIMIT, historyEntrySchema, scrubAnswers, type HistoryEntry } from '../../shared/history';
import { err, ok, type Result } from '../../shared/result';
import type { KeyValueStore } from './store';

/** What a new entry records besides the draft. */
export interface HistoryExtras {
  bundlePath?: string;
  agents?: number;
}

function samePaths(a: HistoryEntry, b: HistoryEntry): boolean {
  return JSON.stringify(a.paths ?? null) === JSON.stringify(b.paths ?? null);
}

function sameOnboarding(a: HistoryEntry, b: HistoryEntry): boolean {
  // A fleet run is its own entry, never merged into the single agent it was templated on.
  const sameKind = (a.agents === undefined) === (b.agents === undefined);
  return (
    sameKind &&
    samePaths(a, b) &&
    a.platform === b.platform &&
    a.variant === b.variant &&
    a.outDir === b.outDir &&
    JSON.stringify(a.answers) === JSON.stringify(b.answers)
  );
}

export class HistoryService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every valid entry, newest first. */
  list(): HistoryEntry[] {
    const raw = this.store.get('history');
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((e) => {
      const parsed = historyEntrySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /**
   * Records an onboarding. When the newest entry is the same onboarding (same platform, variant,
   * answers and folder, and both single agents or both fleets) it is updated instead (e.g. the bundle path arrives after the files), so
   * exporting twice does not fill the list. BAD_INPUT when the draft has no platform.
   */
  add(draft: Draft, extras: HistoryExtras = {}): Result<HistoryEntry> {
    if (!draft.platform) return err('BAD_INPUT', 'Choose a platform first: the history records finished onboardings.');
    const entry: HistoryEntry = {
      id: `h_${randomBytes(9).toString('base64url')}`,
      platform: draft.platform,
      variant: draft.variant,
      at: this.now().toISOString(),
      answers: scrubAnswers(draft.answers) as Record<string, unknown>,
      ...(draft.outDir ? { outDir: draft.outDir } : {}),
      ...(extras.bundlePath ? { bundlePath: extras.bundlePath } : {}),
      ...(extras.agents !== undefined ? { agents: extras.agents } : {}),
    };
    const entries = this.list();
    const newest = entries[0];
    if (newest && sameOnboarding(newest, entry)) {
      const merged: HistoryEntry = {
        ...newest,
        at: entry.at,
        ...(entry.bundlePath ? { bundlePath: entry.bundlePath } : {}),
        ...(entry.agents !== undefined ? { agents: entry.agents } : {}),
      };
      this.store.set('history', [merged, ...entries.slice(1)]);
      return ok(merged);
    }
    this.store.set('history', [entry, ...entries].slice(0, HISTORY_LIMIT));
    return ok(entry);
  }

  /**
   * Records files written in place in an existing install (a token rotation): the platform and the
   * absolute paths, so History lists the write and can undo it. BAD_INPUT without any path.
   */
  addInPlace(platform: HistoryEntry['platform'], paths: string[]): Result<HistoryEntry> {
    if (paths.length === 0) return err('BAD_INPUT', 'Nothing was written: there is nothing to record.');
    const entry: HistoryEntry = {
      id: `h_${randomBytes(9).toString('base64url')}`,
      platform,
      variant: null,
      at: this.now().toISOString(),
      answers: {},
      paths: [...paths].sort().slice(0, 200),
    };
    const entries = this.list();
    const newest = entries[0];
    if (newest && sameOnboarding(newest, entry)) {
      const merged = { ...newest, at: entry.at };
      this.store.set('history', [merged, ...entries.slice(1)]);
      return ok(merged);
    }
    this.store.set('history', [entry, ...entries].slice(0, HISTORY_LIMIT));
    return ok(entry);
  }

  /**
   * Records an install on an agent host: one entry per host, port and install root (a later install
   * there replaces the earlier entry and goes to the top; its record's backups hold what the
   * earlier install wrote, so undo still puts the host back in order).
   */
  addHostInstall(platform: HistoryEntry['platform'], variant: string | null, hostInstall: NonNullable<HistoryEntry['hostInstall']>): Result<HistoryEntry> {
    const r = hostInstall.record;
    const entry: HistoryEntry = { id: `h_${randomBytes(9).toString('base64url')}`, platform, variant, at: this.now().toISOString(), answers: {}, hostInstall };
    const parsed = historyEntrySchema.safeParse(entry);
    if (!parsed.success) return err('BAD_INPUT', `The install record cannot be kept in the history: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const sameHost = (e: HistoryEntry): boolean =>
      Boolean(e.hostInstall && e.hostInstall.record.host === r.host && e.hostInstall.record.port === r.port && e.hostInstall.record.prefix === r.prefix);
    this.store.set('history', [parsed.data, ...this.list().filter((e) => !sameHost(e))].slice(0, HISTORY_LIMIT));
    return ok(parsed.data);
  }

  /** The entry as a new draft (Details step, no credential: a new onboarding needs its own). */
  reopen(id: string): Result<Draft> {
    const entry = this.list().find((e) => e.id === id);
    if (!entry) return err('NOT_FOUND', 'That history entry no longer exists.');
    return ok({ platform: entry.platform, variant: entry.variant, step: 'details', answers: entry.answers, ...(entry.outDir ? { outDir: entry.outDir } : {}) });
  }

  /** Removes an entry; false when there was none. */
  remove(id: string): boolean {
    const entries = this.list();
    const kept = entries.filter((e) => e.id !== id);
    if (kept.length === entries.length) return false;
    this.store.set('history', kept);
    return true;
  }
}
