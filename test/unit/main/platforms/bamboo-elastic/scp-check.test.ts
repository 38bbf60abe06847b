import { describe, expect, it } from 'vitest';
import type { ScpCheckRequest, ScpReport } from '../../../../../shared/platforms/bamboo-elastic/contract';
import { checkScps } from '../../../../../main/platforms/bamboo-elastic/scp-check';
import {
  ALLOW_LIST_POLICY,
  BAMBOO_ROLE,
  BAMBOO_SESSION,
  EXEMPTED_POLICY,
  OTHER_ROLE,
  SEED_POLICY,
  STAR_RESOURCE_POLICY,
  text,
} from '../../../../support/scp-policies';

function request(over: Partial<ScpCheckRequest> = {}): ScpCheckRequest {
  return { policies: [{ name: 'imds-guardrail', text: text(SEED_POLICY) }], principalArn: BAMBOO_ROLE, httpTokens: 'optional', hopLimit: 1, ...over };
}

async function report(over: Partial<ScpCheckRequest> = {}): Promise<ScpReport> {
  const r = await checkScps(request(over));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const action = (r: ScpReport, name: string) => r.actions.find((a) => a.action === name)!;
const decidingSids = (r: ScpReport, name: string) => [...new Set(action(r, name).resources.flatMap((x) => x.deciding.map((d) => d.sid)))];

describe('scp-check: the seed policy (IMDSv2 guardrail)', () => {
  it('denies launching when HttpTokens is optional, naming the statement and the condition', async () => {
    const r = await report({ httpTokens: 'optional' });
    expect(r.verdict).toBe('denied');
    expect(decidingSids(r, 'ec2:RunInstances')).toEqual(['RequireImdsV2']);
    const instance = action(r, 'ec2:RunInstances').resources.find((x) => x.resourceType === 'instance')!;
    expect(instance.verdict).toBe('denied');
    expect(instance.deciding[0]!.conditions).toEqual([
      {
        operator: 'StringNotEquals',
        key: 'ec2:MetadataHttpTokens',
        policyValues: ['required'],
        requestValue: 'optional',
        matched: true,
        summary: 'StringNotEquals ec2:MetadataHttpTokens "required": the request has "optional"',
      },
    ]);
    expect(
      action(r, 'ec2:RunInstances')
        .resources.filter((x) => x.verdict !== 'allowed')
        .map((x) => x.resourceType),
    ).toEqual(['instance']);
  });

  it('denies launching when the request sets no metadata options at all (a missing key matches StringNotEquals)', async () => {
    const r = await report({ httpTokens: 'absent' });
    expect(r.verdict).toBe('denied');
    expect(action(r, 'ec2:RunInstances').summary).toContain('the request does not set ec2:MetadataHttpTokens');
  });

  it('allows launching with HttpTokens required and a hop limit up to 3', async () => {
    for (const hopLimit of [1, 2, 3]) expect((await report({ httpTokens: 'required', hopLimit })).verdict).toBe('allowed');
  });

  it('denies a hop limit over 3 even with HttpTokens required, naming the numeric condition', async () => {
    const r = await report({ httpTokens: 'required', hopLimit: 4 });
    expect(r.verdict).toBe('denied');
    expect(decidingSids(r, 'ec2:RunInstances')).toEqual(['MaxImdsHopLimit']);
    expect(action(r, 'ec2:RunInstances').summary).toContain('NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit "3": the request has "4"');
  });

  it('denies ec2:ModifyInstanceMetadataOptions whatever the settings, and says to set them at launch', async () => {
    const r = await report({ httpTokens: 'required', hopLimit: 2 });
    expect(r.verdict).toBe('allowed');
    expect(action(r, 'ec2:ModifyInstanceMetadataOptions').verdict).toBe('denied');
    expect(decidingSids(r, 'ec2:ModifyInstanceMetadataOptions')).toEqual(['NoImdsChanges']);
    expect(r.warnings.join(' ')).toContain('set them in the launch itself');
  });

  it('states what it assumes: an allow-all identity policy and FullAWSAccess beside deny-only SCPs', async () => {
    const r = await report();
    expect(r.assumptions.join(' ')).toMatch(/allow-all identity policy/);
    expect(r.assumptions.join(' ')).toMatch(/FullAWSAccess/);
  });
});

describe('scp-check: an exempted policy', () => {
  it('allows the exempt principal, by its role ARN or a session of that role, even with IMDSv1 and hop limit 10', async () => {
    for (const principalArn of [BAMBOO_ROLE, BAMBOO_SESSION]) {
      const r = await report({ policies: [{ name: 'exempted', text: text(EXEMPTED_POLICY) }], principalArn, httpTokens: 'optional', hopLimit: 10 });
      expect(r.verdict).toBe('allowed');
      expect(r.principalArnKey).toBe(BAMBOO_ROLE);
    }
  });

  it('still denies every other principal', async () => {
    const r = await report({ policies: [{ name: 'exempted', text: text(EXEMPTED_POLICY) }], principalArn: OTHER_ROLE, httpTokens: 'optional' });
    expect(r.verdict).toBe('denied');
    expect(decidingSids(r, 'ec2:RunInstances')).toEqual(['RequireImdsV2']);
  });
});

describe('scp-check: the fixes', () => {
  it('IMDSv2: required, with the highest hop limit the policy allows', async () => {
    const r = await report({ httpTokens: 'optional', hopLimit: 5 });
    expect(r.fixes.imdsv2).toMatchObject({ works: true, httpTokens: 'required', hopLimit: 3 });
    expect(r.fixes.imdsv2!.summary).toContain('the policies deny 5');
    expect(r.fixes.imdsv2!.risk).toMatch(/IMDSv2-capable/);
    expect(r.fixes.imdsv2!.commands[0]!.command).toContain('--metadata-options HttpTokens=required,HttpPutResponseHopLimit=3');
  });

  it('exemption: a StringNotLike aws:PrincipalARN on the denying statements, as a diff, checked both ways', async () => {
    const r = await report({ principalArn: BAMBOO_SESSION, httpTokens: 'optional', hopLimit: 5 });
    const fix = r.fixes.exemption!;
    expect(fix).toMatchObject({ works: true, exemptAllowed: true, othersDenied: true, principalPattern: BAMBOO_ROLE });
    expect(fix.policies.map((p) => [p.name, p.statements])).toEqual([['imds-guardrail', [1, 2]]]);
    expect(fix.policies[0]!.diff).toContain(`+        "StringNotLike": {\n+          "aws:PrincipalARN": [\n+            "${BAMBOO_ROLE}"`);
    expect(fix.risk).toMatch(/weakens the guardrail/);
    // The proposed policy, evaluated again: Bamboo allowed with IMDSv1, others still denied.
    const edited = [{ name: 'edited', text: fix.policies[0]!.text }];
    expect((await report({ policies: edited, httpTokens: 'optional', hopLimit: 5 })).verdict).toBe('allowed');
    expect((await report({ policies: edited, principalArn: OTHER_ROLE, httpTokens: 'optional' })).verdict).toBe('denied');
  });

  it('says when IMDSv2 alone cannot help: a Resource "*" rule also denies the image, subnet and the rest', async () => {
    const r = await report({ policies: [{ name: 'star', text: text(STAR_RESOURCE_POLICY) }], httpTokens: 'required', hopLimit: 1 });
    expect(r.verdict).toBe('denied');
    expect(
      action(r, 'ec2:RunInstances')
        .resources.filter((x) => x.verdict === 'denied')
        .map((x) => x.resourceType),
    ).toEqual(['image', 'subnet', 'network-interface', 'security-group', 'volume']);
    expect(r.fixes.imdsv2!.works).toBe(false);
    expect(r.fixes.exemption!.works).toBe(true);
  });

  it('an allow-list SCP without EC2 denies implicitly, and no exemption can fix it', async () => {
    const r = await report({ policies: [{ name: 'allow-list', text: text(ALLOW_LIST_POLICY) }], httpTokens: 'required' });
    expect(r.verdict).toBe('denied');
    expect(action(r, 'ec2:RunInstances').resources.every((x) => x.verdict === 'implicitly-denied')).toBe(true);
    expect(action(r, 'ec2:RunInstances').summary).toContain('No SCP statement allows ec2:RunInstances');
    expect(r.fixes.exemption!.works).toBe(false);
  });

  it('names the denying policy among several, and reads describe-policy output with its name', async () => {
    const described = JSON.stringify({ Policy: { PolicySummary: { Id: 'p-abc12345', Name: 'ImdsGuardrail' }, Content: JSON.stringify(SEED_POLICY) } });
    const r = await report({
      policies: [
        { name: 'Policy 1', text: text({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] }) },
        { name: 'Policy 2', text: described },
      ],
    });
    expect(r.verdict).toBe('denied');
    expect(action(r, 'ec2:RunInstances').resources[0]!.deciding[0]!.policy).toBe('ImdsGuardrail');
  });
});

describe('scp-check: bad input', () => {
  it.each([
    ['broken JSON', '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny",, }\n  ]\n}', /not valid JSON at line 4/],
    ['no Statement', '{"Version": "2012-10-17"}', /has no "Statement"/],
    [
      'a misspelt operator',
      text({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringNotEqual: { 'ec2:MetadataHttpTokens': 'required' } } }],
      }),
      /"StringNotEqual" is not an IAM condition operator \(did you mean StringNotEquals\?\)/,
    ],
    [
      'a non-numeric hop limit',
      text({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': 'three' } } },
        ],
      }),
      /is not a number/,
    ],
    [
      'an Effect that is not Allow or Deny',
      text({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'ec2:RunInstances', Resource: '*' }] }),
      /Effect must be present and exactly "Allow" or "Deny"/,
    ],
    [
      'a statement without Resource',
      text({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances' }] }),
      /Resource or NotResource is required/,
    ],
    ['a decoded failure pasted as a policy', JSON.stringify({ allowed: false, explicitDeny: true, matchedStatements: { items: [] } }), /has no "Statement"/],
    ['a string', '"just text"', /not a policy document/],
    ['nothing', '   ', /is empty/],
  ])('refuses %s with POLICY_MALFORMED and a clear message', async (_name, policyText, message) => {
    const r = await checkScps(request({ policies: [{ name: 'pasted', text: policyText }] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('POLICY_MALFORMED');
    expect(r.error.message).toMatch(message);
    expect(r.error.message).toContain('pasted');
  });

  it('refuses a principal that is not an ARN, and a hop limit out of range', async () => {
    for (const over of [{ principalArn: 'bamboo' }, { hopLimit: 65 }, { policies: [] }] as Partial<ScpCheckRequest>[]) {
      const r = await checkScps(request(over));
      expect(r.ok ? 'ok' : r.error.code).toBe('BAD_INPUT');
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await checkScps(request(), { signal: controller.signal });
    expect(r.ok ? 'ok' : r.error.code).toBe('CANCELLED');
  });

  it('reports progress while it works', async () => {
    const seen: string[] = [];
    await checkScps(request({ hopLimit: 5 }), { progress: (m) => seen.push(m) });
    expect(seen).toEqual([
      'Evaluating ec2:RunInstances',
      'Evaluating ec2:ModifyInstanceMetadataOptions',
      'Trying the IMDSv2 fix',
      'Trying the exemption fix',
      'Done',
    ]);
  });
});
