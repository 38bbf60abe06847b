/**
 * Shell words: quoting values for bash scripts, and reading the words of an existing script with
 * where each one sits, to replace one argument (`-e DELEGATE_TOKEN=…`) and nothing else. The
 * reader understands the quoting a person writes by hand — '…', "…" with its escapes, backslashes,
 * comments and here-documents — and marks words that expand at run time ($VAR, $(…), `…`) as not
 * literal, so they are reported rather than edited.
 */

/** Characters a value may have to be written without quotes. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `value` as one bash word: bare when it is plain, single-quoted, or double-quoted (escaped) when it holds a single quote. */
export function shellQuote(value: string): string {
  if (BARE.test(value)) return value;
  if (value.includes("'")) return shellDoubleQuoted(value);
  return `'${value}'`;
}

/** Like shellQuote, but leaves a `<placeholder>` for the user to fill in as it is. */
export function shellArg(value: string): string {
  return /^<[a-z0-9-]+>$/.test(value) ? value : shellQuote(value);
}

/** `value` inside bash double quotes, with \, ", $ and ` escaped. */
export function shellDoubleQuoted(value: string): string {
  return `"${value.replace(/[\\"$`]/g, '\\$&')}"`;
}

export interface ShellWord {
  /** [start, end) of the word's source text. */
  start: number;
  end: number;
  /** The word after quote removal (expansions kept as written when not literal). */
  value: string;
  /** False when the word expands at run time: its value is not known from the text. */
  literal: boolean;
}

const SPACE = new Set([' ', '\t', '\r']);
const BREAK = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);

function skipBalanced(text: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Reads one word starting at `i` (which must not be a blank or an operator). */
export function readShellWord(text: string, i: number): ShellWord {
  const start = i;
  let value = '';
  let literal = true;
  while (i < text.length && !BREAK.has(text[i]!)) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\n') i += 2;
      else {
        value += text[i + 1] ?? '';
        i += 2;
      }
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? text.length : close;
      value += text.slice(i + 1, end);
      if (close === -1) literal = false;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        const d = text[i]!;
        if (d === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
          if (text[i + 1] !== '\n') value += text[i + 1];
          i += 2;
        } else if (d === '$' || d === '`') {
          literal = false;
          if (d === '$' && text[i + 1] === '(') {
            const end = skipBalanced(text, i + 1, '(', ')');
            value += text.slice(i, end);
            i = end;
          } else {
            value += d;
            i++;
          }
        } else {
          value += d;
          i++;
        }
      }
      if (i >= text.length) literal = false;
      i++;
    } else if (c === '$') {
      literal = false;
      let end = i + 1;
      if (text[i + 1] === '(') end = skipBalanced(text, i + 1, '(', ')');
      else if (text[i + 1] === '{') end = skipBalanced(text, i + 1, '{', '}');
      else if (text[i + 1] === "'") {
        end = i + 2;
        while (end < text.length && text[end] !== "'") end += text[end] === '\\' ? 2 : 1;
        end++;
      }
      value += text.slice(i, end);
      i = end;
    } else if (c === '`') {
      literal = false;
      let end = i + 1;
      while (end < text.length && text[end] !== '`') end += text[end] === '\\' ? 2 : 1;
      value += text.slice(i, end + 1);
      i = end + 1;
    } else {
      value += c;
      i++;
    }
  }
  return { start, end: Math.min(i, text.length), value, literal };
}

/** Every word of a script, in order, skipping comments and here-document bodies. */
export function shellWords(text: string): ShellWord[] {
  const words: ShellWord[] = [];
  const heredocs: { delim: string; strip: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.has(c)) i++;
    else if (c === '\\' && text[i + 1] === '\n') i += 2;
    else if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') i += 3;
    else if (c === '\n') {
      i++;
      for (const h of heredocs.splice(0)) {
        for (;;) {
          const nl = text.indexOf('\n', i);
          const line = text.slice(i, nl === -1 ? text.length : nl).replace(/\r$/, '');
          i = nl === -1 ? text.length : nl + 1;
          if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim || nl === -1) break;
        }
      }
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (text.startsWith('<<<', i)) i += 3;
    else if (text.startsWith('<<', i)) {
      i += 2;
      const strip = text[i] === '-';
      if (strip) i++;
      while (SPACE.has(text[i] ?? '')) i++;
      const delim = readShellWord(text, i);
      heredocs.push({ delim: delim.value, strip });
      i = Math.max(delim.end, i + 1);
    } else if (BREAK.has(c)) i++;
    else {
      const w = readShellWord(text, i);
      words.push(w);
      i = Math.max(w.end, i + 1);
    }
  }
  return words;
}

/**
 * The source text for a word that reads as `prefix + value`, in the style of the word it
 * replaces (`raw`) when the value fits that style; undefined if no rendering reads back exactly.
 */
export function renderShellWordLike(raw: string, prefix: string, value: string): string | undefined {
  const wanted = prefix + value;
  const tries: string[] = [];
  if (raw.startsWith(prefix)) {
    const rest = raw.slice(prefix.length);
    if (rest.startsWith("'")) tries.push(`${prefix}'${value}'`);
    else if (rest.startsWith('"')) tries.push(prefix + shellDoubleQuoted(value));
    else tries.push(prefix + value);
    tries.push(prefix + shellDoubleQuoted(value), prefix + shellQuote(value));
  } else if (raw.startsWith('"')) tries.push(shellDoubleQuoted(wanted));
  else if (raw.startsWith("'")) tries.push(`'${wanted}'`);
  tries.push(shellDoubleQuoted(wanted), shellQuote(wanted));
  return tries.find((t) => {
    const w = readShellWord(t, 0);
    return w.literal && w.end === t.length && w.value === wanted;
  });
}
