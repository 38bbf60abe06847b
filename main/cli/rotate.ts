import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PLATFORMS } from '../../shared/platforms';
import { exitCodeFor, type AppError } from '../../shared/result';
import type { RotationPlan, RotationReport } from '../../shared/rotation';
import { applyRotation, planRotation } from '../services/rotate';
import { EXIT, UsageError, errorLine, errorText, type CliIo, type Command } from './types';
import { envSecretArg } from './read-file';

const rotatable = PLATFORMS.filter((p) => p.credential.kind === 'token' && p.updaters.length > 0);

/** Examples: a dry run over an install folder of the first rotatable platform, and a rotation of the next. */
const examples = rotatable
  .slice(0, 2)
  .map((p, i) => `  NEW_TOKEN=... npm run -s cli -- rotate ${p.id} --token-env NEW_TOKEN ${i === 0 ? '--dry-run ' : ''}./${p.id}-agent`)
  .join('\n');

const HELP = `Usage: agent-onboard rotate PLATFORM --token-env VAR [--dry-run] [--ignore-leftovers] FILE_OR_DIR... [--json]

Replaces the token of an existing install in place. A FILE is edited when the platform knows its
format; a DIR is searched (up to ${6} levels, links not followed) for every file the platform keeps
its token in. Only the token values change: comments, key order, quoting, indentation and line
endings (CRLF stays CRLF) stay byte for byte, and every edit is read back before it is written.
All files are written or none: each is backed up as NAME.bak-<UTC time>, and a file that changed
since it was read is refused. The report lists every file changed, the commands to restart and
verify that install type, and how to revoke the old token.

After planning, every text file in the given folders (and beside each given FILE) is searched
for the old token values the plan replaces, raw and base64. A file that would still hold one
(a Terraform .tf/.tfvars, a note, a file of a kind rotation does not edit) is named with its
lines: revoking the old token would break it. Then nothing is written and the exit code is 1,
unless --ignore-leftovers.

Platforms:
${rotatable.map((p) => `  ${p.id.padEnd(15)} ${p.updaters.map((u) => u.name).join('; ')}`).join('\n')}

Options:
  --token-env VAR  name of the environment variable holding the NEW token (never the token itself)
  --dry-run        print what would change, with diffs (token values shown as «new token» /
                   «old token»); write nothing
  --ignore-leftovers  write even though files still hold the old token (update them by hand
                   before revoking it)
  --json           print one JSON document (never the token)

Exit codes: 0 rotated (or, with --dry-run, previewed); 1 files would still hold the old token
(named; nothing written without --ignore-leftovers); 2 bad usage or bad input (one line on
stderr, nothing written): an unknown platform, a token of the wrong kind, a path that does not
exist, a FILE the platform does not know, a value a format cannot hold, nothing to rotate, or a
file that changed meanwhile.

Examples:
${examples}`;

function fail(io: CliIo, e: AppError): number {
  io.stderr(errorLine('rotate', e));
  return exitCodeFor(e.code);
}

function describe(plan: RotationPlan, io: CliIo, withDiffs: boolean): void {
  const counts = (s: string): number => plan.files.filter((f) => f.status === s).length;
  io.stdout(
    `${plan.platform}: ${counts('change')} file(s) to change, ${counts('same')} already on this token, ${counts('no-token')} without a token value${plan.ignored ? `; ${plan.ignored} other file(s) ignored` : ''}.\n`,
  );
  io.stdout(`New token: ${plan.token.masked} (${plan.token.kindName})${plan.token.cleaned.length ? `; removed ${plan.token.cleaned.join(', ')}` : ''}\n\n`);
  for (const f of plan.files) {
    io.stdout(`${f.status.padEnd(9)} ${f.path}${f.updater ? `  [${f.updater.name}]` : ''}\n`);
    for (const c of f.changes) io.stdout(`          line ${c.line}: ${c.what}\n`);
    for (const n of f.notes) io.stdout(`          note: ${n}\n`);
    if (f.error) io.stdout(`          ${errorText(f.error)}\n`);
  }
  if (withDiffs) for (const f of plan.files) if (f.diff) io.stdout(`\n${f.diff}`);
  leftoversText(plan.leftovers, io);
}

function leftoversText(leftovers: RotationPlan['leftovers'], io: CliIo): void {
  if (!leftovers.length) return;
  io.stdout(`\nStill holding the OLD token after this rotation (revoking it now would break them):\n`);
  for (const l of leftovers) io.stdout(`  ${l.path}\n          ${l.hint}\n`);
}

function commandsText(commands: RotationPlan['commands']): string {
  return commands.map((c) => `  # ${c.title}${c.os ? ` (${c.os})` : ''}\n  ${c.command}`).join('\n');
}

function reportText(report: RotationReport, io: CliIo): void {
  io.stdout('\nWritten:\n');
  for (const f of report.files) io.stdout(`  ${f.status.padEnd(9)} ${f.path}${f.backupPath ? `\n            previous kept as ${f.backupPath}` : ''}\n`);
  io.stdout(`\nRestart and verify:\n${commandsText(report.commands)}\n`);
  io.stdout(`\n(SHA-256 of the new token: ${report.tokenSha256})\n`);
  io.stdout(`\nOnce every agent runs on the new token:\n${report.revoke.map((r, i) => `  ${i + 1}. ${r}`).join('\n')}\n`);
}

export const rotateCommand: Command = {
  name: 'rotate',
  summary: 'Replace the token in an existing install, in place',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { 'token-env': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'ignore-leftovers': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const [platformId, ...paths] = positionals;
    if (!platformId) throw new UsageError('give the PLATFORM and at least one FILE_OR_DIR (run `agent-onboard rotate --help`)');
    const platform = rotatable.find((p) => p.id === platformId);
    if (!platform) throw new UsageError(`'${platformId}' has no token to rotate: use ${rotatable.map((p) => p.id).join(', ')}`);
    if (paths.length === 0) throw new UsageError('give at least one FILE_OR_DIR of the install');
    const token = envSecretArg(io.env, '--token-env', values['token-env'] || undefined, 'token');
    if (token === undefined)
      throw new UsageError(
        `--token-env VAR is required (the environment variable holding the new ${platform.credential.kind === 'token' ? platform.credential.token.name : 'token'})`,
      );

    const planned = await planRotation({ platform: platform.id, paths, token, cwd: io.cwd }, `cli_${randomBytes(9).toString('base64url')}`);
    if (!planned.ok) return fail(io, planned.error);
    const { plan } = planned.value;
    const dryRun = Boolean(values['dry-run']);
    const blocked = !plan.ready;
    const problem = (): number =>
      fail(io, {
        code: plan.files.some((f) => f.error?.code === 'UNSAFE_VALUE') ? 'UNSAFE_VALUE' : 'BAD_INPUT',
        message: `nothing written: ${plan.problems[0] ?? 'nothing to change'}${plan.problems.length > 1 ? ` (and ${plan.problems.length - 1} more)` : ''}`,
      });

    // Files that keep the old token are a failed check: nothing is written unless told to go on.
    const leftBehind = plan.leftovers.length > 0 && !values['ignore-leftovers'];
    if (dryRun || blocked || leftBehind) {
      if (values.json) io.stdout(JSON.stringify({ dryRun: true, ...plan }, null, 2) + '\n');
      else {
        describe(plan, io, true);
        if (!blocked)
          io.stdout(
            `\nAfter writing, restart and verify:\n${commandsText(plan.commands)}\n\n(${dryRun ? 'dry run' : 'files still hold the old token'}: nothing written)\n`,
          );
      }
      if (!blocked && leftBehind) {
        io.stderr(
          `agent-onboard rotate: ${plan.leftovers.length} file(s) would still hold the old token (${plan.leftovers.map((l) => l.path).join(', ')}); nothing written. Update them by hand, or run again with --ignore-leftovers and update them before revoking the old token.\n`,
        );
        return EXIT.FAILED;
      }
      if (!blocked) return EXIT.OK;
      // Nothing to write because every file already holds the new token is success, not an error.
      if (plan.problems.length === 0 && plan.files.some((f) => f.status === 'same')) return EXIT.OK;
      return problem();
    }
    const report = await applyRotation(planned.value);
    if (!report.ok) return fail(io, report.error);
    if (values.json) {
      io.stdout(JSON.stringify({ dryRun: false, ...plan, written: report.value.files, tokenSha256: report.value.tokenSha256 }, null, 2) + '\n');
      return EXIT.OK;
    }
    describe(plan, io, false);
    reportText(report.value, io);
    return EXIT.OK;
  },
};
