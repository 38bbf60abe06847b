import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KEY_FORMATS, KEY_TYPES, RSA_BITS, type KeyFormat, type KeyType } from '../../shared/key-format';
import { PLATFORMS } from '../../shared/platforms';
import type { AnyPlatform, CredentialSpec } from '../../shared/platforms/types';
import { exitCodeFor, type Result } from '../../shared/result';
import { defaultKeyNames, existingKeyFile, formatFor, generateKeyPair, writeKeyPair } from '../services/keys';
import { keyTargetFor } from '../services/secrets';
import { EXIT, UsageError, errorLine, type CliIo, type Command } from './types';
import { envSecretArg } from './read-file';

type KeyPlatform = AnyPlatform & { credential: Extract<CredentialSpec, { kind: 'ssh-keypair' }> };

/** The platforms whose credential is a key pair: --platform takes their ids. */
const KEY_PLATFORMS = PLATFORMS.filter((p): p is KeyPlatform => p.credential.kind === 'ssh-keypair');

const FORMAT_WORDS: Record<KeyFormat, string> = {
  openssh: 'OpenSSH format',
  pkcs1: 'RSA as PKCS#1 PEM, like `openssl genrsa`',
  pkcs8: 'RSA as PKCS#8 PEM, like `openssl genpkey`',
};

/** What --platform does for each key platform, in the words of the help. */
function platformHelp(): string {
  const lines = KEY_PLATFORMS.map(
    (p) => `${p.id} writes ${p.credential.privateKeyName} (${FORMAT_WORDS[p.credential.privateKeyFormat]}) and ${p.credential.publicKeyName}`,
  );
  return ["use the platform's file names and format:", ...lines].join('\n                       ');
}

const example = KEY_PLATFORMS[0];

const HELP = `Usage: agent-onboard keygen --type ed25519|rsa [--bits 2048|3072|4096]
                            [--format openssh|pkcs1|pkcs8] [--passphrase-env VAR]
                            [--comment TEXT] --out DIR [--name BASENAME]
                            [--platform ${KEY_PLATFORMS.map((p) => p.id).join('|') || 'P'}] [--force] [--json]

Generates an SSH key pair and writes DIR/BASENAME (the private key, mode 0600) and
DIR/BASENAME.pub (the one-line OpenSSH public key, mode 0644), atomically. Prints the SHA256
fingerprint exactly as \`ssh-keygen -l\` does. An existing key is never overwritten unless you
pass --force (the old files are then kept as NAME.bak-<UTC time>).

Options:
  --type T             ed25519 or rsa
  --bits N             RSA only: 2048, 3072 (default, as ssh-keygen) or 4096
  --format F           private key format: openssh (default; openssh-key-v1 as ssh-keygen writes),
                       pkcs1 (-----BEGIN RSA PRIVATE KEY-----) or pkcs8 (-----BEGIN PRIVATE KEY-----);
                       Ed25519 keys are OpenSSH format only
  --passphrase-env VAR encrypt the private key with the passphrase held in environment variable VAR
                       (OpenSSH: bcrypt-pbkdf + aes256-ctr; PEM: AES-256); at least 5 characters.
                       An agent that starts unattended cannot type a passphrase.
  --comment TEXT       comment at the end of the public key (default: user@host, as ssh-keygen)
  --out DIR            output folder (created when missing)
  --name BASENAME      file name of the private key (default id_<type>); the public key is
                       BASENAME.pub
  --platform P         ${platformHelp()}
  --force              replace existing key files (backed up first)
  --json               print one JSON document (type, bits, format, fingerprint, public key, paths)

Exit codes: 0 written; 2 bad usage or bad input (one line on stderr, nothing written), or a key
file already exists (without --force).

Examples:
  npm run -s cli -- keygen --type ed25519 --out ./keys
  KEYPASS=... npm run -s cli -- keygen --type rsa --bits 4096 --format pkcs1 \\
    --passphrase-env KEYPASS --comment agent@acme --out ./keys --name agent --json
${example ? `  npm run -s cli -- keygen --type ${example.credential.defaultType} --platform ${example.id} --out ./${example.id}-agent` : ''}`;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be ${allowed.join(', ')} (not '${value}')`);
  return value as T;
}

function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) throw new UsageError(`--name must be a plain file name (not '${name}')`);
  return name;
}

function bitsFrom(value: string | undefined, type: KeyType): number | undefined {
  if (value === undefined) return undefined;
  if (type === 'ed25519') throw new UsageError('--bits is for RSA keys; Ed25519 keys have a fixed size');
  const bits = Number(value);
  if (!(RSA_BITS as readonly number[]).includes(bits)) throw new UsageError(`--bits must be ${RSA_BITS.join(', ')} (not '${value}')`);
  return bits;
}

function fail(io: CliIo, r: Extract<Result<unknown>, { ok: false }>): number {
  io.stderr(errorLine('keygen', r.error));
  return exitCodeFor(r.error.code);
}

function defaultComment(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return '';
  }
}

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'Generate an SSH key pair',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        type: { type: 'string' },
        bits: { type: 'string' },
        format: { type: 'string' },
        'passphrase-env': { type: 'string' },
        comment: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        platform: { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    const type = oneOf(values.type, KEY_TYPES, '--type');
    if (!type) throw new UsageError('--type ed25519|rsa is required');
    if (!values.out) throw new UsageError('--out DIR is required');
    const platform = oneOf(
      values.platform,
      KEY_PLATFORMS.map((p) => p.id),
      '--platform',
    );
    const target = keyTargetFor(platform);
    if (target.keyTypes && !target.keyTypes.includes(type)) throw new UsageError(`${platform} takes ${target.keyTypes.join(' or ')} keys`);
    const bits = bitsFrom(values.bits, type);
    const asked = oneOf(values.format, KEY_FORMATS, '--format');
    if (type === 'ed25519' && asked && asked !== 'openssh') throw new UsageError('Ed25519 keys are written in OpenSSH format only (--format openssh)');
    const format: KeyFormat = formatFor(type, asked ?? target.format);
    const names =
      values.name !== undefined ? { privateKey: checkName(values.name), publicKey: `${checkName(values.name)}.pub` } : (target.names ?? defaultKeyNames(type));
    // An empty variable is far more often a mistake than a wish for no passphrase (leave the flag out for that).
    const passphrase = envSecretArg(io.env, '--passphrase-env', values['passphrase-env'], 'passphrase');
    const dir = path.resolve(io.cwd, values.out);
    const force = values.force ?? false;
    const existing = force ? undefined : await existingKeyFile(dir, names);
    if (existing && !existing.ok) return fail(io, existing);

    const generated = await generateKeyPair({ type, bits, format, passphrase, comment: values.comment ?? defaultComment() });
    if (!generated.ok) return fail(io, generated);
    const pair = generated.value;
    const written = await writeKeyPair(dir, names, pair, force);
    if (!written.ok) return fail(io, written);
    const [priv, pub] = written.value;
    const report = {
      type: pair.type,
      bits: pair.bits,
      format: pair.format,
      encrypted: pair.encrypted,
      comment: pair.comment,
      fingerprint: pair.fingerprint,
      publicKey: pair.publicKey,
      privateKeyPath: priv!.path,
      publicKeyPath: pub!.path,
      ...(priv!.backupPath || pub!.backupPath ? { backups: [priv!.backupPath, pub!.backupPath].filter(Boolean) } : {}),
    };
    if (values.json) {
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout(`Your private key is in ${report.privateKeyPath} (mode 0600)${pair.encrypted ? ', encrypted with your passphrase' : ''}.\n`);
    io.stdout(`Your public key is in ${report.publicKeyPath}:\n${pair.publicKey}\n`);
    io.stdout(`The key fingerprint is:\n${pair.bits} ${pair.fingerprint} ${pair.comment || 'no comment'} (${pair.type.toUpperCase()})\n`);
    if (report.backups) io.stdout(`The previous key files were kept as ${report.backups.join(' and ')}.\n`);
    return EXIT.OK;
  },
};
