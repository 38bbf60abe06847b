/**
 * The policy analysis in words, for the exported bundle (scp-report.txt): the verdict per action
 * with the deciding statements and their conditions, the warnings, both fixes with their risks,
 * and what the analysis assumed. Pure: the same report always gives the same text.
 */
import type { DecidingStatement, ScpReport } from './contract';

function deciding(d: DecidingStatement): string[] {
  const head = `    ${d.policy}, statement ${d.statementIndex}${d.sid ? ` (${d.sid})` : ''}: ${d.effect}`;
  const conditions = d.conditions.length
    ? d.conditions.map(
        (c) =>
          `      ${c.operator} ${c.key} ${c.policyValues.map((v) => JSON.stringify(v)).join(', ')}: ${c.requestValue === null ? 'the request does not set it' : `the request has ${JSON.stringify(c.requestValue)}`}`,
      )
    : ['      no condition: it always denies'];
  return [head, ...conditions];
}

/** scp-report.txt: what decided, and the two ways to fix it. */
export function scpReportText(report: ScpReport, policyFiles: Record<string, string> = {}): string {
  const out = [
    'Agent Onboard — Bamboo elastic agents: service control policy analysis',
    '',
    `Principal: ${report.principalArn} (aws:PrincipalArn ${report.principalArnKey}), account ${report.account}, region ${report.region}`,
    `Launch settings: HttpTokens ${report.settings.httpTokens}, hop limit ${report.settings.hopLimit}`,
    '',
    `Verdict: launching elastic agents is ${report.verdict}.`,
  ];
  for (const a of report.actions) {
    out.push('', `${a.action}: ${a.verdict}. ${a.summary}`);
    for (const r of a.resources) {
      out.push(`  ${r.resourceType}: ${r.verdict === 'implicitly-denied' ? 'denied (no SCP allows it)' : r.verdict}`);
      for (const d of r.deciding) out.push(...deciding(d));
    }
  }
  for (const w of report.warnings) out.push('', `Warning: ${w}`);
  const { imdsv2, exemption } = report.fixes;
  if (imdsv2 || exemption) out.push('', 'Two ways to fix it');
  if (imdsv2) {
    out.push('', `1. Launch with IMDSv2${imdsv2.works ? ' (recommended)' : ' (not enough on its own)'}`, `   ${imdsv2.summary}`, `   Risk: ${imdsv2.risk}`);
    for (const c of imdsv2.commands) out.push(`   - ${c.title}:`, `     ${c.command}`);
  }
  if (exemption) {
    out.push('', `2. Exempt Bamboo's principal${exemption.works ? '' : ' (does not work here)'}`, `   ${exemption.summary}`, `   Risk: ${exemption.risk}`);
    for (const p of exemption.policies) {
      const file = policyFiles[p.name];
      out.push(
        `   ${p.name}: statement${p.statements.length > 1 ? 's' : ''} ${p.statements.join(', ')} changed${file ? `; the whole new policy is fixed/${file}, the patch for the policy as you gave it is patches/${file}.diff` : ''}.`,
      );
    }
  }
  out.push('', 'What this assumes', ...report.assumptions.map((a) => `  - ${a}`), '');
  return out.join('\n');
}
