/**
 * What proves a GitLab Runner is online (reference/next-platforms.md B2 "Online check"): the
 * runner's own log lines, and /health/ready on listen_address when it is set. GitLab's view of the
 * runner (GET /api/v4/runners/:id → status) is in vendor-api.ts.
 */
import type { OnlineSignal } from '../types';

/** The address the app offers as listen_address (loopback only, never exposed). */
export const HEALTH_ADDR = '127.0.0.1:9252';

export const gitlabRunnerOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'started',
    id: 'gitlab-runner-config-loaded',
    pattern: /Configuration loaded/,
    meaning: 'the runner started and read config.toml',
    source: 'gitlab-runner commands/multi.go (reference B2: Runtime)',
  },
  {
    kind: 'log',
    hop: 'registered',
    id: 'gitlab-runner-verified',
    pattern: /Verifying runner\.\.\.\s*is (?:valid|alive)/,
    meaning: 'GitLab accepted the runner token (POST /api/v4/runners/verify)',
    source: 'gitlab-runner commands/register.go, commands/verify.go',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'gitlab-runner-job-received',
    pattern: /Checking for jobs\.\.\.\s*received/,
    meaning: 'the runner asked GitLab for jobs and got one',
    source: 'gitlab-runner network/gitlab.go (POST /api/v4/jobs/request)',
  },
  {
    kind: 'health',
    hop: 'connected',
    id: 'gitlab-runner-ready',
    port: 9252,
    path: '/health/ready',
    ok: /ready/,
    meaning: '/health/ready answers 200 ready',
    source: 'gitlab-runner commit fa4c6362; docs configuration/advanced-configuration.md',
    optIn: `listen_address = "${HEALTH_ADDR}"`,
  },
];
