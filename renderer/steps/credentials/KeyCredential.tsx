/** The Credentials step for SSH platforms: generate a key pair or import one, then show its public facts. */
import { useEffect, useReducer, useRef, useState } from 'react';
import type { KeySummary } from '../../../shared/credentials-contract';
import { RSA_BITS, type KeyType, type RsaBits } from '../../../shared/key-format';
import type { AnyPlatform, CredentialSpec } from '../../../shared/platforms/types';
import { api } from '../../api';
import { useJob } from '../../components/useJob';
import type { StepProps } from '../types';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNote } from '../../components/ErrorNote';
import { KeychainChoice } from './parts';
import {
  detectedNote,
  generateReducer,
  generateStart,
  IMPORT_START,
  importReducer,
  KEY_CHOICE_START,
  keyChoiceReducer,
  keygenRequest,
  keyTypeChoices,
  needsPassphrase,
  tooLargeForKey,
} from './key-forms';
import { LockedCredential } from './SecretStore';
import { useDescribed, useSecretStore } from './use-credential';

type KeySpec = Extract<CredentialSpec, { kind: 'ssh-keypair' }>;

const TYPE_LABEL: Record<KeyType, string> = { ed25519: 'Ed25519', rsa: 'RSA' };
const FORMAT_LABEL = { openssh: 'OpenSSH format', pkcs1: 'PKCS#1 PEM', pkcs8: 'PKCS#8 PEM' } as const;

function KeyDetails({ summary, platform, focus }: { summary: KeySummary; platform: AnyPlatform; focus: boolean }): React.JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  return (
    <section className="cred-result" aria-labelledby="cred-key-heading" data-testid="key-details">
      <h2 id="cred-key-heading" tabIndex={-1} ref={heading}>
        Key pair ready
      </h2>
      <dl className="cred-facts">
        <dt>Type</dt>
        <dd data-testid="key-type">{summary.type === 'rsa' ? `RSA, ${summary.bits} bits` : 'Ed25519 (256 bits)'}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code data-testid="key-fingerprint">{summary.fingerprint}</code> <CopyButton text={summary.fingerprint} label="Copy fingerprint" showLabel />
        </dd>
        <dt>Files</dt>
        <dd>
          <code>{summary.fileNames.privateKey}</code> (private, {FORMAT_LABEL[summary.format]}
          {summary.encrypted ? ', protected by your passphrase' : ''}) and <code>{summary.fileNames.publicKey}</code>, written on the Configs step
        </dd>
      </dl>
      <label htmlFor="cred-public-key" className="cred-label">
        Public key (OpenSSH format)
      </label>
      <textarea id="cred-public-key" className="cred-public" readOnly rows={3} value={summary.publicKey} data-testid="public-key" spellCheck={false} />
      <p className="cred-actions">
        <CopyButton text={summary.publicKey} label="Copy public key" showLabel />
      </p>
      <p className="help">
        {platform.name} needs this public key ({summary.fileNames.publicKey}). The private key stays in this app and in the files it writes; it is never shown
        here.
      </p>
    </section>
  );
}

function GenerateForm({
  spec,
  platform,
  onDone,
  invalid,
}: {
  spec: KeySpec;
  platform: AnyPlatform;
  onDone(s: KeySummary): void;
  invalid: boolean;
}): React.JSX.Element {
  const [form, dispatch] = useReducer(generateReducer, spec, generateStart);
  const { type, bits, comment, passphrase, confirm, error, status } = form;
  const keygen = useJob('keys:generate');
  const cancelButton = useRef<HTMLButtonElement>(null);
  const types = keyTypeChoices(spec);
  const busy = keygen.running;

  useEffect(() => {
    if (busy) cancelButton.current?.focus();
  }, [busy]);

  const generate = async (): Promise<void> => {
    dispatch({ type: 'start' });
    const built = keygenRequest(form, platform.id);
    if (!built.ok) return dispatch({ type: 'refused', error: built.error });
    const r = await keygen.start(built.request);
    dispatch({ type: 'ended', outcome: r.ok ? 'made' : r.error.code === 'CANCELLED' ? 'cancelled' : { error: r.error } });
    if (r.ok) onDone(r.value);
  };

  return (
    <form
      className="cred-form"
      onSubmit={(e) => {
        e.preventDefault();
        void generate();
      }}
      aria-labelledby="cred-generate-heading"
    >
      <h2 id="cred-generate-heading">Generate a new key pair</h2>
      <fieldset className="cred-choices">
        <legend>Key type</legend>
        {types.map((t) => (
          <label key={t} className="cred-choice">
            <input
              type="radio"
              name="key-type"
              value={t}
              checked={type === t}
              onChange={() => dispatch({ type: 'set', field: 'type', value: t })}
              disabled={busy}
              aria-invalid={invalid || undefined}
            />
            {TYPE_LABEL[t]}
            {t === spec.defaultType ? ' (recommended for this platform)' : ''}
          </label>
        ))}
      </fieldset>
      {type === 'rsa' && (
        <div className="field">
          <label htmlFor="cred-bits">RSA key size</label>
          <select
            id="cred-bits"
            value={bits}
            onChange={(e) => dispatch({ type: 'set', field: 'bits', value: Number(e.target.value) as RsaBits })}
            disabled={busy}
          >
            {RSA_BITS.map((b) => (
              <option key={b} value={b}>
                {b} bits{b === 3072 ? ' (ssh-keygen default)' : b === 4096 ? ' (slower to generate)' : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="cred-comment">Comment (optional)</label>
        <input
          id="cred-comment"
          type="text"
          value={comment}
          onChange={(e) => dispatch({ type: 'set', field: 'comment', value: e.target.value })}
          placeholder={`${platform.id}-agent-${new Date().toISOString().slice(0, 10)}`}
          maxLength={256}
          disabled={busy}
        />
        <p className="help">Added to the end of the public key, to tell keys apart later.</p>
      </div>
      <details className="cred-advanced">
        <summary>Protect the private key with a passphrase (advanced)</summary>
        <p className="help">
          An agent that starts unattended cannot type a passphrase: the Configs step refuses a protected key. Use one only to keep this key for other uses.
        </p>
        <div className="field">
          <label htmlFor="cred-passphrase">Passphrase</label>
          <input
            id="cred-passphrase"
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => dispatch({ type: 'set', field: 'passphrase', value: e.target.value })}
            disabled={busy}
          />
        </div>
        <div className="field">
          <label htmlFor="cred-passphrase-2">Passphrase again</label>
          <input
            id="cred-passphrase-2"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => dispatch({ type: 'set', field: 'confirm', value: e.target.value })}
            disabled={busy}
          />
        </div>
      </details>
      {busy ? (
        <div className="cred-progress">
          <progress aria-label="Generating the key pair" />
          <span role="status" data-testid="keygen-progress">
            {keygen.message}
          </span>
          <button type="button" className="secondary" ref={cancelButton} onClick={keygen.cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <p className="cred-actions">
          <button type="submit">Generate key pair</button>
          <span role="status">{status}</span>
        </p>
      )}
      <ErrorNote error={error} />
    </form>
  );
}

function ImportForm({ platform, onDone, invalid }: { platform: AnyPlatform; onDone(s: KeySummary): void; invalid: boolean }): React.JSX.Element {
  const [form, dispatch] = useReducer(importReducer, IMPORT_START);
  const [dragging, setDragging] = useState(false);
  const { text, passphrase, busy, error } = form;
  const needsPass = needsPassphrase(form);

  const take = (value: string, from: string | null): void => dispatch({ type: 'take', text: value, source: from });
  const readFile = async (file: File): Promise<void> => {
    if (tooLargeForKey(file.size)) return dispatch({ type: 'too-large', name: file.name, size: file.size });
    take(await file.text(), file.name);
  };
  const onDrop = (e: React.DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void readFile(file);
    else take(e.dataTransfer.getData('text/plain'), null);
  };
  const submit = async (): Promise<void> => {
    dispatch({ type: 'submit' });
    const r = await api.invoke('keys:import', { text, ...(passphrase ? { passphrase } : {}), platform: platform.id });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    dispatch({ type: 'imported' });
    onDone(r.value);
  };

  return (
    <form
      className="cred-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      aria-labelledby="cred-import-heading"
    >
      <h2 id="cred-import-heading">Import an existing private key</h2>
      <div
        className={`cred-drop${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="key-drop"
      >
        <div className="field wide">
          <label htmlFor="cred-key-text">Private key: paste it, drop its file here, or choose the file</label>
          <textarea
            id="cred-key-text"
            rows={6}
            value={text}
            onChange={(e) => take(e.target.value, null)}
            spellCheck={false}
            autoComplete="off"
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            aria-invalid={invalid || undefined}
            aria-describedby="cred-key-detected"
          />
        </div>
        <div className="field">
          <label htmlFor="cred-key-file">Key file</label>
          <input id="cred-key-file" type="file" onChange={(e) => e.target.files?.[0] && void readFile(e.target.files[0])} />
        </div>
        <p id="cred-key-detected" className="help" role="status">
          {detectedNote(form)}
        </p>
      </div>
      {needsPass && (
        <div className="field">
          <label htmlFor="cred-import-passphrase">Passphrase of this key</label>
          <input
            id="cred-import-passphrase"
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => dispatch({ type: 'passphrase', value: e.target.value })}
          />
        </div>
      )}
      <p className="cred-actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Importing…' : 'Import key'}
        </button>
      </p>
      <ErrorNote error={error} testId="import-error" />
    </form>
  );
}

/** Generate or import, or the chosen key's details with a way to replace it. */
export function KeyCredential({
  draft,
  update,
  platform,
  spec,
  showErrors,
}: Pick<StepProps, 'draft' | 'update' | 'showErrors'> & { platform: AnyPlatform; spec: KeySpec }): React.JSX.Element {
  const store = useSecretStore();
  const [choice, dispatch] = useReducer(keyChoiceReducer, KEY_CHOICE_START);
  const { mode, replacing, lost, fresh } = choice;
  const { described, locked } = useDescribed(
    draft.credentialId,
    (d) => d.secret === 'ssh-key',
    (gone) => {
      dispatch({ type: 'lost', gone });
      update({ credentialId: undefined });
    },
    store.status?.state,
  );
  const key = described?.secret === 'ssh-key' ? described : null;

  const chosen = (summary: KeySummary): void => {
    if (draft.credentialId && draft.credentialId !== summary.id) void api.invoke('secrets:forget', { id: draft.credentialId });
    update({ credentialId: summary.id });
    dispatch({ type: 'chosen' });
  };

  if (draft.credentialId && locked) return <LockedCredential what="key pair" onUnlocked={store.set} onReplace={() => update({ credentialId: undefined })} />;
  if (draft.credentialId && !described) return <p aria-busy="true">Loading the key…</p>;
  const invalid = showErrors && !draft.credentialId;
  return (
    <>
      <p className="lead">
        {platform.name} authenticates with an SSH key pair ({spec.keyTypes.map((t) => TYPE_LABEL[t]).join(' or ')}), written as{' '}
        <code>{spec.privateKeyName}</code> and <code>{spec.publicKeyName}</code>.
      </p>
      {lost && (
        <p className="notice" role="status">
          The key from the last session is no longer available: it was kept in memory only. Generate or import it again.
        </p>
      )}
      {key && !replacing ? (
        <>
          <KeyDetails summary={key} platform={platform} focus={fresh} />
          <KeychainChoice key={key.id} id={key.id} store={store} saved={key.saved} />
          <p>
            <button type="button" className="secondary" onClick={() => dispatch({ type: 'replacing', on: true })}>
              Use a different key
            </button>
          </p>
        </>
      ) : (
        <>
          <fieldset className="cred-mode">
            <legend>How do you want to get the key pair?</legend>
            <label className="cred-choice">
              <input
                type="radio"
                name="key-mode"
                checked={mode === 'generate'}
                onChange={() => dispatch({ type: 'mode', mode: 'generate' })}
                aria-invalid={invalid || undefined}
              />{' '}
              Generate a new one
            </label>
            <label className="cred-choice">
              <input type="radio" name="key-mode" checked={mode === 'import'} onChange={() => dispatch({ type: 'mode', mode: 'import' })} /> Import an existing
              private key
            </label>
          </fieldset>
          {mode === 'generate' ? (
            <GenerateForm spec={spec} platform={platform} onDone={chosen} invalid={invalid} />
          ) : (
            <ImportForm platform={platform} onDone={chosen} invalid={invalid} />
          )}
          {replacing && (
            <p>
              <button type="button" className="secondary" onClick={() => dispatch({ type: 'replacing', on: false })}>
                Keep the current key
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
