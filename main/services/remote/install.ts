/**
 * Installs generated files on an agent host over one SSH session, with the local writer's
 * guarantees: the plan first (each file's target, mode and what it replaces; each command), every
 * file uploaded beside its target as a temp file and renamed over it only when all uploads
 * succeeded, secrets at 0600, a backup of anything replaced, no secret on a command line (file
 * contents travel inside SFTP only). A lost link or a Cancel during the uploads leaves the host as
 * it was (the temp files are removed, or named when the link is gone); after that, the report says
 * exactly which files are in place, and the record lets undo put them back.
 *
 * A login user that is not root and cannot write the install root (or must hand files to a service
 * user) installs with passwordless sudo: every file is uploaded over SFTP into a private staging
 * folder the login user owns (0700, files 0600), then `sudo -n` copies each beside its target as a
 * temp file (owner and mode set there), backs up what it replaces and renames it into place; a
 * failure part-way moves everything back. Only paths go on those command lines.
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
  /** Files are moved into place with `sudo -n` from a private staging folder (a login user that is not root and cannot place them itself). */
  sudo: boolean;
  /** Who the agent runs as (root when a start command needs root, else the login user); the folders it made are theirs. */
  runsAs: string;
  dirs: { path: string; mode: number; exists: boolean }[];
  files: { from: string; target: string; mode: number; secret: boolean; owner: string; replaces: 'nothing' | 'same bytes' | 'a different file' }[];
  commands: { phase: 'prepare' | 'stop' | 'start'; title: string; command: string }[];
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
  /** Placed with `sudo -n` by a login user that is not root: undo moves things with `sudo -n` too. */
  sudo?: boolean;
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

/** `sudo -n sh -c SCRIPT sh ARGS…`: a fixed script, the paths as its arguments (never file contents). */
export function sudoSh(script: string, args: string[]): string {
  return `sudo -n sh -c ${shellWord(script)} sh${args.map((a) => ` ${shellWord(a)}`).join('')}`;
}

const SUDO_HINT =
  'Allow the login user passwordless sudo (a sudoers rule), log in as root with a key, or choose an install root (--prefix) the login user owns. This app never types a sudo password.';

/** SUDO_PASSWORD_REQUIRED unless `sudo -n` works for the login user; `what` says why root is needed. */
export async function checkSudo(session: HostSession, what: string): Promise<Result<void>> {
  const sudo = await session.exec('sudo -n true');
  if (!sudo.ok) return sudo;
  if (sudo.value.code === 0) return ok(undefined);
  const why = (sudo.value.stderr || sudo.value.stdout).trim().split('\n')[0] ?? '';
  return err(
    'SUDO_PASSWORD_REQUIRED',
    `${what}, and sudo on the host asks for a password (${why || `exit ${sudo.value.code}`}); nothing was changed.`,
    SUDO_HINT,
  );
}

/**
 * What each path holds, read as root with `sudo -n` (a login user cannot read a root-owned 0600
 * secret or look into a 0700 folder): the SHA-256 of a regular file, 'dir', 'other', or null.
 */
export async function sudoLook(session: HostSession, paths: string[]): Promise<Result<(string | 'dir' | 'other' | null)[]>> {
  if (paths.length === 0) return ok([]);
  const script =
    'for p; do if [ -L "$p" ]; then echo OTHER; elif [ -f "$p" ]; then h=$(sha256sum < "$p") || exit 1; echo "H ${h%% *}"; elif [ -d "$p" ]; then echo DIR; elif [ -e "$p" ]; then echo OTHER; else echo NONE; fi; done';
  const r = await session.exec(sudoSh(script, paths));
  if (!r.ok) return r;
  const lines = r.value.stdout.split('\n').filter(Boolean);
  if (r.value.code !== 0 || lines.length !== paths.length)
    return err('REMOTE_FAILED', `Reading the targets with sudo failed (exit ${r.value.code}): ${(r.value.stderr || r.value.stdout).trim().slice(0, 300)}`);
  return ok(lines.map((l) => (l.startsWith('H ') ? l.slice(2) : l === 'DIR' ? 'dir' : l === 'OTHER' ? 'other' : null)));
}

/** How long a failed install may spend removing its temporary files before it answers. */
const CLEANUP_MS = 15_000;

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
    'echo "LOGIN $(id -un)"',
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
  const loginUser = /^LOGIN (.+)$/m.exec(out)?.[1]?.trim() ?? '';
  const handsOver = r.files.some((f) => f.owner && f.owner !== loginUser);
  // Files go into place with sudo when the login user cannot write there, or must hand them to another owner.
  const useSudo = !asRoot && (Boolean(notWritable) || handsOver);
  const needsRoot = [...r.start, ...(r.prepare ?? [])].some((c) => c.privileged) || useSudo;
  if (needsRoot && !asRoot) {
    const sudo = await checkSudo(
      session,
      `This install needs root on the host${notWritable ? ` (${notWritable} is not writable by the login user ${loginUser})` : handsOver ? ' (its files belong to a service user)' : ''}`,
    );
    if (!sudo.ok) return sudo;
  }
  const freeKb = /^FREE_KB (\d+)$/m.exec(out)?.[1];

  const sftp = await session.sftp();
  if (!sftp.ok) return sftp;
  const dirs: InstallPlan['dirs'] = [];
  const planned: InstallPlan['files'] = [];
  // Who the agent runs as: root when its start needs root, else the login user (ArmorCode's own supervisord); its files are theirs.
  const runsAs = asRoot || r.start.some((c) => c.privileged) ? 'root' : loginUser;
  // A file of the plan, from what its target holds now: null (nothing) or the SHA-256 of its bytes.
  const plannedFile = (f: HostRecipe['files'][number], now: string | null): InstallPlan['files'][number] => ({
    from: f.from,
    target: f.target,
    mode: f.mode,
    secret: f.secret,
    owner: f.owner ?? runsAs,
    replaces: now === null ? 'nothing' : now === sha256(f.text) ? 'same bytes' : 'a different file',
  });
  if (useSudo) {
    // Read as root: the login user may not see into the targets' folders.
    const looked = await sudoLook(session, [...r.dirs.map((d) => d.path), ...r.files.map((f) => f.target)]);
    if (!looked.ok) return { ok: false, error: session.lost() ?? looked.error };
    r.dirs.forEach((d, i) => dirs.push({ ...d, exists: looked.value[i] !== null }));
    r.files.forEach((f, i) => planned.push(plannedFile(f, looked.value[r.dirs.length + i] ?? null)));
  } else {
    for (const d of r.dirs) dirs.push({ ...d, exists: (await statOf(sftp.value, d.path)) !== null });
    for (const f of r.files) {
      const current = await readIfFile(sftp.value, f.target);
      if (current === 'lost')
        return { ok: false, error: session.lost() ?? { code: 'CONNECTION_LOST', message: 'The connection was lost while reading the host.' } };
      planned.push(plannedFile(f, current === null ? null : sha256(current)));
    }
  }
  if (runsAs !== 'root') {
    const blocked = await blockedFolders(session, r, dirs, runsAs);
    if (!blocked.ok) return { ok: false, error: session.lost() ?? blocked.error };
    if (blocked.value.length)
      return err(
        'IO_ERROR',
        `The agent runs as ${runsAs}, who cannot use ${blocked.value.map((b) => `${b.path} (${b.what})`).join(', ')}; nothing was changed.`,
        `These folders existed before this install, and it does not change folders it did not make. On the host, give them to ${runsAs} (${blocked.value
          .map((b) => `chown ${shellWord(`${runsAs}:`)} ${shellWord(b.path)}`)
          .join('; ')}, as root) or remove them, then run the install again.`,
      );
  }
  const needBytes = r.files.reduce((n, f) => n + Buffer.byteLength(f.text) * 2, 0);
  const plan: InstallPlan = {
    platform: platformId,
    variant,
    title: r.title,
    prefix,
    asRoot,
    sudo: useSudo,
    runsAs,
    dirs,
    files: planned,
    commands: [
      ...(r.prepare ?? []).map((c) => ({ phase: 'prepare' as const, title: c.title, command: commandText(c, asRoot) })),
      ...r.stop.map((c) => ({ phase: 'stop' as const, title: c.title, command: commandText(c, asRoot) })),
      ...r.start.map((c) => ({ phase: 'start' as const, title: c.title, command: commandText(c, asRoot) })),
    ],
    ...(freeKb ? { freeBytes: Number(freeKb) * 1024 } : {}),
    needBytes,
    notes: useSudo
      ? [
          `Files are uploaded to a private staging folder of ${loginUser} on the host (mode 0700), then moved into place with sudo -n (backup, temp file, owner and mode, rename); the staging folder is removed at the end.`,
          ...r.notes,
        ]
      : r.notes,
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

/**
 * The recipe's folders that already exist and that the agent's user (the login user, checked as
 * that user) could not use once installed: every folder must be readable and enterable, and a
 * folder the install puts no file in (a log or run folder, there for the agent to write into) must
 * also be writable. Found at plan time: the install keeps existing folders as they are (changing
 * the owner or mode of a folder it did not make is not something undo could put back, and may undo
 * a lockdown made on purpose), so the user is told the one command that fixes it.
 */
async function blockedFolders(session: HostSession, r: HostRecipe, dirs: InstallPlan['dirs'], user: string): Promise<Result<{ path: string; what: string }[]>> {
  const existing = dirs.filter((d) => d.exists);
  if (existing.length === 0) return ok([]);
  const args = existing.flatMap((d) => [d.path, r.files.some((f) => parentOf(f.target) === d.path) ? 'r' : 'rw']);
  const script =
    'while [ $# -gt 0 ]; do d=$1; need=$2; shift 2; miss=; [ -x "$d" ] || miss="$miss enter"; [ -r "$d" ] || miss="$miss read"; if [ "$need" = rw ] && [ ! -w "$d" ]; then miss="$miss write"; fi; [ -z "$miss" ] || echo "BLOCKED$miss|$d"; done';
  const res = await session.exec(`sh -c ${shellWord(script)} sh ${args.map((a) => shellWord(a)).join(' ')}`);
  if (!res.ok) return res;
  if (res.value.code !== 0) return err('REMOTE_FAILED', `Checking the folders as ${user} failed: ${res.value.stderr.trim().slice(0, 300)}`);
  return ok(
    [...res.value.stdout.matchAll(/^BLOCKED ([a-z ]+)\|(.+)$/gm)].map((m) => ({
      path: m[2]!,
      what: `it cannot ${m[1]!.split(' ').join(', ')} it`,
    })),
  );
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
    const leftovers = [...temps];
    const cleanUp = async (): Promise<void> => {
      if (session.lost()) return;
      const s = await session.sftp();
      if (!s.ok) return;
      for (const t of temps) if ((await sftpCall('remove', (cb) => s.value.unlink(t, cb))).ok) leftovers.splice(leftovers.indexOf(t), 1);
      // Nothing in place: the folders this install made go too (rmdir: only while empty), so the host is as it was.
      if (inPlace.length === 0 && leftovers.length === 0) {
        for (const d of [...record.dirsCreated].reverse())
          if ((await sftpCall('rmdir', (cb) => s.value.rmdir(d, cb))).ok) record.dirsCreated.splice(record.dirsCreated.indexOf(d), 1);
      }
    };
    // A connection that has just died may not have said so yet (its requests fail before the
    // client's close event): the clean-up is bounded, and what it did not remove is named.
    await Promise.race([cleanUp(), new Promise<void>((r) => setTimeout(r, CLEANUP_MS).unref())]);
    const lost = error.code === 'CANCELLED' ? undefined : session.lost();
    return { ok: false, error: lost ?? error, inPlace, leftovers: [...leftovers], record: { ...record, dirsCreated: [...record.dirsCreated] } };
  };
  const stopped = (): AppError | undefined =>
    opts.signal?.aborted
      ? {
          code: 'CANCELLED',
          message: inPlace.length ? `Cancelled after ${inPlace.length} file(s) were in place.` : 'Cancelled before anything on the host changed.',
        }
      : session.lost();

  // What the files need (their owner) first: nothing of this install is on the host yet.
  for (const c of recipe.prepare ?? []) {
    const gone = stopped();
    if (gone) return fail(gone);
    emit({ kind: 'step', text: c.title });
    const r = await session.exec(commandText(c, plan.asRoot), { onOutput: (text) => emit({ kind: 'output', text }) });
    if (!r.ok) return fail(r.error);
    if (r.value.code !== 0) return fail(scriptError(c.title, r.value));
  }
  if (plan.sudo) {
    record.sudo = true;
    const placed = await placeWithSudo(session, planned, record, opts);
    if (!placed.ok) return { ok: false, ...placed.failure };
    inPlace.push(...placed.inPlace);
    return startAgent();
  }

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
    if (f.owner) {
      // A service user named by the recipe (only root may hand a file over).
      const own = await session.exec(`chown ${shellWord(`${f.owner}:`)} ${shellWord(temp)}`);
      if (!own.ok) return fail(own.error);
      if (own.value.code !== 0) return fail({ code: 'REMOTE_FAILED', message: `chown ${f.owner} ${temp} failed: ${own.value.stderr.trim().slice(0, 300)}` });
    }
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

  return startAgent();

  async function startAgent(): Promise<{ ok: true; record: InstallRecord } | ({ ok: false } & InstallFailure)> {
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
}

/** Every folder from the top down to `path` (not '/'), each with the mode to create it with. */
function chain(path: string, mode: number, owner: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.flatMap((_, i) => {
    const last = i === parts.length - 1;
    return [`/${parts.slice(0, i + 1).join('/')}`, (last ? mode : 0o755).toString(8), last ? `${owner}:` : '-'];
  });
}

const FULL_DISK_HINT = "Free space on the host or fix the folder's permissions, then run the install again.";

/** A sudo script's failure as an AppError: a full disk is IO_ERROR with what to do. */
function scriptError(what: string, r: { code: number | null; stdout: string; stderr: string }): AppError {
  const text = (r.stderr || r.stdout).trim().slice(0, 400);
  if (/No space left|Disk quota|Read-only file system/i.test(text))
    return { code: 'IO_ERROR', message: `${what} failed on the host: ${text} (a full disk or a read-only folder)`, hint: FULL_DISK_HINT };
  if (/password is required|a terminal is required/i.test(text))
    return { code: 'SUDO_PASSWORD_REQUIRED', message: `${what}: sudo on the host now asks for a password (${text}).`, hint: SUDO_HINT };
  return { code: 'REMOTE_FAILED', message: `${what} failed on the host (exit ${r.code}): ${text}` };
}

/**
 * The sudo path: stage every file over SFTP in a private folder (cancellable, nothing visible
 * changes), then as root: create the folders, copy each staged file beside its target as a temp
 * file with its owner and mode, stop a previous install, back up and rename each into place. A
 * failure moves back what was moved and removes the temps and the folders it made. Returns the
 * files in place, or the failure with what is in place (only when the link dropped part-way).
 */
async function placeWithSudo(
  session: HostSession,
  planned: PlannedInstall,
  record: InstallRecord,
  opts: { signal?: AbortSignal; onEvent?: (e: InstallEvent) => void; afterUpload?: (index: number) => Promise<void> | void },
): Promise<{ ok: true; inPlace: string[] } | { ok: false; failure: InstallFailure }> {
  const { plan, recipe } = planned;
  const id = record.id;
  const emit = (e: InstallEvent): void => opts.onEvent?.(e);
  const staged: { path?: string } = {};
  const temps: string[] = [];
  const inPlace: string[] = [];
  const leftovers: string[] = [];
  const stopped = (): AppError | undefined =>
    opts.signal?.aborted ? { code: 'CANCELLED', message: 'Cancelled before anything on the host changed.' } : session.lost();

  /** Puts the host back as it was (temps, folders made, staging), or names what could not be. */
  const fail = async (error: AppError): Promise<{ ok: false; failure: InstallFailure }> => {
    if (session.lost()) {
      leftovers.push(...temps, ...(staged.path ? [staged.path] : []));
      return { ok: false, failure: { error, inPlace, leftovers, record } };
    }
    const clean = await session.exec(
      sudoSh('for p; do case "$p" in -d) mode=d ;; *) if [ "$mode" = d ]; then rmdir "$p" 2>/dev/null; else rm -f "$p"; fi ;; esac; done; exit 0', [
        ...temps,
        '-d',
        ...[...record.dirsCreated].reverse(),
      ]),
    );
    if (!clean.ok || clean.value.code !== 0) leftovers.push(...temps);
    else record.dirsCreated = [];
    if (staged.path) {
      const rm = await session.exec(`rm -rf -- ${shellWord(staged.path)}`);
      if (!rm.ok || rm.value.code !== 0) leftovers.push(staged.path);
    }
    return { ok: false, failure: { error, inPlace, leftovers, record } };
  };

  let gone = stopped();
  if (gone) return fail(gone);
  // 1. The private staging folder, and every file uploaded into it (0600: only the login user reads them).
  const made = await session.exec('umask 077; mktemp -d "${TMPDIR:-/tmp}/agent-onboard-stage.XXXXXXXX"');
  if (!made.ok) return fail(made.error);
  const stagePath = made.value.stdout.trim();
  if (made.value.code !== 0 || !stagePath.startsWith('/')) return fail(scriptError('Creating a private staging folder (mktemp -d)', made.value));
  staged.path = stagePath;
  const sftp = await session.sftp();
  if (!sftp.ok) return fail(sftp.error);
  const toWrite = recipe.files.map((f, i) => ({ f, i })).filter(({ i }) => plan.files[i]?.replaces !== 'same bytes');
  for (const [n, { f, i }] of toWrite.entries()) {
    gone = stopped();
    if (gone) return fail(gone);
    emit({ kind: 'step', text: `Uploading ${f.target} (to the staging folder ${stagePath})` });
    const w = await writeFileAt(sftp.value, `${stagePath}/${i}`, f.text, 0o600);
    if (!w.ok) return fail(session.lost() ?? w.error);
    emit({ kind: 'progress', done: n + 1, total: toWrite.length });
    await opts.afterUpload?.(n);
  }
  gone = stopped();
  if (gone) return fail(gone);

  // 2. As root: the folders, then each staged file copied beside its target as a temp with its owner and mode.
  emit({ kind: 'step', text: 'Creating folders (sudo -n)' });
  const dirArgs = recipe.dirs.flatMap((d) => chain(d.path, d.mode, plan.runsAs));
  if (dirArgs.length) {
    const dirs = await session.exec(
      sudoSh(
        'while [ $# -gt 0 ]; do if [ -d "$1" ]; then :; elif [ -e "$1" ] || [ -L "$1" ]; then echo "$1 exists and is not a folder" >&2; exit 3; else mkdir -m "$2" "$1" || exit 4; echo "CREATED $1"; if [ "$3" != - ]; then chown "$3" "$1" || exit 4; fi; fi; shift 3; done',
        dirArgs,
      ),
    );
    if (!dirs.ok) return fail(dirs.error);
    for (const m of dirs.value.stdout.matchAll(/^CREATED (.+)$/gm)) record.dirsCreated.push(m[1]!);
    if (dirs.value.code !== 0) return fail(scriptError('Creating the folders', dirs.value));
  }
  emit({ kind: 'step', text: 'Copying the files beside their targets (sudo -n)' });
  const copyArgs = toWrite.flatMap(({ f, i }) => [`${stagePath}/${i}`, `${f.target}.ao-tmp-${id}`, `${plan.files[i]!.owner}:`, f.mode.toString(8)]);
  const copied = await session.exec(
    sudoSh(
      'umask 077; while [ $# -gt 0 ]; do if [ -e "$2" ] || [ -L "$2" ]; then echo "$2 already exists" >&2; exit 3; fi; echo "TEMP $2"; cp "$1" "$2" && chown "$3" "$2" && chmod "$4" "$2" || exit 4; shift 4; done',
      copyArgs,
    ),
  );
  if (!copied.ok) return fail(copied.error);
  for (const m of copied.value.stdout.matchAll(/^TEMP (.+)$/gm)) temps.push(m[1]!);
  if (copied.value.code !== 0) return fail(scriptError('Copying the files beside their targets', copied.value));
  gone = stopped();
  if (gone) return fail(gone);

  // 3. A previous install stopped, then each file backed up and renamed into place; a failure moves them back.
  const replacing = plan.files.some((f) => f.replaces !== 'nothing');
  if (replacing) emit({ kind: 'step', text: 'Stopping what a previous install runs' });
  for (const c of replacing ? recipe.stop : []) {
    const r = await session.exec(commandText(c, false), { onOutput: (text) => emit({ kind: 'output', text }) });
    if (!r.ok) return fail(r.error);
  }
  emit({ kind: 'step', text: 'Moving the files into place (sudo -n)' });
  const moveArgs = toWrite.flatMap(({ f }) => [`${f.target}.ao-tmp-${id}`, f.target, `${f.target}.ao-backup-${id}`]);
  const moved = await session.exec(
    sudoSh(
      'while [ $# -gt 0 ]; do if [ -d "$2" ] && [ ! -L "$2" ]; then echo "$2 is a folder, not a file" >&2; exit 4; fi; if [ -e "$2" ]; then cp -p "$2" "$3" || exit 4; echo "BACKUP $2"; fi; mv -f "$1" "$2" || exit 5; echo "MOVED $2"; shift 3; done',
      moveArgs,
    ),
  );
  const movedNow = moved.ok ? [...moved.value.stdout.matchAll(/^MOVED (.+)$/gm)].map((m) => m[1]!) : [];
  const backedUp = moved.ok ? new Set([...moved.value.stdout.matchAll(/^BACKUP (.+)$/gm)].map((m) => m[1]!)) : new Set<string>();
  for (const t of movedNow) temps.splice(temps.indexOf(`${t}.ao-tmp-${id}`), 1);
  if (!moved.ok || moved.value.code !== 0) {
    const error = moved.ok ? scriptError('Moving the files into place', moved.value) : moved.error;
    if (!moved.ok) {
      // The link dropped while the moves ran: which finished is not known here.
      inPlace.push(...toWrite.map(({ f }) => f.target));
      return fail({ ...error, hint: 'Connect again and undo this install (its record names every file), or run the install again.' });
    }
    // Roll back: each moved file gets its backup back (or goes, when it was new); backups of unmoved ones go.
    const back = toWrite.flatMap(({ f }) => [
      f.target,
      `${f.target}.ao-backup-${id}`,
      movedNow.includes(f.target) ? 'moved' : '-',
      backedUp.has(f.target) ? 'b' : '-',
    ]);
    const rolled = await session.exec(
      sudoSh(
        'while [ $# -gt 0 ]; do if [ "$3" = moved ]; then if [ "$4" = b ]; then mv -f "$2" "$1" || exit 1; else rm -f "$1" || exit 1; fi; elif [ "$4" = b ]; then rm -f "$2"; fi; shift 4; done',
        back,
      ),
    );
    if (!rolled.ok || rolled.value.code !== 0) inPlace.push(...movedNow);
    return fail({ ...error, message: `${error.message}${rolled.ok && rolled.value.code === 0 ? ' Every file moved so far was moved back.' : ''}` });
  }
  for (const { f } of toWrite) {
    inPlace.push(f.target);
  }
  for (const [i, f] of recipe.files.entries()) {
    record.files.push({
      target: f.target,
      sha256: sha256(f.text),
      mode: f.mode,
      ...(backedUp.has(f.target) && plan.files[i]?.replaces !== 'same bytes' ? { backup: `${f.target}.ao-backup-${id}` } : {}),
    });
  }
  const rm = await session.exec(`rm -rf -- ${shellWord(stagePath)}`);
  if (!rm.ok || rm.value.code !== 0)
    emit({ kind: 'output', text: `The staging folder ${stagePath} could not be removed; it holds copies of the files (0600, yours).\n` });
  return { ok: true, inPlace };
}
