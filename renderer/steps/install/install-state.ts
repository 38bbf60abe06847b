/** The Install step's pure parts: the login from the draft, pins, the hops to show, the streamed output. */
import type { JobEvent } from '../../../shared/ipc';
import { pinnedKeys } from '../../../shared/known-hosts';
import { HOP_TITLES, logHops } from '../../../shared/online';
import type { HopId, PlatformId } from '../../../shared/platforms/types';
import { hostLoginSchema, prefixSchema, type HopReportView, type HostLogin, type InstallDraft, type RemoteEventData } from '../../../shared/remote-contract';

export { HOP_TITLES };

/** The login the draft describes, or field → message for what is missing or wrong. */
export function loginOf(install: InstallDraft | undefined): { login: HostLogin; prefix: string } | { errors: Record<string, string> } {
  const i = install ?? {};
  const key = i.key === 'agent' ? { kind: 'agent' as const } : { kind: 'file' as const, path: i.keyPath ?? '' };
  const parsed = hostLoginSchema.safeParse({
    host: i.host ?? '',
    port: i.port?.trim() ? i.port : '22',
    user: i.user ?? '',
    key,
    knownHosts: i.knownHosts ?? '',
  });
  const prefix = prefixSchema.safeParse(i.prefix?.trim() ? i.prefix : '/');
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.') === 'key.path' ? 'keyPath' : String(issue.path[0] ?? 'host');
      errors[field] ??= (i as Record<string, unknown>)[field] === undefined || (i as Record<string, unknown>)[field] === '' ? 'is required' : issue.message;
    }
  }
  if (!prefix.success) errors.prefix = prefix.error.issues[0]?.message ?? 'must be an absolute path';
  if (parsed.success && prefix.success) return { login: parsed.data, prefix: prefix.data };
  return { errors };
}

/** True when `line` (a presented key's known_hosts line) is pinned in `knownHosts` for host:port. */
export function isPinnedLine(knownHosts: string | undefined, host: string, port: number, line: string): boolean {
  const [, type, key] = line.trim().split(/\s+/);
  return pinnedKeys(knownHosts, host, port).some((p) => p.keyType === type && p.key === key);
}

/** The hops an install of this platform goes through, all not yet seen. */
export function plannedHops(platform: PlatformId): HopReportView[] {
  const hops: HopId[] = ['ssh', 'files', ...logHops(platform).filter((h) => h !== 'ssh' && h !== 'files')];
  return hops.map((hop) => ({ hop, state: 'not-checked', detail: 'not checked yet' }));
}

/** The command output streamed so far, and the latest hops update, from a job's events. */
export function readEvents(events: JobEvent[]): { output: string; hops?: Extract<RemoteEventData, { kind: 'hops' }> } {
  let output = '';
  let hops: Extract<RemoteEventData, { kind: 'hops' }> | undefined;
  for (const e of events) {
    const d = e.data as RemoteEventData | undefined;
    if (d?.kind === 'output' && typeof d.text === 'string') output += d.text;
    else if (d?.kind === 'hops') hops = d;
  }
  return { output: output.length > 200_000 ? output.slice(-200_000) : output, ...(hops ? { hops } : {}) };
}

export const HOP_MARK: Record<HopReportView['state'], string> = { passed: '✓', failed: '✗', waiting: '…', holding: '…', pending: '⏸', 'not-checked': '·' };
export const HOP_STATE_WORDS: Record<HopReportView['state'], string> = {
  passed: 'passed',
  failed: 'failed',
  waiting: 'waiting',
  holding: 'watching',
  pending: 'pending approval',
  'not-checked': 'not checked yet',
};

/** "0644" for a mode. */
export const modeText = (mode: number): string => mode.toString(8).padStart(4, '0');

type Hops = NonNullable<InstallDraft['hops']>;

/** Where an install on a host stands, in one sentence: online, or the hop left and why. */
export function hostOutcome(install: InstallDraft): { online: boolean; lead: string } {
  const record = install.record;
  if (!record) return { online: false, lead: '' };
  const hops: Hops = install.hops ?? [];
  if (install.online) return { online: true, lead: `Online on ${record.host}${install.name ? ` as ${install.name}` : ''}.` };
  const left = hops.find((h) => h.state !== 'passed');
  if (!left) return { online: false, lead: `Installed on ${record.host}; not seen online yet.` };
  const how = left.state === 'failed' ? 'failed' : left.state === 'pending' ? 'is pending approval' : 'was not seen yet';
  return { online: false, lead: `Installed on ${record.host}; not seen online: "${HOP_TITLES[left.hop]}" ${how}. ${left.detail}` };
}
