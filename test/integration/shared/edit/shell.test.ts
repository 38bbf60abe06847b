import { describe, expect, it } from 'vitest';
import { readShellWord, renderShellWordLike, shellDoubleQuoted, shellQuote, shellWords } from '../../../../shared/edit/shell';
import { bash, HOSTILE_TOKENS } from '../../../support/rotation';

describe('shell words', () => {
  it('quotes any value so bash reads it back exactly', () => {
    const values = [...HOSTILE_TOKENS, '', 'plain', 'a b', "'", '!bang', '*glob?', '~tilde'];
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)} ${shellDoubleQuoted(v)}`).join('\n');
    expect(bash(script).split('\0').slice(0, -1)).toEqual(values.flatMap((v) => [v, v]));
  });

  it('reads the words of a script as bash does, marking expansions as not literal', () => {
    const script = `docker run -d \\\n  -e "A=x y" -e B='q"r' -e C=a\\ b -e D="$HOME" -e E=$(id) # -e F=comment\ncat <<EOF\n-e G=heredoc\nEOF\necho done`;
    const words = shellWords(script);
    expect(words.map((w) => w.value)).toEqual([
      'docker',
      'run',
      '-d',
      '-e',
      'A=x y',
      '-e',
      `B=q"r`,
      '-e',
      'C=a b',
      '-e',
      'D=$HOME',
      '-e',
      'E=$(id)',
      'cat',
      'echo',
      'done',
    ]);
    expect(words.filter((w) => !w.literal).map((w) => w.value)).toEqual(['D=$HOME', 'E=$(id)']);
  });

  it('agrees with bash on every literal word of a hand-written command line', () => {
    const line = `set -- -e "A=x y" -e B='q"r' -e C=a\\ b -e "D=\\$\\"q\\"" -e 'E='"mixed"'q' --name=x\\#y #comment`;
    const words = shellWords(line).slice(2);
    expect(words.every((w) => w.literal)).toBe(true);
    expect(bash(`${line}\nprintf '%s\\0' "$@"`).split('\0').slice(0, -1)).toEqual(words.map((w) => w.value));
  });

  it.each(HOSTILE_TOKENS)("renders a replacement word in the old word's style when it can (%#)", (value) => {
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
