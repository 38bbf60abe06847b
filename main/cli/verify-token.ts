/** `verify-token`: checks an agent token with its vendor (platforms with Platform.tokenVerify). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PLATFORMS, getPlatform } from '../../shared/platforms';
import { exitCodeFor } from '../../shared/result';
import { checkToken } from '../../shared/tokens';
import { verifyTokenWithVendor } from '../services/token-verify';
import { readCaFileArg } from './ca-file';
import { readAnswersArg } from './read-file';
import { EXIT, UsageError, errorText, type Command } from './types';

const WITH_CHECK = PLATFORMS.filter((p) => p.tokenVerify).map((p) => `  ${p.id.padEnd(15)} ${p.tokenVerify!.what}`);

const HELP = `Usage: agent-onboard verify-token PLATFORM --answers FILE.json --token-env VAR [--variant ID]
                                  [--ca-file FILE] [--proxy URL] [--no-proxy LIST]
                                  [--save-issued FILE] [--json]

Asks the platform's vendor whether the token is valid, with the token itself and nothing else,
before any file is written. Only the platforms below have such a check; it creates nothing but,
for some, a short-lived token in exchange (a registration token a GitHub PAT fetches).

Options:
  --answers FILE.json  the Details answers (the vendor's URL comes from them)
  --token-env VAR      name of the environment variable holding the token (never the token itself)
  --variant ID         the variant being onboarded, when the check depends on it (GitHub: arc)
  --save-issued FILE   write a token the vendor issued in exchange to FILE (new file, mode 0600);
                       it is never printed
  --ca-file FILE       a company CA (PEM or DER) to trust besides the system's
  --proxy URL          an HTTP proxy to go through (CONNECT); without it, no proxy
  --no-proxy LIST      hosts reached without the proxy
  --json               print one JSON document

Platforms with a token check:
${WITH_CHECK.join('\n')}

Exit codes: 0 the vendor accepts the token (and every finding passed); 1 it refuses it (invalid
or expired), its answer does not say, or a finding failed; 2 bad usage or bad input, or the
vendor could not be reached.`;

export const verifyTokenCommand: Command = {
  name: 'verify-token',
  summary: 'Check a token with its vendor before writing anything',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        answers: { type: 'string' },
        variant: { type: 'string' },
        'save-issued': { type: 'string' },
        'token-env': { type: 'string' },
        'ca-file': { type: 'string' },
        proxy: { type: 'string' },
        'no-proxy': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one PLATFORM (run `agent-onboard verify-token --help`)');
    const platform = getPlatform(positionals[0]!);
    if (!platform) throw new UsageError(`unknown platform '${positionals[0]}'`);
    if (!platform.tokenVerify || platform.credential.kind !== 'token') throw new UsageError(`${platform.name} has no token check with its vendor`);
    if (!values.answers) throw new UsageError('--answers FILE.json is required');
    const name = values['token-env'];
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UsageError('--token-env VAR is required (the NAME of the environment variable holding the token)');
    const raw = io.env[name];
    if (raw === undefined || raw.trim() === '') throw new UsageError(`environment variable ${name} is not set or empty`);
    const verdict = checkToken(platform.credential.token, raw);
    if (verdict.verdict !== 'ok') throw new UsageError(`${verdict.message} Get it from ${verdict.where}`);
    const answers = await readAnswersArg(values.answers, io.cwd);
    const caPems = values['ca-file'] ? (await readCaFileArg(values['ca-file'], io.cwd)).pems : undefined;
    const r = await verifyTokenWithVendor(platform, answers, verdict.token, {
      ...(values.proxy ? { proxy: { mode: 'manual' as const, url: values.proxy, ...(values['no-proxy'] ? { noProxy: values['no-proxy'] } : {}) } } : {}),
      ...(caPems ? { caPems } : {}),
      env: io.env,
      ...(values.variant ? { variant: values.variant } : {}),
    });
    if (!r.ok) {
      io.stderr(`agent-onboard verify-token: ${errorText(r.error)}\n`);
      return exitCodeFor(r.error.code);
    }
    const { issued, ...said } = r.value;
    let saved: string | undefined;
    if (issued && values['save-issued']) {
      const file = path.resolve(io.cwd, values['save-issued']);
      try {
        await writeFile(file, `${issued.token}\n`, { mode: 0o600, flag: 'wx' });
        saved = file;
      } catch (error) {
        io.stderr(
          `agent-onboard verify-token: could not write ${file}: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists (choose a new file)' : (error as Error).message}\n`,
        );
        return EXIT.USAGE;
      }
    }
    const issuedFacts = issued
      ? { kind: issued.kind, kindName: issued.kindName, ...(issued.expiresAt ? { expiresAt: issued.expiresAt } : {}), ...(saved ? { savedTo: saved } : {}) }
      : undefined;
    if (values.json) io.stdout(JSON.stringify({ platform: platform.id, ...said, ...(issuedFacts ? { issued: issuedFacts } : {}) }, null, 2) + '\n');
    else {
      io.stdout(`${said.state}: ${said.message}\n(${said.checked})\n`);
      for (const f of said.findings ?? []) io.stdout(`${f.state}: ${f.detail}\n`);
      if (issued)
        io.stdout(
          saved
            ? `The ${issued.kindName} is in ${saved} (mode 0600)${issued.expiresAt ? `, until ${issued.expiresAt}` : ''}.\n`
            : `The ${issued.kindName} was not kept: run again with --save-issued FILE to write it to a file.\n`,
        );
    }
    return said.state === 'valid' && !(said.findings ?? []).some((f) => f.state === 'failed') ? EXIT.OK : EXIT.FAILED;
  },
};
