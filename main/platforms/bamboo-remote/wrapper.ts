/**
 * Finding and reading an existing Bamboo remote agent's conf/wrapper.conf: from the agent home
 * (`<home>/conf/wrapper.conf`), its conf/ folder, or the file itself. Reading only; the edit goes
 * through the platform's updater and the file service (the rotate flow).
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WrapperInfo } from '../../../shared/platforms/bamboo-remote/contract';
import { readWrapperConf } from '../../../shared/platforms/bamboo-remote/wrapper-conf';
import { wrapperConfUpdater } from '../../../shared/platforms/bamboo-remote/updater';
import { err, ok, type Result } from '../../../shared/result';
import { readSnapshot } from '../../services/files';

async function kind(p: string): Promise<'file' | 'dir' | 'missing' | 'other'> {
  try {
    const s = await stat(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * The wrapper.conf for what the user pointed at: an agent home resolves to conf/wrapper.conf, a
 * conf/ folder to its wrapper.conf, a file to itself. `~/` is the home folder; relative paths are
 * taken from `cwd`. Failure: NOT_FOUND (with what was looked for), BAD_INPUT (NUL in the path).
 */
export async function resolveWrapperConf(input: string, cwd = process.cwd(), home = os.homedir()): Promise<Result<string>> {
  const text = input.trim();
  if (text.includes('\0')) return err('BAD_INPUT', 'The path contains a NUL character.');
  const expanded = text === '~' ? home : text.startsWith('~/') ? path.join(home, text.slice(2)) : text;
  const target = path.resolve(cwd, expanded);
  const k = await kind(target);
  if (k === 'file') return ok(target);
  if (k === 'dir') {
    for (const candidate of [path.join(target, 'conf', 'wrapper.conf'), path.join(target, 'wrapper.conf')]) {
      if ((await kind(candidate)) === 'file') return ok(candidate);
    }
    return err(
      'NOT_FOUND',
      `${target} has no conf/wrapper.conf: it is not a Bamboo agent home.`,
      'Choose the bamboo-agent-home folder (the one with bin/, conf/ and lib/) or its conf/wrapper.conf.',
    );
  }
  if (k === 'missing') return err('NOT_FOUND', `${target} does not exist.`, 'Check the path of the bamboo-agent-home on this machine.');
  return err('BAD_INPUT', `${target} is neither a file nor a folder.`);
}

/**
 * What an agent's wrapper.conf holds: the server URL it found, where the token is (masked), the
 * agent home and the restart commands for it. Failure codes: those of resolveWrapperConf,
 * IO_ERROR (unreadable), UNKNOWN_FORMAT (not a Bamboo agent's wrapper.conf), PARSE_ERROR (no or
 * two server URLs).
 */
export async function readWrapperInfo(input: string, cwd?: string): Promise<Result<WrapperInfo>> {
  const resolved = await resolveWrapperConf(input, cwd);
  if (!resolved.ok) return resolved;
  let snapshot;
  try {
    snapshot = await readSnapshot(resolved.value);
  } catch (error) {
    return err(
      'IO_ERROR',
      `Cannot read ${resolved.value}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      'Run the app as a user who can read the agent home (often the agent user or root).',
    );
  }
  if (!snapshot.exists || snapshot.text === undefined) return err('NOT_FOUND', `${resolved.value} does not exist.`);
  const info = readWrapperConf(snapshot.text);
  if (!info.ok) return err(info.error.code, `${resolved.value}: ${info.error.message}`, info.error.hint);
  return ok({ path: resolved.value, ...info.value, restartCommands: wrapperConfUpdater.commandsFor!(snapshot.text, resolved.value) });
}
