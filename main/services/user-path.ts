/**
 * The one reading of a path a user typed (a folder to write to, a bundle to open, a folder to
 * pack), for every handler and the CLI: `~` and `~/x` are under the home folder; anything else
 * must be absolute, since the app's working folder means nothing to a user.
 */
import os from 'node:os';
import path from 'node:path';
import { errAt, ok, type Result } from '../../shared/result';

/**
 * An absolute, normalised path from what the user typed (surrounding spaces dropped). BAD_INPUT
 * with `field` (the request field it came from, e.g. `outDir`) for a relative path or a NUL.
 */
export function resolveUserPath(text: string, field: string, home = os.homedir()): Result<string> {
  const value = text.trim();
  if (value.includes('\0')) return errAt(field, 'BAD_INPUT', `${field}: the path must not contain NUL characters.`);
  const expanded = value === '~' ? home : value.startsWith('~/') ? path.join(home, value.slice(2)) : value;
  if (!path.isAbsolute(expanded))
    return errAt(
      field,
      'BAD_INPUT',
      `${field}: ${JSON.stringify(value.slice(0, 80))} is not an absolute path: write it from the root (/…) or from your home (~/…).`,
      'For example /home/you/agent-config or ~/agent-config.',
    );
  return ok(path.resolve(expanded));
}
