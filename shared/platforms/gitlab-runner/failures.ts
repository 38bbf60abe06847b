/**
 * Known GitLab Runner failures, from the runner's own log lines (gitlab-runner commands/register.go,
 * commands/multi.go, network/gitlab.go; reference/next-platforms.md B2 and its pain points).
 */
import type { KnownFailure } from '../types';

export const GITLAB_RUNNER_FAILURES: KnownFailure[] = [
  {
    id: 'gitlab-runner-token-not-valid',
    title: 'GitLab does not accept the runner token',
    patterns: [/Verifying runner\.\.\.\s*is not valid/i, /Verifying runner\.\.\.\s*is removed/i],
    cause:
      'POST /api/v4/runners/verify refused the token in config.toml: the runner was deleted in GitLab, the token was reset there or expired, or the token belongs to another GitLab instance.',
    fix: 'In GitLab → Settings → CI/CD → Runners, open the runner (or create a new one) and copy its glrt- token; rotate it into config.toml. No restart is needed: the runner reloads config.toml within 3 seconds.',
    action: { kind: 'rotate-token', platform: 'gitlab-runner' },
  },
  {
    id: 'gitlab-runner-jobs-forbidden',
    title: 'GitLab refuses the runner when it asks for jobs',
    patterns: [/Checking for jobs\.\.\.\s*forbidden/i],
    cause: 'POST /api/v4/jobs/request answered 403: the runner token is no longer valid (reset, expired or the runner was deleted in GitLab).',
    fix: "Get the runner's current token from GitLab (or run `sudo gitlab-runner reset-token --name <runner>` while the old one still works) and rotate it into config.toml.",
    action: { kind: 'rotate-token', platform: 'gitlab-runner' },
  },
  {
    id: 'gitlab-runner-registration-forbidden',
    title: 'Registration with a registration token was refused',
    patterns: [/Registering runner\.\.\.\s*forbidden \(check registration token\)/i],
    cause:
      'The legacy registration token (GR1348941…) is wrong, or registration tokens are turned off on this GitLab (the default since GitLab 17.0; they are deprecated).',
    fix: 'Create the runner in GitLab (Settings → CI/CD → Runners → New runner) and register with its runner authentication token: gitlab-runner register --url <GitLab URL> --token glrt-… (or let this app write config.toml with it).',
    action: { kind: 'open-step', step: 'credentials' },
  },
  {
    id: 'gitlab-runner-reserved-options',
    title: 'Tags, locked or run-untagged were passed with an authentication token',
    patterns: [
      /Runner configuration other than name and executor configuration is reserved/i,
      /cannot be specified when registering with a runner authentication token/i,
    ],
    cause:
      "With a glrt- token the runner's tags, locked, run-untagged, access level, maximum timeout, paused state and maintenance note belong to GitLab; gitlab-runner register stops when any of --tag-list, --locked, --run-untagged, --access-level, --maximum-timeout, --paused or --maintenance-note is given.",
    fix: 'Remove those flags from the register command (or from your automation) and set the values on the runner in GitLab → Settings → CI/CD → Runners → edit.',
  },
  {
    id: 'gitlab-runner-legacy-compatible',
    title: 'A glrt- token was passed as a registration token',
    patterns: [/legacy-compatible registration process/i],
    cause:
      'A runner authentication token was given with --registration-token: the runner switched to the legacy-compatible flow and silently ignored tags, locked and run-untagged.',
    fix: 'Register with --token glrt-… instead of --registration-token, and set tags and the other options in GitLab.',
  },
  {
    id: 'gitlab-runner-unknown-authority',
    title: "The runner does not trust GitLab's certificate",
    patterns: [/x509: certificate signed by unknown authority/i, /x509: certificate is not valid for any names|x509: certificate is valid for [^\n]* not /i],
    cause: 'GitLab (or a TLS-inspecting proxy in between) presents a certificate from a CA the runner does not trust, e.g. a company CA.',
    fix: 'Put the company CA (PEM) on the runner host and set tls-ca-file = "/etc/gitlab-runner/certs/company-ca.crt" in the runner\'s [[runners]] entry (the Connectivity step can trust it and the Configs step writes it); never turn verification off.',
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'gitlab-runner-unavailable',
    title: 'GitLab cannot be reached',
    patterns: [/GitLab instance currently unavailable/i, /Checking for jobs\.\.\.\s*failed/i, /proxyconnect tcp:/i],
    cause:
      'The runner cannot reach the GitLab URL: DNS, a firewall, a missing or wrong proxy (systemd drop-in for gitlab-runner.service), or GitLab itself is down.',
    fix: 'Run the Connectivity step against the GitLab URL (through the proxy, if any); set the proxy in /etc/systemd/system/gitlab-runner.service.d/http-proxy.conf, then systemctl daemon-reload && systemctl restart gitlab-runner.',
    action: { kind: 'open-step', step: 'connectivity' },
  },
];
