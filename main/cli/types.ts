/** The CLI's command shape: each command lives in its own file under main/cli/. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Reads all of standard input (for `-` arguments). */
  readStdin(): Promise<string>;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `<command> --help` text: synopsis, options, exit codes, an example. */
  help: string;
  /** False until the command is built: it then says so and exits 2. */
  built: boolean;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit codes of the CLI contract. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** Thrown for bad usage: the CLI prints the one-line reason and exits 2. */
export class UsageError extends Error {}

/** An error's message and its hint (what to do next), in one run of text. */
export function errorText(e: { message: string; hint?: string }): string {
  return `${e.message}${e.hint ? ` ${e.hint}` : ''}`;
}

/** The one stderr line of a command that failed: `agent-onboard CMD: message hint`, line breaks folded. */
export function errorLine(command: string, e: { message: string; hint?: string }): string {
  return `agent-onboard ${command}: ${errorText(e)}`.replace(/\s*\n\s*/g, ' ') + '\n';
}
