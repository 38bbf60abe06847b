/**
 * Our own SCPs for the elastic-agent tests, modelled on reference/platforms.md §3: the typical
 * IMDSv2 guardrail (deny RunInstances unless HttpTokens is required; deny a hop limit over 3;
 * deny changing metadata options after launch) and variants of it.
 */

export const ACCOUNT = '123456789012';
export const BAMBOO_ROLE = `arn:aws:iam::${ACCOUNT}:role/bamboo-elastic`;
export const BAMBOO_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/bamboo-elastic/i-0a1b2c3d4e5f67890`;
export const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/ci-deployer`;

const INSTANCES = 'arn:aws:ec2:*:*:instance/*';

/** The seed's policy: three statements, as an organization would attach it. */
export const SEED_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'RequireImdsV2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCES,
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    },
    {
      Sid: 'MaxImdsHopLimit',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCES,
      Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '3' } },
    },
    { Sid: 'NoImdsChanges', Effect: 'Deny', Action: 'ec2:ModifyInstanceMetadataOptions', Resource: '*' },
  ],
};

/** The seed's policy with Bamboo's role exempted from the two launch rules (written by hand). */
export const EXEMPTED_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'RequireImdsV2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCES,
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' }, StringNotLike: { 'aws:PrincipalARN': [BAMBOO_ROLE] } },
    },
    {
      Sid: 'MaxImdsHopLimit',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCES,
      Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '3' }, StringNotLike: { 'aws:PrincipalARN': [BAMBOO_ROLE] } },
    },
    { Sid: 'NoImdsChanges', Effect: 'Deny', Action: 'ec2:ModifyInstanceMetadataOptions', Resource: '*' },
  ],
};

/** A careless variant: Resource "*" makes the rule deny the image, subnet… too, where the key never exists. */
export const STAR_RESOURCE_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } } }],
};

/** An allow-list SCP that does not list EC2 (so nothing in EC2 is allowed). */
export const ALLOW_LIST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'OnlyS3', Effect: 'Allow', Action: 's3:*', Resource: '*' }],
};

/** Pretty JSON as a person would paste it. */
export function text(policy: unknown): string {
  return JSON.stringify(policy, null, 2);
}
