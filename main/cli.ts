/** `agent-onboard` / `npm run -s cli --`: the command-line front end. */
import { runCli } from './cli/index';
import { readStreamBounded } from './cli/read-file';
import { terminalSafe } from '../shared/visible';

// Piped into `head`, the reader goes away early: stop quietly instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Every command prints text from files and the network (manifests, logs, banners, paths): no
// control sequence in it reaches the terminal (newlines and tabs are the CLI's own).
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(terminalSafe(t)),
  stderr: (t) => process.stderr.write(terminalSafe(t)),
  env: process.env,
  cwd: process.cwd(),
  readStdin: () => readStreamBounded(process.stdin as AsyncIterable<Buffer>),
});
process.exitCode = code;
