import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editYaml, getPair, getScalar, parseYaml, toYaml, yamlInlineScalar } from '../../../../shared/edit/yaml';
import { HOSTILE_TOKENS, putBack, yamllint } from '../../../support/rotation';

function setKey(text: string, key: string, value: string) {
  const docs = parseYaml(text);
  if (!docs.ok) throw new Error(docs.error.message);
  const node = getScalar(docs.value[0]!.contents, key)!;
  return editYaml(text, docs.value, [{ node, value, what: key }]);
}

describe('editYaml', () => {
  it('changes only the scalar, keeping comments, order, indentation and CRLF', () => {
    const text = '# head\r\nb: 1   # keep\r\ntoken: "old"  # the token\r\na:\r\n    - x\r\n';
    const r = setKey(text, 'token', 'NEW');
    expect(r.ok && r.value.text).toBe('# head\r\nb: 1   # keep\r\ntoken: "NEW"  # the token\r\na:\r\n    - x\r\n');
    if (r.ok) expect(putBack(text, r.value.text, r.value.changes)).toBe(text);
  });

  it.each([
    ['plain', 'token: old\n', 'token: NEW\n'],
    ['double-quoted', 'token: "old"\n', 'token: "NEW"\n'],
    ['single-quoted', "token: 'old'\n", "token: 'NEW'\n"],
    ['block literal', 'token: |\n  old\nnext: 1\n', 'token: |-\n  NEW\nnext: 1\n'],
  ])('keeps the %s style when the value fits it', (_style, text, expected) => {
    const r = setKey(text, 'token', 'NEW');
    expect(r.ok && r.value.text).toBe(expected);
  });

  it('falls back to double quotes when a plain scalar cannot hold the value', () => {
    const r = setKey('token: old # c\n', 'token', 'a #b: c');
    expect(r.ok && r.value.text).toBe('token: "a #b: c" # c\n');
  });

  it.each(HOSTILE_TOKENS)('round-trips a hostile value %#: the file parses to exactly it and nothing else changes', (value) => {
    for (const text of [
      'k: 1\ntoken: old\nz: [1, 2]\n',
      "k: 1\ntoken: 'old'\nz: 2\n",
      'k: 1\r\ntoken: "old"\r\nz: 2\r\n',
      'list:\n  - name: T\n    value: old\n',
    ]) {
      const docs = parseYaml(text);
      if (!docs.ok) throw new Error('fixture');
      const root = docs.value[0]!.contents;
      const node = getScalar(root, 'token') ?? getScalar((getPair(root, 'list')!.value as { items: unknown[] }).items[0], 'value')!;
      const r = editYaml(text, docs.value, [{ node, value, what: 'token' }]);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const before = parse(text) as Record<string, unknown>;
      const after = parse(r.value.text) as Record<string, unknown>;
      if ('token' in before) expect(after).toEqual({ ...before, token: value });
      else expect(after).toEqual({ list: [{ name: 'T', value }] });
      expect(putBack(text, r.value.text, r.value.changes)).toBe(text);
    }
  });

  it('removes a whole key line and renames a key, proving the result', () => {
    const text = 'accountId: a\naccountSecret: old # legacy\ndelegateToken: x\nmanagerUrl: u\n';
    const docs = parseYaml(text);
    if (!docs.ok) throw new Error('fixture');
    const root = docs.value[0]!.contents;
    const r = editYaml(
      text,
      docs.value,
      [{ node: getScalar(root, 'delegateToken')!, value: 'NEW', what: 'delegateToken' }],
      [{ pair: getPair(root, 'accountSecret')!, what: 'old line' }],
    );
    expect(r.ok && r.value.text).toBe('accountId: a\ndelegateToken: NEW\nmanagerUrl: u\n');
  });

  it('refuses broken YAML with the line, changing nothing', () => {
    const r = parseYaml('a: 1\nb: [unclosed\nc: 3\n', 'values.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/values\.yaml is not valid YAML \(line \d\)/) });
    expect(parseYaml('a: 1\na: 2\n').ok).toBe(false);
  });

  it('is a no-op when the scalar already holds the value', () => {
    const r = setKey('token: "same"\n', 'token', 'same');
    expect(r.ok && r.value).toEqual({ text: 'token: "same"\n', changes: [] });
  });
});

describe('yaml output', () => {
  it.each(HOSTILE_TOKENS)('writes any one-line value so it reads back exactly (%#)', (value) => {
    expect(parse(`k: ${yamlInlineScalar(value)}\n`)).toEqual({ k: value });
    const text = toYaml([{ a: value, list: [{ name: 'X', value }] }, { b: value }], 'comment\nline two');
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual([{ a: value, list: [{ name: 'X', value }] }, { b: value }]);
    expect(yamllint(text)).toBe('');
  });

  it('never folds a long value across lines', () => {
    const long = 'A'.repeat(3000);
    expect(toYaml([{ t: long }]).split('\n')[0]).toBe(`t: ${long}`);
  });
});
