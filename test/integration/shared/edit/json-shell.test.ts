import { describe, expect, it } from 'vitest';
import { editJson, member, parseJsonLocated, type JsonNode } from '../../../../shared/edit/json';
import { readShellWord, renderShellWordLike, shellDoubleQuoted, shellQuote, shellWords } from '../../../../shared/edit/shell';
import { bash, HOSTILE_TOKENS, putBack } from '../../../support/rotation';

function tokenNode(root: JsonNode): Extract<JsonNode, { kind: 'string' }> {
  const env = member((member(root, 'containerDefinitions') as { items: JsonNode[] }).items[0], 'environment') as { items: JsonNode[] };
  return member(env.items.find((e) => (member(e, 'name') as { value: string }).value === 'DELEGATE_TOKEN'), 'value') as Extract<JsonNode, { kind: 'string' }>;
}

describe('located JSON', () => {
  const tabbed = '{\r\n\t"family": "f",\r\n\t"containerDefinitions": [{\r\n\t\t"environment": [\r\n\t\t\t{"name": "X", "value": "\\u0041\\/b"},\r\n\t\t\t{"name": "DELEGATE_TOKEN", "value": "old"}\r\n\t\t]\r\n\t}]\r\n}\r\n';

  it('replaces one string and nothing else: tabs, CRLF, escapes elsewhere and key order stay', () => {
    const root = parseJsonLocated(tabbed);
    if (!root.ok) throw new Error(root.error.message);
    const r = editJson(tabbed, root.value, [{ node: tokenNode(root.value), value: 'NEW', what: 't' }]);
    expect(r.ok && r.value.text).toBe(tabbed.replace('"old"', '"NEW"'));
    if (r.ok) expect(putBack(tabbed, r.value.text, r.value.changes)).toBe(tabbed);
  });

  it.each(HOSTILE_TOKENS.concat(['\u2028line sep', 'emoji 🧪 "x"']))('round-trips %#', (value) => {
    const root = parseJsonLocated(tabbed);
    if (!root.ok) throw new Error('fixture');
    const r = editJson(tabbed, root.value, [{ node: tokenNode(root.value), value, what: 't' }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const parsed = JSON.parse(r.value.text) as { containerDefinitions: { environment: { name: string; value: string }[] }[] };
    expect(parsed.containerDefinitions[0]!.environment[1]!.value).toBe(value);
    expect(parsed.containerDefinitions[0]!.environment[0]!.value).toBe('A/b');
  });

  it.each(['{"a": 1,}', '{"a": "unterminated}', '[1 2]', '{"a": 01}', '{"a": "raw\ttab"}', '{} extra'])('refuses malformed JSON %j with its line', (text) => {
    const r = parseJsonLocated(text, 'task.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^task\.json is not valid JSON \(line 1\)/);
  });

  it('matches JSON.parse on duplicate keys (the last one counts)', () => {
    const root = parseJsonLocated('{"a": "1", "a": "2"}');
    expect(root.ok && (member(root.value, 'a') as { value: string }).value).toBe('2');
  });
});

describe('shell words', () => {
  it('quotes any value so bash reads it back exactly', () => {
    const values = [...HOSTILE_TOKENS, '', 'plain', 'a b', "'", '!bang', '*glob?', '~tilde'];
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)} ${shellDoubleQuoted(v)}`).join('\n');
    expect(bash(script).split('\0').slice(0, -1)).toEqual(values.flatMap((v) => [v, v]));
  });

  it('reads the words of a script as bash does, marking expansions as not literal', () => {
    const script = `docker run -d \\\n  -e "A=x y" -e B='q"r' -e C=a\\ b -e D="$HOME" -e E=$(id) # -e F=comment\ncat <<EOF\n-e G=heredoc\nEOF\necho done`;
    const words = shellWords(script);
    expect(words.map((w) => w.value)).toEqual(['docker', 'run', '-d', '-e', 'A=x y', '-e', `B=q"r`, '-e', 'C=a b', '-e', 'D=$HOME', '-e', 'E=$(id)', 'cat', 'echo', 'done']);
    expect(words.filter((w) => !w.literal).map((w) => w.value)).toEqual(['D=$HOME', 'E=$(id)']);
  });

  it('agrees with bash on every literal word of a hand-written command line', () => {
    const line = `set -- -e "A=x y" -e B='q"r' -e C=a\\ b -e "D=\\$\\"q\\"" -e 'E='"mixed"'q' --name=x\\#y #comment`;
    const words = shellWords(line).slice(2);
    expect(words.every((w) => w.literal)).toBe(true);
    expect(bash(`${line}\nprintf '%s\\0' "$@"`).split('\0').slice(0, -1)).toEqual(words.map((w) => w.value));
  });

  it.each(HOSTILE_TOKENS)('renders a replacement word in the old word\'s style when it can (%#)', (value) => {
    for (const raw of ['DELEGATE_TOKEN=old', 'DELEGATE_TOKEN="old"', "DELEGATE_TOKEN='old'", '"DELEGATE_TOKEN=old"', "'DELEGATE_TOKEN=old'"]) {
      const out = renderShellWordLike(raw, 'DELEGATE_TOKEN=', value);
      expect(out).toBeDefined();
      const w = readShellWord(out!, 0);
      expect(w).toMatchObject({ literal: true, end: out!.length, value: `DELEGATE_TOKEN=${value}` });
      expect(bash(`printf '%s' ${out}`)).toBe(`DELEGATE_TOKEN=${value}`);
    }
    expect(renderShellWordLike('DELEGATE_TOKEN="old"', 'DELEGATE_TOKEN=', 'simple')).toBe('DELEGATE_TOKEN="simple"');
    expect(renderShellWordLike("'DELEGATE_TOKEN=old'", 'DELEGATE_TOKEN=', 'simple')).toBe("'DELEGATE_TOKEN=simple'");
  });
});
