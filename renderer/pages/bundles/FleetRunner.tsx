import { useEffect, useId, useState } from 'react';
import type { ChannelOutput, Draft } from '../../../shared/ipc';
import { getPlatform } from '../../../shared/platforms';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { AnsibleExport } from './AnsibleExport';

type Check = ChannelOutput<'fleet:check'>;

/** One bundle per agent from a CSV, with the wizard's draft as the template. */
export function FleetRunner({ navigate }: { navigate(page: string): void }): React.JSX.Element {
  const id = useId();
  const [draft, setDraft] = useState<Draft | null | undefined>(undefined);
  const [csv, setCsv] = useState('');
  const [outDir, setOutDir] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [includePrivateKey, setIncludePrivateKey] = useState(false);
  const [overwrite, setOverwrite] = useState(false);
  const [keyPerAgent, setKeyPerAgent] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const job = useJob('fleet:run');

  useEffect(() => {
    void api.invoke('draft:load', {}).then((r) => setDraft(r.ok ? r.value : null));
  }, []);

  const platform = draft?.platform ? getPlatform(draft.platform) : undefined;
  if (draft === undefined) return <p aria-busy="true">Loading…</p>;
  if (!draft || !platform) {
    return (
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Fleet: one bundle per agent</h2>
        <p>
          A fleet uses an onboarding as its template (platform, answers, credential).{' '}
          <button type="button" className="link" onClick={() => navigate('wizard')}>
            Start one in the wizard
          </button>
          , then come back.
        </p>
      </section>
    );
  }

  const readFile = async (files: FileList | null): Promise<void> => {
    const f = files?.[0];
    if (!f) return;
    if (f.size > 2_000_000) return setError({ code: 'BAD_INPUT', message: 'That CSV is over 2 MB: a fleet run packs at most 1000 agents.' });
    setCsv(await f.text());
    setCheck(null);
  };

  const runCheck = async (): Promise<Check | null> => {
    setError(null);
    if (!csv.trim()) {
      setError({ code: 'BAD_INPUT', message: 'Choose or paste a CSV first.' });
      return null;
    }
    const r = await api.invoke('fleet:check', { draft, csv });
    setCheck(r.ok ? r.value : null);
    if (!r.ok) setError(r.error);
    return r.ok ? r.value : null;
  };

  const run = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = await runCheck();
    if (!checked) return;
    if (checked.problems.length || checked.agents.some((a) => a.errors.length)) return;
    if (!outDir.trim()) return setError({ code: 'BAD_INPUT', message: 'Give the folder for the bundles.' });
    if (passphrase && passphrase.length < 8) return setError({ code: 'BAD_INPUT', message: 'The passphrase must have at least 8 characters.' });
    if (keyPerAgent && !passphrase)
      return setError({ code: 'BAD_INPUT', message: "Each agent's private key travels only in its bundle: give a passphrase to encrypt them." });
    const done = await job.run({ draft, csv, outDir, includePrivateKey, overwrite, keyPerAgent, ...(passphrase ? { passphrase } : {}) });
    if (done) void api.invoke('history:add', { draft, bundlePath: done.outDir, agents: done.created });
  };

  const bad = check ? check.agents.filter((a) => a.errors.length) : [];
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Fleet: one bundle per agent</h2>
      <p>
        Template: <strong>{platform.name}</strong>
        {draft.variant ? ` (${platform.variants.find((v) => v.id === draft.variant)?.name ?? draft.variant})` : ''} from the wizard, with its answers and
        credential. The CSV has a header line; <code>name</code> is required (each bundle is <code>name.zip</code>), <code>host</code> and <code>variant</code>{' '}
        are optional, and any other column sets that field (a list field as a JSON list): {platform.fields.map((f) => f.key).join(', ')}.
      </p>
      <form onSubmit={(e) => void run(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input id={`${id}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void readFile(e.target.files)} />
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-csv`}>CSV (or paste it here)</label>
          <textarea
            id={`${id}-csv`}
            rows={6}
            value={csv}
            spellCheck={false}
            placeholder={'name,host\nagent-01,build01.internal'}
            onChange={(e) => {
              setCsv(e.target.value);
              setCheck(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-out`}>Folder for the bundles</label>
          <input id={`${id}-out`} type="text" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="~/fleet" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pass`}>Passphrase for the secret files (optional, 8+ characters)</label>
          <input id={`${id}-pass`} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </div>
        {platform.credential.kind === 'ssh-keypair' ? (
          <>
            <label className="choice">
              <input type="checkbox" checked={keyPerAgent} onChange={(e) => setKeyPerAgent(e.target.checked)} /> A new key pair for each agent (recommended: a
              lost or retired agent&apos;s key is revoked alone). Each private key travels only in its agent&apos;s bundle, encrypted with the passphrase, and{' '}
              <code>public-keys.csv</code> lists every public key to register.
            </label>
            {!keyPerAgent && (
              <label className="choice">
                <input type="checkbox" checked={includePrivateKey} onChange={(e) => setIncludePrivateKey(e.target.checked)} /> Include the wizard&apos;s private
                key in every bundle
              </label>
            )}
          </>
        ) : null}
        <label className="choice">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace bundles that already exist
        </label>
        <div className="row">
          <button type="button" className="secondary" onClick={() => void runCheck()} disabled={job.running}>
            Check the CSV
          </button>
          <button type="submit" disabled={job.running}>
            Create the bundles
          </button>
        </div>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {check ? (
        <div role="status" className={check.problems.length || bad.length ? 'bad' : 'ok'} data-testid="fleet-check">
          {check.problems.length || bad.length ? (
            <>
              <p>Fix the CSV first:</p>
              <ul>
                {check.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
                {bad.map((a) => (
                  <li key={a.line}>
                    Line {a.line} ({a.name || 'no name'}): {a.errors.join('; ')}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              {check.agents.length} agents, all valid: {check.agents.map((a) => a.name).join(', ')}.
            </p>
          )}
        </div>
      ) : null}
      <JobProgress label="Creating the fleet's bundles" running={job.running} message={job.message} fraction={job.fraction} onCancel={job.cancel} />
      {job.error ? <ErrorNote error={job.error} /> : null}
      {job.value ? (
        <div className="result">
          <p role="status" className={job.value.failed ? 'warn' : 'ok'} data-testid="fleet-summary">
            {job.value.created} bundles created, {job.value.failed} failed{job.value.cancelled ? `, ${job.value.cancelled} not made (cancelled)` : ''} in{' '}
            {(job.value.elapsedMs / 1000).toFixed(1)} s, in <code>{job.value.outDir}</code>.
          </p>
          {job.value.publicKeys ? (
            <p data-testid="fleet-public-keys">
              Each agent has its own key pair: register every public key listed in <code>{job.value.publicKeys}</code> with {platform.name} before the agents
              start.
            </p>
          ) : null}
          <table className="table">
            <caption>Bundles</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Result</th>
                <th scope="col">File</th>
                {job.value.publicKeys ? <th scope="col">Key fingerprint</th> : null}
              </tr>
            </thead>
            <tbody>
              {job.value.bundles.map((b) => (
                <tr key={b.name}>
                  <th scope="row">{b.name}</th>
                  <td className={b.status === 'created' ? 'good' : 'bad'}>
                    {b.status === 'created' ? `created (${b.bytes} bytes)` : b.status === 'failed' ? `failed: ${b.error}` : 'not made (cancelled)'}
                  </td>
                  <td>
                    <code>{b.path}</code>
                  </td>
                  {job.value?.publicKeys ? (
                    <td>
                      <code className="fingerprint">{b.fingerprint ?? '—'}</code>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <AnsibleExport draft={draft} platform={platform} csv={csv} />
    </section>
  );
}
