/**
 * `agent-onboard fleet export --format ansible` as a user runs it, and the project it writes read
 * by the real Ansible tools: ansible-inventory for the groups and host vars, ansible-playbook
 * --syntax-check for every playbook, ansible-lint where Debian's package is installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli';

const run = promisify(execFile);
const KNOWN = '[tunnel.example.com]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GZVl\n';

describe('fleet export --format ansible (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ao-fleet-cli-'));
    writeFileSync(
      path.join(dir, 'answers.json'),
      JSON.stringify({ server: 'tunnel.example.com', user: 'acme', services: [{ name: 'jira', url: 'https://jira.internal', remotePort: 5000 }] }),
    );
    writeFileSync(path.join(dir, 'known_hosts'), KNOWN);
    writeFileSync(
      path.join(dir, 'hosts.csv'),
      [
        'name,ansible_host,ansible_port,ansible_user,services',
        'edge-1,10.0.0.1,2201,ops,',
        'edge-2,10.0.0.2,,,"[{""name"":""wiki"",""url"":""http://wiki.internal:8090"",""remotePort"":5001}]"',
      ].join('\n') + '\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const args = (out: string, csv = 'hosts.csv'): string[] => [
    'fleet',
    'export',
    '--format',
    'ansible',
    '--platform',
    'armorcode',
    '--csv',
    csv,
    '--answers',
    'answers.json',
    '--known-hosts',
    'known_hosts',
    '--vault-password-env',
    'FLEET_VAULT',
    '--install-root',
    '/opt/fleet',
    '--out',
    out,
    '--json',
  ];

  it('writes a project whose inventory, host vars and playbooks the real Ansible tools accept', async () => {
    const r = await runCliProcess(args('project'), { cwd: dir, env: { FLEET_VAULT: 'correct horse battery' }, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { hosts: number; encrypted: number; publicKeys: string };
    expect(summary).toMatchObject({ hosts: 2, encrypted: 2 });
    const project = path.join(dir, 'project');
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const { stdout: inv } = await run('ansible-inventory', ['--list'], { cwd: project, env });
    const list = JSON.parse(inv) as {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
      armorcode_supervisord: { hosts: string[] };
      armorcode: { children: string[] };
    };
    expect(list.armorcode.children).toContain('armorcode_supervisord');
    expect(list.armorcode_supervisord.hosts.sort()).toEqual(['edge-1', 'edge-2']);
    expect(list._meta.hostvars['edge-1']).toMatchObject({
      ansible_host: '10.0.0.1',
      ansible_port: 2201,
      ansible_user: 'ops',
      agent_install_root: '/opt/fleet',
    });
    expect((list._meta.hostvars['edge-2']!.agent_answers as { services: { name: string }[] }).services[0]!.name).toBe('wiki');
    for (const playbook of ['site.yml', 'verify.yml', 'remove.yml']) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    expect(readFileSync(path.join(project, 'host_files/edge-2/supervisord.conf'), 'utf8')).toContain('/opt/fleet/etc/armorcode/private-key.pem');
    expect(readFileSync(path.join(project, 'public-keys.csv'), 'utf8')).toMatch(/^name,host,fingerprint,public key\nedge-1,10\.0\.0\.1,SHA256:/);
    const all = readdirSync(project, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
      .join('\n');
    expect(all).not.toContain('correct horse battery');
    expect(all).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  }, 180_000);

  it("passes ansible-lint when Debian's ansible-lint is installed", async (ctx) => {
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return ctx.skip('ansible-lint is not installed (apt-get install ansible-lint)');
    const project = path.join(dir, 'project');
    const lint = spawnSync('ansible-lint', ['--offline', '-p', 'site.yml', 'verify.yml', 'remove.yml'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') },
    });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 180_000);

  it('Buildkite: writes rotate.yml beside the other playbooks, the real tools accept them all (ansible-lint where installed), and the token is only in vault form', async () => {
    const token = 'bkfleetclitoken0123456789abcdef';
    writeFileSync(path.join(dir, 'bk.json'), JSON.stringify({ tags: 'queue=fleet' }));
    writeFileSync(path.join(dir, 'bk.csv'), 'name,ansible_host,ansible_port\nbk-1,10.0.0.1,2201\n');
    const r = await runCliProcess(
      [
        'fleet',
        'export',
        '--format',
        'ansible',
        '--platform',
        'buildkite',
        '--csv',
        'bk.csv',
        '--answers',
        'bk.json',
        '--token-env',
        'BK_TOKEN',
        '--vault-password-env',
        'FLEET_VAULT',
        '--out',
        'bk-project',
        '--json',
      ],
      { cwd: dir, env: { FLEET_VAULT: 'correct horse battery', BK_TOKEN: token }, timeoutMs: 120_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const project = path.join(dir, 'bk-project');
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const playbooks = ['site.yml', 'verify.yml', 'remove.yml', 'rotate.yml'];
    for (const playbook of playbooks) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toMatch(/rotate\.yml -e @rotate-token\.yml --ask-vault-pass --check --diff/);
    const all = readdirSync(project, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
      .join('\n');
    expect(all).not.toContain(token);
    expect(readFileSync(path.join(project, 'host_files/bk-1/buildkite-agent.cfg'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return;
    const lint = spawnSync('ansible-lint', ['--offline', '-p', ...playbooks], { cwd: project, encoding: 'utf8', env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 240_000);

  it('GitHub Actions: site, verify and remove playbooks (no rotate.yml: the registration token is spent at configure time), the README says where the runner comes from, the token only in vault form', async () => {
    const token = 'AABBCCDDEEFFGGHHIIJJKKLLMM123';
    writeFileSync(path.join(dir, 'gh.json'), JSON.stringify({ url: 'https://github.com/octo-org/octo-repo' }));
    writeFileSync(path.join(dir, 'gh.csv'), 'name,ansible_host,runnerName,labels\ngh-1,10.0.0.1,build-01,"linux,gpu"\n');
    const r = await runCliProcess(
      [
        'fleet',
        'export',
        '--format',
        'ansible',
        '--platform',
        'github-actions',
        '--variant',
        'linux',
        '--csv',
        'gh.csv',
        '--answers',
        'gh.json',
        '--token-env',
        'GH_TOKEN',
        '--vault-password-env',
        'FLEET_VAULT',
        '--out',
        'gh-project',
        '--json',
      ],
      { cwd: dir, env: { FLEET_VAULT: 'correct horse battery', GH_TOKEN: token }, timeoutMs: 120_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const project = path.join(dir, 'gh-project');
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') };
    const playbooks = ['site.yml', 'verify.yml', 'remove.yml'];
    for (const playbook of playbooks) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', playbook], { cwd: project, env, encoding: 'utf8' });
      expect(check.status, check.stderr + check.stdout).toBe(0);
    }
    expect(existsSync(path.join(project, 'rotate.yml'))).toBe(false);
    const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
    expect(readme).toMatch(/runner_archive=/);
    expect(readme).toMatch(/No rotate\.yml:\*\* the registration token is spent/);
    expect(readme).toMatch(/remove-token\.yml/);
    expect(readme).toMatch(/deletes it after 14 days offline/);
    const all = readdirSync(project, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
      .join('\n');
    expect(all).not.toContain(token);
    expect(readFileSync(path.join(project, 'host_files/gh-1/runner-token'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;fleet\n/);
    expect(readFileSync(path.join(project, 'host_files/gh-1/configure-runner.sh'), 'utf8')).toMatch(/--name build-01 --labels linux,gpu/);
    if (spawnSync('ansible-lint', ['--version']).status !== 0) return;
    const lint = spawnSync('ansible-lint', ['--offline', '-p', ...playbooks], { cwd: project, encoding: 'utf8', env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 240_000);

  it('refuses a bad CSV with the line named and writes nothing; a missing vault password is a usage error', async () => {
    writeFileSync(path.join(dir, 'bad.csv'), 'name,ansible_port,install_root\nedge-1,70000,relative/path\n');
    const bad = await runCliProcess(args('bad-project', 'bad.csv'), { cwd: dir, env: { FLEET_VAULT: 'correct horse battery' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2 \(edge-1\): ansible_port "70000" must be a port/);
    expect(bad.stderr).toMatch(/install root "relative\/path"/);
    expect(existsSync(path.join(dir, 'bad-project'))).toBe(false);
    const noPass = await runCliProcess(args('np'), { cwd: dir, cleanEnv: true });
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toMatch(/environment variable FLEET_VAULT is not set/);
  }, 120_000);
});
