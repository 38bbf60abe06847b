import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { editToml, findTomlEntry, locateToml, parseToml, tomlLiteralString, tomlStringLike } from '../../../../shared/edit/toml';
import { quoteToml } from '../../../../shared/escape';

const tomlBasicString = (v: string): string => {
  const q = quoteToml(v);
  if (!q.ok) throw new Error(q.error.message);
  return q.value;
};

const TRICKY = [
  '# top comment',
  'concurrent = 4 # trailing comment',
  'check_interval = 3',
  '',
  '[session_server]',
  '  session_timeout = 1800',
  '',
  '[[runners]]',
  '  name = "first" # keep me',
  '  url = "https://gitlab.example.com"',
  "  token = 'glrt-first_literal_token1'",
  '  token_obtained_at = 2024-01-02T03:04:05Z',
  '  token_expires_at = 0001-01-01T00:00:00Z',
  '  executor = "docker"',
  '  environment = [',
  '    "A=1", # comment in an array',
  '    "B=]",',
  '  ]',
  '  pre_build_script = """',
  'echo "token = nope"',
  '[not.a.table]',
  '"""',
  '  [runners.docker]',
  '    image = "alpine:3"',
  '    volumes = ["/cache", { inline = "x" }]',
  '  [runners.custom_build_dir]',
  "  labels = { token = \"inline-token\", 'quoted.key' = 'v' }",
  '',
  '[[runners]]',
  '  name = "second"',
  '  url = "https://gitlab.example.com"',
  '  token = "glrt-second-token-xxxxxxxx"',
  "  description = '''",
  "multi 'line' literal",
  "'''",
  '  executor = "shell"',
  '',
].join('\n');

describe('TOML locating', () => {
  it('finds values in arrays of tables, sub-tables and inline tables, skipping multi-line strings', () => {
    const layout = locateToml(TRICKY);
    expect(layout.ok).toBe(true);
    if (!layout.ok) return;
    const at = (path: (string | number)[]): string | undefined => {
      const e = findTomlEntry(layout.value, path);
      return e && TRICKY.slice(e.value[0], e.value[1]);
    };
    expect(at(['concurrent'])).toBe('4');
    expect(at(['runners', 0, 'token'])).toBe("'glrt-first_literal_token1'");
    expect(at(['runners', 1, 'token'])).toBe('"glrt-second-token-xxxxxxxx"');
    expect(at(['runners', 0, 'docker', 'image'])).toBe('"alpine:3"');
    expect(at(['runners', 0, 'docker', 'volumes', 1, 'inline'])).toBe('"x"');
    expect(at(['runners', 0, 'custom_build_dir', 'labels', 'token'])).toBe('"inline-token"');
    expect(at(['runners', 0, 'custom_build_dir', 'labels', 'quoted.key'])).toBe("'v'");
    expect(at(['runners', 0, 'token_expires_at'])).toBe('0001-01-01T00:00:00Z');
    // The header-looking line inside the multi-line string is no table.
    expect(layout.value.tables.map((t) => JSON.stringify(t.path))).not.toContain('["not","a","table"]');
  });

  it('refuses text that is not TOML with the line, changing nothing', () => {
    const r = locateToml('a = "unterminated\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/line 1/) });
  });
});

describe('TOML in-place edits', () => {
  it('changes only the edited value: every other byte (comments, quoting, other runners) stays', () => {
    const r = editToml(TRICKY, [{ path: ['runners', 1, 'token'], toml: tomlBasicString('glrt-NEW'), expect: 'glrt-NEW' }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toBe(TRICKY.replace('"glrt-second-token-xxxxxxxx"', '"glrt-NEW"'));
    expect((parse(r.value.text) as { runners: { token: string }[] }).runners.map((x) => x.token)).toEqual(['glrt-first_literal_token1', 'glrt-NEW']);
  });

  it('keeps CRLF line endings and multi-line strings byte for byte', () => {
    const crlf = TRICKY.replace(/\n/g, '\r\n');
    const r = editToml(crlf, [
      { path: ['runners', 0, 'token'], toml: tomlLiteralString('glrt-crlf')!, expect: 'glrt-crlf' },
      { path: ['runners', 0, 'token_expires_at'], toml: '2030-01-01T00:00:00Z', expect: '2030-01-01T00:00:00.000Z' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toBe(crlf.replace("'glrt-first_literal_token1'", "'glrt-crlf'").replace('0001-01-01T00:00:00Z', '2030-01-01T00:00:00Z'));
    expect(r.value.text.split('\r\n').length).toBe(crlf.split('\r\n').length);
  });

  it('edits a value inside an inline table and keeps the table inline', () => {
    const r = editToml(TRICKY, [
      { path: ['runners', 0, 'custom_build_dir', 'labels', 'token'], toml: tomlBasicString('new "quoted" \\ value'), expect: 'new "quoted" \\ value' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toContain(`labels = { token = "new \\"quoted\\" \\\\ value", 'quoted.key' = 'v' }`);
  });

  it('a value whose TOML would change the structure is refused, and nothing changes', () => {
    const r = editToml(TRICKY, [{ path: ['runners', 0, 'name'], toml: '"x"\nconcurrent = 99', expect: 'x' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNSAFE_VALUE');
  });

  it('keeps a literal string literal when the new value allows it, else writes an escaped basic string', () => {
    const layout = locateToml(TRICKY);
    if (!layout.ok) throw new Error(layout.error.message);
    const literal = findTomlEntry(layout.value, ['runners', 0, 'token']);
    expect(tomlStringLike(literal, 'glrt-x')).toEqual({ ok: true, value: "'glrt-x'" });
    expect(tomlStringLike(literal, `it's"`)).toEqual({ ok: true, value: `"it's\\""` });
    expect(tomlStringLike(literal, 'line\nbreak').ok).toBe(false);
    for (const v of ['plain', 'a"b', 'a\\b', 'é ü']) expect(parseToml(`k = ${tomlBasicString(v)}\n`)).toEqual({ ok: true, value: { k: v } });
    expect(tomlLiteralString("it's")).toBeUndefined();
  });

  it('a missing path is NOT_FOUND', () => {
    const r = editToml(TRICKY, [{ path: ['runners', 2, 'token'], toml: '"x"', expect: 'x' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('NOT_FOUND');
  });
});
