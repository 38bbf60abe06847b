import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../../../shared/ipc';
import { getPlatform } from '../../../../../shared/platforms';
import type { EndpointResult } from '../../../../../shared/probe';
import { initialProxy, isPinned, plannedEndpoints, savedProxy, probeCommands, probeEndpoints, sshPlan } from '../../../../../renderer/steps/connectivity/plan';

const armorcode = getPlatform('armorcode');
const draft: Draft = {
  platform: 'armorcode',
  variant: 'docker',
  step: 'connectivity',
  answers: {
    server: 'tunnel.example.com',
    user: 'acme',
    port: '22',
    services: [
      { name: 'jira', url: 'https://jira.internal', remotePort: '5000' },
      { name: 'git', url: 'https://git.internal', remotePort: '5001' },
    ],
  },
};

describe('connectivity plan', () => {
  it('probes the platform endpoints (443 optional while 22 is configured) then the user-added ones as optional', () => {
    const planned = plannedEndpoints({ draft, platform: armorcode });
    expect(planned.map((e) => [e.port, Boolean(e.optional)])).toEqual([
      [22, false],
      [443, true],
    ]);
    const all = probeEndpoints(planned, [{ id: 'user-x', host: '10.0.0.5', port: 8443, protocol: 'auto' }]);
    expect(all.at(-1)).toEqual({ id: 'user-x', host: '10.0.0.5', port: 8443, protocol: 'auto', purpose: 'added by you', optional: true });
  });

  it('takes the SSH login from the answers: the user, every remote port to forward, the key file name', () => {
    expect(sshPlan(draft, armorcode)).toEqual({ user: 'acme', forwardPorts: [5000, 5001], keyFile: 'private-key.pem' });
    expect(sshPlan({ ...draft, platform: 'harness' }, getPlatform('harness'))).toBeUndefined();
  });

  it('writes the same check as one agent-onboard command per host, with pins as --expect-fingerprint', () => {
    const endpoints = probeEndpoints(plannedEndpoints({ draft, platform: armorcode }), []);
    const fp = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    expect(probeCommands(endpoints, sshPlan(draft, armorcode), { 'tunnel.example.com': [fp] })).toEqual([
      `agent-onboard probe --host tunnel.example.com --port 22 --port 443 --ssh-user acme --ssh-key private-key.pem --forward 5000 --forward 5001 --expect-fingerprint ${fp}`,
    ]);
  });

  it('adds --ca-file company-ca.pem for hosts with a TLS or HTTPS endpoint when a company CA is trusted', () => {
    const endpoints = [
      { id: 'a', host: 'tunnel.example.com', port: 22, protocol: 'ssh' as const, purpose: '' },
      { id: 'b', host: 'bamboo.example.com', port: 443, protocol: 'https' as const, purpose: '' },
    ];
    expect(probeCommands(endpoints, undefined, {}, true)).toEqual([
      'agent-onboard probe --host tunnel.example.com --port 22',
      'agent-onboard probe --host bamboo.example.com --port 443 --ca-file company-ca.pem',
    ]);
    expect(probeCommands(endpoints, undefined, {}, false)[1]).toBe('agent-onboard probe --host bamboo.example.com --port 443');
  });

  it("starts the checks on the agent's own proxy when the Details step set one, else on the environment's", () => {
    expect(initialProxy({ answers: { proxyUrl: ' http://proxy.corp:3128 ', noProxy: '.corp' } })).toEqual({
      mode: 'manual',
      url: 'http://proxy.corp:3128',
      noProxy: '.corp',
    });
    expect(initialProxy({ answers: { proxyUrl: 'http://proxy.corp:3128' } })).toEqual({ mode: 'manual', url: 'http://proxy.corp:3128' });
    expect(initialProxy({ answers: {} })).toEqual({ mode: 'env' });
    expect(initialProxy({ answers: { proxyUrl: 42 } })).toEqual({ mode: 'env' });
  });

  it("starts again on the choice made here before (kept without its password), unless the agent's own proxy changed since", () => {
    const chosen = savedProxy({ mode: 'manual', url: 'http://proxy.corp:3128', noProxy: '.corp', username: 'ann', password: 'pw' });
    expect(chosen).toEqual({ mode: 'manual', url: 'http://proxy.corp:3128', noProxy: '.corp', username: 'ann' });
    expect(savedProxy({ mode: 'none' })).toEqual({ mode: 'none' });
    expect(initialProxy({ answers: {}, proxy: chosen })).toEqual(chosen);
    expect(initialProxy({ answers: {}, proxy: { mode: 'none' } })).toEqual({ mode: 'none' });
    // Details set the same proxy the checks used: the kept choice (with its user and NO_PROXY) stays.
    expect(initialProxy({ answers: { proxyUrl: 'http://proxy.corp:3128' }, proxy: chosen })).toEqual(chosen);
    // Details set another proxy (or one after "none" was chosen here): the agent's wins.
    expect(initialProxy({ answers: { proxyUrl: 'http://other:8080' }, proxy: chosen })).toEqual({ mode: 'manual', url: 'http://other:8080' });
    expect(initialProxy({ answers: { proxyUrl: 'http://other:8080' }, proxy: { mode: 'none' } })).toEqual({ mode: 'manual', url: 'http://other:8080' });
  });

  it('knows a result is pinned only when its exact key is in known_hosts for that host and port', () => {
    const line = '[h]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const r = {
      endpoint: { id: 'a', host: 'h', port: 2222, protocol: 'ssh', purpose: '' },
      ssh: { banner: '', auth: 'not-tested', knownHostsLine: line },
    } as EndpointResult;
    expect(isPinned(`${line}\n`, r)).toBe(true);
    expect(isPinned(line.replace('[h]:2222', '[h]:22'), r)).toBe(false);
    expect(isPinned(undefined, r)).toBe(false);
  });
});
