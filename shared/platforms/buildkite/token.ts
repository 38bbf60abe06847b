/** The Buildkite agent token: what it looks like, and the other Buildkite tokens people paste instead. */
import type { TokenSpec } from '../types';

const KINDS: { prefix: string; kind: string; kindName: string; why: string }[] = [
  { prefix: 'bkua_', kind: 'api-token', kindName: 'Buildkite API access token', why: 'It is for the REST and GraphQL APIs, not for agents.' },
  {
    prefix: 'bkaa_',
    kind: 'agent-session-token',
    kindName: 'Buildkite agent session token',
    why: 'The server hands it to an agent that already registered; it cannot register a new one.',
  },
  { prefix: 'bkaj_', kind: 'job-token', kindName: 'Buildkite job token', why: 'Each job gets its own; it ends with the job.' },
  {
    prefix: 'bkjat_',
    kind: 'job-acquisition-token',
    kindName: 'Buildkite job acquisition token',
    why: 'It runs one reserved job on an ephemeral agent and expires within an hour.',
  },
];

export const buildkiteToken: TokenSpec = {
  name: 'agent token',
  clockSensitive: 'Buildkite',
  where: 'Buildkite → Agents → your cluster → Agent Tokens (not an API token bkua_…, not the bkaa_ session token an agent gets when it registers).',
  check(token) {
    const known = KINDS.find((k) => token.startsWith(k.prefix));
    if (known) {
      return {
        verdict: 'wrong-kind',
        kind: known.kind,
        kindName: known.kindName,
        message: `This is a ${known.kindName} (it starts with ${known.prefix}), not an agent token. ${known.why}`,
      };
    }
    if (/^bk[a-z]{1,4}_/.test(token))
      return { verdict: 'invalid', message: `This token starts with ${token.slice(0, token.indexOf('_') + 1)}, a Buildkite prefix agent tokens do not have.` };
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return { verdict: 'invalid', message: 'A Buildkite agent token has only letters, digits, "-" and "_".' };
    if (token.length < 16)
      return { verdict: 'invalid', message: `This is too short for a Buildkite agent token (${token.length} characters); part of it may be missing.` };
    if (token.length > 255) return { verdict: 'invalid', message: `This is too long for a Buildkite agent token (${token.length} characters).` };
    return { verdict: 'ok', kind: 'agent-token', kindName: 'Buildkite agent token', message: 'Looks like a Buildkite agent (registration) token.' };
  },
};
