/**
 * The Bamboo commands as a user runs them (real processes): generate bamboo-remote (files, modes,
 * shellcheck on the script written), rotate bamboo-remote on an agent home (edit in place with a
 * backup, refusals exit 2 and write nothing), scp-check exit codes, and diagnose on an agent log.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAMBOO_ROLE, SEED_POLICY, text } from '../support/scp-policies';
import { runCliProcess } from '../support/cli';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const dir = mkdtempSync(path.join(tmpdir(), 'bamboo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliProcess(args, { cwd: dir, env, ...(input === undefined ? {} : { input }) });
}

const CONF =
  'wrapper.java.additional.1=-Dbamboo.home=/opt/bamboo-agent-home\r\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\r\nwrapper.app.parameter.2=http://bamboo.internal:8085/agentServer/\r\n# end\r\n';

describe('agent-onboard generate bamboo-remote', () => {
  it('refuses a new install without the server version (exit 2, one line, nothing written): the jar must match the server', async () => {
    writeFileSync(path.join(dir, 'no-version.json'), JSON.stringify({ serverUrl: 'https://bamboo.example.com' }));
    const r = await cli(['generate', 'bamboo-remote', '--answers', 'no-version.json', '--token-env', 'BAMBOO_TOKEN', '--out', path.join(dir, 'no-version')], {
      BAMBOO_TOKEN: TOKEN,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('installerVersion is required for a new install');
    expect(existsSync(path.join(dir, 'no-version'))).toBe(false);
  });

  it('writes the installer script (passing shellcheck), the systemd unit and the 0600 token file from {"serverUrl", "installerVersion"} alone', async () => {
    writeFileSync(path.join(dir, 'answers.json'), JSON.stringify({ serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' }));
    const r = await cli(['generate', 'bamboo-remote', '--answers', 'answers.json', '--token-env', 'BAMBOO_TOKEN', '--out', path.join(dir, 'out')], {
      BAMBOO_TOKEN: TOKEN,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(TOKEN);
    const out = path.join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual(['bamboo-agent.service', 'install-bamboo-agent.sh', 'security-token']);
    expect(statSync(path.join(out, 'security-token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(out, 'install-bamboo-agent.sh'), 'utf8')).toContain('SERVER_URL=https://bamboo.example.com/agentServer/\n');
    const sc = spawnSync('shellcheck', ['-s', 'sh', path.join(out, 'install-bamboo-agent.sh')], { encoding: 'utf8' });
    expect(sc.stdout + sc.stderr).toBe('');
  });
});

describe('agent-onboard rotate bamboo-remote', () => {
  const home = path.join(dir, 'bamboo-agent-home');
  mkdirSync(path.join(home, 'conf'), { recursive: true });
  const conf = path.join(home, 'conf', 'wrapper.conf');

  it('refuses a token that is not 40 hex characters with exit 2 and one line, writing nothing', async () => {
    writeFileSync(conf, CONF);
    const r = await cli(['rotate', 'bamboo-remote', '--token-env', 'NEW', home], { NEW: `${TOKEN.slice(0, 39)}g` });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readFileSync(conf, 'utf8')).toBe(CONF);
  });

  it('exits 2 for a file that is not a Bamboo agent wrapper.conf', async () => {
    const other = path.join(dir, 'tomcat-wrapper.conf');
    writeFileSync(other, 'wrapper.app.parameter.1=org.apache.catalina.startup.Bootstrap\n');
    const r = await cli(['rotate', 'bamboo-remote', '--token-env', 'NEW', other], { NEW: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a file Bamboo remote agent keeps its token in');
    expect(readFileSync(other, 'utf8')).toBe('wrapper.app.parameter.1=org.apache.catalina.startup.Bootstrap\n');
  });

  it('--dry-run shows the server URL it found and a masked diff', async () => {
    const r = await cli(['rotate', 'bamboo-remote', '--token-env', 'NEW', '--dry-run', home], { NEW: TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Server URL found: http://bamboo.internal:8085/agentServer/');
    expect(r.stdout).toContain('+wrapper.app.parameter.3=«new token»');
    expect(r.stdout).not.toContain(TOKEN);
    expect(readFileSync(conf, 'utf8')).toBe(CONF);
  });

  it('writes the token after the URL in the agent home conf/wrapper.conf, with a backup and restart commands; twice is a no-op', async () => {
    const r = await cli(['rotate', 'bamboo-remote', '--token-env', 'NEW', home], { NEW: TOKEN });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe(CONF.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${TOKEN}\r\n`));
    expect(readdirSync(path.join(home, 'conf')).filter((n) => n.includes('.bak-'))).toHaveLength(1);
    expect(r.stdout).toContain('/opt/bamboo-agent-home/bin/bamboo-agent.sh restart');
    expect(r.stdout).not.toContain(TOKEN);
    const again = await cli(['rotate', 'bamboo-remote', '--token-env', 'NEW', home], { NEW: TOKEN });
    expect(again.code).toBe(0);
    expect(readFileSync(conf, 'utf8').match(/wrapper\.app\.parameter\.3=/g)).toHaveLength(1);
  });
});

describe('agent-onboard scp-check and diagnose', () => {
  it('scp-check exits 1 naming the deciding condition, 0 with IMDSv2, 2 for a malformed policy', async () => {
    writeFileSync(path.join(dir, 'seed.json'), text(SEED_POLICY));
    const denied = await cli(['scp-check', '--policy', 'seed.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'optional', '--hop-limit', '1']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('condition StringNotEquals ec2:MetadataHttpTokens "required": the request has "optional"');
    expect((await cli(['scp-check', '--policy', 'seed.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'required', '--hop-limit', '2'])).code).toBe(0);
    writeFileSync(path.join(dir, 'bad.json'), '{"Statement": [');
    const bad = await cli(['scp-check', '--policy', 'bad.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'required', '--hop-limit', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^agent-onboard scp-check: bad\.json is not valid JSON/);
  });

  it('diagnose recognises the missing security token in a wrapped, time-stamped agent log', async () => {
    const log =
      'INFO   | jvm 1    | 2026/03/02 09:00:02 | 2026-03-02 09:00:02,311 FATAL [main] [AgentBootstrap] Security token is required for preliminary\nINFO   | jvm 1    | 2026/03/02 09:00:02 | authentication, but none was provided\n';
    const r = await cli(['diagnose', '-'], {}, log);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bamboo-remote: The agent sent no security token');
    expect(r.stdout).toContain('fix wrapper.conf in place');
    // The page is called what the app calls it, and the command is one to copy.
    expect(r.stdout).toContain('Update an existing install in the app, or agent-onboard rotate bamboo-remote --token-env VAR <bamboo-agent-home>');
    expect(r.stdout).not.toContain('Tokens page');
  });
});
