/** Pieces every Harness delegate install type shares: its environment, image and token forms. */
import { noProxyValue } from '../../validate';
import type { HarnessAnswers } from './answers';
import { base64Utf8, decodeBase64Utf8 } from '../../edit/values';

/** Environment variables that hold the delegate token, newest first (3.x, legacy FirstGen last). */
export const TOKEN_ENV_NAMES = ['DELEGATE_TOKEN', 'UPGRADER_TOKEN', 'HARNESS_TOKEN', 'ACCOUNT_SECRET'] as const;

/** The delegate image for the answers. */
export function delegateImage(a: HarnessAnswers): string {
  return `harness/delegate:${a.imageTag}`;
}

/** The decoded form of a Harness delegate token (or a legacy account secret): 32 hexadecimal characters. */
export const DECODED_TOKEN = /^[0-9a-fA-F]{32}$/;

/**
 * The text inside a token in the base64 form Harness shows (printable ASCII), or undefined for any
 * other token, the decoded 32-hex form included: 32 hex characters are valid base64 too, but of 24
 * unreadable bytes.
 */
export function harnessBase64Inner(token: string): string | undefined {
  if (DECODED_TOKEN.test(token)) return undefined;
  const text = decodeBase64Utf8(token);
  return text !== undefined && /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/**
 * The token as a Kubernetes Secret `data` value, which Kubernetes base64-decodes before the
 * delegate sees it: the base64 form Harness shows goes in as is (the delegate gets the token it
 * encodes, as with Harness's own manifest); any other token, the decoded 32-hex form included, is
 * base64-encoded so the delegate gets exactly it.
 */
export function secretDataValue(token: string): { value: string; how: string } {
  if (harnessBase64Inner(token) !== undefined) return { value: token, how: 'the base64 value as Harness shows it' };
  return { value: base64Utf8(token), how: DECODED_TOKEN.test(token) ? 'the decoded token, base64-encoded so the delegate gets it exactly' : 'base64-encoded' };
}

/** Where Harness delegates (23.10.81202 and later) load extra CA certificates from, when run as root. */
export const CA_BUNDLE_DIR = '/opt/harness-delegate/ca-bundle';

/** The proxy settings as the delegate's PROXY_* variables (empty when no proxy). */
export function proxyEnv(a: HarnessAnswers): [string, string][] {
  if (!a.proxyUrl) return [];
  const u = new URL(a.proxyUrl);
  const scheme = u.protocol.replace(':', '');
  const port = u.port || (scheme === 'https' ? '443' : '80');
  const env: [string, string][] = [
    ['PROXY_HOST', u.hostname.replace(/^\[|\]$/g, '')],
    ['PROXY_PORT', port],
    ['PROXY_SCHEME', scheme],
    ['PROXY_MANAGER', 'true'],
  ];
  const noProxy = noProxyValue(a.noProxy);
  if (noProxy) env.push(['NO_PROXY', noProxy]);
  return env;
}

/** DELEGATE_TAGS: the tags as Harness reads them (comma-separated, no spaces). */
export function delegateTags(a: HarnessAnswers): string {
  return (a.tags ?? '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .join(',');
}

/**
 * The delegate's environment for Docker and ECS (reference/platforms.md §5), token included,
 * in the order Harness documents them.
 */
export function delegateEnv(a: HarnessAnswers, token: string, type: 'DOCKER' | 'KUBERNETES'): [string, string][] {
  return [
    ['DELEGATE_NAME', a.delegateName],
    ['NEXT_GEN', 'true'],
    ['DELEGATE_TYPE', type],
    ['ACCOUNT_ID', a.accountId],
    ['DELEGATE_TOKEN', token],
    ['DELEGATE_TAGS', delegateTags(a)],
    ['LOG_STREAMING_SERVICE_URL', `${a.managerEndpoint}/log-service/`],
    ['MANAGER_HOST_AND_PORT', a.managerEndpoint],
    ...proxyEnv(a),
  ];
}

/** Notes every install type shares. */
export function commonNotes(a: HarnessAnswers): string[] {
  const notes = [
    'The delegate token is an account secret: every file that holds it is written readable by you only (mode 600). Keep it out of version control.',
  ];
  if (a.imageTag === 'latest') notes.push('The image tag is "latest": Harness asks for a version tag (yy.mm.verno) so the upgrader can manage it.');
  return notes;
}
