import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../../../shared/diagnose';
import { exemptPrincipal } from '../../../../../shared/platforms/bamboo-elastic/exemption';
import { parseFailureText, principalArnKey } from '../../../../../shared/platforms/bamboo-elastic/failure-text';
import { baseOperator, parsePolicy } from '../../../../../shared/platforms/bamboo-elastic/policy';
import { BAMBOO_ROLE, BAMBOO_SESSION, SEED_POLICY, text } from '../../../../support/scp-policies';

// Shaped like reference/platforms.md §3 (decode-authorization-message output); our own values.
const inner = {
  allowed: false,
  explicitDeny: true,
  matchedStatements: { items: [] },
  failures: { items: [] },
  context: {
    principal: { id: 'AROAEXAMPLEID:i-0a1b2c3d4e5f67890', name: 'bamboo-elastic', arn: BAMBOO_SESSION },
    action: 'ec2:RunInstances',
    resource: 'arn:aws:ec2:eu-central-1:123456789012:instance/*',
    conditions: {
      items: [
        { key: 'ec2:InstanceMarketType', values: { items: [{ value: 'on-demand' }] } },
        { key: 'ec2:MetadataHttpTokens', values: { items: [{ value: 'optional' }] } },
        { key: 'ec2:MetadataHttpPutResponseHopLimit', values: { items: [{ value: '2' }] } },
        { key: 'aws:Region', values: { items: [{ value: 'eu-central-1' }] } },
      ],
    },
  },
};

describe('parsing the decoded authorization failure', () => {
  it('reads the CLI JSON (DecodedMessage as a string): principal, action, settings, region, SCP-like deny', () => {
    const r = parseFailureText(JSON.stringify({ DecodedMessage: JSON.stringify(inner) }));
    expect(r.ok && r.value).toMatchObject({
      source: 'decoded-message',
      principalArn: BAMBOO_SESSION,
      action: 'ec2:RunInstances',
      region: 'eu-central-1',
      httpTokens: 'optional',
      hopLimit: 2,
      allowed: false,
      explicitDeny: true,
      likelyScp: true,
    });
    expect(r.ok && r.value.context['ec2:InstanceMarketType']).toEqual(['on-demand']);
  });

  it('reads the inner JSON as `--output text | jq .` prints it, and says when no metadata options were sent', () => {
    const withoutKeys = { ...inner, context: { ...inner.context, conditions: { items: [inner.context.conditions.items[0]] } } };
    const r = parseFailureText(JSON.stringify(withoutKeys, null, 2));
    expect(r.ok && r.value.httpTokens).toBe('absent');
    expect(r.ok && r.value.hopLimit).toBeUndefined();
  });

  it('is not SCP-like when an identity statement that denies is disclosed', () => {
    const disclosed = { ...inner, matchedStatements: { items: [{ statementId: 'DenyAll', effect: 'DENY', conditions: { items: [] } }] } };
    const r = parseFailureText(JSON.stringify(disclosed));
    expect(r.ok && r.value.likelyScp).toBe(false);
    expect(r.ok && r.value.matchedStatements).toEqual([{ statementId: 'DenyAll', effect: 'DENY', conditions: [] }]);
  });
});

describe('parsing the agent and AWS error text', () => {
  const log = [
    '2026-03-02 10:15:01,442 ERROR [elasticInstanceManagementThread] [RemoteEC2InstanceImpl] Elastic Bamboo Error: EC2 Instance failed to start: EC2 instance order for image ami-0abc1234def567890 failed.',
    'com.amazonaws.services.ec2.model.AmazonEC2Exception: You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/bamboo-elastic/i-0a1b2c3d4e5f67890',
    ' is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-west-2:123456789012:instance/* with an explicit deny in a service control policy. Encoded authorization failure message: AbCdEf0123456789_-AbCdEf0123456789xyz (Service: AmazonEC2; Status Code: 403; Error Code: UnauthorizedOperation)',
  ].join('\n');

  it('finds the image, principal, action, resource, region, the SCP deny and the blob to decode', () => {
    const r = parseFailureText(log);
    expect(r.ok && r.value).toMatchObject({
      source: 'error-text',
      imageId: 'ami-0abc1234def567890',
      principalArn: BAMBOO_SESSION,
      action: 'ec2:RunInstances',
      resource: 'arn:aws:ec2:us-west-2:123456789012:instance/*',
      region: 'us-west-2',
      explicitDeny: true,
      deniedBy: 'service control policy',
      likelyScp: true,
      encodedMessage: 'AbCdEf0123456789_-AbCdEf0123456789xyz',
    });
    expect(r.ok && r.value.decodeCommand).toBe(
      'aws sts decode-authorization-message --encoded-message AbCdEf0123456789_-AbCdEf0123456789xyz --query DecodedMessage --output text | jq .',
    );
  });

  it('refuses text that is neither, saying what to paste', () => {
    for (const t of ['hello', '{"Version": "2012-10-17", "Statement": []}', '']) {
      const r = parseFailureText(t);
      expect(r.ok ? 'parsed' : r.error.code).toBe('UNKNOWN_FORMAT');
    }
  });
});

describe('principals and policies', () => {
  it('maps a role session to its role for aws:PrincipalArn, and leaves roles and users alone', () => {
    expect(principalArnKey(BAMBOO_SESSION)).toBe(BAMBOO_ROLE);
    expect(principalArnKey(BAMBOO_ROLE)).toBe(BAMBOO_ROLE);
    expect(principalArnKey('arn:aws:iam::123456789012:user/bamboo')).toBe('arn:aws:iam::123456789012:user/bamboo');
    expect(principalArnKey('arn:aws-us-gov:sts::123456789012:assumed-role/r/s')).toBe('arn:aws-us-gov:iam::123456789012:role/r');
  });

  it('knows IAM operators with their set and IfExists forms', () => {
    for (const op of [
      'StringNotEquals',
      'StringNotEqualsIfExists',
      'ForAnyValue:StringLike',
      'ForAllValues:ArnNotLikeIfExists',
      'Null',
      'NumericGreaterThan',
      'Bool',
    ])
      expect(baseOperator(op)).toBeDefined();
    for (const op of ['StringNotEqual', 'NullIfExists', 'ForSomeValues:StringLike', 'stringequals', '']) expect(baseOperator(op)).toBeUndefined();
  });

  it('reads describe-policy output with the policy name, and a single statement object', () => {
    const r = parsePolicy(
      JSON.stringify({
        Policy: { PolicySummary: { Name: 'Guardrails' }, Content: JSON.stringify({ Version: '2012-10-17', Statement: SEED_POLICY.Statement[0] }) },
      }),
      'Policy 1',
    );
    expect(r.ok && r.value.name).toBe('Guardrails');
  });

  it('exemption: adds the principal to the denying statements once, keeps other conditions, twice gives the same policy', () => {
    const once = exemptPrincipal('g', SEED_POLICY, [1, 2], BAMBOO_ROLE);
    expect(once.statements).toEqual([1, 2]);
    expect(once.document.Statement).toMatchObject([
      { Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' }, StringNotLike: { 'aws:PrincipalARN': [BAMBOO_ROLE] } } },
      { Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '3' }, StringNotLike: { 'aws:PrincipalARN': [BAMBOO_ROLE] } } },
      { Sid: 'NoImdsChanges' },
    ]);
    expect((once.document.Statement as Record<string, unknown>[])[2]).toEqual(SEED_POLICY.Statement[2]);
    const twice = exemptPrincipal('g', once.document, [1, 2], BAMBOO_ROLE);
    expect(twice.statements).toEqual([]);
    expect(twice.text).toBe(once.text);
    expect(twice.diff).toBe('');
  });

  it('exemption: appends to an existing StringNotLike principal list (any key case)', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: 'ec2:RunInstances',
          Resource: '*',
          Condition: { StringNotLike: { 'aws:principalarn': 'arn:aws:iam::123456789012:role/admin' } },
        },
      ],
    };
    const r = exemptPrincipal('g', doc, [1], BAMBOO_ROLE);
    expect(r.document.Statement).toMatchObject([
      { Condition: { StringNotLike: { 'aws:principalarn': ['arn:aws:iam::123456789012:role/admin', BAMBOO_ROLE] } } },
    ]);
    expect(text(doc)).not.toContain(BAMBOO_ROLE);
  });
});

describe('diagnose: Bamboo failures in real-looking logs', () => {
  it('the missing security token, wrapped over time-stamped wrapper lines, leads to the wrapper.conf fix', () => {
    const log = [
      'STATUS | wrapper  | 2026/03/02 09:00:00 | Launching a JVM...',
      'INFO   | jvm 1    | 2026/03/02 09:00:02 | 2026-03-02 09:00:02,118 INFO [main] [AgentBootstrap] Requesting bootstrap information from https://bamboo.example.com/agentServer/...',
      'INFO   | jvm 1    | 2026/03/02 09:00:02 | 2026-03-02 09:00:02,311 FATAL [main] [AgentBootstrap] Security token is required for preliminary',
      'INFO   | jvm 1    | 2026/03/02 09:00:02 | authentication, but none was provided',
    ].join('\r\n');
    const found = diagnose(log);
    expect(found.map((d) => [d.platform, d.failure.id, d.failure.action])).toEqual([
      ['bamboo-remote', 'bamboo-security-token-missing', expect.objectContaining({ kind: 'rotate-token', platform: 'bamboo-remote' })],
    ]);
  });

  it('the broker failure names the broker URL fix', () => {
    const found = diagnose(
      '2026-03-02 09:05:00,001 WARN [ActiveMQ Task-1] [FailoverTransport] Failed to connect to [ssl://bamboo-server:54663?socket.verifyHostName=false&wireFormat.maxInactivityDuration=90000] after: 10 attempt(s) continuing to retry.',
      'bamboo-remote',
    );
    expect(found.map((d) => d.failure.id)).toEqual(['bamboo-broker-unreachable']);
  });

  it('the elastic launch failure leads to the SCP check', () => {
    const found = diagnose(
      'Elastic Bamboo Error: EC2 Instance failed to start: EC2 instance order for image ami-0abc1234def567890 failed. ... with an explicit deny in a service control policy',
    );
    expect(found.map((d) => d.failure.id)).toEqual(['bamboo-elastic-scp-deny', 'bamboo-elastic-instance-order-failed']);
    expect(
      found.every(
        (d) =>
          d.failure.action?.kind === 'open-step' &&
          d.failure.action.pasteInto === 'failureText' &&
          d.failure.action.label === 'Check the service control policies',
      ),
    ).toBe(true);
  });
});
