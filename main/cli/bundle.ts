/** `agent-onboard bundle export|verify|import`: config bundles from the command line. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { modeText } from '../../shared/bundle';
import { PLATFORM_IDS, type PlatformId } from '../../shared/platforms';
import { getPlatform } from '../../shared/platforms';
import { exitCodeFor, type AppError } from '../../shared/result';
import { collectFolder, createBundle, importBundle, openBundle, readBundleFile, writeBundle, type CheckedFile } from '../services/bundle';
import { recognisePlatform } from '../../shared/platforms/recognise';
import { APP_VERSION } from '../version';
import { EXIT, UsageError, type CliIo, type Command } from './types';
import { visible } from '../../shared/visible';
import { envSecretArg, readTextArg } from './read-file';

const HELP = `Usage: agent-onboard bundle export DIR --out FILE.zip [--passphrase-env VAR | --plain-secrets]
                                  [--platform P] [--variant V] [--report FILE] [--force] [--json]
       agent-onboard bundle verify FILE.zip [--passphrase-env VAR] [--json]
       agent-onboard bundle import FILE.zip --to DIR [--passphrase-env VAR] [--force] [--json]

Config bundles: one zip with an agent's config files, keys, a README with the next steps and
manifest.json (per file: path, size, SHA-256, mode, secret). Modes are kept in the zip, so
'unzip' restores them too.

export   packs DIR as it is. A file is secret by what it holds (a private key block, or a
         token the platforms' token finders locate, the same ones rotation uses) or by mode
         0600, never by its name. With --passphrase-env every secret file is encrypted
         (AES-256-GCM, key from scrypt; the passphrase is never stored). Without it, export
         names the secret files and refuses, unless --plain-secrets says to pack them
         unencrypted. The file service's backups (*.bak-<stamp>) are left out; symlinks are
         refused. The platform in the manifest and README is recognised from the files
         (--platform/--variant set it); --report adds a connectivity report. An existing
         FILE.zip is kept unless --force.
verify   checks every file against the manifest. Without the passphrase, encrypted files are
         checked as stored; with it, their content too and the passphrase seal of the manifest.
         With --passphrase-env, a bundle that is not encrypted is refused (verify and import):
         the passphrase cannot vouch for it, and an encrypted bundle may have been swapped for it.
import   checks everything in memory first, then unpacks into DIR with the manifest's modes
         (keys 0600). A hostile bundle ('..' or absolute names, symlinks, duplicate names,
         zip bombs, entries missing from the manifest) is refused and nothing is written.
         Existing files are never replaced unless --force (then they are backed up first).

Options:
  --out FILE.zip         where to write the bundle (export)
  --to DIR               where to unpack (import)
  --passphrase-env VAR   name of the environment variable holding the passphrase (8+ characters)
  --plain-secrets        export: pack the secret files unencrypted (the zip is written 0600)
  --platform P           ${PLATFORM_IDS.join(', ')}
  --variant V            the platform's install variant
  --report FILE          a connectivity report (text) to include
  --force                overwrite FILE.zip (export) or existing files in DIR (import)
  --json                 print one JSON document

Exit codes: 0 done and every checksum matches, 1 a checksum does not match, 2 bad usage or
bad input (a hostile bundle, a wrong passphrase, a passphrase for a bundle that is not
encrypted, files that would be overwritten, secret files without --passphrase-env or
--plain-secrets).

Examples:
  BUNDLE_PASSPHRASE=... agent-onboard bundle export ./agent --out agent.zip --passphrase-env BUNDLE_PASSPHRASE
  agent-onboard bundle verify agent.zip
  agent-onboard bundle import agent.zip --to /opt/agent --passphrase-env BUNDLE_PASSPHRASE`;

/** Prints a failed Result as one line on stderr; returns its exit code. */
function fail(io: CliIo, sub: string, error: AppError): number {
  if (error.code === 'BUNDLE_NOT_ENCRYPTED') {
    // Said in the CLI's own words: the way out is to leave --passphrase-env off, knowingly.
    io.stderr(
      `agent-onboard bundle ${sub}: This bundle is not encrypted, so a passphrase cannot vouch for it; ${sub} it without --passphrase-env only if you trust where it came from.\n`,
    );
    return exitCodeFor(error.code);
  }
  io.stderr(`agent-onboard bundle ${sub}: ${error.message}${error.hint ? ` ${error.hint}` : ''}\n`.replace(/\n(?!$)/g, ' '));
  return exitCodeFor(error.code);
}

function decodeHead(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(0, 256 * 1024));
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one ${what} (got ${positionals.length})`);
  return positionals[0]!;
}

async function exportCmd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'passphrase-env': { type: 'string' },
      platform: { type: 'string' },
      variant: { type: 'string' },
      report: { type: 'string' },
      force: { type: 'boolean' },
      'plain-secrets': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const dir = path.resolve(io.cwd, one(positionals, 'folder to pack'));
  if (!values.out) throw new UsageError('--out FILE.zip is required');
  const out = path.resolve(io.cwd, values.out);
  if (values.platform !== undefined && !(PLATFORM_IDS as readonly string[]).includes(values.platform))
    throw new UsageError(`--platform must be one of ${PLATFORM_IDS.join(', ')}`);
  const chosen = (values.platform as PlatformId | undefined) ?? null;
  if (values.variant !== undefined && (!chosen || !getPlatform(chosen)?.variants.some((v) => v.id === values.variant))) {
    throw new UsageError(
      chosen
        ? `--variant must be one of ${getPlatform(chosen)!
            .variants.map((v) => v.id)
            .join(', ')}`
        : '--variant needs --platform',
    );
  }
  const passphrase = envSecretArg(io.env, '--passphrase-env', values['passphrase-env'], 'passphrase');
  if (passphrase !== undefined && values['plain-secrets']) throw new UsageError('--plain-secrets and --passphrase-env contradict each other: give one');
  let report: string | undefined;
  if (values.report !== undefined) {
    report = await readTextArg(values.report, io.cwd, 'the report');
  }
  const files = await collectFolder(dir, { exclude: [out] });
  if (!files.ok) return fail(io, 'export', files.error);
  const secrets = files.value.files.filter((f) => f.secret);
  if (passphrase === undefined && secrets.length && !values['plain-secrets']) {
    io.stderr(
      `agent-onboard bundle export: nothing written: ${secrets.length} file(s) hold secrets and would travel unencrypted: ${secrets
        .map((f) => `${f.path} (${f.secretBecause?.join(', ') ?? 'mode 0600'})`)
        .join('; ')}. Give --passphrase-env VAR to encrypt them, or --plain-secrets to pack them as they are.
`,
    );
    return EXIT.USAGE;
  }
  const platform = chosen ?? recognisePlatform(files.value.files.map((f) => ({ path: f.path, text: decodeHead(f.data) }))).platform;
  const bundle = await createBundle({
    files: files.value.files,
    platform,
    variant: values.variant ?? null,
    appVersion: APP_VERSION,
    bundleName: path.basename(out),
    ...(report !== undefined ? { report } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  });
  if (!bundle.ok) return fail(io, 'export', bundle.error);
  const written = await writeBundle(out, bundle.value, values.force ?? false);
  if (!written.ok) return fail(io, 'export', written.error);
  const { manifest } = bundle.value;
  for (const w of bundle.value.warnings) io.stderr(`agent-onboard bundle export: warning: ${w}\n`);
  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          path: out,
          bytes: bundle.value.zip.byteLength,
          sha256: written.value.sha256,
          manifest,
          skipped: files.value.skipped,
          platformFrom: chosen ? 'option' : platform ? 'files' : 'none',
          secretFiles: secrets.map((f) => ({ path: f.path, because: f.secretBecause ?? ['mode 0600'] })),
          warnings: bundle.value.warnings,
        },
        null,
        2,
      ) + '\n',
    );
    return EXIT.OK;
  }
  io.stdout(`Wrote ${out} (${bundle.value.zip.byteLength} bytes, ${manifest.files.length} files, SHA-256 ${written.value.sha256}).\n`);
  if (!chosen)
    io.stdout(
      platform
        ? `Platform recognised from the files: ${getPlatform(platform)?.name ?? platform} (give --platform to say otherwise).\n`
        : 'No platform recognised from the files: the README gives no platform steps (give --platform P to add them).\n',
    );
  const because = new Map(files.value.files.map((f) => [f.path, f.secretBecause]));
  for (const f of manifest.files) {
    const why = because.get(f.path);
    io.stdout(
      `  ${modeText(f.mode)}  ${visible(f.path)}${f.secret ? `  (secret${why ? `: ${why.join(', ')}` : ''}${f.encrypted ? '; encrypted' : ''})` : ''}\n`,
    );
  }
  if (files.value.skipped.length) io.stdout(`Left out (file-service backups and temp files): ${files.value.skipped.join(', ')}\n`);
  if (!passphrase && manifest.files.some((f) => f.secret))
    io.stdout('The secret files are NOT encrypted: keep the bundle private (it is mode 0600), or export again with --passphrase-env.\n');
  return EXIT.OK;
}

function statusWord(f: CheckedFile): string {
  return { ok: 'ok', mismatch: 'MISMATCH', missing: 'MISSING', locked: 'ok*' }[f.status];
}

async function verifyCmd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { 'passphrase-env': { type: 'string' }, json: { type: 'boolean' } },
  });
  const file = path.resolve(io.cwd, one(positionals, 'bundle'));
  const passphrase = envSecretArg(io.env, '--passphrase-env', values['passphrase-env'], 'passphrase');
  const bytes = await readBundleFile(file);
  if (!bytes.ok) return fail(io, 'verify', bytes.error);
  const opened = await openBundle(bytes.value, passphrase !== undefined ? { passphrase } : {});
  if (!opened.ok) return fail(io, 'verify', opened.error);
  const { manifest, files } = opened.value;
  const code = opened.value.ok ? EXIT.OK : EXIT.FAILED;
  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          ok: opened.value.ok,
          platform: manifest.platform,
          variant: manifest.variant,
          appVersion: manifest.appVersion,
          createdAt: manifest.createdAt,
          ...(manifest.agent ? { agent: manifest.agent } : {}),
          files: files.map((f) => ({
            path: f.path,
            status: f.status,
            size: f.size,
            mode: f.mode,
            secret: f.secret,
            encrypted: f.encrypted,
            expectedSha256: f.expectedSha256,
            ...(f.actualSha256 ? { actualSha256: f.actualSha256 } : {}),
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return code;
  }
  io.stdout(
    `${visible(file)}: ${visible(manifest.platform ?? 'no platform')}${manifest.variant ? ` (${visible(manifest.variant)})` : ''}, made ${visible(manifest.createdAt)} by Agent Onboard ${visible(manifest.appVersion)}\n`,
  );
  for (const f of files) io.stdout(`  ${statusWord(f).padEnd(8)}  ${modeText(f.mode)}  ${visible(f.path)}\n`);
  const bad = files.filter((f) => f.status === 'mismatch' || f.status === 'missing').length;
  io.stdout(bad ? `${bad} of ${files.length} files do not match the manifest: do not use this bundle.\n` : `All ${files.length} files match the manifest.\n`);
  if (files.some((f) => f.status === 'locked')) io.stdout('* encrypted: checked as stored; give --passphrase-env to check the content too.\n');
  return code;
}

async function importCmd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { to: { type: 'string' }, 'passphrase-env': { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const file = path.resolve(io.cwd, one(positionals, 'bundle'));
  if (!values.to) throw new UsageError('--to DIR is required');
  const to = path.resolve(io.cwd, values.to);
  const passphrase = envSecretArg(io.env, '--passphrase-env', values['passphrase-env'], 'passphrase');
  const bytes = await readBundleFile(file);
  if (!bytes.ok) return fail(io, 'import', bytes.error);
  const done = await importBundle(bytes.value, to, { overwrite: values.force ?? false, ...(passphrase !== undefined ? { passphrase } : {}) });
  if (!done.ok) return fail(io, 'import', done.error);
  const written = done.value.written.map((w) => ({ path: path.relative(to, w.path), status: w.status, ...(w.backupPath ? { backupPath: w.backupPath } : {}) }));
  if (values.json) {
    io.stdout(JSON.stringify({ to, platform: done.value.manifest.platform, variant: done.value.manifest.variant, files: written }, null, 2) + '\n');
    return EXIT.OK;
  }
  io.stdout(`Unpacked into ${to}; every checksum matched.\n`);
  for (const w of written) io.stdout(`  ${w.status.padEnd(9)}  ${visible(w.path)}${w.backupPath ? `  (old file kept as ${visible(w.backupPath)})` : ''}\n`);
  return EXIT.OK;
}

export const bundleCommand: Command = {
  name: 'bundle',
  summary: 'Export, verify and import config bundles',
  built: true,
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'export') return exportCmd(rest, io);
    if (sub === 'verify') return verifyCmd(rest, io);
    if (sub === 'import') return importCmd(rest, io);
    throw new UsageError(sub === undefined ? 'say what to do: export, verify or import' : `unknown subcommand '${sub}' (export, verify or import)`);
  },
};
