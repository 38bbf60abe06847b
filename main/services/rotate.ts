/**
 * Token rotation in existing installs, for every platform with updaters: find the files that hold
 * the token (given files, or every file a platform's updater recognises under given folders),
 * compute each in-place edit and its diff (token values masked), then write them all-or-nothing
 * through the file service, with backups, refusing any file that changed since it was read. The
 * result says what changed where, how to restart and verify each install type, and how to retire
 * the old token.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { unifiedDiff } from '../../shared/diff';
import { getPlatform } from '../../shared/platforms';
import type { AnyPlatform, Change, Command, PlatformId, Updater } from '../../shared/platforms/types';
import { err, ok, type AppError, type Result } from '../../shared/result';
import type { Finding, Leftover, RotationPlan, RotationReport } from '../../shared/rotation';
import { isTokenValue, maskSecrets, maskValues, replacedValueSpans, valueForms } from '../../shared/token-finders';
import { checkToken, maskToken } from '../../shared/tokens';
import { readSnapshot, sha256, writeFilesAtomic, type WriteRequest } from './files';
import { UserFileError } from './user-file';

/** Limits of a folder search, so a mistaken `/` cannot run away. */
export const SEARCH_LIMITS = { depth: 6, entries: 20_000, fileBytes: 2 * 1024 * 1024 };
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.terraform', '.venv']);
const OUR_FILES = /\.bak-\d{8}T\d{6}Z(-\d+)?$|\.tmp-ao-[0-9a-f]+$/;

/** One file's planned edit, with what the public finding does not carry (texts, hashes). */
interface PlannedEdit {
  finding: Finding;
  sha256: string | null;
  /** The token values the edit replaces (as the updater located them), for the leftover search. */
  oldValues?: string[];
  mode?: number;
  newText?: string;
  updater?: Updater;
}

/** A rotation plan as the main process keeps it between preview and apply. */
export interface InternalPlan {
  plan: RotationPlan;
  edits: PlannedEdit[];
  tokenSha256: string;
}

export interface RotateRequest {
  platform: PlatformId;
  paths: string[];
  uploads?: { name: string; text: string }[];
  uploadDir?: string;
  /** The new token as pasted (it is cleaned and checked here). */
  token: string;
  cwd?: string;
}

/** Where the token checks say this token belongs, or why it does not. */
function checkNewToken(platform: AnyPlatform, raw: string): Result<{ token: string; info: RotationPlan['token'] }> {
  if (platform.credential.kind !== 'token' || platform.updaters.length === 0) return err('BAD_INPUT', `${platform.name} has no token to rotate.`);
  const v = checkToken(platform.credential.token, raw);
  if (v.verdict === 'wrong-kind') return err('TOKEN_WRONG_KIND', v.message, `Get the right one from ${v.where}`);
  if (v.verdict === 'invalid') return err('TOKEN_INVALID', v.message, `Get it from ${v.where}`);
  return ok({
    token: v.token,
    info: { kindName: v.kindName, message: v.note ? `${v.message} ${v.note}` : v.message, cleaned: v.cleaned, masked: maskToken(v.token) },
  });
}

/** Every regular file under `root` (depth- and count-limited), skipping VCS folders, links and our backups. */
async function listFiles(root: string, skipped: string[]): Promise<string[]> {
  const out: string[] = [];
  let entries = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > SEARCH_LIMITS.depth || entries > SEARCH_LIMITS.entries) return;
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      skipped.push(`${dir}: cannot be read`);
      return;
    }
    for (const name of names) {
      if (++entries > SEARCH_LIMITS.entries) {
        skipped.push(`${root}: stopped after ${SEARCH_LIMITS.entries} entries; point at a smaller folder`);
        return;
      }
      const full = path.join(dir, name);
      const info = await lstat(full).catch(() => undefined);
      if (!info || info.isSymbolicLink()) continue;
      if (info.isDirectory()) {
        if (!SKIP_DIRS.has(name)) await walk(full, depth + 1);
      } else if (info.isFile() && !OUR_FILES.test(name) && info.size <= SEARCH_LIMITS.fileBytes) out.push(full);
    }
  };
  await walk(root, 0);
  return out;
}

/** The file an updater names inside an install folder (e.g. <bamboo-agent-home>/conf/wrapper.conf), when the folder has it. */
async function homeFileIn(platform: AnyPlatform, dir: string): Promise<string | undefined> {
  for (const rel of platform.updaters.flatMap((u) => u.homeFiles ?? [])) {
    const file = path.join(dir, rel);
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

const NON_SECRET_SPANS = new Set(['delegateToken', 'accountSecret']);

/** Replaces the spans of `ranges` in `text` with `mask` (right to left so offsets hold). */
function maskSpans(text: string, ranges: [number, number][], mask: string): string {
  let out = text;
  for (const [s, e] of [...ranges].sort((a, b) => b[0] - a[0])) {
    const span = out.slice(s, e);
    if (NON_SECRET_SPANS.has(span) || e <= s) continue;
    // Keep the quotes around a value, so the diff still shows its quoting style.
    const q = span.length >= 2 && /^["']$/.test(span[0]!) && span.at(-1) === span[0] ? span[0]! : '';
    out = out.slice(0, s) + q + mask + q + out.slice(e);
  }
  return out;
}

/** A unified diff in which no token value appears: edited spans, or failing that whole edited lines, are masked. */
export function maskedDiff(oldText: string, newText: string, changes: Change[], name: string, known: readonly string[] = []): string {
  if (changes.length > 0 && changes.every((c) => c.oldRange && c.newRange)) {
    const oldMasked = maskSpans(
      oldText,
      changes.map((c) => c.oldRange!),
      '«old token»',
    );
    const newMasked = maskSpans(
      newText,
      changes.map((c) => c.newRange!),
      '«new token»',
    );
    // The values the edit replaced, and the new token, are masked wherever else they appear (context lines).
    return unifiedDiff(maskValues(oldMasked, known), maskValues(newMasked, known), name);
  }
  return unifiedDiff(maskSecrets(oldText, name, known), maskSecrets(newText, name, known), name)
    .split('\n')
    .map((l) => (/^[-+](?![-+]{2} )/.test(l) ? `${l[0]}${/^[-+]\s*/.exec(l)![0].slice(1)}«line hidden: it holds a token»` : l))
    .join('\n');
}

function finding(p: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { path: p, status, changes: [], notes: [], diff: '', ...extra };
}

function asError(e: AppError): Finding['error'] {
  return e.hint === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, hint: e.hint };
}

/** Plans one file: which updater knows it, the edit and its masked diff. */
function planFile(platform: AnyPlatform, display: string, text: string, token: string, explicit: boolean): PlannedEdit | undefined {
  const updater = platform.updaters.find((u) => u.detect(display, text));
  if (!updater) {
    if (!explicit) return undefined;
    return {
      finding: finding(display, 'unknown', {
        error: { code: 'UNKNOWN_FORMAT', message: `${display} is not a file ${platform.name} keeps its token in (no known format matched).` },
      }),
      sha256: null,
    };
  }
  const u = { id: updater.id, name: updater.name };
  const rotated = updater.rotate(text, token);
  if (!rotated.ok) return { finding: finding(display, 'refused', { updater: u, error: asError(rotated.error) }), sha256: null, updater };
  const { text: newText, changes, notes = [] } = rotated.value;
  const oldValues = [...new Set(replacedValueSpans(text, newText, changes, token).map((s) => text.slice(s.start, s.end)))].filter(isTokenValue);
  const status: Finding['status'] = newText !== text ? 'change' : holdsNoToken(updater, text, token) ? 'no-token' : 'same';
  return {
    finding: finding(display, status, {
      updater: u,
      changes: changes.map((c) => ({ line: c.line, what: c.what })),
      notes,
      diff: newText === text ? '' : maskedDiff(text, newText, changes, path.basename(display), [token, ...oldValues]),
    }),
    sha256: null,
    newText,
    oldValues,
    updater,
  };
}

/** True when the updater found nowhere to put the token (as opposed to: it is already there). */
function holdsNoToken(updater: Updater, text: string, token: string): boolean {
  // Rotating to a different probe value tells "already holds this token" from "holds no token".
  const probe = updater.rotate(text, token === 'AgentOnboardProbe0' ? 'AgentOnboardProbe1' : 'AgentOnboardProbe0');
  return probe.ok && probe.value.text === text;
}

/** The restart and verify commands for what the plan touches, in file order, without repeats. */
function commandsFor(edits: PlannedEdit[], tokenSha: string): (Command & { file?: string })[] {
  const seen = new Set<string>();
  const out: (Command & { file?: string })[] = [];
  for (const e of edits) {
    if (!e.updater || (e.finding.status !== 'change' && e.finding.status !== 'same')) continue;
    const list = e.updater.commandsFor?.(e.newText ?? '', e.finding.path) ?? e.updater.commands;
    for (const c of list) {
      const command = c.command.replaceAll('<new-token-sha256>', tokenSha);
      if (seen.has(command)) continue;
      seen.add(command);
      out.push({ ...c, title: c.title.replaceAll('<new-token-sha256>', `${tokenSha.slice(0, 16)}…`), command, file: e.finding.path });
    }
  }
  return out;
}

/**
 * Finds every place the token lives under `req.paths` (and in dropped files) and plans the edits.
 * Failure codes: BAD_INPUT (unknown platform, nothing to search), TOKEN_INVALID /
 * TOKEN_WRONG_KIND (the new token), NOT_FOUND (a given path does not exist). Per-file problems
 * (unreadable, unknown format, a value a format cannot hold) are findings, and make the plan not ready.
 */
export async function planRotation(req: RotateRequest, planId: string): Promise<Result<InternalPlan>> {
  const platform = getPlatform(req.platform);
  if (!platform) return err('BAD_INPUT', `Unknown platform '${req.platform}'.`);
  const checked = checkNewToken(platform, req.token);
  if (!checked.ok) return checked;
  const { token } = checked.value;
  const cwd = req.cwd ?? process.cwd();
  const edits: PlannedEdit[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  let ignored = 0;

  const consider = async (file: string, explicit: boolean): Promise<void> => {
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      real = file;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let snap;
    try {
      snap = await readSnapshot(real);
    } catch (e) {
      const notRegular = e instanceof UserFileError;
      edits.push({
        finding: finding(real, 'unreadable', {
          error: {
            code: 'IO_ERROR',
            message: notRegular ? e.message : `${real} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`,
            hint: notRegular ? 'Give the config file itself: only regular files are read.' : 'Run as a user who can read it (often root or the agent user).',
          },
        }),
        sha256: null,
      });
      return;
    }
    if (!snap.exists || snap.text === undefined) return;
    if (looksBinary(snap.text)) {
      if (explicit)
        edits.push({ finding: finding(real, 'unknown', { error: { code: 'UNKNOWN_FORMAT', message: `${real} is a binary file.` } }), sha256: null });
      else ignored++;
      return;
    }
    const planned = planFile(platform, real, snap.text, token, explicit);
    if (!planned) {
      ignored++;
      return;
    }
    planned.sha256 = snap.sha256;
    planned.mode = (await stat(real)).mode & 0o7777;
    if (real !== path.resolve(cwd, file)) planned.finding.notes.unshift(`Reached through the link ${path.resolve(cwd, file)}.`);
    if (planned.finding.status === 'change' && (planned.mode & 0o077) !== 0)
      planned.finding.notes.push(`Others can read this file (mode ${(planned.mode & 0o777).toString(8)}) and it holds the token: consider chmod 600.`);
    edits.push(planned);
  };

  const searched: { dir: string; deep: boolean }[] = [];
  for (const given of req.paths) {
    const abs = path.resolve(cwd, given.trim().replace(/^~(?=$|\/)/, process.env.HOME ?? '~'));
    if (abs.includes('\0')) return err('BAD_INPUT', 'A path contains a NUL character.');
    const info = await stat(abs).catch(() => undefined);
    if (!info) return err('NOT_FOUND', `${abs} does not exist.`, 'Check the path on this machine.');
    searched.push(info.isDirectory() ? { dir: abs, deep: true } : { dir: path.dirname(abs), deep: false });
    if (info.isDirectory()) {
      const home = await homeFileIn(platform, abs);
      if (home) {
        await consider(home, true);
        continue;
      }
      const skipped: string[] = [];
      for (const f of await listFiles(abs, skipped)) await consider(f, false);
      problems.push(...skipped);
    } else await consider(abs, true);
  }

  for (const up of req.uploads ?? []) {
    const name = path.basename(up.name);
    if (req.uploadDir) {
      const target = path.resolve(cwd, req.uploadDir, name);
      const snap = await readSnapshot(target).catch(() => undefined);
      if (!snap?.exists) {
        edits.push({
          finding: finding(target, 'unreadable', {
            error: {
              code: 'NOT_FOUND',
              message: `${name} is not in ${path.resolve(cwd, req.uploadDir)}.`,
              hint: 'Give the folder the dropped file came from.',
            },
          }),
          sha256: null,
        });
      } else if (snap.text !== up.text) {
        edits.push({
          finding: finding(target, 'refused', {
            error: {
              code: 'FILE_CHANGED',
              message: `${target} is not the file you dropped (its content differs).`,
              hint: 'Give the folder the dropped file came from, or drop the file again.',
            },
          }),
          sha256: null,
        });
      } else await consider(target, true);
    } else {
      const planned = planFile(platform, name, up.text, token, true);
      if (planned) {
        if (planned.finding.status === 'change') planned.finding.status = 'preview-only';
        planned.finding.notes.push('Dropped in without its folder: give the folder it lives in to write it in place.');
        edits.push(planned);
      }
    }
  }

  for (const e of edits) {
    const f = e.finding;
    if (f.status === 'refused' || f.status === 'unknown' || f.status === 'unreadable') problems.push(`${f.path}: ${f.error?.message ?? f.status}`);
  }
  const writable = edits.some((e) => e.finding.status === 'change');
  const holds = edits.some((e) => e.finding.status === 'change' || e.finding.status === 'same');
  if (!holds && problems.length === 0) {
    problems.push(
      edits.length
        ? `None of these files holds a ${platform.name} token value that can be replaced: ${edits
            .map((e) => e.finding.notes[0])
            .filter(Boolean)
            .join(' ')}`
        : `No file here is one ${platform.name} keeps its token in.`,
    );
  }
  const tokenSha256 = sha256(token);
  const leftovers = await findLeftovers(platform, edits, searched, token);
  const revoke = platform.revokeChecklist ?? [];
  const plan: RotationPlan = {
    planId,
    platform: platform.id,
    files: edits.map((e) => e.finding),
    ignored,
    ready: writable && problems.length === 0,
    problems,
    token: checked.value.info,
    commands: commandsFor(edits, tokenSha256),
    revoke: leftovers.length
      ? [
          `Not yet: ${leftovers.length} file(s) still hold the old token (${leftovers.map((l) => path.basename(l.path)).join(', ')}); revoking it now would break them. Update them first.`,
          ...revoke,
        ]
      : revoke,
    leftovers,
  };
  return ok({ plan, edits, tokenSha256 });
}

/**
 * Files under the searched folders (given folders, recursively within SEARCH_LIMITS; the folder of
 * a given file, its own entries only) that would still hold an old token value once the plan is
 * written: the values the plan replaces, as the token finders read them in each changed file,
 * searched raw and base64 (and decoded when base64) in every regular text file up to the size
 * limit. A changed file is checked in its new text.
 */
async function findLeftovers(platform: AnyPlatform, edits: PlannedEdit[], searched: { dir: string; deep: boolean }[], token: string): Promise<Leftover[]> {
  const newForms = new Set(valueForms(token));
  const old = new Set<string>();
  for (const e of edits) {
    if (e.finding.status !== 'change') continue;
    for (const v of e.oldValues ?? []) if (!newForms.has(v)) old.add(v);
  }
  if (old.size === 0) return [];
  const forms = [...new Set([...old].flatMap(valueForms))].filter((f) => !newForms.has(f));
  const planned = new Map(edits.filter((e) => e.finding.status === 'change' && e.newText !== undefined).map((e) => [e.finding.path, e.newText!]));
  const files = new Set<string>();
  for (const s of searched) {
    if (s.deep) for (const f of await listFiles(s.dir, [])) files.add(f);
    else {
      for (const name of await readdir(s.dir).catch(() => [] as string[])) {
        const full = path.join(s.dir, name);
        const info = await lstat(full).catch(() => undefined);
        if (info?.isFile() && info.size <= SEARCH_LIMITS.fileBytes && !OUR_FILES.test(name)) files.add(full);
      }
    }
  }
  const out: Leftover[] = [];
  for (const file of [...files].sort()) {
    const real = await realpath(file).catch(() => file);
    let text = planned.get(real) ?? planned.get(file);
    if (text === undefined) {
      // Read what lstat saw as a regular file within the size limit; a swap to something else meanwhile is read no further than the limit.
      const buf = await readFile(file).catch(() => undefined);
      if (!buf || buf.length > SEARCH_LIMITS.fileBytes || buf.subarray(0, 8192).includes(0)) continue;
      text = buf.toString('utf8');
    }
    // The new token's own text is blanked first (same length, so lines stay): an old value inside it is not a leftover.
    for (const f of newForms) text = text.replaceAll(f, ' '.repeat(f.length));
    const lines = new Set<number>();
    for (const f of forms) for (let i = text.indexOf(f); i !== -1; i = text.indexOf(f, i + 1)) lines.add(lineNumber(text, i));
    if (lines.size)
      out.push({
        path: real,
        lines: [...lines].sort((a, b) => a - b),
        hint: leftoverHint(
          real,
          text,
          [...lines].sort((a, b) => a - b),
          platform,
        ),
      });
  }
  return out;
}

function lineNumber(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** What to change by hand in a file that still holds the old token. */
function leftoverHint(file: string, text: string, lines: number[], platform: AnyPlatform): string {
  const at = `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;
  if (/\.(tf|tfvars|tf\.json|tfvars\.json)$/i.test(file)) {
    const all = text.split('\n');
    const attrs = [...new Set(lines.map((l) => /^\s*"?([A-Za-z0-9_-]+)"?\s*[=:]/.exec(all[l - 1] ?? '')?.[1]).filter(Boolean))];
    return `Terraform (${at}${attrs.length ? `: ${attrs.join(', ')}` : ''}): the app does not edit HCL, so set ${attrs.length ? attrs.join(' and ') : 'that value'} to the new token by hand (better: a sensitive variable from TF_VAR_… or a secret store), then run terraform apply, before revoking the old token.`;
  }
  return `${at} hold${lines.length > 1 ? '' : 's'} the old token, in a file ${platform.name} rotation does not edit: replace it by hand (or give this file to rotation if it is one it should know) before revoking the old token.`;
}

/**
 * Writes a plan's edits all-or-nothing with backups (file service), refusing any file that
 * changed since the plan read it. Failure codes: BAD_INPUT (the plan is not ready), and those of
 * writeFilesAtomic (FILE_CHANGED, IO_ERROR); on failure no file is changed.
 */
export async function applyRotation(internal: InternalPlan): Promise<Result<RotationReport>> {
  const { plan, edits } = internal;
  if (!plan.ready) return err('BAD_INPUT', `Nothing was written: ${plan.problems[0] ?? 'there is nothing to change'}.`);
  const toWrite = edits.filter((e) => e.finding.status === 'change' && e.newText !== undefined);
  const reqs: WriteRequest[] = toWrite.map((e) => ({
    path: e.finding.path,
    data: e.newText!,
    ...(e.mode === undefined ? {} : { mode: e.mode & 0o777 }),
    secret: false,
    expectedSha256: e.sha256,
  }));
  const written = await writeFilesAtomic(reqs);
  if (!written.ok) return written;
  return ok({
    platform: plan.platform,
    files: written.value.map((w, i) => ({
      path: w.path,
      status: w.status === 'unchanged' ? 'unchanged' : 'updated',
      ...(w.backupPath ? { backupPath: w.backupPath } : {}),
      changes: toWrite[i]!.finding.changes,
    })),
    commands: plan.commands,
    revoke: plan.revoke,
    leftovers: plan.leftovers,
    tokenSha256: internal.tokenSha256,
  });
}
