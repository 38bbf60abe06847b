/** Handlers of bundles (export, inspect, import) and fleets (check, run). */
import path from 'node:path';
import type { Contract, Draft } from '../../../shared/ipc';
import { getPlatform } from '../../../shared/platforms';
import { recognisePlatform } from '../../../shared/platforms/recognise';
import type { AnyPlatform, Command, Removal } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import { collectFolder, createBundle, importBundle, openBundle, planImport, readBundleFile, writeBundle, type BundleFile } from '../../services/bundle';
import { credentialFromVault } from '../../services/credential';
import type { Deps } from '../../services/deps';
import { sha256 } from '../../services/files';
import { checkFleet, runFleet } from '../../services/fleet';
import { exportAnsibleFleet } from '../../services/fleet-ansible';
import { draftBundleParts } from '../../services/draft-files';
import { resolveUserPath } from '../../services/user-path';
import { analysisParts } from '../../platforms';
import type { Handlers, JobRegistry } from '../dispatch';

type BundleChannels = Pick<Contract, 'bundle:export' | 'bundle:inspect' | 'bundle:import' | 'fleet:check' | 'fleet:run' | 'fleet:ansible'>;

function platformOf(draft: Draft): Result<AnyPlatform> {
  const platform = draft.platform ? getPlatform(draft.platform) : undefined;
  return platform ? ok(platform) : err('BAD_INPUT', 'Choose a platform first.');
}

export function bundleHandlers(deps: Deps, _jobs: JobRegistry): Handlers<BundleChannels> {
  return {
    'bundle:export': async (input, ctx) => {
      const out = resolveUserPath(input.out, 'out');
      if (!out.ok) return out;
      ctx.progress('Collecting the files', 0.1);
      let files: BundleFile[];
      let left: string[] = [];
      let meta: { platform: AnyPlatform['id'] | null; variant: string | null; commands: Command[]; notes: string[]; removal?: Removal };
      const drafted = input.source.kind === 'draft' && input.source.draft.platform ? getPlatform(input.source.draft.platform) : undefined;
      if (input.source.kind === 'draft' && drafted?.analysis) {
        // An analysis (Bamboo elastic's policy check) is packed as its report, fixes and patches.
        ctx.progress('Running the analysis again', 0.05);
        const analysis = analysisParts(drafted.id);
        if (!analysis) return err('BAD_INPUT', `${drafted.name} has no analysis to pack.`);
        const got = await analysis(input.source.draft.answers, ctx.signal);
        if (!got.ok) return got;
        files = got.value.files;
        meta = { platform: drafted.id, variant: input.source.draft.variant, commands: got.value.commands, notes: got.value.notes };
      } else if (input.source.kind === 'draft') {
        const got = draftBundleParts(deps.vault, input.source.draft, input.includePrivateKey);
        if (!got.ok) return got;
        ({ files, left } = got.value);
        meta = {
          platform: got.value.platform.id,
          variant: input.source.draft.variant,
          commands: got.value.commands,
          notes: got.value.notes,
          ...(got.value.removal ? { removal: got.value.removal } : {}),
        };
      } else {
        const dir = resolveUserPath(input.source.dir, 'source.dir');
        if (!dir.ok) return dir;
        // A folder goes as it is, except a private key when "The private key" is not chosen.
        const got = await collectFolder(dir.value, { exclude: [out.value], known: deps.vault.knownTokens(), leaveOutPrivateKeys: !input.includePrivateKey });
        if (!got.ok) return got;
        files = got.value.files;
        left = [...got.value.keysLeft, ...got.value.skipped];
        // The folder's own files say whose they are; the platform open in the wizard says nothing about them.
        const recognised =
          input.source.platform ??
          recognisePlatform(files.map((f) => ({ path: f.path, text: new TextDecoder().decode(f.data.subarray(0, 256 * 1024)) }))).platform;
        meta = { platform: recognised, variant: recognised === input.source.platform ? input.source.variant : null, commands: [], notes: [] };
      }
      ctx.progress(input.passphrase ? 'Encrypting the secret files and packing' : 'Packing', 0.4);
      const bundle = await createBundle({
        files,
        ...meta,
        appVersion: deps.version,
        bundleName: path.basename(out.value),
        signal: ctx.signal,
        ...(input.report !== undefined ? { report: input.report } : {}),
        ...(input.passphrase !== undefined ? { passphrase: input.passphrase } : {}),
      });
      if (!bundle.ok) return bundle;
      ctx.progress('Writing the bundle', 0.9);
      const written = await writeBundle(out.value, bundle.value, input.overwrite);
      if (!written.ok) return written;
      const secretFiles = files.filter((f) => f.secret).map((f) => ({ path: f.path, because: f.secretBecause ?? ['readable by its owner only'] }));
      return ok({
        path: out.value,
        bytes: bundle.value.zip.byteLength,
        sha256: written.value.sha256,
        manifest: bundle.value.manifest,
        left,
        secretFiles,
        warnings: bundle.value.warnings,
      });
    },

    'bundle:inspect': async (input) => {
      const file = resolveUserPath(input.file, 'file');
      if (!file.ok) return file;
      const bytes = await readBundleFile(file.value);
      if (!bytes.ok) return bytes;
      const opened = await openBundle(bytes.value, input.passphrase !== undefined ? { passphrase: input.passphrase } : {});
      if (!opened.ok) return opened;
      let targets: Map<string, { status: 'create' | 'overwrite' | 'same'; sha256: string | null }> | undefined;
      if (input.to) {
        const to = resolveUserPath(input.to, 'to');
        if (!to.ok) return to;
        const plan = await planImport(
          to.value,
          opened.value.files.map((f) => ({ path: f.path, expectedSha256: f.expectedSha256 })),
        );
        if (!plan.ok) return plan;
        targets = new Map(plan.value.map((p) => [p.path, { status: p.status, sha256: p.currentSha256 }]));
      }
      return ok({
        manifest: opened.value.manifest,
        bytes: bytes.value.byteLength,
        sha256: sha256(bytes.value),
        ok: opened.value.ok,
        files: opened.value.files.map((f) => ({
          path: f.path,
          size: f.size,
          mode: f.mode,
          secret: f.secret,
          encrypted: f.encrypted,
          status: f.status,
          ...(targets?.has(f.path) ? { target: targets.get(f.path)!.status, targetSha256: targets.get(f.path)!.sha256 } : {}),
        })),
      });
    },

    'bundle:import': async (input, ctx) => {
      const file = resolveUserPath(input.file, 'file');
      if (!file.ok) return file;
      const to = resolveUserPath(input.to, 'to');
      if (!to.ok) return to;
      ctx.progress('Reading and checking the bundle', 0.1);
      const bytes = await readBundleFile(file.value);
      if (!bytes.ok) return bytes;
      ctx.progress(input.passphrase ? 'Decrypting and checking every file' : 'Checking every file', 0.3);
      // The hash is checked on the bytes read here, the same bytes that are then unpacked.
      const done = await importBundle(bytes.value, to.value, {
        overwrite: input.overwrite,
        signal: ctx.signal,
        ...(input.expectedBundleSha256 !== undefined ? { expectedBundleSha256: input.expectedBundleSha256 } : {}),
        ...(input.expectedTargets !== undefined ? { expectedTargets: input.expectedTargets } : {}),
        ...(input.passphrase !== undefined ? { passphrase: input.passphrase } : {}),
      });
      if (!done.ok) return done;
      return ok({
        manifest: done.value.manifest,
        written: done.value.written.map((w) => ({ path: w.path, status: w.status, ...(w.backupPath ? { backupPath: w.backupPath } : {}) })),
      });
    },

    'fleet:check': async ({ draft, csv }) => {
      const platform = platformOf(draft);
      if (!platform.ok) return platform;
      const check = checkFleet(platform.value, draft, csv);
      if (!check.ok) return check;
      return ok({
        columns: check.value.columns,
        problems: check.value.problems,
        agents: check.value.agents.map(({ line, name, host, variant, errors }) => ({ line, name, variant, errors, ...(host ? { host } : {}) })),
      });
    },

    'fleet:run': async (input, ctx) => {
      const draft = input.draft;
      const platform = platformOf(draft);
      if (!platform.ok) return platform;
      const outDir = resolveUserPath(input.outDir, 'outDir');
      if (!outDir.ok) return outDir;
      const credential = input.keyPerAgent
        ? ok('per-agent' as const)
        : credentialFromVault(deps.vault, platform.value.credential, draft.credentialId, draft.knownHosts);
      if (!credential.ok) return credential;
      ctx.progress('Checking the CSV', 0);
      return runFleet({
        platform: platform.value,
        draft,
        csv: input.csv,
        outDir: outDir.value,
        credential: credential.value,
        appVersion: deps.version,
        includePrivateKey: input.includePrivateKey,
        overwrite: input.overwrite,
        signal: ctx.signal,
        ...(input.passphrase !== undefined ? { passphrase: input.passphrase } : {}),
        onProgress: (done, total, bundle) => ctx.progress(`${done} of ${total}: ${bundle.name} ${bundle.status}`, done / total, bundle),
      });
    },

    'fleet:ansible': async (input, ctx) => {
      const draft = input.draft;
      const platform = platformOf(draft);
      if (!platform.ok) return platform;
      const outDir = resolveUserPath(input.outDir, 'outDir');
      if (!outDir.ok) return outDir;
      // SSH platforms get a new key pair per agent; token platforms use the wizard's token.
      const credential =
        platform.value.credential.kind === 'ssh-keypair'
          ? ok({ kind: 'none' as const })
          : credentialFromVault(deps.vault, platform.value.credential, draft.credentialId, draft.knownHosts);
      if (!credential.ok) return credential;
      ctx.progress('Checking the CSV', 0);
      return exportAnsibleFleet({
        platform: platform.value,
        ...(input.installType ? { type: input.installType } : {}),
        draft,
        csv: input.csv,
        outDir: outDir.value,
        credential: credential.value,
        vaultPassword: input.vaultPassword,
        ...(input.installRoot ? { installRoot: input.installRoot } : {}),
        appVersion: deps.version,
        signal: ctx.signal,
        onProgress: (done, total, name) => ctx.progress(`${done} of ${total}: ${name}`, done / total),
      });
    },
  };
}
