import { parseArgs } from 'node:util';
import { catalogue } from '../../shared/platforms';
import { EXIT, type Command } from './types';

export const platformsCommand: Command = {
  name: 'platforms',
  summary: 'List the supported platforms, their variants and credentials',
  built: true,
  help: `Usage: agent-onboard platforms [--json]

Lists every platform the app onboards: id, name, install variants, the credential it needs and
the wizard steps it uses.

Options:
  --json    print the catalogue as one JSON document

Exit codes: 0 always.

Example:
  npm run -s cli -- platforms --json`,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
    const list = catalogue();
    if (values.json) {
      io.stdout(JSON.stringify(list, null, 2) + '\n');
      return EXIT.OK;
    }
    for (const p of list) {
      io.stdout(
        `${p.id.padEnd(15)} ${p.name}\n${' '.repeat(16)}${p.summary}\n${' '.repeat(16)}variants: ${p.variants.map((v) => v.id).join(', ')}; credential: ${p.credential}\n`,
      );
    }
    return EXIT.OK;
  },
};
