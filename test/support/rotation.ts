/** Helpers for token-rotation tests: prove an edit changed nothing but the token spans. */
import { execFileSync } from 'node:child_process';
import type { Change } from '../../shared/platforms/types';

/**
 * The new text with every changed span put back to the old text's span: equal to the old text
 * byte for byte exactly when nothing outside the reported spans changed.
 */
export function putBack(oldText: string, newText: string, changes: Change[]): string {
  let out = newText;
  const spans = changes.map((c) => ({ n: c.newRange!, o: c.oldRange! })).sort((a, b) => b.n[0] - a.n[0]);
  for (const { n, o } of spans) out = out.slice(0, n[0]) + oldText.slice(o[0], o[1]) + out.slice(n[1]);
  return out;
}

/** Hostile values: quotes, comment and key characters, shell expansions, unicode, long. */
export const HOSTILE_TOKENS = [
  `it's"quoted"`,
  'has#hash and: colon',
  '$(touch /tmp/pwned)`id`${HOME}',
  "back\\slash\\n'\\''",
  'ünïcødé-トークン-🔑',
  '- starts with dash',
  '"leading quote',
  "trailing quote'",
  '{flow: [yaml]}, &anchor *alias !tag',
  'x'.repeat(4000),
];

/** Values no format may take (a token is one line). */
export const REFUSED_TOKENS = ['line\nbreak', 'carriage\rreturn', 'nul\u0000char', 'tab\tchar', ' padded '];

/** Evaluates `script` with real bash and returns what it printed. */
export function bash(script: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
}

/** shellcheck's findings for a script ('' when clean). */
export function shellcheck(script: string): string {
  try {
    execFileSync('shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

/** yamllint's findings for a YAML text (relaxed rules, long lines allowed; '' when clean). */
export function yamllint(text: string): string {
  try {
    execFileSync('yamllint', ['-d', '{extends: relaxed, rules: {line-length: disable}}', '-f', 'parsable', '-'], { input: text, encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}
