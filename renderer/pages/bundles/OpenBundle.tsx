import { useEffect, useId, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { ManifestSummary, ManifestTable } from '../../components/bundle/ManifestTable';
import { useJob } from '../../components/useJob';

type Inspected = ChannelOutput<'bundle:inspect'>;
/** What the overwrite question was asked about: the unpack uses exactly this, not the fields as they are now. */
interface Pending {
  file: string;
  to: string;
  passphrase: string;
  sha256: string;
  /** What each target file was when inspected (null: not there). */
  targets: Record<string, string | null>;
  overwrites: string[];
}

/** Open a bundle by path: its manifest, every checksum, and unpacking into a folder (asking before overwriting). */
export function OpenBundle(): React.JSX.Element {
  const id = useId();
  const [file, setFile] = useState('');
  const [to, setTo] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<Inspected | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState<Pending | null>(null);
  const unpack = useJob('bundle:import');
  const confirmRef = useRef<HTMLDivElement>(null);
  // Put focus on the overwrite question as soon as it is shown.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const inspect = async (): Promise<Inspected | null> => {
    if (!file.trim()) {
      setError({ code: 'BAD_INPUT', message: 'Give the path of the bundle (.zip).' });
      return null;
    }
    if (passphrase && passphrase.length < 8) {
      setError({ code: 'BAD_INPUT', message: 'A bundle passphrase has at least 8 characters.' });
      return null;
    }
    setBusy(true);
    setError(null);
    const r = await api.invoke('bundle:inspect', { file, ...(to.trim() ? { to } : {}), ...(passphrase ? { passphrase } : {}) });
    setBusy(false);
    setOpened(r.ok ? r.value : null);
    if (!r.ok) setError(r.error);
    return r.ok ? r.value : null;
  };

  const startUnpack = async (): Promise<void> => {
    unpack.reset();
    if (!to.trim()) return setError({ code: 'BAD_INPUT', message: 'Give the folder to unpack into.' });
    const fresh = await inspect();
    if (!fresh) return;
    if (!fresh.ok) return;
    const pending: Pending = {
      file,
      to,
      passphrase,
      sha256: fresh.sha256,
      targets: Object.fromEntries(fresh.files.map((f) => [f.path, f.targetSha256 ?? null])),
      overwrites: fresh.files.filter((f) => f.target === 'overwrite').map((f) => f.path),
    };
    if (pending.overwrites.length) {
      setConfirming(pending);
      return;
    }
    await doUnpack(pending, false);
  };

  // The inspected bundle's SHA-256 and the hashes of the files it replaces go along: if the zip was
  // replaced since, or a file in the folder appeared or changed, the import is refused instead of
  // overwriting files the user was never shown.
  const doUnpack = async (p: Pending, overwrite: boolean): Promise<void> => {
    setConfirming(null);
    const done = await unpack.run({
      file: p.file,
      to: p.to,
      overwrite,
      expectedBundleSha256: p.sha256,
      expectedTargets: p.targets,
      ...(p.passphrase ? { passphrase: p.passphrase } : {}),
    });
    if (done) void inspect();
  };

  const locked = opened?.files.some((f) => f.status === 'locked');
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Open, verify and unpack a bundle</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void inspect();
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor={`${id}-file`}>Bundle file</label>
          <input id={`${id}-file`} type="text" value={file} onChange={(e) => setFile(e.target.value)} placeholder="~/agent.zip" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pass`}>Passphrase (only for bundles with encrypted files)</label>
          <input id={`${id}-pass`} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Unpack into folder</label>
          <input
            id={`${id}-to`}
            type="text"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="/opt/agent"
            spellCheck={false}
            aria-describedby={`${id}-to-help`}
          />
          <p className="help" id={`${id}-to-help`}>
            Nothing is written until every checksum matches; files get the modes from the manifest (keys 0600).
          </p>
        </div>
        <div className="row">
          <button type="submit" disabled={busy || unpack.running}>
            Open and verify
          </button>
          <button type="button" className="secondary" disabled={busy || unpack.running} onClick={() => void startUnpack()}>
            Unpack
          </button>
        </div>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby={`${id}-confirm-h`} aria-describedby={`${id}-confirm-d`} tabIndex={-1} ref={confirmRef}>
          <h3 id={`${id}-confirm-h`}>Overwrite {confirming.overwrites.length === 1 ? 'one file' : `${confirming.overwrites.length} files`}?</h3>
          <p id={`${id}-confirm-d`}>
            These files in <code>{confirming.to}</code> differ from the bundle: {confirming.overwrites.join(', ')}. Each is backed up (name.bak-date) before it
            is replaced.
          </p>
          <div className="row">
            <button type="button" onClick={() => void doUnpack(confirming, true)}>
              Overwrite and unpack
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              Keep my files
            </button>
          </div>
        </div>
      ) : null}
      <JobProgress label="Unpacking" running={unpack.running} message={unpack.message} fraction={unpack.fraction} onCancel={unpack.cancel} />
      {unpack.error ? <ErrorNote error={unpack.error} /> : null}
      {unpack.value ? (
        <p role="status" className="ok" data-testid="unpacked">
          Unpacked {unpack.value.written.length} files into <code>{to}</code>: {unpack.value.written.filter((w) => w.status === 'created').length} new,{' '}
          {unpack.value.written.filter((w) => w.status === 'updated').length} replaced (backed up),{' '}
          {unpack.value.written.filter((w) => w.status === 'unchanged').length} already identical.
        </p>
      ) : null}
      {opened ? (
        <div className="result">
          <p role="status" className={opened.ok ? 'ok' : 'bad'} data-testid="verify-status">
            {opened.ok
              ? `Every checksum matches (${opened.files.length} files, ${opened.bytes} bytes).${locked ? ' Encrypted files are checked as stored; give the passphrase to check their content.' : ''}`
              : `${opened.files.filter((f) => f.status === 'mismatch' || f.status === 'missing').length} files do not match the manifest: do not use this bundle.`}
          </p>
          <ManifestSummary manifest={opened.manifest} />
          <ManifestTable files={opened.files} caption="Files in the bundle" />
        </div>
      ) : null}
    </section>
  );
}
