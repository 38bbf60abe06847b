/**
 * The generator of a token platform whose variants each write files from the answers and the
 * token: the variant is looked up, the credential must be a token of one line, a token the platform
 * names as another of its vendor's kinds is refused (saying where the right one is), as is one it
 * judges invalid when `refuseInvalid`, and the variant's removal is added. The platforms give their words; this is the order of the checks.
 */
import { checkTokenText } from '../edit/values';
import { err, ok, type Result } from '../result';
import { checkToken } from '../tokens';
import type { Credential, GenerateExtras, Generated, Removal, TokenSpec } from './types';

export interface TokenGeneratorSpec<A> {
  /** The agent in sentences, capitalised: "The Buildkite agent". */
  agent: string;
  /** The agent in the middle of a sentence (default: `agent` with a lower-case first letter): "GitLab Runner". */
  agentInSentence?: string;
  /** What the vendor calls the token, in lower case: "agent token". */
  token: string;
  /** The token in "Get … from <where>": "an agent token". */
  getOne: string;
  spec: TokenSpec;
  /** Refuse a token the spec judges invalid (not only one of another kind): a platform whose tokens have a known form. */
  refuseInvalid?: boolean;
  /** Per variant id: its files from the answers, the token and a trusted company CA (PEM). */
  variants: Record<string, (a: A, token: string, trustedCa?: string) => Result<Generated>>;
  removal(variant: string, a: A): Removal;
}

export function tokenGenerator<A>(s: TokenGeneratorSpec<A>): (a: A, credential: Credential, variant: string, extras?: GenerateExtras) => Result<Generated> {
  const agentInSentence = s.agentInSentence ?? s.agent.charAt(0).toLowerCase() + s.agent.slice(1);
  return (a, credential, variant, extras) => {
    const gen = s.variants[variant];
    if (!gen) return err('BAD_INPUT', `Unknown variant '${variant}' for ${agentInSentence}: use ${Object.keys(s.variants).join(', ')}.`);
    if (credential.kind !== 'token') return err('BAD_INPUT', `${s.agent} needs its ${s.token}.`);
    const text = checkTokenText(credential.token, `The ${s.token}`);
    if (!text.ok) return text;
    const verdict = checkToken(s.spec, credential.token);
    if (verdict.verdict === 'wrong-kind') return err('TOKEN_WRONG_KIND', verdict.message, `Get ${s.getOne} from ${verdict.where}`);
    if (verdict.verdict === 'invalid' && s.refuseInvalid) return err('TOKEN_INVALID', verdict.message, `Get it from ${verdict.where}`);
    const generated = gen(a, credential.token, extras?.trustedCa);
    return generated.ok ? ok({ ...generated.value, removal: s.removal(variant, a) }) : generated;
  };
}
