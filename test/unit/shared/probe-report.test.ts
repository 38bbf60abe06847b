import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { draftSchema } from '../../../shared/ipc';
import { VERDICTS, type EndpointResult, type ProbeRun } from '../../../shared/probe';
import { firewallCsv, formatReport, holdsNoSecret, KEPT_REPORT_MAX, keepReport, uncheckedBy } from '../../../shared/probe-report';

function result(port: number, verdict: EndpointResult['verdict'], detail = 'd', protocol: EndpointResult['endpoint']['protocol'] = 'ssh'): EndpointResult {
  return {
    endpoint: { id: `e${port}`, host: 'tunnel.example.com', port, protocol, purpose: 'server' },
    answered: VERDICTS[verdict].pass ? 'ssh' : 'nothing',
    verdict,
    level: VERDICTS[verdict].pass ? 'pass' : 'fail',
    detail,
    startedAt: '2026-01-02T03:00:00.000Z',
    ms: 10,
    checks: [],
    ...(VERDICTS[verdict].pass
      ? {
          ssh: {
            banner: 'SSH-2.0-OpenSSH_9.6',
            hostKeyType: 'ssh-ed25519',
            fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
            auth: 'not-tested' as const,
          },
        }
      : {}),
  };
}

function run(results: EndpointResult[], proxy = 'http://agent:***@proxy:3128 (given by hand)'): ProbeRun {
  return {
    startedAt: '2026-01-02T03:00:00.000Z',
    finishedAt: '2026-01-02T03:00:05.000Z',
    ms: 5000,
    timeoutMs: 5000,
    deadlineMs: 15000,
    proxy,
    passed: results.every((r) => r.level === 'pass'),
    results,
    suggestions: [],
  };
}

const draft = (connectivity: unknown): unknown => ({ platform: 'armorcode', variant: null, step: 'export', answers: {}, connectivity });
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----';

describe('the connectivity report the draft keeps', () => {
  it("is formatReport's text with the endpoints, verdicts, fingerprints and times, and when the run finished", () => {
    const r = run([result(22, 'SSH_OK'), result(443, 'TIMEOUT')]);
    const kept = keepReport(r, { platform: 'ArmorCode tunnel agent' });
    expect(kept.text).toBe(formatReport(r, { platform: 'ArmorCode tunnel agent' }));
    expect(kept.text).toContain('host key ssh-ed25519 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(kept).toMatchObject({ at: '2026-01-02T03:00:05.000Z', passed: false, endpoints: ['tunnel.example.com:22/ssh', 'tunnel.example.com:443/ssh'] });
    const parsed = draftSchema.parse(draft(kept));
    expect(parsed.connectivity).toEqual(kept);
  });

  it('masks a URL password and drops a private key that reached any line, so the persisted draft holds no secret', () => {
    const kept = keepReport(
      run([result(22, 'TIMEOUT', `via http://bob:hunter2@proxy:3128 then ${KEY} end`)], 'http://bob:s3cr%40t@proxy:3128 (from HTTPS_PROXY)'),
    );
    expect(kept.text).not.toMatch(/hunter2|s3cr|PRIVATE KEY|b3BlbnNzaC1rZXktdjEAAAAABG5vbmU/);
    expect(kept.text).toContain('http://bob:***@proxy:3128');
    expect(kept.text).toContain('[private key removed] end');
    expect(holdsNoSecret(kept.text)).toBe(true);
    expect(draftSchema.safeParse(draft(kept)).success).toBe(true);
  });

  it('is refused by the draft schema when it holds a private key, a URL password, or is too long', () => {
    const good = keepReport(run([result(22, 'SSH_OK')]));
    expect(draftSchema.safeParse(draft({ ...good, text: `${good.text}${KEY}` })).success).toBe(false);
    expect(draftSchema.safeParse(draft({ ...good, text: `${good.text}Proxy: http://u:pw@proxy:3128` })).success).toBe(false);
    expect(draftSchema.safeParse(draft({ ...good, text: 'x'.repeat(KEPT_REPORT_MAX + 1) })).success).toBe(false);
    expect(draftSchema.safeParse(draft({ ...good, endpoints: Array.from({ length: 65 }, (_, i) => `h:${i}/ssh`) })).success).toBe(false);
    expect(draftSchema.safeParse(draft({ ...good, text: '' })).success).toBe(false);
  });

  it('cuts an over-long report at the limit and says so, so a large run still fits the draft', () => {
    const long = run(Array.from({ length: 64 }, (_, i) => result(1000 + i, 'TIMEOUT', 'x'.repeat(4000))));
    const kept = keepReport(long);
    expect(formatReport(long).length).toBeGreaterThan(KEPT_REPORT_MAX);
    expect(kept.text.length).toBeLessThanOrEqual(KEPT_REPORT_MAX);
    expect(kept.text).toContain('report cut here');
    expect(kept.endpoints).toHaveLength(64);
    expect(draftSchema.safeParse(draft(kept)).success).toBe(true);
  });

  it('names the endpoints a kept report did not check, e.g. after the answers changed', () => {
    const kept = keepReport(run([result(22, 'SSH_OK')]));
    expect(uncheckedBy(kept, [{ host: 'tunnel.example.com', port: 22, protocol: 'ssh' }])).toEqual([]);
    expect(uncheckedBy(kept, [{ host: 'tunnel.example.com', port: 443, protocol: 'ssh' }])).toEqual(['tunnel.example.com:443/ssh']);
  });
});

describe('the firewall rules as CSV', () => {
  it('has one row per endpoint that a spreadsheet reads back exactly, and no cell a spreadsheet would run', () => {
    const open = { ...result(22, 'SSH_OK'), dns: { addresses: ['203.0.113.7', '2001:db8::7'], ms: 3 } };
    const hostile = {
      ...result(443, 'REFUSED', 'd', 'https'),
      endpoint: {
        id: 'x',
        host: 'tunnel.example.com',
        port: 443,
        protocol: 'https' as const,
        purpose: '=HYPERLINK("http://evil","click"), then "quotes"',
        optional: true,
      },
    };
    const csv = firewallCsv(run([open, hostile]));
    expect(csv.split('\r\n')[0]).toBe('Direction,Transport,Destination,Resolved addresses,Port,Checked as,Purpose,Needed,Result,Verdict,Via proxy,Checked at');
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      Destination: 'tunnel.example.com',
      'Resolved addresses': '203.0.113.7 2001:db8::7',
      Port: '22',
      Needed: 'required',
      Result: 'open',
      Verdict: `SSH_OK: ${VERDICTS.SSH_OK.title}`,
    });
    expect(rows[1]).toMatchObject({ Port: '443', Needed: 'optional', Result: 'NOT working', Purpose: `'=HYPERLINK("http://evil","click"), then "quotes"` });
  });
});
