/**
 * The TLS step: a handshake that never rejects the certificate itself (so it can be shown and
 * judged), then the facts — protocol, subject, issuer, names, validity, trust — and a verdict:
 * expired, not trusted (or intercepted, by the rule in shared/probe/interception.ts), wrong name, or fine.
 */
import net from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { interceptionReason, type EndpointResult, type VerdictCode } from '../../../shared/probe';
import { StepFailure, errorText, within } from './step';

export type TlsFacts = NonNullable<EndpointResult['tls']>;

export interface TlsOutcome {
  socket: TLSSocket;
  facts: TlsFacts;
  /** For the interception rule across a run. */
  issuerKey: string;
}

export interface TlsOptions {
  /** The name the agent connects to: SNI and the name check. */
  host: string;
  /** Extra CAs to trust besides the system's (PEM), e.g. a company CA the user added. */
  extraCa?: string[];
  /** ALPN, e.g. ['http/1.1'] for HTTPS. */
  alpn?: string[];
}

const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * Runs a TLS handshake over `socket`. Fails with SILENT (no answer to the ClientHello),
 * TLS_HANDSHAKE_FAILED (not TLS, or no common protocol) or TIMEOUT.
 */
export async function handshake(socket: net.Socket, o: TlsOptions, timeoutMs: number, signal: AbortSignal): Promise<TlsOutcome> {
  let tlsSocket: TLSSocket | undefined;
  try {
    await within(
      'tls',
      timeoutMs,
      signal,
      (stepSignal) =>
        new Promise<void>((resolve, reject) => {
          tlsSocket = tls.connect({
            socket,
            ...(net.isIP(o.host) ? {} : { servername: o.host }),
            rejectUnauthorized: false,
            ...(o.extraCa?.length ? { ca: [...tls.rootCertificates, ...o.extraCa] } : {}),
            ...(o.alpn ? { ALPNProtocols: o.alpn } : {}),
          });
          stepSignal.addEventListener('abort', () => tlsSocket?.destroy(), { once: true });
          tlsSocket.once('secureConnect', () => resolve());
          tlsSocket.once('error', (e) => reject(handshakeFailure(e)));
          tlsSocket.once('close', () => reject(new StepFailure('tls', 'TLS_HANDSHAKE_FAILED', 'the server closed the connection during the TLS handshake')));
        }),
      () => new StepFailure('tls', 'SILENT', `the port accepted the connection but did not answer the TLS handshake within ${timeoutMs} ms`),
    );
  } catch (error) {
    tlsSocket?.destroy();
    socket.destroy();
    throw error;
  }
  const s = tlsSocket as TLSSocket;
  const cert = s.getPeerCertificate(true);
  return { socket: s, facts: factsOf(s, cert), issuerKey: nameOf(cert.issuer) };
}

function handshakeFailure(e: Error): StepFailure {
  const text = errorText(e);
  if (/wrong version number|packet length too long|unknown protocol|record layer failure|http request/i.test(text)) {
    return new StepFailure('tls', 'TLS_HANDSHAKE_FAILED', `the port does not speak TLS (the answer to the TLS ClientHello was not TLS: ${text})`, {
      answered: 'tcp',
    });
  }
  if (/ECONNRESET|socket hang up/i.test(text))
    return new StepFailure('tls', 'TLS_HANDSHAKE_FAILED', `the connection was closed during the TLS handshake (${text})`);
  return new StepFailure('tls', 'TLS_HANDSHAKE_FAILED', `the TLS handshake failed: ${text}`);
}

type Dn = Record<string, string | string[] | undefined> | undefined;

function nameOf(dn: Dn): string {
  if (!dn) return '';
  const order = ['CN', 'OU', 'O', 'L', 'ST', 'C'];
  const keys = [...order.filter((k) => k in dn), ...Object.keys(dn).filter((k) => !order.includes(k))];
  return keys
    .map((k) => {
      const v = dn[k];
      return v === undefined ? '' : `${k}=${Array.isArray(v) ? v.join('+') : v}`;
    })
    .filter(Boolean)
    .join(', ');
}

function factsOf(s: TLSSocket, cert: PeerCertificate): TlsFacts {
  const validTo = new Date(cert.valid_to);
  const validFrom = new Date(cert.valid_from);
  const subject = nameOf(cert.subject);
  const issuer = nameOf(cert.issuer);
  const error = s.authorized ? undefined : String(s.authorizationError ?? 'UNKNOWN');
  return {
    protocol: s.getProtocol() ?? 'unknown',
    subject,
    issuer,
    altNames: (cert.subjectaltname ?? '')
      .split(/,\s*/)
      .map((n) => n.replace(/^DNS:/, '').replace(/^IP Address:/, ''))
      .filter(Boolean),
    validFrom: isNaN(validFrom.getTime()) ? String(cert.valid_from) : validFrom.toISOString(),
    validTo: isNaN(validTo.getTime()) ? String(cert.valid_to) : validTo.toISOString(),
    daysLeft: isNaN(validTo.getTime()) ? 0 : Math.floor((validTo.getTime() - Date.now()) / 86_400_000),
    trusted: s.authorized,
    ...(error ? { error } : {}),
    selfSigned: error === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (subject === issuer && subject !== ''),
    fingerprint256: cert.fingerprint256 ?? '',
  };
}

export interface TlsJudgement {
  verdict: VerdictCode;
  detail: string;
}

/** What the run knows when judging one certificate. */
export interface TlsContext {
  host: string;
  viaProxy: boolean;
  tlsInsteadOfSsh: boolean;
  /** Hosts in other domains whose certificates the same untrusted issuer signed (filled in after the run). */
  otherDomainsSameIssuer: string[];
}

/** The verdict on a certificate: TLS_EXPIRED, TLS_INTERCEPTED, TLS_UNTRUSTED, TLS_NAME_MISMATCH or TLS_OK. */
export function judgeCertificate(f: TlsFacts, cert: { nameError?: string }, ctx: TlsContext): TlsJudgement {
  const now = Date.now();
  const from = Date.parse(f.validFrom);
  const to = Date.parse(f.validTo);
  if ((f.error && EXPIRED.has(f.error)) || (!isNaN(to) && to < now) || (!isNaN(from) && from > now)) {
    const when = !isNaN(to) && to < now ? `expired on ${f.validTo}` : `is not valid before ${f.validFrom}`;
    return { verdict: 'TLS_EXPIRED', detail: `the certificate "${f.subject}" ${when} (this host's clock says ${new Date(now).toISOString()})` };
  }
  if (!f.trusted) {
    const reason = interceptionReason({
      host: ctx.host,
      issuer: f.issuer,
      viaProxy: ctx.viaProxy,
      otherDomainsSameIssuer: ctx.otherDomainsSameIssuer,
      tlsInsteadOfSsh: ctx.tlsInsteadOfSsh,
    });
    if (reason) return { verdict: 'TLS_INTERCEPTED', detail: `likely TLS interception: ${reason}` };
    const kind = f.selfSigned ? 'is self-signed' : `was issued by "${f.issuer}", which this host does not trust`;
    return { verdict: 'TLS_UNTRUSTED', detail: `the certificate "${f.subject}" ${kind} (${f.error ?? 'not trusted'})` };
  }
  if (cert.nameError) return { verdict: 'TLS_NAME_MISMATCH', detail: `the certificate names ${f.altNames.join(', ') || f.subject}, not ${ctx.host}` };
  return { verdict: 'TLS_OK', detail: `${f.protocol}, trusted certificate "${f.subject}" from "${f.issuer}", ${f.daysLeft} days left` };
}

/** The name check of a certificate against the host (undefined when it matches). */
export function nameError(host: string, socket: TLSSocket): string | undefined {
  const cert = socket.getPeerCertificate();
  const e = tls.checkServerIdentity(host.replace(/^\[|\]$/g, ''), cert);
  return e ? e.message : undefined;
}
