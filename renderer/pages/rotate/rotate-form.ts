/** The Rotate page's form without React: its state, the changes a user makes, and the rotate:scan request it builds. */
import { PLATFORMS } from '../../../shared/platforms';
import type { PlatformId, TokenSpec } from '../../../shared/platforms/types';
import type { AppError } from '../../../shared/result';
import type { RotationPlan } from '../../../shared/rotation';
import type { ChannelInput } from '../../../shared/ipc';

/** Platforms whose existing installs can get a new token. */
export const ROTATABLE = PLATFORMS.filter((p) => p.credential.kind === 'token' && p.updaters.length > 0);

/** Files read in the browser (their folder unknown) are sent as text; larger ones cannot be a config file. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
export const MAX_UPLOADS = 50;

export interface Upload {
  name: string;
  text: string;
}

export interface RotateForm {
  platform: PlatformId;
  /** The paths box: one file or folder per line. */
  paths: string;
  uploads: Upload[];
  /** The folder the uploaded files are in ('' : unknown, preview only). */
  uploadDir: string;
  token: string;
  showToken: boolean;
  /** What the last drop or file choice added, for the status line. */
  dropNote: string;
  dragging: boolean;
  scanning: boolean;
  /** The last scan's plan; any change to what was scanned drops it. */
  plan: RotationPlan | null;
  /** The user will update the leftover files by hand. */
  leftoversOk: boolean;
  error: AppError | null;
}

function asStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The form when the page opens, from the data of the page that navigated here (a platform, a path or paths). */
export function rotateStart(data: Record<string, unknown> | undefined): RotateForm {
  return {
    platform: ROTATABLE.find((p) => p.id === data?.platform)?.id ?? ROTATABLE[0]!.id,
    paths: asStrings(data?.path ?? data?.paths).join('\n'),
    uploads: [],
    uploadDir: '',
    token: '',
    showToken: false,
    dropNote: '',
    dragging: false,
    scanning: false,
    plan: null,
    leftoversOk: false,
    error: null,
  };
}

export type RotateAction =
  | { type: 'platform'; platform: PlatformId }
  | { type: 'paths'; text: string }
  | { type: 'token'; text: string }
  | { type: 'upload-dir'; text: string }
  | { type: 'toggle-token' }
  | { type: 'dragging'; on: boolean }
  /** Dropped files whose real paths are known (desktop app): they are rotated in place. */
  | { type: 'add-paths'; paths: string[] }
  /** Files read as text (browser): `skipped` names the ones left out and why. */
  | { type: 'add-uploads'; added: Upload[]; skipped: string[] }
  | { type: 'remove-upload'; name: string }
  | { type: 'refused'; error: AppError }
  | { type: 'scan' }
  | { type: 'scanned'; plan: RotationPlan }
  | { type: 'scan-failed'; error: AppError }
  | { type: 'leftovers-ok'; on: boolean }
  /** The files were written: the token does not stay in the form. */
  | { type: 'written' };

/** The lines of the paths box, trimmed, without empty ones. */
export function pathList(text: string): string[] {
  return text
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * A change to what is scanned: the last plan and the last error (a refused or failed scan of what
 * was there before) no longer speak of this form, so both go.
 */
function rescan(s: RotateForm, patch: Partial<RotateForm>): RotateForm {
  return { ...s, ...patch, plan: null, error: null };
}

export function rotateReducer(s: RotateForm, a: RotateAction): RotateForm {
  switch (a.type) {
    case 'platform':
      return rescan(s, { platform: a.platform });
    case 'paths':
      return rescan(s, { paths: a.text });
    case 'token':
      return rescan(s, { token: a.text });
    case 'upload-dir':
      return { ...s, uploadDir: a.text };
    case 'toggle-token':
      return { ...s, showToken: !s.showToken };
    case 'dragging':
      return { ...s, dragging: a.on };
    case 'add-paths':
      return rescan(s, { paths: [...new Set([...pathList(s.paths), ...a.paths])].join('\n'), dropNote: `${a.paths.length} file(s) added by path.` });
    case 'add-uploads':
      return rescan(s, {
        // A file of the same name replaces the one added before.
        uploads: [...s.uploads.filter((x) => !a.added.some((n) => n.name === x.name)), ...a.added],
        dropNote: `${a.added.length} file(s) added${a.skipped.length ? `; skipped ${a.skipped.join(', ')}` : ''}.`,
      });
    case 'remove-upload':
      return { ...s, uploads: s.uploads.filter((u) => u.name !== a.name) };
    case 'refused':
      return { ...s, error: a.error };
    case 'scan':
      return { ...s, scanning: true, error: null, plan: null };
    case 'scanned':
      return { ...s, scanning: false, plan: a.plan, leftoversOk: false };
    case 'scan-failed':
      return { ...s, scanning: false, error: a.error };
    case 'leftovers-ok':
      return { ...s, leftoversOk: a.on };
    case 'written':
      return { ...s, token: '' };
  }
}

export type ScanRequest = ChannelInput<'rotate:scan'>;

/**
 * The rotate:scan request for this form, or why it cannot be sent: no file or folder, or no token
 * (an empty box uses the token chosen on the Credentials step, `storedTokenId`, when there is one).
 */
export function scanRequest(
  s: RotateForm,
  storedTokenId: string | undefined,
  tokenName: Pick<TokenSpec, 'name' | 'where'> | undefined,
): { ok: true; request: ScanRequest } | { ok: false; error: AppError } {
  const paths = pathList(s.paths);
  if (paths.length === 0 && s.uploads.length === 0)
    return { ok: false, error: { code: 'BAD_INPUT', message: 'Give at least one file or folder of the install, or drop its files here.' } };
  if (!s.token.trim() && !storedTokenId)
    return {
      ok: false,
      error: {
        code: 'TOKEN_INVALID',
        message: `Paste the new ${tokenName?.name ?? 'token'} first.`,
        ...(tokenName ? { hint: `Where to get it: ${tokenName.where}` } : {}),
      },
    };
  return {
    ok: true,
    request: {
      platform: s.platform,
      paths,
      uploads: s.uploads,
      ...(s.uploadDir.trim() ? { uploadDir: s.uploadDir.trim() } : {}),
      ...(s.token.trim() ? { token: s.token } : { tokenId: storedTokenId }),
    },
  };
}

/** What the plan's summary counts: files that will change and files already on the new token. */
export function planCounts(plan: RotationPlan): { change: number; same: number } {
  return { change: plan.files.filter((f) => f.status === 'change').length, same: plan.files.filter((f) => f.status === 'same').length };
}

/** Whether the Write button can be pressed: the plan is ready and, when files would keep the old token, the user said they will update them. */
export function canWrite(s: Pick<RotateForm, 'plan' | 'leftoversOk'>, running: boolean): boolean {
  if (!s.plan?.ready || running) return false;
  return s.plan.leftovers.length === 0 || s.leftoversOk;
}
