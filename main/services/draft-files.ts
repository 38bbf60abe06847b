/**
 * From a draft (or the Configs step's request, which carries the same parts) to a platform's
 * generated files: the platform and variant, the answers through the one validation, the
 * credential from the vault, the pure generator. The Configs handlers preview and write what this
 * returns; the bundle handler packs it. Handlers only call these.
 */
import type { Draft } from '../../shared/ipc';
import type { AnyPlatform, Command, Credential, Generated, Removal } from '../../shared/platforms/types';
import { errAt, ok, type Result } from '../../shared/result';
import { draftAnswers } from '../../shared/fleet';
import { generatedParts, type BundleFile } from './bundle';
import { generateFiles, generatorOf } from './configs';
import { credentialFromVault } from './credential';
import { resolveUserPath } from './user-path';
import type { SecretVault } from './vault';

/** What is generated from: a draft's parts. `from` says whether `answers` are the raw form values (a saved draft) or already shaped (the Configs step sends them so). */
export interface GenerateSource {
  platform: string | null;
  variant: string | null | undefined;
  answers: unknown;
  from: 'form' | 'answers';
  credentialId?: string | undefined;
  knownHosts?: string | undefined;
  trustedCa?: string | undefined;
}

/** A generation's platform, variant, credential and files. */
export interface GeneratedFrom {
  platform: AnyPlatform;
  variant: string;
  credential: Credential;
  generated: Generated;
}

/**
 * Generates the files of `src`. Failure codes: BAD_INPUT (no or unknown platform, unknown
 * variant, answers with problems: `field` points into `answers`), NOT_BUILT (no generator), the
 * credential's (SECRET_*, TOKEN_WRONG_KIND, KEY_*, HOST_KEY_REQUIRED) and the generator's.
 */
export function generateFromSource(vault: SecretVault, src: GenerateSource): Result<GeneratedFrom> {
  if (!src.platform) return errAt('platform', 'BAD_INPUT', 'Choose a platform first.');
  const gen = generatorOf(src.platform, src.variant ?? undefined);
  if (!gen.ok) return gen;
  const { platform, variant } = gen.value;
  let answers: unknown = src.answers;
  if (src.from === 'form') {
    const checked = validateForm(platform, variant, src.answers);
    if (!checked.ok) return checked;
    answers = checked.value;
  }
  const credential = credentialFromVault(vault, platform.credential, src.credentialId, src.knownHosts);
  if (!credential.ok) return credential;
  const generated = generateFiles(platform, variant, answers, credential.value, src.trustedCa ? { trustedCa: src.trustedCa } : undefined);
  if (!generated.ok) return generated;
  return ok({ platform, variant, credential: credential.value, generated: generated.value });
}

function validateForm(platform: AnyPlatform, variant: string, raw: unknown): Result<Record<string, unknown>> {
  const form = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const { answers, errors } = draftAnswers(platform, variant, form);
  if (errors.length)
    return errAt('answers', 'BAD_INPUT', `The Details step has problems: ${errors.slice(0, 3).join('; ')}.`, 'Go back to Details and fix them.');
  return ok(answers);
}

/** The Configs step's files and the folder they go to (the same for preview and write). */
export function configsFor(vault: SecretVault, req: Omit<GenerateSource, 'from'> & { outDir: string }): Result<{ outDir: string; generated: Generated }> {
  const outDir = resolveUserPath(req.outDir, 'outDir');
  if (!outDir.ok) return outDir;
  const gen = generateFromSource(vault, { ...req, from: 'answers' });
  if (!gen.ok) return gen;
  return ok({ outDir: outDir.value, generated: gen.value.generated });
}

/** A draft's bundle parts: its files generated again (the generator is pure: the same bytes as written), private keys left out unless asked for. */
export function draftBundleParts(
  vault: SecretVault,
  draft: Draft,
  includePrivateKey: boolean,
): Result<{ platform: AnyPlatform; files: BundleFile[]; left: string[]; commands: Command[]; notes: string[]; removal?: Removal }> {
  const gen = generateFromSource(vault, { ...draft, from: 'form' });
  if (!gen.ok) return gen;
  const { platform, credential, generated } = gen.value;
  const known = credential.kind === 'token' ? [credential.token, ...vault.knownTokens()] : vault.knownTokens();
  return ok({ platform, ...generatedParts(generated, { platform: platform.id, includePrivateKey, trustedCa: draft.trustedCa, known }) });
}
