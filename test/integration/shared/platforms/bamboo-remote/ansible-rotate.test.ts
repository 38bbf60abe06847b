/**
 * rotate.yml of the Bamboo fleet role finds the security token's app parameter with an awk
 * program on each host and rewrites it with ansible.builtin.replace (Python `re`, MULTILINE). Both
 * run here for real (awk as the host's sh runs it, python3's re as the replace module calls it)
 * over the real wrapper.conf templates and the layouts the wizard's reader understands, and must
 * agree with the wizard: the same parameter as readWrapperConf, the same bytes as setSecurityToken,
 * and a refusal (nothing written) wherever the wizard refuses or would have to add a line.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bambooRemoteShell, LOCATE_AWK } from '../../../../../shared/platforms/bamboo-remote/ansible';
import { readWrapperConf, setSecurityToken } from '../../../../../shared/platforms/bamboo-remote/wrapper-conf';
import { availableBambooTemplates, renderedFixture } from '../../../../support/bamboo-fixtures';

const OLD = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const NEW = '0123456789ABCDEF0123456789abcdef01234567';

const BASE = [
  '#encoding=UTF-8',
  'wrapper.java.command=java',
  'wrapper.java.additional.1=-Dbamboo.home=/opt/bamboo-agent-home',
  '# Application parameters',
  'wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap',
  'wrapper.app.parameter.2=http://bamboo.internal:8085/agentServer/',
  `wrapper.app.parameter.3=${OLD}`,
  'wrapper.java.maxmemory=512',
  '',
].join('\n');

/** Runs the role's awk program on `text` as the host does: the parameter number, or the failure. */
function locate(text: string): { at?: number; error?: string } {
  const r = spawnSync('awk', [LOCATE_AWK], { input: text, encoding: 'utf8' });
  return r.status === 0 ? { at: Number(r.stdout.trim()) } : { error: r.stderr.trim() };
}

/** The replace module's substitution (re.subn with MULTILINE) with rotate's regexp and line. */
function replaceModule(text: string, at: number, token: string): string {
  const rotate = bambooRemoteShell.rotate!;
  const regexp = rotate.regexp.replace('{{ agent_rotate_at }}', String(at));
  const repl = rotate.line.replace('{{ agent_new_token }}', token);
  const py =
    'import re,sys\nd=sys.stdin.buffer.read().decode()\nsys.stdout.buffer.write(re.subn(re.compile(sys.argv[1], re.MULTILINE), sys.argv[2], d)[0].encode())';
  const r = spawnSync('python3', ['-c', py, regexp, repl], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const layouts: Record<string, string> = {
  'the installer layout (URL at 2, token at 3)': BASE,
  'CR LF line endings': BASE.replace(/\n/g, '\r\n'),
  'the flag form (-t after the URL, the token after it)': BASE.replace(`parameter.3=${OLD}`, `parameter.3=-t\nwrapper.app.parameter.4=${OLD}`),
  'numbers the file chose (URL at 7, token at 8), keys in capitals, blanks around =': BASE.replace('parameter.2=', 'parameter.7=').replace(
    `wrapper.app.parameter.3=${OLD}`,
    `  WRAPPER.APP.PARAMETER.8 =  ${OLD}  `,
  ),
  'the token defined twice (the last wins; both change)': `${BASE}wrapper.app.parameter.3=${OLD.replace(/f/g, 'e')}\n`,
  'an empty token value': BASE.replace(`parameter.3=${OLD}`, 'parameter.3='),
  'a commented-out URL before the real one': BASE.replace('# Application parameters', '# wrapper.app.parameter.9=http://old.example/agentServer/'),
};

describe('Bamboo fleet rotate: the token parameter read from wrapper.conf, as the wizard finds it', () => {
  for (const [name, text] of Object.entries(layouts))
    it(`${name}: awk finds the wizard's parameter, and replace writes the wizard's bytes`, () => {
      const info = readWrapperConf(text);
      if (!info.ok) throw new Error(info.error.message);
      const found = locate(text);
      expect(found).toEqual({ at: info.value.token.parameter });
      const wizard = setSecurityToken(text, NEW);
      if (!wizard.ok) throw new Error(wizard.error.message);
      expect(replaceModule(text, found.at!, NEW)).toBe(wizard.value.text);
      // A second run changes nothing.
      expect(replaceModule(wizard.value.text, found.at!, NEW)).toBe(wizard.value.text);
    });

  const refused: Record<string, [string, RegExp]> = {
    'no server URL': [BASE.replace('/agentServer/', '/somewhere/'), /no server URL/],
    'two server URLs': [`${BASE}wrapper.app.parameter.5=https://other.example/agentServer\n`, /2 server URLs/],
    'no token line (the wizard would add it; rotate does not guess)': [BASE.replace(`wrapper.app.parameter.3=${OLD}\n`, ''), /no wrapper\.app\.parameter\.3/],
    'a value that is not a token after the URL': [BASE.replace(`parameter.3=${OLD}`, 'parameter.3=/etc/passwd'), /not a security token/],
  };
  for (const [name, [text, message]] of Object.entries(refused))
    it(`refuses ${name}, printing no value`, () => {
      const found = locate(text);
      expect(found.at).toBeUndefined();
      expect(found.error).toMatch(message);
      expect(found.error).not.toContain(OLD);
    });

  it('agrees with the wizard on the real wrapper.conf templates (Atlassian image, a fork)', (ctx) => {
    const templates = availableBambooTemplates();
    if (templates.length === 0) return ctx.skip('../shared/fixtures/real-world/bamboo is absent');
    for (const t of templates) {
      const text = renderedFixture(t, { security_token: OLD });
      const info = readWrapperConf(text);
      if (!info.ok) throw new Error(`${t}: ${info.error.message}`);
      const found = locate(text);
      expect(found, t).toEqual({ at: info.value.token.parameter });
      const wizard = setSecurityToken(text, NEW);
      if (!wizard.ok) throw new Error(wizard.error.message);
      expect(replaceModule(text, found.at!, NEW), t).toBe(wizard.value.text);
    }
  });
});
