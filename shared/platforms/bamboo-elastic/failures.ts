/** Known failures of Bamboo elastic agents on EC2 (reference/platforms.md §3). */
import type { FixAction, KnownFailure } from '../types';

const DECODE =
  'Decode the "Encoded authorization failure message" with `aws sts decode-authorization-message --encoded-message <blob> --query DecodedMessage --output text | jq .` (needs sts:DecodeAuthorizationMessage), then paste the policies and the decoded failure into the policy analysis.';

/** The policy analysis, opened with the pasted error (it reads the principal and metadata settings from it). */
const SCP_CHECK: FixAction = {
  kind: 'open-step',
  step: 'configs',
  pasteInto: 'failureText',
  label: 'Check the service control policies',
  cli: 'check the service control policies: agent-onboard scp-check',
};

export const BAMBOO_ELASTIC_FAILURES: KnownFailure[] = [
  {
    id: 'bamboo-elastic-scp-deny',
    title: 'A service control policy denies launching the elastic agent',
    patterns: [
      /not\s+authorized\s+to\s+perform:\s+ec2:RunInstances\s+on\s+resource:\s+\S+\s+with\s+an\s+explicit\s+deny\s+in\s+a\s+service\s+control\s+policy/i,
      /explicit\s+deny\s+in\s+a\s+service\s+control\s+policy/i,
    ],
    cause:
      'An SCP of your AWS organization denies ec2:RunInstances for Bamboo\'s principal. Typical: an IMDSv2 guardrail that denies launches unless ec2:MetadataHttpTokens is "required" (or the hop limit is small), while Bamboo launches elastic instances without those metadata options.',
    fix: `Run the policy analysis with the SCPs, Bamboo's principal ARN and the metadata settings: it names the deciding statement and condition, and shows both fixes (launch with IMDSv2, or exempt Bamboo's principal) as a policy diff with its risk. ${DECODE}`,
    action: SCP_CHECK,
  },
  {
    id: 'bamboo-elastic-unauthorized-run-instances',
    title: 'AWS refused ec2:RunInstances for Bamboo (UnauthorizedOperation)',
    patterns: [
      // AWS CLI / boto: "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: …"
      /\(UnauthorizedOperation\)\s+when\s+calling\s+the\s+RunInstances\s+operation/i,
      // AWS SDK for Java (Bamboo's): "AmazonEC2Exception: You are not authorized … Encoded authorization failure message: …
      // (Service: AmazonEC2; Status Code: 403; Error Code: UnauthorizedOperation; Request ID: …)"
      /Encoded\s+authorization\s+failure\s+message[\s\S]{0,4000}?Error\s+Code:\s*UnauthorizedOperation/i,
      /AmazonEC2Exception[\s\S]{0,4000}?Error\s+Code:\s*UnauthorizedOperation/i,
      /UnauthorizedOperation[^.]{0,200}RunInstances/i,
    ],
    cause:
      "Bamboo's AWS principal may not launch the instance: its own IAM policy lacks a permission, or an SCP (or permission boundary) denies it — often an IMDSv2 rule on ec2:MetadataHttpTokens.",
    fix: `${DECODE} An explicit deny with no matched statements is typical of an SCP.`,
    action: SCP_CHECK,
  },
  {
    id: 'bamboo-elastic-instance-order-failed',
    title: 'Bamboo could not start an elastic agent instance',
    patterns: [/EC2\s+instance\s+order\s+for\s+image\s+ami-[0-9a-f]+\s+failed/i, /Elastic\s+Bamboo\s+Error:\s+EC2\s+Instance\s+failed\s+to\s+start/i],
    cause:
      'The EC2 launch request Bamboo sent failed. When the account is under an IMDSv2 service control policy, the launch is denied because it does not ask for HttpTokens=required; other causes are capacity, limits, or a missing AMI/subnet.',
    fix: `Find the AWS error under it in the Bamboo server log (UnauthorizedOperation … Encoded authorization failure message). ${DECODE}`,
    action: SCP_CHECK,
  },
];
