/**
 * What the user can paste instead of typing the request: the decoded authorization failure from
 * `aws sts decode-authorization-message` (the CLI's JSON, or its DecodedMessage alone), or the
 * agent/AWS error text ("EC2 instance order for image ami-… failed", "… is not authorized to
 * perform: ec2:RunInstances … with an explicit deny in a service control policy", "Encoded
 * authorization failure message: …"). Pure parsing: the facts found, nothing decided.
 */
import { err, ok, type Result } from '../../result';

/** The request facts found in pasted failure text. */
export interface FailureFacts {
  source: 'decoded-message' | 'error-text';
  /** The caller as AWS names it (a role session `arn:aws:sts::…:assumed-role/…` or a user/role ARN). */
  principalArn?: string;
  action?: string;
  resource?: string;
  region?: string;
  /** ec2:MetadataHttpTokens in the request; 'absent' when the decoded context has no such key. */
  httpTokens?: 'required' | 'optional' | 'absent';
  hopLimit?: number;
  allowed?: boolean;
  explicitDeny?: boolean;
  /** Which kind of policy denied, when the text says (e.g. 'service control policy'). */
  deniedBy?: string;
  /** True when the deny is typical of an SCP (explicit deny, no statements disclosed, or said so). */
  likelyScp?: boolean;
  /** Statements the decoded message discloses (identity policies; SCP statements are not disclosed). */
  matchedStatements: { statementId?: string; effect?: string; conditions: { key: string; values: string[] }[] }[];
  /** Every request context key and its values, from the decoded message. */
  context: Record<string, string[]>;
  imageId?: string;
  /** The encoded blob to decode, when only the error text was pasted. */
  encodedMessage?: string;
  /** The command that decodes `encodedMessage` (no secrets in it). */
  decodeCommand?: string;
}

const ARN = /arn:aws[a-z-]*:(?:iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function items(v: unknown): unknown[] {
  if (isObject(v) && Array.isArray(v.items)) return v.items;
  return Array.isArray(v) ? v : [];
}

function valuesOf(v: unknown): string[] {
  return items(isObject(v) ? v.values : undefined)
    .map((x) => (isObject(x) ? x.value : x))
    .filter((x): x is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof x))
    .map(String);
}

function regionOf(resource: string | undefined): string | undefined {
  const region = resource?.split(':')[3];
  return region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

/** The decoded message as an object, from the CLI's JSON or the inner JSON; undefined when neither. */
function decodedObject(text: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text.trim());
  } catch {
    return undefined;
  }
  if (isObject(data) && typeof data.DecodedMessage === 'string') {
    try {
      data = JSON.parse(data.DecodedMessage);
    } catch {
      return undefined;
    }
  }
  return isObject(data) && ('context' in data || 'matchedStatements' in data || 'allowed' in data) ? data : undefined;
}

function fromDecoded(d: Record<string, unknown>): FailureFacts {
  const context = isObject(d.context) ? d.context : {};
  const principal = isObject(context.principal) ? context.principal : {};
  const keys: Record<string, string[]> = {};
  for (const item of items(context.conditions)) {
    if (isObject(item) && typeof item.key === 'string') keys[item.key] = valuesOf(item);
  }
  const lookup = (name: string): string[] | undefined => Object.entries(keys).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const tokens = lookup('ec2:MetadataHttpTokens')?.[0];
  const hop = Number(lookup('ec2:MetadataHttpPutResponseHopLimit')?.[0]);
  const matched = items(d.matchedStatements)
    .filter(isObject)
    .map((s) => ({
      ...(typeof s.statementId === 'string' ? { statementId: s.statementId } : {}),
      ...(typeof s.effect === 'string' ? { effect: s.effect } : {}),
      conditions: items(s.conditions)
        .filter(isObject)
        .map((c) => ({ key: String(c.key ?? ''), values: valuesOf(c) })),
    }));
  const action = typeof context.action === 'string' ? context.action : undefined;
  const resource = typeof context.resource === 'string' ? context.resource : undefined;
  const explicitDeny = typeof d.explicitDeny === 'boolean' ? d.explicitDeny : undefined;
  const principalArn = typeof principal.arn === 'string' && ARN.test(principal.arn) ? principal.arn : undefined;
  const region = regionOf(resource) ?? lookup('aws:RequestedRegion')?.[0] ?? lookup('ec2:Region')?.[0];
  const isRunInstances = action === undefined || /RunInstances$/i.test(action);
  return {
    source: 'decoded-message',
    ...(principalArn ? { principalArn } : {}),
    ...(action ? { action } : {}),
    ...(resource ? { resource } : {}),
    ...(region ? { region } : {}),
    ...(tokens === 'required' || tokens === 'optional'
      ? { httpTokens: tokens }
      : isRunInstances && tokens === undefined
        ? { httpTokens: 'absent' as const }
        : {}),
    ...(Number.isInteger(hop) && hop >= 1 && hop <= 64 ? { hopLimit: hop } : {}),
    ...(typeof d.allowed === 'boolean' ? { allowed: d.allowed } : {}),
    ...(explicitDeny !== undefined ? { explicitDeny } : {}),
    likelyScp: explicitDeny === true && matched.every((s) => s.effect?.toUpperCase() !== 'DENY'),
    matchedStatements: matched,
    context: keys,
  };
}

function fromErrorText(text: string): FailureFacts | undefined {
  const flat = text.replace(/\s+/g, ' ');
  const notAuthorized =
    /User: (arn:\S+?) is not authorized to perform: (\S+?) on resource: (\S+?)(?: (?:with an|because no) ([a-z -]+?policy))?(?=[\s.,;"]|$)/i.exec(flat);
  const order = /EC2 instance order for image (ami-[0-9a-f]{8,17}) failed/i.exec(flat);
  const unauthorized = /\(UnauthorizedOperation\) when calling the (\w+) operation/i.exec(flat);
  const encoded = /Encoded authorization failure message: ([A-Za-z0-9_-]{20,})/.exec(text);
  const scpSaid = /explicit deny in a service control policy/i.test(flat);
  if (!notAuthorized && !order && !unauthorized && !encoded && !scpSaid) return undefined;
  const deniedBy = notAuthorized?.[4]?.replace(/^explicit deny in an? /i, '').replace(/^explicit deny in /i, '');
  const principalArn = notAuthorized?.[1] && ARN.test(notAuthorized[1]) ? notAuthorized[1] : undefined;
  const action = notAuthorized?.[2] ?? (unauthorized ? `ec2:${unauthorized[1]}` : order ? 'ec2:RunInstances' : undefined);
  const resource = notAuthorized?.[3];
  const region = regionOf(resource);
  return {
    source: 'error-text',
    ...(principalArn ? { principalArn } : {}),
    ...(action ? { action } : {}),
    ...(resource ? { resource } : {}),
    ...(region ? { region } : {}),
    ...(scpSaid || /explicit deny/i.test(notAuthorized?.[4] ?? '') ? { explicitDeny: true } : {}),
    ...(deniedBy ? { deniedBy } : scpSaid ? { deniedBy: 'service control policy' } : {}),
    likelyScp: scpSaid || /service control policy/i.test(deniedBy ?? ''),
    matchedStatements: [],
    context: {},
    ...(order ? { imageId: order[1] } : {}),
    ...(encoded
      ? {
          encodedMessage: encoded[1],
          decodeCommand: `aws sts decode-authorization-message --encoded-message ${encoded[1]} --query DecodedMessage --output text | jq .`,
        }
      : {}),
  };
}

/**
 * The facts in a pasted decoded authorization failure or agent/AWS error text. Failure:
 * UNKNOWN_FORMAT when the text is neither (with what to paste instead).
 */
export function parseFailureText(text: string): Result<FailureFacts> {
  if (text.length > 1_000_000) return err('UNKNOWN_FORMAT', 'This text is too long to be an authorization failure (over 1 MB).');
  const decoded = decodedObject(text);
  if (decoded) return ok(fromDecoded(decoded));
  const fromText = fromErrorText(text);
  if (fromText) return ok(fromText);
  return err(
    'UNKNOWN_FORMAT',
    'This is neither a decoded authorization failure nor an EC2 launch error.',
    'Paste the output of `aws sts decode-authorization-message --encoded-message <blob>`, or the agent error with "EC2 instance order … failed" / "UnauthorizedOperation".',
  );
}

/**
 * The value `aws:PrincipalArn` has for a caller: a role session `arn:aws:sts::A:assumed-role/R/S`
 * is the role `arn:aws:iam::A:role/R` (a role path, if any, is not in the session ARN: add it).
 */
export function principalArnKey(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** The 12-digit account of an IAM/STS ARN. */
export function accountOf(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}
