/**
 * Fleets: one bundle per agent from a CSV (`name`, `host`, per-agent values). Every row is checked
 * before anything is written; then each agent's files come from the platform's generator and are
 * packed and written one bundle at a time, with progress after each.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Draft } from '../../shared/ipc';
import { FLEET_LIMIT, checkColumns, draftAnswers, rowToAgent, type FleetAgent, type FleetRow } from '../../shared/fleet';
import type { AnyPlatform, Credential, CredentialSpec, PlatformId } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { createBundle, generatedParts, keySession, writeBundle, type KeySession } from './bundle';
import { readSnapshot, writeFilesAtomic } from './files';
import { generateKeyPair } from './keys';

/** With a key pair per agent: every agent's public key, to register with the vendor. */
export const PUBLIC_KEYS_FILE = 'public-keys.csv';

/** The CSV's columns (as written) and its data rows with their line numbers. */
export interface ParsedCsv {
  columns: string[];
  rows: FleetRow[];
}

/**
 * Parses fleet CSV text (RFC 4180 quoting, a BOM, CRLF; blank lines skipped). The first record is
 * the header. PARSE_ERROR names the line of a malformed record; BAD_INPUT when there are no rows
 * or more than FLEET_LIMIT.
 */
export function parseFleetCsv(text: string): Result<ParsedCsv> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return err(
      'PARSE_ERROR',
      `The CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${(e.message ?? String(error)).replace(/^CsvError: /, '')}`,
      'Quote cells that contain commas or quotes ("a, b"; a quote inside is written "").',
    );
  }
  const [header, ...body] = records;
  if (!header) return err('BAD_INPUT', 'The CSV is empty: write a header line (name,host,...) and one line per agent.');
  const columns = header.record.map((c) => c.trim());
  if (body.length === 0) return err('BAD_INPUT', 'The CSV has a header but no agents: add one line per agent.');
  if (body.length > FLEET_LIMIT) return err('BAD_INPUT', `The CSV has ${body.length} agents; one run packs at most ${FLEET_LIMIT}. Split the file.`);
  const rows = body.map(({ record, info }) => ({ line: info.lines, cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])) }));
  return ok({ columns, rows });
}

/** A fleet checked against the platform: column problems, and each agent with its own errors. */
export interface FleetCheck {
  columns: string[];
  problems: string[];
  agents: FleetAgent[];
}

/** Checks every row of a fleet CSV against the draft's platform and answers (nothing is written). */
export function checkFleet(platform: AnyPlatform, draft: Draft, csv: string, extraColumns: readonly string[] = []): Result<FleetCheck> {
  const parsed = parseFleetCsv(csv);
  if (!parsed.ok) return parsed;
  const problems = checkColumns(platform, parsed.value.columns, extraColumns);
  const template = { variant: draft.variant, answers: draftAnswers(platform, draft.variant, draft.answers).answers };
  const seen = new Map<string, number>();
  const agents = parsed.value.rows.map((row) => {
    const agent = rowToAgent(platform, template, row, extraColumns);
    const key = agent.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) agent.errors.push(`the name "${agent.name}" is already used on line ${first} (each agent's bundle is <name>.zip)`);
    else seen.set(key, row.line);
    return agent;
  });
  return ok({ columns: parsed.value.columns, problems, agents });
}

export interface FleetBundle {
  name: string;
  path: string;
  status: 'created' | 'failed' | 'cancelled';
  bytes?: number;
  error?: string;
  /** With a key pair per agent: that agent's public key fingerprint (SHA256:…). */
  fingerprint?: string;
}

export interface FleetSummary {
  outDir: string;
  created: number;
  failed: number;
  cancelled: number;
  elapsedMs: number;
  bundles: FleetBundle[];
  /** With a key pair per agent: the CSV of every agent's public key, written beside the bundles. */
  publicKeys?: string;
}

export interface FleetOptions {
  platform: AnyPlatform;
  draft: Draft;
  csv: string;
  outDir: string;
  /** The draft's credential, or `per-agent` to generate a new SSH key pair for each agent. */
  credential: Credential | 'per-agent';
  appVersion: string;
  includePrivateKey?: boolean;
  passphrase?: string;
  overwrite?: boolean;
  signal?: AbortSignal;
  /** Called after each agent: how many are done, of how many, and that agent's bundle. */
  onProgress?(done: number, total: number, bundle: FleetBundle): void;
}

function rowErrors(check: FleetCheck): string[] {
  return [...check.problems, ...check.agents.flatMap((a) => a.errors.map((e) => `line ${a.line} (${a.name || 'no name'}): ${e}`))];
}

/** A new key pair for one agent, in the type and file format its platform wants. */
async function agentKeyPair(
  spec: Extract<CredentialSpec, { kind: 'ssh-keypair' }>,
  platform: PlatformId,
  agent: FleetAgent,
  knownHosts: string | undefined,
): Promise<Result<{ credential: Credential; fingerprint: string; publicKey: string }>> {
  const pair = await generateKeyPair({ type: spec.defaultType, format: spec.privateKeyFormat, comment: `${platform}-${agent.name}` });
  if (!pair.ok) return pair;
  const credential: Credential = {
    kind: 'ssh-keypair',
    privateKey: pair.value.privateKey,
    publicKey: pair.value.publicKey,
    ...(knownHosts ? { knownHosts } : {}),
  };
  return ok({ credential, fingerprint: pair.value.fingerprint, publicKey: pair.value.publicKey });
}

/** Builds and writes one agent's bundle. */
async function packAgent(o: FleetOptions, agent: FleetAgent, file: string, session: KeySession | undefined): Promise<FleetBundle & { publicKey?: string }> {
  let credential: Credential;
  let own: { fingerprint: string; publicKey: string } | undefined;
  if (o.credential === 'per-agent') {
    if (o.platform.credential.kind !== 'ssh-keypair')
      return { name: agent.name, path: file, status: 'failed', error: `${o.platform.name} does not use SSH keys.` };
    const made = await agentKeyPair(o.platform.credential, o.platform.id, agent, o.draft.knownHosts);
    if (!made.ok) return { name: agent.name, path: file, status: 'failed', error: made.error.message };
    ({ credential, ...own } = made.value);
  } else {
    credential = o.credential;
  }
  const generated = o.platform.generate!(agent.answers, credential, agent.variant ?? '', o.draft.trustedCa ? { trustedCa: o.draft.trustedCa } : undefined);
  if (!generated.ok) return { name: agent.name, path: file, status: 'failed', error: generated.error.message };
  // An agent's own private key exists nowhere else: it always travels in its (encrypted) bundle.
  const includePrivateKey = own !== undefined || (o.includePrivateKey ?? false);
  const { files, commands, notes, removal } = generatedParts(generated.value, { platform: o.platform.id, includePrivateKey, trustedCa: o.draft.trustedCa });
  const bundle = await createBundle({
    files,
    platform: o.platform.id,
    variant: agent.variant,
    appVersion: o.appVersion,
    bundleName: path.basename(file),
    commands,
    notes,
    ...(removal ? { removal } : {}),
    agent: { name: agent.name, ...(agent.host ? { host: agent.host } : {}) },
    ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
    ...(session ? { keySession: session } : {}),
  });
  if (!bundle.ok) return { name: agent.name, path: file, status: 'failed', error: bundle.error.message };
  const written = await writeBundle(file, bundle.value, o.overwrite ?? false);
  if (!written.ok) return { name: agent.name, path: file, status: 'failed', error: written.error.message };
  return { name: agent.name, path: file, status: 'created', bytes: bundle.value.zip.byteLength, ...(own ?? {}) };
}

/**
 * Packs one bundle per CSV row into `outDir` as `<name>.zip`. Refuses before writing anything when
 * a row is invalid (BAD_INPUT listing the lines), the platform has no generator (NOT_BUILT), or a
 * bundle file exists and `overwrite` is off (ALREADY_EXISTS). A failure of one agent after that
 * is reported in its row and the run goes on; cancelling stops before the next agent.
 */
export async function runFleet(o: FleetOptions): Promise<Result<FleetSummary>> {
  const started = performance.now();
  if (!o.platform.generate) return err('NOT_BUILT', `${o.platform.name} cannot generate files yet, so it cannot make fleet bundles.`);
  if (o.credential === 'per-agent') {
    if (o.platform.credential.kind !== 'ssh-keypair')
      return err('BAD_INPUT', `${o.platform.name} does not use SSH keys, so there is no key pair to make per agent.`);
    if (o.passphrase === undefined)
      return err(
        'BAD_INPUT',
        "Each agent's private key travels only in its bundle: give a passphrase to encrypt them.",
        'Set a passphrase for the bundles (at least 8 characters).',
      );
  }
  const check = checkFleet(o.platform, o.draft, o.csv);
  if (!check.ok) return check;
  const problems = rowErrors(check.value);
  if (problems.length)
    return err(
      'BAD_INPUT',
      `Fix the CSV first (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
    );
  const outDir = path.resolve(o.outDir);
  const targets = check.value.agents.map((a) => path.join(outDir, `${a.name}.zip`));
  if (!o.overwrite) {
    const existing: string[] = [];
    for (const t of targets) if ((await readSnapshot(t).catch(() => ({ exists: true }))).exists) existing.push(path.basename(t));
    if (existing.length)
      return err(
        'ALREADY_EXISTS',
        `${existing.length} bundle(s) already exist in ${outDir} (${existing.slice(0, 5).join(', ')}); nothing was written.`,
        'Choose an empty folder, or allow overwriting.',
      );
  }
  const bundles: FleetBundle[] = [];
  const keys: string[][] = [];
  const total = check.value.agents.length;
  // One scrypt for the whole fleet; each file still gets its own key (bundle.ts, AOENC2).
  const session = o.passphrase !== undefined ? keySession(o.passphrase) : undefined;
  for (const [i, agent] of check.value.agents.entries()) {
    const file = targets[i]!;
    const { publicKey, ...bundle } = o.signal?.aborted
      ? { name: agent.name, path: file, status: 'cancelled' as const, publicKey: undefined }
      : await packAgent(o, agent, file, session);
    if (publicKey && bundle.fingerprint) keys.push([agent.name, agent.host ?? '', bundle.fingerprint, publicKey]);
    bundles.push(bundle);
    o.onProgress?.(i + 1, total, bundle);
  }
  let publicKeys: string | undefined;
  if (keys.length) {
    publicKeys = path.join(outDir, PUBLIC_KEYS_FILE);
    const text = stringify(keys, { header: true, columns: ['name', 'host', 'fingerprint', 'public key'] });
    // An existing list is kept as a backup by the file service.
    const written = await writeFilesAtomic([{ path: publicKeys, data: text, mode: 0o644 }]);
    if (!written.ok) return written;
  }
  const count = (s: FleetBundle['status']): number => bundles.filter((b) => b.status === s).length;
  return ok({
    outDir,
    created: count('created'),
    failed: count('failed'),
    cancelled: count('cancelled'),
    elapsedMs: Math.round(performance.now() - started),
    bundles,
    ...(publicKeys ? { publicKeys } : {}),
  });
}
