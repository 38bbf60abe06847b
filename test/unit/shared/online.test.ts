/**
 * The online reader over log streams built from the agents' exact lines (reference/next-platforms.md
 * Part A, quoting each agent's source): each hop proven by its signal, failures placed at the hop
 * where they happened by the Diagnostics engine, only the latest attempt counting.
 */
import { describe, expect, it } from 'vitest';
import { logHops, logSaysOnline, pastedLogSaysOnline, readHealth, readOnlineLog, readVendorAgents } from '../../../shared/online';
import { getPlatform, PLATFORMS } from '../../../shared/platforms';
import type { VendorApi } from '../../../shared/platforms/types';
import { buildkiteOnline } from '../../../shared/platforms/buildkite/online';

const states = (r: ReturnType<typeof readOnlineLog>): string[] => r.hops.map((h) => `${h.hop}:${h.state}`);

const AC_START = [
  "2026-12-07 03:10:00,001 INFO spawned: 'tunnel-jira' with pid 4242",
  '2026/12/07 03:10:00 autossh[4242]: port set to 0, monitoring disabled',
  '2026/12/07 03:10:00 autossh[4242]: starting ssh (count 1)',
  '2026/12/07 03:10:00 autossh[4242]: ssh child pid is 4243',
];
const AC_AUTH = 'Authenticated to tunnel.example.com ([203.0.113.7]:22) using "publickey".';
const AC_RUNNING = '2026-12-07 03:10:05,010 INFO success: tunnel-jira entered RUNNING state, process has stayed up for > than 5 seconds (startsecs)';

describe('online signals', () => {
  it('every host platform names its signals with a source, and log signals for the hops it can prove', () => {
    for (const p of PLATFORMS) {
      for (const s of p.online) expect(s.source.length, `${p.id} ${s.id}`).toBeGreaterThan(5);
      if (p.id !== 'bamboo-elastic')
        expect(
          p.online.some((s) => s.kind === 'log'),
          p.id,
        ).toBe(true);
    }
  });
});

describe('ArmorCode (autossh under supervisord, ssh at LogLevel=VERBOSE)', () => {
  it('holds at "connected" once authenticated, until the watcher has seen it hold', () => {
    const r = readOnlineLog('armorcode', [...AC_START, AC_AUTH, AC_RUNNING].join('\n'));
    expect(states(r)).toEqual(['started:passed', 'stayed-up:passed', 'registered:passed', 'connected:holding']);
    expect(r.attempt).toBe(1);
    // A watcher waits for the hold; a pasted log is read once, so its end is as far as it can show.
    expect(logSaysOnline(r)).toBe(false);
    expect(pastedLogSaysOnline(r)).toBe(true);
    expect(pastedLogSaysOnline(readOnlineLog('armorcode', AC_START.join('\n')))).toBe(false);
    expect(pastedLogSaysOnline(readOnlineLog('armorcode', ''))).toBe(false);
  });

  it('names a refused forward at the connected hop, even after autossh restarted ssh', () => {
    const text = [
      ...AC_START,
      AC_RUNNING,
      AC_AUTH,
      'Error: remote port forwarding failed for listen port 5000',
      '2026/12/07 03:10:01 autossh[4242]: ssh exited with error status 255; restarting ssh',
      '2026/12/07 03:10:01 autossh[4242]: starting ssh (count 2)',
    ].join('\n');
    const r = readOnlineLog('armorcode', text);
    const connected = r.hops.find((h) => h.hop === 'connected')!;
    expect(connected.state).toBe('failed');
    expect(connected.failure?.title).toMatch(/remote port/i);
    expect(connected.detail).toMatch(/last attempt failed/);
    expect(r.attempt).toBe(2);
  });

  it('names a changed host key at the registered hop', () => {
    const r = readOnlineLog(
      'armorcode',
      [...AC_START, '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @', 'Host key verification failed.', AC_RUNNING].join('\n'),
    );
    expect(states(r)).toEqual(['started:passed', 'stayed-up:passed', 'registered:failed', 'connected:not-checked']);
    expect(r.hops[2]!.failure?.title).toMatch(/host key/i);
  });

  it('names a refused key', () => {
    const r = readOnlineLog('armorcode', [...AC_START, AC_RUNNING, 'user@tunnel.example.com: Permission denied (publickey).'].join('\n'));
    expect(r.hops.find((h) => h.state === 'failed')?.hop).toBe('registered');
  });
});

// One real line per known ArmorCode failure (OpenSSH, autossh and supervisord messages, as the
// Diagnostics tests quote them), with the hop where it happens.
const AC_FAILURES: [id: string, line: string, hop: string][] = [
  ['armorcode-unreachable-22', 'ssh: connect to host tunnel.example.com port 22: Connection timed out', 'registered'],
  ['armorcode-exit-status-1', '2026-12-07 03:10:01,002 INFO exited: tunnel-jira (exit status 1; not expected)', 'stayed-up'],
  ['armorcode-remote-port-in-use', 'Error: remote port forwarding failed for listen port 5000', 'connected'],
  ['armorcode-host-key', 'Host key verification failed.', 'registered'],
  ['armorcode-publickey-denied', 'user@tunnel.example.com: Permission denied (publickey).', 'registered'],
  ['armorcode-key-permissions', "Permissions 0644 for '/etc/armorcode/private-key.pem' are too open.", 'registered'],
];

describe('ArmorCode failures are placed at the hop where they happen', () => {
  it('names a hop for every known failure, and only hops its log can prove', () => {
    const ac = getPlatform('armorcode')!;
    expect(AC_FAILURES.map(([id]) => id).sort()).toEqual(ac.failures.map((f) => f.id).sort());
    for (const p of PLATFORMS) for (const f of p.failures) if (f.hop) expect(logHops(p.id), `${p.id} ${f.id}`).toContain(f.hop);
  });

  for (const [id, line, hop] of AC_FAILURES) {
    const expectAt = (text: string[]): void => {
      const r = readOnlineLog('armorcode', text.join('\n'));
      const failed = r.hops.filter((h) => h.state === 'failed');
      expect(
        failed.map((h) => h.hop),
        text.join(' | '),
      ).toEqual([hop]);
      expect(failed[0]!.failure?.id).toBe(id);
    };
    it(`${id} at "${hop}", before supervisord saw the process stay up, after it, and in autossh's restart loop`, () => {
      // ssh fails within a second, long before supervisord's startsecs: no RUNNING line yet.
      expectAt([...AC_START, line]);
      expectAt([...AC_START, line, AC_RUNNING]);
      expectAt([...AC_START, AC_RUNNING, line]);
      expectAt([
        ...AC_START,
        line,
        '2026/12/07 03:10:01 autossh[4242]: ssh exited with error status 255; restarting ssh',
        '2026/12/07 03:10:01 autossh[4242]: starting ssh (count 2)',
      ]);
    });
  }

  it('a refused key no longer shows as "Process stayed up" failing (the case seen on the loopback host)', () => {
    const r = readOnlineLog('armorcode', [...AC_START, 'acme@127.0.0.1: Permission denied (publickey).'].join('\n'));
    expect(r.hops.find((h) => h.hop === 'stayed-up')?.state).not.toBe('failed');
    expect(r.hops.find((h) => h.hop === 'registered')?.state).toBe('failed');
  });
});

// Lines from buildkite/agent (clicommand/agent_start.go, core/client.go, agent/agent_worker_streaming.go).
const BK = [
  '2026-12-07 03:10:00 NOTICE Starting buildkite-agent v3.87.1 with PID: 812',
  '2026-12-07 03:10:00 INFO   Registering agent with Buildkite...',
  '2026-12-07 03:10:01 INFO   Successfully registered agent "ci-host-1" with tags [queue=default]',
  '2026-12-07 03:10:01 INFO   Connecting to Buildkite...',
  '2026-12-07 03:10:01 INFO   ci-host-1 Ping stream connection established',
];

describe('Buildkite', () => {
  it('is online with the registered and connected lines, and resolves the agent name', () => {
    const r = readOnlineLog('buildkite', BK.join('\n'));
    expect(states(r)).toEqual(['started:passed', 'registered:passed', 'connected:passed']);
    expect(r.name).toBe('ci-host-1');
    expect(logSaysOnline(r)).toBe(true);
  });

  it('a 401 at register fails the registered hop with the rotate fix', () => {
    const r = readOnlineLog(
      'buildkite',
      [BK[0], BK[1], '2026-12-07 03:10:01 ERROR  POST https://agent-edge.buildkite.com/v3/register: 401 Unauthorized'].join('\n'),
    );
    const failed = r.hops.find((h) => h.state === 'failed')!;
    expect(failed.hop).toBe('registered');
    expect(failed.failure?.title).toMatch(/token|401/i);
  });

  it('reads the health endpoint as the agent answers it', () => {
    const signal = buildkiteOnline.find((s): s is Extract<(typeof buildkiteOnline)[number], { kind: 'health' }> => s.kind === 'health')!;
    expect(readHealth(signal, 200, 'OK: last heartbeat successful 4s ago').state).toBe('passed');
    expect(readHealth(signal, 200, 'OK: no heartbeat yet').state).toBe('waiting');
    expect(readHealth(signal, 500, 'ERROR: last heartbeat failed: dial tcp: i/o timeout. last successful was 2m ago').state).toBe('failed');
  });
});

describe('Harness', () => {
  // Lines from harness-core 260-delegate DelegateAgentServiceImpl.java.
  const H = [
    '2026-12-07 03:10:00,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Registering delegate with delegate name: docker-delegate-1',
    '2026-12-07 03:10:01,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Delegate registered with id AbC123xyz',
    '2026-12-07 03:10:02,000 [main] INFO  io.harness.delegate.service.DelegateAgentServiceImpl - Event:OPEN, message:[Delegate connected]',
  ];
  it('is online with registered + socket open, named from the registering line', () => {
    const r = readOnlineLog('harness', H.join('\n'));
    expect(logSaysOnline(r)).toBe(true);
    expect(r.name).toBe('docker-delegate-1');
  });
  it('an invalid token fails the registered hop', () => {
    const r = readOnlineLog('harness', [H[0], 'Delegate used invalid token. Self destruct procedure will be initiated.'].join('\n'));
    expect(r.hops.find((h) => h.state === 'failed')?.hop).toBe('registered');
  });
});

describe('Bamboo', () => {
  it('is online with "ready to receive builds"; a missing security token fails', () => {
    const ok = readOnlineLog(
      'bamboo-remote',
      "INFO   | jvm 1    | 2026/12/07 03:10:00 | 2026-12-07 03:10:00,123 INFO [AgentRunnerThread] [RemoteAgent] * Bamboo agent 'build-host (2)' ready to receive builds.",
    );
    expect(logSaysOnline(ok)).toBe(true);
    expect(ok.name).toBe('build-host (2)');
    const bad = readOnlineLog('bamboo-remote', 'Security token is required for preliminary authentication, but none was provided');
    expect(bad.hops[0]!.state).toBe('failed');
  });
});

/** A platform's vendor agent list (its `vendorApi`). */
function vendorApi(id: string): VendorApi {
  const api = getPlatform(id)?.vendorApi;
  if (!api) throw new Error(`${id} has no vendor API`);
  return api;
}

describe('vendor agent lists (documented response shapes)', () => {
  it('Buildkite: connected, absent, 401, 403', () => {
    const bk = vendorApi('buildkite');
    expect(readVendorAgents(bk, 'a1', [{ status: 200, body: [{ name: 'a1', connection_state: 'connected', hostname: 'h' }] }]).state).toBe('passed');
    expect(readVendorAgents(bk, 'a1', [{ status: 200, body: [] }]).state).toBe('waiting');
    expect(readVendorAgents(bk, 'a1', [{ status: 401, body: {} }]).detail).toMatch(/refused the read-only token/);
    expect(readVendorAgents(bk, 'a1', [{ status: 403, body: {} }]).detail).toMatch(/read_agents/);
  });
  it('Harness: connected false is "not connected"', () => {
    expect(readVendorAgents(vendorApi('harness'), 'd', [{ status: 200, body: { resource: [{ name: 'd', connected: false }] } }]).detail).toMatch(
      /not connected/,
    );
  });
  it('Bamboo: approval pending is its own state', () => {
    const bamboo = vendorApi('bamboo-remote');
    expect(
      readVendorAgents(bamboo, 'b', [
        { status: 200, body: [] },
        { status: 200, body: [{ uuid: 'u', ip: '10.0.0.1' }] },
      ]).state,
    ).toBe('pending');
    expect(readVendorAgents(bamboo, 'b', [{ status: 200, body: [] }, undefined]).state).toBe('waiting');
  });
});

describe('a hop proven by the service state (systemd writes no "stayed up" line)', () => {
  const journal = ['Started ArmorCode tunnel svc.', 'Authenticated to tunnel.armorcode.com ([203.0.113.7]:22) using "publickey".'].join('\n');
  it('waits at stayed-up without it, and blocks the hops after it', () => {
    expect(readOnlineLog('armorcode', journal).hops.map((h) => `${h.hop}:${h.state}`)).toEqual([
      'started:passed',
      'stayed-up:waiting',
      'registered:not-checked',
      'connected:not-checked',
    ]);
  });
  it('passes stayed-up with what proved it, and reads the journal on from there', () => {
    const r = readOnlineLog('armorcode', journal, { 'stayed-up': 'active on every poll for 10 s' });
    expect(r.hops.map((h) => `${h.hop}:${h.state}`)).toEqual(['started:passed', 'stayed-up:passed', 'registered:passed', 'connected:holding']);
    expect(r.hops[1]!.detail).toBe('active on every poll for 10 s');
  });
});
