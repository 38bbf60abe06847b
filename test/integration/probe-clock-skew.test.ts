/**
 * The clock-skew check against real servers on 127.0.0.1: Node HTTP and HTTPS servers (with an
 * openssl-made certificate) whose Date header is 10 minutes in the past, this host's own time,
 * or missing; through runProbes, the report text, and `agent-onboard probe --json` as a real
 * child process. The servers lie about the time instead of this host's clock being changed: the
 * probe only ever sees the difference.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEndpoint } from '../../shared/probe';
import { formatReport } from '../../shared/probe-report';
import { runProbes } from '../../main/services/probe';
import { startHttp, startHttps, type Running } from '../support/net-servers';
import { makeTestCerts, type TestCerts } from '../support/tls-certs';
import { runCliProcess } from '../support/cli';

const TEN_MINUTES = 10 * 60 * 1000;
const past = (): string => new Date(Date.now() - TEN_MINUTES).toUTCString();

/**
 * How a 10-minute skew reads: the Date header has whole seconds, so the estimate (±0.5 s) lands
 * anywhere from "9 min 59 s" to "10 min 1 s" depending on where in its second the server answered.
 */
const TEN_MIN_TEXT = '(?:9 min 59 s|10 min(?: \\d+ s)?)';

let dir: string;
let certs: TestCerts;
let httpPast: Running;
let httpNow: Running;
let httpNoDate: Running;
let httpBadDate: Running;
let httpsPast: Running;
let httpsNow: Running;
let httpsNoDate: Running;

const http = (port: number): ProbeEndpoint => ({ id: `http-${port}`, host: '127.0.0.1', port, protocol: 'http', purpose: 'test server' });
const https = (port: number): ProbeEndpoint => ({ id: `https-${port}`, host: 'localhost', port, protocol: 'https', purpose: 'test server' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ao-probe-clock-'));
  certs = await makeTestCerts();
  writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
  [httpPast, httpNow, httpNoDate, httpBadDate, httpsPast, httpsNow, httpsNoDate] = await Promise.all([
    startHttp(200, { date: past }),
    startHttp(200),
    startHttp(200, { date: null }),
    startHttp(200, { date: () => 'ten minutes ago' }),
    startHttps(certs.trusted, 200, '127.0.0.1', { date: past }),
    startHttps(certs.trusted),
    startHttps(certs.trusted, 200, '127.0.0.1', { date: null }),
  ]);
});

afterAll(async () => {
  await Promise.all([httpPast, httpNow, httpNoDate, httpBadDate, httpsPast, httpsNow, httpsNoDate].map((s) => s?.stop()));
  certs?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('clock skew from the Date header', () => {
  it('warns when an HTTP and an HTTPS server say it is 10 minutes earlier, without failing the endpoint or the run', async () => {
    const run = await runProbes([http(httpPast.port), https(httpsPast.port)], { timeoutMs: 5000, extraCa: [certs.caPem] });
    expect(run.passed).toBe(true);
    for (const r of run.results) {
      expect(r.verdict, r.detail).toBe('HTTP_OK');
      expect(r.level).toBe('pass');
      // This host is ahead by 10 minutes, give or take the Date header's second and the round trip.
      expect(Math.abs((r.clock?.skewMs ?? 0) - TEN_MINUTES)).toBeLessThanOrEqual((r.clock?.uncertaintyMs ?? 0) + 1000);
      expect(r.warnings).toEqual([
        { code: 'CLOCK_SKEW', detail: expect.stringMatching(new RegExp(`^this host's clock is ${TEN_MIN_TEXT} ahead of the clock of `)) },
      ]);
    }
  });

  it('puts the warning and its fix in the report text', async () => {
    const run = await runProbes([https(httpsPast.port)], { timeoutMs: 5000, extraCa: [certs.caPem] });
    const text = formatReport(run);
    expect(text).toMatch(/^Result: {4}PASSED/m);
    expect(text).toMatch(new RegExp(`^Clock: {5}WARNING — This host's clock is off: this host's clock is ${TEN_MIN_TEXT} `, 'm'));
    expect(text).toContain('WARNING:  CLOCK_SKEW');
    expect(text).toContain('timedatectl');
    expect(text).toContain('w32tm /query /status');
  });

  it("reads the clock but does not warn when the server tells this host's own time", async () => {
    const run = await runProbes([http(httpNow.port), https(httpsNow.port)], { timeoutMs: 5000, extraCa: [certs.caPem] });
    for (const r of run.results) {
      expect(r.verdict, r.detail).toBe('HTTP_OK');
      expect(r.clock).toBeDefined();
      expect(Math.abs(r.clock?.skewMs ?? Infinity)).toBeLessThanOrEqual((r.clock?.uncertaintyMs ?? 0) + 1000);
      expect(r.warnings).toBeUndefined();
    }
    expect(formatReport(run)).not.toContain('WARNING');
  });

  it('has no clock reading and no warning when the Date header is missing or unparsable', async () => {
    const run = await runProbes([http(httpNoDate.port), http(httpBadDate.port), https(httpsNoDate.port)], { timeoutMs: 5000, extraCa: [certs.caPem] });
    for (const r of run.results) {
      expect(r.verdict, r.detail).toBe('HTTP_OK');
      expect(r.clock).toBeUndefined();
      expect(r.warnings).toBeUndefined();
    }
    expect(formatReport(run)).not.toMatch(/Clock:|WARNING/);
  });

  it('also reads the clock when the server answers with a server error (the verdict stays HTTP_ERROR)', async () => {
    const failing = await startHttp(503, { date: past });
    try {
      const run = await runProbes([http(failing.port)], { timeoutMs: 5000 });
      expect(run.results[0]?.verdict).toBe('HTTP_ERROR');
      expect(run.results[0]?.warnings?.[0]?.code).toBe('CLOCK_SKEW');
    } finally {
      await failing.stop();
    }
  });
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliProcess(['probe', ...args], { env, cleanEnv: true });
}

interface JsonRun {
  passed: boolean;
  results: {
    port: number;
    verdict: string;
    clockSkewMs?: number;
    clock?: { skewMs: number; serverDate: string };
    warnings?: { code: string; title: string; detail: string; fix: string }[];
  }[];
  warnings: { endpoint: string; code: string; fix: string }[];
}

describe('agent-onboard probe and the clock', () => {
  it('--json carries the skew and the CLOCK_SKEW warning with its fix; the exit code stays 0', async () => {
    const r = await cli(['--host', 'localhost', '--port', String(httpsPast.port), '--timeout-ms', '2000', '--json'], {
      NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonRun;
    const res = doc.results[0];
    expect(res?.verdict).toBe('HTTP_OK');
    expect(res?.clockSkewMs).toBeGreaterThan(TEN_MINUTES - 5000);
    expect(res?.clockSkewMs).toBeLessThan(TEN_MINUTES + 5000);
    expect(res?.warnings).toEqual([
      {
        code: 'CLOCK_SKEW',
        title: "This host's clock is off",
        detail: expect.stringMatching(new RegExp(TEN_MIN_TEXT)),
        fix: expect.stringContaining('timedatectl'),
      },
    ]);
    expect(doc.warnings).toEqual([expect.objectContaining({ endpoint: `localhost:${httpsPast.port}`, code: 'CLOCK_SKEW' })]);
  });

  it('prints the warning loudly in the text output, and nothing of the kind for a server with the right time or no Date', async () => {
    const skewed = await cli(['--host', '127.0.0.1', '--port', String(httpPast.port), '--timeout-ms', '2000']);
    expect(skewed.code).toBe(0);
    expect(skewed.stdout).toMatch(
      new RegExp(`^WARN {2}127\\.0\\.0\\.1:\\d+ +CLOCK_SKEW +THIS HOST'S CLOCK IS OFF: this host's clock is ${TEN_MIN_TEXT} `, 'm'),
    );
    expect(skewed.stdout).toMatch(new RegExp(`^WARNING: this host's clock is ${TEN_MIN_TEXT} ahead of the server's`, 'm'));
    const fine = await cli(['--host', '127.0.0.1', '--port', String(httpNow.port), '--port', String(httpNoDate.port), '--timeout-ms', '2000', '--json']);
    expect(fine.code).toBe(0);
    const doc = JSON.parse(fine.stdout) as JsonRun;
    expect(doc.warnings).toEqual([]);
    expect(doc.results.find((x) => x.port === httpNow.port)?.clockSkewMs).toEqual(expect.any(Number));
    expect(doc.results.find((x) => x.port === httpNoDate.port)?.clockSkewMs).toBeUndefined();
  });
});
