import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { gitlabRunner, gitlabRunnerAnswers } from '../../../../../shared/platforms/gitlab-runner';
import type { Generated } from '../../../../../shared/platforms/types';
import { readYaml11Js, secretValues } from '../../../../support/consumers';

const TOKEN = 'glrt-t1_AbCdEfGhIjKlMnOpQrSt';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function gen(variant: string, answers: Record<string, unknown> = {}, trustedCa?: string): Generated {
  const a = gitlabRunnerAnswers.parse(answers);
  const r = gitlabRunner.generate!(a, { kind: 'token', token: TOKEN }, variant, trustedCa ? { trustedCa } : undefined);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const file = (g: Generated, path: string): string => {
  const f = g.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in ${g.files.map((x) => x.path).join(', ')}`);
  return f.text;
};

describe('GitLab Runner config.toml', () => {
  it('reads back with a TOML parser: globals, the runner, its executor settings and tls-ca-file', () => {
    const g = gen(
      'package',
      { url: 'https://gitlab.corp.example/gitlab', name: 'build "1" \\ α', executor: 'docker', concurrent: 4, listenAddress: '127.0.0.1:9252' },
      CA,
    );
    const doc = parse(file(g, 'config.toml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.concurrent).toBe(4);
    expect(doc.check_interval).toBe(0);
    expect(doc.listen_address).toBe('127.0.0.1:9252');
    expect(doc.runners).toHaveLength(1);
    expect(doc.runners[0]).toMatchObject({
      name: 'build "1" \\ α',
      url: 'https://gitlab.corp.example/gitlab',
      token: TOKEN,
      executor: 'docker',
      'tls-ca-file': '/etc/gitlab-runner/certs/company-ca.crt',
    });
    expect(doc.runners[0].docker.image).toBe('alpine:latest');
    expect(file(g, 'certs/company-ca.crt')).toBe(CA);
    expect(g.files.find((f) => f.path === 'config.toml')).toMatchObject({ mode: 0o600, secret: true });
  });

  it('the shell executor has no docker table and no tls-ca-file without a CA', () => {
    const doc = parse(file(gen('package', { executor: 'shell' }), 'config.toml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.runners[0]).toMatchObject({ executor: 'shell', shell: 'bash' });
    expect(doc.runners[0].docker).toBeUndefined();
    expect(doc.runners[0]['tls-ca-file']).toBeUndefined();
  });

  it('a value that would break out of its TOML string is refused by the answers schema, never written', () => {
    expect(gitlabRunnerAnswers.safeParse({ name: 'x"\n[[runners]]' }).success).toBe(false);
    expect(gitlabRunnerAnswers.safeParse({ dockerImage: 'alpine" \nprivileged = true' }).success).toBe(false);
  });

  it('gives the proxy to the service (systemd drop-in) and to job containers (environment)', () => {
    const g = gen('package', { proxyUrl: 'http://proxy.internal:3128', noProxy: '.corp.example, 10.0.0.5' });
    const dropIn = file(g, 'gitlab-runner.service.d/http-proxy.conf');
    expect(dropIn).toContain('[Service]');
    expect(dropIn).toMatch(
      /^Environment=HTTPS_PROXY=http:\/\/proxy\.internal:3128 HTTP_PROXY=http:\/\/proxy\.internal:3128 NO_PROXY=\.corp\.example,10\.0\.0\.5$/m,
    );
    const doc = parse(file(g, 'config.toml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.runners[0].environment).toEqual([
      'HTTPS_PROXY=http://proxy.internal:3128',
      'HTTP_PROXY=http://proxy.internal:3128',
      'NO_PROXY=.corp.example,10.0.0.5',
    ]);
  });

  it('says tags, locked and run-untagged are set in GitLab, and the form never asks for them', () => {
    const g = gen('package');
    expect(g.notes.join('\n')).toMatch(/Tags, "locked", "run untagged".*set on the runner in GitLab/);
    expect(gitlabRunner.fields.map((f) => f.key)).not.toEqual(expect.arrayContaining(['tags']));
    expect(gitlabRunner.fields.some((f) => /locked|untagged|tag/i.test(f.key))).toBe(false);
  });

  it('refuses a registration token or a PAT instead of writing it into config.toml', () => {
    const a = gitlabRunnerAnswers.parse({});
    const reg = gitlabRunner.generate!(a, { kind: 'token', token: 'GR1348941aBcDeFgHiJkLmNoPqRsT' }, 'package');
    expect(reg.ok).toBe(false);
    if (!reg.ok) expect(reg.error.code).toBe('TOKEN_WRONG_KIND');
    const pat = gitlabRunner.generate!(a, { kind: 'token', token: 'glpat-abcdefghijklmnopqrst' }, 'package');
    expect(pat.ok).toBe(false);
  });

  it('checks in the order every token platform does (shared tokenGenerator): the variant, a token credential, its kind, its form; each refusal says where to get the right one', () => {
    const a = gitlabRunnerAnswers.parse({});
    expect(gitlabRunner.generate!(a, { kind: 'token', token: TOKEN }, 'rpm')).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: "Unknown variant 'rpm' for GitLab Runner: use package, docker, helm." },
    });
    expect(gitlabRunner.generate!(a, { kind: 'ssh-keypair', keyId: 'k' } as never, 'package')).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'GitLab Runner needs its runner authentication token.' },
    });
    expect(gitlabRunner.generate!(a, { kind: 'token', token: 'glpat-abcdefghijklmnopqrst' }, 'package')).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_WRONG_KIND', hint: expect.stringMatching(/^Get a runner authentication token from GitLab → /) },
    });
    const invalid = gitlabRunner.generate!(a, { kind: 'token', token: 'not-a-runner-token' }, 'package');
    expect(invalid).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID', hint: expect.stringMatching(/^Get it from GitLab → /) } });
    expect(gen('helm').removal?.commands.length).toBeGreaterThan(0);
  });
});

describe('GitLab Runner Docker and Helm variants', () => {
  it('Docker: config mounted at /etc/gitlab-runner from gitlab/gitlab-runner', () => {
    const g = gen('docker', { executor: 'docker' }, CA);
    const script = file(g, 'run-gitlab-runner.sh');
    expect(script).toContain('-v "$here/config:/etc/gitlab-runner"');
    expect(script).toContain('gitlab/gitlab-runner');
    const doc = parse(file(g, 'config/config.toml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.runners[0]['tls-ca-file']).toBe('/etc/gitlab-runner/certs/company-ca.crt');
    expect(file(g, 'config/certs/company-ca.crt')).toBe(CA);
  });

  it('Helm: the token only in its own Secret (runner-token), never in the values; runners.config is TOML', () => {
    const g = gen('helm', { url: 'https://gitlab.corp.example', namespace: 'ci' }, CA);
    const values = readYaml11Js(file(g, 'gitlab-runner-values.yaml'))[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(file(g, 'gitlab-runner-values.yaml')).not.toContain(TOKEN);
    expect(values.gitlabUrl).toBe('https://gitlab.corp.example');
    expect(values.runners.secret).toBe('gitlab-runner-token');
    expect(values.certsSecretName).toBe('gitlab-runner-certs');
    const template = parse(values.runners.config as string) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(template.runners[0].executor).toBe('kubernetes');
    expect(template.runners[0].token).toBeUndefined();
    const secrets = readYaml11Js(file(g, 'gitlab-runner-secret.yaml')) as Record<string, unknown>[];
    expect(secretValues(secrets[0]!)).toEqual({ 'runner-registration-token': '', 'runner-token': TOKEN });
    expect(secretValues(secrets[1]!)).toEqual({ 'gitlab.corp.example.crt': CA });
  });
});
