/**
 * The Install step's flow in main, over the remote services: the login from what the renderer
 * named (a key file read here, or the ssh-agent), the draft's files generated again here (they
 * hold the agent's secret), plans kept under an id for the install the user confirms, and the
 * install followed by the watch. The renderer gets plans, hops and records: never a key or a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Draft } from '../../../shared/ipc';
import { asksHealth, HOP_TITLES, type HopReport } from '../../../shared/online';
import { getPlatform } from '../../../shared/platforms';
import type { Artifact, Command, PlatformId } from '../../../shared/platforms/types';
import type { HostLogin, InstallRecordView, InstallSource, RemoteEventData } from '../../../shared/remote-contract';
import { err, errAt, ok, type AppError, type Result } from '../../../shared/result';
import { openBundle, readBundleFile } from '../bundle';
import { generateFromSource } from '../draft-files';
import { keyForSsh2 } from '../keys';
import { readErrorReason, readRegularTextFile } from '../user-file';
import { resolveUserPath } from '../user-path';
import type { SecretVault } from '../vault';
import { planRemoteInstall, runRemoteInstall, type InstallPlan, type InstallRecord, type PlannedInstall } from './install';
import { openSession, type HostTarget } from './session';
import { logStartNow, watchOnline, type VendorCheck, type WatchUpdate } from './watch';

/** The login for ssh2 from what the renderer named. BAD_INPUT (`field` key.path / key), the key's KEY_* and PASSPHRASE_* codes. */
export async function loginTarget(login: HostLogin, env: Record<string, string | undefined>): Promise<Result<HostTarget>> {
  const base = { host: login.host, port: login.port, user: login.user, knownHosts: login.knownHosts };
  if (login.key.kind === 'agent') {
    if (!env.SSH_AUTH_SOCK)
      return {
        ok: false,
        error: {
          code: 'BAD_INPUT',
          field: 'key',
          message: 'No ssh-agent is running for this app (SSH_AUTH_SOCK is not set).',
          hint: 'Start the app from a session with an ssh-agent (ssh-add your key), or give the key file.',
        },
      };
    return ok({ ...base, agentSocket: env.SSH_AUTH_SOCK });
  }
  const file = resolveUserPath(login.key.path, 'key.path');
  if (!file.ok) return file;
  let text: string;
  try {
    text = await readRegularTextFile(file.value, { maxBytes: 64 * 1024 });
  } catch (e) {
    return {
      ok: false,
      error: {
        code: 'IO_ERROR',
        field: 'key.path',
        message: `Cannot read the key file ${file.value}: ${readErrorReason(e)}.`,
        hint: 'Give the path of your private key file (for example ~/.ssh/id_ed25519).',
      },
    };
  }
  const key = keyForSsh2(text);
  if (!key.ok) {
    if (key.error.code === 'PASSPHRASE_REQUIRED')
      return {
        ok: false,
        error: {
          code: 'PASSPHRASE_REQUIRED',
          field: 'key.path',
          message: 'This key file is protected by a passphrase.',
          hint: 'Load it into your ssh-agent (ssh-add KEY) and choose "ssh-agent": the app never asks for the passphrase of a login key.',
        },
      };
    return { ok: false, error: { ...key.error, field: 'key.path' } };
  }
  return ok({ ...base, privateKey: key.value.privateKey });
}

type SourceFiles = { platform: PlatformId; variant: string; files: Artifact[]; commands: Command[]; notes: string[] };

/** The draft's files and what to run by hand, generated again in main (the generator is pure). */
export function draftFiles(vault: SecretVault, draft: Draft): Result<SourceFiles> {
  const gen = generateFromSource(vault, { ...draft, from: 'form' });
  if (!gen.ok) return gen;
  return ok({
    platform: gen.value.platform.id,
    variant: gen.value.variant,
    files: gen.value.generated.files,
    commands: gen.value.generated.commands,
    notes: gen.value.generated.notes,
  });
}

/**
 * A bundle's files, opened in memory (every checksum checked; encrypted secrets opened with the
 * passphrase). BUNDLE_INVALID, CHECKSUM_MISMATCH, PASSPHRASE_REQUIRED (a secret is still locked),
 * FILE_CHANGED (not the bundle inspected), and the bundle reader's codes.
 */
export async function bundleFiles(source: { file: string; passphrase?: string | undefined; sha256?: string | undefined }): Promise<Result<SourceFiles>> {
  const file = resolveUserPath(source.file, 'source.file');
  if (!file.ok) return file;
  const bytes = await readBundleFile(file.value);
  if (!bytes.ok) return bytes;
  if (source.sha256 && createHash('sha256').update(bytes.value).digest('hex') !== source.sha256) {
    return err('FILE_CHANGED', `${file.value} changed since it was opened.`, 'Open it again, check it, then install.');
  }
  const opened = await openBundle(bytes.value, source.passphrase ? { passphrase: source.passphrase } : {});
  if (!opened.ok) return opened;
  const { manifest, files } = opened.value;
  if (!manifest.platform || !manifest.variant)
    return err(
      'BAD_INPUT',
      'This bundle does not say which platform and variant it is for (a folder packed as it was).',
      'Install it with the CLI: agent-onboard install --from DIR --platform P --variant V.',
    );
  const locked = files.filter((f) => f.status === 'locked');
  if (locked.length)
    return errAt(
      'source.passphrase',
      'PASSPHRASE_REQUIRED',
      `${locked.map((f) => f.path).join(', ')} ${locked.length === 1 ? 'is' : 'are'} encrypted in this bundle.`,
      'Give the bundle passphrase to install it.',
    );
  const bad = files.filter((f) => f.status !== 'ok' || !f.data);
  if (bad.length)
    return err('CHECKSUM_MISMATCH', `${bad.map((f) => f.path).join(', ')} do not match the manifest; nothing was installed.`, 'Export the bundle again.');
  const text = new TextDecoder();
  return ok({
    platform: manifest.platform,
    variant: manifest.variant,
    files: files.map((f) => ({ path: f.path, text: text.decode(f.data), mode: f.mode, secret: f.secret })),
    commands: [],
    notes: ["The bundle's README.md lists the commands to run on the host."],
  });
}

/** The files of what is installed: a draft's (generated again) or a bundle's. */
export async function sourceFiles(vault: SecretVault, source: InstallSource): Promise<Result<SourceFiles>> {
  return source.kind === 'draft' ? draftFiles(vault, source.draft as Draft) : bundleFiles(source);
}

/** Whether the install type is installed over SSH from here; if not, the manual commands. */
export async function installSupport(
  vault: SecretVault,
  source: InstallSource,
  prefix = '/',
): Promise<
  Result<
    | { supported: true; title: string }
    | { supported: false; reason: string; hint?: string; commands: { title: string; command: string; os?: string }[]; notes: string[] }
  >
> {
  const made = await sourceFiles(vault, source);
  if (!made.ok) return made;
  const { platform, variant, files, commands, notes } = made.value;
  const p = getPlatform(platform);
  const manual = commands.map((c) => ({ title: c.title, command: c.command, ...(c.os ? { os: c.os } : {}) }));
  if (!p?.hostInstall)
    return ok({
      supported: false,
      reason: `${p?.name ?? platform} is not installed over SSH by this app yet.`,
      hint: 'Copy the files to the agent host (or use the bundle from the Export step) and run these commands there.',
      commands: manual,
      notes,
    });
  const recipe = p.hostInstall(variant, files, prefix);
  if (!recipe.ok)
    return ok({ supported: false, reason: recipe.error.message, ...(recipe.error.hint ? { hint: recipe.error.hint } : {}), commands: manual, notes });
  return ok({ supported: true, title: recipe.value.title });
}

interface KeptPlan {
  owner: string;
  target: HostTarget;
  planned: PlannedInstall;
  files: Artifact[];
  expires: number;
}

/**
 * Plans kept between "show the plan" and "install", per caller, for 30 minutes. The install reads
 * the host again and refuses when the plan it would make differs from the one confirmed.
 */
export class PlanKeeper {
  private readonly plans = new Map<string, KeptPlan>();
  keep(owner: string, target: HostTarget, planned: PlannedInstall, files: Artifact[]): string {
    const now = Date.now();
    for (const [id, p] of this.plans) if (p.expires < now) this.plans.delete(id);
    const id = `plan-${randomBytes(8).toString('hex')}`;
    this.plans.set(id, { owner, target, planned, files, expires: now + 30 * 60_000 });
    return id;
  }
  take(owner: string, id: string): KeptPlan | undefined {
    const p = this.plans.get(id);
    if (!p || p.owner !== owner || p.expires < Date.now()) return undefined;
    this.plans.delete(id);
    return p;
  }
}

/** Logs in and plans; the session is closed again. */
export async function planOnHost(
  target: HostTarget,
  platform: PlatformId,
  variant: string,
  files: Artifact[],
  prefix: string,
  signal?: AbortSignal,
): Promise<Result<{ planned: PlannedInstall; hostKey: string }>> {
  const opened = await openSession(target, signal);
  if (!opened.ok) return opened;
  try {
    const planned = await planRemoteInstall(opened.value, platform, variant, files, prefix);
    if (!planned.ok) return planned;
    return ok({ planned: planned.value, hostKey: `${opened.value.presented.type} ${opened.value.presented.fingerprint}` });
  } finally {
    opened.value.close();
  }
}

/** What the user confirmed, without the parts that may move on their own (free space). */
const planShape = (p: InstallPlan): string => JSON.stringify({ ...p, freeBytes: undefined });

export interface InstallOutcome {
  online: boolean;
  hops: HopReport[];
  name?: string;
  record?: InstallRecordView;
  failure?: { code: string; message: string; hint?: string; inPlace: string[]; leftovers: string[] };
}

function failedHop(hop: HopReport['hop'], e: AppError): HopReport {
  return { hop, state: 'failed', detail: `${e.message}${e.hint ? ` ${e.hint}` : ''}` };
}

/**
 * Installs a kept plan and watches the agent come online within `timeoutMs`. `onEvent` gets the
 * step texts, the command output and each hop update (with the time left).
 */
export async function installAndWatch(
  kept: { target: HostTarget; planned: PlannedInstall; files: Artifact[] },
  timeoutMs: number,
  opts: { signal: AbortSignal; onEvent(message: string, fraction: number | undefined, data?: RemoteEventData): void; vendor?: VendorCheck },
): Promise<Result<InstallOutcome>> {
  const { target, planned } = kept;
  const { plan } = planned;
  const hops: HopReport[] = [];
  const show = (hopsNow: HopReport[], leftMs: number, name?: string): void =>
    opts.onEvent(hopsNow.filter((h) => h.state !== 'passed').map((h) => HOP_TITLES[h.hop])[0] ?? 'Online', undefined, {
      kind: 'hops',
      hops: hopsNow,
      leftMs,
      timeoutMs,
      ...(name ? { name } : {}),
    });
  opts.onEvent(`Connecting to ${target.user}@${target.host}:${target.port}`, 0);
  const opened = await openSession(target, opts.signal);
  if (!opened.ok) {
    hops.push(failedHop('ssh', opened.error));
    show(hops, timeoutMs);
    return opened.error.code === 'CANCELLED' ? opened : ok({ online: false, hops });
  }
  const session = opened.value;
  try {
    hops.push({
      hop: 'ssh',
      state: 'passed',
      detail: `${target.user}@${target.host}:${target.port}, host key ${session.presented.type} ${session.presented.fingerprint} (pinned)`,
    });
    show(hops, timeoutMs);
    const again = await planRemoteInstall(session, plan.platform, plan.variant, kept.files, plan.prefix);
    if (!again.ok) {
      hops.push(failedHop('files', again.error));
      show(hops, timeoutMs);
      return ok({ online: false, hops });
    }
    if (planShape(again.value.plan) !== planShape(plan)) {
      return err(
        'FILE_CHANGED',
        'The host changed since you reviewed the plan (a file it replaces, a folder or the login); nothing was changed.',
        'Show the plan again, check it, then install.',
      );
    }
    const start = await logStartNow((c) => session.exec(c), again.value.recipe.where);
    const done = await runRemoteInstall(session, { host: target.host, port: target.port, user: target.user }, again.value, {
      signal: opts.signal,
      onEvent: (e) => {
        if (e.kind === 'step') opts.onEvent(e.text, undefined);
        else if (e.kind === 'output') opts.onEvent('Running the start commands', undefined, { kind: 'output', text: e.text });
        else opts.onEvent(`Uploaded ${e.done} of ${e.total} file(s)`, (e.done / e.total) * 0.5);
      },
    });
    if (!done.ok) {
      hops.push(failedHop('files', done.error));
      show(hops, timeoutMs);
      const created = done.record.files.length > 0 || done.record.dirsCreated.length > 0;
      return ok({
        online: false,
        hops,
        ...(created ? { record: done.record } : {}),
        failure: {
          code: done.error.code,
          message: done.error.message,
          ...(done.error.hint ? { hint: done.error.hint } : {}),
          inPlace: done.inPlace,
          leftovers: done.leftovers,
        },
      });
    }
    hops.push({ hop: 'files', state: 'passed', detail: `${plan.files.length} file(s) under ${plan.prefix}` });
    show(hops, timeoutMs);
    const result: WatchUpdate = await watchOnline({
      platform: plan.platform,
      where: again.value.recipe.where,
      run: (c) => session.exec(c),
      connect: (h, p) => session.forward(h, p),
      start,
      before: [...hops],
      timeoutMs,
      health: asksHealth(plan.platform, again.value.recipe.files),
      signal: opts.signal,
      onUpdate: (u) => show(u.hops, u.leftMs, u.name),
      ...(opts.vendor ? { vendor: opts.vendor } : {}),
    });
    return ok({ online: result.online, hops: result.hops, ...(result.name ? { name: result.name } : {}), record: done.record });
  } finally {
    session.close();
  }
}

/** A record from the renderer, as the undo services take it (it was validated by the contract). */
export function recordOf(r: InstallRecordView): InstallRecord {
  return r as unknown as InstallRecord;
}
