/**
 * Known Harness delegate failures (reference/platforms.md §5): the exact lines of the image's
 * connectivity_check.sh and start-up checks, and the ECS/Fargate errors, with cause and fix.
 */
import type { KnownFailure } from '../types';

export const HARNESS_FAILURES: KnownFailure[] = [
  {
    id: 'harness-connectivity-failed',
    title: 'The delegate cannot reach the Harness manager',
    patterns: [/Connectivity test failed\. Please check network connection from your delegate to Harness manager/i],
    cause:
      'The connectivity check (PRECHECK_CONN=true) got no HTTP answer from the manager: outbound HTTPS is blocked, the name does not resolve, or a proxy is needed.',
    fix: 'Allow outbound HTTPS (443) from the delegate host to the manager (app.harness.io or your vanity URL), check DNS, and set PROXY_HOST/PROXY_PORT/PROXY_SCHEME if traffic must go through a proxy. The Connectivity step tests this from here.',
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'harness-account-not-found',
    title: 'The manager does not know this account ID',
    patterns: [/Account ID: \S+ not found\. Stop launching delegate/i],
    cause:
      'The manager answered 401 for /api/account/<id>/status: ACCOUNT_ID is wrong, or MANAGER_HOST_AND_PORT points at another Harness cluster than the account lives on.',
    fix: 'Copy the account ID from Harness → Account Settings → Overview, and use the manager URL shown in the delegate install page (e.g. https://app.harness.io or https://app.harness.io/gratis). Then regenerate the delegate config.',
    action: { kind: 'open-step', step: 'details' },
  },
  {
    id: 'harness-manager-check-failed',
    title: 'The connection check to the manager failed (TLS)',
    patterns: [/Connection check to Harness manager failed\. Stop launching delegate/i],
    cause:
      'The delegate could not complete a TLS connection to the manager: usually a proxy or firewall that re-signs HTTPS with a company CA the delegate does not trust.',
    fix: "Mount your company's CA certificates into /opt/harness-delegate/ca-bundle (Helm: destinationCaPath or shared_certificates) so the delegate trusts them, or let the manager's traffic bypass TLS inspection.",
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'harness-working-dir-permissions',
    title: 'The delegate cannot write its working directory',
    patterns: [/Missing required write permissions for running user .{0,200}? on delegate working directory/i],
    cause:
      'The user the delegate runs as cannot write to its working directory (by default /opt/harness-delegate/), e.g. when it runs as non-root or the folder is read-only.',
    fix: 'Set WORKING_DIR to a writable path (for example an emptyDir or a volume owned by the delegate user), or run the container as a user that owns /opt/harness-delegate.',
  },
  {
    id: 'harness-upgrader-mismatch',
    title: 'The upgrader cannot find the delegate to upgrade',
    patterns: [
      /upgrader[\s\S]{0,300}?deployments?(?:\.apps)? "[^"]+" not found/i,
      /deployments?\.apps "[^"]+" not found[\s\S]{0,300}?upgrader/i,
      /upgrader[\s\S]{0,200}?container "?delegate"? not found/i,
    ],
    cause:
      'The upgrader\'s config names a workload or container that does not exist: workloadName must equal the delegate Deployment\'s name and containerName must be "delegate".',
    fix: 'Make workloadName in the <name>-upgrader-config ConfigMap equal the Deployment name, keep the container named "delegate", then kubectl apply the manifest again.',
  },
  {
    id: 'harness-fargate-logs',
    title: 'Fargate cannot create the CloudWatch log stream',
    patterns: [/ResourceInitializationError: failed to validate logger args/i, /AccessDeniedException[\s\S]{0,300}?logs:CreateLogGroup/i],
    cause: "The task's log configuration points at a CloudWatch log group that does not exist, and the task execution role may not create it.",
    fix: 'Create the log group named in logConfiguration (aws logs create-log-group --log-group-name /ecs/harness-delegate) or give the execution role logs:CreateLogGroup, then start the task again.',
  },
  {
    id: 'harness-token-revoked',
    title: 'The delegate token was revoked or is wrong',
    // The delegate's own lines (DelegateAgentServiceImpl): "Delegate used revoked token. It will be frozen and drained."
    // Only phrases that name the delegate: a bare "invalid token" is any agent's (Buildkite's 401 at /v3/register).
    patterns: [
      /Delegate used (invalid|expired|revoked) token/i,
      /delegate token[\s\S]{0,80}?(revoked|expired|invalid)/i,
      /DELEGATE_TOKEN[\s\S]{0,60}?(invalid|not valid)/i,
    ],
    cause: 'Harness disconnects and stops every delegate that uses a revoked token, and refuses an unknown one.',
    fix: 'Create a new delegate token (Account Settings → Delegates → Tokens), then rotate it into this install: every file that holds it is edited in place and backed up, with the restart commands for its install type.',
    action: { kind: 'rotate-token', platform: 'harness' },
  },
];
