/**
 * The exemption fix: the denying statements of an SCP get an `aws:PrincipalARN` StringNotLike
 * condition naming Bamboo's principal, so they keep denying everyone else. Pure policy rewriting;
 * whether the result really exempts Bamboo (and only Bamboo) is checked by the simulator.
 */
import { unifiedDiff } from '../../diff';
import { policyText, policyTextLike, statementsOf, type PolicyDocument } from './policy';

/** The condition key the exemption uses (IAM condition keys are case-insensitive). */
export const EXEMPTION_KEY = 'aws:PrincipalARN';

/** What the exemption changes in one policy. */
export interface PolicyExemption {
  name: string;
  /** 1-based indexes of the statements that got the condition. */
  statements: number[];
  document: PolicyDocument;
  /** The whole new policy, written the way the given text is (policyTextLike). */
  text: string;
  /** Unified diff from the policy as given to the new one: `patch` applies it to the user's file. */
  diff: string;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** One statement with `principal` added to its StringNotLike aws:PrincipalARN list (kept once). */
function exemptStatement(st: Record<string, unknown>, principal: string): Record<string, unknown> {
  const condition = typeof st.Condition === 'object' && st.Condition !== null ? (st.Condition as Record<string, Record<string, unknown>>) : {};
  const notLike = condition.StringNotLike ?? {};
  const existingKey = Object.keys(notLike).find((k) => k.toLowerCase() === EXEMPTION_KEY.toLowerCase()) ?? EXEMPTION_KEY;
  const values = asList(notLike[existingKey]).map(String);
  if (values.includes(principal)) return st;
  return { ...st, Condition: { ...condition, StringNotLike: { ...notLike, [existingKey]: [...values, principal] } } };
}

/**
 * `doc` with the statements at `indexes` (1-based) exempting `principal` (an `aws:PrincipalArn`
 * value or pattern). Statements already exempting it are left as they are; running it twice
 * gives the same policy. `source` is the policy's text as the user has it (default: policyText of
 * doc): the new text follows its layout and the diff is against it.
 */
export function exemptPrincipal(name: string, doc: PolicyDocument, indexes: number[], principal: string, source: string = policyText(doc)): PolicyExemption {
  const single = !Array.isArray(doc.Statement);
  const statements = statementsOf(doc);
  const changed: number[] = [];
  const next = statements.map((st, i) => {
    if (!indexes.includes(i + 1)) return st;
    const out = exemptStatement(st, principal);
    if (out !== st) changed.push(i + 1);
    return out;
  });
  const document: PolicyDocument = { ...doc, Statement: single ? next[0] : next };
  const text = policyTextLike(source, document);
  return { name, statements: changed, document, text, diff: unifiedDiff(source, text, name) };
}
