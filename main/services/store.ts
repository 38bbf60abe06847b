/**
 * The app's persistent store: the wizard draft (never a secret), encrypted secret blobs and the
 * history. Electron uses electron-store; browser mode and the CLI use conf (the library
 * electron-store is built on), both behind `KeyValueStore`. The stored document has a schema and
 * a version; `migrateStore` brings older documents forward.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { scrubString } from '../../shared/history';
import { draftSchema, type Draft } from '../../shared/ipc';

/** The part of electron-store / conf the app uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Bumped whenever the stored shape changes; add a step to MIGRATIONS with it. */
export const STORE_VERSION = 1;

/** JSON schema of the stored document (enforced by electron-store / conf on every write). */
export const STORE_SCHEMA = {
  storeVersion: { type: 'number' },
  draft: { type: ['object', 'null'] },
  secrets: { type: 'object', additionalProperties: { type: 'string' } },
  /** Browser mode's passphrase lock: scrypt parameters, salt and a sealed check value (see passphrase-cipher.ts). */
  secretsKey: { type: 'object' },
  /** What the wizard wrote, for undo (see write-ledger.ts). */
  writes: { type: 'object' },
  history: { type: 'array' },
} as const;

/** Steps from version N to N+1, indexed by N. */
const MIGRATIONS: Record<number, (store: KeyValueStore) => void> = {
  // Version 0 (no storeVersion) kept the draft under `wizard`; it moved to `draft`.
  0: (store) => {
    const old = store.get('wizard');
    if (old !== undefined) {
      store.set('draft', old);
      store.delete('wizard');
    }
  },
};

/** Brings a store written by an older version up to STORE_VERSION; returns the versions applied. */
export function migrateStore(store: KeyValueStore): number[] {
  const applied: number[] = [];
  let version = Number(store.get('storeVersion') ?? 0);
  if (!Number.isInteger(version) || version < 0) version = 0;
  while (version < STORE_VERSION) {
    MIGRATIONS[version]?.(store);
    applied.push(version);
    version += 1;
    store.set('storeVersion', version);
  }
  return applied;
}

/** Loads, saves and clears the wizard draft. A damaged draft loads as null instead of failing. */
export class DraftService {
  constructor(private readonly store: KeyValueStore) {}

  load(): Draft | null {
    const parsed = draftSchema.safeParse(this.store.get('draft'));
    return parsed.success ? parsed.data : null;
  }

  /** Saves the draft; a password typed into a URL answer or the proxy URL (`http://user:pw@proxy`) is not kept. */
  save(draft: Draft): string {
    const parsed = draftSchema.parse(draft);
    // The renderer saves on every keystroke and the store is a plain JSON file: the answers
    // schema refuses credentials in URLs, but only when the step is checked, after the save.
    this.store.set('draft', {
      ...parsed,
      answers: withoutUrlCredentials(parsed.answers),
      ...(parsed.proxy ? { proxy: withoutUrlCredentials(parsed.proxy) } : {}),
    });
    return new Date().toISOString();
  }

  clear(): void {
    this.store.delete('draft');
  }
}

function withoutUrlCredentials<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubString(value) as T;
  if (depth > 8 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutUrlCredentials(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutUrlCredentials(v, depth + 1)])) as T;
}

/** A store in memory (tests, and a fallback when the store file cannot be opened). */
export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    const v = this.data.get(key);
    return v === undefined ? undefined : structuredClone(v);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
}

/** The store file's mode: it holds the passphrase salt, the check value and sealed secrets. */
export const STORE_FILE_MODE = 0o600;
/** The store folder's mode. */
export const STORE_DIR_MODE = 0o700;

/**
 * Makes the store's folder 0700 (created if missing, tightened if looser) and its file, when it
 * exists, 0600: conf and electron-store default to 0644 in a 0755 folder, which let any local
 * user copy the sealed secrets and brute-force them offline.
 */
export function secureStoreLocation(dir: string, file: string): void {
  mkdirSync(dir, { recursive: true, mode: STORE_DIR_MODE });
  chmodSync(dir, STORE_DIR_MODE);
  if (existsSync(file)) chmodSync(file, STORE_FILE_MODE);
}

/** Opens the conf-backed store in `dir` (browser mode and the CLI): 0600 in a 0700 folder. */
export async function openConfStore(dir: string): Promise<KeyValueStore> {
  const { default: Conf } = await import('conf');
  secureStoreLocation(dir, path.join(dir, 'agent-onboard.json'));
  const conf = new Conf<Record<string, unknown>>({
    configFileMode: STORE_FILE_MODE,
    cwd: dir,
    configName: 'agent-onboard',
    projectName: 'agent-onboard',
    schema: STORE_SCHEMA,
    clearInvalidConfig: false,
  });
  const store: KeyValueStore = {
    get: (k) => conf.get(k),
    set: (k, v) => conf.set(k, v),
    delete: (k) => conf.delete(k),
  };
  migrateStore(store);
  return store;
}
