/**
 * A file is secret because of what it holds, never because of its name (issue 11 items 1-3):
 * a generated Harness Docker folder, as it is on disk (the script 0644, renamed), exported by the
 * real CLI process and by the real bundle:export handler. With a passphrase every file holding
 * the token or a key is sealed, and the zip's raw bytes hold neither; without one the CLI names
 * the secret files and refuses unless told --plain-secrets; the folder's platform comes from its
 * files; an unchecked "private key" leaves every key file out of a folder export.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { NO_CIPHER } from '../../main/services/deps';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { base64Utf8 } from '../../shared/edit/values';
import { contract, type ChannelOutput } from '../../shared/ipc';
import { harness, harnessAnswers } from '../../shared/platforms/harness';
import { buildkite, buildkiteAnswers } from '../../shared/platforms/buildkite';
import type { Result } from '../../shared/result';
import { runCliProcess as cli } from '../support/cli';

const TOKEN = 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const BK_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
const PASS = 'correct horse battery';
const root = mkdtempSync(path.join(tmpdir(), 'ao-bundle-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => mkdtempSync(path.join(root, `t${n++}-`));

/** A generated Harness Docker folder as a user keeps it: every file 0644, the token's env file renamed. */
function harnessFolder(): string {
  const dir = tmp();
  const g = harness.generate!(
    harnessAnswers.parse({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' }),
    { kind: 'token', token: TOKEN },
    'docker',
  );
  if (!g.ok) throw new Error(g.error.message);
  for (const f of g.value.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.text, { mode: 0o644 });
    chmodSync(path.join(dir, f.path), 0o644);
  }
  // The token lives in the --env-file beside the script; renamed and 0644, only its content says it is secret.
  renameSync(path.join(dir, 'delegate.env'), path.join(dir, 'go'));
  writeFileSync(path.join(dir, 'notes.txt'), 'Nothing secret here.\n', { mode: 0o644 });
  return dir;
}

function rawHas(zip: Buffer, needle: string): boolean {
  return zip.includes(Buffer.from(needle, 'utf8'));
}

describe('bundle export reads what each file holds (CLI, real process)', () => {
  it('seals the renamed 0644 env file holding DELEGATE_TOKEN under a passphrase: no token in the raw zip', async () => {
    const dir = harnessFolder();
    const out = path.join(tmp(), 'h.zip');
    const r = await cli(['bundle', 'export', dir, '--out', out, '--passphrase-env', 'BP', '--json'], { env: { BP: PASS } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      manifest: { platform: string; files: { path: string; secret: boolean; encrypted?: unknown }[] };
      secretFiles: { path: string; because: string[] }[];
      platformFrom: string;
    };
    const go = report.manifest.files.find((f) => f.path === 'go')!;
    expect(go.secret).toBe(true);
    expect(go.encrypted).toBeTruthy();
    expect(report.manifest.files.find((f) => f.path === 'notes.txt')!.secret).toBe(false);
    expect(report.secretFiles.find((f) => f.path === 'go')!.because.join(' ')).toMatch(/token/);
    // Recognised from the files, not from a flag.
    expect(report.platformFrom).toBe('files');
    expect(report.manifest.platform).toBe('harness');
    const zip = readFileSync(out);
    expect(rawHas(zip, TOKEN)).toBe(false);
    expect(rawHas(zip, base64Utf8(TOKEN))).toBe(false);
    // The sealed file still unpacks to the same bytes.
    const to = path.join(tmp(), 'to');
    expect((await cli(['bundle', 'import', out, '--to', to, '--passphrase-env', 'BP'], { env: { BP: PASS } })).code).toBe(0);
    expect(readFileSync(path.join(to, 'go'), 'utf8')).toBe(readFileSync(path.join(dir, 'go'), 'utf8'));
  });

  it('without a passphrase names the secret files and refuses (exit 2, nothing written) unless --plain-secrets', async () => {
    const dir = harnessFolder();
    const out = path.join(tmp(), 'h.zip');
    const refused = await cli(['bundle', 'export', dir, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/go \(a token/);
    expect(refused.stderr).toMatch(/--passphrase-env/);
    expect(refused.stderr).toMatch(/--plain-secrets/);
    expect(refused.stderr).not.toContain(TOKEN);
    expect(() => readFileSync(out)).toThrow();
    const plain = await cli(['bundle', 'export', dir, '--out', out, '--plain-secrets']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/go {2}\(secret: a token/);
    expect(unzipSync(readFileSync(out))['go']).toBeDefined();
  });

  it('does not call a file secret for an empty or placeholder token place', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'buildkite-agent.cfg'), '# The token from your Buildkite "Agents" page\ntoken="xxx"\nname="%hostname-%spawn"\n');
    const r = await cli(['bundle', 'export', dir, '--out', path.join(tmp(), 'b.zip'), '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { manifest: { platform: string; files: { path: string; secret: boolean }[] } };
    expect(report.manifest.files.find((f) => f.path === 'buildkite-agent.cfg')!.secret).toBe(false);
    expect(report.manifest.platform).toBe('buildkite');
  });
});

describe('bundle:export of a folder (real handler)', () => {
  function app() {
    const vault = new SecretVault();
    const handlers = createHandlers({ mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: root, vault }, new JobRegistry());
    const ctx: CallContext = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
    const call = async <C extends keyof typeof contract>(channel: C, input: unknown): Promise<ChannelOutput<C>> => {
      const r = (await dispatch(contract, handlers, channel, input, ctx)) as Result<ChannelOutput<C>>;
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    return { vault, call };
  }

  /** A Buildkite docker folder with a key beside it, as the wizard would find it on disk. */
  function buildkiteFolder(): string {
    const dir = tmp();
    const g = buildkite.generate!(buildkiteAnswers.parse({ name: 'ci', tags: { queue: 'q' } }), { kind: 'token', token: BK_TOKEN }, 'docker');
    if (!g.ok) throw new Error(g.error.message);
    for (const f of g.value.files) writeFileSync(path.join(dir, f.path), f.text, { mode: 0o644 });
    mkdirSync(path.join(dir, 'ssh'));
    writeFileSync(path.join(dir, 'ssh', 'deploy'), KEY, { mode: 0o600 });
    writeFileSync(path.join(dir, 'ssh', 'deploy.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB deploy\n', { mode: 0o644 });
    return dir;
  }

  it('leaves every private key file out when "The private key" is not chosen, and says so', async () => {
    const { call } = app();
    const dir = buildkiteFolder();
    const out = path.join(tmp(), 'b.zip');
    const r = await call('bundle:export', {
      jobId: 'j1',
      source: { kind: 'folder', dir, platform: null, variant: null },
      out,
      includePrivateKey: false,
      passphrase: PASS,
    });
    expect(r.manifest.files.map((f) => f.path)).not.toContain('ssh/deploy');
    expect(r.left).toContain('ssh/deploy');
    expect(rawHas(readFileSync(out), 'PRIVATE KEY')).toBe(false);
    const withKey = await call('bundle:export', {
      jobId: 'j2',
      source: { kind: 'folder', dir, platform: null, variant: null },
      out: path.join(tmp(), 'k.zip'),
      includePrivateKey: true,
      passphrase: PASS,
    });
    expect(withKey.manifest.files.find((f) => f.path === 'ssh/deploy')).toMatchObject({ secret: true });
  });

  it('labels the bundle with the platform its files show, not the one the wizard has open', async () => {
    const { call } = app();
    const dir = buildkiteFolder();
    const out = path.join(tmp(), 'b.zip');
    const r = await call('bundle:export', {
      jobId: 'j3',
      source: { kind: 'folder', dir, platform: null, variant: null },
      out,
      includePrivateKey: false,
      passphrase: PASS,
    });
    expect(r.manifest.platform).toBe('buildkite');
    const readme = new TextDecoder().decode(unzipSync(readFileSync(out))['README.md']);
    expect(readme).toMatch(/Buildkite/);
    expect(readme).not.toMatch(/ArmorCode/);
    expect(r.secretFiles.map((f) => f.path)).toContain('agent.env');
  });

  it('names a file secret when it holds a token the vault knows, whatever its format', async () => {
    const { vault, call } = app();
    vault.put('token', BK_TOKEN, { platform: 'buildkite' });
    const dir = tmp();
    writeFileSync(path.join(dir, 'handover.txt'), `the agent token is ${BK_TOKEN}\n`, { mode: 0o644 });
    const r = await call('bundle:export', {
      jobId: 'j4',
      source: { kind: 'folder', dir, platform: 'buildkite', variant: null },
      out: path.join(tmp(), 'v.zip'),
      passphrase: PASS,
    });
    expect(r.secretFiles).toEqual([{ path: 'handover.txt', because: ['a token the app holds'] }]);
    expect(r.manifest.files.find((f) => f.path === 'handover.txt')!.encrypted).toBeTruthy();
  });
});
