import { describe, expect, it } from 'vitest';
import {
  baseDomain,
  fixFor,
  interceptionReason,
  levelOf,
  matchesNoProxy,
  parseProxyUrl,
  probeEndpointSchema,
  suggestPortSwitch,
  VERDICT_CODES,
  VERDICTS,
  type EndpointResult,
  type ProbeRun,
} from '../../../shared/probe';
import { formatReport } from '../../../shared/probe-report';

function result(partial: Partial<EndpointResult> & { port: number; verdict: EndpointResult['verdict'] }): EndpointResult {
  const { port, verdict, ...rest } = partial;
  return {
    endpoint: { id: `e${port}`, host: 'tunnel.example.com', port, protocol: 'ssh', purpose: 'server' },
    answered: VERDICTS[verdict].pass ? 'ssh' : 'nothing',
    verdict,
    level: VERDICTS[verdict].pass ? 'pass' : 'fail',
    detail: 'd',
    startedAt: '2025-01-01T00:00:00.000Z',
    ms: 10,
    checks: [],
    ...rest,
  };
}

describe('verdicts', () => {
  it('has a title and a fix for every verdict, and passes only for the four OK ones', () => {
    for (const code of VERDICT_CODES) {
      expect(VERDICTS[code].title.length).toBeGreaterThan(3);
      expect(VERDICTS[code].fix.length).toBeGreaterThan(10);
    }
    expect(VERDICT_CODES.filter((c) => VERDICTS[c].pass)).toEqual(['SSH_OK', 'TLS_OK', 'HTTP_OK', 'TCP_OK']);
  });

  it('fills the endpoint, user and forward port into the fix text', () => {
    const r = result({
      port: 22,
      verdict: 'FORWARD_REFUSED',
      ssh: { banner: 'SSH-2.0-x', auth: 'accepted', user: 'acme', forwards: [{ port: 5001, status: 'refused', detail: '' }] },
    });
    expect(fixFor(r)).toContain('remote port 5001');
    expect(fixFor(result({ port: 22, verdict: 'AUTH_REJECTED', ssh: { banner: '', auth: 'rejected', user: 'acme' } }))).toContain('user acme');
    expect(fixFor(result({ port: 2222, verdict: 'REFUSED' }))).toContain('tunnel.example.com:2222');
    expect(fixFor(result({ port: 22, verdict: 'REFUSED' }))).not.toMatch(/\{\w+\}/);
  });

  it('turns a failure of an optional endpoint into a warning', () => {
    expect(levelOf('REFUSED', true)).toBe('warn');
    expect(levelOf('REFUSED', false)).toBe('fail');
    expect(levelOf('SSH_OK', true)).toBe('pass');
  });
});

describe('suggestPortSwitch', () => {
  it('suggests the port where SSH answers when the configured one is blocked', () => {
    const s = suggestPortSwitch([
      result({ port: 22, verdict: 'TIMEOUT' }),
      result({ port: 443, verdict: 'SSH_OK', endpoint: { id: 'b', host: 'tunnel.example.com', port: 443, protocol: 'ssh', purpose: '', optional: true } }),
    ]);
    expect(s).toEqual([expect.objectContaining({ kind: 'switch-port', from: 22, to: 443 })]);
    expect(s[0]?.message).toContain('Switch the agent to port 443');
  });

  it('suggests nothing when the failure is not the network (auth), when the other port is not SSH, or on another host', () => {
    expect(suggestPortSwitch([result({ port: 22, verdict: 'AUTH_REJECTED' }), result({ port: 443, verdict: 'SSH_OK' })])).toEqual([]);
    expect(suggestPortSwitch([result({ port: 22, verdict: 'REFUSED' }), result({ port: 443, verdict: 'NOT_SSH', answered: 'tls' })])).toEqual([]);
    expect(
      suggestPortSwitch([
        result({ port: 22, verdict: 'REFUSED' }),
        { ...result({ port: 443, verdict: 'SSH_OK' }), endpoint: { id: 'x', host: 'other.example.com', port: 443, protocol: 'ssh', purpose: '' } },
      ]),
    ).toEqual([]);
    expect(suggestPortSwitch([result({ port: 22, verdict: 'REFUSED' }), result({ port: 443, verdict: 'HOST_KEY_MISMATCH', answered: 'ssh' })])).toEqual([]);
  });
});

describe('interceptionReason', () => {
  const base = { host: 'jira.acme.internal', issuer: 'CN=ACME Root CA, O=ACME', viaProxy: false, otherDomainsSameIssuer: [], tlsInsteadOfSsh: false };

  it('leaves a private CA on an internal host alone (that is TLS_UNTRUSTED)', () => {
    expect(interceptionReason(base)).toBeUndefined();
  });

  it.each([
    [{ issuer: 'CN=Zscaler Intermediate Root CA, O=Zscaler Inc.' }, 'TLS-inspection product'],
    [{ host: 'agent-edge.buildkite.com' }, 'public service'],
    [{ viaProxy: true }, 'through a proxy'],
    [{ otherDomainsSameIssuer: ['app.harness.io'] }, 'also signed'],
    [{ tlsInsteadOfSsh: true }, 'SSH port answered with a TLS certificate'],
  ])('names interception when %j', (change, words) => {
    expect(interceptionReason({ ...base, ...change })).toContain(words);
  });

  it('groups hosts by domain, addresses by themselves', () => {
    expect(baseDomain('a.b.Example.COM.')).toBe('example.com');
    expect(baseDomain('10.1.2.3')).toBe('10.1.2.3');
    expect(baseDomain('localhost')).toBe('localhost');
  });
});

describe('proxy settings', () => {
  it('adds http:// to a bare host:port, keeps credentials out of the display, and refuses https:// and other schemes', () => {
    expect(parseProxyUrl('proxy.corp:3128')).toMatchObject({ ok: true, host: 'proxy.corp', port: 3128, display: 'http://proxy.corp:3128' });
    expect(parseProxyUrl('http://me%40corp:p%3Ass@10.0.0.1:8080')).toMatchObject({
      ok: true,
      username: 'me@corp',
      password: 'p:ss',
      display: 'http://me%40corp:***@10.0.0.1:8080',
    });
    expect(parseProxyUrl('http://[fd00::1]:3128')).toMatchObject({ ok: true, host: 'fd00::1', display: 'http://[fd00::1]:3128' });
    expect(parseProxyUrl('https://proxy:3128')).toMatchObject({ ok: false, message: expect.stringContaining('use http://') });
    expect(parseProxyUrl('socks5://proxy:1080')).toMatchObject({ ok: false });
    expect(parseProxyUrl('http://proxy:3128"; rm -rf /')).toMatchObject({ ok: false });
    expect(parseProxyUrl('')).toMatchObject({ ok: false });
  });

  it.each([
    ['git.corp.example', 443, '.corp.example', true],
    ['corp.example', 443, '.corp.example', true],
    ['git.corp.example', 443, 'corp.example', true],
    ['notcorp.example', 443, 'corp.example', false],
    ['git.corp.example', 443, '*.corp.example', true],
    ['10.0.0.5', 443, '10.0.0.5', true],
    ['api.example.com', 8443, 'api.example.com:443', false],
    ['api.example.com', 443, 'api.example.com:443', true],
    ['anything', 1, '*', true],
    ['x.example.com', 443, ' foo.com , , bar.com ', false],
    ['x.example.com', 443, undefined, false],
  ])('NO_PROXY: %s:%d with %j → %s', (host, port, list, expected) => {
    expect(matchesNoProxy(host, port, list)).toBe(expected);
  });
});

describe('endpoint input', () => {
  it('refuses hosts that could become options and paths with spaces', () => {
    expect(probeEndpointSchema.safeParse({ id: 'a', host: '-oProxyCommand=x', port: 22, protocol: 'ssh' }).success).toBe(false);
    expect(probeEndpointSchema.safeParse({ id: 'a', host: 'h.example.com', port: 70000, protocol: 'ssh' }).success).toBe(false);
    expect(probeEndpointSchema.safeParse({ id: 'a', host: 'h.example.com', port: 443, protocol: 'https', path: '/a b' }).success).toBe(false);
    expect(probeEndpointSchema.parse({ id: 'a', host: ' h.example.com ', port: '443', protocol: 'https' })).toMatchObject({
      host: 'h.example.com',
      port: 443,
      purpose: '',
    });
  });
});

describe('formatReport', () => {
  const run: ProbeRun = {
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:00:05.000Z',
    ms: 5012,
    timeoutMs: 5000,
    deadlineMs: 15000,
    proxy: 'http://agent:***@proxy:3128 (given by hand)',
    passed: false,
    results: [
      result({
        port: 22,
        verdict: 'TIMEOUT',
        detail: 'the TCP connect to 203.0.113.5:22 got no answer within 5000 ms',
        dns: { addresses: ['203.0.113.5'], ms: 12 },
        checks: [
          { step: 'dns', status: 'pass', ms: 12, detail: 'ok' },
          { step: 'tcp', status: 'fail', detail: 'no answer' },
        ],
      }),
      {
        ...result({
          port: 443,
          verdict: 'SSH_OK',
          endpoint: { id: 'b', host: 'tunnel.example.com', port: 443, protocol: 'ssh', purpose: '443 fallback', optional: true },
        }),
        ssh: {
          banner: 'SSH-2.0-OpenSSH_9.6',
          hostKeyType: 'ssh-ed25519',
          fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
          auth: 'accepted',
          user: 'acme',
          pin: 'match',
        },
      },
    ],
    suggestions: [{ kind: 'switch-port', host: 'tunnel.example.com', from: 22, to: 443, message: 'Switch the agent to port 443.' }],
  };

  it('lists every endpoint with what was tested, the answer, the verdict, the fix, the time, and the firewall rules', () => {
    const text = formatReport(run, { platform: 'ArmorCode tunnel agent', from: 'agent-host-1' });
    expect(text).toContain('Platform:  ArmorCode tunnel agent');
    expect(text).toContain('Result:    FAILED — 1 passed, 0 warnings, 1 failed, of 2 endpoints');
    expect(text).toContain('[FAIL] tunnel.example.com:22 (ssh) — server');
    expect(text).toContain('Verdict:  TIMEOUT — No answer in time');
    expect(text).toContain('Tested:   dns → tcp');
    expect(text).toContain('Fix:      No answer within the time limit');
    expect(text).toContain('Time:     2025-01-01T00:00:00.000Z');
    expect(text).toContain('host key ssh-ed25519 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(text).toContain('Host key: matches the pinned key');
    expect(text).toContain('Suggestions:\n  - Switch the agent to port 443.');
    expect(text).toContain('  - TCP tunnel.example.com:22 (203.0.113.5) — server: NOT working');
    expect(text).toContain('Proxy:     http://agent:***@proxy:3128');
  });
});
