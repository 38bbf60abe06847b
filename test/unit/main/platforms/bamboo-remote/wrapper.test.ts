import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRotation, planRotation } from '../../../../../main/services/rotate';
import { readWrapperInfo, resolveWrapperConf } from '../../../../../main/platforms/bamboo-remote/wrapper';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const OLD = '0123456789abcdef0123456789abcdef01234567';
const root = mkdtempSync(path.join(tmpdir(), 'bamboo-rotate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CONF = [
  '#encoding=UTF-8',
  '# Bamboo agent',
  'wrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp',
  'wrapper.java.additional.1=-Dbamboo.home=/var/atlassian/bamboo-agent',
  '',
  'wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap',
  'wrapper.app.parameter.2=https://bamboo.example.com/agentServer/',
  'wrapper.name=bamboo-remote-agent',
  '',
].join('\r\n');

/** An agent home laid out like the installer's, with a decoy in the build dir that must not be touched. */
function agentHome(name: string, conf = CONF): string {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'conf'), { recursive: true });
  mkdirSync(path.join(home, 'xml-data', 'build-dir', 'PROJ-PLAN-JOB1', 'conf'), { recursive: true });
  writeFileSync(path.join(home, 'conf', 'wrapper.conf'), conf);
  chmodSync(path.join(home, 'conf', 'wrapper.conf'), 0o600);
  writeFileSync(path.join(home, 'conf', 'wrapper-license.conf'), 'wrapper.license.type=DEV\r\n');
  writeFileSync(
    path.join(home, 'xml-data', 'build-dir', 'PROJ-PLAN-JOB1', 'conf', 'wrapper.conf'),
    CONF.replace('bamboo.example.com', 'checked-out.example.com'),
  );
  return home;
}

describe('rotating the token of an existing Bamboo agent', () => {
  it('resolves an agent home to conf/wrapper.conf, writes the token with a backup, keeps CRLF and the mode, touches nothing else', async () => {
    const home = agentHome('home-a');
    const conf = path.join(home, 'conf', 'wrapper.conf');
    const planned = await planRotation({ platform: 'bamboo-remote', paths: [home], token: `  "${TOKEN}"\n` }, 'plan-1');
    if (!planned.ok) throw new Error(planned.error.message);
    const { plan } = planned.value;
    expect(plan.ready).toBe(true);
    expect(plan.files.map((f) => [f.path, f.status])).toEqual([[conf, 'change']]);
    expect(plan.files[0]!.notes[0]).toContain('Server URL found: https://bamboo.example.com/agentServer/');
    expect(plan.files[0]!.diff).toContain('+wrapper.app.parameter.3=«new token»');
    expect(JSON.stringify(plan)).not.toContain(TOKEN);
    expect(plan.commands.map((c) => c.command)).toContain('/var/atlassian/bamboo-agent/bin/bamboo-agent.sh restart');
    expect(plan.revoke.join(' ')).toMatch(/one security token per server/);

    const applied = await applyRotation(planned.value);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(readFileSync(conf, 'utf8')).toBe(CONF.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${TOKEN}\r\n`));
    expect(statSync(conf).mode & 0o777).toBe(0o600);
    const backups = readdirSync(path.join(home, 'conf')).filter((n) => n.startsWith('wrapper.conf.bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(home, 'conf', backups[0]!), 'utf8')).toBe(CONF);
    expect(readFileSync(path.join(home, 'xml-data', 'build-dir', 'PROJ-PLAN-JOB1', 'conf', 'wrapper.conf'), 'utf8')).not.toContain(TOKEN);

    const again = await planRotation({ platform: 'bamboo-remote', paths: [home], token: TOKEN }, 'plan-2');
    expect(again.ok && again.value.plan.files.map((f) => f.status)).toEqual(['same']);
    expect(again.ok && again.value.plan.ready).toBe(false);
  });

  it('replaces a stale token given the wrapper.conf itself, masking both values in the diff', async () => {
    const home = agentHome('home-b', CONF.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${OLD}\r\n`));
    const planned = await planRotation({ platform: 'bamboo-remote', paths: [path.join(home, 'conf', 'wrapper.conf')], token: TOKEN }, 'plan-3');
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.plan.files[0]!.diff).toContain('-wrapper.app.parameter.3=«old token»');
    expect(JSON.stringify(planned.value.plan)).not.toContain(OLD);
  });

  it('refuses a token that is not 40 hex characters before reading anything', async () => {
    const planned = await planRotation({ platform: 'bamboo-remote', paths: [agentHome('home-c')], token: 'not-a-token' }, 'plan-4');
    expect(planned.ok ? 'planned' : planned.error.code).toBe('TOKEN_INVALID');
  });

  it('marks a file that is not a Bamboo agent wrapper.conf as unknown, so nothing is written', async () => {
    const other = path.join(root, 'other.conf');
    writeFileSync(other, 'wrapper.app.parameter.1=org.apache.catalina.startup.Bootstrap\n');
    const planned = await planRotation({ platform: 'bamboo-remote', paths: [other], token: TOKEN }, 'plan-5');
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.plan.files.map((f) => f.status)).toEqual(['unknown']);
    expect(planned.value.plan.ready).toBe(false);
  });
});

describe('reading an agent wrapper.conf (bamboo:readWrapper)', () => {
  it('finds it from the agent home, its conf folder or the file, and shows the server URL, never the token', async () => {
    const home = agentHome('home-d', CONF.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${OLD}\r\n`));
    const conf = path.join(home, 'conf', 'wrapper.conf');
    for (const given of [home, path.join(home, 'conf'), conf]) expect(await resolveWrapperConf(given)).toEqual({ ok: true, value: conf });
    const info = await readWrapperInfo(home);
    expect(info.ok && info.value).toMatchObject({
      path: conf,
      serverUrl: 'https://bamboo.example.com/agentServer/',
      serverUrlParameter: 2,
      token: { state: 'present', parameter: 3 },
      agentHome: '/var/atlassian/bamboo-agent',
      lineEnding: 'crlf',
    });
    expect(JSON.stringify(info)).not.toContain(OLD);
  });

  it('says what is wrong: a folder that is not an agent home, a missing path, a file that is not a wrapper.conf', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const r1 = await readWrapperInfo(empty);
    expect(r1.ok ? 'ok' : [r1.error.code, r1.error.message]).toEqual(['NOT_FOUND', `${empty} has no conf/wrapper.conf: it is not a Bamboo agent home.`]);
    const r2 = await readWrapperInfo(path.join(root, 'nope'));
    expect(r2.ok ? 'ok' : r2.error.code).toBe('NOT_FOUND');
    const notConf = path.join(root, 'notes.txt');
    writeFileSync(notConf, 'hello');
    const r3 = await readWrapperInfo(notConf);
    expect(r3.ok ? 'ok' : r3.error.code).toBe('UNKNOWN_FORMAT');
    expect(existsSync(notConf)).toBe(true);
  });
});
