/** `verify-token`: checks an agent token with its vendor (platforms with Platform.tokenVerify). */
import { parseArgs } from 'node:util';
import { PLATFORMS, getPlatform } from '../../shared/platforms';
import { exitCodeFor } from '../../shared/result';
import { checkToken } from '../../shared/tokens';
import { verifyTokenWithVendor } from '../services/token-verify';
import { readCaFileArg } from './ca-file';
import { readTextArg } from './read-file';
import { EXIT, UsageError, errorText, type Command } from './types';

const WITH_CHECK = PLATFORMS.filter((p) => p.tokenVerify).map((p) => `  ${p.id.padEnd(15)} ${p.tokenVerify!.what}`);

const HELP = `Usage: agent-onboard verify-token PLATFORM --answers FILE.json --token-env VAR
                                  [--ca-file FILE] [--proxy URL] [--no-proxy LIST] [--json]

Asks the platform's vendor whether the token is valid, with the token itself and nothing else,
before any file is written. Only the platforms below have such a check; it creates nothing.

Options:
  --answers FILE.json  the Details answers (the vendor's URL comes from them)
  --token-env VAR      name of the environment variable holding the token (never the token itself)
  --ca-file FILE       a company CA (PEM or DER) to trust besides the system's
  --proxy URL          an HTTP proxy to go through (CONNECT); without it, no proxy
  --no-proxy LIST      hosts reached without the proxy
  --json               print one JSON document

Platforms with a token check:
${WITH_CHECK.join('\n')}

Exit codes: 0 the vendor accepts the token; 1 it refuses it (invalid or expired) or its answer
does not say; 2 bad usage or bad input, or the vendor could not be reached.`;

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
      options: { answers: { type: 'string' }, 'token-env': { type: 'string' }, 'ca-file': { type: 'string' }, proxy: { type: 'string' }, 'no-proxy': { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one PLATFORM (run `agent-onboard verify-token --help`)');
    const platform = getPlatform(positionals[0]!);
    if (!platform) throw new UsageError(`unknown platform '${positionals[0]}'`);
    if (!platform.tokenVerify || platform.credential.kind !== 'token') throw new UsageError(`${platform.name} has no token check with its vendor`);
    if (!values.answers) throw new UsageError('--answers FILE.json is required');
    const name = values['token-env'];
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('--token-env VAR is required (the NAME of the environment variable holding the token)');
    const raw = io.env[name];
    if (raw === undefined || raw.trim() === '') throw new UsageError(`environment variable ${name} is not set or empty`);
    const verdict = checkToken(platform.credential.token, raw);
    if (verdict.verdict !== 'ok') throw new UsageError(`${verdict.message} Get it from ${verdict.where}`);
    let answers: unknown;
    try {
      answers = JSON.parse(await readTextArg(values.answers, io.cwd, 'answers file'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${values.answers} is not valid JSON: ${(error as Error).message}`);
    }
    const caPems = values['ca-file'] ? (await readCaFileArg(values['ca-file'], io.cwd)).pems : undefined;
    const r = await verifyTokenWithVendor(platform, answers, verdict.token, {
      ...(values.proxy ? { proxy: { mode: 'manual' as const, url: values.proxy, ...(values['no-proxy'] ? { noProxy: values['no-proxy'] } : {}) } } : {}),
      ...(caPems ? { caPems } : {}),
      env: io.env,
    });
    if (!r.ok) {
      io.stderr(`agent-onboard verify-token: ${errorText(r.error)}\n`);
      return exitCodeFor(r.error.code);
    }
    if (values.json) io.stdout(JSON.stringify({ platform: platform.id, ...r.value }, null, 2) + '\n');
    else io.stdout(`${r.value.state}: ${r.value.message}\n(${r.value.checked})\n`);
    return r.value.state === 'valid' ? EXIT.OK : EXIT.FAILED;
  },
};
