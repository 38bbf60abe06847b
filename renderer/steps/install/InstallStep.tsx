import { useEffect, useId, useState } from 'react';
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc';
import type { PlatformId } from '../../../shared/platforms/types';
import { mergeKnownHosts, unpinHost } from '../../../shared/known-hosts';
import { logHops } from '../../../shared/online';
import { hopsForDraft, type InstallDraft } from '../../../shared/remote-contract';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { CommandList } from '../../components/CommandList';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { initialProxy } from '../connectivity/plan';
import type { StepProps, StepView } from '../types';
import { isPinnedLine, loginOf, plannedHops, readEvents } from './install-state';
import { AgentHostKey, HopList, hopsLine, PlanView, UndoJobsView } from './parts';
import { PastedLog } from './PastedLog';
import { VendorConfirm, type VendorReachInput } from './VendorConfirm';

type Support = ChannelOutput<'remote:support'>;
/** What is installed: the wizard's draft, or a bundle file (the Bundles page). */
export type InstallSourceInput = ChannelInput<'remote:plan'>['source'];

/** The source without what the Install step itself changes (its own state, the step), so typing a host asks nothing again. */
function sourceKey(source: InstallSourceInput): string {
  return JSON.stringify(source.kind === 'draft' ? { ...source, draft: { ...source.draft, install: undefined, step: 'install' } } : source);
}

/** The way to the vendor of a draft's Connectivity step (its proxy, its company CA); a bundle's: main's default. */
function vendorReach(source: InstallSourceInput): VendorReachInput | undefined {
  if (source.kind !== 'draft') return undefined;
  return { proxy: initialProxy(source.draft), ...(source.draft.trustedCa ? { trustedCa: source.draft.trustedCa } : {}) };
}

/** Whether the source's install type is installed from here (asked again when the source changes). */
function useSupport(source: InstallSourceInput, prefix: string): { support: Support | null; error: AppError | null } {
  const key = JSON.stringify({ source: sourceKey(source), prefix });
  const [state, setState] = useState<{ key: string; support: Support | null; error: AppError | null } | null>(null);
  useEffect(() => {
    let live = true;
    const { source: src, prefix: p } = JSON.parse(key) as { source: string; prefix: string };
    void api.invoke('remote:support', { source: JSON.parse(src) as InstallSourceInput, prefix: p }).then((r) => {
      if (live) setState({ key, support: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state : { support: null, error: null };
}

/** One text field of the host form. */
function Field({
  id,
  label,
  value,
  onChange,
  error,
  help,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string | undefined;
  help?: string;
  placeholder?: string;
}): React.JSX.Element {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className={error ? 'error' : 'help'}>
        {error ? `${label} ${error}` : help}
      </p>
    </div>
  );
}

/**
 * Install on the agent host, for the wizard's step and the Bundles page alike: the host form and
 * its key confirmed, the plan, the install with its hops, Check again and Undo. `install` is the
 * state kept (the draft's on the step), `set` changes it.
 */
export function InstallPanel({
  source,
  platformId,
  install,
  set,
}: {
  source: InstallSourceInput;
  platformId: PlatformId | undefined;
  install: InstallDraft;
  set(patch: Partial<InstallDraft> | null): void;
}): React.JSX.Element {
  const id = useId();
  const { support, error: supportError } = useSupport(source, install.prefix?.trim() || '/');
  const [touched, setTouched] = useState(false);
  const [timeoutS, setTimeoutS] = useState('90');
  // The optional vendor check's token is kept in main; this window holds only its reference.
  const [vendorRef, setVendorRef] = useState<string | undefined>(undefined);
  const scan = useJob('remote:host-key', { cancelOnUnmount: true, startMessage: 'Reading the host key…' });
  const planJob = useJob('remote:plan', { cancelOnUnmount: true, startMessage: 'Logging in and reading the host…' });
  const installJob = useJob('remote:install', { startMessage: 'Starting the install…' });
  const verify = useJob('remote:verify', { cancelOnUnmount: true, startMessage: 'Checking…' });
  const undoPlan = useJob('remote:undo-plan', { cancelOnUnmount: true, startMessage: 'Reading the host…' });
  const undo = useJob('remote:undo', { startMessage: 'Undoing…' });

  const login = loginOf(install);
  const errors = 'errors' in login ? login.errors : {};
  const show = (k: string): string | undefined => (touched ? errors[k] : undefined);
  const host = install.host?.trim() ?? '';
  const port = Number(install.port?.trim() || '22');
  const label = `${host}${port === 22 ? '' : `:${port}`}`;
  const presented = scan.value;
  const pinnedNow = presented ? isPinnedLine(install.knownHosts, host, port, presented.line) : false;
  const ready = 'login' in login && pinnedNow;
  const { output, hops: liveHops } = readEvents(installJob.events);
  const verifyLive = readEvents(verify.events).hops;

  const resetAfterLogin = (): void => {
    planJob.reset();
    installJob.reset();
  };
  const readKey = (): void => {
    setTouched(true);
    if (errors.host || errors.port) return;
    resetAfterLogin();
    void scan.run({ host, port, knownHosts: install.knownHosts ?? '' });
  };
  const showPlan = (): void => {
    setTouched(true);
    if (!('login' in login)) return;
    installJob.reset();
    void planJob.run({ source: JSON.parse(sourceKey(source)) as InstallSourceInput, login: login.login, prefix: login.prefix });
  };
  const runInstall = async (): Promise<void> => {
    if (!planJob.value) return;
    const seconds = Math.min(600, Math.max(5, Number(timeoutS) || 90));
    const r = await installJob.start({ planId: planJob.value.planId, timeoutMs: seconds * 1000, ...(vendorRef ? { vendorRef } : {}) });
    planJob.reset();
    if (r.ok)
      set({
        ...(r.value.record ? { record: r.value.record } : {}),
        online: r.value.online,
        hops: hopsForDraft(r.value.hops),
        ...(r.value.name ? { name: r.value.name } : {}),
      });
  };
  const checkAgain = async (): Promise<void> => {
    if (!('login' in login) || !platformId) return;
    const r = await verify.start({
      login: login.login,
      platform: platformId,
      prefix: install.record?.prefix ?? login.prefix,
      timeoutMs: 20_000,
      ...(vendorRef ? { vendorRef } : {}),
    });
    if (r.ok) set({ online: r.value.online, hops: hopsForDraft(r.value.hops), ...(r.value.name ? { name: r.value.name } : {}) });
  };

  if (supportError) return <ErrorNote error={supportError} testId="install-error" />;
  if (!support) return <p role="status">Reading what this install needs…</p>;
  if (!support.supported) {
    return (
      <section className="cfg-panel" data-testid="install-manual">
        <h2>Install by hand on the agent host</h2>
        <p>
          <strong>This install type is not installed over SSH from here yet.</strong> {support.reason}
        </p>
        {support.hint && <p className="help">{support.hint}</p>}
        {support.commands.length > 0 ? (
          <CommandList commands={support.commands} />
        ) : (
          <p>Copy the files from the Configs step (or the bundle) to the agent host.</p>
        )}
        {support.notes.length > 0 && (
          <ul className="help">
            {support.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {platformId && logHops(platformId).length > 0 && (
          <PastedLog platform={platformId} command={support.commands.find((c) => /\b(?:kubectl|docker) logs\b|journalctl/.test(c.command))?.command} />
        )}
      </section>
    );
  }

  const final = installJob.value;
  const hops = installJob.running ? (liveHops?.hops ?? (platformId ? plannedHops(platformId) : [])) : (final?.hops ?? []);
  const leftS = liveHops ? Math.ceil(liveHops.leftMs / 1000) : undefined;

  return (
    <>
      <p className="help">
        {support.title}. The app logs in to the agent host over SSH, shows the plan, installs the files, starts the agent and watches it come online, hop by
        hop.
      </p>
      <section className="cfg-panel" aria-labelledby={`${id}-host-h`}>
        <h2 id={`${id}-host-h`}>Agent host</h2>
        <div className="install-host">
          <Field
            id={`${id}-host`}
            label="Host"
            value={install.host ?? ''}
            onChange={(v) => set({ host: v })}
            error={show('host')}
            help="Name or address of the machine the agent runs on."
            placeholder="agent1.internal"
          />
          <Field id={`${id}-port`} label="Port" value={install.port ?? '22'} onChange={(v) => set({ port: v })} error={show('port')} help="Its SSH port." />
          <Field
            id={`${id}-user`}
            label="User"
            value={install.user ?? ''}
            onChange={(v) => set({ user: v })}
            error={show('user')}
            help="The login on the host (root, or a user with passwordless sudo, or one owning the install root)."
          />
        </div>
        <fieldset>
          <legend>Login key</legend>
          <label className="choice">
            <input type="radio" name={`${id}-key`} checked={install.key !== 'agent'} onChange={() => set({ key: 'file' })} /> A private key file
          </label>
          <label className="choice">
            <input type="radio" name={`${id}-key`} checked={install.key === 'agent'} onChange={() => set({ key: 'agent' })} /> The running ssh-agent
          </label>
          {install.key !== 'agent' && (
            <Field
              id={`${id}-keypath`}
              label="Path of the key file"
              value={install.keyPath ?? ''}
              onChange={(v) => set({ keyPath: v })}
              error={show('keyPath')}
              help="Its path on this machine; the app reads it, it never leaves this process. A key with a passphrase: use the ssh-agent."
              placeholder="~/.ssh/id_ed25519"
            />
          )}
        </fieldset>
        <Field
          id={`${id}-prefix`}
          label="Install root"
          value={install.prefix ?? '/'}
          onChange={(v) => set({ prefix: v })}
          error={show('prefix')}
          help="Where on the host the files go (/ for the usual places; a folder the login user owns works without root)."
        />
        <button type="button" className="secondary" onClick={readKey} disabled={scan.running}>
          {presented ? 'Read the host key again' : 'Connect and show the host key'}
        </button>
        <JobProgress label="Reading the host key" running={scan.running} message={scan.message} fraction={scan.fraction} onCancel={scan.cancel} />
        <ErrorNote error={scan.error} testId="host-key-error" />
        {presented && (
          <AgentHostKey
            label={label}
            presented={presented}
            pinned={pinnedNow}
            onPin={() => set({ knownHosts: mergeKnownHosts(install.knownHosts, presented.line) })}
            onUnpin={() => {
              set({ knownHosts: unpinHost(install.knownHosts, host, port) });
              resetAfterLogin();
            }}
          />
        )}
      </section>

      {ready && <VendorConfirm platformId={platformId} vendorRef={vendorRef} onRef={setVendorRef} reach={vendorReach(source)} />}
      {ready && !installJob.running && (
        <div className="button-row">
          <button type="button" className={planJob.value ? 'secondary' : ''} onClick={showPlan} disabled={planJob.running}>
            {planJob.value ? 'Show the plan again' : 'Show the plan'}
          </button>
        </div>
      )}
      <JobProgress label="Planning the install" running={planJob.running} message={planJob.message} fraction={planJob.fraction} onCancel={planJob.cancel} />
      <ErrorNote error={planJob.error} testId="plan-error" />
      {planJob.value && !installJob.running && (
        <>
          <PlanView plan={planJob.value.plan} user={install.user ?? ''} />
          <div className="button-row">
            <div className="field">
              <label htmlFor={`${id}-limit`}>Time limit to see it online (seconds)</label>
              <input id={`${id}-limit`} type="number" min={5} max={600} value={timeoutS} onChange={(e) => setTimeoutS(e.target.value)} />
            </div>
            <button type="button" onClick={() => void runInstall()}>
              Install on {label}
            </button>
          </div>
        </>
      )}

      {(installJob.running || final) && (
        <section className="cfg-panel" aria-labelledby={`${id}-watch-h`}>
          <h2 id={`${id}-watch-h`}>{installJob.running ? 'Installing and watching' : final?.online ? 'Online' : 'Not online'}</h2>
          <JobProgress label="Install" running={installJob.running} message={installJob.message} fraction={installJob.fraction} onCancel={installJob.cancel} />
          {installJob.running && leftS !== undefined && liveHops && (
            <p data-testid="time-limit">
              Time limit: {leftS} s left of {Math.round(liveHops.timeoutMs / 1000)} s.
            </p>
          )}
          <HopList hops={hops} testId="install-hops" />
          {final && <OutcomeNote final={final} />}
          {output && (
            <details open={installJob.running}>
              <summary>Output of the commands on the host</summary>
              <pre className="install-output" data-testid="install-output" tabIndex={0} aria-label="Output of the commands on the host">
                {output}
              </pre>
            </details>
          )}
        </section>
      )}
      <ErrorNote error={installJob.error} testId="install-error" />

      {install.record && !installJob.running && (
        <section className="cfg-panel" aria-labelledby={`${id}-after-h`}>
          <h2 id={`${id}-after-h`}>
            {install.record.files.length ? 'Installed on' : 'Partly installed on'} {install.record.host}
          </h2>
          <p>
            Install {install.record.id} at {install.record.at}: {install.record.files.length} file(s) under {install.record.prefix}.{' '}
            {install.online ? 'Last seen online.' : 'Not seen online yet.'}
          </p>
          <div className="button-row">
            <button type="button" className="secondary" onClick={() => void checkAgain()} disabled={verify.running || !('login' in login)}>
              Check again
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => 'login' in login && install.record && void undoPlan.run({ login: login.login, record: install.record })}
              disabled={undoPlan.running || undo.running || !('login' in login)}
            >
              Undo this install…
            </button>
          </div>
          <p className="help">
            From a terminal:{' '}
            <code>
              agent-onboard verify --platform {install.record.platform} --host {install.record.host} --port {install.record.port} --user {install.record.user}{' '}
              --prefix {install.record.prefix} …
            </code>
          </p>
          <JobProgress label="Checking" running={verify.running} message={verify.message} fraction={verify.fraction} onCancel={verify.cancel} />
          {(verify.running ? verifyLive?.hops : verify.value?.hops) && (
            <HopList hops={(verify.running ? verifyLive?.hops : verify.value?.hops) ?? []} testId="verify-hops" />
          )}
          {verify.value && <p role="status">{verify.value.online ? 'Online now.' : 'Not online now: the first hop not proven is named above.'}</p>}
          <ErrorNote error={verify.error} />
          <UndoJobsView
            undoPlan={undoPlan}
            undo={undo}
            onUndo={() =>
              'login' in login &&
              install.record &&
              void undo.start({ login: login.login, record: install.record }).then((r) => {
                if (r.ok) {
                  set(null);
                  undoPlan.reset();
                }
              })
            }
          />
        </section>
      )}
      {undo.value && (
        <p className="ok" role="status" data-testid="undo-done">
          Undone: {undo.value.done.length} step(s); created files are in {undo.value.asideDir} on the host.
        </p>
      )}
    </>
  );
}

/** What the end of an install means: online, or what was done and which hop is not proven. */
function OutcomeNote({ final }: { final: ChannelOutput<'remote:install'> }): React.JSX.Element {
  if (final.online) {
    return (
      <p className="ok" role="status" data-testid="install-outcome">
        Online{final.name ? ` as ${final.name}` : ''}: {hopsLine(final.hops)}.
      </p>
    );
  }
  const failed = final.hops.find((h) => h.state === 'failed');
  const open = final.hops.find((h) => h.state !== 'passed');
  return (
    <div role="alert" data-testid="install-outcome" className="error-note">
      <p>
        <strong>{final.failure?.code === 'CANCELLED' ? 'Cancelled.' : 'Not online.'}</strong>{' '}
        {failed
          ? `It failed at "${hopsLine([failed])}": ${failed.detail}`
          : open
            ? `"${hopsLine([open])}" was not seen within the time limit. Check again later.`
            : ''}
      </p>
      {final.failure && (
        <>
          <p data-testid="install-in-place">
            In place on the host now: {final.failure.inPlace.length ? final.failure.inPlace.join(', ') : 'nothing'}
            {final.failure.leftovers.length
              ? `; temporary files left (harmless, not in use; remove them or run the install again): ${final.failure.leftovers.join(', ')}`
              : final.failure.inPlace.length || final.record
                ? ''
                : ' (the host is as it was)'}
            .
          </p>
          {(final.failure.inPlace.length > 0 || final.record) && (
            <p>To finish, fix the cause and choose Show the plan again, then Install: it replaces nothing twice. Or undo what is in place below.</p>
          )}
        </>
      )}
    </div>
  );
}

function InstallStepView({ draft, update, platform }: StepProps): React.JSX.Element {
  const install: InstallDraft = draft.install ?? {};
  return (
    <InstallPanel
      source={{ kind: 'draft', draft }}
      platformId={platform?.id}
      install={install}
      set={(patch) => {
        if (patch) return update({ install: { ...install, ...patch } });
        // Undone: the record and its outcome go; the host and its pin stay for another install.
        const { record: _record, online: _online, hops: _hops, name: _name, ...rest } = install;
        update({ install: rest });
      }}
    />
  );
}

export const installStep: StepView = { Component: InstallStepView };
