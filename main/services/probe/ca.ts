/**
 * A company CA the user asks the checks to trust (a TLS-inspecting proxy's root, an internal CA):
 * read from PEM text (or DER bytes from a file), every certificate parsed by Node's X509 so the
 * user sees exactly what they trust, and refused with a clear error when it is not a certificate
 * — above all when it is a private key, which must never be asked for or passed around.
 */
import { X509Certificate } from 'node:crypto';
import { err, ok, type Result } from '../../../shared/result';
import type { TrustedCa } from '../../../shared/probe';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Most certificates a bundle may hold (a corporate chain is a handful; system bundles are ~150). */
export const MAX_CA_CERTIFICATES = 32;

export interface CaBundle {
  /** Each certificate as PEM, for tls `ca`. */
  pems: string[];
  /** What each one is, for the user and the report. */
  certificates: TrustedCa[];
}

function describe(cert: X509Certificate, now: Date): TrustedCa {
  const notAfter = new Date(cert.validTo);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    notAfter: Number.isNaN(notAfter.getTime()) ? cert.validTo : notAfter.toISOString(),
    isCa: cert.ca,
    selfSigned: cert.subject === cert.issuer && cert.verify(cert.publicKey),
    expired: notAfter.getTime() < now.getTime(),
    fingerprint256: cert.fingerprint256,
  };
}

/**
 * Reads one or more CA certificates. Accepts PEM text (any number of CERTIFICATE blocks, other
 * text around them ignored) or the bytes of one DER certificate. Fails with BAD_INPUT when there
 * is no certificate, a block does not parse, a private key is included, or there are too many.
 */
export function readCaBundle(input: string | Uint8Array, now = new Date()): Result<CaBundle> {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.some((b) => /PRIVATE KEY/.test(b[1]!))) {
    return err(
      'BAD_INPUT',
      'This is a private key, not a CA certificate: nothing was read.',
      "Only the CA certificate is needed (-----BEGIN CERTIFICATE-----). Never share the CA's private key.",
    );
  }
  const certBlocks = blocks.filter((b) => b[1] === 'CERTIFICATE' || b[1] === 'TRUSTED CERTIFICATE' || b[1] === 'X509 CERTIFICATE');
  let certs: X509Certificate[];
  if (!certBlocks.length) {
    if (typeof input === 'string' || !input.length)
      return err(
        'BAD_INPUT',
        'No certificate found.',
        'Paste the CA certificate in PEM form: the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
      );
    try {
      certs = [new X509Certificate(Buffer.from(input))];
    } catch {
      return err(
        'BAD_INPUT',
        'The file is neither a PEM nor a DER certificate.',
        'Export the CA certificate as .pem or .crt (Base-64 or DER) and choose that file.',
      );
    }
  } else {
    if (certBlocks.length > MAX_CA_CERTIFICATES)
      return err(
        'BAD_INPUT',
        `There are ${certBlocks.length} certificates; at most ${MAX_CA_CERTIFICATES} are accepted.`,
        "Give only your company's CA certificates, not a whole system bundle.",
      );
    certs = [];
    for (const [i, b] of certBlocks.entries()) {
      try {
        // OpenSSL's TRUSTED CERTIFICATE carries trust settings after the certificate; Node reads the certificate.
        certs.push(new X509Certificate(b[0].replace(/(TRUSTED|X509) CERTIFICATE/g, 'CERTIFICATE')));
      } catch {
        return err(
          'BAD_INPUT',
          `Certificate ${i + 1} of ${certBlocks.length} is damaged and cannot be read.`,
          'Copy the whole block again, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
        );
      }
    }
  }
  return ok({ pems: certs.map((c) => c.toString()), certificates: certs.map((c) => describe(c, now)) });
}
