/**
 * The CLI: parses the command name and hands the rest to that command. Exit codes follow the
 * contract: 0 done and passed, 1 a check failed, 2 bad usage or bad input (one line on stderr).
 */
import { platformsCommand } from './platforms';
import { rotateCommand } from './rotate';
import { PLATFORM_COMMANDS } from '../platforms';
import { probeCommand } from './probe';
import { keygenCommand } from './keygen';
import { bundleCommand } from './bundle';
import { generateCommand } from './generate';
import { diagnoseCommand } from './diagnose';
import { fleetCommand } from './fleet';
import { installCommand, verifyCommand } from './install';
import { verifyTokenCommand } from './verify-token';
import { EXIT, UsageError, type CliIo, type Command } from './types';

export const COMMANDS: Command[] = [
  platformsCommand,
  keygenCommand,
  probeCommand,
  generateCommand,
  rotateCommand,
  diagnoseCommand,
  ...PLATFORM_COMMANDS,
  bundleCommand,
  fleetCommand,
  installCommand,
  verifyCommand,
  verifyTokenCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: agent-onboard <command> [options]

Onboard CI/CD remote agents: keys, tokens, connectivity checks, config files and bundles.
Secrets never go on the command line: tokens and passphrases come from the environment
variable you name with --token-env / --passphrase-env.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.built ? '' : ' (not built yet)'}`).join('\n')}

Run 'agent-onboard <command> --help' for a command's options.
Exit codes: 0 done and passed, 1 a check failed, 2 bad usage or bad input.
`;
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    io.stdout(command ? command.help + '\n' : usage());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`agent-onboard: unknown command '${name}'. Run 'agent-onboard --help' for the list.\n`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help + '\n');
    return EXIT.OK;
  }
  const secret = secretOnCommandLine(rest);
  if (secret) {
    io.stderr(`agent-onboard ${name}: ${secret}\n`);
    return EXIT.USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usageLike =
      error instanceof UsageError || (error instanceof TypeError && 'code' in error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    io.stderr(`agent-onboard ${name}: ${message.split('\n')[0]}\n`);
    if (!usageLike) io.stderr(`agent-onboard ${name}: this is a bug; please report it.\n`);
    return EXIT.USAGE;
  }
}

// Options people try for a secret, and the option that takes the name of its variable instead.
const SECRET_OPTIONS: Record<string, string> = { token: 'token-env', passphrase: 'passphrase-env', password: 'passphrase-env', secret: 'token-env' };

/**
 * The reason to refuse a secret given on the command line (`--token X`, `--passphrase=X`),
 * where the process list would show it, or undefined. Says which option to use instead, rather
 * than the argument parser's "Unknown option".
 */
export function secretOnCommandLine(args: string[]): string | undefined {
  for (const arg of args) {
    if (arg === '--') return undefined;
    const option = /^--([a-z-]+)(?:=|$)/.exec(arg)?.[1];
    const instead = option ? SECRET_OPTIONS[option] : undefined;
    if (instead)
      return `secrets never go on the command line (the process list shows them): put it in an environment variable and give its name with --${instead} VAR, e.g. --${instead} AGENT_TOKEN`;
  }
  return undefined;
}
