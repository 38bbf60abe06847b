/**
 * A fleet exported as an Ansible project (shared/ansible/project.ts): every CSV row is checked
 * first, each agent's files come from the platform's generator laid out under its install root,
 * per-agent SSH key pairs are made where the platform uses keys, and every secret file is
 * encrypted with Ansible Vault (the `ansible-vault` library; the password is never written).
 */
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { Vault } from 'ansible-vault';
import type { Draft } from '../../shared/ipc';
import { ansibleProject, type AnsibleAgent, type ProjectFile } from '../../shared/ansible/project';
import type { FleetAgent } from '../../shared/fleet';
import type { AnsibleInstallType, AnyPlatform, Credential } from '../../shared/platforms/types';
import { err, ok, type Result } from '../../shared/result';
import { isHost } from '../../shared/validate';
import { writeFilesAtomic } from './files';
import { checkFleet, PUBLIC_KEYS_FILE } from './fleet';
import { generateKeyPair } from './keys';

/** CSV columns an Ansible export reads besides the platform's fields. */
export const ANSIBLE_COLUMNS = ['ansible_host', 'ansible_port', 'ansible_user', 'install_root'] as const;

/** The vault id the project's secrets are encrypted for (`--vault-id fleet@...`). */
export const VAULT_ID = 'fleet';

export interface AnsibleExportOptions {
  platform: AnyPlatform;
  /** An install type of `platform.ansible` (default: the first). */
  type?: string;
  draft: Draft;
  csv: string;
  outDir: string;
  /** A token for token platforms; SSH-key platforms get a new key pair per agent. */
  credential: Credential;
  vaultPassword: string;
  /** Install root of rows without an install_root cell ('' or absent: /). */
  installRoot?: string;
  appVersion: string;
  signal?: AbortSignal;
  /** After each agent: how many are done, of how many. */
  onProgress?(done: number, total: number, name: string): void;
}

export interface AnsibleExportSummary {
  outDir: string;
  hosts: number;
  files: number;
  encrypted: number;
  elapsedMs: number;
  /** With a key pair per agent: each agent's public key, to register with the vendor. */
  publicKeys?: string;
}

const ROOT = /^(?:\/[A-Za-z0-9._-]+)*$/;

function rootProblem(root: string): string | null {
  return ROOT.test(root) && !root.split('/').includes('..')
    ? null
    : `install root ${JSON.stringify(root.slice(0, 80))} must be an absolute path of letters, digits, '.', '_', '-' (or empty for /)`;
}

/**
 * The install type asked for, by its id or by the platform variant it installs (`--variant
 * installer` finds Bamboo's shell type) when one type installs that variant; BAD_INPUT naming
 * the ones there are.
 */
export function installTypeOf(platform: AnyPlatform, id: string | undefined): Result<AnsibleInstallType> {
  const types = platform.ansible ?? [];
  if (types.length === 0) return err('NOT_BUILT', `${platform.name} has no Ansible install type yet; use the bundle export (one zip per agent).`);
  const byVariant = types.filter((t) => t.variant === id);
  const type = id === undefined ? types[0] : (types.find((t) => t.id === id) ?? (byVariant.length === 1 ? byVariant[0] : undefined));
  if (!type) return err('BAD_INPUT', `${platform.name} has no Ansible install type "${id}": use ${types.map((t) => t.id).join(', ')}.`);
  return ok(type);
}

function connection(
  agent: FleetAgent,
  defaultRoot: string,
  type: AnsibleInstallType,
): { host?: string; port?: number; user?: string; root: string; errors: string[] } {
  const errors: string[] = [];
  if (agent.variant !== type.variant)
    errors.push(`variant "${agent.variant ?? ''}": one project runs one install type (${type.id}); export the other rows separately`);
  const host = agent.extra.ansible_host || agent.host;
  if (host && !isHost(host)) errors.push(`ansible_host "${host.slice(0, 80)}" is not a host name or IP address`);
  const portText = agent.extra.ansible_port;
  const port = portText ? Number(portText) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    errors.push(`ansible_port "${portText!.slice(0, 20)}" must be a port (1-65535)`);
  const user = agent.extra.ansible_user || undefined;
  if (user && !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(user)) errors.push(`ansible_user "${user.slice(0, 40)}" is not a user name`);
  const root = (agent.extra.install_root || defaultRoot).replace(/\/+$/, '');
  const bad = rootProblem(root);
  if (bad) errors.push(bad);
  return { ...(host ? { host } : {}), ...(port ? { port } : {}), ...(user ? { user } : {}), root, errors };
}

async function emptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Writes the Ansible project for the fleet into `outDir` (which must be empty or missing:
 * ALREADY_EXISTS otherwise). BAD_INPUT lists the CSV's problems before anything is made;
 * NOT_BUILT when the platform has no Ansible install type; CANCELLED when `signal` aborts.
 */
export async function exportAnsibleFleet(o: AnsibleExportOptions): Promise<Result<AnsibleExportSummary>> {
  const started = performance.now();
  const type = installTypeOf(o.platform, o.type);
  if (!type.ok) return type;
  if (o.vaultPassword.length < 8) return err('BAD_INPUT', 'The vault password must have at least 8 characters.');
  const defaultRoot = (o.installRoot ?? '').replace(/\/+$/, '');
  const badRoot = rootProblem(defaultRoot);
  if (badRoot) return err('BAD_INPUT', badRoot);
  const keys = o.platform.credential.kind === 'ssh-keypair' ? o.platform.credential : undefined;
  if (!keys && o.credential.kind !== o.platform.credential.kind)
    return err('BAD_INPUT', `${o.platform.name} needs a ${o.platform.credential.kind === 'token' ? 'token' : 'credential'} for the fleet.`);
  const check = checkFleet(o.platform, { ...o.draft, variant: type.value.variant }, o.csv, ANSIBLE_COLUMNS);
  if (!check.ok) return check;
  const rows = check.value.agents.map((agent) => ({ agent, conn: connection(agent, defaultRoot, type.value) }));
  const problems = [
    ...check.value.problems,
    ...rows.flatMap(({ agent, conn }) => [...agent.errors, ...conn.errors].map((e) => `line ${agent.line} (${agent.name || 'no name'}): ${e}`)),
  ];
  if (problems.length)
    return err(
      'BAD_INPUT',
      `Fix the CSV first (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
    );
  const outDir = path.resolve(o.outDir);
  if (!(await emptyOrMissing(outDir)))
    return err('ALREADY_EXISTS', `${outDir} is not empty; nothing was written.`, 'Choose a new or empty folder for the project.');

  const agents: AnsibleAgent[] = [];
  const publicKeys: string[][] = [];
  let removalNotes: string[] = [];
  for (const [i, { agent, conn }] of rows.entries()) {
    if (o.signal?.aborted) return err('CANCELLED', 'The export was cancelled; nothing was written.');
    let credential = o.credential;
    if (keys) {
      const pair = await generateKeyPair({ type: keys.defaultType, format: keys.privateKeyFormat, comment: `${o.platform.id}-${agent.name}` });
      if (!pair.ok) return pair;
      credential = {
        kind: 'ssh-keypair',
        privateKey: pair.value.privateKey,
        publicKey: pair.value.publicKey,
        ...(o.draft.knownHosts ? { knownHosts: o.draft.knownHosts } : {}),
      };
      publicKeys.push([agent.name, conn.host ?? '', pair.value.fingerprint, pair.value.publicKey]);
    }
    const made = type.value.files(agent.answers, credential, conn.root, o.draft.trustedCa ? { trustedCa: o.draft.trustedCa } : undefined);
    if (!made.ok) return err(made.error.code, `line ${agent.line} (${agent.name}): ${made.error.message}`, made.error.hint);
    removalNotes = made.value.generated.removal?.notes ?? removalNotes;
    const { root, errors: _errors, ...where } = conn;
    agents.push({ name: agent.name, ...where, root, answers: agent.answers, files: made.value.files });
    o.onProgress?.(i + 1, rows.length, agent.name);
  }
  const files = ansibleProject({ platform: o.platform, type: type.value, agents, appVersion: o.appVersion, removalNotes });
  if (publicKeys.length)
    files.push({
      path: PUBLIC_KEYS_FILE,
      text: stringify(publicKeys, { header: true, columns: ['name', 'host', 'fingerprint', 'public key'] }),
      mode: 0o644,
      secret: false,
    });
  const encrypted = await encryptSecrets(files, o.vaultPassword);
  const written = await writeFilesAtomic(encrypted.map((f) => ({ path: path.join(outDir, f.path), data: f.text, mode: f.mode })));
  if (!written.ok) return written;
  return ok({
    outDir,
    hosts: agents.length,
    files: files.length,
    encrypted: files.filter((f) => f.secret).length,
    elapsedMs: Math.round(performance.now() - started),
    ...(publicKeys.length ? { publicKeys: path.join(outDir, PUBLIC_KEYS_FILE) } : {}),
  });
}

/** Secret files as Ansible Vault 1.2 text for VAULT_ID (each with its own salt, as the format wants). */
export async function encryptSecrets(files: ProjectFile[], password: string): Promise<ProjectFile[]> {
  const vault = new Vault({ password });
  return Promise.all(files.map(async (f) => (f.secret ? { ...f, text: `${await vault.encrypt(f.text, VAULT_ID)}\n`, mode: 0o600 } : f)));
}
