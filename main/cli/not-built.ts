/** Commands of the CLI contract (design.md) whose implementation has not landed yet. */
import { EXIT, type Command } from './types';

function notBuilt(name: string, summary: string, synopsis: string): Command {
  return {
    name,
    summary,
    built: false,
    help: `Usage: agent-onboard ${synopsis}\n\n${summary}.\n\nThis command is not built yet in this version: it exits 2.`,
    async run(_argv, io) {
      io.stderr(`agent-onboard: '${name}' is not built yet in this version.\n`);
      return EXIT.USAGE;
    },
  };
}

export const rotateCommand = notBuilt('rotate', 'Replace the token in an existing install, in place', 'rotate PLATFORM --token-env VAR [--dry-run] FILE_OR_DIR... [--json]');
