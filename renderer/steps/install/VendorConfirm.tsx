/**
 * The optional vendor-side confirmation of the Install step: a separate read-only token, pasted for
 * this check alone. It goes to main once (remote:vendor-token), which keeps it in memory and answers
 * a reference; this window keeps only that reference, and the field is emptied. It is never put in
 * the draft, and never saved beside the agent token.
 */
import { useId, useState } from 'react';
import { getPlatform } from '../../../shared/platforms';
import type { ChannelInput } from '../../../shared/ipc';
import type { PlatformId } from '../../../shared/platforms/types';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** The proxy and company CA part of remote:vendor-token. */
export type VendorReachInput = Pick<ChannelInput<'remote:vendor-token'>, 'proxy' | 'trustedCa'>;

export function VendorConfirm({
  platformId,
  vendorRef,
  onRef,
  reach,
}: {
  platformId: PlatformId | undefined;
  vendorRef: string | undefined;
  onRef(ref: string | undefined): void;
  /** The way to the vendor the Connectivity step set (proxy, company CA); none: main's default. */
  reach?: VendorReachInput | undefined;
}): React.JSX.Element | null {
  const id = useId();
  const platform = platformId ? getPlatform(platformId) : undefined;
  const vendorApi = platform?.vendorApi;
  const [baseUrl, setBaseUrl] = useState('');
  const [scope, setScope] = useState('');
  const [token, setToken] = useState('');
  const [needs, setNeeds] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  if (!platform || !vendorApi) return null;

  const keep = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await api.invoke('remote:vendor-token', { platform: platform.id, baseUrl, token, ...(scope.trim() ? { scope } : {}), ...reach });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setToken('');
    setNeeds(r.value.needs);
    onRef(r.value.vendorRef);
  };

  return (
    <section className="cfg-panel" aria-labelledby={`${id}-h`} data-testid="vendor-confirm">
      <h2 id={`${id}-h`}>Confirm with {platform.name}&apos;s own list (optional)</h2>
      <p className="help">
        Once the agent&apos;s log proves it connected, the app can ask the vendor whether it lists the agent, by the name the agent registered with. This needs
        a separate read-only token ({vendorApi.scope}), not the agent&apos;s token. It stays in the app&apos;s main process, in memory, for this check only; it
        is never saved.
      </p>
      {vendorRef ? (
        <div className="button-row">
          <p role="status" data-testid="vendor-kept">
            Read-only token kept for this check{needs ? ` (${needs})` : ''}. Install and Check again ask the vendor too.
          </p>
          <button type="button" className="secondary small" onClick={() => onRef(undefined)}>
            Leave the vendor check out
          </button>
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-url`}>{platform.name} API address</label>
            <input id={`${id}-url`} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://…" spellCheck={false} />
          </div>
          {vendorApi.scopeField && (
            <div className="field">
              <label htmlFor={`${id}-scope`}>{vendorApi.scopeField.label}</label>
              <input id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)} aria-describedby={`${id}-scope-help`} spellCheck={false} />
              <p id={`${id}-scope-help`} className="help">
                {vendorApi.scopeField.help}
              </p>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-token`}>Read-only token</label>
            <input id={`${id}-token`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} />
          </div>
          <button type="button" className="secondary" onClick={() => void keep()} disabled={busy || !token.trim()}>
            Use this token for the check
          </button>
          <ErrorNote error={error} />
        </>
      )}
    </section>
  );
}
