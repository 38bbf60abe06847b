/**
 * Samples for the conformance suite over PLATFORMS (test/unit/shared/platforms/conformance.test.ts
 * and its integration twin), derived from each platform itself, never from per-platform tables:
 * - answers from the answers schema's own documentation (`answersKeys`: each key's example and
 *   default, as `generate --help` prints them), one row for a list of objects;
 * - tokens from a fixed set of generic shapes, kept where the platform's own token check accepts
 *   them (`checkToken`), plus the platform's `example.tokens` when it has to add one;
 * - an SSH key pair made in-process, with a known_hosts line for each SSH endpoint the answers name.
 * A platform that cannot be sampled this way makes the suite fail with what to add.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AnyPlatform, Artifact, Credential } from '../../shared/platforms/types';
import { answersKeys, type AnswerKey } from '../../shared/platforms/answers-doc';
import { checkToken } from '../../shared/tokens';

/** Answers built from the schema's examples and defaults: `minimal` (required keys) and `full` (every documented key). */
export function sampleAnswers(p: AnyPlatform): { minimal?: Record<string, unknown>; full?: Record<string, unknown>; problems: string[] } {
  const keys = answersKeys(p.answers);
  const problems: string[] = [];
  const valueOf = (k: AnswerKey): unknown => {
    if (k.type === 'list of objects') {
      const row: Record<string, unknown> = {};
      for (const n of keys.filter((x) => x.key.startsWith(`${k.key}[].`))) {
        const v = n.example ?? n.default;
        if (v !== undefined) row[n.key.slice(k.key.length + 3)] = v;
      }
      return [row];
    }
    return k.example ?? k.default;
  };
  const build = (all: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k of keys.filter((x) => !x.key.includes('[].') && (all || x.required))) {
      const v = valueOf(k);
      if (v === undefined) problems.push(`${p.id}: answers key "${k.key}" has neither an example nor a default in its .meta(doc(…))`);
      else out[k.key] = v;
    }
    return out;
  };
  const result: { minimal?: Record<string, unknown>; full?: Record<string, unknown>; problems: string[] } = { problems };
  for (const [name, all] of [
    ['minimal', false],
    ['full', true],
  ] as const) {
    const raw = build(all);
    const parsed = p.answers.safeParse(raw);
    if (parsed.success) result[name] = raw;
    else
      problems.push(
        `${p.id}: the ${name} answers from the schema's examples do not validate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
  }
  return result;
}

/**
 * Token shapes tried on every token platform: hex of the lengths vendors use, either case, digits
 * only, base64 of a hex token and base64 full of + / =, a leading dash, the longest accepted.
 */
const GENERIC_TOKENS = [
  'f3defca0b1dee4b665fa7471cfe2899d524722f9',
  'F3DEFCA0B1DEE4B665FA7471CFE2899D524722F9',
  '1234567890123456789012345678901234567890',
  'df4eb412d2f4458a61faa668a4301104',
  '12345678901234567890123456789012',
  Buffer.from('df4eb412d2f4458a61faa668a4301104').toString('base64'),
  Buffer.from('>>>???~~~>>>???~~~>>?').toString('base64'),
  'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4g5',
  '1234567890123456',
  '-starts_with-dash_0123',
  'x'.repeat(255),
];

/** The token shapes the platform accepts, generic ones its check passes plus its own examples. */
export function sampleTokens(p: AnyPlatform): string[] {
  if (p.credential.kind !== 'token') return [];
  const spec = p.credential.token;
  return [...new Set([...GENERIC_TOKENS, ...(p.example?.tokens ?? [])])].filter((t) => checkToken(spec, t).verdict === 'ok');
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
function mpint(b: Buffer): Buffer {
  return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

let rsa: { privateKey: string; publicKey: string } | undefined;
let hostKey: string | undefined;

/** An RSA key pair (PKCS#1 PEM, OpenSSH public line), made once per test file. */
export function sampleRsaKey(): { privateKey: string; publicKey: string } {
  if (!rsa) {
    const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = k.publicKey.export({ format: 'jwk' });
    const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))]);
    rsa = { privateKey: k.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey: `ssh-rsa ${blob.toString('base64')} agent@conformance` };
  }
  return rsa;
}

/** An ed25519 host key as a known_hosts key ("ssh-ed25519 AAAA…"). */
export function sampleHostKey(): string {
  if (!hostKey) {
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    hostKey = `ssh-ed25519 ${Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk.x!, 'base64url'))]).toString('base64')}`;
  }
  return hostKey;
}

/** The credential a generator gets for these answers: the token, or a key pair with every SSH endpoint pinned. */
export function sampleCredential(p: AnyPlatform, answers: unknown, token?: string): Credential {
  if (p.credential.kind === 'token') return { kind: 'token', token: token ?? sampleTokens(p)[0]! };
  if (p.credential.kind === 'none') return { kind: 'none' };
  const key = sampleRsaKey();
  const hosts = p.endpoints(answers).filter((e) => e.protocol === 'ssh');
  const knownHosts = hosts.map((e) => `${e.port === 22 ? e.host : `[${e.host}]:${e.port}`} ${sampleHostKey()}\n`).join('');
  return { kind: 'ssh-keypair', ...key, knownHosts };
}

/**
 * Hostile answer values: quotes of each kind, a line break, a command substitution and backticks
 * (that would create `pwned` in the working folder if ever run), NUL, a comment and YAML
 * indicators, and one far too long.
 */
export const HOSTILE_ANSWERS = [
  `it's "quoted"`,
  'two\nlines',
  '$(touch pwned)',
  '`touch pwned`',
  'nul\u0000byte',
  '# not a comment: {flow} [x] &a *b !t',
  'back\\slash\' "mix',
  'x'.repeat(20_000),
];

/** The string-valued answers keys (where a user types text), a list's row keys as `list[].key`. */
export function stringKeys(p: AnyPlatform): string[] {
  return answersKeys(p.answers)
    .filter((k) => k.type === 'string')
    .map((k) => k.key);
}

/** The answers with `key` (`list[].key`: in the list's first row) set to `value`. */
export function withValue(answers: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [list, field] = key.split('[].');
  if (field === undefined) return { ...answers, [key]: value };
  const rows = structuredClone(answers[list!]) as Record<string, unknown>[];
  rows[0] = { ...rows[0], [field]: value };
  return { ...answers, [list!]: rows };
}

/** The value at `key` of parsed answers (`list[].key`: the first row's). */
export function valueAt(answers: unknown, key: string): unknown {
  const [list, field] = key.split('[].');
  const a = answers as Record<string, unknown>;
  return field === undefined ? a[key] : (a[list!] as Record<string, unknown>[])[0]?.[field];
}

/** The files of a generated install by consumer kind (used by both suites). */
export function kindOf(f: Pick<Artifact, 'path' | 'text'>): 'yaml' | 'json' | 'script' | 'other' {
  if (/\.ya?ml$/.test(f.path)) return 'yaml';
  if (/\.json$/.test(f.path)) return 'json';
  if (/\.sh$/.test(f.path) || f.text.startsWith('#!')) return 'script';
  return 'other';
}
