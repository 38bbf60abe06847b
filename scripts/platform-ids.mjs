#!/usr/bin/env node
/**
 * Which files name a platform outside its own folders. A platform is one folder per layer
 * (shared/platforms/<id>/, and main/platforms/<id>/, renderer/platforms/<id>/ when it needs Node or
 * React), listed by one registry per layer (<layer>/platforms/index.ts). Every other file under
 * shared/ main/ renderer/ bin/ scripts/ must work for any platform: it may not name a registered
 * id in code, as a quoted string ('harness', "harness", `harness`) or by importing from a platform
 * folder. Comments do not count.
 *
 * The ids are read from the registry (its PLATFORM_IDS, and the folders under shared/platforms/),
 * never from a list here.
 *
 *   node scripts/platform-ids.mjs          prints each file with its lines, and the count;
 *                                          exits 1 when a file other than a registry names an id
 *   node scripts/platform-ids.mjs --json   the same as one JSON document
 *   --root DIR                             scans another checkout (the tests' made-up trees)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['shared', 'main', 'renderer'];
const SCANNED = [...LAYERS, 'bin', 'scripts'];
const REGISTRIES = LAYERS.map((l) => `${l}/platforms/index.ts`);
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

/**
 * The registered platform ids: the strings of the registry's `PLATFORM_IDS = [...]`
 * (shared/platforms/index.ts; types.ts too, where a branch from before the move still has it), and
 * the folders under shared/platforms/ that hold an index.ts. A platform added to the registry is
 * found either way.
 */
export function platformIds(root = ROOT) {
  const dir = path.join(root, 'shared', 'platforms');
  const ids = new Set(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && exists(path.join(dir, e.name, 'index.ts')))
      .map((e) => e.name),
  );
  for (const file of ['index.ts', 'types.ts']) {
    let src;
    try {
      src = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const m = /\bPLATFORM_IDS\s*(?::[^=]*)?=\s*\[([^\]]*)\]/.exec(src);
    if (m) for (const s of stringLiterals(m[1])) if (s.text) ids.add(s.text);
  }
  return [...ids].sort();
}

function exists(file) {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) walk(abs, out);
    else if (e.isFile() && CODE.test(e.name)) out.push(abs);
  }
  return out;
}

/**
 * The string literals of JavaScript/TypeScript source, with their line, comments skipped. A small
 * lexer: quotes, template literals (with `${}` expressions lexed as code), comments, and regular
 * expression literals (told from division by the token before them).
 */
export function stringLiterals(src) {
  const out = [];
  let i = 0;
  let line = 1;
  let prev = ''; // the last significant character of code, to tell a regex from a division (`<` is JSX: `</a>`)
  let prevWord = '';
  const depth = []; // brace depth of each open template expression
  let braces = 0;
  const regexCanStart = () =>
    prev === '' || '(,=:[!&|?{};+-*%~^'.includes(prev) || /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(prevWord);
  const readTemplate = () => {
    // at the character after ` (or after the } closing an expression); reads up to ` or ${
    let text = '';
    const start = line;
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') {
        text += src.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === '`') {
        i++;
        return { text, start, open: false };
      }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        return { text, start, open: true };
      }
      text += c;
      i++;
    }
    return { text, start, open: false };
  };
  let template = null; // the template literal being read: its text and whether it has expressions
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      line += (src.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = line;
      let text = '';
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          text += src.slice(i, i + 2);
          i += 2;
          continue;
        }
        text += src[i++];
      }
      if (src[i] === c) i++; // an unclosed quote (an apostrophe in JSX text) ends at the line's end
      out.push({ text, line: start });
      prev = 'x';
      prevWord = '';
      continue;
    }
    if (c === '`') {
      i++;
      const part = readTemplate();
      if (part.open) {
        depth.push(braces);
        template = { text: part.text, line: part.start, expr: true };
      } else out.push({ text: part.text, line: part.start });
      prev = 'x';
      prevWord = '';
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') {
      if (depth.length && depth[depth.length - 1] === braces) {
        depth.pop();
        i++;
        const part = readTemplate();
        if (part.open) depth.push(braces);
        else if (template) {
          // A template with expressions is not one id; its literal parts are kept for imports only.
          out.push({ text: null, line: template.line });
          template = null;
        }
        prev = 'x';
        continue;
      }
      braces--;
    }
    if (c === '/' && regexCanStart()) {
      i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        if (src[i] === '\\') {
          i += 2;
          continue;
        }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) break;
        i++;
      }
      if (src[i] === '/') i++; // not a regex after all when the line ends first (JSX `</a>`)
      while (/[a-z]/i.test(src[i] ?? '')) i++;
      prev = 'x';
      prevWord = '';
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      let word = '';
      while (i < src.length && /[A-Za-z0-9_$]/.test(src[i])) word += src[i++];
      prev = 'x';
      prevWord = word;
      continue;
    }
    prev = c;
    prevWord = '';
    i++;
  }
  return out;
}

/** Where a file is inside a platform folder of a layer (`main/platforms/<id>/…`), its id; else undefined. */
function ownerOf(rel, ids) {
  const m = /^(shared|main|renderer)\/platforms\/([^/]+)\//.exec(rel);
  return m && ids.includes(m[2]) ? m[2] : undefined;
}

/** Each file outside the platform folders that names an id, with the lines that do. */
export function scan(root = ROOT) {
  const ids = platformIds(root);
  const files = [];
  for (const top of SCANNED) {
    for (const abs of walk(path.join(root, top), [])) {
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (ownerOf(rel, ids)) continue;
      const hits = [];
      for (const s of stringLiterals(readFileSync(abs, 'utf8'))) {
        if (s.text === null) continue;
        if (ids.includes(s.text)) hits.push({ line: s.line, names: s.text, how: 'quoted' });
        else if (s.text.startsWith('.')) {
          const target = path
            .relative(root, path.resolve(path.dirname(abs), s.text))
            .split(path.sep)
            .join('/');
          const m = /^(shared|main|renderer)\/platforms\/([^/]+)(\/|$)/.exec(target);
          if (m && ids.includes(m[2])) hits.push({ line: s.line, names: m[2], how: `import ${s.text}` });
        }
      }
      if (hits.length) files.push({ file: rel, registry: REGISTRIES.includes(rel), hits });
    }
  }
  return { ids, registries: REGISTRIES, files };
}

const main = path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (main) {
  const at = process.argv.indexOf('--root');
  const result = scan(at > 0 ? path.resolve(process.argv[at + 1]) : ROOT);
  const outside = result.files.filter((f) => !f.registry);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...result, count: result.files.length, outside: outside.length }, null, 2));
  else {
    for (const f of result.files) {
      console.log(`${f.file}${f.registry ? ' (registry)' : ''}`);
      for (const h of f.hits) console.log(`  ${h.line}: ${h.names} (${h.how})`);
    }
    console.log(
      `\n${result.files.length} file(s) name a platform id (${result.ids.join(', ')}) outside the platform folders; ${outside.length} of them not a registry.`,
    );
  }
  process.exitCode = outside.length ? 1 : 0;
}
