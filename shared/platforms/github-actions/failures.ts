/**
 * Known runner and ARC failures, matched on the exact lines the runner prints
 * (reference/next-platforms.md B1: actions/runner ConfigurationManager.cs, MessageListener.cs,
 * BrokerMessageListener.cs, Runner.cs; actions/runner#1748, #3241, #3328, #1286; ARC #3269,
 * #3615, #3935).
 */
import type { KnownFailure } from '../types';

export const GITHUB_FAILURES: KnownFailure[] = [
  {
    id: 'github-registration-404',
    title: 'The registration token was refused (expired or wrong)',
    patterns: [/Http response code: NotFound from 'POST https?:\/\/[^']*\/actions\/runner-registration'/, /NotFound from 'POST [^']*runner-registration'/],
    cause:
      'GitHub answers a bare 404 from runner-registration when the token is not a live registration token for this URL: it expired (a registration token lives one hour), it is a remove token, or it was made for another repository or organization than --url.',
    fix: 'Get a fresh token on the New self-hosted runner page of exactly the repository or organization in --url (or use a PAT with --pat), and configure within the hour.',
    action: { kind: 'open-step', step: 'credentials' },
    // config.sh prints it when GitHub refuses the registration: that hop, not the runner's start.
    hop: 'registered',
  },
  {
    id: 'github-already-configured',
    title: 'The runner folder is already configured',
    patterns: [/Cannot configure the runner because it is already configured\./],
    cause: 'The folder holds a .runner file from an earlier configuration; config.sh never overwrites it.',
    fix: 'Re-register instead: stop and uninstall the service, ./config.sh remove (with a remove token or a PAT), then configure again with --replace. If GitHub already deleted the runner, move .runner, .credentials and .credentials_rsaparams aside instead of running remove.',
  },
  {
    id: 'github-registration-deleted',
    title: 'GitHub deleted the runner registration',
    patterns: [
      /Failed to create a session\. The runner registration has been deleted from the server, please re-configure\./,
      /Registration was not found or is not medium trust/,
    ],
    cause:
      'GitHub deletes a self-hosted runner that has not connected for 14 days (an ephemeral one after a day). Its local files still name the old registration, so it can neither connect nor be removed with a remove token (GitHub no longer offers one for it).',
    fix: 'Stop the service, move .runner, .credentials and .credentials_rsaparams aside (no config.sh remove: there is nothing left to remove), then configure again with a new registration token and --replace, and start the service. Agent Onboard writes this as reregister-runner.sh.',
  },
  {
    id: 'github-session-exists',
    title: 'Two runners use the same registration (a cloned VM?)',
    patterns: [/A session for this runner already exists\./],
    cause:
      'Another machine runs with the same .runner and .credentials — usually a VM or container cloned from a configured runner — and GitHub allows one session per runner.',
    fix: 'Keep one of them. On the clone, stop the runner, move its registration files aside and configure it as a new runner with its own name; never clone a configured runner folder (configure after cloning, or use ephemeral runners).',
  },
  {
    id: 'github-connect-error',
    title: 'The runner cannot reach GitHub',
    patterns: [/Runner connect error: [^\n]*Retrying until reconnected\./],
    cause:
      'The runner lost its connection to the Actions service: DNS, a firewall, the proxy (https_proxy/no_proxy in the runner .env) or TLS interception without the company CA.',
    fix: "Check the endpoints on the Connectivity step from the runner host (github.com, api.github.com, *.actions.githubusercontent.com); put the proxy in the runner folder's .env and restart the service.",
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'github-arc-bad-credentials',
    title: 'ARC: GitHub refused the credentials (401)',
    patterns: [/\b401\b[^\n]{0,200}Bad credentials/i, /Bad credentials[^\n]{0,200}\b401\b/i],
    cause:
      "The listener's GitHub credential was refused: the PAT expired or was revoked, or the GitHub App's ID and private key do not belong together, or the app is owned by a user account rather than installed on the organization in githubConfigUrl.",
    fix: 'Check the Secret named by githubConfigSecret: github_app_id and github_app_private_key must be the same app, installed on the organization in githubConfigUrl (or a valid PAT in github_token). Apply the fixed Secret and restart the listener pod.',
  },
  {
    id: 'github-arc-not-found',
    title: 'ARC: GitHub answered 404 (app not installed there, or wrong URL)',
    patterns: [
      /RunnerScaleSetNotFoundException/,
      /(?:installation|access token|registration token)[^\n]{0,200}\b404\b/i,
      /\b404\b[^\n]{0,200}Not Found[^\n]{0,200}(?:installation|registration-token|runner)/i,
    ],
    cause:
      'The GitHub App is not installed on the organization or repository in githubConfigUrl (or the installation ID belongs to another account), the URL is wrong, or the scale set was deleted on GitHub.',
    fix: "Install the app on the organization in githubConfigUrl (Settings → GitHub Apps), put that installation's ID in github_app_installation_id, and check the URL; then restart the listener.",
  },
];
