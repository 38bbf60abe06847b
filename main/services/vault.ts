/**
 * The main process's secret vault: private keys, tokens and passphrases live here, in memory,
 * under random ids. The renderer only ever holds ids (and public data: public keys,
 * fingerprints, masked tokens). Persisting a secret across restarts goes through the
 * SecretCipher (the OS keychain, or in browser mode the user's passphrase) and stores only the
 * encrypted blob; without a cipher nothing is persisted.
 */
import { randomBytes } from 'node:crypto';
import type { SecretCipher } from './deps';
import type { KeyValueStore } from './store';

export type SecretKind = 'ssh-private-key' | 'token' | 'passphrase';

export interface StoredSecret {
  id: string;
  kind: SecretKind;
  value: string;
  /** Public facts about the secret (key type, fingerprint, platform, token kind); never secret. */
  meta: Record<string, string>;
}

const ID = /^sec_[A-Za-z0-9_-]{16,64}$/;

export class SecretVault {
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(
    private readonly cipher?: SecretCipher,
    private readonly store?: KeyValueStore,
  ) {}

  /** Keeps a secret; returns its id. */
  put(kind: SecretKind, value: string, meta: Record<string, string> = {}): string {
    const id = `sec_${randomBytes(12).toString('base64url')}`;
    this.secrets.set(id, { id, kind, value, meta: { ...meta } });
    return id;
  }

  /** The secret with this id, from memory or (when persisted) decrypted from the store. */
  get(id: string): StoredSecret | undefined {
    if (!ID.test(id)) return undefined;
    const held = this.secrets.get(id);
    if (held) return held;
    const restored = this.restore(id);
    if (restored) this.secrets.set(id, restored);
    return restored;
  }

  /** The token values held in memory (for finding them in files: bundles, diffs); never sent anywhere. */
  knownTokens(): string[] {
    return [...this.secrets.values()].filter((s) => s.kind === 'token').map((s) => s.value);
  }

  delete(id: string): void {
    this.secrets.delete(id);
    const all = this.persisted();
    if (id in all) {
      delete all[id];
      this.store?.set('secrets', all);
    }
  }

  /** True when `id` is kept across restarts (saved encrypted in the store). */
  isSaved(id: string): boolean {
    return id in this.persisted();
  }

  /** Drops every saved secret from memory (they stay in the store, encrypted); unsaved ones stay. */
  dropSaved(): void {
    for (const id of Object.keys(this.persisted())) this.secrets.delete(id);
  }

  /** True when `id` was saved but cannot be opened now: the passphrase lock is locked. */
  isLocked(id: string): boolean {
    return ID.test(id) && !this.secrets.has(id) && id in this.persisted() && !this.cipher?.available();
  }

  /** True when secrets can be kept across restarts (an OS keychain, or an unlocked passphrase lock). */
  canPersist(): boolean {
    return Boolean(this.cipher?.available() && this.store);
  }

  /**
   * Stores the secret encrypted with the OS keychain so it survives a restart. Returns false (and
   * stores nothing) when there is no keychain: browser mode and the CLI never persist secrets.
   */
  persist(id: string): boolean {
    const secret = this.secrets.get(id);
    if (!secret || !this.canPersist() || !this.cipher || !this.store) return false;
    const blob = this.cipher.encrypt(JSON.stringify(secret));
    this.store.set('secrets', { ...this.persisted(), [id]: Buffer.from(blob).toString('base64') });
    return true;
  }

  private persisted(): Record<string, string> {
    const raw = this.store?.get('secrets');
    return raw && typeof raw === 'object' ? { ...(raw as Record<string, string>) } : {};
  }

  private restore(id: string): StoredSecret | undefined {
    const blob = this.persisted()[id];
    if (!blob || !this.cipher?.available()) return undefined;
    try {
      const parsed = JSON.parse(this.cipher.decrypt(Buffer.from(blob, 'base64'))) as StoredSecret;
      return parsed.id === id ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
