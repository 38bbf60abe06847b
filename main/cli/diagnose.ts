import { parseArgs } from 'node:util';
import { diagnose, type Diagnosis } from '../../shared/diagnose';
import { getPlatform, PLATFORMS } from '../../shared/platforms';
import type { FixAction, PlatformId } from '../../shared/platforms/types';
import { EXIT, UsageError, type Command } from './types';
import { readTextArg } from './read-file';

const HELP = `Usage: agent-onboard diagnose [--platform P] [FILE|-] [--json]

Reads agent log text (supervisord, ssh, journal, wrapper logs; pasted or from a file) and names
every known failure it recognises, with its cause and fix. Time stamps and wrapped lines are
handled. Without FILE, or with -, it reads standard input.

Options:
  --platform P   only look for failures of this platform (${PLATFORMS.map((p) => p.id).join(', ')})
  --json         print one JSON document: {"diagnoses": [{platform, failure: {id, title, cause,
                 fix, action?}, excerpt}]}

Exit codes (like grep): 0 at least one known failure recognised; 1 nothing recognised;
2 bad usage (unknown platform, unreadable file).

Example:
  docker compose logs AGENT_CONTAINER | npm run -s cli -- diagnose --platform PLATFORM`;

/** What the app can do about a failure, in words. */
export function describeAction(action: FixAction): string {
  if (action.cli) return action.cli;
  switch (action.kind) {
    case 'switch-port':
      return `switch to port ${action.port} (set it on the Details step or in the answers file, then generate again)`;
    case 'rotate-token':
      return `rotate the token: agent-onboard rotate ${action.platform} --token-env VAR FILE`;
    case 'open-step':
      return `redo the ${action.step} step of the wizard`;
  }
}

function render(d: Diagnosis): string {
  const f = d.failure;
  return [
    `${d.platform}: ${f.title}  [${f.id}]`,
    `  seen:  ${d.excerpt}`,
    `  cause: ${f.cause}`,
    `  fix:   ${f.fix}`,
    ...(f.action ? [`  next:  ${describeAction(f.action)}`] : []),
  ].join('\n');
}

export const diagnoseCommand: Command = {
  name: 'diagnose',
  summary: 'Name a known failure from log text, with its cause and fix',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { platform: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length > 1) throw new UsageError('give at most one FILE (or - for standard input)');
    if (values.platform !== undefined && !getPlatform(values.platform))
      throw new UsageError(`unknown platform ${JSON.stringify(values.platform)} (use ${PLATFORMS.map((p) => p.id).join(', ')})`);
    const file = positionals[0];
    let text: string;
    if (file === undefined || file === '-') text = await io.readStdin();
    else text = await readTextArg(file, io.cwd, '');
    const found = diagnose(text, values.platform as PlatformId | undefined);
    if (values.json) io.stdout(JSON.stringify({ diagnoses: found }, null, 2) + '\n');
    else if (found.length === 0)
      io.stdout(
        `No known failure recognised${values.platform ? ` for ${values.platform}` : ''}. Look for the first error line in the log; \`agent-onboard probe\` checks connectivity.\n`,
      );
    else io.stdout(found.map(render).join('\n\n') + '\n');
    return found.length > 0 ? EXIT.OK : EXIT.FAILED;
  },
};
