/**
 * Undo of a host install, the same way as local undo: the plan first; then the service stopped,
 * each replaced file restored from its backup, each created file (and what the agent wrote, its
 * log) moved aside into one folder, folders the install created removed only when empty. Nothing
 * is deleted, and a file edited since the install (its bytes differ from what was written) is
 * left exactly as it is and named.
 *
 * Failures: CONNECTION_LOST, IO_ERROR (a move the host refused), CANCELLED.
 */
import { createHash } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { err, ok, type Result } from '../../../shared/result';
import { commandText, type InstallRecord } from './install';
import type { HostSession } from './session';

export interface UndoStep {
  path: string;
  action: 'restore backup' | 'move aside' | 'left alone: edited since' | 'already gone';
  /** Where a moved file goes, or the backup it is restored from. */
  to?: string;
  from?: string;
}

export interface UndoPlan {
  stop: string[];
  steps: UndoStep[];
  asideDir: string;
  /** Folders the install made, removed when empty. */
  dirs: string[];
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function read(sftp: SFTPWrapper, path: string): Promise<Buffer | null> {
  return new Promise((resolve) => sftp.readFile(path, (e: Error | null | undefined, d: Buffer) => resolve(e ? null : d)));
}
function exists(sftp: SFTPWrapper, path: string): Promise<boolean> {
  return new Promise((resolve) => sftp.lstat(path, (e) => resolve(!e)));
}
const call = (what: string, fn: (cb: (e?: Error | null) => void) => void): Promise<Result<void>> =>
  new Promise((resolve) => fn((e) => resolve(e ? err('IO_ERROR', `${what}: ${e.message}`) : ok(undefined))));

/** Where a path goes inside the aside folder (its absolute path kept, so nothing collides). */
function asidePath(asideDir: string, path: string): string {
  return `${asideDir.replace(/\/+$/, '')}${path}`;
}

/** Reads the host and says what undo would do. `asideDir` defaults to ~/.agent-onboard/undone/<id>. */
export async function planRemoteUndo(session: HostSession, record: InstallRecord, asideDir?: string): Promise<Result<UndoPlan>> {
  const sftp = await session.sftp();
  if (!sftp.ok) return sftp;
  let aside = asideDir;
  if (!aside) {
    const home = await session.exec('printf %s "$HOME"');
    if (!home.ok) return home;
    aside = `${home.value.stdout.trim() || '/tmp'}/.agent-onboard/undone/${record.id}`;
  }
  const steps: UndoStep[] = [];
  for (const f of record.files) {
    const now = await read(sftp.value, f.target);
    if (now === null) steps.push({ path: f.target, action: 'already gone' });
    else if (sha256(now) !== f.sha256) steps.push({ path: f.target, action: 'left alone: edited since' });
    else if (f.backup) steps.push({ path: f.target, action: 'restore backup', from: f.backup, to: asidePath(aside, f.target) });
    else steps.push({ path: f.target, action: 'move aside', to: asidePath(aside, f.target) });
  }
  for (const p of record.agentMade) if (await exists(sftp.value, p)) steps.push({ path: p, action: 'move aside', to: asidePath(aside, p) });
  return ok({ stop: record.stop.map((c) => commandText(c, true)), steps, asideDir: aside, dirs: [...record.dirsCreated].reverse() });
}

async function mkdirp(sftp: SFTPWrapper, dir: string): Promise<Result<void>> {
  if (await exists(sftp, dir)) return ok(undefined);
  const parent = dir.slice(0, dir.lastIndexOf('/')) || '/';
  const up = await mkdirp(sftp, parent);
  if (!up.ok) return up;
  return call(`creating ${dir}`, (cb) => sftp.mkdir(dir, { mode: 0o700 }, cb));
}

/** Carries out an undo plan; returns what it did (each step), stopping at the first refusal. */
export async function runRemoteUndo(
  session: HostSession,
  record: InstallRecord,
  plan: UndoPlan,
  asRoot: boolean,
): Promise<Result<{ done: UndoStep[]; dirsRemoved: string[] }>> {
  for (const c of record.stop) {
    const r = await session.exec(commandText(c, asRoot));
    if (!r.ok) return r;
  }
  // The stop commands wait until the service has exited (ArmorCode's until supervisord's pid file is gone), so it has let go of its files.
  const sftp = await session.sftp();
  if (!sftp.ok) return sftp;
  const done: UndoStep[] = [];
  for (const s of plan.steps) {
    if (s.action === 'move aside' || s.action === 'restore backup') {
      const to = s.to!;
      const made = await mkdirp(sftp.value, to.slice(0, to.lastIndexOf('/')));
      if (!made.ok) return made;
      const moved = await call(`moving ${s.path} aside`, (cb) => sftp.value.rename(s.path, to, cb));
      if (!moved.ok)
        return {
          ok: false,
          error: {
            ...moved.error,
            hint: `Done so far: ${done.map((d) => `${d.path} (${d.action})`).join(', ') || 'nothing'}. Run undo again after fixing the cause.`,
          },
        };
      if (s.action === 'restore backup') {
        const back = await call(`restoring ${s.path}`, (cb) => sftp.value.ext_openssh_rename(s.from!, s.path, cb));
        if (!back.ok) return back;
      }
    }
    done.push(s);
  }
  const dirsRemoved: string[] = [];
  for (const d of plan.dirs) {
    // rmdir refuses a folder that is not empty: anything else in it stays.
    if ((await call('rmdir', (cb) => sftp.value.rmdir(d, cb))).ok) dirsRemoved.push(d);
  }
  return ok({ done, dirsRemoved });
}
