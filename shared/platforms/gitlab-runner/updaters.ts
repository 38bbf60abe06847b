/**
 * Token rotation in an existing GitLab Runner install: `token` in config.toml (and
 * `token_obtained_at` / `token_expires_at` when they are there) changes in place; comments, order,
 * quoting and every other value stay byte for byte. The runner reloads config.toml every 3 s, so
 * no restart is needed; it also rewrites the file when it renews its own token, which is why the
 * file service re-reads it (hash check) just before writing.
 */
import { err, ok } from '../../result';
import { editToml, locateToml, parseToml, pathText, tomlStringLike, type TomlEdit, type TomlEntry } from '../../edit/toml';
import { lineOf, type Rotated } from '../../edit/splice';
import { checkTokenText } from '../../edit/values';
import type { Command, Updater } from '../types';
import { CONFIG_PATH } from './answers';
import { confirmCommands } from './generate';
import { shellWord } from './common';

/** What the runner writes for "no expiry" (Go's zero time). */
export const NO_EXPIRY = '0001-01-01T00:00:00Z';

function runnersOf(parsed: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(parsed.runners) ? (parsed.runners as Record<string, unknown>[]) : [];
}

/** The new text of a date field, in the form the old value had (a TOML datetime or a string). */
function dateLike(entry: TomlEntry, iso: string): string {
  return entry.kind === 'other' ? iso : entry.kind === 'literal' ? `'${iso}'` : `"${iso}"`;
}

function rotateConfigToml(text: string, token: string): Rotated {
  const t = checkTokenText(token, 'The runner token');
  if (!t.ok) return t;
  const parsed = parseToml(text);
  if (!parsed.ok) return parsed;
  const layout = locateToml(text);
  if (!layout.ok) return layout;
  const runners = runnersOf(parsed.value);
  if (runners.length === 0)
    return ok({
      text,
      changes: [],
      notes: ['This config.toml has no [[runners]] entry: there is no token to change. Register the runner first (gitlab-runner register --token glrt-…).'],
    });
  if (runners.length > 1) {
    const names = runners.map((r, i) => (typeof r.name === 'string' ? `"${r.name}"` : `#${i + 1}`)).join(', ');
    return err(
      'BAD_INPUT',
      `This config.toml has ${runners.length} runners (${names}), each with its own token, and a new token belongs to one of them; nothing was changed.`,
      'On the runner host run `sudo gitlab-runner reset-token --name <runner name>` for the one to rotate (the runner writes its new token itself), or keep one runner per file.',
    );
  }
  const entries = layout.value.entries;
  const at = (key: string): TomlEntry | undefined =>
    entries.find((e) => e.path.length === 3 && e.path[0] === 'runners' && e.path[1] === 0 && e.path[2] === key);
  const tokenEntry = at('token');
  if (!tokenEntry)
    return ok({
      text,
      changes: [],
      notes: ['The [[runners]] entry has no token line: the runner is not registered yet. Register it with its glrt- token first.'],
    });
  const quoted = tomlStringLike(tokenEntry, token, 'The runner token');
  if (!quoted.ok) return quoted;
  const edits: (TomlEdit & { what: string })[] = [
    { path: tokenEntry.path, toml: quoted.value, expect: token, what: `token of runner ${runnerName(runners[0]!)}` },
  ];
  const notes: string[] = [];
  for (const key of ['token_obtained_at', 'token_expires_at']) {
    const e = at(key);
    if (!e) continue;
    edits.push({ path: e.path, toml: dateLike(e, NO_EXPIRY), what: `${key} (${NO_EXPIRY}, "not known")` });
  }
  if (edits.length > 1) {
    notes.push(
      `token_obtained_at and token_expires_at are set to ${NO_EXPIRY}, the runner's own "not known" value: the old token's dates do not apply to the new one, and the runner would otherwise renew the new token on the old schedule. If the new token expires, renew it before then (gitlab-runner reset-token records the dates itself).`,
    );
  }
  const edited = editToml(
    text,
    edits.map(({ path, toml, expect }) => ({ path, toml, ...(expect === undefined ? {} : { expect }) })),
  );
  if (!edited.ok) return edited;
  return ok({
    text: edited.value.text,
    changes: edits
      .map((e, i) => ({
        line: lineOf(edited.value.text, edited.value.ranges[i]![0]),
        what: e.what,
        oldRange: edited.value.oldRanges[i]!,
        newRange: edited.value.ranges[i]!,
      }))
      .filter((c) => text.slice(c.oldRange[0], c.oldRange[1]) !== edited.value.text.slice(c.newRange[0], c.newRange[1])),
    notes: [
      ...notes,
      'No restart is needed: the runner reloads config.toml within 3 seconds (its log says "Configuration loaded").',
      ...vendorWayNote(runners[0]!),
    ],
  });
}

function runnerName(r: Record<string, unknown>): string {
  return typeof r.name === 'string' ? `"${r.name}"` : pathText(['runners', 0]);
}

/** When `gitlab-runner reset-token` fits better than pasting a new token. */
function vendorWayNote(r: Record<string, unknown>): string[] {
  const name = typeof r.name === 'string' ? r.name : '<runner name>';
  return [
    `GitLab's own way is \`sudo gitlab-runner reset-token --name ${shellWord(name)}\` on the runner host: the runner asks GitLab for a new token with its current one and writes it (and its expiry) itself, so nobody handles the secret. Use it while the current token still works; use this in-place edit when you created a new token in GitLab (the old one leaked, expired or was reset there), or add --pat <glpat-…> to reset-token when the current token is already lost.`,
  ];
}

function commandsFor(text: string, filePath: string): Command[] {
  const docker = /(^|\/)config\/config\.toml$/.test(filePath) && !filePath.startsWith('/etc/');
  return docker ? confirmCommands('docker') : confirmCommands('systemd', filePath.startsWith('/') ? filePath : CONFIG_PATH);
}

export const configTomlUpdater: Updater = {
  id: 'gitlab-runner-config-toml',
  name: 'GitLab Runner config.toml',
  detect: (fileName, text) => /\.toml$/i.test(fileName) && /^\s*\[\[\s*runners\s*\]\]/m.test(text),
  rotate: rotateConfigToml,
  commands: confirmCommands('systemd'),
  commandsFor,
  homeFiles: ['config.toml', 'config/config.toml'],
};

export const GITLAB_RUNNER_UPDATERS: Updater[] = [configTomlUpdater];
