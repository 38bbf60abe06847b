import { useEffect, useId, useReducer } from 'react';
import { COMPANY_CA_FILE } from '../../../shared/bundle';
import { keepReport, uncheckedBy } from '../../../shared/probe-report';
import { PLATFORMS } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms/types';
import { api } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { ManifestSummary, ManifestTable } from '../../components/bundle/ManifestTable';
import { useJob } from '../../components/useJob';
import { keptLabel } from '../connectivity/plan';
import type { StepProps, StepView } from '../types';
import { endpointsOf, exportReducer, exportRequest, exportStart, verifyCommand, type ExportAction, type ExportForm } from './export-form';

function ExportStep({ platform, draft, update }: StepProps): React.JSX.Element {
  const id = useId();
  const packs = Boolean(platform?.generate || platform?.analysis);
  const [form, dispatch] = useReducer(exportReducer, undefined, () => exportStart(draft, platform));
  const set = <K extends keyof Omit<ExportForm, 'problem'>>(field: K, value: ExportForm[K]): void => dispatch({ type: 'set', field, value } as ExportAction);
  const { source, folder, folderPlatform, out, includePrivateKey, passphrase, confirm, report, reportChoice, overwrite, problem } = form;
  // The Connectivity step's last report goes in by default; pasting or leaving it out is a choice.
  const kept = draft.connectivity;
  const job = useJob('bundle:export');
  const probe = useJob('probe:run');
  const endpoints = endpointsOf(draft, platform);

  const unchecked = kept ? uncheckedBy(kept, endpoints) : [];

  const checkNow = async (): Promise<void> => {
    const run = await probe.run({ endpoints, ...(draft.knownHosts ? { knownHosts: draft.knownHosts } : {}) });
    if (!run) return;
    update({
      connectivity: keepReport(run, { ...(platform ? { platform: platform.name } : {}), from: 'the machine running Agent Onboard, when the bundle was made' }),
    });
    dispatch({ type: 'checked' });
  };
  const hasKey = platform?.credential.kind === 'ssh-keypair';
  // A flow without a Connectivity step (an analysis) has no report to carry.
  const hasConnectivity = platform?.steps.includes('connectivity') ?? true;

  // Reaching Export means the onboarding produced its files: record it (the same onboarding is updated, not repeated).
  useEffect(() => {
    if (draft.platform) void api.invoke('history:add', { draft });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const built = exportRequest(form, draft, { hasConnectivity });
    dispatch({ type: 'problem', problem: built.ok ? null : built.problem });
    if (!built.ok) return;
    const done = await job.run(built.request);
    if (done) {
      dispatch({ type: 'written' });
      update({ bundlePath: done.path });
      void api.invoke('history:add', { draft, bundlePath: done.path });
    }
  };

  const result = job.value;
  const secrets = result?.manifest.files.filter((f) => f.secret) ?? [];
  return (
    <>
      <p className="lead">
        {platform?.analysis
          ? `Pack the analysis into one zip to hand to whoever changes the AWS settings: the report, each fix's whole policy, a patch for each policy as you gave it, a README with the commands, and a manifest with each file's SHA-256.`
          : `Pack everything ${platform?.name ?? 'the agent'} needs into one zip to carry to the agent host: the config files, the keys, a README with the next steps, and a manifest with each file's SHA-256 and mode.`}
      </p>
      <form className="export-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>What to pack</legend>
          <label className="choice">
            <input type="radio" name={`${id}-source`} checked={source === 'draft'} disabled={!packs} onChange={() => set('source', 'draft')} />{' '}
            {platform?.analysis ? 'The analysis of this onboarding' : 'The files of this onboarding'}
            <span className="help">
              {platform?.analysis
                ? 'The policies pasted on the Configs step are checked again: the report, each fix and a patch per policy.'
                : platform?.generate
                  ? 'Generated again from your answers and credential: the same bytes the Configs step writes.'
                  : `${platform?.name ?? 'This platform'} cannot generate its files yet.`}
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={`${id}-source`} checked={source === 'folder'} onChange={() => set('source', 'folder')} /> A folder, as it is on disk
          </label>
          {source === 'folder' ? (
            <div className="field">
              <label htmlFor={`${id}-folder`}>Folder to pack</label>
              <input
                id={`${id}-folder`}
                type="text"
                value={folder}
                onChange={(e) => set('folder', e.target.value)}
                placeholder="/opt/agent or ~/agent"
                spellCheck={false}
              />
              <label htmlFor={`${id}-folder-platform`}>Platform of this folder</label>
              <select id={`${id}-folder-platform`} value={folderPlatform} onChange={(e) => set('folderPlatform', e.target.value as PlatformId | '')}>
                <option value="">Recognise it from the files</option>
                {PLATFORMS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <span className="help">The bundle's README gives that platform's next steps.</span>
            </div>
          ) : null}
        </fieldset>
        {hasKey || source === 'folder' ? (
          <fieldset>
            <legend>Include</legend>
            <label className="choice">
              <input
                type="checkbox"
                checked={includePrivateKey}
                onChange={(e) => set('includePrivateKey', e.target.checked)}
                aria-describedby={`${id}-key-help`}
              />{' '}
              The private key
              <span className="help" id={`${id}-key-help`}>
                {source === 'folder'
                  ? 'Off: every file of the folder that holds a private key is left out (listed after packing); move the key to the agent host separately.'
                  : 'Off: the bundle carries the public key only; move the private key to the agent host separately.'}
              </span>
            </label>
          </fieldset>
        ) : null}
        {hasConnectivity ? (
          <fieldset>
            <legend>Connectivity report</legend>
            <p className="help" id={`${id}-report-help`}>
              Added as connectivity-report.txt, so whoever installs the agent sees what was checked.
            </p>
            {kept ? (
              <>
                <label className="choice">
                  <input type="radio" name={`${id}-report-src`} checked={reportChoice === 'kept'} onChange={() => set('reportChoice', 'kept')} /> The report of
                  the last check
                  <span className="help" data-testid="kept-report">
                    Checked {keptLabel(kept)}.{unchecked.length ? ` It did not check ${unchecked.join(', ')}: check again to include them.` : ''}
                  </span>
                </label>
                <label className="choice">
                  <input type="radio" name={`${id}-report-src`} checked={reportChoice === 'paste'} onChange={() => set('reportChoice', 'paste')} /> A report I
                  paste
                </label>
                <label className="choice">
                  <input type="radio" name={`${id}-report-src`} checked={reportChoice === 'none'} onChange={() => set('reportChoice', 'none')} /> No report
                </label>
                {reportChoice === 'kept' ? (
                  <details>
                    <summary>Show the report</summary>
                    <pre data-testid="export-report">{kept.text}</pre>
                  </details>
                ) : null}
              </>
            ) : null}
            {!kept || reportChoice === 'paste' ? (
              <div className="field">
                <label htmlFor={`${id}-report`}>Connectivity report (optional)</label>
                <textarea
                  id={`${id}-report`}
                  rows={4}
                  value={report}
                  onChange={(e) => set('report', e.target.value)}
                  aria-describedby={`${id}-report-help`}
                  placeholder="Paste the report copied on the Connectivity step"
                />
              </div>
            ) : null}
            {endpoints.length ? (
              <div className="row">
                <button type="button" className="secondary small" disabled={probe.running} onClick={() => void checkNow()}>
                  {kept ? 'Check connectivity again and use its report' : 'Check connectivity now and use its report'}
                </button>
              </div>
            ) : null}
            <JobProgress label="Checking connectivity" running={probe.running} message={probe.message} fraction={probe.fraction} onCancel={probe.cancel} />
            {probe.error ? <ErrorNote error={probe.error} /> : null}
            {source !== 'folder' && draft.trustedCa ? (
              <p className="help" data-testid="export-company-ca">
                The company CA trusted on the Connectivity step is added as {COMPANY_CA_FILE}, with the commands that make the agent host trust it.
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <fieldset>
          <legend>Protect the secret files (optional)</legend>
          <p className="help" id={`${id}-pass-help`}>
            With a passphrase the secret files are encrypted (AES-256-GCM, key from scrypt). The passphrase is not stored anywhere: tell it to whoever unpacks
            the bundle by another channel.
          </p>
          <div className="field">
            <label htmlFor={`${id}-pass`}>Passphrase</label>
            <input
              id={`${id}-pass`}
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => set('passphrase', e.target.value)}
              aria-describedby={`${id}-pass-help`}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-confirm`}>Passphrase again</label>
            <input id={`${id}-confirm`} type="password" autoComplete="new-password" value={confirm} onChange={(e) => set('confirm', e.target.value)} />
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-out`}>Bundle file</label>
          <input id={`${id}-out`} type="text" value={out} onChange={(e) => set('out', e.target.value)} spellCheck={false} />
        </div>
        <label className="choice">
          <input type="checkbox" checked={overwrite} onChange={(e) => set('overwrite', e.target.checked)} /> Replace the bundle file if it exists (the old one
          is backed up)
        </label>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" disabled={job.running}>
            Create bundle
          </button>
        </div>
      </form>
      <JobProgress label="Creating the bundle" running={job.running} message={job.message} fraction={job.fraction} onCancel={job.cancel} />
      {job.error ? <ErrorNote error={job.error} /> : null}
      {result ? (
        <section className="result" aria-labelledby={`${id}-done`}>
          <h2 id={`${id}-done`}>Bundle written</h2>
          <p role="status" className="ok">
            Wrote <code data-testid="bundle-path">{result.path}</code> ({result.bytes} bytes). <CopyButton text={result.path} label="Copy the bundle path" />
          </p>
          <p>
            SHA-256 of the zip: <code className="hash">{result.sha256}</code> <CopyButton text={result.sha256} label="Copy the bundle's SHA-256" />
          </p>
          {result.warnings.map((w) => (
            <p key={w} className="notice" role="alert" data-testid="bundle-warning">
              {w}
            </p>
          ))}
          <ManifestSummary manifest={result.manifest} />
          <ManifestTable files={result.manifest.files.map((f) => ({ ...f, encrypted: Boolean(f.encrypted) }))} caption="Files in the bundle" />
          {result.left.length ? (
            <p>
              Not packed:{' '}
              {result.left.map((l) => (
                <code key={l}>{l} </code>
              ))}
            </p>
          ) : null}
          {result.secretFiles.length ? (
            <div data-testid="secret-files">
              <p>Secret files (by what they hold):</p>
              <ul>
                {result.secretFiles.map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code>: {f.because.join(', ')}
                    {secrets.find((m) => m.path === f.path)?.encrypted ? ' (encrypted)' : ' (NOT encrypted)'}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {secrets.some((f) => !f.encrypted) ? (
            <p className="warn">
              {secrets.filter((f) => !f.encrypted).length} secret file(s) travel unencrypted in this bundle: keep it as private as they are and delete it once
              unpacked, or create it again with a passphrase.
            </p>
          ) : null}
          <p>
            On the agent host, check it first: <code>{verifyCommand(result.path)}</code>{' '}
            <CopyButton text={verifyCommand(result.path)} label="Copy the verify command" />
          </p>
        </section>
      ) : null}
    </>
  );
}

export const exportStep: StepView = { Component: ExportStep };
