/**
 * Undo of a host install, the same way as local undo: the plan first; then the service stopped,
 * each replaced file restored from its backup, each created file (and what the agent wrote, its
 * log) moved aside into one folder, folders the install created removed only when empty. Nothing
 * is deleted, and a file edited since the install (its bytes differ from what was written) is
 * left exactly as it is and named. An install placed with `sudo -n` (a login user that is not root)
 * is read and moved back with `sudo -n` too: SUDO_PASSWORD_REQUIRED before anything changes when
 * sudo asks for a password now.
 *
 * Failures: CONNECTION_LOST, IO_ERROR (a move the host refused), SUDO_PASSWORD_REQUIRED, CANCELLED.
 */
import { createHash } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { err, ok, type Result } from '../../../shared/result';
import { checkSudo, commandText, sudoLook, sudoSh, type InstallRecord } from './install';
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
  /** Every move runs with `sudo -n` (the install was placed that way and the login user is not root). */
  sudo?: boolean;
}

/** Whether undo of `record` must use sudo: it was placed with sudo and this login is not root. SUDO_PASSWORD_REQUIRED when sudo asks for a password. */
async function needsSudo(session: HostSession, record: InstallRecord): Promise<Result<boolean>> {
  if (!record.sudo) return ok(false);
  const id = await session.exec('id -u');
  if (!id.ok) return id;
  if (id.value.stdout.trim() === '0') return ok(false);
  const sudo = await checkSudo(session, `Undo of ${record.id} moves files the install put in place with sudo`);
  return sudo.ok ? ok(true) : sudo;
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
  const sudo = await needsSudo(session, record);
  if (!sudo.ok) return sudo;
  // With sudo, what each path holds is read as root (a 0600 secret, a 0700 folder); else over SFTP.
  let looked: (string | 'dir' | 'other' | null)[] = [];
  if (sudo.value) {
    const l = await sudoLook(session, [...record.files.map((f) => f.target), ...record.agentMade]);
    if (!l.ok) return l;
    looked = l.value;
  } else {
    for (const f of record.files) {
      const now = await read(sftp.value, f.target);
      looked.push(now === null ? null : sha256(now));
    }
    for (const p of record.agentMade) looked.push((await exists(sftp.value, p)) ? 'other' : null);
  }
  const steps: UndoStep[] = [];
  record.files.forEach((f, i) => {
    const now = looked[i];
    if (now === null || now === undefined) steps.push({ path: f.target, action: 'already gone' });
    else if (now !== f.sha256) steps.push({ path: f.target, action: 'left alone: edited since' });
    else if (f.backup) steps.push({ path: f.target, action: 'restore backup', from: f.backup, to: asidePath(aside, f.target) });
    else steps.push({ path: f.target, action: 'move aside', to: asidePath(aside, f.target) });
  });
  record.agentMade.forEach((p, i) => {
    if (looked[record.files.length + i] != null) steps.push({ path: p, action: 'move aside', to: asidePath(aside, p) });
  });
  return ok({
    stop: record.stop.map((c) => commandText(c, !sudo.value)),
    steps,
    asideDir: aside,
    dirs: [...record.dirsCreated].reverse(),
    ...(sudo.value ? { sudo: true } : {}),
  });
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
  const sudo = !asRoot && Boolean(record.sudo);
  if (sudo) {
    const can = await checkSudo(session, `Undo of ${record.id} moves files the install put in place with sudo`);
    if (!can.ok) return can;
  }
  for (const c of record.stop) {
    const r = await session.exec(commandText(c, asRoot));
    if (!r.ok) return r;
  }
  if (sudo) return undoWithSudo(session, plan);
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

/**
 * The moves of an undo plan as root (`sudo -n`), one step per command so that what was done is
 * known exactly: aside folders made private (0700), each file moved aside (a backup renamed back
 * over its target), then the install's folders removed when empty.
 */
async function undoWithSudo(session: HostSession, plan: UndoPlan): Promise<Result<{ done: UndoStep[]; dirsRemoved: string[] }>> {
  const done: UndoStep[] = [];
  for (const s of plan.steps) {
    if (s.action === 'move aside' || s.action === 'restore backup') {
      const to = s.to!;
      const r = await session.exec(
        sudoSh('(umask 077; mkdir -p "$(dirname "$2")") && mv "$1" "$2" || exit 1; if [ -n "$3" ]; then mv -f "$3" "$1" || exit 2; fi', [
          s.path,
          to,
          s.action === 'restore backup' ? s.from! : '',
        ]),
      );
      if (!r.ok) return r;
      if (r.value.code !== 0)
        return err(
          'IO_ERROR',
          `${r.value.code === 2 ? `restoring ${s.path} from ${s.from}` : `moving ${s.path} aside`} failed on the host: ${(r.value.stderr || r.value.stdout).trim().slice(0, 300)}`,
          `Done so far: ${done.map((d) => `${d.path} (${d.action})`).join(', ') || 'nothing'}. Run undo again after fixing the cause.`,
        );
    }
    done.push(s);
  }
  const dirsRemoved: string[] = [];
  if (plan.dirs.length) {
    // rmdir refuses a folder that is not empty: anything else in it stays.
    const r = await session.exec(sudoSh('for d; do rmdir "$d" 2>/dev/null && echo "REMOVED $d"; done; exit 0', plan.dirs));
    if (r.ok) for (const m of r.value.stdout.matchAll(/^REMOVED (.+)$/gm)) dirsRemoved.push(m[1]!);
  }
  return ok({ done, dirsRemoved });
}
