/**
 * Random strings for the escaper property tests: any Unicode (lone surrogates included) mixed
 * with the characters that carry meaning in some format, so quotes, `%`, `$`, `\`, `;`, `#` and
 * blanks show up often and next to each other.
 */
import fc from 'fast-check';

const SPECIAL = [
  ...'\'"\\%$`!^&|<>()[]{};#:,=*?~@ -+./',
  '\u2018',
  '\u2019',
  '\u201a',
  '\u201b',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\t',
  '\n',
  '\r',
  '\u0085',
  '\u2028',
  '\u0000',
  '\u007f',
  'é',
  '🔑',
];

/** A string made of format-special characters, letters and arbitrary code units. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SPECIAL, 'a', 'Z', '0', '9'), maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom(
    '',
    ' ',
    ';',
    '#',
    '%',
    '$',
    'no',
    'on',
    '~',
    'null',
    '0777',
    '1_000',
    '<<',
    '2001-12-14',
    '.inf',
    '=',
    '-',
    ' ;x',
    'a #b',
    "'",
    '"',
    '\\',
    '%(here)s',
    '$HOME',
    '${X}',
    '%PATH%',
  ),
);
