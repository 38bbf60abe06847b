import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HttpTokens, ScpReport } from '../../../shared/platforms/bamboo-elastic/contract';
import { parseFailureText } from '../../../shared/platforms/bamboo-elastic/failure-text';
import { checkScps } from './scp-check';
import { EXIT, UsageError, errorLine, type CliIo, type Command } from '../../cli/types';
import { readTextArg } from '../../cli/read-file';

const HELP = `Usage: agent-onboard scp-check --policy FILE [--policy FILE ...] --principal ARN
                               --http-tokens required|optional|absent --hop-limit N
                               [--region R] [--failure FILE] [--json]

Why Bamboo's elastic agents cannot launch under your AWS organization's service control
policies. Evaluates ec2:RunInstances (on the instance, image, subnet, network interface, security
group and volume a launch touches) and ec2:ModifyInstanceMetadataOptions for the principal, with
the AWS IAM policy simulator @cloud-copilot/iam-simulate. The principal's own IAM policies are
assumed to allow the actions, so only the SCPs decide. When launching is denied it names the
deciding statements and conditions, and tries both fixes: launching with IMDSv2 (HttpTokens
required, the highest hop limit the policies allow) and exempting the principal (a StringNotLike
aws:PrincipalARN condition on the denying statements, shown as a policy diff), each with its risk.

Options:
  --policy FILE      an SCP as JSON (a policy document, or \`aws organizations describe-policy\`
                     output); repeat for each policy; - reads standard input (once)
  --principal ARN    the IAM role/user (or role session) Bamboo launches instances as
  --http-tokens T    the launch's HttpTokens: required, optional, or absent (no metadata
                     options sent)
  --hop-limit N      the launch's HttpPutResponseHopLimit, 1-64
  --region R         AWS region (default us-east-1)
  --failure FILE     the decoded authorization failure (\`aws sts decode-authorization-message\`)
                     or the agent's error text: fills --principal, --http-tokens, --hop-limit and
                     --region when they are not given
  --json             print the whole report as one JSON document

Exit codes: 0 launching is allowed; 1 it is denied (the deciding statements and conditions are
printed); 2 bad usage or a malformed policy (one line on stderr).

Example:
  npm run -s cli -- scp-check --policy imds-guardrail.json \\
    --principal arn:aws:iam::123456789012:role/bamboo-elastic --http-tokens optional --hop-limit 1`;

async function readInput(file: string, io: CliIo, what: string): Promise<string> {
  if (file === '-') return io.readStdin();
  return readTextArg(file, io.cwd, what);
}

function indent(text: string, by = '    '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** The report as people read it: verdict per action, the deciding conditions, the fixes. */
export function renderReport(r: ScpReport): string {
  const out: string[] = [
    `Principal ${r.principalArn}${r.principalArnKey !== r.principalArn ? ` (aws:PrincipalArn ${r.principalArnKey})` : ''}, HttpTokens ${r.settings.httpTokens}, hop limit ${r.settings.hopLimit}, ${r.region}`,
    '',
  ];
  for (const a of r.actions) {
    out.push(`${a.action}: ${a.verdict.toUpperCase()}`);
    const seen = new Set<string>();
    for (const res of a.resources.filter((x) => x.verdict !== 'allowed')) {
      if (res.deciding.length === 0) out.push(`  ${res.resourceType}: no SCP statement allows it`);
      for (const d of res.deciding) {
        const key = `${d.policy}#${d.statementIndex}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(`  denied by ${d.policy}, statement ${d.statementIndex}${d.sid ? ` (${d.sid})` : ''}`);
        for (const c of d.conditions) out.push(`    condition ${c.summary}`);
        if (d.conditions.length === 0) out.push('    (no conditions: it always denies)');
      }
    }
    if (a.verdict === 'denied')
      out.push(
        `  denied on: ${a.resources
          .filter((x) => x.verdict !== 'allowed')
          .map((x) => x.resourceType)
          .join(', ')}`,
      );
  }
  for (const w of r.warnings) out.push('', `Note: ${w}`);
  const { imdsv2, exemption } = r.fixes;
  if (imdsv2) {
    out.push('', `Fix 1, launch with IMDSv2${imdsv2.works ? '' : ' (NOT enough on its own)'}: ${imdsv2.summary}`, `  Risk: ${imdsv2.risk}`);
    for (const c of imdsv2.commands) out.push(`  # ${c.title}`, `  ${c.command}`);
  }
  if (exemption) {
    out.push('', `Fix 2, exempt Bamboo's principal${exemption.works ? '' : ' (does NOT work here)'}: ${exemption.summary}`, `  Risk: ${exemption.risk}`);
    for (const p of exemption.policies) out.push(`  Policy diff (${p.name}):`, indent(p.diff));
    for (const c of exemption.commands) out.push(`  # ${c.title}`, `  ${c.command}`);
  }
  out.push('', 'Assumptions:', ...r.assumptions.map((a) => `  - ${a}`));
  return out.join('\n') + '\n';
}

export const scpCheckCommand: Command = {
  name: 'scp-check',
  summary: 'Evaluate service control policies for Bamboo elastic agents',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        policy: { type: 'string', multiple: true },
        principal: { type: 'string' },
        'http-tokens': { type: 'string' },
        'hop-limit': { type: 'string' },
        region: { type: 'string' },
        failure: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length) throw new UsageError('policies go after --policy');
    const files = values.policy ?? [];
    if (files.length === 0) throw new UsageError('give at least one --policy FILE');
    if (files.filter((f) => f === '-').length > 1 || (values.failure === '-' && files.includes('-')))
      throw new UsageError('standard input (-) can be read only once');
    let principal = values.principal;
    let tokens = values['http-tokens'];
    let hop = values['hop-limit'];
    let region = values.region;
    if (values.failure) {
      const facts = parseFailureText(await readInput(values.failure, io, 'failure file'));
      if (!facts.ok) throw new UsageError(`${values.failure}: ${facts.error.message}`);
      principal ??= facts.value.principalArn;
      tokens ??= facts.value.httpTokens;
      hop ??= facts.value.hopLimit === undefined ? undefined : String(facts.value.hopLimit);
      region ??= facts.value.region;
    }
    if (!principal) throw new UsageError('--principal ARN is required (the role or user Bamboo launches instances as)');
    if (!tokens || !['required', 'optional', 'absent'].includes(tokens)) throw new UsageError('--http-tokens must be required, optional or absent');
    if (!hop || !/^\d{1,2}$/.test(hop) || Number(hop) < 1 || Number(hop) > 64) throw new UsageError('--hop-limit must be a whole number from 1 to 64');
    const policies = [];
    for (const file of files) policies.push({ name: file === '-' ? 'stdin' : path.basename(file), text: await readInput(file, io, 'policy file') });
    const result = await checkScps({
      policies,
      principalArn: principal,
      httpTokens: tokens as HttpTokens,
      hopLimit: Number(hop),
      ...(region ? { region } : {}),
    });
    if (!result.ok) {
      io.stderr(errorLine('scp-check', result.error));
      return EXIT.USAGE;
    }
    io.stdout(values.json ? JSON.stringify(result.value, null, 2) + '\n' : renderReport(result.value));
    return result.value.verdict === 'allowed' ? EXIT.OK : EXIT.FAILED;
  },
};
