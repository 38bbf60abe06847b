import { useEffect, useId, useState } from 'react';
import type { TrustedCa } from '../../../shared/probe';
import { api } from '../../api';

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;

/** A .cer/.crt file as text: PEM as it is, a DER certificate (binary, starts with SEQUENCE) wrapped in PEM. */
export async function certificateFileText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] !== 0x30) return new TextDecoder().decode(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const b64 = btoa(binary).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

function CertificateList({ certificates }: { certificates: TrustedCa[] }): React.JSX.Element {
  return (
    <ul className="probe-ca-list" aria-label="Trusted CA certificates">
      {certificates.map((c) => (
        <li key={c.fingerprint256}>
          <strong>{c.subject}</strong>
          <span className="muted">
            {' '}
            issued by {c.selfSigned ? 'itself (a root CA)' : c.issuer}; valid until {c.notAfter.slice(0, 10)}
          </span>
          <br />
          <code className="fingerprint">SHA-256 {c.fingerprint256}</code>
          {c.expired && <p className="warn">This certificate has expired: servers it signed will still fail the check.</p>}
          {!c.isCa && <p className="warn">This is not a CA certificate (it is a server&apos;s own certificate): trusting it trusts that one server only.</p>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Company CA: certificates the checks trust besides the system's, for networks that inspect TLS
 * or servers with an internal CA. Pasted or loaded from a .pem/.crt/.cer file, read by main (which
 * shows what each one is) and only then kept in the draft, as certificates alone.
 */
export function CaFields({
  value,
  onChange,
  disabled,
}: {
  value: string | undefined;
  onChange(pem: string | undefined): void;
  disabled?: boolean;
}): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState('');
  const [kept, setKept] = useState<TrustedCa[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // No CA: nothing is shown (the list renders only with a value), so nothing to reset.
    if (!value) return;
    let live = true;
    void api.invoke('probe:read-ca', { text: value }).then((r) => live && setKept(r.ok ? r.value.certificates : null));
    return () => {
      live = false;
    };
  }, [value]);

  const trust = (candidate: string): void => {
    setError(null);
    if (PRIVATE_KEY.test(candidate)) {
      // Never sent anywhere, and not left on screen.
      setText('');
      setError(
        "That is a private key, not a CA certificate: it was cleared and not used. Only the CA certificate is needed (-----BEGIN CERTIFICATE-----); never share the CA's private key.",
      );
      return;
    }
    setBusy(true);
    void api.invoke('probe:read-ca', { text: candidate }).then((r) => {
      setBusy(false);
      if (!r.ok) {
        setError(`${r.error.message} ${r.error.hint ?? ''}`.trim());
        return;
      }
      setText('');
      onChange(r.value.pem);
    });
  };

  const fromFile = (file: File | undefined): void => {
    if (!file) return;
    if (file.size > 256 * 1024) {
      setError('That file is larger than 256 KiB: choose the CA certificate itself, not a whole trust store.');
      return;
    }
    void certificateFileText(file).then((t) => trust(`${value ?? ''}${t}`));
  };

  return (
    <fieldset className="probe-ca">
      {/* The summary above already says it; the legend names the group for assistive tech. */}
      <legend className="sr-only">Company CA</legend>
      <p className="help">
        If your network inspects TLS, or a server uses an internal CA, the checks call its certificates untrusted. Add the CA certificate (PEM or DER; never its
        key) and the checks trust it besides this computer&apos;s CAs. The agent host needs the same CA in its own trust store.
      </p>
      {value && kept && (
        <>
          <CertificateList certificates={kept} />
          <button type="button" className="secondary" disabled={disabled} onClick={() => onChange(undefined)}>
            Stop trusting {kept.length === 1 ? 'this CA' : 'these CAs'}
          </button>
        </>
      )}
      <div className="field">
        <label htmlFor={`${id}-file`}>CA certificate file (.pem, .crt, .cer)</label>
        <input id={`${id}-file`} type="file" accept=".pem,.crt,.cer,.der" disabled={disabled || busy} onChange={(e) => fromFile(e.target.files?.[0])} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-pem`}>{value ? 'Or paste more certificates (PEM)' : 'Or paste the CA certificate (PEM)'}</label>
        <textarea
          id={`${id}-pem`}
          rows={4}
          spellCheck={false}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={text}
          disabled={disabled || busy}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="probe-actions">
        <button type="button" className="secondary" disabled={disabled || busy || !text.trim()} onClick={() => trust(`${value ?? ''}${text}`)}>
          Trust {value ? 'these too' : 'this CA'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
