/**
 * The generic token check with the vendor (Platform.tokenVerify), for any platform that has one:
 * the user reads what is sent where, agrees, and the main process checks the token in the vault
 * with the vendor itself (the token never comes to this page). Valid, invalid, expired and
 * "cannot tell" are told apart in words before anything is written, with what the answer says
 * about the other answers (findings). A token the vendor issued in exchange (a registration token
 * a GitHub PAT fetched) stays in the vault: this page shows its facts and can make it the
 * credential.
 */
import { useEffect, useRef, useState } from 'react';
import type { Draft } from '../../../shared/ipc';
import { api } from '../../api';
import type { StepProps } from '../types';
import type { ProxySpec } from '../../../shared/probe';
import type { AnyPlatform } from '../../../shared/platforms/types';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { verifyRequest, verifyTone } from './token-verify';

const FINDING_CLASS = { passed: 'ok', failed: 'error', unknown: 'notice' } as const;

export function TokenVerify({
  draft,
  update,
  platform,
  proxy,
}: {
  draft: Draft;
  update: StepProps['update'];
  platform: AnyPlatform;
  proxy: ProxySpec;
}): React.JSX.Element | null {
  const [consent, setConsent] = useState(false);
  const [used, setUsed] = useState<string | null>(null);
  const job = useJob('tokens:verify', { cancelOnUnmount: true, startMessage: 'Asking the vendor about the token…' });
  const v = job.value;
  // An issued token not made the credential is forgotten when a new one comes or the page goes.
  const unused = useRef<string | undefined>(undefined);
  useEffect(() => {
    const id = v?.issued?.id;
    if (unused.current && unused.current !== id) void api.invoke('secrets:forget', { id: unused.current });
    unused.current = id;
  }, [v?.issued?.id]);
  useEffect(
    () => () => {
      if (unused.current) void api.invoke('secrets:forget', { id: unused.current });
    },
    [],
  );
  const spec = platform.tokenVerify;
  if (!spec || platform.credential.kind !== 'token') return null;
  const secretId = draft.credentialId;
  const check = (): void => {
    const request = verifyRequest(draft, platform, proxy, consent);
    if (!request) return;
    setUsed(null);
    void job.start(request);
  };
  const tone = v && verifyTone(v.state);
  const useIssued = (): void => {
    const issued = v?.issued;
    if (!issued) return;
    if (draft.credentialId && draft.credentialId !== issued.id) void api.invoke('secrets:forget', { id: draft.credentialId });
    unused.current = undefined;
    update({ credentialId: issued.id });
    setUsed(issued.kindName);
  };
  return (
    <section className="probe-panel" aria-labelledby="token-verify-heading" data-testid="token-verify">
      <h2 id="token-verify-heading">Check the token with {platform.name}&apos;s server</h2>
      <p className="help">{spec.what}</p>
      {!secretId ? (
        <p className="notice">Enter the token on the Credentials step first.</p>
      ) : (
        <>
          <label className="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} disabled={job.running} /> Send the token to the server in
            the Details step to check it (through the proxy and company CA above)
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
      {v && !job.running && (v.findings ?? []).length > 0 && (
        <ul className="plain" data-testid="token-verify-findings">
          {v.findings!.map((f, i) => (
            <li key={i} className={FINDING_CLASS[f.state]} data-state={f.state}>
              {f.detail}
            </li>
          ))}
        </ul>
      )}
      {v?.issued && !job.running && (
        <div className="notice" data-testid="token-verify-issued">
          <p>
            {platform.name}&apos;s vendor issued a {v.issued.kindName} (<code>{v.issued.masked}</code>)
            {v.issued.expiresAt !== undefined ? `, valid until ${new Date(v.issued.expiresAt).toLocaleTimeString()}` : ''}. It is kept in this app&apos;s vault,
            not shown.
          </p>
          {used ? (
            <p role="status">The {used} is now the credential: the Credentials step counts its time down.</p>
          ) : (
            <button type="button" onClick={useIssued} disabled={draft.credentialId === v.issued.id}>
              Use it instead of the token checked
            </button>
          )}
        </div>
      )}
      {!job.running && <ErrorNote error={job.error} testId="token-verify-error" />}
    </section>
  );
}
