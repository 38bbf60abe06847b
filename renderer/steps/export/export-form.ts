/** The Export step's form without React: its state, the changes a user makes, and the bundle:export request it builds. */
import { shWord } from '../../../shared/bundle';
import { draftAnswers } from '../../../shared/fleet';
import type { ChannelInput, Draft } from '../../../shared/ipc';
import type { AnyPlatform, PlatformId } from '../../../shared/platforms/types';

/** Where the bundle goes by default: beside the output folder, or in the home folder. */
export function defaultBundlePath(draft: Draft): string {
  const name = [draft.platform ?? 'agent', draft.variant].filter(Boolean).join('-');
  const dir = draft.outDir?.replace(/\/+$/, '');
  return dir ? `${dir}.zip` : `~/agent-onboard-${name}.zip`;
}

/** An endpoint as probe:run takes it. */
export interface ProbeEndpoint {
  id: string;
  host: string;
  port: number;
  protocol: 'ssh' | 'tls' | 'https' | 'http' | 'tcp';
  purpose: string;
  optional?: boolean;
}

/** The platform's endpoints for this draft, as probe:run takes them (none while the answers are invalid). */
export function endpointsOf(draft: Draft, platform: AnyPlatform | undefined): ProbeEndpoint[] {
  if (!platform) return [];
  const { answers, errors } = draftAnswers(platform, draft.variant, draft.answers);
  if (errors.length) return [];
  return platform
    .endpoints(answers)
    .map((e) => ({ id: e.id, host: e.host, port: e.port, protocol: e.protocol, purpose: e.purpose, ...(e.optional ? { optional: true } : {}) }));
}

/** The command that checks the bundle on the agent host, run where the zip was copied to. */
export function verifyCommand(bundlePath: string): string {
  return `agent-onboard bundle verify ${shWord(bundlePath.split('/').pop() ?? bundlePath)}`;
}

/** Which connectivity report goes in: the kept one of the last check, a pasted one, or none. */
export type ReportChoice = 'kept' | 'paste' | 'none';

export interface ExportForm {
  source: 'draft' | 'folder';
  folder: string;
  /** '' : the folder's platform is recognised from its files. */
  folderPlatform: PlatformId | '';
  out: string;
  includePrivateKey: boolean;
  passphrase: string;
  confirm: string;
  /** The pasted report. */
  report: string;
  reportChoice: ReportChoice;
  overwrite: boolean;
  /** Why the form cannot be sent yet (shown under it). */
  problem: string | null;
}

/** The form when the step opens: the onboarding's own files when the platform can make them, and the kept report when there is one. */
export function exportStart(draft: Draft, platform: AnyPlatform | undefined): ExportForm {
  return {
    source: platform?.generate || platform?.analysis ? 'draft' : 'folder',
    folder: draft.outDir ?? '',
    folderPlatform: '',
    out: defaultBundlePath(draft),
    includePrivateKey: false,
    passphrase: '',
    confirm: '',
    report: '',
    reportChoice: draft.connectivity ? 'kept' : 'paste',
    overwrite: false,
    problem: null,
  };
}

type Editable = Omit<ExportForm, 'problem'>;

export type ExportAction =
  | { [K in keyof Editable]: { type: 'set'; field: K; value: Editable[K] } }[keyof Editable]
  /** A check made on this step kept its report: use it. */
  | { type: 'checked' }
  | { type: 'problem'; problem: string | null }
  /** The bundle was written: the passphrase is not kept. */
  | { type: 'written' };

export function exportReducer(s: ExportForm, a: ExportAction): ExportForm {
  switch (a.type) {
    case 'set':
      return { ...s, [a.field]: a.value };
    case 'checked':
      return { ...s, reportChoice: 'kept' };
    case 'problem':
      return { ...s, problem: a.problem };
    case 'written':
      return { ...s, passphrase: '', confirm: '' };
  }
}

/** The report text that goes in for the choice made ('' for none). */
export function reportText(s: Pick<ExportForm, 'reportChoice' | 'report'>, kept: Draft['connectivity']): string {
  if (s.reportChoice === 'kept') return kept?.text ?? '';
  return s.reportChoice === 'paste' ? s.report : '';
}

export type ExportRequest = Omit<ChannelInput<'bundle:export'>, 'jobId'>;

/**
 * The bundle:export request for this form, or the problem that stops it (the first one, in the
 * order the user reads the form). A folder named with the draft's platform keeps the draft's variant.
 */
export function exportRequest(
  s: ExportForm,
  draft: Draft,
  opts: { hasConnectivity: boolean },
): { ok: true; request: ExportRequest } | { ok: false; problem: string } {
  if (s.passphrase && s.passphrase.length < 8) return { ok: false, problem: 'The passphrase must have at least 8 characters.' };
  if (s.passphrase !== s.confirm) return { ok: false, problem: 'The two passphrases differ.' };
  if (s.source === 'folder' && !s.folder.trim()) return { ok: false, problem: 'Give the folder to pack.' };
  if (!s.out.trim()) return { ok: false, problem: 'Give the bundle file to write.' };
  const report = reportText(s, draft.connectivity);
  return {
    ok: true,
    request: {
      source:
        s.source === 'draft'
          ? { kind: 'draft', draft }
          : {
              kind: 'folder',
              dir: s.folder,
              platform: s.folderPlatform || null,
              variant: s.folderPlatform && s.folderPlatform === draft.platform ? (draft.variant ?? null) : null,
            },
      out: s.out,
      includePrivateKey: s.includePrivateKey,
      overwrite: s.overwrite,
      ...(s.passphrase ? { passphrase: s.passphrase } : {}),
      ...(opts.hasConnectivity && report.trim() ? { report } : {}),
    },
  };
}
