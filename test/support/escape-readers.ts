/**
 * Readers for the formats whose consumer does not run on Linux, ported from their documented
 * rules (cited at each), so a test can read an escaper's output the way the consumer will. Each
 * throws when the text would not read as one plain value (an expansion, an unterminated quote,
 * a second word), since that is a wrong output too.
 */

const PS_QUOTES = "'\u2018\u2019\u201a\u201b";

/**
 * A PowerShell single-quoted string literal (PowerShell Language Specification 3.0, 2.3.5.2:
 * single-quote-character is ' U+2018 U+2019 U+201A U+201B; inside, two single-quote-characters
 * stand for one, and nothing else is special).
 */
export function readPs1SingleQuoted(text: string): string {
  if (!PS_QUOTES.includes(text[0] ?? '')) throw new Error('ps1: not a single-quoted string');
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (!PS_QUOTES.includes(c)) {
      out += c;
      continue;
    }
    if (i + 1 < text.length && PS_QUOTES.includes(text[i + 1]!)) {
      out += c;
      i++;
      continue;
    }
    if (i !== text.length - 1) throw new Error('ps1: text after the closing quote');
    return out;
  }
  throw new Error('ps1: unterminated string');
}

/**
 * One double-quoted argument on a batch-file line as the program receives it, delayed expansion
 * off: cmd.exe's phase 1 turns `%%` into `%` and expands `%NAME%` (here: an error, no variable
 * may be named), phase 2 takes everything between the quotes literally; then the program's
 * argument parser (Microsoft Learn, "Parsing C++ command-line arguments": 2n backslashes before a
 * quote are n backslashes, 2n+1 are n and a literal quote) splits it. `builtin` reads it as `set`
 * does instead: the text between the quotes, as it is.
 */
export function readCmdArg(text: string, builtin = false): string {
  let expanded = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') expanded += text[i];
    else if (text[i + 1] === '%') {
      expanded += '%';
      i++;
    } else throw new Error(`cmd: "%" at ${i} expands a variable`);
  }
  if (expanded[0] !== '"' || expanded.at(-1) !== '"' || expanded.length < 2) throw new Error('cmd: not one quoted argument');
  const inner = expanded.slice(1, -1);
  if (inner.includes('"')) throw new Error('cmd: a quote inside the argument');
  if (builtin) return inner;
  let out = '';
  let quoted = true;
  const s = expanded.slice(1);
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      let n = 0;
      while (s[i + n] === '\\') n++;
      if (s[i + n] === '"') {
        out += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) out += '"';
        else quoted = !quoted;
        i += n;
      } else {
        out += '\\'.repeat(n);
        i += n - 1;
      }
    } else if (s[i] === '"') {
      quoted = !quoted;
      if (i !== s.length - 1) throw new Error('cmd: the argument ends before the end');
    } else out += s[i];
  }
  if (quoted) throw new Error('cmd: unterminated quote');
  return out;
}

const C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', s: ' ', '\\': '\\', '"': '"', "'": "'" };

/** `%%` → `%`; any other specifier is an error (systemd.unit(5) "Specifiers"). */
function resolveSpecifiers(text: string): string {
  return text.replace(/%(.?)/g, (_m, c: string) => {
    if (c === '%') return '%';
    throw new Error(`systemd: specifier %${c}`);
  });
}

/**
 * The words of a systemd setting value (systemd src/basic/extract-word.c `extract_first_word`
 * with EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, as config_parse_exec and Environment= use it):
 * blanks separate words, '…' and "…" quote, `\` escapes C-style inside and outside quotes. For
 * `exec` (ExecStart=, systemd.service(5) "Command lines"): a lone `;` separates commands (an
 * error here), `$$` is `$`, and `$NAME`/`${NAME}` substitute (an error here).
 */
export function readSystemdWords(value: string, place: 'exec' | 'word'): string[] {
  const text = resolveSpecifiers(value);
  const words: string[] = [];
  let i = 0;
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  for (;;) {
    while (blank(text[i])) i++;
    if (i >= text.length) break;
    let word = '';
    let quote: string | undefined;
    let raw = '';
    for (; i < text.length; i++) {
      const c = text[i]!;
      raw += c;
      if (c === '\\') {
        const n = text[++i];
        if (n === undefined) throw new Error('systemd: trailing backslash');
        raw += n;
        if (n === 'x') {
          word += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
          i += 2;
        } else if (n === 'u') {
          word += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
          i += 4;
        } else if (C_ESCAPES[n] !== undefined) word += C_ESCAPES[n];
        else throw new Error(`systemd: unknown escape \\${n}`);
      } else if (quote !== undefined) {
        if (c === quote) quote = undefined;
        else word += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (blank(c)) break;
      else word += c;
    }
    if (quote !== undefined) throw new Error('systemd: unterminated quote');
    if (place === 'exec') {
      if (raw === ';') throw new Error('systemd: ";" separates commands');
      word = word.replace(/\$(\$|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)?/g, (m, v: string | undefined) => {
        if (v === '$') return '$';
        if (v === undefined) return '$';
        throw new Error(`systemd: ${m} substitutes a variable`);
      });
    }
    words.push(word);
  }
  return words;
}

/** A setting's whole value as systemd takes it (blanks around it dropped, specifiers resolved). */
export function readSystemdText(value: string): string {
  return resolveSpecifiers(value.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/**
 * The value of one `key=value` line as java.util.Properties.load reads it (Java SE API,
 * Properties.load(Reader), and the JDK's LineReader/loadConvert): blanks after the separator
 * skipped, `\uXXXX` a character, `\t \n \r \f` those controls, `\` before anything else that
 * character, an odd run of `\` at the end of the line continues it (an error here).
 */
export function readJavaPropertiesValue(line: string): string {
  const eq = line.indexOf('=');
  if (eq < 0) throw new Error('properties: no "="');
  let i = eq + 1;
  while (line[i] === ' ' || line[i] === '\t' || line[i] === '\f') i++;
  let out = '';
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = line[++i];
    if (n === undefined) throw new Error('properties: the line continues');
    if (n === 'u') {
      const hex = line.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('properties: malformed \\uxxxx');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[n] ?? n;
  }
  return out;
}

/**
 * The value of one `key=value` line of wrapper.conf (Java Service Wrapper, "Configuration File
 * Overview" and "Environment Variable Expansion"): blanks around the value trimmed, no escapes,
 * `%NAME%` expanded from the environment (an error here).
 */
export function readWrapperConfValue(line: string): string {
  const eq = line.indexOf('=');
  if (eq < 0) throw new Error('wrapper.conf: no "="');
  const value = line.slice(eq + 1).trim();
  if (/%[^%]*%/.test(value)) throw new Error('wrapper.conf: a %NAME% reference');
  return value;
}
