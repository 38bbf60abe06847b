/**
 * The table and the kept report follow what changed after a check (issue 12 item 10): a key
 * pinned since reads as pinned, and an endpoint whose role changed ("Use port 443") gets its
 * current labels and level; a result of another port is never shown under the new one.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointResult } from '../../../shared/probe';
import { formatReport, relabel, resultIsFor, withCurrentPins } from '../../../shared/probe-report';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const line = `[tunnel.example.com]:443 ssh-ed25519 ${KEY}`;
const result = (over: Partial<EndpointResult> = {}): EndpointResult => ({
  endpoint: { id: 'ssh-443', host: 'tunnel.example.com', port: 443, protocol: 'ssh', purpose: 'ArmorCode SSH server (443 fallback)', optional: true },
  answered: 'ssh',
  verdict: 'SSH_OK',
  level: 'pass',
  detail: 'SSH-2.0-OpenSSH_9.2',
  startedAt: '2026-12-07T04:00:00.000Z',
  ms: 40,
  ssh: { banner: 'SSH-2.0-OpenSSH_9.2', hostKeyType: 'ssh-ed25519', fingerprint: 'SHA256:x', knownHostsLine: line, pin: 'unpinned', auth: 'not-tested' },
  checks: [{ step: 'hostkey', status: 'warn', detail: 'ssh-ed25519 SHA256:x — not pinned yet: confirm it with the server owner' }],
  ...over,
});
const run = (r: EndpointResult) => ({
  startedAt: r.startedAt,
  finishedAt: r.startedAt,
  ms: 40,
  timeoutMs: 5000,
  deadlineMs: 15000,
  passed: true,
  results: [r],
  suggestions: [],
});

describe('withCurrentPins', () => {
  it('reads a key pinned after the check as pinned, in the result and the report', () => {
    const now = withCurrentPins(result(), `${line}\n`);
    expect(now.ssh?.pin).toBe('match');
    expect(now.checks[0]).toMatchObject({ status: 'pass', detail: 'ssh-ed25519 SHA256:x — pinned after this check (the key it showed)' });
    const text = formatReport(run(now));
    expect(text).toContain('Host key: matches the pinned key');
    expect(text).not.toContain('not pinned yet');
  });

  it('changes nothing when another key is pinned, or the check found a mismatch', () => {
    const other = `[tunnel.example.com]:443 ssh-ed25519 ${KEY.replace('AAAAI', 'AAAAJ')}`;
    expect(withCurrentPins(result(), other)).toEqual(result());
    const mismatch = result({ ssh: { ...result().ssh!, pin: 'mismatch' } });
    expect(withCurrentPins(mismatch, line)).toBe(mismatch);
  });
});

describe('relabel and resultIsFor', () => {
  it('gives a result the current role of its endpoint: 443 became required, 22 optional', () => {
    const refused = result({
      endpoint: { ...result().endpoint, id: 'ssh-22', port: 22, optional: undefined, purpose: 'ArmorCode SSH server' },
      verdict: 'REFUSED',
      level: 'fail',
    });
    expect(relabel(refused, { purpose: 'ArmorCode SSH server', optional: true })).toMatchObject({ level: 'warn', endpoint: { optional: true } });
    const ok = relabel(result(), { purpose: 'ArmorCode SSH server (443 fallback)', optional: false });
    expect(ok.endpoint.optional).toBeUndefined();
    expect(relabel(result({ verdict: 'TIMEOUT', level: 'warn' }), { optional: false }).level).toBe('fail');
  });

  it('tells a result of the same endpoint from one of an earlier host or port', () => {
    expect(resultIsFor(result(), { host: 'tunnel.example.com', port: 443, protocol: 'ssh' })).toBe(true);
    expect(resultIsFor(result(), { host: 'tunnel.example.com', port: 22, protocol: 'ssh' })).toBe(false);
  });
});
