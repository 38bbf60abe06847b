/**
 * The Configs step's channels through the real dispatch and file service: preview with diffs and
 * no secret in the output, write exactly what was previewed, twice changes nothing, refusals.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../../main/ipc/dispatch';
import { createHandlers } from '../../../../../main/ipc/handlers';
import { NO_CIPHER } from '../../../../../main/services/deps';
import { MemoryStore } from '../../../../../main/services/store';
import { SecretVault } from '../../../../../main/services/vault';
import { contract, type ChannelOutput } from '../../../../../shared/ipc';
import type { Result } from '../../../../../shared/result';

let root: string;
let keyText: string;
let hostLine: string;
let vault: SecretVault;
let keyId: string;
let call: <T>(channel: string, input: unknown) => Promise<Result<T>>;

const answers = {
  server: 'tunnel.example.com',
  port: '22',
  user: 'acme',
  services: [
    { name: 'jira', url: 'https://jira.acme.com', remotePort: '5000' },
    { name: 'sonar', url: 'http://sonar.acme.com:9000', remotePort: '5001' },
  ],
};

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ao-configs-'));
  execFileSync('openssl', ['genrsa', '-out', path.join(root, 'k'), '2048'], { stdio: 'ignore' });
  keyText = readFileSync(path.join(root, 'k'), 'utf8');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(root, 'hk')]);
  hostLine = `tunnel.example.com ${readFileSync(path.join(root, 'hk.pub'), 'utf8').trim()}\n`;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  vault = new SecretVault();
  keyId = vault.put('ssh-private-key', keyText, { type: 'rsa' });
  const handlers = createHandlers({ mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: root, vault }, new JobRegistry());
  const ctx: CallContext = { senderId: 's1', jobs: new JobRegistry(), emit: () => undefined };
  call = (channel, input) => dispatch(contract, handlers, channel, input, ctx) as never;
});

type Plan = ChannelOutput<'configs:plan'>;
type Written = ChannelOutput<'configs:write'>;

const request = (outDir: string, extra: Record<string, unknown> = {}) => ({
  platform: 'armorcode',
  variant: 'docker',
  answers,
  credentialId: keyId,
  knownHosts: hostLine,
  outDir,
  ...extra,
});
const freshDir = (): string => mkdtempSync(path.join(root, 'out-'));

async function plan(outDir: string, extra: Record<string, unknown> = {}): Promise<Plan> {
  const r = await call<Plan>('configs:plan', request(outDir, extra));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function writeInput(outDir: string, p: Plan, extra: Record<string, unknown> = {}) {
  return {
    ...request(outDir, extra),
    jobId: `job-${Math.random().toString(36).slice(2)}`,
    planHash: p.planHash,
    expected: Object.fromEntries(p.files.map((f) => [f.path, f.currentSha256])),
  };
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((n) => [n, `${(statSync(path.join(dir, n)).mode & 0o777).toString(8)} ${readFileSync(path.join(dir, n), 'utf8')}`]),
  );
}

describe('configs:plan', () => {
  it('previews every file as new, never sending the private key (no text, a redacted diff)', async () => {
    const dir = freshDir();
    const p = await plan(dir);
    expect(p.outDir).toBe(dir);
    expect(p.files.map((f) => [f.path, f.status])).toEqual(
      ['supervisord.conf', 'docker-compose.yml', 'Dockerfile', '.dockerignore', 'private-key.pem', 'public-key.pem', 'known_hosts', 'pre-launch-check.sh'].map(
        (f) => [f, 'create'],
      ),
    );
    const key = p.files.find((f) => f.path === 'private-key.pem')!;
    expect(key).toMatchObject({ secret: true, mode: 0o600 });
    expect(key.text).toBeUndefined();
    expect(key.diff).toContain('contents not shown');
    const body = keyText.split('\n')[1]!;
    expect(JSON.stringify(p)).not.toContain(body.slice(0, 40));
    expect(p.hostKeys).toEqual([{ host: 'tunnel.example.com', type: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) }]);
    const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(root, 'hk.pub')], { encoding: 'utf8' }).split(' ')[1];
    expect(p.hostKeys[0]!.fingerprint).toBe(fp);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['no host key pinned', { knownHosts: undefined }, 'HOST_KEY_REQUIRED'],
    ['no credential chosen', { credentialId: undefined }, 'SECRET_UNAVAILABLE'],
    ['a credential the vault no longer has', { credentialId: 'sec_AAAAAAAAAAAAAAAAAAAA' }, 'SECRET_UNAVAILABLE'],
    ['a relative folder', { outDir: 'relative/dir' }, 'BAD_INPUT'],
    ['duplicate remote ports', { answers: { ...answers, services: [answers.services[0], { ...answers.services[1], remotePort: '5000' }] } }, 'BAD_INPUT'],
    ['an unknown variant', { variant: 'kubernetes' }, 'BAD_INPUT'],
  ])('refuses %s with its own code', async (_what, extra, code) => {
    const r = await call('configs:plan', { ...request(freshDir()), ...extra });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe(code);
  });

  it('names the field a refusal is about, so the Configs step offers "Go to Details" only for answers, never for the folder', async () => {
    const folder = await call('configs:plan', { ...request(freshDir()), outDir: 'relative/dir' });
    expect(!folder.ok && folder.error).toMatchObject({ code: 'BAD_INPUT', field: 'outDir' });
    const empty = await call('configs:plan', { ...request(freshDir()), outDir: '  ' });
    expect(!empty.ok && empty.error).toMatchObject({ code: 'BAD_INPUT', field: 'outDir' });
    const ports = await call('configs:plan', {
      ...request(freshDir()),
      answers: { ...answers, services: [answers.services[0], { ...answers.services[1], remotePort: '5000' }] },
    });
    expect(!ports.ok && ports.error.code).toBe('BAD_INPUT');
    expect(!ports.ok && ports.error.field).toMatch(/^answers\b/);
  });

  it('takes an Ed25519 key (kept in OpenSSH format) and says ArmorCode documents RSA', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agent', '-f', path.join(root, 'ed')], { stdio: 'ignore', input: 'y\n' });
    const edId = vault.put('ssh-private-key', readFileSync(path.join(root, 'ed'), 'utf8'));
    const dir = freshDir();
    const p = await plan(dir, { credentialId: edId });
    expect(p.notes.join(' ')).toContain('ArmorCode documents RSA keys; this key is ssh-ed25519');
    expect(p.files.find((f) => f.path === 'public-key.pem')?.text).toBe(`${readFileSync(path.join(root, 'ed.pub'), 'utf8').trim()}\n`);
    const w = await call<Written>('configs:write', writeInput(dir, p, { credentialId: edId }));
    expect(w.ok).toBe(true);
    expect(readFileSync(path.join(dir, 'private-key.pem'), 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(
      execFileSync('ssh-keygen', ['-y', '-f', path.join(dir, 'private-key.pem')], { encoding: 'utf8' })
        .split(' ')
        .slice(0, 2),
    ).toEqual(readFileSync(path.join(root, 'ed.pub'), 'utf8').split(' ').slice(0, 2));
  });

  it('refuses a passphrase-protected key: the agent runs unattended', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'correct horse battery', '-f', path.join(root, 'enc')], {
      stdio: 'ignore',
      input: 'y\n',
    });
    const encId = vault.put('ssh-private-key', readFileSync(path.join(root, 'enc'), 'utf8'));
    const r = await call('configs:plan', request(freshDir(), { credentialId: encId }));
    expect(!r.ok && r.error.code).toBe('PASSPHRASE_REQUIRED');
  });

  it('refuses a token where the platform needs a key', async () => {
    const tokenId = vault.put('token', 'abc');
    const r = await call('configs:plan', request(freshDir(), { credentialId: tokenId }));
    expect(!r.ok && r.error.code).toBe('TOKEN_WRONG_KIND');
  });
});

describe('configs:plan with the company CA the Connectivity step trusted', () => {
  const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0E=\n-----END CERTIFICATE-----\n';
  const harnessRequest = (extra: Record<string, unknown>) => ({
    platform: 'harness',
    variant: 'docker',
    answers: { accountId: 'acc', delegateName: 'd1', imageTag: '26.02.88404' },
    credentialId: vault.put('token', 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=', { platform: 'harness' }),
    outDir: freshDir(),
    ...extra,
  });

  it('hands it to the generator, which mounts it (Harness Docker), and refuses a private key in its place', async () => {
    const r = await call<Plan>('configs:plan', harnessRequest({ trustedCa: CA }));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.map((f) => f.path)).toEqual(['run-delegate.sh', 'delegate.env', 'ca-bundle/company-ca.pem']);
    const refused = await call<Plan>('configs:plan', harnessRequest({ trustedCa: keyText }));
    expect(refused.ok === false && refused.error.code).toBe('BAD_INPUT');
  });
});

describe('configs:write', () => {
  it('writes what was previewed (key 0600, script 0755), and a second time changes nothing', async () => {
    const dir = freshDir();
    const first = await call<Written>('configs:write', writeInput(dir, await plan(dir)));
    expect(first.ok && first.value.files.every((f) => f.status === 'created')).toBe(true);
    expect(statSync(path.join(dir, 'private-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'pre-launch-check.sh')).mode & 0o777).toBe(0o755);
    expect(readFileSync(path.join(dir, 'private-key.pem'), 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const before = snapshot(dir);

    const again = await plan(dir);
    expect(again.files.every((f) => f.status === 'same' && f.diff === '')).toBe(true);
    const second = await call<Written>('configs:write', writeInput(dir, again));
    expect(second.ok && second.value.files.map((f) => f.status)).toEqual(again.files.map(() => 'unchanged'));
    expect(snapshot(dir)).toEqual(before);
  });

  it('shows the diff of a file edited by hand and backs it up before replacing it', async () => {
    const dir = freshDir();
    await call('configs:write', writeInput(dir, await plan(dir)));
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('ServerAliveInterval=30', 'ServerAliveInterval=99'));
    const p = await plan(dir);
    const entry = p.files.find((f) => f.path === 'supervisord.conf')!;
    expect(entry.status).toBe('update');
    expect(entry.diff).toContain('-command=/usr/bin/autossh -M 0 -N -o ServerAliveInterval=99');
    expect(entry.diff).toContain('+command=/usr/bin/autossh -M 0 -N -o ServerAliveInterval=30');
    const w = await call<Written>('configs:write', writeInput(dir, p));
    const outcome = w.ok ? w.value.files.find((f) => f.path === 'supervisord.conf') : undefined;
    expect(outcome?.status).toBe('updated');
    expect(readFileSync(outcome!.backupPath!, 'utf8')).toContain('ServerAliveInterval=99');
  });

  it('refuses, writing nothing, when a file changed after the preview', async () => {
    const dir = freshDir();
    const p = await plan(dir);
    writeFileSync(path.join(dir, 'known_hosts'), 'someone else wrote this\n');
    const r = await call('configs:write', writeInput(dir, p));
    expect(!r.ok && r.error.code).toBe('FILE_CHANGED');
    expect(readdirSync(dir)).toEqual(['known_hosts']);
  });

  it('refuses, writing nothing, when the answers changed after the preview', async () => {
    const dir = freshDir();
    const p = await plan(dir);
    const r = await call('configs:write', writeInput(dir, p, { answers: { ...answers, user: 'someone-else' } }));
    expect(!r.ok && r.error.code).toBe('FILE_CHANGED');
    expect(readdirSync(dir)).toEqual([]);
  });
});
