import { describe, expect, it } from 'vitest';
import { readWrapperConf, setSecurityToken } from '../../../../../shared/platforms/bamboo-remote/wrapper-conf';
import { wrapperConfUpdater } from '../../../../../shared/platforms/bamboo-remote/updater';
import type { Change } from '../../../../../shared/platforms/types';
import { availableBambooTemplates, renderedFixture } from '../../../../support/bamboo-fixtures';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const OTHER = '0123456789abcdef0123456789abcdef01234567';

// Laid out like reference/platforms.md §2 (our own sample, not a copy of a fixture).
const CONF = [
  '#encoding=UTF-8',
  '#include ../conf/wrapper-license.conf',
  '',
  '# Java',
  'wrapper.java.command=java',
  'wrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp',
  'wrapper.java.classpath.1=../lib/wrapper.jar',
  'wrapper.java.additional.1=-Dbamboo.home=/srv/bamboo agent',
  '',
  '# Application parameters',
  'wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap',
  'wrapper.app.parameter.2=http://bamboo.internal:8085/agentServer/',
  '',
  '# memory',
  'wrapper.java.maxmemory=512',
  'wrapper.name=bamboo-remote-agent',
  '',
].join('\n');

function tokenLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^\s*wrapper\.app\.parameter\.3\s*=/.test(l));
}

function mustSet(text: string, token = TOKEN): { text: string; changes: Change[] } {
  const r = setSecurityToken(text, token);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Bamboo wrapper.conf: reading', () => {
  it('finds the server URL, its parameter, the agent home and where the token goes', () => {
    const r = readWrapperConf(CONF);
    expect(r.ok && r.value).toEqual({
      serverUrl: 'http://bamboo.internal:8085/agentServer/',
      serverUrlParameter: 2,
      serverUrlLine: 12,
      token: { form: 'bare', parameter: 3, state: 'missing' },
      agentHome: '/srv/bamboo agent',
      lineEnding: 'lf',
    });
  });

  it('never reveals the current token, only a masked form', () => {
    const r = readWrapperConf(mustSet(CONF).text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.token).toMatchObject({ state: 'present', parameter: 3, line: 13, masked: 'f3de••••••••••••••••••••••••••••••••••f9' });
    expect(JSON.stringify(r.value)).not.toContain(TOKEN);
  });

  it('finds the URL from the file when it is not parameter 2', () => {
    const conf = CONF.replace('wrapper.app.parameter.2=http', 'wrapper.app.parameter.2=-Dx=1\nwrapper.app.parameter.3=-Dy=2\nwrapper.app.parameter.4=http');
    const r = readWrapperConf(conf);
    expect(r.ok && [r.value.serverUrlParameter, r.value.token.parameter]).toEqual([4, 5]);
    const out = mustSet(conf).text;
    expect(out).toContain(`wrapper.app.parameter.4=http://bamboo.internal:8085/agentServer/\nwrapper.app.parameter.5=${TOKEN}\n`);
  });

  it('reports the line ending it will keep', () => {
    const r = readWrapperConf(CONF.replace(/\n/g, '\r\n'));
    expect(r.ok && r.value.lineEnding).toBe('crlf');
  });
});

describe('Bamboo wrapper.conf: writing the token', () => {
  it('adds the token line right after the server URL and changes nothing else', () => {
    const { text, changes } = mustSet(CONF);
    const expected = CONF.replace('/agentServer/\n', `/agentServer/\nwrapper.app.parameter.3=${TOKEN}\n`);
    expect(text).toBe(expected);
    expect(changes).toMatchObject([{ line: 13, what: 'wrapper.app.parameter.3: security token added after the server URL (wrapper.app.parameter.2)' }]);
    const insertedAt = CONF.indexOf('/agentServer/\n') + '/agentServer/\n'.length;
    expect(changes[0]?.oldRange).toEqual([insertedAt, insertedAt]);
    expect(text.slice(...changes[0]!.newRange!)).toBe(TOKEN);
  });

  it('replaces a present token in place', () => {
    const once = mustSet(CONF, OTHER).text;
    const { text, changes } = mustSet(once);
    expect(text).toBe(once.replace(OTHER, TOKEN));
    expect(changes).toMatchObject([{ line: 13, what: 'wrapper.app.parameter.3: security token replaced' }]);
    expect(once.slice(...changes[0]!.oldRange!)).toBe(OTHER);
    expect(text.slice(...changes[0]!.newRange!)).toBe(TOKEN);
  });

  it('fills an empty token line (token verification was off)', () => {
    const conf = CONF.replace('/agentServer/\n', '/agentServer/\nwrapper.app.parameter.3=\n');
    expect(mustSet(conf).text).toBe(conf.replace('wrapper.app.parameter.3=\n', `wrapper.app.parameter.3=${TOKEN}\n`));
  });

  it('leaves exactly one token line when run twice, and the second run changes nothing', () => {
    const once = mustSet(CONF);
    const twice = mustSet(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.changes).toEqual([]);
    expect(tokenLines(twice.text)).toEqual([`wrapper.app.parameter.3=${TOKEN}`]);
  });

  it('keeps CRLF line endings, including on the line it adds', () => {
    const crlf = CONF.replace(/\n/g, '\r\n');
    const out = mustSet(crlf).text;
    expect(out).toBe(crlf.replace('/agentServer/\r\n', `/agentServer/\r\nwrapper.app.parameter.3=${TOKEN}\r\n`));
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps a missing final newline when the URL is the last line', () => {
    const conf =
      'wrapper.java.command=java\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://b.example.com/agentServer/';
    expect(mustSet(conf).text).toBe(`${conf}\nwrapper.app.parameter.3=${TOKEN}`);
  });

  it('keeps a byte-order mark, spacing around "=" and indentation', () => {
    const conf =
      '\uFEFF# conf\n  wrapper.app.parameter.1 = com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\n  wrapper.app.parameter.2 = https://b.example.com/agentServer/  \n';
    expect(mustSet(conf).text).toBe(
      `\uFEFF# conf\n  wrapper.app.parameter.1 = com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\n  wrapper.app.parameter.2 = https://b.example.com/agentServer/  \n  wrapper.app.parameter.3 = ${TOKEN}\n`,
    );
  });

  it('understands the flag form: -t after the URL, the token after -t', () => {
    const flag = CONF.replace('/agentServer/\n', '/agentServer/\nwrapper.app.parameter.3=-t\n');
    const added = mustSet(flag).text;
    expect(added).toBe(flag.replace('parameter.3=-t\n', `parameter.3=-t\nwrapper.app.parameter.4=${TOKEN}\n`));
    const replaced = mustSet(added.replace(TOKEN, OTHER)).text;
    expect(replaced).toBe(added);
    const info = readWrapperConf(added);
    expect(info.ok && info.value.token).toMatchObject({ form: 'flag', parameter: 4, state: 'present' });
  });

  it('replaces every definition of the token parameter, so an older duplicate cannot win', () => {
    const dup = CONF.replace('/agentServer/\n', `/agentServer/\nwrapper.app.parameter.3=${OTHER}\n`).replace(
      'wrapper.name=',
      `wrapper.app.parameter.3=${OTHER}\nwrapper.name=`,
    );
    const out = mustSet(dup).text;
    expect(out).not.toContain(OTHER);
    expect(tokenLines(out)).toHaveLength(2);
    expect(out).toBe(dup.replaceAll(OTHER, TOKEN));
  });

  it('refuses a token that is not 40 hex characters, including hostile ones', () => {
    for (const bad of [
      'abc',
      `${TOKEN}0`,
      `${TOKEN.slice(0, 39)}\n`,
      `${TOKEN.slice(0, 38)}'"`,
      '$(reboot)' + 'a'.repeat(31),
      `${TOKEN.slice(0, 39)}%`,
      `${TOKEN.slice(0, 20)}\nwrapper.x=${TOKEN.slice(0, 9)}`,
    ]) {
      const r = setSecurityToken(CONF, bad);
      expect(r.ok ? 'written' : r.error.code).toBe('TOKEN_INVALID');
    }
  });

  it('refuses to overwrite a parameter after the URL that is not a token', () => {
    const conf = CONF.replace('/agentServer/\n', '/agentServer/\nwrapper.app.parameter.3=/etc/agent.properties\n');
    const r = setSecurityToken(conf, TOKEN);
    expect(r.ok ? 'written' : r.error.code).toBe('UNKNOWN_FORMAT');
  });
});

describe('Bamboo wrapper.conf: other files are refused', () => {
  const notBamboo: [string, string][] = [
    ['a Buildkite config', 'token="xxx"\nname="%hostname-%spawn"\ntags="queue=default"\n'],
    [
      'another Tanuki app',
      'wrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp\nwrapper.app.parameter.1=org.apache.catalina.startup.Bootstrap\nwrapper.app.parameter.2=start\n',
    ],
    ['a TeamCity agent', 'serverUrl=http\\://teamcity\\:8111\nname=agent1\n'],
    ['an empty file', ''],
    ['a binary file', 'wrapper.app.parameter.2=https://b.example.com/agentServer/\u0000\u0001'],
  ];
  it.each(notBamboo)('refuses %s with UNKNOWN_FORMAT and detect() says no', (_name, text) => {
    const r = setSecurityToken(text, TOKEN);
    expect(r.ok ? 'written' : r.error.code).toBe('UNKNOWN_FORMAT');
    expect(wrapperConfUpdater.detect('wrapper.conf', text)).toBe(false);
  });

  it('says a Bamboo wrapper.conf without an /agentServer/ URL has no server URL (PARSE_ERROR)', () => {
    const r = setSecurityToken(CONF.replace('http://bamboo.internal:8085/agentServer/', ''), TOKEN);
    expect(r.ok ? 'written' : r.error.code).toBe('PARSE_ERROR');
  });

  it('refuses two different server URLs as ambiguous', () => {
    const r = setSecurityToken(CONF.replace('wrapper.name=', 'wrapper.app.parameter.7=https://other.example.com/agentServer/\nwrapper.name='), TOKEN);
    expect(r.ok ? 'written' : r.error.message).toMatch(/2 server URLs/);
  });

  it('detects only .conf files that are Bamboo agent configs', () => {
    expect(wrapperConfUpdater.detect('/opt/bamboo-agent-home/conf/wrapper.conf', CONF)).toBe(true);
    expect(wrapperConfUpdater.detect('C:\\bamboo-agent-home\\conf\\wrapper.conf', CONF)).toBe(true);
    expect(wrapperConfUpdater.detect('wrapper.conf.bak', CONF)).toBe(false);
  });

  it('updates through the Updater interface with the same result, naming the server URL it found', () => {
    const r = wrapperConfUpdater.rotate(CONF, TOKEN);
    expect(r.ok && r.value.text).toBe(mustSet(CONF).text);
    expect(r.ok && r.value.notes?.[0]).toContain('http://bamboo.internal:8085/agentServer/');
    expect(wrapperConfUpdater.commands.map((c) => c.command).join('\n')).toMatch(/bamboo-agent\.sh' restart/);
  });

  it('fills the restart commands with the agent home, quoted for the shell', () => {
    const posix = wrapperConfUpdater.commandsFor!(CONF, '/whatever/conf/wrapper.conf').map((c) => c.command);
    expect(posix).toContain("'/srv/bamboo agent/bin/bamboo-agent.sh' restart");
    const noHome = CONF.replace(/^wrapper\.java\.additional\.1=.*\n/m, '');
    const win = wrapperConfUpdater.commandsFor!(noHome, "C:\\Agents\\it's\\conf\\wrapper.conf").map((c) => c.command);
    expect(win).toContain("Get-Content -Tail 50 -Wait 'C:\\Agents\\it''s\\atlassian-bamboo-agent.log'");
    expect(win.join('\n')).not.toContain('bamboo-agent.sh');
  });
});

describe('Bamboo wrapper.conf: the real templates from Atlassian agent images', () => {
  const templates = availableBambooTemplates();
  if (templates.length === 0) {
    it('skips: ../shared/fixtures/real-world/bamboo is absent here', () => {
      console.warn('bamboo fixtures absent: skipping the real-template tests');
    });
    return;
  }

  it.each(templates)('%s: fills the empty token line and changes nothing else', (name) => {
    const conf = renderedFixture(name);
    const before = readWrapperConf(conf);
    expect(before.ok && before.value).toMatchObject({
      serverUrl: 'https://bamboo.example.com/agentServer/',
      serverUrlParameter: 2,
      token: { state: 'empty', parameter: 3 },
    });
    const { text } = mustSet(conf);
    expect(text).toBe(conf.replace('wrapper.app.parameter.3=\n', `wrapper.app.parameter.3=${TOKEN}\n`));
  });

  it.each(templates)('%s: replaces a stale token, CRLF kept, one token line after two runs', (name) => {
    const conf = renderedFixture(name, { security_token: OTHER }).replace(/\n/g, '\r\n');
    const twice = mustSet(mustSet(conf).text).text;
    expect(twice).toBe(conf.replace(OTHER, TOKEN));
    expect(tokenLines(twice)).toEqual([`wrapper.app.parameter.3=${TOKEN}`]);
  });

  it.each(templates)('%s: adds the line after the URL when the token line was deleted', (name) => {
    const conf = renderedFixture(name).replace('wrapper.app.parameter.3=\n', '');
    const { text } = mustSet(conf);
    expect(text).toBe(renderedFixture(name, { security_token: TOKEN }));
  });
});
