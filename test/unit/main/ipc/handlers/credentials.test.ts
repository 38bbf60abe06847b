/**
 * The Credentials channels through the real dispatch, vault and key services. The OS keychain
 * (Electron safeStorage) cannot run outside Electron, so persistence is exercised with an
 * AES-256-GCM SecretCipher standing in for it; everything else is the production code.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../../../../main/ipc/dispatch';
import { credentialsHandlers } from '../../../../../main/ipc/handlers/credentials';
import { NO_CIPHER, type Deps, type SecretCipher } from '../../../../../main/services/deps';
import { generateKeyPair } from '../../../../../main/services/keys';
import { MemoryStore } from '../../../../../main/services/store';
import { SecretVault } from '../../../../../main/services/vault';
import { credentialChannels } from '../../../../../shared/credentials-contract';
import type { JobEvent } from '../../../../../shared/ipc';
import type { Result } from '../../../../../shared/result';

const BAMBOO = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';

function aesCipher(): SecretCipher {
  const key = randomBytes(32);
  return {
    available: () => true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      const b = Buffer.from(blob);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

function setup(cipher: SecretCipher = NO_CIPHER) {
  const store = new MemoryStore();
  const vault = new SecretVault(cipher, store);
  const deps: Deps = { mode: 'browser', version: 'test', store, cipher, dataDir: '/nonexistent', vault };
  const jobs = new JobRegistry();
  const handlers = credentialsHandlers(deps, jobs);
  const events: JobEvent[] = [];
  const ctx: CallContext = { senderId: 'w1', jobs, emit: (e) => events.push(e) };
  const call = <T = Record<string, unknown>>(channel: keyof typeof credentialChannels, input: unknown) =>
    dispatch(credentialChannels, handlers, channel, input, ctx) as Promise<Result<T>>;
  return { store, vault, jobs, events, call };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('keys:generate', () => {
  it('answers the public key, fingerprint and file names, never the private key, and reports progress to the caller', async () => {
    const { call, vault, events } = setup();
    const r = await call<{ id: string; publicKey: string; fingerprint: string; fileNames: { privateKey: string }; format: string }>('keys:generate', {
      jobId: 'g1',
      type: 'ed25519',
      platform: 'armorcode',
    });
    const out = value(r);
    expect(JSON.stringify(r)).not.toMatch(/PRIVATE KEY/);
    expect(out.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ armorcode-agent-\d{4}-\d{2}-\d{2}$/);
    expect(out.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(out.fileNames).toEqual({ privateKey: 'private-key.pem', publicKey: 'public-key.pem' });
    expect(out.format).toBe('openssh');
    expect(vault.get(out.id)?.value).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(events.map((e) => e.jobId)).toContain('g1');
    expect(events.at(-1)).toMatchObject({ fraction: 1, message: 'Generated an Ed25519 key.' });
  });

  it('writes RSA for ArmorCode as PKCS#1 PEM, as the vendor instructions expect', async () => {
    const { call, vault } = setup();
    const out = value(
      await call<{ id: string; format: string; bits: number }>('keys:generate', { jobId: 'g2', type: 'rsa', bits: 2048, platform: 'armorcode' }),
    );
    expect(out).toMatchObject({ format: 'pkcs1', bits: 2048 });
    expect(vault.get(out.id)?.value).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  });

  it('keeps a passphrase apart, as its own vault entry the key points to', async () => {
    const { call, vault } = setup();
    const out = value(await call<{ id: string; encrypted: boolean }>('keys:generate', { jobId: 'g3', type: 'ed25519', passphrase: 'long enough' }));
    expect(out.encrypted).toBe(true);
    const passId = vault.get(out.id)!.meta.passphraseId!;
    expect(vault.get(passId)).toMatchObject({ kind: 'passphrase', value: 'long enough' });
  });

  it('answers CANCELLED at once when the job is cancelled during RSA generation', async () => {
    const { call, jobs } = setup();
    const pending = call('keys:generate', { jobId: 'g4', type: 'rsa', bits: 4096 });
    expect(jobs.cancel('w1', 'g4')).toBe(true);
    const r = await pending;
    expect(r.ok === false && r.error.code).toBe('CANCELLED');
  });

  it.each([
    [{ jobId: 'b1', type: 'rsa', bits: 1024 }, 'BAD_INPUT'],
    [{ jobId: 'b2', type: 'dsa' }, 'BAD_INPUT'],
    [{ jobId: 'b3', type: 'ed25519', format: 'pkcs1' }, 'KEY_UNSUPPORTED'],
    [{ jobId: 'b4', type: 'ed25519', passphrase: 'abc' }, 'BAD_INPUT'],
    [{ jobId: 'b5', type: 'ed25519', comment: 'x\nssh-rsa AAAA injected' }, 'BAD_INPUT'],
    [{ jobId: 'b6', type: 'ed25519', privateKey: 'smuggled' }, 'BAD_INPUT'],
  ])('refuses %j with %s', async (input, code) => {
    const r = await setup().call('keys:generate', input);
    expect(r.ok === false && r.error.code).toBe(code);
  });
});

describe('keys:import', () => {
  it('converts to the platform format, keeps the passphrase protection, and asks for the passphrase first', async () => {
    const { call } = setup();
    const source = value(await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs8', passphrase: 'source pass' }));
    const needs = await call('keys:import', { text: source.privateKey, platform: 'armorcode' });
    expect(needs.ok === false && needs.error.code).toBe('PASSPHRASE_REQUIRED');
    const wrong = await call('keys:import', { text: source.privateKey, passphrase: 'nope', platform: 'armorcode' });
    expect(wrong.ok === false && wrong.error.code).toBe('PASSPHRASE_WRONG');
    const out = value(
      await call<{ format: string; sourceFormat: string; converted: boolean; encrypted: boolean; fingerprint: string }>('keys:import', {
        text: source.privateKey,
        passphrase: 'source pass',
        platform: 'armorcode',
      }),
    );
    expect(out).toMatchObject({ format: 'pkcs1', sourceFormat: 'pkcs8', converted: true, encrypted: true, fingerprint: source.fingerprint });
  });

  it('refuses a public key pasted where the private key belongs', async () => {
    const source = value(await generateKeyPair({ type: 'ed25519' }));
    const r = await setup().call('keys:import', { text: source.publicKey });
    expect(r.ok === false && r.error).toMatchObject({ code: 'KEY_MALFORMED', message: expect.stringContaining('public key') });
  });

  it('refuses text too long to be a key at the boundary', async () => {
    const r = await setup().call('keys:import', { text: 'A'.repeat(70_000) });
    expect(r.ok === false && r.error.code).toBe('BAD_INPUT');
  });
});

describe('tokens and secrets', () => {
  it('keeps an accepted token and answers it masked only', async () => {
    const { call, vault } = setup();
    const r = await call<{ verdict: string; id: string; masked: string; cleaned: string[] }>('tokens:check', {
      platform: 'bamboo-remote',
      text: `"${BAMBOO}"\n`,
    });
    const out = value(r);
    expect(JSON.stringify(r)).not.toContain(BAMBOO);
    expect(out).toMatchObject({ verdict: 'ok', masked: 'f3de••••••••22f9', cleaned: ['line breaks and spaces around it', 'quotes around it'] });
    expect(vault.get(out.id)?.value).toBe(BAMBOO);
  });

  it('keeps nothing for a wrong kind and says where to get the right one', async () => {
    const out = value(
      await setup().call<Record<string, unknown>>('tokens:check', { platform: 'buildkite', text: 'bkua_0123456789abcdef0123456789abcdef0123' }),
    );
    expect(out).toMatchObject({ verdict: 'wrong-kind', kind: 'api-token', where: expect.stringContaining('Agent Tokens') });
    expect(out.id).toBeUndefined();
  });

  it('says when a token was accepted, so a short-lived kind is counted down from then (TokenSpec.lifetime)', async () => {
    const { call } = setup();
    const before = Date.now();
    const token = value(
      await call<{ id: string; kind: string; checkedAt: number }>('tokens:check', { platform: 'github-actions', text: 'AABBCCDDEEFFGGHHIIJJKKLLMM123' }),
    );
    expect(token.kind).toBe('registration-token');
    expect(token.checkedAt).toBeGreaterThanOrEqual(before);
    expect(token.checkedAt).toBeLessThanOrEqual(Date.now());
    const again = value(await call<{ checkedAt: number }>('secrets:describe', { id: token.id }));
    expect(again.checkedAt).toBe(token.checkedAt);
  });

  it('reveals a token on request, but never a private key or a passphrase', async () => {
    const { call, vault } = setup();
    const token = value(await call<{ id: string }>('tokens:check', { platform: 'bamboo-remote', text: BAMBOO }));
    expect(value(await call('secrets:reveal', { id: token.id, purpose: 'copy' }))).toEqual({ value: BAMBOO, clearAfterMs: 30_000 });
    const key = value(await call<{ id: string }>('keys:generate', { jobId: 'k', type: 'ed25519', passphrase: 'long enough' }));
    const refused = await call('secrets:reveal', { id: key.id, purpose: 'show' });
    expect(refused.ok === false && refused.error.code).toBe('FORBIDDEN');
    const pass = await call('secrets:reveal', { id: vault.get(key.id)!.meta.passphraseId!, purpose: 'show' });
    expect(pass.ok === false && pass.error.code).toBe('FORBIDDEN');
  });

  it('describes a key or a token again after a reload, and NOT_FOUND once forgotten', async () => {
    const { call, vault } = setup();
    const key = value(await call<{ id: string; fingerprint: string }>('keys:generate', { jobId: 'k', type: 'ed25519', passphrase: 'long enough' }));
    expect(value(await call('secrets:describe', { id: key.id }))).toMatchObject({ secret: 'ssh-key', type: 'ed25519', fingerprint: key.fingerprint });
    const passId = vault.get(key.id)!.meta.passphraseId!;
    value(await call('secrets:forget', { id: key.id }));
    const gone = await call('secrets:describe', { id: key.id });
    expect(gone.ok === false && gone.error.code).toBe('NOT_FOUND');
    expect(vault.get(passId)).toBeUndefined();
  });

  it('does not persist where there is no keychain', async () => {
    const { call, store } = setup();
    const token = value(await call<{ id: string }>('tokens:check', { platform: 'bamboo-remote', text: BAMBOO }));
    const r = await call('secrets:persist', { id: token.id });
    expect(r.ok === false && r.error.code).toBe('SECRET_UNAVAILABLE');
    expect(store.get('secrets')).toBeUndefined();
  });

  it('persists only the keychain-encrypted blob, and a restarted vault reads it back', async () => {
    const cipher = aesCipher();
    const { call, store } = setup(cipher);
    const token = value(await call<{ id: string }>('tokens:check', { platform: 'bamboo-remote', text: BAMBOO }));
    const key = value(await call<{ id: string }>('keys:generate', { jobId: 'k', type: 'ed25519', passphrase: 'long enough' }));
    value(await call('secrets:persist', { id: token.id }));
    value(await call('secrets:persist', { id: key.id }));
    const stored = JSON.stringify(store.get('secrets'));
    expect(stored).not.toContain(BAMBOO);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toContain('long enough');
    const restarted = new SecretVault(cipher, store);
    expect(restarted.get(token.id)?.value).toBe(BAMBOO);
    expect(restarted.get(restarted.get(key.id)!.meta.passphraseId!)?.value).toBe('long enough');
  });
});
