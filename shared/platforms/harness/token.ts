/** The Harness delegate token: the base64 value Harness shows (or its decoded 32-hex form), not an API key. */
import { base64Bytes } from '../../tokens';
import type { TokenSpec } from '../types';

/** The text inside base64 when it is printable ASCII; undefined otherwise. */
function base64Text(b64: string): string | undefined {
  const bytes = base64Bytes(b64);
  if (!bytes || bytes.some((b) => b < 0x20 || b > 0x7e)) return undefined;
  return String.fromCharCode(...bytes);
}

export const harnessToken: TokenSpec = {
  name: 'delegate token',
  clockSensitive: 'Harness delegates',
  where: 'Harness → Account Settings (or your organization or project) → Delegates → Tokens (the base64 value shown there).',
  check(token) {
    const apiKey = /^(pat|sat)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.exec(token);
    if (apiKey) {
      const [kind, kindName] =
        apiKey[1] === 'pat'
          ? ['personal-access-token', 'Harness personal access token (an API key)']
          : ['service-account-token', 'Harness service account token (an API key)'];
      return {
        verdict: 'wrong-kind',
        kind,
        kindName,
        message: `This is a ${kindName}: it starts with ${apiKey[1]}. and is for the Harness API, not for delegates. A delegate registers with a delegate token.`,
      };
    }
    if (/^[0-9a-fA-F]{32}$/.test(token)) {
      return {
        verdict: 'ok',
        kind: 'delegate-token-raw',
        kindName: 'Harness delegate token (decoded)',
        message: 'Looks like a decoded Harness delegate token (32 hexadecimal characters).',
        note: 'Harness shows delegate tokens base64-encoded; this is the decoded form (or a legacy account secret). Docker and shell delegates accept it; check it is the token you meant.',
      };
    }
    if (/[-_]/.test(token))
      return { verdict: 'invalid', message: 'A Harness delegate token is standard base64 (A-Z, a-z, 0-9, +, / and = at the end); this has "-" or "_".' };
    const decoded = base64Text(token);
    if (decoded === undefined)
      return { verdict: 'invalid', message: 'This is not the base64 value Harness shows for a delegate token (check nothing was cut off at the end).' };
    if (decoded.length < 16) return { verdict: 'invalid', message: 'This is too short for a Harness delegate token; part of it may be missing.' };
    return { verdict: 'ok', kind: 'delegate-token', kindName: 'Harness delegate token', message: 'Looks like a Harness delegate token (base64).' };
  },
};
