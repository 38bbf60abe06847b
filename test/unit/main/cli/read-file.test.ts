/**
 * The CLI's file and secret arguments (main/cli/read-file.ts), one helper each instead of a copy in
 * generate, verify-token, fleet and install: what each accepts, and the usage error for the rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envSecretArg, readAnswersArg } from '../../../../main/cli/read-file';
import { UsageError } from '../../../../main/cli/types';

const dir = mkdtempSync(path.join(tmpdir(), 'ao-cli-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  writeFileSync(path.join(dir, name), text);
  return name;
};

describe('readAnswersArg', () => {
  it('reads one JSON object, relative to the working folder', async () => {
    await expect(readAnswersArg(file('a.json', '{"server":"tunnel.example.com","port":"22"}'), dir)).resolves.toEqual({
      server: 'tunnel.example.com',
      port: '22',
    });
  });
  it.each([
    ['not JSON', file('b.json', '{server: x}'), /^b\.json is not valid JSON: /],
    ['a JSON array', file('c.json', '[{"server":"x"}]'), /^c\.json must hold one JSON object of answers$/],
    ['JSON null', file('d.json', 'null'), /^d\.json must hold one JSON object of answers$/],
    ['a missing file', 'missing.json', /^cannot read answers file missing\.json: no such file$/],
    ['a folder', '.', /^cannot read answers file \.: .*regular file/],
  ])('refuses %s with a usage error that names the file', async (_what, name, message) => {
    const r = readAnswersArg(name, dir);
    await expect(r).rejects.toBeInstanceOf(UsageError);
    await expect(r).rejects.toThrow(message);
  });
});

describe('envSecretArg', () => {
  const env = { AGENT_TOKEN: 's3cret', EMPTY: '' };
  it('is the value of the variable the option names, and undefined when the option is not given', () => {
    expect(envSecretArg(env, '--token-env', 'AGENT_TOKEN', 'token')).toBe('s3cret');
    expect(envSecretArg(env, '--token-env', undefined, 'token')).toBeUndefined();
  });
  it('refuses a secret pasted where the NAME goes without echoing it, and an unset or empty variable', () => {
    expect(() => envSecretArg(env, '--token-env', 'glpat-0123456789', 'token')).toThrow('--token-env takes the NAME of an environment variable, not the token');
    expect(() => envSecretArg(env, '--token-env', 'glpat-0123456789', 'token')).not.toThrow(/glpat/);
    expect(() => envSecretArg(env, '--passphrase-env', 'UNSET', 'passphrase')).toThrow(
      'environment variable UNSET is not set or empty (from --passphrase-env)',
    );
    expect(() => envSecretArg(env, '--passphrase-env', 'EMPTY', 'passphrase')).toThrow(UsageError);
  });
});
