/**
 * Runs `agent-onboard` as a real process, as a user would (tsx as a loader in one process: its
 * CLI would fork a grandchild that a timeout or kill can miss).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment (or, with `cleanEnv`, the whole environment besides PATH and HOME). */
  env?: Record<string, string>;
  cleanEnv?: boolean;
  input?: string;
  timeoutMs?: number;
}

// By absolute URL, so the CLI can run with any working directory.
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

function argv(args: string[]): string[] {
  return ['--import', TSX_LOADER, path.join(REPO_ROOT, 'main/cli.ts'), ...args];
}

function environment(o: CliOptions): NodeJS.ProcessEnv {
  const base = o.cleanEnv ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } : process.env;
  return { ...base, ...o.env };
}

/** Runs the CLI with `args`; resolves with its exit code and output (never rejects). */
export function runCliProcess(args: string[], o: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv(args), { cwd: o.cwd ?? REPO_ROOT, env: environment(o), timeout: o.timeoutMs ?? 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(o.input ?? '');
  });
}

/** The same, synchronously. */
export function runCliProcessSync(args: string[], o: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, argv(args), {
    cwd: o.cwd ?? REPO_ROOT,
    env: environment(o),
    input: o.input ?? '',
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
