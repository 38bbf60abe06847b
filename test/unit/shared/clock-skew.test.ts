import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_WARN_MS, clockSkewed, describeClock, formatSkew, measureClock, parseHttpDate } from '../../../shared/clock-skew';
import { clockWarnings, endpointResultSchema, VERDICTS, WARNINGS, type EndpointResult, type ProbeRun } from '../../../shared/probe';
import { formatReport } from '../../../shared/probe-report';

const T = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  it('reads the three forms RFC 9110 requires: IMF-fixdate, RFC 850 and asctime', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(T);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(T);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(T);
    expect(parseHttpDate('  sun, 06 nov 1994 08:49:37 gmt ')).toBe(T);
  });

  it('reads what Date.prototype.toUTCString writes (what Node servers send)', () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    expect(parseHttpDate(new Date(now).toUTCString())).toBe(now);
  });

  it.each([
    '',
    '1',
    'yesterday',
    '2024-05-01T10:00:00Z',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 06 Nov 1994 08:49:37',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 GMT\r\nX-Evil: 1',
  ])('refuses %j instead of guessing', (text) => {
    expect(parseHttpDate(text)).toBeUndefined();
  });
});

describe('measureClock', () => {
  it('puts the server time in the middle of its second and the local time in the middle of the round trip', () => {
    // Request sent at T + 0.2 s, answer 400 ms later: local middle T + 0.4 s; server said T (so T + 0.5 s).
    const c = measureClock({ date: 'Sun, 06 Nov 1994 08:49:37 GMT', sentAt: T + 200, rttMs: 400 });
    expect(c).toEqual({ skewMs: -100, uncertaintyMs: 700, serverDate: 'Sun, 06 Nov 1994 08:49:37 GMT', localAt: new Date(T + 600).toISOString() });
    expect(clockSkewed(c!)).toBe(false);
  });

  it('says this host is ahead (positive) when the server sent a time 10 minutes in the past', () => {
    const c = measureClock({ date: new Date(T - 600_000).toUTCString(), sentAt: T, rttMs: 20 })!;
    expect(c.skewMs).toBe(600_000 - 500 + 10);
    expect(clockSkewed(c)).toBe(true);
    expect(describeClock(c)).toBe("this host's clock is 10 min ahead of the server's (±0.5 s)");
  });

  it('says this host is behind (negative) when the server is ahead', () => {
    const c = measureClock({ date: new Date(T + 3 * 3600_000).toUTCString(), sentAt: T, rttMs: 0 })!;
    expect(c.skewMs).toBe(-3 * 3600_000 - 500);
    expect(describeClock(c, 'the clock of x:443')).toBe("this host's clock is 3 h behind the clock of x:443 (±0.5 s)");
  });

  it("adds a cache's Age to its Date, so a cached answer does not look like skew", () => {
    const c = measureClock({ date: new Date(T - 600_000).toUTCString(), age: '600', sentAt: T, rttMs: 0 })!;
    expect(Math.abs(c.skewMs)).toBeLessThanOrEqual(c.uncertaintyMs);
    expect(clockSkewed(c)).toBe(false);
    expect(measureClock({ date: new Date(T).toUTCString(), age: '-5', sentAt: T, rttMs: 0 })?.uncertaintyMs).toBe(500);
  });

  it('gives no reading without a Date header or with an unparsable one', () => {
    expect(measureClock({ sentAt: T, rttMs: 5 })).toBeUndefined();
    expect(measureClock({ date: undefined, sentAt: T, rttMs: 5 })).toBeUndefined();
    expect(measureClock({ date: 'not a date', sentAt: T, rttMs: 5 })).toBeUndefined();
    expect(measureClock({ date: new Date(T).toUTCString(), sentAt: T, rttMs: Number.NaN })).toBeUndefined();
  });
});

describe('clockSkewed threshold', () => {
  it('is 2 minutes', () => {
    expect(CLOCK_SKEW_WARN_MS).toBe(120_000);
  });

  it('warns only when the skew is beyond 2 minutes after taking the uncertainty off, both ways', () => {
    expect(clockSkewed({ skewMs: 120_500, uncertaintyMs: 500 })).toBe(false);
    expect(clockSkewed({ skewMs: 120_501, uncertaintyMs: 500 })).toBe(true);
    expect(clockSkewed({ skewMs: -120_501, uncertaintyMs: 500 })).toBe(true);
    // A slow round trip widens the margin: 125 s measured over a 12 s round trip is not proof of 2 min.
    expect(clockSkewed({ skewMs: 125_000, uncertaintyMs: 6_500 })).toBe(false);
    expect(clockSkewed({ skewMs: 90_000, uncertaintyMs: 500 }, 60_000)).toBe(true);
  });
});

describe('formatSkew', () => {
  it.each([
    [400, '0.4 s'],
    [-9_400, '9.4 s'],
    [45_000, '45 s'],
    [600_000, '10 min'],
    [603_000, '10 min 3 s'],
    [7_500_000, '2 h 5 min'],
    [864_000_000, '10 days'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSkew(ms)).toBe(text);
  });
});

function httpsResult(clock?: EndpointResult['clock']): EndpointResult {
  const warnings = clockWarnings(clock, 'harness.example.com:443');
  return endpointResultSchema.parse({
    endpoint: { id: 'mgr', host: 'harness.example.com', port: 443, protocol: 'https', purpose: 'manager' },
    answered: 'tls',
    verdict: 'HTTP_OK',
    level: 'pass',
    detail: 'd',
    startedAt: '2025-01-01T00:00:00.000Z',
    ms: 10,
    http: { status: 200, reason: 'OK' },
    ...(clock ? { clock } : {}),
    ...(warnings.length ? { warnings } : {}),
    checks: [],
  });
}

function runOf(results: EndpointResult[]): ProbeRun {
  return { startedAt: 's', finishedAt: 'f', ms: 1, timeoutMs: 5000, deadlineMs: 15000, passed: true, results, suggestions: [] };
}

describe('CLOCK_SKEW warning', () => {
  const skewed = { skewMs: 600_123, uncertaintyMs: 510, serverDate: 'Wed, 01 Jan 2025 00:00:00 GMT', localAt: '2025-01-01T00:10:00.623Z' };

  it('is attached to a passing endpoint without changing its verdict or level, and survives the IPC output schema', () => {
    const r = httpsResult(skewed);
    expect(r.verdict).toBe('HTTP_OK');
    expect(r.level).toBe('pass');
    expect(r.clock).toEqual(skewed);
    expect(r.warnings).toEqual([
      { code: 'CLOCK_SKEW', detail: expect.stringContaining("this host's clock is 10 min ahead of the clock of harness.example.com:443") },
    ]);
  });

  it('is not given within the threshold, nor without a reading', () => {
    expect(clockWarnings({ ...skewed, skewMs: -30_000 }, 'x:443')).toEqual([]);
    expect(clockWarnings(undefined, 'x:443')).toEqual([]);
  });

  it('has a fix that names the time services, how to check them, and whose clock was checked', () => {
    const fix = WARNINGS.CLOCK_SKEW.fix;
    for (const word of [
      'timedatectl',
      'chrony',
      'systemd-timesyncd',
      'w32time',
      'w32tm /query /status',
      'run the check again',
      'computer running Agent Onboard',
      'agent host',
    ])
      expect(fix).toContain(word);
    expect(Object.keys(VERDICTS)).not.toContain('CLOCK_SKEW');
  });

  it('is loud in the report head and in the endpoint block, and the run still passes', () => {
    const text = formatReport(runOf([httpsResult(skewed)]));
    expect(text).toMatch(/^Result: {4}PASSED/m);
    expect(text).toMatch(/^Clock: {5}WARNING — This host's clock is off: this host's clock is 10 min ahead/m);
    expect(text).toContain('    WARNING:  CLOCK_SKEW — ');
    expect(text).toContain(`    Fix:      ${WARNINGS.CLOCK_SKEW.fix}`);
    expect(text).toContain("    Clock:    this host's clock is 10 min ahead of the server's (±0.5 s); Date: Wed, 01 Jan 2025 00:00:00 GMT");
  });

  it('leaves a calm clock line, and no warning, for a clock in step; nothing at all without a reading', () => {
    const calm = formatReport(runOf([httpsResult({ ...skewed, skewMs: 120, uncertaintyMs: 505 })]));
    expect(calm).toMatch(/^Clock: {5}this host's clock agrees with the clock of harness.example.com:443 \(±0.5 s\)$/m);
    expect(calm).not.toContain('WARNING');
    const none = formatReport(runOf([httpsResult()]));
    expect(none).not.toMatch(/Clock:/);
  });
});
