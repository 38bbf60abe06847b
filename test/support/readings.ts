/**
 * What the consumers of generated files read, in-process: every string a consumer sees in each
 * file, found by format rather than by key names, so the conformance suite needs no per-platform
 * list of where tokens and answers go. YAML is read as YAML 1.1 (Kubernetes and Helm), Secrets'
 * `data` base64-decoded, JSON as JSON, buildkite-agent.cfg by the port of the agent's parser,
 * env files by docker's --env-file rules when a script passes them with --env-file and by systemd's
 * EnvironmentFile rules otherwise, unit files by systemd's Environment= word rules, properties
 * (wrapper.conf) as key=value lines, TOML (GitLab Runner's config.toml) by a TOML 1.0 parser.
 * Scripts are left to the integration suite, which runs them.
 */
import { parseAllDocuments } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import type { Artifact } from '../../shared/platforms/types';
import { cfgValues } from '../../shared/platforms/buildkite/cfg';
import { dockerEnvFile, readYaml11Js, secretValues, systemdEnvFile } from './consumers';

/** One string a consumer reads, and where. */
export interface Reading {
  where: string;
  value: string;
}

type File = Pick<Artifact, 'path' | 'text'>;

/** True for a file a shell runs (read by running it, in the integration suite). */
export function isScript(f: File): boolean {
  return /\.(sh|bash)$/.test(f.path) || f.text.startsWith('#!');
}

/** Every string leaf of parsed documents, with its path; Secrets also as their decoded values. */
function docReadings(docs: unknown[], file: string): Reading[] {
  const out: Reading[] = [];
  const walk = (node: unknown, where: string): void => {
    if (typeof node === 'string') out.push({ where, value: node });
    else if (typeof node === 'number' || typeof node === 'boolean') out.push({ where, value: String(node) });
    else if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        out.push({ where: `${where} key`, value: k });
        walk(v, `${where}.${k}`);
      }
    }
  };
  docs.forEach((d, i) => {
    const doc = d as Record<string, unknown> | null;
    if (doc?.kind === 'Secret') {
      for (const [k, v] of Object.entries(secretValues(doc))) out.push({ where: `${file}#${i} Secret ${k} (as the pod sees it)`, value: v });
      walk({ ...doc, data: undefined, stringData: undefined }, `${file}#${i}`);
    } else walk(doc, `${file}#${i}`);
  });
  return out;
}

/** `Environment=` words as systemd splits them (src/basic/extract-word.c, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE). */
export function systemdEnvironment(text: string, file: string): Reading[] {
  const out: Reading[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Environment\s*=\s*(.*)$/.exec(line);
    if (!m) {
      if (line.trim() && !/^\s*[#;[]/.test(line)) out.push({ where: `${file} line`, value: line.trim() });
      continue;
    }
    const words: string[] = [];
    let cur = '';
    let quote = '';
    let any = false;
    const src = m[1]!;
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') cur += src[++i] ?? '';
        else cur += c;
      } else if (c === '"' || c === "'") [quote, any] = [c, true];
      else if (c === ' ' || c === '\t') {
        if (any || cur) words.push(cur);
        [cur, any] = ['', false];
      } else if (c === '\\') cur += src[++i] ?? '';
      else cur += c;
    }
    if (quote) throw new Error(`systemd: unterminated quote in ${line}`);
    if (any || cur) words.push(cur);
    for (const w of words) out.push({ where: `${file} Environment=`, value: w });
  }
  return out;
}

/** Java properties / wrapper.conf: `key=value` lines, trimmed. */
function propertiesReadings(text: string, file: string): Reading[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() && !/^\s*#/.test(l))
    .map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? { where: `${file} line`, value: l.trim() } : { where: `${file} ${l.slice(0, eq).trim()}`, value: l.slice(eq + 1).trim() };
    });
}

function envReadings(env: Record<string, string>, file: string, how: string): Reading[] {
  return Object.entries(env).flatMap(([k, v]) => [
    { where: `${file} (${how}) name`, value: k },
    { where: `${file} (${how}) ${k}`, value: v },
  ]);
}

/**
 * What consumers read from one file. `all` is the whole generated set (a script naming a file with
 * --env-file makes docker its reader). Scripts give none (the integration suite runs them).
 */
export function readingsOf(f: File, all: readonly File[] = [f]): Reading[] {
  const name = f.path.split('/').pop()!;
  if (isScript(f)) return [];
  if (/\.ya?ml$/.test(name)) return docReadings(readYaml11Js(f.text), f.path);
  if (/\.json$/.test(name)) return docReadings([JSON.parse(f.text) as unknown], f.path);
  if (/\.toml$/.test(name)) return docReadings([parseToml(f.text)], f.path);
  if (/\.cfg$/.test(name)) return [...cfgValues(f.text)].flatMap(([k, v]) => [{ where: `${f.path} ${k}`, value: v }]);
  const dockerEnv = all.some((s) => isScript(s) && new RegExp(`--env-file\\s+"?[^"\\s]*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?`).test(s.text));
  if (dockerEnv) return envReadings(dockerEnvFile(f.text), f.path, 'docker --env-file');
  if (/\.env$/.test(name)) return envReadings(systemdEnvFile(f.text), f.path, 'systemd EnvironmentFile');
  if (/\.(service|conf)$/.test(name) && /^\s*\[(Service|Unit)\]/m.test(f.text)) return systemdEnvironment(f.text, f.path);
  if (/wrapper\.conf$|\.properties$/.test(name)) return propertiesReadings(f.text, f.path);
  return [{ where: `${f.path} (whole file)`, value: f.text.replace(/\r?\n$/, '') }];
}

/** The readings of a set of files, each with its path. */
export function readingsOfAll(files: readonly File[]): Reading[] {
  return files.flatMap((f) => readingsOf(f, files));
}

/**
 * The readings with `value` (and the forms a consumer may legitimately be handed: base64-decoded
 * text, for vendors whose token is base64 of the secret) replaced by a placeholder, sorted: two sets
 * of files that differ only in that value read the same after this.
 */
export function normalised(readings: Reading[], value: string): string[] {
  const forms = [value, ...decodedForms(value)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  return readings
    .map((r) => {
      let v = r.value;
      for (const f of forms) v = v.split(f).join('\u27e8value\u27e9');
      return `${r.where.replace(/#\d+/, '')} = ${v}`;
    })
    .sort();
}

/** The token's base64-decoded form when it is printable text (what a Secret's `data` may hand the agent). */
export function decodedForms(token: string): string[] {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return [];
  const inner = Buffer.from(token, 'base64').toString('utf8');
  return /^[\x21-\x7e]+$/.test(inner) && Buffer.from(inner).toString('base64') === token ? [inner] : [];
}

/** True when a consumer reads exactly `token` (or its decoded form) somewhere in these readings. */
export function readsToken(readings: Reading[], token: string): boolean {
  const forms = new Set([token, ...decodedForms(token)]);
  return readings.some((r) => forms.has(r.value) || r.value.split('=').slice(1).join('=') === token);
}

/** YAML texts whose YAML 1.1 reading differs from the YAML 1.2 one (a `no` that became false for Helm). */
export function yaml11Differs(text: string): boolean {
  const v12 = parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
  return JSON.stringify(v12) !== JSON.stringify(readYaml11Js(text));
}
