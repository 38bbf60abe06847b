import { CopyButton } from '../../components/CopyButton';
import { CommandList } from '../../components/CommandList';
import { useCallback, useEffect, useId, useState } from 'react';
import type { ConfigsPlan, PlannedFileView } from '../../../shared/configs-contract';
import type { ChannelInput, ChannelOutput, Draft } from '../../../shared/ipc';
import type { AnyPlatform } from '../../../shared/platforms/types';
import { ERROR_TITLES, type AppError } from '../../../shared/result';
import { api } from '../../api';
import { CodeText } from '../../components/CodeText';
import { DiffView } from '../../components/DiffView';
import { useJob } from '../../components/useJob';
import { formToAnswers } from '../../wizard';
import type { StepProps, StepView } from '../types';
import { platformView } from '../../platforms';

type Request = ChannelInput<'configs:plan'>;
type Written = ChannelOutput<'configs:write'>;

const STATUS_WORDS: Record<PlannedFileView['status'], string> = { create: 'new', update: 'changes', same: 'unchanged' };
const WRITTEN_WORDS: Record<Written['files'][number]['status'], string> = { created: 'created', updated: 'replaced', unchanged: 'unchanged' };

/** What the preview and the write are asked for, from the draft (null until a folder is given). */
export function requestOf(draft: Draft, platform: AnyPlatform): Request | null {
  if (!draft.outDir?.trim() || !draft.variant) return null;
  return {
    platform: platform.id,
    variant: draft.variant,
    answers: formToAnswers(platform, draft.variant, draft.answers),
    ...(draft.credentialId ? { credentialId: draft.credentialId } : {}),
    ...(draft.knownHosts ? { knownHosts: draft.knownHosts } : {}),
    ...(draft.trustedCa ? { trustedCa: draft.trustedCa } : {}),
    outDir: draft.outDir.trim(),
  };
}

function FilePreview({ file }: { file: PlannedFileView }): React.JSX.Element {
  const [tab, setTab] = useState<'diff' | 'text'>(file.status === 'update' ? 'diff' : 'text');
  const id = useId();
  if (file.secret) {
    return (
      <section className="cfg-file-preview" aria-labelledby={`${id}-h`}>
        <h3 id={`${id}-h`}>{file.path}</h3>
        <p>
          Secret: its contents are not shown here. It is written with mode {file.mode.toString(8).padStart(4, '0')}
          {file.status === 'update' ? '; the file there now is backed up first' : ''}.
        </p>
        <p className="help">{file.diff}</p>
      </section>
    );
  }
  return (
    <section className="cfg-file-preview" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{file.path}</h3>
      {file.description && <p className="help">{file.description}</p>}
      <div className="cfg-tabs">
        <button type="button" className={tab === 'text' ? '' : 'secondary'} aria-pressed={tab === 'text'} onClick={() => setTab('text')}>
          Contents
        </button>
        <button type="button" className={tab === 'diff' ? '' : 'secondary'} aria-pressed={tab === 'diff'} onClick={() => setTab('diff')}>
          Changes
        </button>
        {file.text !== undefined && <CopyButton text={file.text} label={`Copy the contents of ${file.path}`} />}
      </div>
      {tab === 'text' ? (
        <pre aria-label={`Contents of ${file.path}`} tabIndex={0}>
          {file.text}
        </pre>
      ) : file.diff ? (
        <DiffView diff={file.diff} label={`Changes to ${file.path}`} />
      ) : (
        <p className="help">No changes: the file on disk is already exactly this.</p>
      )}
    </section>
  );
}

function FilesTable({ plan, selected, onSelect }: { plan: ConfigsPlan; selected: string | null; onSelect(path: string): void }): React.JSX.Element {
  return (
    <table className="table cfg-files">
      <caption className="sr-only">Files to write</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">In the folder</th>
          <th scope="col">Mode</th>
          <th scope="col">Preview</th>
        </tr>
      </thead>
      <tbody>
        {plan.files.map((f) => (
          <tr key={f.path} className={selected === f.path ? 'cfg-selected' : undefined}>
            <th scope="row">
              <code>{f.path}</code>
              {f.secret && <span className="cfg-badge">secret</span>}
            </th>
            <td className={`cfg-status-${f.status}`}>{STATUS_WORDS[f.status]}</td>
            <td>
              <code>{f.mode.toString(8).padStart(4, '0')}</code>
            </td>
            <td>
              <button
                type="button"
                className="secondary cfg-small"
                aria-pressed={selected === f.path}
                onClick={() => onSelect(f.path)}
                aria-label={`Preview ${f.path}`}
              >
                Show
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What to do about a failed preview or write, with the step that fixes it when there is one. */
function ErrorPanel({ error, update, draft, onRetry }: { error: AppError; update: StepProps['update']; draft: Draft; onRetry(): void }): React.JSX.Element {
  const [pasted, setPasted] = useState('');
  return (
    <div className="cfg-panel cfg-error" role="alert">
      <p>
        <strong>{ERROR_TITLES[error.code]}.</strong> {error.message}
      </p>
      {error.hint && (
        <p>
          <CodeText text={error.hint} />
        </p>
      )}
      {error.code === 'HOST_KEY_REQUIRED' && (
        <div className="field">
          <label htmlFor="known-hosts-paste">Server host key (known_hosts line)</label>
          <p className="help" id="known-hosts-paste-help">
            Paste the line only after comparing its fingerprint with the one the vendor published. The fingerprint is shown here once the files preview.
          </p>
          <textarea
            id="known-hosts-paste"
            rows={3}
            aria-describedby="known-hosts-paste-help"
            spellCheck={false}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            placeholder="tunnel.example.com ssh-ed25519 AAAA…"
          />
          <div className="cfg-row">
            <button
              type="button"
              disabled={!pasted.trim()}
              onClick={() => update({ knownHosts: [draft.knownHosts?.trim(), pasted.trim()].filter(Boolean).join('\n') + '\n' })}
            >
              Pin this host key
            </button>
            <button type="button" className="secondary" onClick={() => update({ step: 'connectivity' })}>
              Go to Connectivity
            </button>
          </div>
        </div>
      )}
      {(error.code === 'SECRET_UNAVAILABLE' ||
        error.code === 'SECRET_LOCKED' ||
        error.code === 'TOKEN_WRONG_KIND' ||
        error.code === 'PASSPHRASE_REQUIRED' ||
        error.code === 'KEY_MALFORMED' ||
        error.code === 'KEY_UNSUPPORTED') && (
        <button type="button" className="secondary" onClick={() => update({ step: 'credentials' })}>
          Go to Credentials
        </button>
      )}
      {error.code === 'BAD_INPUT' && error.field !== 'outDir' && (
        <button type="button" className="secondary" onClick={() => update({ step: 'details' })}>
          Go to Details
        </button>
      )}
      {error.code === 'FILE_CHANGED' && (
        <button type="button" className="secondary" onClick={onRetry}>
          Preview again
        </button>
      )}
    </div>
  );
}

function WriteResult({ written }: { written: Written }): React.JSX.Element {
  const changed = written.files.filter((f) => f.status !== 'unchanged').length;
  return (
    <section className="cfg-panel" aria-labelledby="written-h">
      <h2 id="written-h">Written</h2>
      <p role="status" data-testid="write-summary">
        {changed === 0
          ? `Nothing changed: every file in ${written.outDir} was already up to date.`
          : `Wrote ${changed} of ${written.files.length} files to ${written.outDir}.`}
      </p>
      <table className="table">
        <caption className="sr-only">Write results</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Result</th>
            <th scope="col">Previous version kept as</th>
          </tr>
        </thead>
        <tbody>
          {written.files.map((f) => (
            <tr key={f.path}>
              <th scope="row">
                <code>{f.path}</code>
              </th>
              <td>{WRITTEN_WORDS[f.status]}</td>
              <td>{f.backupPath ? <code>{f.backupPath}</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The commands and notes to run on the agent host, each command with its copy button. */
export function NextSteps({ plan }: { plan: ConfigsPlan }): React.JSX.Element | null {
  if (!plan.commands.length && !plan.notes.length) return null;
  return (
    <section aria-labelledby="next-h">
      <h2 id="next-h">On the agent host</h2>
      {plan.commands.length > 0 && <CommandList commands={plan.commands} />}
      {plan.notes.length > 0 && (
        <ul className="cfg-notes">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {plan.removal && (
        <details className="cfg-removal">
          <summary>Removing this agent later</summary>
          <CommandList commands={plan.removal.commands} />
          <ul className="cfg-notes">
            {plan.removal.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function GeneratorStep({ draft, update, platform }: StepProps & { platform: AnyPlatform }): React.JSX.Element {
  // Results are kept with the request they answer, so a changed folder or answer never shows a stale preview.
  const [result, setResult] = useState<{ key: string; plan: ConfigsPlan | null; error: AppError | null } | null>(null);
  const [written, setWritten] = useState<{ key: string; value: Written } | null>(null);
  const [confirmKey, setConfirmKey] = useState<string | null>(null);
  const writer = useJob('configs:write', { startMessage: 'Writing…' });
  const writing = writer.running ? writer.message : null;
  const [selected, setSelected] = useState<string | null>(null);
  const request = requestOf(draft, platform);
  const key = JSON.stringify(request);
  const current = result?.key === key ? result : null;
  const plan = current?.plan ?? null;
  const error = current?.error ?? null;
  const previewing = request !== null && current === null;
  const confirming = confirmKey === key;

  const runPreview = useCallback(async (req: Request, forKey: string, live: () => boolean): Promise<void> => {
    const r = await api.invoke('configs:plan', req);
    if (live()) setResult({ key: forKey, plan: r.ok ? r.value : null, error: r.ok ? null : r.error });
  }, []);

  // Preview whenever what would be generated changes (folder, answers, key, host key).
  useEffect(() => {
    const req = JSON.parse(key) as Request | null;
    if (!req) return;
    let live = true;
    const timer = setTimeout(() => void runPreview(req, key, () => live), 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, runPreview]);

  const preview = (): void => {
    if (!request) return;
    setResult(null);
    setWritten(null);
    void runPreview(request, key, () => true);
  };

  const write = async (): Promise<void> => {
    if (!plan || !request) return;
    setConfirmKey(null);
    const r = await writer.start({ ...request, planHash: plan.planHash, expected: Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256])) });
    if (r.ok) {
      setWritten({ key, value: r.value });
      // Every write is listed in History (and can be undone there), whether or not the onboarding reaches Export.
      void api.invoke('history:add', { draft });
      await runPreview(request, key, () => true);
    } else setResult({ key, plan, error: r.error });
  };

  const toWrite = plan?.files.filter((f) => f.status !== 'same') ?? [];
  const Diagram = platformView(platform.id).configsDiagram;
  const file = plan?.files.find((f) => f.path === selected) ?? plan?.files[0];

  return (
    <>
      <p className="lead">
        Every file the {platform.name} needs, previewed against the folder you choose. Nothing is written until you confirm; a file that is there already is
        backed up before it is replaced.
      </p>
      {Diagram && <Diagram answers={formToAnswers(platform, draft.variant, draft.answers)} variant={draft.variant} />}
      <div className="field">
        <label htmlFor="out-dir">Output folder</label>
        <p className="help" id="out-dir-help">
          An absolute folder on the machine running Agent Onboard ({'~/'} is your home folder). It is created when missing.
        </p>
        <div className="cfg-row">
          <input
            id="out-dir"
            type="text"
            spellCheck={false}
            autoComplete="off"
            aria-describedby="out-dir-help"
            value={draft.outDir ?? ''}
            placeholder="~/agent-config"
            onChange={(e) => update({ outDir: e.target.value })}
          />
          <button type="button" className="secondary" disabled={!request || previewing || writing !== null} onClick={preview}>
            Preview again
          </button>
        </div>
      </div>
      {previewing && (
        <p role="status" className="help">
          Previewing…
        </p>
      )}
      {error && <ErrorPanel error={error} update={update} draft={draft} onRetry={preview} />}
      {plan && (
        <>
          <section aria-labelledby="files-h">
            <h2 id="files-h">Files for {plan.outDir}</h2>
            {plan.hostKeys.length > 0 && (
              <p className="help" data-testid="pinned-host-keys">
                Pinned host key{plan.hostKeys.length > 1 ? 's' : ''}:{' '}
                {plan.hostKeys.map((k) => (
                  <span key={k.fingerprint} className="cfg-fp">
                    <code>{k.host}</code> {k.type} <code>{k.fingerprint}</code>{' '}
                  </span>
                ))}
                — compare with the fingerprint the vendor gave you.
              </p>
            )}
            <FilesTable plan={plan} selected={file?.path ?? null} onSelect={setSelected} />
            {file && <FilePreview key={file.path + plan.planHash} file={file} />}
          </section>
          <div className="cfg-write-bar">
            {toWrite.length === 0 ? (
              <p role="status">Every file in the folder is already up to date.</p>
            ) : confirming ? (
              <div className="cfg-panel" role="group" aria-labelledby="confirm-h">
                <p id="confirm-h">
                  Write to <code>{plan.outDir}</code>: {toWrite.filter((f) => f.status === 'create').length} new,{' '}
                  {toWrite.filter((f) => f.status === 'update').length} replaced (each backed up first)?
                </p>
                <div className="cfg-row">
                  <button type="button" onClick={() => void write()} disabled={writing !== null}>
                    Write now
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirmKey(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" onClick={() => setConfirmKey(key)} disabled={writing !== null}>
                Write {toWrite.length} file{toWrite.length > 1 ? 's' : ''}…
              </button>
            )}
            {writing && <p role="status">{writing}</p>}
          </div>
          {written?.key === key && <WriteResult written={written.value} />}
          <NextSteps plan={plan} />
        </>
      )}
    </>
  );
}

function ConfigsStep(props: StepProps): React.JSX.Element {
  const { draft, update, platform } = props;
  if (!platform) return <p>Choose a platform first.</p>;
  if (platform.generate) return <GeneratorStep {...props} platform={platform} />;
  return (
    <>
      <p className="lead">Where the {platform.name} files go. Existing files are backed up before anything is replaced.</p>
      <div className="field">
        <label htmlFor="out-dir">Output folder</label>
        <input
          id="out-dir"
          type="text"
          spellCheck={false}
          autoComplete="off"
          value={draft.outDir ?? ''}
          placeholder="/home/admin/agent-config"
          onChange={(e) => update({ outDir: e.target.value })}
        />
      </div>
    </>
  );
}

export const configsStep: StepView = { Component: ConfigsStep };
