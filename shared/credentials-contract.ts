/**
 * The IPC channels of the Credentials step, joined into the contract by shared/ipc.ts. Private
 * keys and passphrases go in, never out: key channels answer a vault id, the public key, the
 * fingerprint, type and size. Tokens come back masked. The one exception is `secrets:reveal`,
 * which the renderer calls only on an explicit Reveal or Copy click, and only for tokens.
 */
import { z } from 'zod';
import { FINGERPRINT_PATTERN, KEY_FORMATS, KEY_TYPES, MAX_KEY_TEXT, RSA_BITS } from './key-format';
import { PLATFORM_IDS } from './platforms';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A vault id (`sec_…`). */
export const secretIdSchema = z.string().regex(/^sec_[A-Za-z0-9_-]{16,64}$/, 'is not a secret id');
const platform = z.enum(PLATFORM_IDS);
const passphrase = z.string().max(1024);
const comment = z.string().max(256);

/** The public facts of a key pair kept in the vault. */
export const keySummarySchema = z.object({
  id: secretIdSchema,
  type: z.enum(KEY_TYPES),
  bits: z.number().int(),
  format: z.enum(KEY_FORMATS),
  encrypted: z.boolean(),
  /** One line: `ssh-ed25519 AAAA… comment`. */
  publicKey: z.string().max(16384),
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  comment: z.string(),
  /** The names the pair gets in the output folder. */
  fileNames: z.object({ privateKey: z.string(), publicKey: z.string() }),
});
export type KeySummary = z.infer<typeof keySummarySchema>;

/** The public facts of a token kept in the vault. */
export const tokenSummarySchema = z.object({
  id: secretIdSchema,
  platform,
  kind: z.string(),
  kindName: z.string(),
  /** First and last four characters, the middle hidden. */
  masked: z.string(),
  length: z.number().int(),
  note: z.string().optional(),
  /** When the app accepted it (ms since the epoch): a short-lived kind's countdown starts here (TokenSpec.lifetime). */
  checkedAt: z.number().int().nonnegative().optional(),
  /** When the vendor said it expires (ms since the epoch; a token the vendor issued): the countdown ends here rather than at checkedAt + lifetime. */
  expiresAt: z.number().int().nonnegative().optional(),
});
export type TokenSummary = z.infer<typeof tokenSummarySchema>;

/** The answer of tokens:check: accepted (kept in the vault), wrong kind, or invalid. */
export const tokenCheckSchema = z.discriminatedUnion('verdict', [
  tokenSummarySchema.extend({ verdict: z.literal('ok'), message: z.string(), cleaned: z.array(z.string()) }),
  z.object({ verdict: z.literal('wrong-kind'), kind: z.string(), kindName: z.string(), message: z.string(), where: z.string(), cleaned: z.array(z.string()) }),
  z.object({ verdict: z.literal('invalid'), message: z.string(), where: z.string(), cleaned: z.array(z.string()) }),
]);
export type TokenCheck = z.infer<typeof tokenCheckSchema>;

/** Who is asking to see a token: the Reveal button or the Copy button. */
export const revealPurposeSchema = z.enum(['show', 'copy']);

/** How long a revealed or copied token stays on screen / on the clipboard. */
export const REVEAL_MS = 30_000;

/** The channels themselves, spread into `contract` by shared/ipc.ts. */
/** Where secrets can be saved on this front end, and whether that store is open now. */
export const secretStoreStatusSchema = z.object({
  kind: z.enum(['keychain', 'passphrase', 'none']),
  state: z.enum(['ready', 'unset', 'locked']),
});
export type SecretStoreStatus = z.infer<typeof secretStoreStatusSchema>;

export const credentialChannels = {
  /** Generates a key pair into the vault (a job: progress while RSA generates; job:cancel stops it). */
  'keys:generate': {
    job: true,
    input: z
      .object({
        jobId,
        type: z.enum(KEY_TYPES),
        bits: z.union([z.literal(RSA_BITS[0]), z.literal(RSA_BITS[1]), z.literal(RSA_BITS[2])]).optional(),
        passphrase: passphrase.optional(),
        comment: comment.optional(),
        /** The platform decides the file format and names (armorcode: PKCS#1 PEM private-key.pem). */
        platform: platform.optional(),
        /** Without a platform: the private key format (default openssh). */
        format: z.enum(KEY_FORMATS).optional(),
      })
      .strict(),
    output: keySummarySchema,
  },
  /** Imports a private key's text (pasted, dropped, or read from a chosen file) into the vault. */
  'keys:import': {
    input: z
      .object({
        text: z.string().max(MAX_KEY_TEXT),
        passphrase: passphrase.optional(),
        comment: comment.optional(),
        platform: platform.optional(),
        format: z.enum(KEY_FORMATS).optional(),
      })
      .strict(),
    output: keySummarySchema.extend({ sourceFormat: z.enum(KEY_FORMATS), converted: z.boolean() }),
  },
  /** Cleans and checks a pasted token; an accepted one goes into the vault. */
  'tokens:check': {
    input: z.object({ platform, text: z.string().max(1024 * 1024) }).strict(),
    output: tokenCheckSchema,
  },
  /** The public facts of a vault entry (to show the Credentials step again after a reload). */
  'secrets:describe': {
    input: z.object({ id: secretIdSchema }).strict(),
    // `saved`: kept across restarts (OS keychain, or browser mode's passphrase).
    output: z.discriminatedUnion('secret', [
      keySummarySchema.extend({ secret: z.literal('ssh-key'), saved: z.boolean() }),
      tokenSummarySchema.extend({ secret: z.literal('token'), saved: z.boolean() }),
    ]),
  },
  /** A token's value for one explicit Reveal or Copy click (tokens only; private keys never leave). */
  'secrets:reveal': {
    input: z.object({ id: secretIdSchema, purpose: revealPurposeSchema }).strict(),
    output: z.object({ value: z.string(), clearAfterMs: z.number().int() }),
  },
  /** Keeps the secret across restarts in the OS keychain; SECRET_UNAVAILABLE where there is none. */
  'secrets:persist': {
    input: z.object({ id: secretIdSchema }).strict(),
    output: z.object({ persisted: z.literal(true) }),
  },
  /** Forgets a secret (and a generated key's passphrase) from memory and the keychain. */
  'secrets:forget': {
    input: z.object({ id: secretIdSchema }).strict(),
    output: z.object({}),
  },
  /**
   * Where secrets can be saved: the OS keychain (desktop), a passphrase lock (browser mode: not
   * set up yet, locked since the start, or unlocked), or nowhere (a front end with neither).
   */
  'secrets:store-status': { input: z.object({}).strict(), output: secretStoreStatusSchema },
  /**
   * Browser mode: sets up the passphrase for saved secrets (`create`) or unlocks them with it.
   * BAD_INPUT (too short), PASSPHRASE_WRONG, ALREADY_EXISTS, NOT_FOUND (nothing to unlock),
   * NOT_BUILT where secrets are kept by a keychain or not at all.
   */
  'secrets:unlock': { input: z.object({ passphrase: z.string().min(1).max(1024), create: z.boolean() }).strict(), output: secretStoreStatusSchema },
  /** Browser mode: locks the saved secrets now (the key is forgotten until the next unlock). */
  'secrets:lock': { input: z.object({}).strict(), output: secretStoreStatusSchema },
  /** Browser mode: forgets the passphrase and every saved secret (for a forgotten passphrase). */
  'secrets:reset': { input: z.object({}).strict(), output: secretStoreStatusSchema },
} as const;
