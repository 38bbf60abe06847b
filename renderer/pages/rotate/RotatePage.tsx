import { useEffect, useId, useReducer, useRef } from 'react';
import { getPlatform } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms/types';
import type { Finding, RotationPlan, RotationReport } from '../../../shared/rotation';
import { api } from '../../api';
import { CommandList } from '../../components/CommandList';
import { CopyButton } from '../../components/CopyButton';
import { DiffView } from '../../components/DiffView';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { platformView, rotationPlaceholder } from '../../platforms';
import type { PageProps, PageView } from '../types';
import { canWrite, MAX_UPLOAD_BYTES, MAX_UPLOADS, pathList, planCounts, ROTATABLE, rotateReducer, rotateStart, scanRequest, type Upload } from './rotate-form';

const STATUS_WORDS: Record<Finding['status'], string> = {
  change: 'Will change',
  same: 'Already on this token',
  'no-token': 'No token value here',
  refused: 'Cannot change safely',
  unknown: 'Not a known file',
  unreadable: 'Cannot read',
  'preview-only': 'Preview only (location unknown)',
};

function RotatePage({ data }: PageProps): React.JSX.Element {
  const id = useId();
  const [form, dispatch] = useReducer(rotateReducer, data, rotateStart);
  const { platform, paths, uploads, uploadDir, token, showToken, scanning, plan, leftoversOk, error, dropNote, dragging } = form;
  const storedTokenId = typeof data?.tokenId === 'string' ? data.tokenId : undefined;
  const apply = useJob('rotate:apply');
  const results = useRef<HTMLHeadingElement>(null);
  const done = useRef<HTMLHeadingElement>(null);
  const spec = getPlatform(platform);
  const PathHint = platformView(platform).rotation?.PathHint;
  // Move focus to what just appeared, so keyboard and screen-reader users land on the result.
  useEffect(() => {
    if (plan) results.current?.focus();
  }, [plan]);
  useEffect(() => {
    if (apply.value) done.current?.focus();
  }, [apply.value]);
  const tokenName = spec?.credential.kind === 'token' ? spec.credential.token : undefined;

  const addFiles = async (files: FileList | null): Promise<void> => {
    if (!files) return;
    // In the desktop app the dropped files' real paths are known: rotate them in place.
    const located = Array.from(files).map((f) => api.pathForFile?.(f) ?? '');
    if (files.length > 0 && located.every(Boolean)) return dispatch({ type: 'add-paths', paths: located });
    const added: Upload[] = [];
    const skipped: string[] = [];
    for (const f of Array.from(files).slice(0, MAX_UPLOADS)) {
      if (f.size > MAX_UPLOAD_BYTES) skipped.push(`${f.name} (over 2 MB)`);
      else added.push({ name: f.name, text: await f.text() });
    }
    dispatch({ type: 'add-uploads', added, skipped });
  };

  const scan = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const built = scanRequest(form, storedTokenId, tokenName);
    if (!built.ok) return dispatch({ type: 'refused', error: built.error });
    dispatch({ type: 'scan' });
    apply.reset();
    const r = await api.invoke('rotate:scan', built.request);
    dispatch(r.ok ? { type: 'scanned', plan: r.value } : { type: 'scan-failed', error: r.error });
  };

  const write = async (): Promise<void> => {
    if (!plan) return;
    const report = await apply.run({ planId: plan.planId });
    if (report) dispatch({ type: 'written' });
  };

  const counts = plan ? planCounts(plan) : { change: 0, same: 0 };
  const changed = counts.change;
  return (
    <main className="page rotate" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Update an existing install</h1>
      <p className="lead">
        Put a new token into an agent that is already installed. The app finds every place the token lives in the install&apos;s files, shows exactly what
        changes, then writes all of them or none, each backed up first. Only the token values change; comments, order, quoting and line endings stay as they
        are.
      </p>
      <form onSubmit={(e) => void scan(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-platform`}>Platform</label>
          <select id={`${id}-platform`} value={platform} onChange={(e) => dispatch({ type: 'platform', platform: e.target.value as PlatformId })}>
            {ROTATABLE.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {spec ? <p className="help">Knows: {spec.updaters.map((u) => u.name).join('; ')}.</p> : null}
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-paths`}>File or folder paths of the install, on this machine</label>
          <textarea
            id={`${id}-paths`}
            rows={3}
            value={paths}
            spellCheck={false}
            placeholder={rotationPlaceholder(spec)}
            aria-describedby={`${id}-paths-help`}
            onChange={(e) => dispatch({ type: 'paths', text: e.target.value })}
          />
          <p className="help" id={`${id}-paths-help`}>
            One per line. A folder is searched (6 levels deep, links not followed) for the files this platform keeps its token in.
          </p>
          {PathHint ? <PathHint path={pathList(paths)[0] ?? ''} /> : null}
        </div>
        <div
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            dispatch({ type: 'dragging', on: true });
          }}
          onDragLeave={() => dispatch({ type: 'dragging', on: false })}
          onDrop={(e) => {
            e.preventDefault();
            dispatch({ type: 'dragging', on: false });
            void addFiles(e.dataTransfer.files);
          }}
        >
          <label htmlFor={`${id}-files`}>Or drop files here, or choose them</label>
          <input id={`${id}-files`} type="file" multiple onChange={(e) => void addFiles(e.target.files)} />
          <span role="status" className="muted">
            {dropNote}
          </span>
          {uploads.length ? (
            <ul className="upload-list">
              {uploads.map((u) => (
                <li key={u.name}>
                  <code>{u.name}</code>{' '}
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Remove ${u.name}`}
                    onClick={() => dispatch({ type: 'remove-upload', name: u.name })}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {uploads.length ? (
            <div className="field wide">
              <label htmlFor={`${id}-upload-dir`}>Folder these files are in</label>
              <input
                id={`${id}-upload-dir`}
                type="text"
                spellCheck={false}
                autoComplete="off"
                value={uploadDir}
                onChange={(e) => dispatch({ type: 'upload-dir', text: e.target.value })}
                aria-describedby={`${id}-upload-dir-help`}
              />
              <p className="help" id={`${id}-upload-dir-help`}>
                Browsers do not tell where a dropped file lives. Without its folder you get a preview only.
              </p>
            </div>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-token`}>New {tokenName?.name ?? 'token'}</label>
          <div className="row">
            <input
              id={`${id}-token`}
              type={showToken ? 'text' : 'password'}
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => dispatch({ type: 'token', text: e.target.value })}
              aria-describedby={`${id}-token-help`}
            />
            <button type="button" className="secondary small" aria-pressed={showToken} onClick={() => dispatch({ type: 'toggle-token' })}>
              {showToken ? 'Hide' : 'Show'}
            </button>
          </div>
          <p className="help" id={`${id}-token-help`}>
            {storedTokenId && !token ? 'Empty: the token chosen on the Credentials step is used. ' : ''}
            {tokenName ? `Where to get it: ${tokenName.where} ` : ''}It stays in this window and the app&apos;s main process; previews show it masked.
          </p>
        </div>
        <button type="submit" disabled={scanning}>
          {scanning ? 'Searching…' : 'Find the token'}
        </button>
        {scanning ? (
          <span role="status" className="muted">
            {' '}
            Searching the files…
          </span>
        ) : null}
      </form>
      {error ? <ErrorNote error={error} /> : null}

      {plan ? (
        <section aria-labelledby={`${id}-found`}>
          <h2 id={`${id}-found`} tabIndex={-1} ref={results}>
            {plan.files.length === 0
              ? 'No file of this install holds the token'
              : `What was found in ${plan.files.length} file${plan.files.length === 1 ? '' : 's'}`}
          </h2>
          <p role="status">
            {changed} file(s) will change; {counts.same} already hold this token
            {plan.ignored ? `; ${plan.ignored} other file(s) in the folders hold nothing to change` : ''}. New token: <code>{plan.token.masked}</code> (
            {plan.token.kindName}
            {plan.token.cleaned.length ? `; removed ${plan.token.cleaned.join(', ')}` : ''}).
          </p>
          {plan.token.message ? <p className="muted">{plan.token.message}</p> : null}
          {plan.problems.length ? (
            <div className="error-note" role="alert">
              <strong>Nothing can be written yet:</strong>
              <ul>
                {plan.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {plan.files.length ? (
            <table className="table rotate-files">
              <caption>Files and what happens to them</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">What</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {plan.files.map((f) => (
                  <tr key={f.path}>
                    <th scope="row">
                      <code className="path">{f.path}</code>
                      {f.updater ? <div className="muted small-text">{f.updater.name}</div> : null}
                    </th>
                    <td>
                      {f.changes.length ? (
                        <ul className="plain">
                          {f.changes.map((c) => (
                            <li key={`${c.line}-${c.what}`}>
                              line {c.line}: {c.what}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                      {f.notes.map((n) => (
                        <p key={n} className="muted">
                          {n}
                        </p>
                      ))}
                      {f.error ? (
                        <p className="error">
                          {f.error.message}
                          {f.error.hint ? ` ${f.error.hint}` : ''}
                        </p>
                      ) : null}
                    </td>
                    <td className={`status-${f.status}`}>{STATUS_WORDS[f.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {plan.files
            .filter((f) => f.diff)
            .map((f) => (
              <details key={f.path} open className="rotate-file-diff">
                <summary>Diff of {f.path}</summary>
                <DiffView diff={f.diff} label={`Changes to ${f.path} (token values masked)`} />
              </details>
            ))}
          {plan.leftovers.length ? <Leftovers leftovers={plan.leftovers} /> : null}
          {plan.ready && plan.leftovers.length && !apply.value ? (
            <label className="choice">
              <input type="checkbox" checked={leftoversOk} onChange={(e) => dispatch({ type: 'leftovers-ok', on: e.target.checked })} /> I will update these
              files by hand before revoking the old token
            </label>
          ) : null}
          {plan.ready && !apply.value ? (
            <div className="row rotate-apply">
              <button type="button" onClick={() => void write()} disabled={!canWrite(form, apply.running)}>
                Write {changed} file{changed === 1 ? '' : 's'} with backups
              </button>
              <span className="muted">All or nothing: if any file cannot be written, or changed since it was read, none is.</span>
            </div>
          ) : null}
          <JobProgress label="Writing the files" running={apply.running} message={apply.message} fraction={apply.fraction} />
          {apply.error ? <ErrorNote error={apply.error} /> : null}
        </section>
      ) : null}

      {apply.value ? <Report report={apply.value} headingRef={done} id={id} /> : null}
    </main>
  );
}

function Report({ report, headingRef, id }: { report: RotationReport; headingRef: React.RefObject<HTMLHeadingElement | null>; id: string }): React.JSX.Element {
  const updated = report.files.filter((f) => f.status === 'updated');
  const allCommands = report.commands.map((c) => `# ${c.title}\n${c.command}`).join('\n\n');
  const checklist = report.revoke.map((r, i) => `${i + 1}. ${r}`).join('\n');
  return (
    <section aria-labelledby={`${id}-done`} className="result">
      <h2 id={`${id}-done`} tabIndex={-1} ref={headingRef}>
        Written: {updated.length} file{updated.length === 1 ? '' : 's'}
      </h2>
      <p role="status">The new token is in place. The agents still run on the old one until they are restarted: do that next.</p>
      <table className="table">
        <caption>Files changed, and where the previous versions are kept</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Backup</th>
          </tr>
        </thead>
        <tbody>
          {report.files.map((f) => (
            <tr key={f.path}>
              <th scope="row">
                <code className="path">{f.path}</code>
              </th>
              <td>{f.backupPath ? <code className="path">{f.backupPath}</code> : f.status === 'unchanged' ? 'unchanged' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Restart and verify</h3>
      <div className="row">
        <CopyButton text={allCommands} label="Copy all restart and verify commands" />
      </div>
      <CommandList commands={report.commands} />
      <p className="muted">
        SHA-256 of the new token, for the checks that print one: <code className="hash">{report.tokenSha256}</code>
      </p>
      {report.leftovers.length ? <Leftovers leftovers={report.leftovers} /> : null}
      <h3>Once every agent runs on the new token</h3>
      <div className="row">
        <CopyButton text={checklist} label="Copy the checklist for revoking the old token" />
      </div>
      <ol className="rotate-checklist">
        {report.revoke.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ol>
    </section>
  );
}

/** Files that would still hold the old token: revoking it would break them. */
function Leftovers({ leftovers }: { leftovers: RotationPlan['leftovers'] }): React.JSX.Element {
  return (
    <div className="warn" role="alert" data-testid="rotate-leftovers">
      <strong>
        {leftovers.length} file{leftovers.length === 1 ? '' : 's'} would still hold the old token: revoking it now would break{' '}
        {leftovers.length === 1 ? 'it' : 'them'}.
      </strong>
      <ul>
        {leftovers.map((l) => (
          <li key={l.path}>
            <code className="path">{l.path}</code>: {l.hint}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const rotatePage: PageView = { id: 'rotate', title: 'Update an existing install', Component: RotatePage };
