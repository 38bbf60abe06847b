/**
 * The written public-key.pem carries the comment the Credentials step shows (issue 12 item 19):
 * an RSA key kept as PKCS#1 PEM has no comment of its own, so the vault's is used.
 */
import { describe, expect, it } from 'vitest';
import { credentialFromVault } from '../../../../main/services/credential';
import { NO_CIPHER } from '../../../../main/services/deps';
import { generateKeyPair } from '../../../../main/services/keys';
import { putKey } from '../../../../main/services/secrets';
import { MemoryStore } from '../../../../main/services/store';
import { SecretVault } from '../../../../main/services/vault';
import { armorcode } from '../../../../shared/platforms/armorcode';

describe('the key pair credential from the vault', () => {
  it('ends the public key line with the comment shown on the Credentials step, also for a PEM key', async () => {
    const vault = new SecretVault(NO_CIPHER, new MemoryStore());
    const pair = await generateKeyPair({ type: 'rsa', bits: 2048, format: 'pkcs1', comment: 'armorcode-agent@build-01' });
    if (!pair.ok) throw new Error(pair.error.message);
    expect(pair.value.privateKey).toContain('BEGIN RSA PRIVATE KEY');
    const summary = putKey(vault, pair.value, 'armorcode');
    const spec = armorcode.credential;
    if (spec.kind !== 'ssh-keypair') throw new Error('armorcode uses a key pair');
    const c = credentialFromVault(vault, spec, summary.id);
    if (!c.ok || c.value.kind !== 'ssh-keypair') throw new Error('no credential');
    expect(c.value.publicKey).toBe(pair.value.publicKey);
    expect(c.value.publicKey.endsWith(' armorcode-agent@build-01')).toBe(true);
  });
});
