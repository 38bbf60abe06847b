/** The Bamboo security token: 40 hexadecimal characters, and the other Bamboo values people paste instead. */
import { base64Bytes } from '../../tokens';
import type { TokenSpec } from '../types';

const HEX40 = /^[0-9a-fA-F]{40}$/;

/** Atlassian Data Center personal access tokens: 44 base64 characters of "<digits>:<random bytes>". */
function isAtlassianPat(token: string): boolean {
  if (token.length !== 44) return false;
  const bytes = base64Bytes(token);
  if (!bytes) return false;
  const colon = bytes.indexOf(0x3a);
  return colon > 0 && bytes.slice(0, colon).every((b) => b >= 0x30 && b <= 0x39);
}

export const bambooToken: TokenSpec = {
  name: 'security token',
  clockSensitive: 'Bamboo',
  where: 'Bamboo → Administration → Agents → Install remote agent (40 hexadecimal characters).',
  check(token) {
    if (HEX40.test(token))
      return {
        verdict: 'ok',
        kind: 'security-token',
        kindName: 'Bamboo security token',
        message: 'Looks like a Bamboo security token (40 hexadecimal characters).',
      };
    if (/^[0-9a-fA-F]+$/.test(token)) {
      return {
        verdict: 'invalid',
        message: `This has ${token.length} hexadecimal characters; a Bamboo security token has exactly 40. ${token.length < 40 ? 'Part of it may be missing.' : 'Something extra was copied.'}`,
      };
    }
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) {
      return {
        verdict: 'wrong-kind',
        kind: 'uuid',
        kindName: 'UUID',
        message: 'This is a UUID (like an agent UUID from bamboo-agent.cfg.xml), not the security token.',
      };
    }
    if (isAtlassianPat(token)) {
      return {
        verdict: 'wrong-kind',
        kind: 'personal-access-token',
        kindName: 'Bamboo personal access token',
        message: 'This looks like a personal access token (for the REST API and downloads), not the agent security token.',
      };
    }
    return { verdict: 'invalid', message: 'A Bamboo security token is 40 hexadecimal characters (0-9, a-f).' };
  },
};
