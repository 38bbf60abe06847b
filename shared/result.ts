/**
 * Results: every IPC answer, service call that can fail for an expected reason, and CLI command
 * returns one of these instead of throwing. `code` comes from one closed union, so callers
 * branch on codes and never parse messages.
 */

/** The closed set of error codes. The renderer maps each to words; the CLI to an exit code. */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'INTERNAL',
  'CANCELLED',
  'TIMEOUT',
  'NOT_FOUND',
  'NOT_BUILT',
  'ALREADY_EXISTS',
  'FILE_CHANGED',
  'IO_ERROR',
  'KEY_MALFORMED',
  'KEY_UNSUPPORTED',
  'PASSPHRASE_REQUIRED',
  'PASSPHRASE_WRONG',
  'TOKEN_INVALID',
  'TOKEN_WRONG_KIND',
  'SECRET_UNAVAILABLE',
  'SECRET_LOCKED',
  'UNSAFE_VALUE',
  'PARSE_ERROR',
  'UNKNOWN_FORMAT',
  'POLICY_MALFORMED',
  'BUNDLE_INVALID',
  'CHECKSUM_MISMATCH',
  'BUNDLE_NOT_ENCRYPTED',
  'HOST_KEY_REQUIRED',
  'HOST_KEY_MISMATCH',
  'AUTH_FAILED',
  'SUDO_PASSWORD_REQUIRED',
  'CONNECTION_LOST',
  'REMOTE_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An expected failure: a code, a message for people, optionally what to do next, and optionally
 * the input field it is about (a dotted path into the request, e.g. `outDir` or `answers.port`),
 * so a front end can point at the field without reading the message.
 */
export interface AppError {
  code: ErrorCode;
  message: string;
  hint?: string;
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function err<T = never>(code: ErrorCode, message: string, hint?: string): Result<T> {
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}

/** Builds a failed Result about one input field (see AppError.field). */
export function errAt<T = never>(field: string, code: ErrorCode, message: string, hint?: string): Result<T> {
  const failed = err<T>(code, message, hint);
  if (!failed.ok) failed.error.field = field;
  return failed;
}

/** True when `code` is one of ERROR_CODES (used when a Result arrives over a wire). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Plain-language meaning of each code, shown when a message alone is not enough. */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  BAD_INPUT: 'Some input is not valid',
  UNKNOWN_CHANNEL: 'Unknown request',
  FORBIDDEN: 'Not allowed',
  INTERNAL: 'Something went wrong inside the app',
  CANCELLED: 'Cancelled',
  TIMEOUT: 'Timed out',
  NOT_FOUND: 'Not found',
  NOT_BUILT: 'Not available yet',
  ALREADY_EXISTS: 'Already exists',
  FILE_CHANGED: 'The file changed since it was read',
  IO_ERROR: 'Could not read or write a file',
  KEY_MALFORMED: 'The key is malformed',
  KEY_UNSUPPORTED: 'This key type is not supported',
  PASSPHRASE_REQUIRED: 'A passphrase is needed',
  PASSPHRASE_WRONG: 'The passphrase is wrong',
  TOKEN_INVALID: 'The token is not valid',
  TOKEN_WRONG_KIND: 'This is the wrong kind of token',
  SECRET_UNAVAILABLE: 'The secret is not available',
  SECRET_LOCKED: 'The saved secrets are locked',
  UNSAFE_VALUE: 'A value would break the file',
  PARSE_ERROR: 'The file could not be parsed',
  UNKNOWN_FORMAT: 'Unknown file format',
  POLICY_MALFORMED: 'The policy is malformed',
  BUNDLE_INVALID: 'The bundle is not valid',
  CHECKSUM_MISMATCH: 'A checksum does not match',
  BUNDLE_NOT_ENCRYPTED: 'The bundle is not encrypted, so the passphrase cannot vouch for it',
  HOST_KEY_REQUIRED: "The server's host key must be pinned first",
  HOST_KEY_MISMATCH: "The host's key is not the pinned one",
  AUTH_FAILED: 'The host refused the login',
  SUDO_PASSWORD_REQUIRED: 'sudo needs a password on the host',
  CONNECTION_LOST: 'The connection to the host was lost',
  REMOTE_FAILED: 'A command on the host failed',
};

/** Exit code the CLI uses for a failed Result: 1 for a failed check, 2 for bad input. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return code === 'CHECKSUM_MISMATCH' ? 1 : 2;
}
