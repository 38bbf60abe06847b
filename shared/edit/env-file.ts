/**
 * Token variables in env files (`KEY=value` lines read by `docker run --env-file`, Docker Compose,
 * systemd's EnvironmentFile and shells) and in systemd units (`Environment=KEY=value`). These
 * readers quote differently, so only values that read the same in all of them are written; the
 * existing quote characters around a value are kept.
 */
import { err, ok } from '../result';
import { applyTokenEdits, lineOf, type Rotated, type TokenEdit } from './splice';
import { checkTokenText } from './values';

/** Values every env-file reader takes the same way: no blanks, quotes, `$`, `#` or backslashes. */
export const ENV_SAFE = /^[A-Za-z0-9_@%+=:,./~-]+$/;

type Edit = TokenEdit;

function unsafe(name: string, line: number): Rotated {
  return err(
    'UNSAFE_VALUE',
    `${name} on line ${line}: env files are read differently by Docker, Compose, systemd and shells, so a value with spaces, quotes, "$", "#" or "\\" cannot be written to one safely.`,
    'Check the token: real agent tokens have only letters, digits and - _ + / =.',
  );
}

function finish(text: string, edits: Edit[], notes: string[], none: string): Rotated {
  if (edits.length === 0) return ok({ text, changes: [], notes: notes.length ? notes : [none] });
  return applyTokenEdits(text, edits, notes);
}

/** Sets every `NAME=value` line (optionally `export NAME=value`) of `names` to `token`. */
export function rotateEnvFile(text: string, token: string, names: readonly string[]): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  const re = new RegExp(`^([ \\t]*(?:export[ \\t]+)?(${names.join('|')})[ \\t]*=[ \\t]*)(.*?)[ \\t]*\\r?$`, 'gm');
  const edits: Edit[] = [];
  const notes: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[1]!.length;
    const name = m[2]!;
    const raw = m[3]!;
    const line = lineOf(text, start);
    const quote = /^(["'])(.*)\1$/.exec(raw);
    if (raw.includes('$') && quote?.[1] !== "'") {
      notes.push(`${name} on line ${line} refers to another variable (${raw}); rotate it where that is set.`);
      continue;
    }
    if (!ENV_SAFE.test(token)) return unsafe(name, line);
    edits.push({ start, end: start + raw.length, text: quote ? `${quote[1]}${token}${quote[1]}` : token, what: `${name} on line ${line}` });
  }
  return finish(text, edits, notes, 'No token variable in this file.');
}

/** Sets `NAME=value` assignments inside systemd `Environment=` lines (bare or double-quoted words). */
export function rotateSystemdEnvironment(text: string, token: string, names: readonly string[]): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  const edits: Edit[] = [];
  const notes: string[] = [];
  const lineRe = /^([ \t]*Environment[ \t]*=[ \t]*)(.*?)\r?$/gm;
  for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    let i = m.index + m[1]!.length;
    const end = m.index + m[1]!.length + m[2]!.length;
    while (i < end) {
      while (i < end && /[ \t]/.test(text[i]!)) i++;
      if (i >= end) break;
      const q = text[i] === '"' || text[i] === "'" ? text[i]! : '';
      let j = q ? text.indexOf(q, i + 1) : i;
      if (q && (j === -1 || j >= end)) break;
      if (!q) while (j < end && !/[ \t]/.test(text[j]!)) j++;
      const wordEnd = q ? j + 1 : j;
      const inner = q ? text.slice(i + 1, j) : text.slice(i, j);
      const eq = inner.indexOf('=');
      const name = eq > 0 ? inner.slice(0, eq) : '';
      if (names.includes(name)) {
        const line = lineOf(text, i);
        if (inner.includes('\\') || inner.includes('%') || (q === '"' && inner.includes('$')))
          notes.push(`${name} on line ${line} uses escapes or specifiers; set it by hand.`);
        else {
          if (!ENV_SAFE.test(token) || token.includes('%')) return unsafe(name, line);
          edits.push({ start: i, end: wordEnd, text: `${q}${name}=${token}${q}`, what: `${name} in Environment= on line ${line}` });
        }
      }
      i = wordEnd;
    }
  }
  return finish(text, edits, notes, 'No Environment= line sets the token in this unit.');
}
