import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Credential, CredentialSpec } from '../../shared/platforms/types';
import { PLATFORMS } from '../../shared/platforms';
import { answersKeys, answersKeysText } from '../../shared/platforms/answers-doc';
import { exitCodeFor, ok, type Result } from '../../shared/result';
import { generateFiles, generatorOf, planConfigs } from '../services/configs';
import { resolveUserPath } from '../services/user-path';
import { sshCredential, tokenCredential } from '../services/credential';
import { writeArtifacts } from '../services/files';
import { readCaFileArg } from './ca-file';
import { EXIT, UsageError, errorLine, type CliIo, type Command } from './types';
import { readAnswersArg, readTextArg } from './read-file';

const generators = PLATFORMS.filter((p) => p.generate)
  .map(
    (p) =>
      `  ${p.id.padEnd(15)} variants: ${p.variants.map((v) => v.id).join(', ')}; ${p.credential.kind === 'ssh-keypair' ? '--key FILE' : p.credential.kind === 'token' ? '--token-env VAR' : 'no credential'}`,
  )
  .join('\n');

// Documented from each platform's answers schema (the one that validates the file), so it cannot drift.
const answersHelp = PLATFORMS.filter((p) => p.generate)
  .map((p) => `  ${p.id}:\n${answersKeysText(answersKeys(p.answers))}`)
  .join('\n');

/** The example: the first platform with a generator, with its credential's flags. */
const example = PLATFORMS.find((p) => p.generate);
const exampleCredential =
  example?.credential.kind === 'ssh-keypair'
    ? `--key ${example.credential.privateKeyName} --known-hosts known_hosts`
    : example?.credential.kind === 'token'
      ? '--token-env AGENT_TOKEN'
      : '';

/** How the generators that install a company CA themselves do it, as their platforms say (`caInstall`). */
const caInstalls = PLATFORMS.flatMap((p) => (p.generate && p.caInstall ? [p.caInstall] : []));
const caInstallAside = caInstalls.length ? ` (${caInstalls.join('; ')})` : '';

const HELP = `Usage: agent-onboard generate PLATFORM [--variant V] --answers FILE.json
                              [--key FILE | --token-env VAR] [--known-hosts FILE]
                              [--ca-file FILE] --out DIR [--dry-run] [--json]

Writes a platform's config files for a new install into DIR, exactly as the wizard's Configs step
does: answers checked by the platform's schema, every value escaped for its file format, files
written atomically (temp file, fsync, rename), an existing file backed up as NAME.bak-<UTC time>
before it is replaced, secrets with mode 0600. Running it twice changes nothing.

Options:
  --variant V          install variant (default: the platform's first)
  --answers FILE.json  the Details answers as JSON (the wizard's fields)
  --key FILE           private key file, for platforms that use an SSH key pair; it must open
                       without a passphrase (agents run unattended)
  --token-env VAR      name of the environment variable holding the token (never the token itself)
  --known-hosts FILE   pinned known_hosts line(s) of the server (SSH platforms need one for the
                       server's host:port, e.g. from \`ssh-keyscan -p 22 HOST\` checked against the
                       vendor's fingerprint)
  --ca-file FILE       a company CA (PEM or DER) the agent must trust; platforms that can install
                       it do${caInstallAside}; a key is refused
  --out DIR            output folder (created when missing)
  --dry-run            show what would change (create / update / same), write nothing
  --json               print one JSON document

Platforms with a generator:
${generators}

Answers keys (the --answers file is one JSON object; \`platforms --json\` lists the same):
${answersHelp}

Exit codes: 0 written (or, with --dry-run, previewed); 2 bad usage or bad input (one line on stderr,
nothing written), or a write refused (a file changed meanwhile, permissions).

Example:
  npm run -s cli -- generate ${example?.id ?? 'PLATFORM'} --answers answers.json ${exampleCredential} \\
    --out ./${example?.id ?? 'PLATFORM'}-agent
  with answers.json: one JSON object with the platform's keys listed above`;

async function credentialFrom(
  spec: CredentialSpec,
  values: { key?: string; 'token-env'?: string; 'known-hosts'?: string },
  io: CliIo,
): Promise<Result<Credential>> {
  if (spec.kind === 'ssh-keypair') {
    if (values['token-env']) throw new UsageError('this platform uses an SSH key pair: give --key FILE, not --token-env');
    if (!values.key) throw new UsageError('--key FILE is required (the private key of the agent)');
    const knownHosts = values['known-hosts'] ? await readTextArg(values['known-hosts'], io.cwd, 'known_hosts file') : undefined;
    return sshCredential(await readTextArg(values.key, io.cwd, 'key file'), spec, knownHosts);
  }
  if (values.key || values['known-hosts'])
    throw new UsageError(`this platform ${spec.kind === 'token' ? 'uses a token: give --token-env VAR' : 'needs no credential'}, not --key / --known-hosts`);
  if (spec.kind === 'none') return ok({ kind: 'none' });
  const name = values['token-env'];
  if (!name) throw new UsageError(`--token-env VAR is required (the environment variable holding the ${spec.token.name})`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('--token-env takes the NAME of an environment variable, not the token');
  const token = io.env[name];
  if (token === undefined || token.trim() === '') throw new UsageError(`environment variable ${name} is not set or empty`);
  return tokenCredential(token);
}

function fail(io: CliIo, r: Extract<Result<unknown>, { ok: false }>): number {
  io.stderr(errorLine('generate', r.error));
  return exitCodeFor(r.error.code);
}

export const generateCommand: Command = {
  name: 'generate',
  summary: "Write a platform's config files for a new install",
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        variant: { type: 'string' },
        answers: { type: 'string' },
        key: { type: 'string' },
        'token-env': { type: 'string' },
        'known-hosts': { type: 'string' },
        'ca-file': { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one PLATFORM (run `agent-onboard generate --help`)');
    if (!values.answers) throw new UsageError('--answers FILE.json is required');
    if (!values.out) throw new UsageError('--out DIR is required');
    const gen = generatorOf(positionals[0]!, values.variant);
    if (!gen.ok) return fail(io, gen);
    const { platform, variant } = gen.value;

    const answers = await readAnswersArg(values.answers, io.cwd);
    const credential = await credentialFrom(platform.credential, values, io);
    if (!credential.ok) return fail(io, credential);
    const trustedCa = values['ca-file'] ? (await readCaFileArg(values['ca-file'], io.cwd)).pems.join('') : undefined;
    const generated = generateFiles(platform, variant, answers, credential.value, trustedCa ? { trustedCa } : undefined);
    if (!generated.ok) return fail(io, generated);
    const outDir = resolveUserPath(path.resolve(io.cwd, values.out), 'out');
    if (!outDir.ok) return fail(io, outDir);

    const plan = await planConfigs(outDir.value, generated.value);
    const report = {
      platform: platform.id,
      variant,
      outDir: outDir.value,
      commands: plan.commands,
      notes: plan.notes,
      ...(plan.removal ? { removal: plan.removal } : {}),
    };
    if (values['dry-run']) {
      const files = plan.files.map((f) => ({ path: f.path, status: f.status, mode: f.mode, secret: f.secret }));
      if (values.json) io.stdout(JSON.stringify({ ...report, dryRun: true, files }, null, 2) + '\n');
      else io.stdout(files.map((f) => `${f.status.padEnd(9)} ${f.path}`).join('\n') + `\n(dry run: nothing written to ${outDir.value})\n`);
      return EXIT.OK;
    }
    const expected = Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256]));
    const written = await writeArtifacts(outDir.value, generated.value.files, expected);
    if (!written.ok) return fail(io, written);
    const files = written.value.map((w, i) => {
      const a = generated.value.files[i]!;
      return { path: a.path, status: w.status, mode: a.mode, secret: a.secret, ...(w.backupPath ? { backupPath: w.backupPath } : {}) };
    });
    if (values.json) {
      io.stdout(JSON.stringify({ ...report, files }, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout(`${platform.name} (${variant}) in ${outDir.value}:\n`);
    for (const f of files) io.stdout(`  ${f.status.padEnd(9)} ${f.path}${f.backupPath ? `  (previous kept as ${path.basename(f.backupPath)})` : ''}\n`);
    if (plan.commands.length) io.stdout(`\nNext, on the agent host:\n${plan.commands.map((c) => `  # ${c.title}\n  ${c.command}`).join('\n')}\n`);
    if (plan.notes.length) io.stdout(`\nNotes:\n${plan.notes.map((n) => `  - ${n}`).join('\n')}\n`);
    return EXIT.OK;
  },
};
