/**
 * A bundle of a runner's folder that carries `.runner_system_id` warns: every host unpacking it
 * would share one system id (GitLab's runner manager id). Through the real `bundle export` command
 * and the bundle's README; a folder without it gets no warning.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../main/cli/index';
import { gitlabRunner } from '../../../../../shared/platforms/gitlab-runner';

const root = mkdtempSync(path.join(tmpdir(), 'gl-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CONFIG =
  'concurrent = 1\ncheck_interval = 0\n\n[[runners]]\n  name = "build-1"\n  url = "https://gitlab.example.com"\n  token = "glrt-t1_BundleToken0123456789"\n  executor = "shell"\n';

function folder(name: string, systemId: boolean): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.toml'), CONFIG, { mode: 0o600 });
  if (systemId) writeFileSync(path.join(dir, '.runner_system_id'), 's_0123456789ab\n', { mode: 0o600 });
  return dir;
}

async function exportBundle(dir: string, out: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['bundle', 'export', dir, '--out', out, '--plain-secrets'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    readStdin: async () => '',
    cwd: root,
  });
  return { code, stdout, stderr };
}

const readme = (zip: string): string => new TextDecoder().decode(unzipSync(readFileSync(zip))['README.md']);

describe('.runner_system_id in a bundle', () => {
  it('the platform names the file wherever it sits, and nothing else', () => {
    expect(gitlabRunner.bundleWarnings?.(['config.toml', 'config/.runner_system_id'])).toEqual([expect.stringContaining('config/.runner_system_id')]);
    expect(gitlabRunner.bundleWarnings?.(['config.toml', 'runner_system_id', '.runner_system_id.bak'])).toEqual([]);
  });

  it('bundle export of a runner folder with it warns on stderr and in the README, and still packs it', async () => {
    const out = path.join(root, 'with.zip');
    const r = await exportBundle(folder('with', true), out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Platform recognised from the files: GitLab Runner');
    expect(r.stderr).toMatch(/warning: This bundle carries \.runner_system_id: .*share one system id/);
    expect(readme(out)).toContain('This bundle carries .runner_system_id');
    expect(Object.keys(unzipSync(readFileSync(out)))).toContain('.runner_system_id');
  });

  it('without it: no warning', async () => {
    const out = path.join(root, 'without.zip');
    const r = await exportBundle(folder('without', false), out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readme(out)).not.toContain('runner_system_id');
  });
});
