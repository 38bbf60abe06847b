/**
 * GitHub's REST API as a runner install uses it, against a loopback HTTPS stand-in: GitHub itself
 * cannot be reached from tests, so a local server answers the documented shapes (GitHub REST
 * "Self-hosted runners": POST …/actions/runners/registration-token → 201 {token, expires_at};
 * GET …/actions/runners → {total_count, runners}; "Apps": GET /orgs/{org}/installations →
 * {total_count, installations}), under /api/v3 as GitHub Enterprise Server serves them, with a
 * certificate from a test CA (a private CA, as GHES often has). Requests go through the main
 * process's one vendor sender (main/services/vendor-request.ts: direct or through a CONNECT proxy),
 * by hand and through the generic token check (Platform.tokenVerify, the tokens:verify job, the
 * verify-token CLI).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../main/cli/index';
import { dispatch, JobRegistry, type CallContext } from '../../../../../main/ipc/dispatch';
import { tokenVerifyHandlers } from '../../../../../main/ipc/handlers/token-verify';
import { NO_CIPHER, type Deps } from '../../../../../main/services/deps';
import { putToken } from '../../../../../main/services/secrets';
import { MemoryStore } from '../../../../../main/services/store';
import { verifyTokenWithVendor } from '../../../../../main/services/token-verify';
import { SecretVault } from '../../../../../main/services/vault';
import { sendVendorRequest } from '../../../../../main/services/vendor-request';
import { tokenVerifyChannels } from '../../../../../shared/token-verify-contract';
import { startProxy, type RunningProxy } from '../../../../support/http-proxy';
import {
  checkGitHubToken,
  githubActions,
  installationsRequest,
  readInstallations,
  readRunnerToken,
  runnerTokenRequest,
} from '../../../../../shared/platforms/github-actions';
import { makeTestCerts, type TestCerts } from '../../../../support/tls-certs';

const PAT = `github_pat_11STANDIN0${'p'.repeat(72)}`;
const READ = `ghp_${'R3ad'.repeat(9)}`;
const FRESH = 'ASTANDINREGISTRATIONTOKEN0001';
/** The stand-in's expires_at: one hour from now, in GitHub's offset format. */
const EXPIRES = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
let certs: TestCerts;
let server: https.Server;
let proxy: RunningProxy;
let base = '';
let port = 0;
const seen: string[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'gha-standin-'));

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

beforeAll(async () => {
  certs = await makeTestCerts();
  server = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    const auth = req.headers.authorization ?? '';
    seen.push(`${req.method} ${req.url} ${req.headers['x-github-api-version'] ?? ''}`);
    if (auth !== `Bearer ${PAT}` && auth !== `Bearer ${READ}`)
      return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const url = new URL(req.url ?? '/', 'https://x');
    if (req.method === 'POST' && /^\/api\/v3\/repos\/octo-org\/octo-repo\/actions\/runners\/(registration|remove)-token$/.test(url.pathname)) {
      if (auth !== `Bearer ${PAT}`) return json(res, 403, { message: 'Resource not accessible by personal access token' });
      return json(res, 201, { token: FRESH, expires_at: EXPIRES.toISOString().replace('Z', '+00:00') });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/repos/octo-org/octo-repo/actions/runners') {
      const all = [
        {
          id: 12,
          name: 'build-01',
          os: 'linux',
          status: 'online',
          busy: false,
          labels: [
            { id: 1, name: 'self-hosted', type: 'read-only' },
            { id: 5, name: 'gpu', type: 'custom' },
          ],
        },
        { id: 13, name: 'build-02', os: 'linux', status: 'offline', busy: false, labels: [] },
      ];
      const runners = all.filter((r) => !url.searchParams.get('name') || r.name === url.searchParams.get('name'));
      return json(res, 200, { total_count: runners.length, runners });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/orgs/octo-org/installations') {
      return json(res, 200, {
        total_count: 1,
        installations: [
          { id: 7654321, app_id: 123456, app_slug: 'arc-app', target_type: 'Organization', account: { login: 'octo-org', type: 'Organization' } },
        ],
      });
    }
    return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
  proxy = await startProxy();
  writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await proxy?.stop();
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('a PAT fetches a registration token (what config.sh --pat does)', () => {
  it('gets a token with its expiry, which the platform then accepts as a registration token', async () => {
    const req = runnerTokenRequest(`${base}/octo-org/octo-repo`, PAT, 'registration');
    if (!req.ok) throw new Error(req.error.message);
    const answer = await sendVendorRequest(req.value, { caPems: [certs.caPem] });
    if (!answer.ok) throw new Error(answer.error.message);
    const token = readRunnerToken(answer.value, 'Administration: write');
    expect(token).toEqual({ ok: true, value: { token: FRESH, expiresAt: EXPIRES.getTime() } });
    expect(checkGitHubToken(FRESH)).toMatchObject({ verdict: 'ok', kind: 'registration-token' });
    expect(seen.at(-1)).toMatch(/^POST \/api\/v3\/repos\/octo-org\/octo-repo\/actions\/runners\/registration-token 2022-11-28$/);
  });

  it('a wrong PAT is AUTH_FAILED, one without the permission names it', async () => {
    const bad = runnerTokenRequest(`${base}/octo-org/octo-repo`, `ghp_${'x'.repeat(36)}`, 'remove');
    const a1 = await sendVendorRequest((bad as { ok: true; value: never }).value, { caPems: [certs.caPem] });
    expect(a1.ok && readRunnerToken(a1.value, 'p')).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    const weak = runnerTokenRequest(`${base}/octo-org/octo-repo`, READ, 'registration');
    const a2 = await sendVendorRequest((weak as { ok: true; value: never }).value, { caPems: [certs.caPem] });
    expect(a2.ok && readRunnerToken(a2.value, 'Administration: write')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/Administration: write/) },
    });
  });

  it('without the private CA the request fails and says to add the company CA', async () => {
    const req = runnerTokenRequest(`${base}/octo-org/octo-repo`, PAT, 'registration');
    const a = await sendVendorRequest((req as { ok: true; value: never }).value);
    expect(a).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED', hint: expect.stringMatching(/company inspects TLS.*trust its CA/) } });
  });
});

describe("GitHub's runners list with a read-only token", () => {
  it('reads the runner online, another offline, an unknown one missing', async () => {
    const api = githubActions.vendorApi!;
    const ask = async (name: string) => {
      const [req] = api.requests(`${base}/octo-org/octo-repo`, '', name, READ);
      const a = await sendVendorRequest(req!, { caPems: [certs.caPem] });
      return api.read(name, [a.ok ? a.value : undefined]);
    };
    expect(await ask('build-01')).toEqual({ state: 'passed', detail: 'GitHub lists runner "build-01" (id 12), labels self-hosted, gpu online, idle.' });
    expect(await ask('build-02')).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/offline/) });
    expect(await ask('build-99')).toMatchObject({ state: 'waiting', detail: expect.stringMatching(/does not list/) });
  });
});

describe('the GitHub App is installed on the organization in the URL', () => {
  it('passes the right installation and names the wrong one', async () => {
    const req = installationsRequest(`${base}/octo-org`, READ);
    if (!req.ok) throw new Error(req.error.message);
    const a = await sendVendorRequest(req.value, { caPems: [certs.caPem] });
    if (!a.ok) throw new Error(a.error.message);
    expect(readInstallations(a.value, `${base}/octo-org`, '123456', '7654321')).toMatchObject({ state: 'passed' });
    expect(readInstallations(a.value, `${base}/octo-org`, '123456', '1111')).toMatchObject({
      state: 'failed',
      detail: expect.stringMatching(/installation 7654321, not 1111/),
    });
  });
});

/** Answers of a repository runner on a host, and of an ARC scale set with a GitHub App. */
const hostAnswers = () => ({ url: `${base}/octo-org/octo-repo`, runnerName: 'build-01' });
const arcApp = (installationId: string) => ({
  url: `${base}/octo-org`,
  scaleSetName: 'arc-set',
  arcAuth: 'app',
  appId: '123456',
  installationId,
  appKeyFile: './app.pem',
});

describe('the generic token check (Platform.tokenVerify) with GitHub', () => {
  it('a PAT for a host runner fetches a registration token: valid, with the token issued and its expiry', async () => {
    const r = await verifyTokenWithVendor(githubActions, hostAnswers(), PAT, { caPems: [certs.caPem], variant: 'linux' });
    expect(r).toMatchObject({
      ok: true,
      value: {
        state: 'valid',
        checked: `POST ${base}/api/v3/repos/octo-org/octo-repo/actions/runners/registration-token`,
        issued: { token: FRESH, kind: 'registration-token', expiresAt: EXPIRES.toISOString() },
      },
    });
    if (r.ok) expect(r.value.message).toMatch(/GitHub accepts the PAT.*Administration: write.*expires at \d\d:\d\d UTC/);
  });

  it('a PAT without the permission is refused, naming the permission; an ARC PAT is checked without a token kept', async () => {
    const weak = await verifyTokenWithVendor(githubActions, hostAnswers(), READ, { caPems: [certs.caPem], variant: 'linux' });
    expect(weak).toMatchObject({ ok: true, value: { state: 'invalid', message: expect.stringMatching(/403.*Administration: write/) } });
    expect(weak.ok && weak.value.issued).toBeFalsy();
    const arc = await verifyTokenWithVendor(githubActions, { url: `${base}/octo-org/octo-repo`, scaleSetName: 'arc-set' }, PAT, {
      caPems: [certs.caPem],
      variant: 'arc',
    });
    expect(arc).toMatchObject({ ok: true, value: { state: 'valid', message: expect.stringMatching(/ARC's listener needs/) } });
    expect(arc.ok && arc.value.issued).toBeFalsy();
  });

  it('ARC with a GitHub App: the installation on the organization in the URL is a finding, passed or failed', async () => {
    const right = await verifyTokenWithVendor(githubActions, arcApp('7654321'), READ, { caPems: [certs.caPem], variant: 'arc' });
    expect(right).toMatchObject({
      ok: true,
      value: { state: 'valid', checked: `GET ${base}/api/v3/orgs/octo-org/installations`, findings: [{ state: 'passed' }] },
    });
    const wrong = await verifyTokenWithVendor(githubActions, arcApp('1111'), READ, { caPems: [certs.caPem], variant: 'arc' });
    expect(wrong).toMatchObject({
      ok: true,
      value: { state: 'valid', findings: [{ state: 'failed', detail: expect.stringMatching(/installation 7654321, not 1111/) }] },
    });
    const refused = await verifyTokenWithVendor(githubActions, arcApp('7654321'), `ghp_${'x'.repeat(36)}`, { caPems: [certs.caPem], variant: 'arc' });
    expect(refused).toMatchObject({ ok: true, value: { state: 'invalid' } });
  });

  it('a registration token or a wrong kind is refused before anything is sent', async () => {
    const count = seen.length;
    expect(await verifyTokenWithVendor(githubActions, hostAnswers(), FRESH, { caPems: [certs.caPem] })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_WRONG_KIND', message: expect.stringMatching(/countdown/) },
    });
    expect(await verifyTokenWithVendor(githubActions, hostAnswers(), `ghs_${'a'.repeat(36)}`, { caPems: [certs.caPem] })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_WRONG_KIND' },
    });
    expect(await verifyTokenWithVendor(githubActions, { ...arcApp('1'), installationId: undefined }, READ, { variant: 'arc' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(seen.length).toBe(count);
  });

  it('goes through the proxy (CONNECT) when one is given', async () => {
    const before = proxy.log.length;
    const r = await verifyTokenWithVendor(githubActions, { url: `https://localhost:${port}/octo-org/octo-repo` }, PAT, {
      caPems: [certs.caPem],
      proxy: { mode: 'manual', url: proxy.url },
      variant: 'linux',
    });
    expect(r).toMatchObject({ ok: true, value: { state: 'valid', issued: { token: FRESH } } });
    expect(proxy.log.slice(before).join('\n')).toContain(`localhost:${port}`);
  });
});

describe('tokens:verify (IPC job) keeps the issued registration token in the vault', () => {
  it('answers its vault id, kind and expiry, never the token or the PAT; the vault holds it', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(NO_CIPHER, store);
    const deps: Deps = { mode: 'browser', version: 'test', store, cipher: NO_CIPHER, dataDir: '/nonexistent', vault };
    const jobs = new JobRegistry();
    const handlers = tokenVerifyHandlers(deps, jobs, {});
    const ctx: CallContext = { senderId: 'w1', jobs, emit: () => undefined };
    const pat = putToken(vault, 'github-actions', { kind: 'pat-fine-grained', kindName: 'GitHub fine-grained personal access token', token: PAT });
    const input = {
      jobId: 'v1',
      platform: 'github-actions',
      answers: hostAnswers(),
      secretId: pat.id,
      consent: true,
      variant: 'linux',
      proxy: { mode: 'none' },
      trustedCa: certs.caPem,
    };
    const r = await dispatch(tokenVerifyChannels, handlers, 'tokens:verify', input, ctx);
    expect(r).toMatchObject({
      ok: true,
      value: {
        state: 'valid',
        issued: {
          platform: 'github-actions',
          kind: 'registration-token',
          kindName: 'GitHub runner registration token',
          expiresAt: EXPIRES.getTime(),
          length: FRESH.length,
        },
      },
    });
    expect(JSON.stringify(r)).not.toContain(FRESH);
    expect(JSON.stringify(r)).not.toContain(PAT);
    const id = (r as { ok: true; value: { issued: { id: string } } }).value.issued.id;
    expect(vault.get(id)?.value).toBe(FRESH);
    expect(vault.get(pat.id)?.value).toBe(PAT);
  });
});

describe('agent-onboard verify-token github-actions', () => {
  async function cli(argv: string[], env: Record<string, string>) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, readStdin: async () => '', cwd: dir });
    return { code, stdout, stderr };
  }

  it('--save-issued writes the registration token to a new 0600 file and prints only where; a failed app finding exits 1', async () => {
    writeFileSync(path.join(dir, 'host.json'), JSON.stringify(hostAnswers()));
    writeFileSync(path.join(dir, 'arc.json'), JSON.stringify(arcApp('1111')));
    const host = await cli(
      [
        'verify-token',
        'github-actions',
        '--answers',
        'host.json',
        '--token-env',
        'GH_PAT',
        '--ca-file',
        'ca.pem',
        '--variant',
        'linux',
        '--save-issued',
        'reg-token',
      ],
      { GH_PAT: PAT },
    );
    expect(host).toMatchObject({ code: 0, stderr: '' });
    expect(host.stdout).toMatch(/^valid: GitHub accepts the PAT/);
    expect(host.stdout).toContain(`is in ${path.join(dir, 'reg-token')} (mode 0600)`);
    expect(readFileSync(path.join(dir, 'reg-token'), 'utf8')).toBe(`${FRESH}\n`);
    expect(statSync(path.join(dir, 'reg-token')).mode & 0o777).toBe(0o600);
    const again = await cli(
      ['verify-token', 'github-actions', '--answers', 'host.json', '--token-env', 'GH_PAT', '--ca-file', 'ca.pem', '--save-issued', 'reg-token', '--json'],
      { GH_PAT: PAT },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const arc = await cli(
      ['verify-token', 'github-actions', '--answers', 'arc.json', '--token-env', 'GH_PAT', '--ca-file', 'ca.pem', '--variant', 'arc', '--json'],
      { GH_PAT: READ },
    );
    expect(arc.code).toBe(1);
    expect(JSON.parse(arc.stdout)).toMatchObject({ platform: 'github-actions', state: 'valid', findings: [{ state: 'failed' }] });
    for (const r of [host, again, arc]) expect(r.stdout + r.stderr).not.toMatch(new RegExp(`${FRESH}|${PAT}|${READ}`));
  });
});
