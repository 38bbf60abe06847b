/**
 * What the Export step packs for Bamboo elastic agents, whose outcome is an analysis rather than
 * agent files: the report (in words and as JSON), each pasted policy as given, each exemption's
 * full new policy, and a patch per policy that `patch` applies to the user's file as given.
 */
import type { ScpReport } from '../../../shared/platforms/bamboo-elastic/contract';
import { bambooElasticAnswers } from '../../../shared/platforms/bamboo-elastic';
import { parsePolicy, policyFileName } from '../../../shared/platforms/bamboo-elastic/policy';
import { scpReportText } from '../../../shared/platforms/bamboo-elastic/report-text';
import type { Command } from '../../../shared/platforms/types';
import { err, ok, type Result } from '../../../shared/result';
import type { BundleFile } from '../../services/bundle';
import { checkScps } from './scp-check';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

function file(path: string, text: string, description: string): BundleFile {
  return { path, data: enc(text), mode: 0o644, secret: false, description };
}

/** The bundle's commands: each fix's, with the new policy read from fixed/ in the bundle. */
function commandsOf(report: ScpReport, files: Record<string, string>): Command[] {
  const out: Command[] = [...(report.fixes.imdsv2?.commands ?? [])];
  for (const p of report.fixes.exemption?.policies ?? []) {
    const f = files[p.name]!;
    out.push({
      title: `Check that the patch applies to ${p.name} as you gave it (nothing is changed; use your own copy of it the same way)`,
      command: `patch --dry-run policies/${f} patches/${f}.diff`,
    });
    out.push({
      title: `Update ${p.name} in AWS Organizations with the whole new policy`,
      command: `aws organizations update-policy --policy-id <policy-id> --content file://fixed/${f}`,
    });
  }
  return out;
}

/**
 * Runs the analysis of the draft's answers (the policies pasted on the Configs step and the
 * Details settings) and returns the bundle's files, commands and notes. Failure codes: BAD_INPUT
 * (the Details are not complete, or no policy was pasted), and those of checkScps
 * (POLICY_MALFORMED, CANCELLED).
 */
export async function scpAnalysisParts(
  rawAnswers: unknown,
  signal?: AbortSignal,
): Promise<Result<{ files: BundleFile[]; commands: Command[]; notes: string[] }>> {
  const parsed = bambooElasticAnswers.safeParse(rawAnswers);
  if (!parsed.success)
    return err(
      'BAD_INPUT',
      `The Details step has problems: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      'Go back to Details and fix them.',
    );
  const a = parsed.data;
  const policies = a.policies.map((text, i) => ({ name: `Policy ${i + 1}`, text })).filter((p) => p.text.trim());
  if (policies.length === 0)
    return err(
      'BAD_INPUT',
      'No service control policy was pasted, so there is no analysis to pack.',
      'Paste the policies on the Configs step and check them first.',
    );
  const report = await checkScps(
    { policies, principalArn: a.principalArn, httpTokens: a.httpTokens, hopLimit: a.hopLimit, region: a.region },
    signal ? { signal } : {},
  );
  if (!report.ok) return report;

  // The policies as the user has them, under the names the report uses (checkScps names repeats "<name> (n)").
  const given: { name: string; source: string }[] = [];
  for (const [i, p] of policies.entries()) {
    const r = parsePolicy(p.text, p.name);
    if (!r.ok) return r;
    const name = given.some((g) => g.name === r.value.name) ? `${r.value.name} (${i + 1})` : r.value.name;
    given.push({ name, source: r.value.source });
  }
  const names: Record<string, string> = {};
  for (const g of given) {
    let f = policyFileName(g.name);
    for (let n = 2; Object.values(names).includes(f); n++) f = policyFileName(`${g.name}-${n}`);
    names[g.name] = f;
  }
  const files: BundleFile[] = [
    file('scp-report.txt', scpReportText(report.value, names), 'The analysis in words: verdicts, deciding statements, both fixes and their risks'),
    file('scp-report.json', `${JSON.stringify(report.value, null, 2)}\n`, 'The analysis as JSON'),
    ...given.map((g) => file(`policies/${names[g.name]}`, g.source, `${g.name} as you gave it`)),
  ];
  for (const p of report.value.fixes.exemption?.policies ?? []) {
    const f = names[p.name]!;
    files.push(file(`fixed/${f}`, p.text, `${p.name} with Bamboo's principal exempted (the whole policy)`));
    files.push(file(`patches/${f}.diff`, p.diff, `Patch for ${p.name} as you gave it: patch YOUR-FILE patches/${f}.diff`));
  }
  const notes = [
    `Launching elastic agents is ${report.value.verdict} for ${report.value.principalArn}.`,
    ...(report.value.fixes.imdsv2 ? [`Fix 1: ${report.value.fixes.imdsv2.summary}`] : []),
    ...(report.value.fixes.exemption ? [`Fix 2: ${report.value.fixes.exemption.summary}`] : []),
    'policies/ holds each policy as you gave it; patches/ applies to those files with patch; fixed/ holds each whole new policy.',
  ];
  return ok({ files, commands: commandsOf(report.value, names), notes });
}
