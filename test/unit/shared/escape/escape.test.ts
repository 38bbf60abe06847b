import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkText,
  quoteAll,
  quoteCmd,
  quoteProperties,
  quotePs1,
  quoteSh,
  quoteShWords,
  quoteSupervisord,
  quoteSystemd,
  quoteToml,
  quoteYaml,
  unsafeCharacter,
  withQuotes,
} from '../../../../shared/escape';
import type { Result } from '../../../../shared/result';
import { hostileString } from '../../../support/escape-arbitraries';
import {
  readCmdArg,
  readJavaPropertiesValue,
  readPs1SingleQuoted,
  readSystemdText,
  readSystemdWords,
  readWrapperConfValue,
} from '../../../support/escape-readers';

const RUNS = { numRuns: 2000 };

/**
 * The property every escaper keeps: what it writes reads back as the value, and it refuses only
 * for the policy's characters or the reason its format gives (`allowedRefusal`).
 */
function roundTrips(quote: (v: string) => Result<string>, read: (text: string) => string, allowedRefusal: (v: string) => boolean = () => false): void {
  fc.assert(
    fc.property(hostileString, (value) => {
      const q = quote(value);
      if (!q.ok) {
        expect(q.error.code).toBe('UNSAFE_VALUE');
        expect(unsafeCharacter(value) !== undefined || allowedRefusal(value)).toBe(true);
        return;
      }
      expect(unsafeCharacter(value)).toBeUndefined();
      expect(read(q.value)).toBe(value);
    }),
    RUNS,
  );
}

describe('the one character policy', () => {
  it('refuses the same characters in every format, naming them but never echoing the value', () => {
    const quoters: ((v: string) => Result<string>)[] = [
      quoteSh,
      quotePs1,
      quoteCmd,
      (v) => quoteSystemd(v, 'exec'),
      (v) => quoteSystemd(v, 'text'),
      quoteSupervisord,
      (v) => quoteSupervisord(v, 'environment'),
      quoteYaml,
      quoteProperties,
      (v) => quoteProperties(v, 'wrapper'),
      quoteToml,
    ];
    const bad: [string, RegExp][] = [
      ['tok\nen', /a line break \(U\+000A\)/],
      ['tok\ren', /a line break \(U\+000D\)/],
      ['tok\u2028en', /a line break \(U\+2028\)/],
      ['tok\u0085en', /a line break \(U\+0085\)/],
      ['tok\ten', /a tab \(U\+0009\)/],
      ['tok\u0000en', /a control character \(U\+0000\)/],
      ['tok\u007fen', /a control character \(U\+007F\)/],
      ['tok\u009ben', /a control character \(U\+009B\)/],
      ['tok\ud800en', /unpaired surrogate, U\+D800/],
      ['tok\ufffeen', /not text \(U\+FFFE\)/],
    ];
    for (const quote of quoters) {
      for (const [value, why] of bad) {
        const r = quote(value);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('UNSAFE_VALUE');
        expect(r.error.message).toMatch(why);
        expect(r.error.message).not.toContain('tok');
      }
    }
  });

  it('names the value by its label', () => {
    const r = checkText('a\nb', 'a TOML file', 'The runner token');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'UNSAFE_VALUE',
        message: 'The runner token cannot be written into a TOML file: it contains a line break (U+000A).',
        hint: expect.any(String) as unknown,
      },
    });
    expect(quoteToml('é🔑 ok')).toEqual({ ok: true, value: '"é🔑 ok"' });
  });

  it('quoteAll gives every value in order, or the first refusal', () => {
    expect(quoteAll([quoteSh('a b'), quoteSh('c')])).toEqual({ ok: true, value: ["'a b'", 'c'] });
    expect(quoteAll([quoteSh('a'), quoteSh('x\ny', 'The path'), quoteSh('z\n')])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^The path /) as unknown },
    });
    expect(quoteShWords(['docker', 'rm', '-f', "it's"])).toEqual({ ok: true, value: "docker rm -f 'it'\\''s'" });
  });
});

describe('writes what the consumer reads back (readers ported from the documented rules)', () => {
  it('PowerShell single-quoted strings, typographic quotes included', () => {
    expect(quotePs1('it’s')).toEqual({ ok: true, value: "'it’’s'" });
    roundTrips(quotePs1, readPs1SingleQuoted);
  });

  it('cmd.exe quoted arguments, for a program and for set', () => {
    expect(quoteCmd('a%b&c')).toEqual({ ok: true, value: '"a%%b&c"' });
    const refusal = (v: string): boolean => v.includes('"') || v.endsWith('\\');
    roundTrips(quoteCmd, (t) => readCmdArg(t), refusal);
    roundTrips(quoteCmd, (t) => readCmdArg(t, true), refusal);
  });

  it('systemd ExecStart= words, setting words and whole values', () => {
    expect(quoteSystemd('50%$', 'exec')).toEqual({ ok: true, value: '"50%%$$"' });
    expect(quoteSystemd('/srv/a %h/x', 'word')).toEqual({ ok: true, value: '"/srv/a %%h/x"' });
    const one =
      (place: 'exec' | 'word') =>
      (t: string): string => {
        const words = readSystemdWords(t, place);
        if (words.length !== 1) throw new Error(`${words.length} words`);
        return words[0]!;
      };
    roundTrips(
      (v) => quoteSystemd(v, 'exec'),
      one('exec'),
      (v) => v === ';',
    );
    roundTrips((v) => quoteSystemd(v, 'word'), one('word'));
    roundTrips(
      (v) => quoteSystemd(v, 'text'),
      readSystemdText,
      (v) => v.trim() !== v,
    );
  });

  it('Java properties values and wrapper.conf values', () => {
    expect(quoteProperties(' C:\\a é')).toEqual({ ok: true, value: '\\ C:\\\\a \\u00e9' });
    roundTrips(quoteProperties, (t) => readJavaPropertiesValue(`key=${t}`));
    roundTrips(
      (v) => quoteProperties(v, 'wrapper'),
      (t) => readWrapperConfValue(`wrapper.app.parameter.3=${t}`),
      (v) => v.trim() !== v || /%[^%]*%/.test(v),
    );
  });
});

describe('withQuotes', () => {
  it('fills a template, or answers the first refusal and runs no further', () => {
    expect(withQuotes((q) => `docker rm -f ${q.sh('a b')} && echo ${q.sh('c')}`)).toEqual({ ok: true, value: "docker rm -f 'a b' && echo c" });
    let after = false;
    const r = withQuotes((q) => {
      q.toml('x\ny', 'The token');
      after = true;
      return 'never';
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'UNSAFE_VALUE', message: 'The token cannot be written into a TOML file: it contains a line break (U+000A).' },
    });
    expect(after).toBe(false);
    expect(() => withQuotes(() => JSON.parse('{'))).toThrow(SyntaxError);
  });
});
