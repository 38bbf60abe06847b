/**
 * A company CA trusted for the checks, with certificates made by the real openssl and a real
 * HTTPS server whose certificate is signed by an "inspection" CA (as a TLS-intercepting proxy
 * presents): reading PEM and DER (fingerprints as openssl prints them), refusing private keys
 * and damaged blocks, `probe:read-ca` and `probe:run` through the real dispatch, the report line,
 * the draft's guard, and `probe --ca-file` as a real process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { probeHandlers } from '../../main/ipc/handlers/probe';
import { NO_CIPHER, type Deps } from '../../main/services/deps';
import { readCaBundle } from '../../main/services/probe/ca';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { contract, draftSchema } from '../../shared/ipc';
import { probeRunSchema, type ProbeRun } from '../../shared/probe';
import { formatReport } from '../../shared/probe-report';
import { runCliProcess } from '../support/cli';
import { startHttps, type Running } from '../support/net-servers';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';

const exec = promisify(execFile);
const probeContract = { 'probe:run': contract['probe:run'], 'probe:read-ca': contract['probe:read-ca'] };

let dir: string;
let certs: TestCerts;
let inspected: Running;
/** As `openssl x509 -fingerprint -sha256` prints it, for the inspection CA. */
let opensslFingerprint: string;

async function call(channel: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const jobs = new JobRegistry();
  const deps = { mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: dir, vault: new SecretVault() } as Deps;
  const ctx: CallContext = { senderId: 'w1', jobs, emit: () => undefined };
  return dispatch(probeContract, probeHandlers(deps, jobs, {}), channel, input, ctx);
}

const endpoint = (): { id: string; host: string; port: number; protocol: 'https'; purpose: string } => ({
  id: 'inspected',
  host: 'localhost',
  port: inspected.port,
  protocol: 'https',
  purpose: 'server behind inspection',
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-ca-'));
  certs = await makeTestCerts();
  inspected = await startHttps(certs.intercepted);
  writeFileSync(path.join(dir, 'corp-ca.pem'), certs.inspectionCaPem);
  await exec('openssl', ['x509', '-in', path.join(dir, 'corp-ca.pem'), '-outform', 'DER', '-out', path.join(dir, 'corp-ca.cer')]);
  writeFileSync(path.join(dir, 'leaf.key'), certs.intercepted.key);
  const { stdout } = await exec('openssl', ['x509', '-in', path.join(dir, 'corp-ca.pem'), '-noout', '-fingerprint', '-sha256']);
  opensslFingerprint = stdout.trim().split('=')[1]!;
});

afterAll(async () => {
  await inspected?.stop();
  certs?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('readCaBundle', () => {
  it('reads a PEM CA: subject, a root CA, its SHA-256 fingerprint exactly as openssl prints it', () => {
    const r = readCaBundle(certs.inspectionCaPem);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.certificates).toEqual([
      expect.objectContaining({
        subject: 'CN=Corp Inspection CA, O=Example Corp Security',
        isCa: true,
        selfSigned: true,
        expired: false,
        fingerprint256: opensslFingerprint,
      }),
    ]);
  });

  it('reads the DER form (a Windows .cer export) as the same certificate', () => {
    const r = readCaBundle(new Uint8Array(readFileSync(path.join(dir, 'corp-ca.cer'))));
    expect(r.ok && r.value.certificates[0]?.fingerprint256).toBe(opensslFingerprint);
  });

  it('reads several certificates with text around them, keeping only the certificates', () => {
    const r = readCaBundle(`Our CAs:\n${certs.caPem}\nand the proxy's:\n${certs.inspectionCaPem}`);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.certificates.map((c) => c.subject)).toEqual([
      'CN=Agent Onboard Test CA, O=Agent Onboard Tests',
      'CN=Corp Inspection CA, O=Example Corp Security',
    ]);
    expect(r.value.pems.join('')).not.toContain('Our CAs');
  });

  it("says when a certificate is a server's own (not a CA) and when it has expired", () => {
    const leaf = readCaBundle(certs.trusted.cert);
    expect(leaf.ok && leaf.value.certificates[0]).toMatchObject({ isCa: false, selfSigned: false, subject: 'CN=localhost' });
    const old = readCaBundle(certs.expired.cert);
    expect(old.ok && old.value.certificates[0]?.expired).toBe(true);
  });

  it.each([
    ['a private key', () => certs.intercepted.key, /private key, not a CA certificate/, /Never share the CA's private key/],
    [
      'a certificate with a private key beside it',
      () => `${certs.inspectionCaPem}${certs.intercepted.key}`,
      /private key/,
      /Only the CA certificate is needed/,
    ],
    ['a damaged block', () => certs.inspectionCaPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!'), /damaged/, /Copy the whole block again/],
    ['text without a certificate', () => 'ssh-ed25519 AAAA not a certificate', /No certificate found/, /in PEM form/],
    ['random bytes as a file', () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05, 0xff]), /neither a PEM nor a DER/, /as \.pem or \.crt/],
  ])('refuses %s with BAD_INPUT and a way forward', (_label, input, message, hint) => {
    const r = readCaBundle(input());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_INPUT');
    expect(r.error.message).toMatch(message);
    expect(r.error.hint).toMatch(hint);
    expect(JSON.stringify(r.error)).not.toContain('PRIVATE KEY-----');
  });
});

describe('over the dispatch', () => {
  it('probe:read-ca describes the certificates and gives back the certificates alone', async () => {
    const r = await call('probe:read-ca', { text: `pasted from the wiki:\n${certs.inspectionCaPem}` });
    expect(r.ok).toBe(true);
    const value = r.value as { certificates: { fingerprint256: string }[]; pem: string };
    expect(value.certificates[0]?.fingerprint256).toBe(opensslFingerprint);
    expect(value.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]*-----END CERTIFICATE-----\n$/);
    expect(value.pem).not.toContain('wiki');
  });

  it('probe:run calls the inspected server untrusted without the CA and passes it with the CA trusted, saying so in the report', async () => {
    const without = await call('probe:run', { jobId: 'no-ca', endpoints: [endpoint()], timeoutMs: 3000, proxy: { mode: 'none' } });
    expect((without.value as ProbeRun).results[0]?.verdict).toMatch(/^TLS_(UNTRUSTED|INTERCEPTED)$/);
    expect(formatReport(without.value as ProbeRun)).not.toContain('Also trusted');

    const withCa = await call('probe:run', {
      jobId: 'ca',
      endpoints: [endpoint()],
      timeoutMs: 3000,
      proxy: { mode: 'none' },
      trustedCa: certs.inspectionCaPem,
    });
    const run = probeRunSchema.parse(withCa.value);
    expect(run.results[0]).toMatchObject({ verdict: 'HTTP_OK', tls: { trusted: true, issuer: 'CN=Corp Inspection CA, O=Example Corp Security' } });
    expect(run.trustedCas?.[0]?.fingerprint256).toBe(opensslFingerprint);
    expect(formatReport(run)).toContain(`Also trusted: CA "CN=Corp Inspection CA, O=Example Corp Security" (SHA-256 ${opensslFingerprint}`);
  });

  it('probe:run refuses a private key as the CA before probing anything', async () => {
    const r = await call('probe:run', { jobId: 'key', endpoints: [endpoint()], timeoutMs: 3000, trustedCa: certs.intercepted.key });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('private key') } });
  });

  it('the draft keeps certificates but refuses a private key in the CA field', () => {
    const base = { platform: null, variant: null, step: 'connectivity', answers: {} };
    expect(draftSchema.safeParse({ ...base, trustedCa: certs.inspectionCaPem }).success).toBe(true);
    expect(draftSchema.safeParse({ ...base, trustedCa: certs.intercepted.key }).success).toBe(false);
  });
});

describe('probe --ca-file (a real process)', () => {
  const cli = (args: string[]): ReturnType<typeof runCliProcess> =>
    runCliProcess(['probe', '--host', 'localhost', '--port', String(inspected.port), '--timeout-ms', '2000', ...args], { cwd: dir, cleanEnv: true });

  it('passes with the PEM or the DER file, and fails without it', async () => {
    const none = await cli(['--json']);
    expect(none.code).toBe(1);
    for (const file of ['corp-ca.pem', 'corp-ca.cer']) {
      const r = await cli(['--ca-file', file, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ passed: true, trustedCas: [{ fingerprint256: opensslFingerprint }] });
    }
    const text = await cli(['--ca-file', 'corp-ca.pem']);
    expect(text.stdout).toContain(`Also trusted: CA "CN=Corp Inspection CA, O=Example Corp Security" (SHA-256 ${opensslFingerprint})`);
  });

  it('exits 2 with one line, probing nothing, for a key file or a missing file', async () => {
    const key = await cli(['--ca-file', 'leaf.key']);
    expect(key).toMatchObject({ code: 2, stdout: '' });
    expect(key.stderr).toMatch(/^agent-onboard probe: --ca-file leaf.key: This is a private key/);
    expect(key.stderr).not.toContain('PRIVATE KEY-----');
    const missing = await cli(['--ca-file', 'nope.pem']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('cannot read it (ENOENT)');
  });
});
