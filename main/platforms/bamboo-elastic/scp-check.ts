/**
 * Why Bamboo's elastic agents cannot launch: evaluates ec2:RunInstances (on every resource type a
 * launch touches) and ec2:ModifyInstanceMetadataOptions for Bamboo's principal under the pasted
 * service control policies, with @cloud-copilot/iam-simulate. The principal's own IAM policies
 * are assumed to allow everything (an allow-all identity policy is simulated), so only the SCPs
 * decide. It then tries both fixes with the same simulator: launching with IMDSv2 (HttpTokens
 * required, the highest hop limit the policies allow) and exempting Bamboo's principal in the
 * denying statements (checked to allow Bamboo and still deny another principal).
 */
import { runSimulation, type Simulation, type StatementExplain } from '@cloud-copilot/iam-simulate';
import type { ActionVerdict, DecidingStatement, HttpTokens, ScpReport, ScpCheckRequest } from '../../../shared/platforms/bamboo-elastic/contract';
import { scpCheckRequestSchema } from '../../../shared/platforms/bamboo-elastic/contract';
import { exemptPrincipal } from '../../../shared/platforms/bamboo-elastic/exemption';
import { accountOf, principalArnKey } from '../../../shared/platforms/bamboo-elastic/failure-text';
import { parsePolicy, policyFileName, statementsOf, type ParsedPolicy } from '../../../shared/platforms/bamboo-elastic/policy';
import { err, ok, type Result } from '../../../shared/result';

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const FULL_AWS_ACCESS = 'FullAWSAccess (assumed)';

/** Resource types ec2:RunInstances authorizes, with sample ids (the metadata keys apply to `instance` only). */
const RUN_INSTANCES_RESOURCES: [type: string, arn: (region: string, account: string) => string][] = [
  ['instance', (r, a) => `arn:aws:ec2:${r}:${a}:instance/i-0123456789abcdef0`],
  ['image', (r) => `arn:aws:ec2:${r}::image/ami-0123456789abcdef0`],
  ['subnet', (r, a) => `arn:aws:ec2:${r}:${a}:subnet/subnet-0123456789abcdef0`],
  ['network-interface', (r, a) => `arn:aws:ec2:${r}:${a}:network-interface/eni-0123456789abcdef0`],
  ['security-group', (r, a) => `arn:aws:ec2:${r}:${a}:security-group/sg-0123456789abcdef0`],
  ['volume', (r, a) => `arn:aws:ec2:${r}:${a}:volume/vol-0123456789abcdef0`],
];

/** Who launches, with which metadata settings. */
interface Scenario {
  principalArn: string;
  account: string;
  region: string;
  httpTokens: HttpTokens;
  hopLimit: number;
}

interface Level {
  name: string;
  policies: { name: string; document: unknown }[];
}

interface Evaluation {
  action: string;
  resourceType: string;
  resource: string;
  verdict: 'allowed' | 'denied' | 'implicitly-denied';
  deciding: DecidingStatement[];
}

/** Progress and cancellation for long checks. */
export interface ScpCheckOptions {
  signal?: AbortSignal;
  progress?(message: string, fraction?: number): void;
}

class Malformed extends Error {}
class Cancelled extends Error {}

function contextFor(action: string, s: Scenario): Record<string, string> {
  const ctx: Record<string, string> = {
    'aws:PrincipalArn': principalArnKey(s.principalArn),
    'aws:PrincipalAccount': s.account,
    'aws:RequestedRegion': s.region,
  };
  if (s.httpTokens === 'absent') return ctx;
  if (action === 'ec2:RunInstances') {
    ctx['ec2:MetadataHttpTokens'] = s.httpTokens;
    ctx['ec2:MetadataHttpPutResponseHopLimit'] = String(s.hopLimit);
  } else {
    ctx['ec2:Attribute/HttpTokens'] = s.httpTokens;
    ctx['ec2:Attribute/HttpPutResponseHopLimit'] = String(s.hopLimit);
  }
  return ctx;
}

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function describeCondition(c: NonNullable<StatementExplain['conditions']>[number]): DecidingStatement['conditions'][number] {
  const values = asList(c.values).map((v) => v.value);
  const requestValue = c.resolvedConditionKeyValue ?? null;
  const shown = values.length === 1 ? JSON.stringify(values[0]) : `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
  const missing = c.matchedBecauseMissing || c.failedBecauseMissing || requestValue === null;
  const summary = missing
    ? `${c.operator} ${c.conditionKeyValue} ${shown}: the request does not set ${c.conditionKeyValue}${c.matches ? ', and a negated operator without IfExists matches a missing key' : ''}`
    : `${c.operator} ${c.conditionKeyValue} ${shown}: the request has ${JSON.stringify(requestValue)}`;
  return { operator: c.operator, key: c.conditionKeyValue, policyValues: values, requestValue, matched: c.matches, summary };
}

function decidingFrom(policyId: string, index: number, explain: StatementExplain): DecidingStatement {
  const conditions = (explain.conditions ?? []).map(describeCondition);
  const sid = explain.identifier && explain.identifier !== String(index) ? explain.identifier : undefined;
  const label = `${policyId}, statement ${index}${sid ? ` (${sid})` : ''}`;
  const summary = conditions.length
    ? `${label} denies: ${conditions.map((c) => c.summary).join('; and ')}`
    : `${label} denies ${
        asList(explain.actions)
          .map((a) => a.action)
          .join(', ') || 'this action'
      } without conditions`;
  return { policy: policyId, statementIndex: index, ...(sid ? { sid } : {}), effect: explain.effect, conditions, summary };
}

async function evaluate(levels: Level[], s: Scenario, action: string, resourceType: string, resource: string): Promise<Evaluation> {
  const simulation: Simulation = {
    request: { principal: s.principalArn, action, resource: { resource, accountId: s.account }, contextVariables: contextFor(action, s) },
    identityPolicies: [{ name: 'assumed-allow-all', policy: ALLOW_ALL }],
    serviceControlPolicies: levels.map((l) => ({ orgIdentifier: l.name, policies: l.policies.map((p) => ({ name: p.name, policy: p.document })) })),
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    const lines = Object.entries(result.errors.serviceControlPolicyErrors ?? {}).flatMap(([name, errors]) =>
      errors.map((e) => `${name}${e.path ? `, ${e.path}` : ''}: ${e.message}`),
    );
    throw new Malformed(lines.length ? lines.slice(0, 3).join('; ') : result.errors.message);
  }
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  if (!analysis) throw new Error(`the simulator returned no analysis for ${action}`);
  const deciding: DecidingStatement[] = [];
  for (const ou of analysis.scpAnalysis?.ouAnalysis ?? []) {
    for (const st of ou.denyStatements) deciding.push(decidingFrom(st.policyId, st.statement.index(), st.explain));
  }
  const verdict = analysis.result === 'Allowed' ? 'allowed' : analysis.result === 'ExplicitlyDenied' ? 'denied' : 'implicitly-denied';
  return { action, resourceType, resource, verdict, deciding };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Cancelled();
}

async function runInstances(levels: Level[], s: Scenario, signal?: AbortSignal, types?: string[]): Promise<Evaluation[]> {
  const out: Evaluation[] = [];
  for (const [type, arn] of RUN_INSTANCES_RESOURCES) {
    if (types && !types.includes(type)) continue;
    throwIfAborted(signal);
    out.push(await evaluate(levels, s, 'ec2:RunInstances', type, arn(s.region, s.account)));
  }
  return out;
}

async function modifyOptions(levels: Level[], s: Scenario): Promise<Evaluation[]> {
  return [await evaluate(levels, s, 'ec2:ModifyInstanceMetadataOptions', 'instance', RUN_INSTANCES_RESOURCES[0]![1](s.region, s.account))];
}

const allowed = (evals: Evaluation[]): boolean => evals.every((e) => e.verdict === 'allowed');

function uniqueDeciding(evals: Evaluation[]): DecidingStatement[] {
  const seen = new Map<string, DecidingStatement>();
  for (const e of evals) for (const d of e.deciding) seen.set(`${d.policy}#${d.statementIndex}`, d);
  return [...seen.values()];
}

function actionVerdict(action: string, evals: Evaluation[]): ActionVerdict {
  const denied = evals.filter((e) => e.verdict !== 'allowed');
  const deciding = uniqueDeciding(denied);
  const implicit = denied.filter((e) => e.verdict === 'implicitly-denied').map((e) => e.resourceType);
  const summary =
    denied.length === 0
      ? `${action} is allowed.`
      : [
          deciding.length ? deciding.map((d) => d.summary).join(' ') : '',
          implicit.length ? `No SCP statement allows ${action} on ${implicit.join(', ')} (an allow-list SCP without it).` : '',
          `Denied on: ${denied.map((e) => e.resourceType).join(', ')}.`,
        ]
          .filter(Boolean)
          .join(' ');
  return {
    action,
    verdict: denied.length ? 'denied' : 'allowed',
    resources: evals.map(({ resourceType, resource, verdict, deciding: d }) => ({ resourceType, resource, verdict, deciding: d })),
    summary,
  };
}

function levelsFor(parsed: Pick<ParsedPolicy, 'name' | 'document'>[]): { levels: Level[]; assumedFullAccess: boolean } {
  const hasAllow = parsed.some((p) => statementsOf(p.document).some((st) => st.Effect === 'Allow'));
  const policies = parsed.map((p) => ({ name: p.name, document: p.document }));
  return {
    levels: [{ name: 'pasted SCPs', policies: hasAllow ? policies : [{ name: FULL_AWS_ACCESS, document: ALLOW_ALL }, ...policies] }],
    assumedFullAccess: !hasAllow,
  };
}

const IMDSV2_RISK =
  'Low, and the recommended fix: IMDSv2 only closes the token-less (v1) path to the metadata service. The elastic agent image must use IMDSv2-capable software (AWS CLI/SDKs and cloud-init from 2020 on); an older image that reads metadata with a plain GET gets 401 and the agent may not start, so launch one instance to test first. With hop limit 1, containers behind a Docker bridge on the instance cannot reach the metadata service; builds in containers need 2. Whether your Bamboo version sends these metadata options with RunInstances is not confirmed: if a decoded failure shows no ec2:MetadataHttpTokens key, Bamboo sent none, and only the exemption (or a Bamboo version that sends them) helps.';

const EXEMPTION_RISK =
  "It weakens the guardrail for one principal: instances Bamboo's principal launches may keep IMDSv1 (and any hop limit), so an SSRF flaw in a build or service on them can read the instance role's credentials without a token. Everyone who can assume or pass that role inherits the exemption. Keep the role narrow (elastic agent AMIs, subnets and instance profile only), prefer the IMDSv2 fix, and remove the exemption once the images support IMDSv2. An SCP change applies to every account under the OU it is attached to: make it through your organization's change process.";

async function imdsv2Fix(levels: Level[], s: Scenario, signal: AbortSignal | undefined): Promise<NonNullable<ScpReport['fixes']['imdsv2']>> {
  const start = s.httpTokens === 'absent' ? 2 : Math.max(1, Math.min(64, s.hopLimit));
  let hop = start;
  // The metadata keys only reach the instance resource, so the hop limit search evaluates that one.
  for (; hop > 1; hop--) {
    throwIfAborted(signal);
    if (allowed(await runInstances(levels, { ...s, httpTokens: 'required', hopLimit: hop }, signal, ['instance']))) break;
  }
  const full = await runInstances(levels, { ...s, httpTokens: 'required', hopLimit: hop }, signal);
  const works = allowed(full);
  const lowered = hop < s.hopLimit && s.httpTokens !== 'absent';
  const summary = works
    ? `Launch with HttpTokens=required and a hop limit of ${hop}${lowered ? ` (the policies deny ${s.hopLimit})` : ''}: ec2:RunInstances is then allowed.${hop < 2 ? ' A hop limit of 1 keeps containers on the instance away from the metadata service.' : ''}`
    : `Even with HttpTokens=required and hop limit ${hop}, ec2:RunInstances stays denied: ${
        uniqueDeciding(full.filter((e) => e.verdict !== 'allowed'))
          .map((d) => d.summary)
          .join(' ') || 'no SCP statement allows it.'
      }`;
  return {
    works,
    httpTokens: 'required',
    hopLimit: hop,
    summary,
    risk: IMDSV2_RISK,
    stillDeciding: works ? [] : uniqueDeciding(full),
    commands: [
      {
        title: 'Check the launch is allowed now (a dry run: "DryRunOperation" means allowed), with your image, type and subnet',
        command: `aws ec2 run-instances --dry-run --region ${s.region} --image-id <ami-id> --instance-type <type> --subnet-id <subnet-id> --metadata-options HttpTokens=required,HttpPutResponseHopLimit=${hop},HttpEndpoint=enabled`,
      },
      {
        title: 'Check a running elastic agent instance',
        command: `aws ec2 describe-instances --region ${s.region} --instance-ids <instance-id> --query "Reservations[].Instances[].MetadataOptions"`,
      },
    ],
  };
}

async function exemptionFix(
  parsed: ParsedPolicy[],
  deciding: DecidingStatement[],
  s: Scenario,
  signal: AbortSignal | undefined,
): Promise<NonNullable<ScpReport['fixes']['exemption']>> {
  const pattern = principalArnKey(s.principalArn);
  const edited = parsed.map((p) => {
    const indexes = deciding.filter((d) => d.policy === p.name).map((d) => d.statementIndex);
    return indexes.length ? exemptPrincipal(p.name, p.document, indexes, pattern, p.source) : undefined;
  });
  const exemptedDocs = parsed.map((p, i) => ({ name: p.name, document: edited[i]?.document ?? p.document }));
  const { levels } = levelsFor(exemptedDocs);
  throwIfAborted(signal);
  const exemptAllowed = allowed(await runInstances(levels, s, signal));
  const otherPrincipal = `arn:aws:iam::${s.account}:role/some-other-role`;
  const othersDenied = !allowed(await runInstances(levels, { ...s, principalArn: otherPrincipal }, signal));
  const works = exemptAllowed && othersDenied;
  const changed = edited.filter((e): e is NonNullable<typeof e> => e !== undefined && e.statements.length > 0);
  const summary = works
    ? `Add a StringNotLike aws:PrincipalARN "${pattern}" condition to ${changed.map((c) => `${c.name} statement${c.statements.length > 1 ? 's' : ''} ${c.statements.join(', ')}`).join('; ')}: Bamboo's principal is then allowed, and other principals are still denied.`
    : !exemptAllowed
      ? `Exempting "${pattern}" in the denying statements does not allow the launch: another statement or a missing Allow still denies it.`
      : `With the exemption every principal is allowed, not only Bamboo's: the pasted policies did not deny other principals either.`;
  return {
    works,
    principalPattern: pattern,
    exemptAllowed,
    othersDenied,
    otherPrincipal,
    policies: changed.map((c) => ({ name: c.name, statements: c.statements, text: c.text, diff: c.diff })),
    summary,
    risk: EXEMPTION_RISK,
    commands: changed.map((c) => ({
      title: `Update ${c.name} in AWS Organizations (save the new policy as a file first)`,
      command: `aws organizations update-policy --policy-id <policy-id> --content file://${policyFileName(c.name)}`,
    })),
  };
}

/**
 * Evaluates the pasted SCPs for Bamboo's principal and returns the verdict per action, the deciding
 * statements and conditions, and both fixes when launching is denied. Failure codes: BAD_INPUT
 * (request fields), POLICY_MALFORMED (a policy is not valid JSON, not a policy, has an unknown
 * operator, or the simulator refuses it — the message names the policy and where), CANCELLED.
 */
export async function checkScps(request: ScpCheckRequest, options: ScpCheckOptions = {}): Promise<Result<ScpReport>> {
  const input = scpCheckRequestSchema.safeParse(request);
  if (!input.success) return err('BAD_INPUT', input.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  const req = input.data;
  const parsed: ParsedPolicy[] = [];
  for (const [i, p] of req.policies.entries()) {
    const r = parsePolicy(p.text, p.name || `Policy ${i + 1}`);
    if (!r.ok) return r;
    const name = parsed.some((x) => x.name === r.value.name) ? `${r.value.name} (${i + 1})` : r.value.name;
    parsed.push({ ...r.value, name });
  }
  const account = accountOf(req.principalArn)!;
  const scenario: Scenario = { principalArn: req.principalArn, account, region: req.region, httpTokens: req.httpTokens, hopLimit: req.hopLimit };
  const { levels, assumedFullAccess } = levelsFor(parsed);
  const say = options.progress ?? (() => undefined);
  try {
    say('Evaluating ec2:RunInstances', 0.1);
    const run = await runInstances(levels, scenario, options.signal);
    say('Evaluating ec2:ModifyInstanceMetadataOptions', 0.3);
    const modify = await modifyOptions(levels, scenario);
    const runVerdict = actionVerdict('ec2:RunInstances', run);
    const report: ScpReport = {
      principalArn: req.principalArn,
      principalArnKey: principalArnKey(req.principalArn),
      account,
      region: req.region,
      settings: { httpTokens: req.httpTokens, hopLimit: req.hopLimit },
      verdict: runVerdict.verdict,
      actions: [runVerdict, actionVerdict('ec2:ModifyInstanceMetadataOptions', modify)],
      assumptions: [
        "Bamboo's own IAM policies are assumed to allow these actions (an allow-all identity policy is simulated): only the SCPs decide.",
        ...(assumedFullAccess
          ? ["No pasted policy has an Allow statement, so AWS's default FullAWSAccess SCP is assumed attached beside them."]
          : ['The pasted policies are evaluated as one level of the organization.']),
        `Account ${account} (from the principal), region ${req.region}; sample resource ids stand for the instance, image, subnet, network interface, security group and volume a launch touches.`,
        ...(req.httpTokens === 'absent' ? ['The launch request sets no metadata options, so ec2:MetadataHttpTokens and the hop limit key are absent.'] : []),
      ],
      warnings: modify.some((e) => e.verdict !== 'allowed')
        ? ['ec2:ModifyInstanceMetadataOptions is denied: metadata options cannot be changed after launch, so set them in the launch itself.']
        : [],
      fixes: {},
    };
    if (report.verdict === 'denied') {
      say('Trying the IMDSv2 fix', 0.5);
      report.fixes.imdsv2 = await imdsv2Fix(levels, scenario, options.signal);
      say('Trying the exemption fix', 0.8);
      report.fixes.exemption = await exemptionFix(parsed, uniqueDeciding(run), scenario, options.signal);
    }
    say('Done', 1);
    return ok(report);
  } catch (error) {
    if (error instanceof Cancelled) return err('CANCELLED', 'The policy check was cancelled.');
    if (error instanceof Malformed)
      return err(
        'POLICY_MALFORMED',
        `The simulator refused a policy: ${error.message}.`,
        'Fix the policy where it says, or paste it exactly as AWS Organizations shows it.',
      );
    throw error;
  }
}
