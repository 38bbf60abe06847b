/**
 * Issue 14 item 12: the page wipes a copied token after 30 s with a timer of its own, so closing
 * the window or quitting within those 30 s left the token on the clipboard. Main remembers what
 * it revealed (by digest) and clears the clipboard on quit when it still holds one of them.
 */
import { describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../main/ipc/dispatch';
import { credentialsHandlers } from '../../../../main/ipc/handlers/credentials';
import { createClipboardGuard, type TextClipboard } from '../../../../main/services/clipboard-guard';
import { NO_CIPHER, type Deps } from '../../../../main/services/deps';
import { MemoryStore } from '../../../../main/services/store';
import { SecretVault } from '../../../../main/services/vault';
import { credentialChannels } from '../../../../shared/credentials-contract';
import type { Result } from '../../../../shared/result';

const BAMBOO = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';

function fakeClipboard(text: string): TextClipboard & { text: string } {
  return {
    text,
    readText() {
      return this.text;
    },
    writeText(t) {
      this.text = t;
    },
  };
}

describe('clearing a copied secret from the clipboard on quit', () => {
  it('clears a token the app revealed for copying (the secrets:reveal channel remembers it)', async () => {
    const store = new MemoryStore();
    const guard = createClipboardGuard();
    const deps: Deps = {
      mode: 'electron',
      version: 'test',
      store,
      cipher: NO_CIPHER,
      dataDir: '/nonexistent',
      vault: new SecretVault(NO_CIPHER, store),
      clipboardGuard: guard,
    };
    const jobs = new JobRegistry();
    const ctx: CallContext = { senderId: 'w1', jobs, emit: () => undefined };
    const handlers = credentialsHandlers(deps, jobs);
    const call = (channel: keyof typeof credentialChannels, input: unknown) =>
      dispatch(credentialChannels, handlers, channel, input, ctx) as Promise<Result<{ id: string }>>;
    const checked = await call('tokens:check', { platform: 'bamboo-remote', text: BAMBOO });
    if (!checked.ok) throw new Error(checked.error.message);
    // Before any reveal, the same text on the clipboard is not the app's doing: left alone.
    const before = fakeClipboard(BAMBOO);
    expect(guard.wipeIfOurs(before)).toBe(false);
    expect(before.text).toBe(BAMBOO);
    expect((await call('secrets:reveal', { id: checked.value.id, purpose: 'copy' })).ok).toBe(true);
    const clip = fakeClipboard(`${BAMBOO}\n`);
    expect(guard.wipeIfOurs(clip)).toBe(true);
    expect(clip.text).toBe('');
  });

  it('leaves the clipboard alone when the user copied something else since', () => {
    const guard = createClipboardGuard();
    guard.remember(BAMBOO);
    const clip = fakeClipboard('git status');
    expect(guard.wipeIfOurs(clip)).toBe(false);
    expect(clip.text).toBe('git status');
    expect(guard.wipeIfOurs(fakeClipboard(''))).toBe(false);
  });

  it('keeps digests only, a bounded number of them, and never throws when the clipboard does', () => {
    const guard = createClipboardGuard(2);
    guard.remember('one-token-value');
    guard.remember('two-token-value');
    guard.remember('three-token-value');
    expect(guard.wipeIfOurs(fakeClipboard('one-token-value'))).toBe(false);
    expect(guard.wipeIfOurs(fakeClipboard('three-token-value'))).toBe(true);
    expect(JSON.stringify(guard)).not.toContain('token-value');
    const broken: TextClipboard = {
      readText: () => {
        throw new Error('no clipboard');
      },
      writeText: () => undefined,
    };
    expect(guard.wipeIfOurs(broken)).toBe(false);
  });
});
