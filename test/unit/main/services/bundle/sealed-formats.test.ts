import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../../../../main/services/bundle';
import { PassphraseCipher, SECRETS_KEY } from '../../../../../main/services/passphrase-cipher';
import { MemoryStore } from '../../../../../main/services/store';

// Both fixtures were written by the code before bundle.ts became a folder and before the bundle
// and the secret store shared one scrypt/AES-GCM helper: what users already hold must still open.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dec = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

describe('sealed formats made by earlier versions still open', () => {
  it('an encrypted bundle made before the split opens with its passphrase and its seal checks', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, 'bundle-before-split.zip')));
    const opened = await openBundle(bytes, { passphrase: 'old bundle passphrase' });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.ok).toBe(true);
    const token = opened.value.files.find((f) => f.path === 'secrets/token.env');
    expect(token?.encrypted).toBe(true);
    expect(dec(token?.data)).toBe('BUILDKITE_AGENT_TOKEN=made-by-the-code-before-the-split\n');
    expect(dec(opened.value.files.find((f) => f.path === 'agent.cfg')?.data)).toBe('name="old-agent"\n');
    const wrong = await openBundle(bytes, { passphrase: 'not the old passphrase' });
    expect(!wrong.ok && wrong.error.code).toBe('PASSPHRASE_WRONG');
  });

  it('a secret store locked before the split unlocks and decrypts what it sealed', async () => {
    const saved = JSON.parse(readFileSync(path.join(fixtures, 'secret-store-before-split.json'), 'utf8')) as { secretsKey: unknown; sealed: string };
    const store = new MemoryStore();
    store.set(SECRETS_KEY, saved.secretsKey);
    const cipher = new PassphraseCipher(store);
    expect(cipher.state()).toBe('locked');
    const wrong = await cipher.unlock('another passphrase!', false);
    expect(!wrong.ok && wrong.error.code).toBe('PASSPHRASE_WRONG');
    expect((await cipher.unlock('old store passphrase', false)).ok).toBe(true);
    expect(cipher.decrypt(Buffer.from(saved.sealed, 'base64'))).toBe('secret sealed by the code before the split');
  });
});
