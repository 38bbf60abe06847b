/**
 * Browser mode's saved secrets: the passphrase lock (real scrypt and AES-256-GCM) through the
 * real dispatch, vault and credential services, with a restart simulated by building a new lock,
 * vault and handlers over the same store.
 */
import { describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../main/ipc/dispatch';
import { credentialsHandlers } from '../../../../main/ipc/handlers/credentials';
import { chosenSecret } from '../../../../main/services/credential';
import { NO_CIPHER, type Deps } from '../../../../main/services/deps';
import { browserModeDeps, MIN_STORE_PASSPHRASE, SECRETS_KEY } from '../../../../main/services/passphrase-cipher';
import { MemoryStore } from '../../../../main/services/store';
import { SecretVault } from '../../../../main/services/vault';
import { credentialChannels } from '../../../../shared/credentials-contract';
import type { Result } from '../../../../shared/result';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';
const PASS = 'correct horse battery staple';

/** The browser-mode front end over `store`: a fresh start each call. */
function start(store = new MemoryStore()) {
  const deps = browserModeDeps(store, '/nonexistent', 'test');
  const { vault } = deps;
  const jobs = new JobRegistry();
  const handlers = credentialsHandlers(deps, jobs);
  const ctx: CallContext = { senderId: 'w1', jobs, emit: () => undefined };
  const call = <T = Record<string, unknown>>(channel: keyof typeof credentialChannels, input: unknown) =>
    dispatch(credentialChannels, handlers, channel, input, ctx) as Promise<Result<T>>;
  return { store, vault, call };
}

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

describe('saved secrets in browser mode', () => {
  it('saves nothing until a passphrase is set, then keeps only sealed blobs and the KDF parameters', async () => {
    const app = start();
    expect(await app.call('secrets:store-status', {})).toEqual({ ok: true, value: { kind: 'passphrase', state: 'unset' } });
    const id = app.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    expect(code(await app.call('secrets:persist', { id }))).toBe('SECRET_UNAVAILABLE');
    expect(app.store.get('secrets')).toBeUndefined();

    const short = await app.call('secrets:unlock', { passphrase: 'x'.repeat(MIN_STORE_PASSPHRASE - 1), create: true });
    expect(short.ok === false && short.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining(`${MIN_STORE_PASSPHRASE} characters`) });
    expect(await app.call('secrets:unlock', { passphrase: PASS, create: true })).toEqual({ ok: true, value: { kind: 'passphrase', state: 'ready' } });
    expect(code(await app.call('secrets:unlock', { passphrase: PASS, create: true }))).toBe('ALREADY_EXISTS');
    expect(code(await app.call('secrets:persist', { id }))).toBe('ok');

    const saved = JSON.stringify({ secrets: app.store.get('secrets'), key: app.store.get(SECRETS_KEY) });
    expect(saved).not.toContain(TOKEN);
    expect(saved).not.toContain(PASS);
    expect(app.store.get(SECRETS_KEY)).toMatchObject({ kdf: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('after a restart the secret is locked (not lost), a wrong passphrase is refused, the right one opens it', async () => {
    const first = start();
    await first.call('secrets:unlock', { passphrase: PASS, create: true });
    const id = first.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    await first.call('secrets:persist', { id });

    const again = start(first.store);
    expect(await again.call('secrets:store-status', {})).toEqual({ ok: true, value: { kind: 'passphrase', state: 'locked' } });
    expect(code(await again.call('secrets:describe', { id }))).toBe('SECRET_LOCKED');
    expect(code(chosenSecret(again.vault, id, 'token'))).toBe('SECRET_LOCKED');
    const wrong = await again.call('secrets:unlock', { passphrase: 'not the passphrase at all', create: false });
    expect(wrong.ok === false && wrong.error.code).toBe('PASSPHRASE_WRONG');
    expect(code(await again.call('secrets:unlock', { passphrase: PASS, create: false }))).toBe('ok');
    expect(await again.call('secrets:describe', { id })).toMatchObject({ ok: true, value: { secret: 'token' } });
    expect(await again.call('secrets:reveal', { id, purpose: 'copy' })).toMatchObject({ ok: true, value: { value: TOKEN } });
  });

  it('lock drops the saved secrets from memory but keeps the unsaved ones; reset forgets the passphrase and every saved secret', async () => {
    const app = start();
    await app.call('secrets:unlock', { passphrase: PASS, create: true });
    const saved = app.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    await app.call('secrets:persist', { id: saved });
    const unsaved = app.vault.put('token', TOKEN.replace('f', 'e'), { platform: 'bamboo-remote' });

    expect(await app.call('secrets:lock', {})).toEqual({ ok: true, value: { kind: 'passphrase', state: 'locked' } });
    expect(code(await app.call('secrets:describe', { id: saved }))).toBe('SECRET_LOCKED');
    expect(code(await app.call('secrets:describe', { id: unsaved }))).toBe('ok');

    expect(await app.call('secrets:reset', {})).toEqual({ ok: true, value: { kind: 'passphrase', state: 'unset' } });
    expect(code(await app.call('secrets:describe', { id: saved }))).toBe('NOT_FOUND');
    expect(app.store.get('secrets')).toBeUndefined();
    expect(app.store.get(SECRETS_KEY)).toBeUndefined();
    expect(code(await app.call('secrets:unlock', { passphrase: PASS, create: false }))).toBe('NOT_FOUND');
  });

  it('a tampered blob does not open, and a store edited to demand a huge scrypt cost is not trusted', async () => {
    const app = start();
    await app.call('secrets:unlock', { passphrase: PASS, create: true });
    const id = app.vault.put('token', TOKEN);
    await app.call('secrets:persist', { id });
    const blobs = app.store.get('secrets') as Record<string, string>;
    const bytes = Buffer.from(blobs[id]!, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    app.store.set('secrets', { [id]: bytes.toString('base64') });
    const after = start(app.store);
    await after.call('secrets:unlock', { passphrase: PASS, create: false });
    expect(code(await after.call('secrets:describe', { id }))).toBe('NOT_FOUND');

    app.store.set(SECRETS_KEY, { ...(app.store.get(SECRETS_KEY) as object), N: 2 ** 30 });
    expect(await start(app.store).call('secrets:store-status', {})).toMatchObject({ value: { state: 'unset' } });
  });

  it('where there is no passphrase lock (desktop keychain, or none) the channels say so', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(NO_CIPHER, store);
    const deps: Deps = { mode: 'electron', version: 'test', store, cipher: NO_CIPHER, dataDir: '/nonexistent', vault };
    const jobs = new JobRegistry();
    const ctx: CallContext = { senderId: 'w1', jobs, emit: () => undefined };
    const call = (channel: keyof typeof credentialChannels, input: unknown): Promise<Result<unknown>> =>
      dispatch(credentialChannels, credentialsHandlers(deps, jobs), channel, input, ctx);
    expect(await call('secrets:store-status', {})).toEqual({ ok: true, value: { kind: 'none', state: 'unset' } });
    expect(code(await call('secrets:unlock', { passphrase: PASS, create: true }))).toBe('NOT_BUILT');
    expect(code(await call('secrets:lock', {}))).toBe('NOT_BUILT');
  });
});
