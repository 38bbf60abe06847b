/**
 * The Credentials step for token platforms: paste, cleaned and checked in the main process,
 * shown masked. The value comes back to this page only for an explicit Reveal (hidden again after
 * 30 s) or Copy (the clipboard is wiped after 30 s if it still holds the token).
 */
import { useEffect, useReducer, useRef } from 'react';
import type { TokenCheck, TokenSummary } from '../../../shared/credentials-contract';
import type { AnyPlatform, CredentialSpec } from '../../../shared/platforms/types';
import { api } from '../../api';
import type { StepProps } from '../types';
import { copySecret } from './clipboard';
import { ErrorNote } from '../../components/ErrorNote';
import { KeychainChoice } from './parts';
import { TokenExpiry } from './TokenExpiry';
import { LockedCredential } from './SecretStore';
import {
  copiedNote,
  credentialToForget,
  freshCheck,
  REVEAL_START,
  revealReducer,
  TOKEN_FORM_START,
  tokenFieldInvalid,
  tokenFormReducer,
  tokenLabel,
  verdictHeadline,
  wipedNote,
} from './token-forms';
import { useDescribed, useSecretStore } from './use-credential';

type TokenSpec = Extract<CredentialSpec, { kind: 'token' }>;

function TokenDetails({ summary, cleaned, focus }: { summary: TokenSummary; cleaned: string[]; focus: boolean }): React.JSX.Element {
  const [{ revealed, said, error }, dispatch] = useReducer(revealReducer, REVEAL_START);
  const heading = useRef<HTMLHeadingElement>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  useEffect(() => () => clearTimeout(hideTimer.current), []);

  const reveal = async (): Promise<void> => {
    if (revealed !== null) {
      clearTimeout(hideTimer.current);
      return dispatch({ type: 'hidden' });
    }
    const r = await api.invoke('secrets:reveal', { id: summary.id, purpose: 'show' });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    dispatch({ type: 'shown', value: r.value.value });
    hideTimer.current = setTimeout(() => dispatch({ type: 'hidden' }), r.value.clearAfterMs);
  };
  const copy = async (): Promise<void> => {
    const r = await api.invoke('secrets:reveal', { id: summary.id, purpose: 'copy' });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    const copied = await copySecret(r.value.value, r.value.clearAfterMs, (wiped) => dispatch({ type: 'said', text: wipedNote(wiped) }));
    dispatch({ type: 'said', text: copiedNote(copied, r.value.clearAfterMs) });
  };

  return (
    <section className="cred-result" aria-labelledby="cred-token-heading" data-testid="token-details">
      <h2 id="cred-token-heading" tabIndex={-1} ref={heading}>
        {summary.kindName} ready
      </h2>
      <p>
        <code className="cred-token" data-testid="token-value">
          {revealed ?? summary.masked}
        </code>{' '}
        <span className="help">({summary.length} characters)</span>
      </p>
      <p className="cred-actions">
        <button type="button" className="secondary small" aria-pressed={revealed !== null} onClick={() => void reveal()}>
          {revealed !== null ? 'Hide' : 'Reveal'}
        </button>
        <button type="button" className="secondary small" onClick={() => void copy()}>
          Copy token
        </button>
        <span className="copy-note" role="status">
          {said}
        </span>
      </p>
      {cleaned.length > 0 && <p className="help">Cleaned up from the paste: removed {cleaned.join(', ')}.</p>}
      {summary.note && <p className="notice">{summary.note}</p>}
      <ErrorNote error={error} />
    </section>
  );
}

function Verdict({ check }: { check: Exclude<TokenCheck, { verdict: 'ok' }> }): React.JSX.Element {
  return (
    <div className="cred-error" role="alert" data-testid="token-verdict">
      <p>
        <strong>{verdictHeadline(check)}</strong> {check.message}
      </p>
      <p className="cred-hint">Where to get the right one: {check.where}</p>
      {check.cleaned.length > 0 && <p className="help">Already removed from the paste: {check.cleaned.join(', ')}.</p>}
    </div>
  );
}

/** Paste and check, or the chosen token masked with Reveal and Copy. */
export function TokenCredential({
  draft,
  update,
  platform,
  spec,
  showErrors,
}: Pick<StepProps, 'draft' | 'update' | 'showErrors'> & { platform: AnyPlatform; spec: TokenSpec }): React.JSX.Element {
  const store = useSecretStore();
  const [form, dispatch] = useReducer(tokenFormReducer, TOKEN_FORM_START);
  const { text, check, error, busy, replacing, lost } = form;
  const { described, locked } = useDescribed(
    draft.credentialId,
    (d) => d.secret === 'token' && d.platform === platform.id,
    (gone) => {
      dispatch({ type: 'lost', gone });
      update({ credentialId: undefined });
    },
    store.status?.state,
  );
  const token = described?.secret === 'token' ? described : null;

  const submit = async (): Promise<void> => {
    dispatch({ type: 'submit' });
    const r = await api.invoke('tokens:check', { platform: platform.id, text });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    dispatch({ type: 'checked', check: r.value });
    if (r.value.verdict !== 'ok') return;
    const forget = credentialToForget(draft.credentialId, r.value.id);
    if (forget) void api.invoke('secrets:forget', { id: forget });
    update({ credentialId: r.value.id });
  };

  if (draft.credentialId && locked) return <LockedCredential what="token" onUnlocked={store.set} onReplace={() => update({ credentialId: undefined })} />;
  if (draft.credentialId && !described) return <p aria-busy="true">Loading the token…</p>;
  const { fresh, cleaned } = freshCheck(check, token?.id);
  return (
    <>
      <p className="lead">
        {platform.name} registers with its {spec.token.name}.
      </p>
      {lost && (
        <p className="notice" role="status">
          The token from the last session is no longer available: it was kept in memory only. Paste it again.
        </p>
      )}
      {token && !replacing ? (
        <>
          <TokenDetails summary={token} cleaned={cleaned} focus={fresh} />
          <TokenExpiry lifetime={spec.token.lifetime} summary={token} />
          <KeychainChoice key={token.id} id={token.id} store={store} saved={token.saved} />
          <p>
            <button type="button" className="secondary" onClick={() => dispatch({ type: 'replace' })}>
              Use a different token
            </button>
          </p>
        </>
      ) : (
        <form
          className="cred-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field wide">
            <label htmlFor="cred-token">{tokenLabel(spec.token.name)}</label>
            <input
              id="cred-token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={text}
              onChange={(e) => dispatch({ type: 'type', text: e.target.value })}
              aria-invalid={tokenFieldInvalid(form, showErrors, Boolean(draft.credentialId)) || undefined}
              aria-describedby="cred-token-where"
            />
            <p id="cred-token-where" className="help">
              Where to get it: {spec.token.where} Quotes, spaces, line breaks and a “Bearer ” prefix from copying are removed for you.
            </p>
          </div>
          <p className="cred-actions">
            <button type="submit" disabled={busy || !text}>
              {busy ? 'Checking…' : 'Check token'}
            </button>
            {replacing && (
              <button type="button" className="secondary" onClick={() => dispatch({ type: 'keep' })}>
                Keep the current token
              </button>
            )}
          </p>
          {check && check.verdict !== 'ok' && <Verdict check={check} />}
          <ErrorNote error={error} />
        </form>
      )}
    </>
  );
}
