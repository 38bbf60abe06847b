/**
 * Generating a platform's files into a folder, for every front end: parse the answers with the
 * platform's schema, run its pure generator, preview against the folder (planWrites) and write
 * exactly what was previewed (writeArtifacts: all-or-nothing, backups, refuses changed files).
 */
import { createHash } from 'node:crypto';
import type { ConfigsPlan } from '../../shared/configs-contract';
import { getPlatform } from '../../shared/platforms';
import { secretsIn } from '../../shared/token-finders';
import type { AnyPlatform, Credential, GenerateExtras, Generated } from '../../shared/platforms/types';
import { describeAnswerIssues, validateAnswers } from '../../shared/answers';
import { err, errAt, ok, type Result } from '../../shared/result';
import { planWrites, writeArtifacts, type WriteOutcome } from './files';

/** The platform with a generator, and the variant checked against it. Failure: BAD_INPUT, NOT_BUILT. */
export function generatorOf(platformId: string, variant: string | undefined): Result<{ platform: AnyPlatform; variant: string }> {
  const platform = getPlatform(platformId);
  if (!platform) return err('BAD_INPUT', `Unknown platform ${JSON.stringify(platformId.slice(0, 40))}.`, 'Run `agent-onboard platforms` for the list.');
  if (!platform.generate) return err('NOT_BUILT', `${platform.name} has no file generator in this version.`);
  const chosen = variant ?? platform.variants[0]?.id ?? '';
  if (!platform.variants.some((v) => v.id === chosen)) {
    return err('BAD_INPUT', `${platform.name} has no variant ${JSON.stringify(chosen.slice(0, 40))} (use ${platform.variants.map((v) => v.id).join(', ')}).`);
  }
  return ok({ platform, variant: chosen });
}

/**
 * Checks answers as they are (a CLI answers file, the Configs step's request) with the one answers
 * validation: one readable line per problem (first 3). BAD_INPUT, with `field` the first problem's
 * path under `answers`.
 */
export function parseAnswers(platform: AnyPlatform, variant: string | null, raw: unknown): Result<unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return errAt('answers', 'BAD_INPUT', 'answers: must be an object of field values');
  const checked = validateAnswers(platform, variant, raw as Record<string, unknown>, 'answers');
  if (checked.ok) return ok(checked.answers);
  const first = checked.issues[0]!.path;
  return errAt(first ? `answers.${first}` : 'answers', 'BAD_INPUT', describeAnswerIssues(platform, checked.issues, 3).join('; '));
}

/** Runs the platform's generator on raw answers. Failure codes: the generator's and parseAnswers'. */
export function generateFiles(platform: AnyPlatform, variant: string, rawAnswers: unknown, credential: Credential, extras?: GenerateExtras): Result<Generated> {
  const answers = parseAnswers(platform, variant, rawAnswers);
  if (!answers.ok) return answers;
  return platform.generate!(answers.value, credential, variant, extras);
}

/** A digest of exactly what would be written (paths, modes, bytes), to tie a write to its preview. */
export function planHashOf(generated: Generated): string {
  const h = createHash('sha256');
  for (const f of generated.files)
    h.update(JSON.stringify([f.path, f.mode, f.secret]))
      .update('\0')
      .update(f.text)
      .update('\0');
  return h.digest('hex');
}

/** `SHA256:…` fingerprints of the host keys in a generated known_hosts file, for the user to compare. */
export function hostKeysOf(generated: Generated): ConfigsPlan['hostKeys'] {
  const file = generated.files.find((f) => f.path === 'known_hosts' || f.path.endsWith('/known_hosts'));
  if (!file) return [];
  return file.text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([host, type, key]) => host && type && key && !host.startsWith('#') && !host.startsWith('@'))
    .map(([host = '', type = '', key = '']) => ({
      host,
      type,
      fingerprint: `SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`,
    }));
}

/** The preview of writing `generated` into `outDir`: per file status and diff, never a secret's text. */
export async function planConfigs(outDir: string, generated: Generated): Promise<ConfigsPlan> {
  const planned = await planWrites(outDir, generated.files);
  return {
    outDir,
    files: planned.map((p, i) => {
      const a = generated.files[i]!;
      return {
        path: p.path,
        status: p.status,
        mode: p.mode,
        secret: p.secret,
        ...(a.description ? { description: a.description } : {}),
        // A file that holds a token or a key is not sent to the page, whatever the generator marked.
        ...(a.secret || secretsIn(a.text, a.path).length ? {} : { text: a.text }),
        diff: p.diff,
        currentSha256: p.currentSha256,
      };
    }),
    commands: generated.commands,
    notes: generated.notes,
    hostKeys: hostKeysOf(generated),
    ...(generated.removal ? { removal: generated.removal } : {}),
    planHash: planHashOf(generated),
  };
}

/**
 * Writes `generated` into `outDir` as previewed: refuses (FILE_CHANGED) when the generated files
 * differ from the preview's planHash or a file on disk differs from its previewed hash; otherwise
 * all-or-nothing through the file service.
 */
export async function writeConfigs(
  outDir: string,
  generated: Generated,
  planHash: string,
  expected: Record<string, string | null>,
): Promise<Result<WriteOutcome[]>> {
  if (planHashOf(generated) !== planHash) {
    return err(
      'FILE_CHANGED',
      'The files to write are no longer the ones previewed (the answers, key or host key changed); nothing was written.',
      'Preview again, then write.',
    );
  }
  const missing = generated.files.find((f) => !(f.path in expected));
  if (missing) return err('BAD_INPUT', `expected: no previewed hash for ${missing.path}`);
  return writeArtifacts(outDir, generated.files, expected);
}
