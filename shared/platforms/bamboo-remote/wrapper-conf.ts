/**
 * Reading and editing a Bamboo remote agent's `conf/wrapper.conf` (Tanuki Java Service Wrapper
 * properties, reference/platforms.md §2) without disturbing anything else in it.
 *
 * The server URL is the `wrapper.app.parameter.N` whose value ends in `/agentServer/`; the security
 * token is the app parameter right after it (N+1), as a bare value. An installer that wrote the
 * flag form (`wrapper.app.parameter.N+1=-t`, token at N+2) is understood too. The index is always
 * found from the file, never assumed.
 */
import { err, ok, type Result } from '../../result';
import type { Change } from '../types';

/** A Bamboo security token: 40 hexadecimal characters (reference/platforms.md §2, Credentials). */
export const BAMBOO_TOKEN_PATTERN = /^[0-9A-Fa-f]{40}$/;

/** The largest wrapper.conf this module reads (real ones are a few KiB). */
export const MAX_WRAPPER_CONF_BYTES = 1_000_000;

const APP_PARAMETER = /^wrapper\.app\.parameter\.(\d{1,4})$/i;
const AGENT_BOOTSTRAP = 'com.atlassian.bamboo.agent.bootstrap.AgentBootstrap';
const AGENT_SERVER_URL = /^https?:\/\/\S+\/agentServer\/?$/i;
// What an existing token value may look like before it is replaced. Anything else (a path, a
// flag, a URL) means the file is laid out in a way this editor does not understand.
const TOKEN_LIKE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** One physical line of the file. */
interface Line {
  text: string;
  eol: string;
  /** Set for `key=value` lines (not comments, directives or blank lines). */
  prop?: { key: string; value: string; valueStart: number; valueEnd: number };
}

interface Parsed {
  bom: string;
  lines: Line[];
  eol: string;
}

/** Where the token sits, or would be added. */
export interface TokenSlot {
  /** `bare`: the parameter after the URL holds the token; `flag`: it holds `-t` and the next one the token. */
  form: 'bare' | 'flag';
  /** The app parameter index that holds (or will hold) the token. */
  parameter: number;
  /** `missing`: no such line; `empty`: the line has no value; `present`: it has a value. */
  state: 'missing' | 'empty' | 'present';
  /** 1-based line of the token (the last definition), when present or empty. */
  line?: number;
  /** The current token, masked (first 4 and last 2 characters), when present. */
  masked?: string;
}

/** What the app shows about an existing agent's wrapper.conf. Never contains the token itself. */
export interface WrapperConfInfo {
  /** The Bamboo server URL the agent registers with (ends in /agentServer/). */
  serverUrl: string;
  /** Its app parameter index and 1-based line. */
  serverUrlParameter: number;
  serverUrlLine: number;
  token: TokenSlot;
  /** The agent home from `-Dbamboo.home=` in wrapper.java.additional.N, when set. */
  agentHome?: string;
  /** The file's line ending (kept when editing). */
  lineEnding: 'lf' | 'crlf' | 'cr';
}

function parse(text: string): Parsed {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  const counts: Record<string, number> = { '\n': 0, '\r\n': 0, '\r': 0 };
  for (let m = re.exec(body); m && m.index < body.length; m = re.exec(body)) {
    const [, content = '', eol = ''] = m;
    if (eol) counts[eol] = (counts[eol] ?? 0) + 1;
    lines.push({ text: content, eol, prop: parseProperty(content) });
    if (!eol) break;
  }
  const [crlf = 0, lf = 0, cr = 0] = [counts['\r\n'], counts['\n'], counts['\r']];
  const eol = crlf > 0 && crlf >= lf && crlf >= cr ? '\r\n' : cr > lf ? '\r' : '\n';
  return { bom, lines, eol };
}

function parseProperty(content: string): Line['prop'] {
  const trimmed = content.trimStart();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const eq = content.indexOf('=');
  if (eq <= 0) return undefined;
  const key = content.slice(0, eq).trim();
  if (!key) return undefined;
  let valueStart = eq + 1;
  while (valueStart < content.length && (content[valueStart] === ' ' || content[valueStart] === '\t')) valueStart++;
  let valueEnd = content.length;
  while (valueEnd > valueStart && (content[valueEnd - 1] === ' ' || content[valueEnd - 1] === '\t')) valueEnd--;
  return { key, value: content.slice(valueStart, valueEnd), valueStart, valueEnd };
}

/** App parameter index → every line (0-based) defining it, in file order; the last one wins. */
function appParameters(lines: Line[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  lines.forEach((line, i) => {
    const m = line.prop ? APP_PARAMETER.exec(line.prop.key) : null;
    if (!m) return;
    const n = Number(m[1]);
    out.set(n, [...(out.get(n) ?? []), i]);
  });
  return out;
}

function mask(value: string): string {
  return value.length <= 8 ? '•'.repeat(value.length) : `${value.slice(0, 4)}${'•'.repeat(value.length - 6)}${value.slice(-2)}`;
}

interface Located {
  parsed: Parsed;
  params: Map<number, number[]>;
  urlParameter: number;
  urlLine: number;
  slot: TokenSlot;
  /** Line after which a missing token line is inserted (0-based). */
  insertAfter: number;
}

function locate(text: string): Result<Located> {
  if (text.length > MAX_WRAPPER_CONF_BYTES)
    return err(
      'UNKNOWN_FORMAT',
      `This file is ${text.length} bytes; a Bamboo agent's wrapper.conf is a few kilobytes.`,
      'Choose <bamboo-agent-home>/conf/wrapper.conf.',
    );
  if (text.includes('\u0000'))
    return err('UNKNOWN_FORMAT', 'This is a binary file, not a Bamboo agent wrapper.conf.', 'Choose <bamboo-agent-home>/conf/wrapper.conf.');
  const parsed = parse(text);
  const params = appParameters(parsed.lines);
  const valueOf = (n: number): string | undefined => {
    const defs = params.get(n);
    const last = defs?.[defs.length - 1];
    return last === undefined ? undefined : parsed.lines[last]?.prop?.value;
  };
  const hasWrapperKeys = parsed.lines.some((l) => l.prop?.key.toLowerCase().startsWith('wrapper.'));
  const urlParams = [...params.keys()].filter((n) => AGENT_SERVER_URL.test(valueOf(n) ?? '')).sort((a, b) => a - b);
  const isBamboo = hasWrapperKeys && ([...params.keys()].some((n) => valueOf(n) === AGENT_BOOTSTRAP) || urlParams.length > 0);
  if (!isBamboo) {
    return err(
      'UNKNOWN_FORMAT',
      'This is not a Bamboo agent wrapper.conf: it has no wrapper.app.parameter with the AgentBootstrap class or an /agentServer/ URL.',
      'Choose <bamboo-agent-home>/conf/wrapper.conf (or the bamboo-agent-home folder).',
    );
  }
  if (urlParams.length === 0) {
    return err(
      'PARSE_ERROR',
      'This Bamboo agent wrapper.conf has no server URL: no wrapper.app.parameter ends in /agentServer/.',
      'Add the server URL (https://<bamboo>/agentServer/) as the app parameter after AgentBootstrap, or reinstall the agent with the installer command.',
    );
  }
  if (urlParams.length > 1) {
    return err(
      'PARSE_ERROR',
      `This wrapper.conf has ${urlParams.length} server URLs (wrapper.app.parameter.${urlParams.join(', .')}), so the token's place is ambiguous.`,
      'Keep one /agentServer/ URL, then try again.',
    );
  }
  const urlParameter = urlParams[0]!;
  const urlDefs = params.get(urlParameter)!;
  const urlLine = urlDefs[urlDefs.length - 1]!;
  const next = valueOf(urlParameter + 1);
  const form: TokenSlot['form'] = next !== undefined && next.trim() === '-t' ? 'flag' : 'bare';
  const parameter = form === 'flag' ? urlParameter + 2 : urlParameter + 1;
  const defs = params.get(parameter);
  const tokenLine = defs?.[defs.length - 1];
  const value = tokenLine === undefined ? undefined : (parsed.lines[tokenLine]?.prop?.value ?? '');
  if (value !== undefined && value !== '' && !TOKEN_LIKE.test(value)) {
    return err(
      'UNKNOWN_FORMAT',
      `wrapper.app.parameter.${parameter}, right after the server URL, holds a value that is not a security token (${value.length} characters, starting with ${JSON.stringify(value.slice(0, 1))}); this editor will not overwrite it.`,
      'Edit wrapper.conf by hand: the token belongs in the app parameter right after the /agentServer/ URL.',
    );
  }
  const slot: TokenSlot =
    tokenLine === undefined
      ? { form, parameter, state: 'missing' }
      : value
        ? { form, parameter, state: 'present', line: tokenLine + 1, masked: mask(value) }
        : { form, parameter, state: 'empty', line: tokenLine + 1 };
  const flagDefs = form === 'flag' ? params.get(urlParameter + 1) : undefined;
  const insertAfter = flagDefs ? flagDefs[flagDefs.length - 1]! : urlLine;
  return ok({ parsed, params, urlParameter, urlLine, slot, insertAfter });
}

/** Reads an agent's wrapper.conf: the server URL it found, where the token is, the agent home. */
export function readWrapperConf(text: string): Result<WrapperConfInfo> {
  const found = locate(text);
  if (!found.ok) return found;
  const { parsed, urlParameter, urlLine, slot } = found.value;
  const home = parsed.lines
    .map((l) => l.prop)
    .filter((p) => p && /^wrapper\.java\.additional\.\d+$/i.test(p.key) && p.value.startsWith('-Dbamboo.home='))
    .pop();
  const info: WrapperConfInfo = {
    serverUrl: parsed.lines[urlLine]!.prop!.value,
    serverUrlParameter: urlParameter,
    serverUrlLine: urlLine + 1,
    token: slot,
    lineEnding: parsed.eol === '\r\n' ? 'crlf' : parsed.eol === '\r' ? 'cr' : 'lf',
  };
  const agentHome = home?.value.slice('-Dbamboo.home='.length).trim();
  return ok(agentHome ? { ...info, agentHome } : info);
}

/** True when `text` is a Bamboo remote agent's wrapper.conf (by its app parameters). */
export function isBambooWrapperConf(fileName: string, text: string): boolean {
  if (!/(^|[\\/])[^\\/]*\.conf$/i.test(fileName)) return false;
  const found = locate(text);
  return found.ok || found.error.code === 'PARSE_ERROR';
}

function serialise(p: Parsed): string {
  return p.bom + p.lines.map((l) => l.text + l.eol).join('');
}

/** Character offset of line `index` in the serialised text (after the byte-order mark). */
function lineOffset(p: Parsed, lines: Line[], index: number): number {
  let at = p.bom.length;
  for (let i = 0; i < index; i++) at += lines[i]!.text.length + lines[i]!.eol.length;
  return at;
}

function withValue(line: Line, value: string): Line {
  const prop = line.prop!;
  return { ...line, text: line.text.slice(0, prop.valueStart) + value + line.text.slice(prop.valueEnd) };
}

/**
 * Writes `token` into the app parameter right after the server URL: replaces it when present (every
 * definition of that parameter, so the last one cannot win with an old value), adds the line right
 * after the URL (or after `-t`) when missing. Every other byte is kept: comments, order, blank
 * lines, line endings, a missing final newline. Running it again with the same token changes
 * nothing. The token must be 40 hex characters (TOKEN_INVALID otherwise), so it never needs
 * escaping and can never add a line or a `%VAR%` expansion.
 */
export function setSecurityToken(text: string, token: string): Result<{ text: string; changes: Change[]; info: WrapperConfInfo }> {
  if (!BAMBOO_TOKEN_PATTERN.test(token)) {
    return err(
      'TOKEN_INVALID',
      `A Bamboo security token is 40 hexadecimal characters; this one is ${token.length} characters${/[^0-9A-Fa-f]/.test(token) ? ' with other characters in it' : ''}.`,
      'Copy it from Bamboo → Administration → Agents → Install remote agent.',
    );
  }
  const found = locate(text);
  if (!found.ok) return found;
  const { parsed, params, urlLine, slot, insertAfter } = found.value;
  const lines = [...parsed.lines];
  const changes: Change[] = [];
  const key = `wrapper.app.parameter.${slot.parameter}`;
  if (slot.state !== 'missing') {
    for (const i of params.get(slot.parameter) ?? []) {
      const prop = lines[i]!.prop!;
      if (prop.value === token) continue;
      const at = lineOffset(parsed, parsed.lines, i);
      lines[i] = withValue(lines[i]!, token);
      changes.push({
        line: i + 1,
        what: `${key}: security token ${slot.state === 'empty' ? 'set' : 'replaced'}`,
        oldRange: [at + prop.valueStart, at + prop.valueEnd],
        newRange: [at + prop.valueStart, at + prop.valueStart + token.length],
      });
    }
  } else {
    const anchor = lines[insertAfter]!;
    // The new line copies the URL line's indentation and key style, e.g. "wrapper.app.parameter.3=".
    const urlText = lines[urlLine]!.text;
    const prop = lines[urlLine]!.prop!;
    const keyStart = urlText.indexOf(prop.key);
    const newKey = prop.key.replace(/\d+$/, String(slot.parameter));
    const inserted: Line = { text: urlText.slice(0, keyStart) + newKey + urlText.slice(keyStart + prop.key.length, prop.valueStart) + token, eol: anchor.eol };
    lines[insertAfter] = { ...anchor, eol: anchor.eol || parsed.eol };
    lines.splice(insertAfter + 1, 0, inserted);
    const at = lineOffset(parsed, lines, insertAfter + 1) + inserted.text.length - token.length;
    // Nothing is replaced: the old range is empty, at the point where the line goes in.
    const insertedAt = Math.min(lineOffset(parsed, parsed.lines, insertAfter + 1), text.length);
    changes.push({
      line: insertAfter + 2,
      what: `${key}: security token added after ${slot.form === 'flag' ? 'the -t flag' : 'the server URL'} (wrapper.app.parameter.${found.value.urlParameter})`,
      oldRange: [insertedAt, insertedAt],
      newRange: [at, at + token.length],
    });
  }
  const out = serialise({ ...parsed, lines });
  const info = readWrapperConf(out);
  if (!info.ok) return info;
  return ok({ text: out, changes, info: info.value });
}
