/**
 * Env files for `docker run --env-file`, so a token never appears on a command line (the process
 * list shows every argument of `docker run -e NAME=value`). Docker reads these files literally
 * (docker/cli opts/file.go `parseKeyValueFile`): leading blanks of a line are dropped, a line
 * starting with `#` is a comment, the name runs to the first `=`, and the value is everything after
 * it, quotes included — there is no quoting or escaping. So a value is written as is, and only
 * what cannot be on one line is refused.
 */
import { err, ok, type Result } from '../result';
import { checkLine } from './values';

/** The text of an env file for `docker run --env-file` holding `env`, after `comments` (`# ` lines). */
export function dockerEnvFile(env: [string, string][], comments: string[]): Result<string> {
  const lines = comments.map((c) => `# ${c}`);
  for (const [name, value] of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return err('UNSAFE_VALUE', `${name} is not an environment variable name.`);
    const line = checkLine(value, name, 4096);
    if (!line.ok) return line;
    lines.push(`${name}=${value}`);
  }
  return ok(`${lines.join('\n')}\n`);
}

/**
 * Shell lines that stop when `file` (a path relative to the script's folder, `$HERE`) is missing
 * or readable by others than its owner: the env file holds the token.
 */
export function envFileGuard(file: string): string[] {
  return [
    `if [ ! -f "$HERE/${file}" ]; then echo "$HERE/${file} is missing: it holds the token this script passes with --env-file." >&2; exit 1; fi`,
    `if [ -n "$(find "$HERE/${file}" -perm /077)" ]; then echo "$HERE/${file} holds the token but others can read it: chmod 600 \\"$HERE/${file}\\"" >&2; exit 1; fi`,
  ];
}
