/**
 * What the Connectivity step probes and how: the platform's endpoints plus the user's, the SSH
 * login to test, and the same check as a command to run on the agent host. Pure functions of
 * the draft, so they are easy to test.
 */
import { COMPANY_CA_FILE } from '../../../shared/bundle';
import type { Draft } from '../../../shared/ipc';
import { pinnedKeys } from '../../../shared/known-hosts';
import type { EndpointResult, ProbeEndpoint, ProbeProtocol, ProxySpec, SavedProxy } from '../../../shared/probe';
import type { KeptReport } from '../../../shared/probe-report';
import type { AnyPlatform, Endpoint } from '../../../shared/platforms/types';
import { formToAnswers } from '../../wizard';

/** The endpoints the platform needs, from its module and the Details answers. */
export function plannedEndpoints({ draft, platform }: { draft: Draft; platform: AnyPlatform | undefined }): Endpoint[] {
  if (!platform) return [];
  const parsed = platform.answers.safeParse(formToAnswers(platform, draft.variant, draft.answers));
  return parsed.success ? platform.endpoints(parsed.data) : [];
}

/** An endpoint the user added on the step. */
export interface ExtraEndpoint {
  id: string;
  host: string;
  port: number;
  protocol: ProbeProtocol;
}

/** The probe list: the platform's endpoints, then the user's (never two with the same id). */
export function probeEndpoints(planned: Endpoint[], extra: ExtraEndpoint[]): ProbeEndpoint[] {
  return [
    ...planned.map((e) => ({
      id: e.id,
      host: e.host,
      port: e.port,
      protocol: e.protocol,
      purpose: e.purpose,
      ...(e.optional ? { optional: true } : {}),
      ...(e.path ? { path: e.path } : {}),
      ...(e.service ? { service: e.service } : {}),
    })),
    ...extra.map((e) => ({ id: e.id, host: e.host, port: e.port, protocol: e.protocol, purpose: 'added by you', optional: true })),
  ];
}

/** The SSH login the agent will use, when the platform authenticates with a key pair. */
export interface SshPlan {
  user?: string;
  /** Remote ports the agent forwards (one per internal service). */
  forwardPorts: number[];
  /** The private key's file name in the generated output (for the command line). */
  keyFile: string;
}

/** The SSH plan from the answers: the `user` field and each service's `remotePort`. */
export function sshPlan(draft: Draft, platform: AnyPlatform | undefined): SshPlan | undefined {
  if (!platform || platform.credential.kind !== 'ssh-keypair') return undefined;
  const parsed = platform.answers.safeParse(formToAnswers(platform, draft.variant, draft.answers));
  const answers = (parsed.success ? parsed.data : {}) as { user?: unknown; services?: { remotePort?: unknown }[] };
  const forwardPorts = Array.isArray(answers.services)
    ? answers.services.map((s) => Number(s.remotePort)).filter((p) => Number.isInteger(p) && p > 0 && p < 65536)
    : [];
  return {
    ...(typeof answers.user === 'string' ? { user: answers.user } : {}),
    forwardPorts: [...new Set(forwardPorts)],
    keyFile: platform.credential.privateKeyName,
  };
}

/** True when this result's host key is pinned in the known_hosts text. */
export function isPinned(knownHosts: string | undefined, r: EndpointResult): boolean {
  const line = r.ssh?.knownHostsLine;
  if (!line) return false;
  const [, type, key] = line.split(' ');
  return pinnedKeys(knownHosts, r.endpoint.host, r.endpoint.port).some((p) => p.keyType === type && p.key === key);
}

function quote(v: string): string {
  return /^[A-Za-z0-9._:/@+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same check as commands for the agent host (one per host), because this computer may not
 * be where the agent runs: `agent-onboard probe --host … --port …` with the SSH login and the
 * pinned fingerprints when there are any.
 */
export function probeCommands(
  endpoints: ProbeEndpoint[],
  ssh: SshPlan | undefined,
  pinnedFingerprints: Record<string, string[]>,
  withCompanyCa = false,
): string[] {
  const hosts = [...new Set(endpoints.map((e) => e.host))];
  return hosts.map((host) => {
    const mine = endpoints.filter((e) => e.host === host);
    const hasSsh = mine.some((e) => e.protocol === 'ssh');
    const parts = ['agent-onboard probe', `--host ${quote(host)}`, ...[...new Set(mine.map((e) => e.port))].map((p) => `--port ${p}`)];
    if (hasSsh && ssh?.user) {
      parts.push(`--ssh-user ${quote(ssh.user)}`, `--ssh-key ${quote(ssh.keyFile)}`, ...ssh.forwardPorts.map((p) => `--forward ${p}`));
    }
    for (const fp of pinnedFingerprints[host] ?? []) parts.push(`--expect-fingerprint ${quote(fp)}`);
    if (withCompanyCa && mine.some((e) => e.protocol !== 'ssh')) parts.push(`--ca-file ${COMPANY_CA_FILE}`);
    return parts.join(' ');
  });
}

/** When a kept report was made and how it ended, in words (local time). */
export function keptLabel(kept: KeptReport): string {
  const when = new Date(kept.at);
  const at = Number.isNaN(when.getTime()) ? kept.at : when.toLocaleString();
  return `${at} — ${kept.passed ? 'all required checks passed' : 'some checks failed'}`;
}

/**
 * The proxy the checks start with: the one chosen here before (kept in the draft, without its
 * password); else, and whenever the agent's own config has a different one since (the Details
 * step's proxyUrl / noProxy, for platforms that take one), that one, so the checks go the way the
 * agent will; otherwise the environment's.
 */
export function initialProxy(draft: Pick<Draft, 'answers' | 'proxy'>): ProxySpec {
  const url = typeof draft.answers.proxyUrl === 'string' ? draft.answers.proxyUrl.trim() : '';
  // The choice made here last time, unless the agent's own proxy answer says otherwise since.
  if (draft.proxy && (!url || (draft.proxy.mode === 'manual' && draft.proxy.url.trim() === url))) return draft.proxy;
  if (!url) return { mode: 'env' };
  const noProxy = typeof draft.answers.noProxy === 'string' ? draft.answers.noProxy.trim() : '';
  return { mode: 'manual', url, ...(noProxy ? { noProxy } : {}) };
}

/** The proxy choice as the draft keeps it: the password is never saved. */
export function savedProxy(p: ProxySpec): SavedProxy {
  if (p.mode !== 'manual') return p;
  return { mode: 'manual', url: p.url, ...(p.noProxy ? { noProxy: p.noProxy } : {}), ...(p.username ? { username: p.username } : {}) };
}
