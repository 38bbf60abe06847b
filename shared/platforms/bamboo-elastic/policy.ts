/**
 * Service control policies as people paste them: a policy document, or the output of
 * `aws organizations describe-policy` (its Content is the document as a JSON string). Parsing
 * finds JSON and shape errors with their place; condition operators are checked against IAM's
 * list, because a misspelt operator makes a Deny silently never apply. Deciding what a policy
 * allows is the simulator's job (main/platforms/bamboo-elastic/scp-check.ts), never done here.
 */
import { err, ok, type Result } from '../../result';

/** A policy document as JSON data (validated further by the simulator). */
export type PolicyDocument = { Version?: string; Statement: unknown } & Record<string, unknown>;

/** One pasted policy, parsed. */
export interface ParsedPolicy {
  name: string;
  document: PolicyDocument;
  /**
   * The policy's text as the user holds it: the pasted document exactly, or the Content of
   * `describe-policy` output (what `--query Policy.Content --output text` saves). Diffs are made against it.
   */
  source: string;
}

/** The largest policy text read (an SCP is at most 5,120 characters; a little slack for formatting). */
export const MAX_POLICY_CHARS = 200_000;

const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
];

/** The base operator of a condition operator (`ForAnyValue:StringLikeIfExists` → `StringLike`), or undefined when it is not one. */
export function baseOperator(op: string): string | undefined {
  if (op === 'Null') return 'Null';
  const m = /^(?:ForAllValues:|ForAnyValue:)?([A-Za-z]+?)(IfExists)?$/.exec(op);
  const base = m?.[1];
  return base && BASE_OPERATORS.includes(base) ? base : undefined;
}

function closest(op: string): string | undefined {
  const stripped = op
    .replace(/^(ForAllValues:|ForAnyValue:)/, '')
    .replace(/IfExists$/, '')
    .toLowerCase();
  return BASE_OPERATORS.find((b) => b.toLowerCase() === stripped) ?? BASE_OPERATORS.find((b) => distance(b.toLowerCase(), stripped) <= 2);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** "line L, column C" of a character offset. */
function place(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function jsonError(text: string, error: unknown, name: string): Result<never> {
  const message = error instanceof Error ? error.message : String(error);
  const pos = /position (\d+)/.exec(message);
  const where = pos ? ` at ${place(text, Number(pos[1]))}` : '';
  return err(
    'POLICY_MALFORMED',
    `${name} is not valid JSON${where}: ${message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}.`,
    'Paste the whole policy document, from the opening { to the closing }.',
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the condition blocks: operators IAM knows, values of the right kind. */
function checkConditions(doc: PolicyDocument, name: string): Result<true> {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const [i, st] of statements.entries()) {
    if (!isObject(st) || st.Condition === undefined) continue;
    const where = `${name}, Statement[${i}]${typeof st.Sid === 'string' ? ` (${st.Sid})` : ''}`;
    if (!isObject(st.Condition)) return err('POLICY_MALFORMED', `${where}: Condition must be an object like {"StringEquals": {"key": "value"}}.`);
    for (const [op, block] of Object.entries(st.Condition)) {
      const base = baseOperator(op);
      if (!base) {
        const guess = closest(op);
        return err(
          'POLICY_MALFORMED',
          `${where}: ${JSON.stringify(op)} is not an IAM condition operator${guess ? ` (did you mean ${guess}?)` : ''}.`,
          'AWS refuses policies with unknown operators; a misspelt one would make this statement never apply.',
        );
      }
      if (!isObject(block)) return err('POLICY_MALFORMED', `${where}: the ${op} block must map condition keys to values.`);
      for (const [key, raw] of Object.entries(block)) {
        const values = Array.isArray(raw) ? raw : [raw];
        if (values.length === 0 || values.some((v) => !['string', 'number', 'boolean'].includes(typeof v))) {
          return err('POLICY_MALFORMED', `${where}: ${op} ${key} must have a value (a string, number or boolean, or a list of them).`);
        }
        if (base.startsWith('Numeric') && values.some((v) => !/^-?\d+(\.\d+)?$/.test(String(v)))) {
          return err(
            'POLICY_MALFORMED',
            `${where}: ${op} ${key} compares numbers, but ${JSON.stringify(values.find((v) => !/^-?\d+(\.\d+)?$/.test(String(v))))} is not a number.`,
          );
        }
      }
    }
  }
  return ok(true);
}

/**
 * Parses one pasted policy: a policy document or `aws organizations describe-policy` output.
 * `fallbackName` names it when the text carries no name. Failure: POLICY_MALFORMED with where and why.
 */
export function parsePolicy(text: string, fallbackName: string): Result<ParsedPolicy> {
  if (text.length > MAX_POLICY_CHARS)
    return err('POLICY_MALFORMED', `${fallbackName} is ${text.length} characters; a service control policy is at most 5,120.`);
  const trimmed = text.trim().replace(/^\uFEFF/, '');
  if (!trimmed) return err('POLICY_MALFORMED', `${fallbackName} is empty.`, 'Paste the policy document (JSON).');
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (error) {
    return jsonError(trimmed, error, fallbackName);
  }
  let name = fallbackName;
  let source = text;
  if (isObject(data) && isObject(data.Policy) && typeof data.Policy.Content === 'string') {
    const summary = isObject(data.Policy.PolicySummary) ? data.Policy.PolicySummary : {};
    if (typeof summary.Name === 'string' && summary.Name.trim()) name = summary.Name.trim().slice(0, 128);
    const content = data.Policy.Content;
    source = content;
    try {
      data = JSON.parse(content);
    } catch (error) {
      return jsonError(content, error, `${name} (Policy.Content)`);
    }
  }
  if (!isObject(data)) return err('POLICY_MALFORMED', `${name} is JSON but not a policy document: expected an object with "Statement".`);
  if (data.Statement === undefined) {
    const hint =
      'DecodedMessage' in data || 'matchedStatements' in data
        ? 'This is a decoded authorization failure: paste it in the failure box instead.'
        : 'A policy looks like {"Version": "2012-10-17", "Statement": [...]}.';
    return err('POLICY_MALFORMED', `${name} has no "Statement".`, hint);
  }
  if (!Array.isArray(data.Statement) && !isObject(data.Statement))
    return err('POLICY_MALFORMED', `${name}: "Statement" must be a list of statements or one statement object.`);
  const document = data as PolicyDocument;
  const conditions = checkConditions(document, name);
  if (!conditions.ok) return conditions;
  return ok({ name, document, source });
}

/** The statements of a document as a list (a single statement object is a list of one). */
export function statementsOf(doc: PolicyDocument): Record<string, unknown>[] {
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list.filter(isObject);
}

/** A policy as the JSON text the fixes show and diff (two-space indent, trailing newline). */
export function policyText(doc: PolicyDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * `doc` written the way `source` is: its indentation (or on one line when it is one line), its
 * line endings and the white space around it, so a diff against `source` shows only what
 * changed and applies to the user's file with `patch`.
 */
export function policyTextLike(source: string, doc: PolicyDocument): string {
  const body = source.replace(/^\uFEFF/, '').trim();
  const indent = /\n([ \t]+)["{}[\]]/.exec(body.replace(/\r\n?/g, '\n'))?.[1];
  const oneLine = !/[\r\n]/.test(body);
  let text = oneLine ? JSON.stringify(doc) : JSON.stringify(doc, null, indent ?? 2);
  if (/\r\n/.test(source)) text = text.replace(/\n/g, '\r\n');
  return /^\uFEFF?\s*/.exec(source)![0] + text + /\s*$/.exec(source)![0];
}

/** The file name a policy is saved under: its name as a safe file name, ending in .json once (never .json.json). */
export function policyFileName(name: string): string {
  const stem = name
    .trim()
    .replace(/\.json$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return `${stem || 'policy'}.json`;
}
