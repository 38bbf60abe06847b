/**
 * The CLI's file and secret arguments (main/cli/read-file.ts), one helper each instead of a copy in
 * generate, rotate, verify-token, bundle, fleet and install: what each accepts, and the usage error
 * for the rest, in the same words from every command that reads a secret from the environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/index';
import { envSecretArg, readAnswersArg } from '../../../../main/cli/read-file';
import { PLATFORMS } from '../../../../shared/platforms';
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

describe('each command that reads a secret from the environment does it with envSecretArg, in one wording', () => {
  const token = (p: (typeof PLATFORMS)[number]): boolean => p.credential.kind === 'token';
  const generating = PLATFORMS.find((p) => token(p) && p.generate)!.id;
  const rotating = PLATFORMS.find((p) => token(p) && p.updaters.length > 0)!.id;
  const verifying = PLATFORMS.find((p) => token(p) && p.tokenVerify)!.id;
  const answers = file('empty-answers.json', '{}');
  // Each command's arguments up to the secret, then the option that names its variable.
  const uses: [string, string[], string, string][] = [
    ['generate', ['generate', generating, '--answers', answers, '--out', 'out'], '--token-env', 'token'],
    ['rotate', ['rotate', rotating, 'install-dir'], '--token-env', 'token'],
    ['verify-token', ['verify-token', verifying, '--answers', answers], '--token-env', 'token'],
    ['bundle export', ['bundle', 'export', '.', '--out', 'agent.zip'], '--passphrase-env', 'passphrase'],
    ['bundle verify', ['bundle', 'verify', 'agent.zip'], '--passphrase-env', 'passphrase'],
    ['bundle import', ['bundle', 'import', 'agent.zip', '--to', 'to'], '--passphrase-env', 'passphrase'],
    ['keygen', ['keygen', '--type', 'ed25519', '--out', 'keys'], '--passphrase-env', 'passphrase'],
    ['probe', ['probe', '--host', '127.0.0.1', '--ssh-user', 'acme', '--ssh-key', 'private-key.pem'], '--passphrase-env', 'passphrase'],
  ];
  const run = async (args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> => {
    let stderr = '';
    const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), env, cwd: dir, readStdin: async () => '' });
    return { code, stderr };
  };

  it.each(uses)('%s: a secret pasted where the NAME goes is refused without echoing it', async (command, args, option, what) => {
    const r = await run([...args, option, 'hunter2-s3cret!'], {});
    expect(r).toEqual({ code: 2, stderr: `agent-onboard ${command.split(' ')[0]}: ${option} takes the NAME of an environment variable, not the ${what}\n` });
  });
  it.each(uses)('%s: an unset or empty variable is refused, naming the variable and the option', async (command, args, option) => {
    const said = `agent-onboard ${command.split(' ')[0]}: environment variable AO_SECRET is not set or empty (from ${option})\n`;
    expect(await run([...args, option, 'AO_SECRET'], {})).toEqual({ code: 2, stderr: said });
    expect(await run([...args, option, 'AO_SECRET'], { AO_SECRET: '' })).toEqual({ code: 2, stderr: said });
  });
  it.each(uses.filter((u) => u[3] === 'token'))('%s: a token of only white space counts as empty', async (command, args, option) => {
    expect(await run([...args, option, 'AO_SECRET'], { AO_SECRET: ' \t\n' })).toEqual({
      code: 2,
      stderr: `agent-onboard ${command}: environment variable AO_SECRET is not set or empty (from ${option})\n`,
    });
  });
  it('keeps the white space of a passphrase as given (no trimming)', () => {
    expect(envSecretArg({ P: '  pass phrase  ' }, '--passphrase-env', 'P', 'passphrase')).toBe('  pass phrase  ');
  });
});
