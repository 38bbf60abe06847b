import { describe, expect, it } from 'vitest';
import { checkColumns, draftAnswers, rowToAgent } from '../../../shared/fleet';
import { scrubAnswers } from '../../../shared/history';
import { getPlatform } from '../../../shared/platforms';

const bamboo = getPlatform('bamboo-remote')!;
const buildkite = getPlatform('buildkite')!;
const template = { variant: 'installer', answers: { serverUrl: 'https://bamboo.example.com' } };

describe('fleet rows', () => {
  it('overrides the template with the row (columns matched without case) and validates with the platform schema', () => {
    const agent = rowToAgent(bamboo, template, { line: 2, cells: { Name: 'agent-01', host: 'build01.internal', AGENTHOME: '/srv/bamboo', serviceUser: 'ci' } });
    expect(agent.errors).toEqual([]);
    expect(agent).toMatchObject({
      name: 'agent-01',
      host: 'build01.internal',
      variant: 'installer',
      answers: { serverUrl: 'https://bamboo.example.com', agentHome: '/srv/bamboo', serviceUser: 'ci' },
    });
  });

  it('names every problem of a row: bad name, bad host, bad variant, bad value', () => {
    const agent = rowToAgent(bamboo, template, { line: 7, cells: { name: '../x', host: 'not a host', variant: 'docker', serviceUser: 'Root; rm -rf /' } });
    expect(agent.errors.join('\n')).toMatch(/name "\.\.\/x"/);
    expect(agent.errors.join('\n')).toMatch(/host "not a host"/);
    expect(agent.errors.join('\n')).toMatch(/variant "docker" is not one of installer, existing/);
    expect(agent.errors.join('\n')).toMatch(/Service user \(Linux\) \(serviceUser\): a Unix user name/);
  });

  it('reads tag cells as key=value pairs', () => {
    const agent = rowToAgent(buildkite, { variant: 'cfg', answers: { name: 'x' } }, { line: 2, cells: { name: 'a1', tags: 'queue=deploy;os=linux' } });
    expect(agent.answers.tags).toEqual({ queue: 'deploy', os: 'linux' });
    expect(rowToAgent(buildkite, { variant: 'cfg', answers: { name: 'x' } }, { line: 2, cells: { name: 'a1', tags: 'queue' } }).errors[0]).toMatch(/key=value/);
  });

  it('refuses unknown and duplicated columns, and a CSV without names', () => {
    expect(checkColumns(bamboo, ['name', 'host', 'serverUrl'])).toEqual([]);
    expect(checkColumns(bamboo, ['host', 'sever'])).toEqual([
      'the CSV needs a "name" column (one agent per row)',
      expect.stringMatching(/unknown column "sever": Bamboo remote agent has serverUrl/),
    ]);
    expect(checkColumns(bamboo, ['name', 'name'])).toEqual(['the column "name" appears twice']);
    expect(checkColumns(getPlatform('armorcode')!, ['name', 'services'])).toEqual([]);
    expect(checkColumns(bamboo, ['name', 'ansible_host'], ['ansible_host'])).toEqual([]);
  });

  it('reads a list column (ArmorCode services) as a JSON list per agent, and names a bad cell', () => {
    const armorcode = getPlatform('armorcode')!;
    const template = {
      variant: 'docker',
      answers: { server: 'tunnel.example.com', user: 'acme', services: [{ name: 'a', url: 'http://a.internal', remotePort: 5000 }] },
    };
    const agent = rowToAgent(
      armorcode,
      template,
      { line: 3, cells: { name: 'h1', services: '[{"name":"web","url":"http://127.0.0.1:8080","remotePort":5001}]', ansible_port: '2201' } },
      ['ansible_port'],
    );
    expect(agent.errors).toEqual([]);
    expect(agent.answers.services).toEqual([{ name: 'web', url: 'http://127.0.0.1:8080', remotePort: 5001 }]);
    expect(agent.extra).toEqual({ ansible_port: '2201' });
    expect(rowToAgent(armorcode, template, { line: 3, cells: { name: 'h1', services: 'web=5001' } }).errors[0]).toMatch(
      /Internal services: must be a JSON list/,
    );
    expect(rowToAgent(armorcode, template, { line: 3, cells: { name: 'h1', services: '[{"name":"web"}]' } }).errors.join()).toMatch(/url/);
  });
});

describe('draftAnswers', () => {
  it('shapes the raw form like the wizard: hidden fields and empty values dropped, tags parsed', () => {
    const r = draftAnswers(buildkite, 'kubernetes', { name: 'agent', tags: 'queue=a, os=linux', buildPath: '/hidden/for/k8s', hooksPath: '' });
    expect(r.errors).toEqual([]);
    expect(r.answers).toMatchObject({ name: 'agent', tags: { queue: 'a', os: 'linux' } });
    expect(r.answers).not.toHaveProperty('buildPath');
  });

  it('reports the problems by field label, checking what the Details step checks (the same validation)', () => {
    expect(draftAnswers(bamboo, 'installer', {}).errors).toEqual([
      'Bamboo server URL (serverUrl): is required',
      'Bamboo server version (installerVersion): is required',
    ]);
  });
});

describe('scrubAnswers', () => {
  it('drops secret-looking keys, private keys and URL credentials, recursively', () => {
    expect(
      scrubAnswers({
        server: 'tunnel.example.com',
        token: 'bk-123',
        apiToken: 'x',
        proxyUrl: 'http://bob:hunter2@proxy:3128',
        services: [{ name: 'jira', url: 'https://u:p@jira.internal', password: 'p' }],
        key: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA',
        port: 22,
      }),
    ).toEqual({ server: 'tunnel.example.com', proxyUrl: 'http://proxy:3128', services: [{ name: 'jira', url: 'https://jira.internal' }], port: 22 });
  });
});
