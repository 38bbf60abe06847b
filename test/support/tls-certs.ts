/**
 * Test certificates made with the real openssl CLI: a test CA, a leaf it signs, a self-signed
 * leaf, an expired leaf (signed by the same CA, dates in the past via `openssl ca`), and an
 * "inspection" CA with a leaf for the same names, as a TLS-intercepting proxy would present.
 * Every leaf names localhost and 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyCert {
  key: string;
  cert: string;
}

export interface TestCerts {
  /** PEM of the test CA (trust it to make `trusted` valid). */
  caPem: string;
  trusted: KeyCert;
  selfSigned: KeyCert;
  expired: KeyCert;
  /** PEM of the inspection CA, subject "CN=Corp Inspection CA, O=Example Corp Security". */
  inspectionCaPem: string;
  /** A leaf for localhost/127.0.0.1 signed by the inspection CA. */
  intercepted: KeyCert;
  cleanup(): void;
}

const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
/** openssl req: a new P-256 key, unencrypted. */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

async function ssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/**
 * A self-signed CA in `dir`: its key `NAME.key` and certificate `NAME.pem` (30 days, CA:TRUE), as
 * a company's root CA; answers both paths.
 */
export async function makeCa(dir: string, name: string, subj: string): Promise<{ key: string; pem: string }> {
  await ssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '30',
    '-subj',
    subj,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { key: path.join(dir, `${name}.key`), pem: path.join(dir, `${name}.pem`) };
}

async function makeLeaf(dir: string, name: string, ca: string): Promise<KeyCert> {
  await ssl(dir, ['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost']);
  writeFileSync(path.join(dir, `${name}.ext`), `${SAN}\nextendedKeyUsage=serverAuth\n`);
  await ssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '30',
    '-extfile',
    `${name}.ext`,
  ]);
  return read(dir, name);
}

function read(dir: string, name: string): KeyCert {
  return { key: readFileSync(path.join(dir, `${name}.key`), 'utf8'), cert: readFileSync(path.join(dir, `${name}.pem`), 'utf8') };
}

/** Makes every certificate in a temp dir (about a second). */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ao-certs-'));
  await makeCa(dir, 'ca', '/CN=Agent Onboard Test CA/O=Agent Onboard Tests');
  await makeCa(dir, 'inspect', '/CN=Corp Inspection CA/O=Example Corp Security');
  const trusted = await makeLeaf(dir, 'trusted', 'ca');
  const intercepted = await makeLeaf(dir, 'intercepted', 'inspect');

  await ssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', SAN]);

  // `openssl ca` is the one openssl command that takes explicit past dates.
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'certificate = $dir/ca.pem',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = none',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '[leaf]',
      SAN,
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await ssl(dir, ['req', '-new', ...EC_KEY, '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost']);
  await ssl(dir, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-extensions',
    'leaf',
    '-in',
    'expired.csr',
    '-out',
    'expired.pem',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-notext',
  ]);

  return {
    caPem: readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    trusted,
    selfSigned: read(dir, 'self'),
    expired: read(dir, 'expired'),
    inspectionCaPem: readFileSync(path.join(dir, 'inspect.pem'), 'utf8'),
    intercepted,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
