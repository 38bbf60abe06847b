/**
 * What goes into a bundle: a generator's artifacts or a folder read as it is, each file marked
 * secret by what it holds (a private key, a token the finders locate), never by its name.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPANY_CA_FILE, checkEntryPath, companyCaSteps, isPrivateKeyText, isSecretFile } from '../../../shared/bundle';
import type { Artifact, Command, Generated, PlatformId, Removal } from '../../../shared/platforms/types';
import { secretsIn } from '../../../shared/token-finders';
import { err, ok, type Result } from '../../../shared/result';
import { readRegularFile } from '../user-file';
import { DEFAULT_LIMITS, decodeText, enc, type BundleFile, type BundleLimits } from './common';

/** Texts longer than this are searched for secrets in their first this-many characters only. */
const SECRET_SCAN_CHARS = 1024 * 1024;

/**
 * Whether a file is secret, and why: its mode (owner-only), its generator's mark, or what it
 * holds (a private key block, a token the platforms' finders locate, or one of `known`, raw or
 * base64), never its name.
 */
export function classifySecret(
  file: { path: string; mode: number; text: string; markedSecret?: boolean | undefined },
  known: readonly string[] = [],
): { secret: boolean; because: string[] } {
  const because = secretsIn(file.text.slice(0, SECRET_SCAN_CHARS), file.path, known);
  return { secret: because.length > 0 || isSecretFile({ mode: file.mode, text: '', markedSecret: file.markedSecret }), because };
}

/**
 * Turns a generator's artifacts into bundle files; private keys are left out unless asked for.
 * `known`: token values this onboarding uses (a file holding one is secret).
 */
export function artifactsToFiles(artifacts: Artifact[], includePrivateKey: boolean, known: readonly string[] = []): { files: BundleFile[]; left: string[] } {
  const files: BundleFile[] = [];
  const left: string[] = [];
  for (const a of artifacts) {
    if (!includePrivateKey && isPrivateKeyText(a.text)) {
      left.push(a.path);
      continue;
    }
    const { secret, because } = classifySecret({ path: a.path, mode: a.mode, text: a.text, markedSecret: a.secret }, known);
    files.push({
      path: a.path,
      data: enc(a.text),
      mode: a.mode,
      secret,
      ...(because.length ? { secretBecause: because } : {}),
      ...(a.description ? { description: a.description } : {}),
    });
  }
  return { files, left };
}

/**
 * One agent's bundle parts from its generator: the files (private keys left out unless asked
 * for), commands and notes, plus the company CA and how to trust it on the agent host when the
 * connectivity checks trusted one (draft.trustedCa).
 */
export function generatedParts(
  generated: Generated,
  o: { platform: PlatformId; includePrivateKey: boolean; trustedCa?: string | undefined; known?: readonly string[] },
): { files: BundleFile[]; left: string[]; commands: Command[]; notes: string[]; removal?: Removal } {
  const { files, left } = artifactsToFiles(generated.files, o.includePrivateKey, o.known);
  const removal = generated.removal ? { removal: generated.removal } : {};
  if (!o.trustedCa) return { files, left, commands: generated.commands, notes: generated.notes, ...removal };
  const steps = companyCaSteps(o.platform);
  files.push({
    path: COMPANY_CA_FILE,
    data: enc(o.trustedCa),
    mode: 0o644,
    secret: false,
    description: 'Company CA the connectivity checks trusted (certificate only)',
  });
  return { files, left, commands: [...steps.commands, ...generated.commands], notes: [...generated.notes, ...steps.notes], ...removal };
}

const BACKUP = /\.bak-\d{8}T\d{6}Z(-\d+)?$/;
const TEMP = /\.tmp-ao-[0-9a-f]+$/;

/**
 * Reads a folder as it is (recursively) into bundle files: modes from disk, secret by mode 0600,
 * `markedSecret` or what the file holds (classifySecret: a private key, a token the finders
 * locate, one of `known`). The file service's own backups (`*.bak-<stamp>`) and temp files are
 * skipped (listed in `skipped`), as are the paths in `exclude` (e.g. the bundle being written).
 * With `leaveOutPrivateKeys`, files holding a private key are not packed (listed in `keysLeft`).
 * Symlinks and special files are refused (BAD_INPUT): a bundle carries regular files.
 * NOT_FOUND when the folder does not exist; BAD_INPUT past the entry or size limits.
 */
export async function collectFolder(
  dir: string,
  opts: { exclude?: string[]; limits?: BundleLimits; markedSecret?: (rel: string) => boolean; known?: readonly string[]; leaveOutPrivateKeys?: boolean } = {},
): Promise<Result<{ files: BundleFile[]; skipped: string[]; keysLeft: string[] }>> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const root = path.resolve(dir);
  const exclude = new Set((opts.exclude ?? []).map((p) => path.resolve(p)));
  try {
    if (!(await stat(root)).isDirectory()) return err('BAD_INPUT', `${dir} is not a folder.`);
  } catch {
    return err('NOT_FOUND', `The folder ${dir} does not exist.`);
  }
  const files: BundleFile[] = [];
  const skipped: string[] = [];
  const keysLeft: string[] = [];
  let total = 0;
  const walk = async (abs: string, rel: string): Promise<Result<true>> => {
    const items = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      const childAbs = path.join(abs, item.name);
      const childRel = rel ? `${rel}/${item.name}` : item.name;
      if (exclude.has(childAbs)) continue;
      if (item.isSymbolicLink())
        return err(
          'BAD_INPUT',
          `${childRel} is a symbolic link: bundles carry regular files only. Replace it with the file it points to, or move it out of ${dir}.`,
        );
      if (item.isDirectory()) {
        const inner = await walk(childAbs, childRel);
        if (!inner.ok) return inner;
        continue;
      }
      if (!item.isFile()) return err('BAD_INPUT', `${childRel} is not a regular file (a device, socket or pipe).`);
      if (BACKUP.test(item.name) || TEMP.test(item.name)) {
        skipped.push(childRel);
        continue;
      }
      const checked = checkEntryPath(childRel);
      if (!checked.ok)
        return err(
          'BAD_INPUT',
          `${childRel}: this file name cannot go into a bundle (${checked.error.message.replace(/^The bundle entry \S+ /, '').replace(/; nothing was unpacked\.$/, '')}).`,
        );
      const info = await lstat(childAbs);
      total += info.size;
      if (files.length + 1 > limits.maxEntries)
        return err('BAD_INPUT', `${dir} holds more than ${limits.maxEntries} files: that is not an agent's config folder.`);
      if (info.size > limits.maxEntryBytes || total > limits.maxTotalBytes)
        return err(
          'BAD_INPUT',
          `${dir} is too big for a bundle (more than ${Math.round(limits.maxTotalBytes / 1048576)} MiB, or a file over ${Math.round(limits.maxEntryBytes / 1048576)} MiB).`,
        );
      // Through a fresh open that refuses a link and anything but a regular file, within the
      // entry limit: the lstat above may be stale by now.
      const data = new Uint8Array(await readRegularFile(childAbs, { noFollow: true, maxBytes: limits.maxEntryBytes }));
      const mode = info.mode & 0o777;
      const text = data.includes(0) ? '' : decodeText(data.subarray(0, SECRET_SCAN_CHARS));
      if (opts.leaveOutPrivateKeys && isPrivateKeyText(text)) {
        keysLeft.push(childRel);
        continue;
      }
      const { secret, because } = classifySecret({ path: childRel, mode, text, markedSecret: opts.markedSecret?.(childRel) }, opts.known);
      files.push({ path: childRel, data, mode, secret, ...(because.length ? { secretBecause: because } : {}) });
    }
    return ok(true);
  };
  try {
    const walked = await walk(root, '');
    return walked.ok ? ok({ files, skipped, keysLeft }) : walked;
  } catch (error) {
    return err('IO_ERROR', `Could not read ${dir}: ${(error as Error).message}.`);
  }
}
