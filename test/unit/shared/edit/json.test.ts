import { describe, expect, it } from 'vitest';
import { editJson, member, parseJsonLocated, type JsonNode } from '../../../../shared/edit/json';
import { HOSTILE_TOKENS, putBack } from '../../../support/rotation';

function tokenNode(root: JsonNode): Extract<JsonNode, { kind: 'string' }> {
  const env = member((member(root, 'containerDefinitions') as { items: JsonNode[] }).items[0], 'environment') as { items: JsonNode[] };
  return member(
    env.items.find((e) => (member(e, 'name') as { value: string }).value === 'DELEGATE_TOKEN'),
    'value',
  ) as Extract<JsonNode, { kind: 'string' }>;
}

describe('located JSON', () => {
  const tabbed =
    '{\r\n\t"family": "f",\r\n\t"containerDefinitions": [{\r\n\t\t"environment": [\r\n\t\t\t{"name": "X", "value": "\\u0041\\/b"},\r\n\t\t\t{"name": "DELEGATE_TOKEN", "value": "old"}\r\n\t\t]\r\n\t}]\r\n}\r\n';

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
