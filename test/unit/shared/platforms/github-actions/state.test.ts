import { describe, expect, it } from 'vitest';
import { expectedServiceName, readRunnerFile, readServiceFile, serviceNameDiffers } from '../../../../../shared/platforms/github-actions/state';

// Modelled on the shape actions/runner writes (ConfigurationStore.cs via IOUtil.SaveObject): camelCase,
// 2-space indented, UTF-8 with a BOM, default-valued fields left out. No public .runner is in the
// real-world fixtures (they are never committed), so these are our own.
const BOM = '\uFEFF';
const V2 = `${BOM}{
  "agentId": 12,
  "agentName": "build-01",
  "poolId": 1,
  "poolName": "Default",
  "serverUrl": "https://pipelinesghubeus6.actions.githubusercontent.com/abc/",
  "gitHubUrl": "https://github.com/octo-org/octo-repo",
  "workFolder": "_work",
  "useV2Flow": true,
  "serverUrlV2": "https://broker.actions.githubusercontent.com/"
}`;

describe('.runner', () => {
  it('reads the camelCase file with its BOM', () => {
    const r = readRunnerFile(V2);
    expect(r).toEqual({
      ok: true,
      value: {
        agentId: 12,
        agentName: 'build-01',
        poolId: 1,
        poolName: 'Default',
        serverUrl: 'https://pipelinesghubeus6.actions.githubusercontent.com/abc/',
        gitHubUrl: 'https://github.com/octo-org/octo-repo',
        workFolder: '_work',
        ephemeral: false,
        disableUpdate: false,
        useV2Flow: true,
        serverUrlV2: 'https://broker.actions.githubusercontent.com/',
      },
    });
  });

  it('reads omitted default fields as their defaults (EmitDefaultValue = false)', () => {
    const r = readRunnerFile(`${BOM}{"agentName":"org-runner","gitHubUrl":"https://github.com/octo-org","ephemeral":true}`);
    expect(r.ok && r.value).toMatchObject({
      agentId: 0,
      poolId: 0,
      poolName: '',
      workFolder: '_work',
      ephemeral: true,
      disableUpdate: false,
      useV2Flow: false,
    });
    expect(r.ok && 'serverUrlV2' in r.value).toBe(false);
  });

  it('also reads the PascalCase names older docs show', () => {
    const r = readRunnerFile('{"AgentId":3,"AgentName":"old","GitHubUrl":"https://github.com/o/r","WorkFolder":"w"}');
    expect(r.ok && r.value).toMatchObject({ agentId: 3, agentName: 'old', gitHubUrl: 'https://github.com/o/r', workFolder: 'w' });
  });

  it("refuses Gitea act_runner's file of the same name, broken JSON, and wrong types, saying which", () => {
    const gitea = readRunnerFile('{"id":1,"uuid":"x","name":"n","token":"t","address":"https://gitea.example"}');
    expect(!gitea.ok && gitea.error.message).toMatch(/Gitea act_runner/);
    const cut = readRunnerFile(V2.slice(0, 40));
    expect(!cut.ok && cut.error.code).toBe('PARSE_ERROR');
    const typed = readRunnerFile('{"agentId":"12","agentName":"a","gitHubUrl":"https://github.com/o"}');
    expect(!typed.ok && typed.error.message).toMatch(/"agentId" should be a number/);
    expect(readRunnerFile('[]').ok).toBe(false);
  });
});

describe('.service', () => {
  it('reads a systemd unit name, a launchd plist path and a Windows service name as written', () => {
    expect(readServiceFile('actions.runner.octo-org-octo-repo.build-01.service\n')).toEqual({
      ok: true,
      value: { name: 'actions.runner.octo-org-octo-repo.build-01.service', manager: 'systemd' },
    });
    expect(readServiceFile('/Users/ci/Library/LaunchAgents/actions.runner.octo-org.mac-01.plist')).toEqual({
      ok: true,
      value: { name: 'actions.runner.octo-org.mac-01', manager: 'launchd', plist: '/Users/ci/Library/LaunchAgents/actions.runner.octo-org.mac-01.plist' },
    });
    expect(readServiceFile(`${BOM}actions.runner.octo-org.win-01`)).toEqual({
      ok: true,
      value: { name: 'actions.runner.octo-org.win-01', manager: 'windows' },
    });
    expect(readServiceFile('sshd.service').ok).toBe(false);
    expect(readServiceFile('a\nb').ok).toBe(false);
  });

  it('keeps a truncated name with its random suffix, and knows it differs from the computed one', () => {
    const long = 'x'.repeat(140);
    expect(expectedServiceName('https://github.com/octo-org/octo-repo', long)).toBeUndefined();
    const truncated = `actions.runner.octo-org-octo-repo.${'x'.repeat(94)}-4821.service`;
    const service = readServiceFile(truncated);
    expect(service.ok && service.value.name).toBe(truncated);
    const state = readRunnerFile(`{"agentName":"${long}","gitHubUrl":"https://github.com/octo-org/octo-repo"}`);
    expect(state.ok && service.ok && serviceNameDiffers(state.value, service.value)).toBe(true);
  });

  it('computes the short name the way svc.sh does, only to compare', () => {
    expect(expectedServiceName('https://github.com/octo-org/octo-repo', 'build 01')).toBe('actions.runner.octo-org-octo-repo.build-01.service');
    const state = readRunnerFile('{"agentName":"build-01","gitHubUrl":"https://github.com/octo-org/octo-repo"}');
    const service = readServiceFile('actions.runner.octo-org-octo-repo.build-01.service');
    expect(state.ok && service.ok && serviceNameDiffers(state.value, service.value)).toBe(false);
  });
});
