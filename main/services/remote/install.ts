/**
 * Installs generated files on an agent host over one SSH session, with the local writer's
 * guarantees: the plan first (each file's target, mode and what it replaces; each command), every
 * file uploaded beside its target as a temp file and renamed over it only when all uploads
 * succeeded, secrets at 0600, a backup of anything replaced, no secret on a command line (file
 * contents travel inside SFTP only). A lost link or a Cancel during the uploads leaves the host as
 * it was (the temp files are removed, or named when the link is gone); after that, the report says
 * exactly which files are in place, and the record lets undo put them back.
 *
 * Failures: BAD_INPUT (no recipe for the variant), SUDO_PASSWORD_REQUIRED, IO_ERROR (a write the
 * host refused, e.g. a full disk), REMOTE_FAILED (a command), CONNECTION_LOST, CANCELLED.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { getPlatform } from '../../../shared/platforms';
import type { Artifact, HostCommand, HostRecipe, PlatformId } from '../../../shared/platforms/types';
import { err, ok, type AppError, type Result } from '../../../shared/result';
import { q as shellWord } from './shell';
import type { HostSession } from './session';

/** What the installer will do, for the user to confirm (no file contents). */
export interface InstallPlan {
  platform: PlatformId;
  variant: string;
  title: string;
  prefix: string;
  /** The login user is root, or not (then privileged commands run with `sudo -n`). */
  asRoot: boolean;
  dirs: { path: string; mode: number; exists: boolean }[];
  files: { from: string; target: string; mode: number; secret: boolean; replaces: 'nothing' | 'same bytes' | 'a different file' }[];
  commands: { phase: 'stop' | 'start'; title: string; command: string }[];
  /** Free space under the install root, in bytes (df), when the host said. */
  freeBytes?: number;
  needBytes: number;
  notes: string[];
}

/** What was done on the host: enough to undo it later, from any workstation. */
export interface InstallRecord {
  id: string;
  at: string;
  host: string;
  port: number;
  user: string;
  prefix: string;
  platform: PlatformId;
  variant: string;
  files: { target: string; sha256: string; mode: number; backup?: string }[];
  dirsCreated: string[];
  stop: HostCommand[];
  agentMade: string[];
  where: HostRecipe['where'];
}

export type InstallEvent = { kind: 'step'; text: string } | { kind: 'output'; text: string } | { kind: 'progress'; done: number; total: number };

export interface PlannedInstall {
  plan: InstallPlan;
  recipe: HostRecipe;
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Shell text for a command, with `sudo -n` when it needs root and the login user is not root. */
export function commandText(c: HostCommand, asRoot: boolean): string {
  return c.privileged && !asRoot ? `sudo -n ${c.command}` : c.command;
}

function parentOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/**
 * Reads the host (who logs in, which programs exist, what each target holds, free space, whether
 * root is needed and sudo works without a password) and returns the plan. Changes nothing.
 */
export async function planRemoteInstall(
  session: HostSession,
  platformId: PlatformId,
  variant: string,
  files: Artifact[],
  prefix: string,
): Promise<Result<PlannedInstall>> {
  const platform = getPlatform(platformId);
  if (!platform?.hostInstall)
    return err('BAD_INPUT', `${platform?.name ?? platformId} is not installed over SSH by this app.`, 'Follow the commands on the Configs step on the host.');
  if (!prefix.startsWith('/')) return err('BAD_INPUT', `--prefix must be an absolute path on the host (got ${JSON.stringify(prefix.slice(0, 80))}).`);
  const recipe = platform.hostInstall(variant, files, prefix);
  if (!recipe.ok) return recipe;
  const r = recipe.value;

  const probe = [
    'id -u',
    ...r.requires.map((p) => `command -v ${shellWord(p)} >/dev/null 2>&1 || echo "MISSING ${p}"`),
    `d=${shellWord(prefix)}; while [ ! -e "$d" ]; do d=$(dirname "$d"); done; if [ -w "$d" ]; then echo WRITABLE; else echo "NOT_WRITABLE $d"; fi`,
    `df -Pk "$d" 2>/dev/null | awk 'NR==2 {print "FREE_KB " $4}'`,
  ].join('\n');
  const facts = await session.exec(probe);
  if (!facts.ok) return facts;
  const out = facts.value.stdout;
  const asRoot = out.split('\n')[0]?.trim() === '0';
  const missing = [...out.matchAll(/^MISSING (\S+)$/gm)].map((m) => m[1]!);
  if (missing.length) {
    const vendor = missing.filter((m) => r.installHints?.[m]);
    const plain = missing.filter((m) => !r.installHints?.[m]);
    const apt = [...new Set(plain.map((m) => (m.startsWith('supervisor') ? 'supervisor' : m === 'ssh' ? 'openssh-client' : m)))];
    const how = [
      ...(plain.length ? [`install ${plain.join(', ')} (Debian/Ubuntu: apt-get install ${apt.join(' ')})`] : []),
      ...vendor.map((m) => r.installHints![m]!),
    ];
    return err('REMOTE_FAILED', `The host lacks ${missing.join(', ')}; nothing was changed.`, `On the host, ${how.join('; ')}; then run the install again.`);
  }
  const notWritable = /^NOT_WRITABLE (.+)$/m.exec(out)?.[1];
  const needsRoot = r.start.some((c) => c.privileged) || Boolean(notWritable);
  if (needsRoot && !asRoot) {
    const sudo = await session.exec('sudo -n true');
    if (!sudo.ok) return sudo;
    if (sudo.value.code !== 0) {
      const why = (sudo.value.stderr || sudo.value.stdout).trim().split('\n')[0] ?? '';
      return err(
        'SUDO_PASSWORD_REQUIRED',
        `This install needs root on the host${notWritable ? ` (${notWritable} is not writable by the login user)` : ''}, and sudo on the host asks for a password (${why || `exit ${sudo.value.code}`}); nothing was changed.`,
        'Allow the login user passwordless sudo (a sudoers rule), log in as root with a key, or choose an install root (--prefix) the login user owns. This app never types a sudo password.',
      );
    }
    if (notWritable) {
      return err(
        'REMOTE_FAILED',
        `${notWritable} is not writable by the login user; this app uploads files as the login user (SFTP), so nothing was changed.`,
        'Log in as root with a key, or choose an install root (--prefix) the login user owns.',
      );
    }
  }
  const freeKb = /^FREE_KB (\d+)$/m.exec(out)?.[1];

  const sftp = await session.sftp();
  if (!sftp.ok) return sftp;
  const dirs: InstallPlan['dirs'] = [];
  for (const d of r.dirs) dirs.push({ ...d, exists: (await statOf(sftp.value, d.path)) !== null });
  const planned: InstallPlan['files'] = [];
  for (const f of r.files) {
    const current = await readIfFile(sftp.value, f.target);
    if (current === 'lost')
      return { ok: false, error: session.lost() ?? { code: 'CONNECTION_LOST', message: 'The connection was lost while reading the host.' } };
    planned.push({
      from: f.from,
      target: f.target,
      mode: f.mode,
      secret: f.secret,
      replaces: current === null ? 'nothing' : sha256(current) === sha256(f.text) ? 'same bytes' : 'a different file',
    });
  }
  const needBytes = r.files.reduce((n, f) => n + Buffer.byteLength(f.text) * 2, 0);
  const plan: InstallPlan = {
    platform: platformId,
    variant,
    title: r.title,
    prefix,
    asRoot,
    dirs,
    files: planned,
    commands: [
      ...r.stop.map((c) => ({ phase: 'stop' as const, title: c.title, command: commandText(c, asRoot) })),
      ...r.start.map((c) => ({ phase: 'start' as const, title: c.title, command: commandText(c, asRoot) })),
    ],
    ...(freeKb ? { freeBytes: Number(freeKb) * 1024 } : {}),
    needBytes,
    notes: r.notes,
  };
  if (plan.freeBytes !== undefined && plan.freeBytes < needBytes) {
    return err(
      'IO_ERROR',
      `The install root has ${plan.freeBytes} bytes free and the files need about ${needBytes}; nothing was changed.`,
      'Free some space on the host (or choose another install root), then run the install again.',
    );
  }
  return ok({ plan, recipe: r });
}

type Stat = { mode: number; size: number; isDir: boolean } | null;

function statOf(sftp: SFTPWrapper, path: string): Promise<Stat> {
  return new Promise((resolve) => sftp.stat(path, (e, s) => resolve(e ? null : { mode: s.mode & 0o7777, size: s.size, isDir: s.isDirectory() })));
}

function readIfFile(sftp: SFTPWrapper, path: string): Promise<Buffer | null | 'lost'> {
  return new Promise((resolve) =>
    sftp.readFile(path, (e: (Error & { code?: number }) | null | undefined, data: Buffer) => {
      if (!e) return resolve(data);
      // SFTP status 2 (no such file) or 3 (a directory/permission): there is no file to replace.
      resolve(e.code === 2 || e.code === 3 || e.code === 4 ? null : 'lost');
    }),
  );
}

const sftpCall = <T = void>(what: string, fn: (cb: (e?: Error | null, v?: T) => void) => void): Promise<Result<T>> =>
  new Promise((resolve) => fn((e, v) => resolve(e ? err('IO_ERROR', `${what}: ${e.message}`) : ok(v as T))));

/**
 * Writes a new file (never over an existing one) with open/write/close, each answer checked, then
 * its size read back: a full disk must fail here, not leave an empty key behind (SFTP's write
 * stream can end "successfully" with nothing written).
 */
async function writeFileAt(sftp: SFTPWrapper, path: string, data: string | Buffer, mode: number): Promise<Result<void>> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const full = (e: Error | null | undefined): Result<void> =>
    err(
      'IO_ERROR',
      `writing ${path} failed on the host: ${e?.message ?? 'short write'} (a full disk or a read-only folder)`,
      "Free space on the host or fix the folder's permissions, then run the install again.",
    );
  const handle = await new Promise<Result<Buffer>>((resolve) => sftp.open(path, 'wx', { mode }, (e, h) => resolve(e ? (full(e) as Result<never>) : ok(h))));
  if (!handle.ok) return handle;
  const h = handle.value;
  let written = await new Promise<Result<void>>((resolve) => {
    if (bytes.length === 0) return resolve(ok(undefined));
    sftp.write(h, bytes, 0, bytes.length, 0, (e) => resolve(e ? full(e) : ok(undefined)));
  });
  const closed = await new Promise<Result<void>>((resolve) => sftp.close(h, (e) => resolve(e ? full(e) : ok(undefined))));
  if (written.ok) written = closed;
  if (!written.ok) return written;
  const st = await statOf(sftp, path);
  if (!st || st.size !== bytes.length) return full(new Error(`${st?.size ?? 0} of ${bytes.length} bytes arrived`));
  return sftpCall(`chmod ${path}`, (cb) => sftp.chmod(path, mode, cb));
}

async function mkdirs(sftp: SFTPWrapper, path: string, mode: number, created: string[]): Promise<Result<void>> {
  const s = await statOf(sftp, path);
  if (s?.isDir) return ok(undefined);
  if (s) return err('IO_ERROR', `${path} exists on the host and is not a folder.`, 'Move it aside or choose another install root.');
  const up = await mkdirs(sftp, parentOf(path), 0o755, created);
  if (!up.ok) return up;
  const made = await sftpCall(`creating ${path}`, (cb) => sftp.mkdir(path, { mode }, cb));
  if (!made.ok) return made;
  created.push(path);
  return sftpCall(`chmod ${path}`, (cb) => sftp.chmod(path, mode, cb));
}

/** A failed install, with what is on the host now. */
export interface InstallFailure {
  error: AppError;
  /** Files now in place (renamed over their targets); undo the record to put things back. */
  inPlace: string[];
  /** Temp files that could not be removed (the link was gone); harmless, named so they can be. */
  leftovers: string[];
  record: InstallRecord;
}

/**
 * Carries out a plan. Phase 1 (cancellable, changes nothing visible): folders, then every file
 * uploaded as `<target>.ao-tmp-<id>`. Phase 2: the stop commands, a backup of each file replaced
 * (`<target>.ao-backup-<stamp>`), each temp renamed over its target. Phase 3: the start commands,
 * their output streamed. Returns the record, or a failure saying exactly what is in place.
 */
export async function runRemoteInstall(
  session: HostSession,
  target: { host: string; port: number; user: string },
  planned: PlannedInstall,
  opts: { signal?: AbortSignal; onEvent?: (e: InstallEvent) => void; afterUpload?: (index: number) => Promise<void> | void } = {},
): Promise<{ ok: true; record: InstallRecord } | ({ ok: false } & InstallFailure)> {
  const { plan, recipe } = planned;
  const id = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const emit = (e: InstallEvent): void => opts.onEvent?.(e);
  const record: InstallRecord = {
    id,
    at: new Date().toISOString(),
    ...target,
    prefix: plan.prefix,
    platform: plan.platform,
    variant: plan.variant,
    files: [],
    dirsCreated: [],
    stop: recipe.stop,
    agentMade: recipe.agentMade,
    where: recipe.where,
  };
  const temps: string[] = [];
  const inPlace: string[] = [];
  const fail = async (error: AppError): Promise<{ ok: false } & InstallFailure> => {
    const leftovers: string[] = [];
    if (!session.lost()) {
      const s = await session.sftp();
      for (const t of temps) if (!s.ok || !(await sftpCall('remove', (cb) => s.value.unlink(t, cb))).ok) leftovers.push(t);
    } else leftovers.push(...temps);
    return { ok: false, error, inPlace, leftovers, record };
  };
  const stopped = (): AppError | undefined =>
    opts.signal?.aborted
      ? {
          code: 'CANCELLED',
          message: inPlace.length ? `Cancelled after ${inPlace.length} file(s) were in place.` : 'Cancelled before anything on the host changed.',
        }
      : session.lost();

  const sftp = await session.sftp();
  if (!sftp.ok) return fail(sftp.error);
  emit({ kind: 'step', text: 'Creating folders' });
  for (const d of recipe.dirs) {
    const made = await mkdirs(sftp.value, d.path, d.mode, record.dirsCreated);
    if (!made.ok) return fail(session.lost() ?? made.error);
  }
  const toWrite = recipe.files.filter((f, i) => plan.files[i]?.replaces !== 'same bytes');
  for (const [i, f] of toWrite.entries()) {
    const gone = stopped();
    if (gone) return fail(gone);
    emit({ kind: 'step', text: `Uploading ${f.target}` });
    const temp = `${f.target}.ao-tmp-${id}`;
    temps.push(temp);
    const w = await writeFileAt(sftp.value, temp, f.text, f.mode);
    if (!w.ok) return fail(session.lost() ?? w.error);
    emit({ kind: 'progress', done: i + 1, total: toWrite.length });
    await opts.afterUpload?.(i);
  }
  const gone = stopped();
  if (gone) return fail(gone);

  // Only a root where this install replaces something can have a previous one running.
  const replacing = plan.files.some((f) => f.replaces !== 'nothing');
  if (replacing) emit({ kind: 'step', text: 'Stopping what a previous install runs' });
  for (const c of replacing ? recipe.stop : []) {
    const r = await session.exec(commandText(c, plan.asRoot), { onOutput: (text) => emit({ kind: 'output', text }) });
    if (!r.ok) return fail(r.error);
  }
  const stamp = id;
  for (const f of recipe.files) {
    const temp = `${f.target}.ao-tmp-${id}`;
    const entry: InstallRecord['files'][number] = { target: f.target, sha256: sha256(f.text), mode: f.mode };
    if (!temps.includes(temp)) {
      record.files.push(entry);
      continue;
    }
    const existing = await readIfFile(sftp.value, f.target);
    if (existing === 'lost') return fail(session.lost() ?? { code: 'CONNECTION_LOST', message: 'The connection was lost.' });
    if (existing !== null) {
      const backup = `${f.target}.ao-backup-${stamp}`;
      const st = await statOf(sftp.value, f.target);
      const b = await writeFileAt(sftp.value, backup, existing, st?.mode ?? 0o600);
      if (!b.ok) return fail(session.lost() ?? b.error);
      entry.backup = backup;
    }
    const moved = await sftpCall(`renaming over ${f.target}`, (cb) => sftp.value.ext_openssh_rename(temp, f.target, cb));
    if (!moved.ok) return fail(session.lost() ?? moved.error);
    temps.splice(temps.indexOf(temp), 1);
    inPlace.push(f.target);
    record.files.push(entry);
  }

  const cancelled = stopped();
  if (cancelled) return fail(cancelled);
  emit({ kind: 'step', text: 'Starting the agent' });
  for (const c of recipe.start) {
    const r = await session.exec(commandText(c, plan.asRoot), {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onOutput: (text) => emit({ kind: 'output', text }),
    });
    if (!r.ok) return fail(r.error);
    if (r.value.code !== 0 && !c.mayFail) {
      return fail({
        code: 'REMOTE_FAILED',
        message: `${c.title} failed (exit ${r.value.code}): ${(r.value.stderr || r.value.stdout).trim().slice(0, 300)}`,
        hint: 'The files are in place; fix the cause shown, then run the install again (it replaces nothing twice) or undo it.',
      });
    }
  }
  return { ok: true, record };
}
