/**
 * The generic token check with the vendor (Platform.tokenVerify), for any platform that has one:
 * the user reads what is sent where, agrees, and the main process checks the token in the vault
 * with the vendor itself (the token never comes to this page). Valid, invalid, expired and
 * "cannot tell" are told apart in words before anything is written.
 */
import { useState } from 'react';
import type { Draft } from '../../../shared/ipc';
import type { ProxySpec } from '../../../shared/probe';
import type { AnyPlatform } from '../../../shared/platforms/types';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { verifyRequest, verifyTone } from './token-verify';

export function TokenVerify({ draft, platform, proxy }: { draft: Draft; platform: AnyPlatform; proxy: ProxySpec }): React.JSX.Element | null {
  const [consent, setConsent] = useState(false);
  const job = useJob('tokens:verify', { cancelOnUnmount: true, startMessage: 'Asking the vendor about the token…' });
  const spec = platform.tokenVerify;
  if (!spec || platform.credential.kind !== 'token') return null;
  const secretId = draft.credentialId;
  const check = (): void => {
    const request = verifyRequest(draft, platform, proxy, consent);
    if (request) void job.start(request);
  };
  const v = job.value;
  const tone = v && verifyTone(v.state);
  return (
    <section className="probe-panel" aria-labelledby="token-verify-heading" data-testid="token-verify">
      <h2 id="token-verify-heading">Check the token with {platform.name}&apos;s server</h2>
      <p className="help">{spec.what}</p>
      {!secretId ? (
        <p className="notice">Enter the token on the Credentials step first.</p>
      ) : (
        <>
          <label className="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} disabled={job.running} /> Send the token to the server in the Details step to check it (through the proxy and company CA above)
          </label>
          <div className="probe-actions">
            <button type="button" onClick={check} disabled={!consent || job.running}>
              Check the token
            </button>
          </div>
        </>
      )}
      <JobProgress label="Token check" running={job.running} message={job.message} fraction={undefined} onCancel={job.cancel} />
      {v && tone && !job.running && (
        <div className={tone.className} role={tone.role} data-testid="token-verify-result" data-state={v.state}>
          <strong>{tone.heading}.</strong> {v.message}
          <p className="help">
            Asked: <code>{v.checked}</code>
          </p>
        </div>
      )}
      {!job.running && <ErrorNote error={job.error} testId="token-verify-error" />}
    </section>
  );
}
