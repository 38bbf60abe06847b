/** `agent-onboard` / `npm run -s cli --`: the command-line front end. */
import { runCli } from './cli/index';
import { readStreamBounded } from './cli/read-file';

// Piped into `head`, the reader goes away early: stop quietly instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  readStdin: () => readStreamBounded(process.stdin as AsyncIterable<Buffer>),
});
process.exitCode = code;
