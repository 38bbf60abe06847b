/**
 * Known Buildkite agent failures (reference/platforms.md §4): the agent's own messages for a
 * missing token or build path, registration retries, scoped-token 403s, and cfg keys the agent
 * silently ignores.
 */
import type { KnownFailure } from '../types';

export const BUILDKITE_FAILURES: KnownFailure[] = [
  {
    id: 'buildkite-missing-token',
    title: 'The agent has no token',
    patterns: [/Missing token\. See: `?buildkite-agent start --help`?/i],
    cause: 'Neither buildkite-agent.cfg (token=…), BUILDKITE_AGENT_TOKEN nor --token gives the agent its token, or the value is empty.',
    fix: 'Set token="…" in buildkite-agent.cfg (or BUILDKITE_AGENT_TOKEN) to an agent token of your cluster (Agents → your cluster → Agent Tokens), then restart the agent.',
    action: { kind: 'rotate-token', platform: 'buildkite' },
  },
  {
    id: 'buildkite-missing-build-path',
    title: 'The agent has no build path',
    patterns: [/Missing build-path\. See: `?buildkite-agent start --help`?/i],
    cause: 'build-path is required and is not set in buildkite-agent.cfg, BUILDKITE_BUILD_PATH or --build-path.',
    fix: 'Add build-path="/var/lib/buildkite-agent/builds" (a folder the agent user can write) to buildkite-agent.cfg, then restart the agent.',
    action: { kind: 'open-step', step: 'details' },
  },
  {
    id: 'buildkite-register-unauthorized',
    title: 'The agent token was refused at registration',
    patterns: [/\/v3\/register:\s*40[13]\b/i, /register[^\n]{0,80}?401 Unauthori[sz]ed/i, /\/register:?\s*401\b/i],
    cause:
      'POST /v3/register answered 401: the token is not a valid agent token — revoked, expired, from another organization or cluster, or another kind of token (an API token bkua_…, a session token bkaa_…).',
    fix: 'Create an agent token in Agents → your cluster → Agent Tokens (it is shown once), rotate it into this install, and restart the agent.',
    action: { kind: 'rotate-token', platform: 'buildkite' },
  },
  {
    id: 'buildkite-register-unreachable',
    title: 'The agent cannot reach the Agent API to register',
    patterns: [
      /\/register:?[^\n]{0,120}?(dial tcp|no such host|i\/o timeout|connection refused|TLS handshake timeout|x509:)/i,
      /(dial tcp|no such host|i\/o timeout)[^\n]{0,200}?\(Attempt \d+\/30/i,
    ],
    cause:
      'Registration is retried every 10 s for up to 30 attempts and then the agent exits: outbound HTTPS to agent-edge.buildkite.com (or agent.buildkite.com) is blocked, DNS fails, or a proxy intercepts TLS.',
    fix: "Allow outbound HTTPS (443) to agent-edge.buildkite.com and agent.buildkite.com, set HTTPS_PROXY if one is required, and trust the proxy's CA if it re-signs TLS. The Connectivity step tests this.",
    action: { kind: 'open-step', step: 'connectivity' },
  },
  {
    id: 'buildkite-register-retrying',
    title: 'Registration keeps failing and is being retried',
    patterns: [/POST [^\s]*\/register[^\n]{0,200}?\(Attempt \d+\/30/i],
    cause:
      'The agent retries registration every 10 s, 30 times (5 minutes), then exits. The error before "(Attempt …)" says why: 401 is the token, a network error is egress.',
    fix: 'Read the error in front of "(Attempt n/30 …)": for 401 rotate the agent token; for a network error open outbound HTTPS to the Agent API.',
  },
  {
    id: 'buildkite-scoped-token-forbidden',
    title: 'A scoped agent token lacks a permission',
    patterns: [/403 Forbidden[^\n]{0,200}?(permission|scope)/i, /(permission|scope)[^\n]{0,200}?403 Forbidden/i],
    cause: 'The agent token is a scoped token without the permission this Agent API call needs; the 403 names the missing permission.',
    fix: "Give the token the missing permission in the cluster's Agent Tokens settings (or create a token with it), rotate it in, and restart the agent.",
    action: { kind: 'rotate-token', platform: 'buildkite' },
  },
  {
    id: 'buildkite-ignored-keys',
    title: 'A cfg key the agent silently ignores',
    patterns: [/(?<!#\s?)(?<![\w-])(additional-hooks-path|tags-from-ec2|tags-from-gcp|no-automatic-ssh-fingerprint-verification)\s*=/],
    cause:
      'The agent only looks up the keys it knows, so a misspelt or obsolete key (additional-hooks-path, tags-from-ec2, tags-from-gcp, no-automatic-ssh-fingerprint-verification) does nothing and no error is printed.',
    fix: 'Use the current names: additional-hooks-paths (plural), tags-from-ec2-meta-data / tags-from-ec2-tags, tags-from-gcp-meta-data / tags-from-gcp-labels; drop no-automatic-ssh-fingerprint-verification (see no-ssh-keyscan).',
  },
];
