import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../main/cli/index';
import { BAMBOO_ROLE, BAMBOO_SESSION, EXEMPTED_POLICY, OTHER_ROLE, SEED_POLICY, text } from '../../../../support/scp-policies';

const dir = mkdtempSync(path.join(tmpdir(), 'scp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  writeFileSync(path.join(dir, name), content);
  return name;
};
const seed = file('imds-guardrail.json', text(SEED_POLICY));
const exempted = file('exempted.json', text(EXEMPTED_POLICY));

async function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['scp-check', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd: dir,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

const base = (policy: string, principal = BAMBOO_ROLE): string[] => ['--policy', policy, '--principal', principal];

describe('agent-onboard scp-check', () => {
  it('exits 0 when launching is allowed (IMDSv2, hop limit 2)', async () => {
    const r = await cli([...base(seed), '--http-tokens', 'required', '--hop-limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ec2:RunInstances: ALLOWED');
    expect(r.stdout).toContain('ec2:ModifyInstanceMetadataOptions: DENIED');
  });

  it('exits 1 when denied, naming the deciding statement and condition, and shows both fixes with the policy diff', async () => {
    const r = await cli([...base(seed), '--http-tokens', 'optional', '--hop-limit', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ec2:RunInstances: DENIED');
    expect(r.stdout).toContain('denied by imds-guardrail.json, statement 1 (RequireImdsV2)');
    expect(r.stdout).toContain('condition StringNotEquals ec2:MetadataHttpTokens "required": the request has "optional"');
    expect(r.stdout).toContain('Fix 1, launch with IMDSv2: Launch with HttpTokens=required and a hop limit of 1');
    expect(r.stdout).toContain(`+            "${BAMBOO_ROLE}"`);
    expect(r.stdout).toMatch(/Risk: It weakens the guardrail/);
    expect(r.stderr).toBe('');
  });

  it('exits 1 for a hop limit over 3, naming the numeric condition', async () => {
    const r = await cli([...base(seed), '--http-tokens', 'required', '--hop-limit', '4']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('condition NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit "3": the request has "4"');
  });

  it('the exempted policy: exit 0 for the exempt principal, 1 for others', async () => {
    expect((await cli([...base(exempted, BAMBOO_SESSION), '--http-tokens', 'optional', '--hop-limit', '1'])).code).toBe(0);
    expect((await cli([...base(exempted, OTHER_ROLE), '--http-tokens', 'optional', '--hop-limit', '1'])).code).toBe(1);
  });

  it('--json prints one JSON document with the verdict', async () => {
    const r = await cli([...base(seed), '--http-tokens', 'optional', '--hop-limit', '1', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { verdict: string; fixes: { exemption: { works: boolean } } };
    expect(doc.verdict).toBe('denied');
    expect(doc.fixes.exemption.works).toBe(true);
  });

  it('reads a policy from standard input, and fills the request from a decoded failure', async () => {
    const decoded = JSON.stringify({
      DecodedMessage: JSON.stringify({
        allowed: false,
        explicitDeny: true,
        matchedStatements: { items: [] },
        failures: { items: [] },
        context: {
          principal: { id: 'AROAEXAMPLE:i-0a1b2c3d4e5f67890', arn: BAMBOO_SESSION },
          action: 'ec2:RunInstances',
          resource: 'arn:aws:ec2:eu-west-1:123456789012:instance/*',
          conditions: {
            items: [
              { key: 'ec2:MetadataHttpTokens', values: { items: [{ value: 'optional' }] } },
              { key: 'ec2:MetadataHttpPutResponseHopLimit', values: { items: [{ value: '1' }] } },
            ],
          },
        },
      }),
    });
    const failure = file('decoded.json', decoded);
    const r = await cli(['--policy', '-', '--failure', failure, '--json'], text(SEED_POLICY));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { principalArn: string; region: string; settings: { httpTokens: string } };
    expect(doc).toMatchObject({ principalArn: BAMBOO_SESSION, region: 'eu-west-1', settings: { httpTokens: 'optional' } });
  });

  it('exits 2 with one line on stderr for a malformed policy, writing nothing on stdout', async () => {
    const broken = file(
      'broken.json',
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringNotEqual": {"ec2:MetadataHttpTokens": "required"}}}]}',
    );
    const r = await cli([...base(broken), '--http-tokens', 'optional', '--hop-limit', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('broken.json, Statement[0]: "StringNotEqual" is not an IAM condition operator (did you mean StringNotEquals?)');
  });

  it.each([
    [['--principal', BAMBOO_ROLE, '--http-tokens', 'optional', '--hop-limit', '1'], 'give at least one --policy FILE'],
    [['--policy', 'imds-guardrail.json', '--http-tokens', 'optional', '--hop-limit', '1'], '--principal ARN is required'],
    [['--policy', 'imds-guardrail.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'maybe', '--hop-limit', '1'], '--http-tokens must be'],
    [['--policy', 'imds-guardrail.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'optional', '--hop-limit', '65'], '--hop-limit must be'],
    [
      ['--policy', 'missing.json', '--principal', BAMBOO_ROLE, '--http-tokens', 'optional', '--hop-limit', '1'],
      'cannot read policy file missing.json: no such file',
    ],
    [
      ['--policy', 'imds-guardrail.json', '--principal', 'bamboo', '--http-tokens', 'optional', '--hop-limit', '1'],
      'principalArn: must be an IAM role or user ARN',
    ],
  ])('exits 2 for bad usage %#', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
