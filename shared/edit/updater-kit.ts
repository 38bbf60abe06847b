/**
 * The parts every token-rotating platform builds its updaters from, so a new platform writes only
 * what is its own (which names hold the token, which commands restart it):
 * - file recognition: `YAML_NAME`, `looksLikeScript`, `yamlTopKeys`, `baseName`, `dirName`;
 * - answers: `noToken` (nothing to change, with a note why);
 * - scripts: `scriptWordEdits` collects edits of shell words in the words' own quoting style,
 *   `rotateScriptWith` is the whole rotate (token check, plan, nothing-found note, apply, prove
 *   every edited word reads back as one literal word), `containerNameIn` reads the container a
 *   `docker run --name` in a script names, `dockerRecreateCommands` restarts and checks it;
 * - YAML: `rotateYamlWith` is the whole rotate of a YAML file around a plan of scalar edits
 *   (the edit itself is proved by shared/edit/yaml.ts).
 * A platform's script updater is then `{ detect: (f, t) => looksLikeScript(f, t) && mentions(t),
 * rotate: (t, token) => rotateScriptWith(t, token, plan, 'No … token in this script.'), … }`;
 * see shared/platforms/harness/updaters.ts and shared/platforms/buildkite/updaters.ts.
 */
import { isMap, isScalar } from 'yaml';
import { err, ok, type Result } from '../result';
import { shownSh } from '../escape';
import type { Command } from '../platforms/types';
import { readShellWord, renderShellWordLike, shellWords, type ShellWord } from './shell';
import { applyTokenEdits, lineOf, type Rotated, type TokenEdit } from './splice';
import { checkTokenText } from './values';
import { editYaml, parseYaml, type YamlDoc, type YamlRemove, type YamlSet } from './yaml';

/** A YAML file name (.yml or .yaml). */
export const YAML_NAME = /\.ya?ml$/i;

/** The last path segment of a '/' or '\' path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The folder of a '/' or '\' path ('.' when it has none). */
export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i <= 0 ? '.' : path.slice(0, i);
}

/** A rotation that changes nothing, with the note that says why (and where the token is instead). */
export function noToken(text: string, note: string): Rotated {
  return ok({ text, changes: [], notes: [note] });
}

/** Top-level mapping keys of the first YAML document of `text` (empty when it is not YAML or not a mapping). */
export function yamlTopKeys(text: string): Set<string> {
  const docs = parseYaml(text);
  if (!docs.ok) return new Set();
  const root = docs.value[0]?.contents;
  return new Set(isMap(root) ? root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean) : []);
}

/**
 * True when a file is a shell script by name or content: not YAML, not `notFiles` (JSON by
 * default), and a .sh/.bash/.command name, a shell shebang, or a `docker run|create` in it.
 */
export function looksLikeScript(fileName: string, text: string, notFiles = /\.json$/i): boolean {
  return (
    !YAML_NAME.test(fileName) &&
    !notFiles.test(fileName) &&
    (/\.(sh|bash|command)$/i.test(fileName) || /^#!.*\b(ba|z|k|da)?sh\b/.test(text) || /\bdocker\s+(run|create)\b/.test(text))
  );
}

/** The container name a `docker run --name X` (or `NAME=X`) in a script gives, if it is literal. */
export function containerNameIn(text: string): string | undefined {
  const words = shellWords(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.value === '--name' && words[i + 1]?.literal) return words[i + 1]!.value;
    if (w.value.startsWith('--name=') && w.literal) return w.value.slice(7);
  }
  const assigned = words.find((w) => /^NAME=/.test(w.value) && w.literal);
  return assigned ? assigned.value.slice(5) : undefined;
}

/** The edits and notes a platform's planner builds for one script. */
export interface ScriptEdits {
  text: string;
  words: ShellWord[];
  edits: TokenEdit[];
  notes: string[];
  /**
   * Replaces word `w` by one that reads as `prefix + value`, in `w`'s own quoting style where the
   * value fits it; UNSAFE_VALUE naming `what` when no shell word can carry the value.
   */
  replace(w: { start: number; end: number }, prefix: string, value: string, what: string): Result<void>;
}

/** An empty plan over `text`'s shell words, for a planner to fill. */
export function scriptWordEdits(text: string): ScriptEdits {
  const plan: ScriptEdits = {
    text,
    words: shellWords(text),
    edits: [],
    notes: [],
    replace(w, prefix, value, what) {
      const rendered = renderShellWordLike(text.slice(w.start, w.end), prefix, value);
      if (rendered === undefined) return err('UNSAFE_VALUE', `${what}: this value cannot be written as one shell word.`);
      plan.edits.push({ start: w.start, end: w.end, text: rendered, what });
      return ok(undefined);
    },
  };
  return plan;
}

/**
 * The rotate of a script updater: checks the token, lets `plan` fill the edits (or refuse), says
 * `none` (or the plan's notes) when there is nothing to change, and applies the edits only when
 * every edited word reads back as one literal shell word in the new script.
 */
export function rotateScriptWith(text: string, token: string, plan: (p: ScriptEdits, token: string) => Result<void>, none: string): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  const p = scriptWordEdits(text);
  const planned = plan(p, token);
  if (!planned.ok) return planned;
  if (p.edits.length === 0) return noToken(text, p.notes.length ? p.notes.join(' ') : none);
  return applyTokenEdits(text, p.edits, p.notes, (newText, ranges, applied) => {
    for (const [i, e] of applied.entries()) {
      const [s, end] = ranges[i]!;
      const w = readShellWord(newText, s);
      if (w.end !== end || !w.literal) return `${e.what} (line ${lineOf(newText, s)}): the edit would not read back as one shell word; nothing was changed.`;
    }
    return undefined;
  });
}

/** What a YAML plan sets, removes and says; no sets means nothing to change. */
export interface YamlPlan {
  sets: YamlSet[];
  removes?: YamlRemove[];
  notes: string[];
}

/**
 * The rotate of a YAML updater: checks the token, parses `text` (a PARSE_ERROR names `name`),
 * lets `plan` choose the scalars (or refuse), says `none` (or the plan's notes) when there is
 * nothing to change, and edits in place, proved by reading the result back.
 */
export function rotateYamlWith(text: string, token: string, name: string, plan: (docs: YamlDoc[], token: string) => Result<YamlPlan>, none: string): Rotated {
  const t = checkTokenText(token);
  if (!t.ok) return t;
  const docs = parseYaml(text, name);
  if (!docs.ok) return docs;
  const planned = plan(docs.value, token);
  if (!planned.ok) return planned;
  const { sets, removes = [], notes } = planned.value;
  if (sets.length === 0) return noToken(text, notes.length ? notes.join(' ') : none);
  const edited = editYaml(text, docs.value, sets, removes, name);
  return edited.ok ? ok({ ...edited.value, notes }) : edited;
}

/**
 * Recreate-and-verify commands for an agent container `name` that `script` starts: remove it
 * (it keeps the old token until recreated), run the script, check the token inside by its hash
 * (the variable `envName`), and watch its log (`logTitle`, `logArgs` for docker logs).
 */
export function dockerRecreateCommands(script: string, name: string, envName: string, logTitle: string, logArgs = '--since 10m'): Command[] {
  const n = shownSh(name, '<container>');
  return [
    { title: 'Remove the running container (it keeps the old token until recreated)', command: `docker rm -f ${n}` },
    { title: 'Start it again with the new token', command: `bash ${shownSh(script, '<script>')}` },
    {
      title: 'Check the container has the new token (must print <new-token-sha256>)',
      command: `docker exec ${n} printenv ${envName} | tr -d '\\n' | sha256sum`,
    },
    { title: logTitle, command: `docker logs ${logArgs} ${n}` },
  ];
}
