/**
 * Readers that take a generated or rotated file the way the program that consumes it does, so a
 * test can compare the value the agent ends up with against the token (issue 11's principle).
 * Where the real consumer runs here it is used (bash, PyYAML, systemd-analyze); where it cannot
 * (docker, helm, kubectl need daemons or clusters), its parsing rules are ported from its source,
 * cited at each reader, and run on the same text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Artifact } from '../../shared/platforms/types';

// ---------------------------------------------------------------- YAML 1.1 (PyYAML)

let pyyaml: boolean | undefined;
/** True when python3 with PyYAML (a faithful YAML 1.1 implementation; yamllint is built on it) runs here. */
export function hasPyYaml(): boolean {
  if (pyyaml === undefined) pyyaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
  return pyyaml;
}

const PY_READ = `
import json, sys, yaml, datetime
def plain(v):
    # Anything YAML 1.1 resolved to a non-JSON type (a date, bytes, a set) shows as its Python repr.
    if isinstance(v, dict): return {str(k) if not isinstance(k, str) else k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if v is None or isinstance(v, (str, bool, int)): return v
    if isinstance(v, float): return repr(v)
    return 'python:' + repr(v)
out = []
for text in json.load(sys.stdin):
    try:
        out.append({'docs': [plain(d) for d in yaml.load_all(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))]})
    except Exception as e:
        out.append({'error': str(e).splitlines()[0]})
json.dump(out, sys.stdout)
`;

/** Every text read by PyYAML's safe loader (YAML 1.1), one spawn for all: each its documents or its error. */
export function readYaml11(texts: string[]): ({ docs: unknown[] } | { error: string })[] {
  const out = execFileSync('python3', ['-c', PY_READ], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out) as ({ docs: unknown[] } | { error: string })[];
}

/** The documents as the `yaml` package reads them with its YAML 1.1 schema (no PyYAML needed). */
export function readYaml11Js(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
}

// ---------------------------------------------------------------- Kubernetes Secrets

/** Strict standard base64 as the API server decodes `data` (encoding/base64.StdEncoding): undefined when invalid. */
export function k8sBase64Decode(value: string): string | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  const buf = Buffer.from(value, 'base64');
  if (buf.toString('base64') !== value) return undefined;
  return buf.toString('utf8');
}

/**
 * What a container sees from each Secret key: `data` base64-decoded (a value that is not base64
 * is an error, as `kubectl apply` makes it), `stringData` as is, stringData winning on a clash.
 */
export function secretValues(doc: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((doc.data ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new Error(`Secret data ${k} is not a string (${typeof v}): the API server refuses it`);
    const decoded = k8sBase64Decode(v);
    if (decoded === undefined) throw new Error(`Secret data ${k} is not base64: the API server refuses it`);
    out[k] = decoded;
  }
  for (const [k, v] of Object.entries((doc.stringData ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new Error(`Secret stringData ${k} is not a string (${typeof v})`);
    out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- helm --set (pkg/strvals)

/**
 * One `--set` / `--set-string` argument read as helm does (helm.sh/helm/v3 pkg/strvals/parser.go,
 * `parser.key` and `parser.val` with `runesUntil`): pairs are separated by `,`; a key runs to `=`,
 * with `.` nesting maps; in a value `\` takes the next character literally and `,` ends it, while
 * `=` is an ordinary character; a value starting with `{` is a list `{a,b}`. With `--set` (not
 * `--set-string`) `typedVal` turns `true`/`false`/`null` into those, and digits without a leading
 * zero into an int64.
 */
export function helmSet(arg: string, stringOnly: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  const until = (stops: string): { text: string; stop: string | undefined } => {
    let text = '';
    while (i < arg.length) {
      const c = arg[i++]!;
      if (c === '\\') {
        if (i < arg.length) text += arg[i++]!;
        continue;
      }
      if (stops.includes(c)) return { text, stop: c };
      text += c;
    }
    return { text, stop: undefined };
  };
  const typed = (v: string): unknown => {
    if (stringOnly) return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (v === 'null') return null;
    if (v === '0') return 0;
    if (v.length > 1 && v[0] === '0') return v;
    if (/^[-+]?\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    return v;
  };
  while (i < arg.length) {
    const path: string[] = [];
    for (;;) {
      const k = until('.=,[');
      if (k.stop === '[') throw new Error('list indexes are not read by this port');
      if (k.stop === ',' || k.stop === undefined) throw new Error(`key "${k.text}" has no value`);
      path.push(k.text);
      if (k.stop === '=') break;
    }
    let value: unknown;
    if (arg[i] === '{') {
      i++;
      const items: unknown[] = [];
      for (;;) {
        const v = until(',}');
        items.push(typed(v.text));
        if (v.stop !== ',') break;
      }
      if (arg[i] === ',') i++;
      value = items;
    } else value = typed(until(',').text);
    let node = out;
    for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = value;
  }
  return out;
}

// ---------------------------------------------------------------- env files

/**
 * An env file as `docker run --env-file` reads it (docker/cli opts/file.go `parseKeyValueFile`):
 * a leading UTF-8 BOM and each line's leading blanks dropped, `#` lines and empty lines skipped,
 * the name up to the first `=` (no blanks allowed in it), the value everything after, literally.
 */
export function dockerEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, n) => {
      const line = raw.replace(/^\s+/, '');
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const name = (eq < 0 ? line : line.slice(0, eq)).replace(/^\s+/, '');
      if (/\s/.test(name)) throw new Error(`docker: variable '${name}' contains whitespaces (line ${n + 1})`);
      if (name === '') throw new Error(`docker: no variable name on line ${n + 1}`);
      if (eq >= 0) out[name] = line.slice(eq + 1);
    });
  return out;
}

/**
 * An EnvironmentFile as systemd reads it (src/basic/env-file.c `parse_env_file_internal`): blank
 * lines and lines starting with `#` or `;` skipped, blanks around the name and the value dropped,
 * an optional `export ` prefix, values in '…' taken literally, values in "…" with `\` escaping
 * `"`, `\`, `` ` ``, `$` and a line break, and unquoted values with `\` escaping the next character.
 */
export function systemdEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    line = line.replace(/^export[ \t]+/, '');
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim();
    let rest = line.slice(eq + 1).replace(/^[ \t]+/, '');
    let value = '';
    let i = 0;
    while (i <= rest.length) {
      if (i === rest.length) break;
      const c = rest[i]!;
      if (c === "'") {
        const end = rest.indexOf("'", i + 1);
        if (end < 0) throw new Error(`systemd: unterminated ' on line ${n + 1}`);
        value += rest.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= rest.length) {
            if (n + 1 >= lines.length) throw new Error(`systemd: unterminated " on line ${n + 1}`);
            value += '\n';
            rest = rest + '\n' + lines[++n]!.replace(/\r$/, '');
            i++;
            continue;
          }
          const d = rest[i]!;
          if (d === '"') break;
          if (d === '\\' && '"\\`$\n'.includes(rest[i + 1] ?? '')) {
            if (rest[i + 1] !== '\n') value += rest[i + 1];
            i += 2;
            continue;
          }
          value += d;
          i++;
        }
        i++;
      } else if (c === '\\') {
        if (i + 1 < rest.length) value += rest[i + 1];
        else if (n + 1 < lines.length) rest += lines[++n]!.replace(/\r$/, '');
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    out[name] = value.replace(/[ \t]+$/, '');
  }
  return out;
}

// ---------------------------------------------------------------- shell

/** What one stand-in command got when a script ran: its arguments, and the files --env-file named. */
export interface Invocation {
  command: string;
  args: string[];
}

/**
 * Writes `files` to a fresh folder under `work` (with their modes) and runs `script` there with
 * bash, `commands` replaced by stand-ins that print their arguments (`printf '%s\0' "$@"`), so the
 * test sees every word exactly as the real command would get it. `docker container inspect` and
 * `docker ps` answer "not there" so the script goes on to `docker run`.
 */
export function runScript(
  work: string,
  files: Pick<Artifact, 'path' | 'text' | 'mode'>[],
  script: string,
  commands: string[],
  env: Record<string, string> = {},
): { status: number; stderr: string; dir: string; calls: Invocation[] } {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  for (const f of files) {
    const p = path.join(dir, f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.text);
    chmodSync(p, f.mode);
  }
  const log = path.join(dir, '.calls');
  writeFileSync(log, '');
  for (const c of commands) {
    const stub = `#!/usr/bin/env bash\nif [ "${c}" = docker ] && { [ "$1" = container ] || [ "$1" = ps ]; }; then exit 1; fi\n{ printf '%s\\0' "${c}" "$#" "$@"; } >> "$CALLS"\n`;
    writeFileSync(path.join(bin, c), stub, { mode: 0o755 });
  }
  const r = spawnSync('bash', [path.join(dir, script)], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, CALLS: log, ...env },
  });
  const parts = readFileSync(log, 'utf8').split('\0').slice(0, -1);
  const calls: Invocation[] = [];
  for (let i = 0; i < parts.length;) {
    const command = parts[i]!;
    const n = Number(parts[i + 1]);
    calls.push({ command, args: parts.slice(i + 2, i + 2 + n) });
    i += 2 + n;
  }
  return { status: r.status ?? -1, stderr: r.stderr, dir, calls };
}

/**
 * The environment a `docker run` gives its container, as docker builds it (docker/cli
 * opts/parse.go `ReadKVEnvStrings`): every --env-file in order, then every -e/--env, later wins.
 * A relative --env-file is resolved against `cwd`.
 */
export function dockerRunEnv(args: string[], cwd: string): Record<string, string> {
  const files: Record<string, string> = {};
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if ((a === '--env-file' || a.startsWith('--env-file=')) && (next !== undefined || a.includes('='))) {
      const f = a.includes('=') ? a.slice(a.indexOf('=') + 1) : next!;
      Object.assign(files, dockerEnvFile(readFileSync(path.resolve(cwd, f), 'utf8')));
      if (!a.includes('=')) i++;
    } else if ((a === '-e' || a === '--env') && next !== undefined) {
      const eq = next.indexOf('=');
      if (eq > 0) flags[next.slice(0, eq)] = next.slice(eq + 1);
      i++;
    }
  }
  return { ...files, ...flags };
}
