/** Handlers of the Install step: the agent host's key, the plan, the install and watch, check again, the vendor check's token, undo. */
import { randomBytes } from 'node:crypto';
import type { Contract } from '../../../shared/ipc';
import { HOP_TITLES } from '../../../shared/online';
import type { HostLogin } from '../../../shared/remote-contract';
import { getPlatform } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { readCaBundle } from '../../services/probe/ca';
import { HistoryService } from '../../services/history';
import { installAndWatch, installSupport, loginTarget, PlanKeeper, planOnHost, recordOf, sourceFiles } from '../../services/remote/host-flow';
import { openSession, scanHostKey } from '../../services/remote/session';
import { planRemoteUndo, runRemoteUndo } from '../../services/remote/undo';
import { watchOnline, type VendorCheck } from '../../services/remote/watch';
import type { Handlers, JobRegistry } from '../dispatch';

type RemoteChannels = Pick<
  Contract,
  'remote:support' | 'remote:host-key' | 'remote:plan' | 'remote:install' | 'remote:verify' | 'remote:vendor-token' | 'remote:undo-plan' | 'remote:undo'
>;

/**
 * Read-only vendor tokens for the vendor-side check, in memory only (never in the store, the draft
 * or the vault beside the agent token), each for the window that gave it, for 2 hours.
 */
class VendorTokens {
  private readonly kept = new Map<string, { owner: string; platform: PlatformId; check: VendorCheck; expires: number }>();
  keep(owner: string, platform: PlatformId, check: VendorCheck): string {
    const now = Date.now();
    for (const [ref, k] of this.kept) if (k.expires < now || (k.owner === owner && k.platform === platform)) this.kept.delete(ref);
    const ref = `vt-${randomBytes(8).toString('hex')}`;
    this.kept.set(ref, { owner, platform, check, expires: now + 2 * 60 * 60_000 });
    return ref;
  }
  /** The check for this window and platform, or an error saying to paste the token again. */
  get(owner: string, ref: string | undefined, platform: string): Result<VendorCheck | undefined> {
    if (!ref) return ok(undefined);
    const k = this.kept.get(ref);
    if (!k || k.owner !== owner || k.expires < Date.now())
      return err(
        'NOT_FOUND',
        'The read-only vendor token is no longer kept (it is kept in memory for 2 hours, for the window that gave it).',
        'Paste it again, or leave the vendor check out.',
      );
    if (k.platform !== platform)
      return err('BAD_INPUT', `That vendor token was given for ${k.platform}, not ${platform}.`, 'Paste the token for this platform again.');
    return ok(k.check);
  }
}

export function remoteHandlers(deps: Deps, _jobs: JobRegistry, env: Record<string, string | undefined> = process.env): Handlers<RemoteChannels> {
  const plans = new PlanKeeper();
  const history = new HistoryService(deps.store);
  const vendorTokens = new VendorTokens();
  /** A session to the host an install record names, logged in as `login` (which must name the same host and port). */
  const recordSession = async (login: HostLogin, record: { host: string; port: number }, signal: AbortSignal) => {
    if (login.host !== record.host || login.port !== record.port)
      return err(
        'BAD_INPUT',
        `This install was on ${record.host}:${record.port}, not ${login.host}:${login.port}.`,
        'Give the host and port it was installed on.',
      );
    const target = await loginTarget(login, env);
    if (!target.ok) return target;
    return openSession(target.value, signal);
  };
  return {
    'remote:support': async ({ source, prefix }) => installSupport(deps.vault, source, prefix ?? '/'),
    'remote:host-key': async ({ host, port, knownHosts }, ctx) => {
      ctx.progress(`Reading the host key of ${host}:${port}`);
      return scanHostKey({ host, port, knownHosts }, ctx.signal);
    },
    'remote:plan': async ({ source, login, prefix }, ctx) => {
      const made = await sourceFiles(deps.vault, source);
      if (!made.ok) return made;
      const target = await loginTarget(login, env);
      if (!target.ok) return target;
      ctx.progress(`Connecting to ${login.user}@${login.host}:${login.port}`, 0.1);
      const planned = await planOnHost(target.value, made.value.platform, made.value.variant, made.value.files, prefix, ctx.signal);
      if (!planned.ok) return planned;
      const planId = plans.keep(ctx.senderId, target.value, planned.value.planned, made.value.files);
      return ok({ planId, plan: planned.value.planned.plan, hostKey: planned.value.hostKey });
    },
    'remote:install': async ({ planId, timeoutMs, vendorRef }, ctx) => {
      const kept = plans.take(ctx.senderId, planId);
      if (!kept)
        return err('NOT_FOUND', 'This plan is no longer available (it is used once, and kept for 30 minutes).', 'Show the plan again, check it, then install.');
      const vendor = vendorTokens.get(ctx.senderId, vendorRef, kept.planned.plan.platform);
      if (!vendor.ok) return vendor;
      const r = await installAndWatch(kept, timeoutMs, {
        signal: ctx.signal,
        onEvent: (message, fraction, data) => ctx.progress(message, fraction, data),
        ...(vendor.value ? { vendor: vendor.value } : {}),
      });
      // History lists what is installed on which host, with its record, so it can be undone from there.
      const platform = r.ok && r.value.record ? getPlatform(r.value.record.platform) : undefined;
      if (r.ok && r.value.record && platform) {
        const open = r.value.hops.find((h) => h.state !== 'passed');
        history.addHostInstall(platform.id, r.value.record.variant || null, {
          record: r.value.record,
          knownHosts: kept.target.knownHosts,
          online: r.value.online,
          ...(!r.value.online && open
            ? {
                leftAt:
                  `${HOP_TITLES[open.hop]}: ${open.state === 'failed' ? 'failed' : ctx.signal.aborted ? 'cancelled before it was seen' : 'not seen'}. ${open.detail}`.slice(
                    0,
                    2000,
                  ),
              }
            : {}),
        });
      }
      if (r.ok && ctx.signal.aborted && !r.value.online) {
        return ok({
          ...r.value,
          hops: r.value.hops.map((h) =>
            h.state === 'passed' || h.state === 'failed' ? h : { ...h, state: 'not-checked' as const, detail: 'cancelled before this was seen' },
          ),
        });
      }
      return r;
    },
    'remote:verify': async ({ login, platform, prefix, timeoutMs, vendorRef }, ctx) => {
      const p = getPlatform(platform);
      if (!p?.where) return err('BAD_INPUT', `${p?.name ?? platform} has no host install to check here.`);
      const vendor = vendorTokens.get(ctx.senderId, vendorRef, p.id);
      if (!vendor.ok) return vendor;
      const target = await loginTarget(login, env);
      if (!target.ok) return target;
      const opened = await openSession(target.value, ctx.signal);
      if (!opened.ok)
        return ok({
          online: false,
          hops: [{ hop: 'ssh' as const, state: 'failed' as const, detail: `${opened.error.message}${opened.error.hint ? ` ${opened.error.hint}` : ''}` }],
        });
      const session = opened.value;
      try {
        const before = [{ hop: 'ssh' as const, state: 'passed' as const, detail: `${login.user}@${login.host}:${login.port} (host key pinned)` }];
        const result = await watchOnline({
          platform: platform as PlatformId,
          where: p.where(prefix),
          run: (c) => session.exec(c),
          connect: (h, port) => session.forward(h, port),
          before,
          timeoutMs,
          pollMs: 1_000,
          signal: ctx.signal,
          onUpdate: (u) =>
            ctx.progress('Checking', undefined, { kind: 'hops', hops: u.hops, leftMs: u.leftMs, timeoutMs, ...(u.name ? { name: u.name } : {}) }),
          ...(vendor.value ? { vendor: vendor.value } : {}),
        });
        return ok({ online: result.online, hops: result.hops, ...(result.name ? { name: result.name } : {}) });
      } finally {
        session.close();
      }
    },
    'remote:vendor-token': async ({ platform, baseUrl, token, scope, proxy, trustedCa }, ctx) => {
      const p = getPlatform(platform);
      if (!p?.vendorApi) return err('BAD_INPUT', `${p?.name ?? platform} has no vendor agent list this app can ask.`);
      if (p.vendorApi.scopeField && !scope)
        return err('BAD_INPUT', `${p.vendorApi.scopeField.label} is required for this check: ${p.vendorApi.scopeField.help}`);
      const ca = trustedCa?.trim() ? readCaBundle(trustedCa) : undefined;
      if (ca && !ca.ok) return err('BAD_INPUT', `trusted CA: ${ca.error.message}`, ca.error.hint);
      // The same way out as the token check with the vendor: the Connectivity step's proxy (else the environment's), the company CA.
      const reach = { proxy: proxy ?? { mode: 'env' as const }, env, ...(ca ? { caPems: ca.value.pems } : {}) };
      const vendorRef = vendorTokens.keep(ctx.senderId, p.id, { baseUrl, token, ...(scope ? { scope } : {}), reach });
      return ok({ vendorRef, needs: p.vendorApi.scope });
    },
    'remote:undo-plan': async ({ login, record }, ctx) => {
      const opened = await recordSession(login, record, ctx.signal);
      if (!opened.ok) return opened;
      try {
        return await planRemoteUndo(opened.value, recordOf(record));
      } finally {
        opened.value.close();
      }
    },
    'remote:undo': async ({ login, record }, ctx) => {
      const opened = await recordSession(login, record, ctx.signal);
      if (!opened.ok) return opened;
      try {
        ctx.progress('Reading the host', 0.2);
        const plan = await planRemoteUndo(opened.value, recordOf(record));
        if (!plan.ok) return plan;
        const id = await opened.value.exec('id -u');
        const asRoot = id.ok && id.value.stdout.trim() === '0';
        ctx.progress('Stopping the agent and putting files back', 0.5);
        const done = await runRemoteUndo(opened.value, recordOf(record), plan.value, asRoot);
        if (!done.ok) return done;
        return ok({ done: done.value.done, dirsRemoved: done.value.dirsRemoved, asideDir: plan.value.asideDir });
      } finally {
        opened.value.close();
      }
    },
  };
}
