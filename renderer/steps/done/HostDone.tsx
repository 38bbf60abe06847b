/**
 * The Done step's part for an install on the agent host (draft.install): "Online on HOST" with the
 * hops seen, only when it was seen online; otherwise what was done and the hop not proven yet; and
 * Check again, which runs the same watch as the Install step's.
 */
import { hopsForDraft, type InstallDraft } from '../../../shared/remote-contract';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import type { StepProps } from '../types';
import { hostOutcome, loginOf, readEvents } from '../install/install-state';
import { HopList, hopsLine } from '../install/parts';
import { Section, ToStep } from './parts';

export { hostOutcome };

export function HostDone({ draft, update, platform }: Pick<StepProps, 'draft' | 'update' | 'platform'>): React.JSX.Element | null {
  const verify = useJob('remote:verify', { cancelOnUnmount: true, startMessage: 'Checking…' });
  const install: InstallDraft = draft.install ?? {};
  const record = install.record;
  if (!record) return null;
  const login = loginOf(install);
  const outcome = hostOutcome(install);
  const live = readEvents(verify.events).hops?.hops;
  const hops = verify.running && live ? live : (install.hops ?? []);

  const checkAgain = async (): Promise<void> => {
    if (!('login' in login) || !platform) return;
    const r = await verify.start({ login: login.login, platform: platform.id, prefix: record.prefix, timeoutMs: 20_000 });
    if (r.ok)
      update({
        install: { ...install, online: r.value.online, hops: hopsForDraft(r.value.hops), ...(r.value.name ? { name: r.value.name } : {}) },
      });
  };

  return (
    <Section id="done-host" title={`On the agent host ${record.host}`} pending={!outcome.online}>
      <p data-testid="done-host-outcome" data-online={outcome.online ? 'yes' : 'no'} role="status">
        {outcome.lead}
      </p>
      {hops.length > 0 && (
        <>
          <p className="muted">{hopsLine(hops)}</p>
          <HopList hops={hops} testId="done-hops" />
        </>
      )}
      <p>
        Install {record.id} at {record.at}: {record.files.length} file(s) under <code>{record.prefix}</code> as {record.user}. History lists it, with Undo.
      </p>
      <div className="button-row">
        <button type="button" className="secondary" onClick={() => void checkAgain()} disabled={verify.running || !('login' in login)}>
          Check again
        </button>
        <ToStep update={update} step="install" label="Go to Install" />
      </div>
      {'login' in login ? null : <p className="help">Check again needs the host login on the Install step.</p>}
      <p className="help">
        From a terminal:{' '}
        <code>
          agent-onboard verify --platform {record.platform} --host {record.host} --port {record.port} --user {record.user} --prefix {record.prefix} …
        </code>
      </p>
      <JobProgress label="Checking" running={verify.running} message={verify.message} fraction={verify.fraction} onCancel={verify.cancel} />
      <ErrorNote error={verify.error} />
    </Section>
  );
}
