/**
 * The generic token check with the vendor (Platform.tokenVerify, main/services/token-verify.ts)
 * with GitLab Runner's POST /api/v4/runners/verify, from the main process and from the
 * `verify-token` CLI.
 *
 * STAND-IN: tests cannot reach a GitLab, so a loopback HTTPS server answers POST
 * /api/v4/runners/verify as GitLab's documented endpoint does (doc/api/runners.md, "Verify
 * authentication for a registered runner"; spec/requests/api/ci/runner/runners_verify_post_spec.rb):
 * 200 {id, token, token_expires_at} for a known token, 403 {"message":"403 Forbidden"} for an
 * unknown one, 400 without a token. GitLab answers 403 for an expired token too; the app says
 * "expired" when GitLab's own token_expires_at is already past (the token expires between the
 * answer and its use, or this clock is ahead), so the stand-in's expired token is one whose
 * token_expires_at lies in the past.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTokenWithVendor } from '../../../../main/services/token-verify';
import { runCli } from '../../../../main/cli/index';
import { gitlabRunner } from '../../../../shared/platforms/gitlab-runner';
import { buildkite } from '../../../../shared/platforms/buildkite';
import { startProxy, type RunningProxy } from '../../../support/http-proxy';
import { makeTestCerts, type TestCerts } from '../../../support/tls-certs';

const VALID = 'glrt-t1_ValidToken0123456789ab';
const EXPIRED = 'glrt-t1_ExpiredToken012345678';
const UNKNOWN = 'glrt-t1_NoSuchRunner01234567';
const FUTURE = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
const PAST = new Date(Date.now() - 24 * 3600 * 1000).toISOString();

let certs: TestCerts;
let gitlab: https.Server;
let port: number;
let proxy: RunningProxy;
/** Each request as the stand-in saw it: method, URL, body. */
const seen: { method: string; url: string; body: string }[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'token-verify-'));

beforeAll(async () => {
  certs = await makeTestCerts();
  gitlab = https.createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.url !== '/api/v4/runners/verify' || req.method !== 'POST') return send(404, { message: '404 Not Found' });
      let token: unknown;
      try {
        token = (JSON.parse(body) as { token?: unknown }).token;
      } catch {
        return send(400, { error: 'token is missing' });
      }
      if (typeof token !== 'string' || !token) return send(400, { error: 'token is missing' });
      if (token === VALID) return send(200, { id: 42, token, token_expires_at: FUTURE });
      if (token === EXPIRED) return send(200, { id: 43, token, token_expires_at: PAST });
      return send(403, { message: '403 Forbidden' });
    });
  });
  gitlab.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => gitlab.listen(0, '127.0.0.1', r));
  port = (gitlab.address() as AddressInfo).port;
  proxy = await startProxy();
  writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
  writeFileSync(path.join(dir, 'answers.json'), JSON.stringify({ url: `https://localhost:${port}`, executor: 'docker' }));
  writeFileSync(path.join(dir, 'under-path.json'), JSON.stringify({ url: `https://localhost:${port}/gitlab/` }));
});
afterAll(async () => {
  await new Promise((r) => gitlab?.close(r));
  await proxy?.stop();
  certs?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const answers = () => ({ url: `https://localhost:${port}` });

describe('verifyTokenWithVendor with GitLab Runner (loopback stand-in of POST /api/v4/runners/verify)', () => {
  it('tells valid, invalid and expired tokens apart, sending the token only in the body', async () => {
    const o = { caPems: [certs.caPem] };
    const valid = await verifyTokenWithVendor(gitlabRunner, answers(), VALID, o);
    const invalid = await verifyTokenWithVendor(gitlabRunner, answers(), UNKNOWN, o);
    const expired = await verifyTokenWithVendor(gitlabRunner, answers(), EXPIRED, o);
    expect(valid).toMatchObject({ ok: true, value: { state: 'valid', expiresAt: FUTURE, checked: `POST https://localhost:${port}/api/v4/runners/verify` } });
    if (valid.ok) expect(valid.value.message).toMatch(/GitLab accepts this runner token \(runner id 42\); it expires on .* \(in (89|90) days\)\./);
    expect(invalid).toMatchObject({ ok: true, value: { state: 'invalid' } });
    if (invalid.ok) expect(invalid.value.message).toContain('GitLab refused this token (403)');
    expect(expired).toMatchObject({ ok: true, value: { state: 'expired', expiresAt: PAST } });
    const last = seen.slice(-3);
    expect(last.map((s) => `${s.method} ${s.url}`)).toEqual(Array(3).fill('POST /api/v4/runners/verify'));
    expect(last.map((s) => JSON.parse(s.body) as unknown)).toEqual([{ token: VALID }, { token: UNKNOWN }, { token: EXPIRED }]);
    for (const r of [valid, invalid, expired]) expect(JSON.stringify(r)).not.toMatch(/glrt-t1_/);
  });

  it('goes through the proxy of the answers (CONNECT) when one is given', async () => {
    const before = proxy.log.length;
    const r = await verifyTokenWithVendor(gitlabRunner, answers(), VALID, { caPems: [certs.caPem], proxy: { mode: 'manual', url: proxy.url } });
    expect(r).toMatchObject({ ok: true, value: { state: 'valid' } });
    expect(proxy.log.slice(before).join('\n')).toContain(`localhost:${port}`);
  });

  it('a server that does not trust-check is an error value that says to trust the company CA, not a verdict', async () => {
    const r = await verifyTokenWithVendor(gitlabRunner, answers(), VALID);
    expect(r).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED' } });
    if (!r.ok) expect(`${r.error.message} ${r.error.hint}`).toMatch(/does not trust.*trust its CA/s);
  });

  it('nothing listening, a wrong kind of token, bad answers and a platform without a check send nothing or say so', async () => {
    const count = seen.length;
    const closed = await verifyTokenWithVendor(gitlabRunner, { url: 'https://127.0.0.1:1' }, VALID, { timeoutMs: 3000 });
    expect(closed).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED' } });
    expect(await verifyTokenWithVendor(gitlabRunner, answers(), 'glpat-abcdefghijklmnopqrst')).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_WRONG_KIND' },
    });
    expect(await verifyTokenWithVendor(gitlabRunner, { url: 'not a url' }, VALID)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await verifyTokenWithVendor(buildkite, {}, VALID)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(seen.length).toBe(count);
  });

  it('a GitLab URL without the API (404) is "unknown" with what to check, not "invalid"', async () => {
    const r = await verifyTokenWithVendor(gitlabRunner, { url: `https://localhost:${port}/gitlab/` }, VALID, { caPems: [certs.caPem] });
    expect(r).toMatchObject({ ok: true, value: { state: 'unknown', checked: `POST https://localhost:${port}/gitlab/api/v4/runners/verify` } });
    if (r.ok) expect(r.value.message).toContain('check the GitLab URL');
  });
});

describe('agent-onboard verify-token gitlab-runner', () => {
  async function cli(argv: string[], env: Record<string, string>) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, readStdin: async () => '', cwd: dir });
    return { code, stdout, stderr };
  }

  it('exit 0 for a valid token, 1 for an invalid or expired one, with the token from the environment and never printed', async () => {
    const base = ['verify-token', 'gitlab-runner', '--answers', 'answers.json', '--token-env', 'RUNNER_TOKEN', '--ca-file', 'ca.pem'];
    const valid = await cli(base, { RUNNER_TOKEN: VALID });
    expect(valid).toMatchObject({ code: 0, stderr: '' });
    expect(valid.stdout).toMatch(/^valid: GitLab accepts this runner token/);
    const invalid = await cli([...base, '--json'], { RUNNER_TOKEN: UNKNOWN });
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ platform: 'gitlab-runner', state: 'invalid' });
    const expired = await cli(base, { RUNNER_TOKEN: EXPIRED });
    expect(expired.code).toBe(1);
    expect(expired.stdout).toMatch(/^expired: /);
    for (const r of [valid, invalid, expired]) expect(r.stdout + r.stderr).not.toContain('glrt-t1_');
  });

  it('refuses bad usage before sending anything: another kind of token, a platform without a check, no --token-env', async () => {
    const count = seen.length;
    const wrong = await cli(['verify-token', 'gitlab-runner', '--answers', 'answers.json', '--token-env', 'T'], { T: 'glpat-abcdefghijklmnopqrst' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/personal access token|glpat/i);
    expect((await cli(['verify-token', 'buildkite', '--answers', 'answers.json', '--token-env', 'T'], { T: 'x' })).stderr).toContain(
      'has no token check with its vendor',
    );
    expect((await cli(['verify-token', 'gitlab-runner', '--answers', 'answers.json'], {})).code).toBe(2);
    expect(seen.length).toBe(count);
  });

  it('an untrusted certificate without --ca-file exits 2 and says to trust the CA', async () => {
    const r = await cli(['verify-token', 'gitlab-runner', '--answers', 'answers.json', '--token-env', 'T'], { T: VALID });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ca-file');
  });
});
