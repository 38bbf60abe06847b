import { defineConfig } from 'vitest/config';

/**
 * Integration files that share machine-wide things run one at a time, after the others: they
 * start supervisord, autossh or ansible against the user's home and process table, or measure
 * time (timeouts). Every other integration file uses its own temp folder and free loopback ports,
 * so they run side by side; they mostly wait on child processes (shellcheck, sshd, openssl), so
 * more workers than cores pay off.
 */
const SERIAL = [
  'test/integration/armorcode-tunnel.test.ts',
  'test/integration/bundle-downgrade.test.ts',
  'test/integration/bundle-seal.test.ts',
  'test/integration/fleet-ansible-armorcode-systemd.test.ts',
  'test/integration/fleet-ansible-bamboo.test.ts',
  'test/integration/fleet-ansible-buildkite.test.ts',
  'test/integration/fleet-ansible-cli.test.ts',
  'test/integration/fleet-ansible-github-actions.test.ts',
  'test/integration/fleet-ansible-gitlab-runner.test.ts',
  'test/integration/fleet-ansible-harness.test.ts',
  'test/integration/fleet-ansible.test.ts',
  'test/integration/remote-install.test.ts',
  'test/integration/probe-timeouts.test.ts',
  'test/integration/probe-clock-skew.test.ts',
];

const integration = {
  environment: 'node' as const,
  testTimeout: 120_000,
  hookTimeout: 60_000,
  // Real servers and processes on a loaded 2-core CI machine: one retry there, reported.
  retry: process.env.CI ? 1 : 0,
};

export default defineConfig({
  test: {
    projects: [
      // Unit tests run beside lint and typecheck (npm test): real scrypt and RSA work gets a slower core.
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 60_000, sequence: { groupOrder: 0 } } },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: SERIAL,
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: { ...integration, name: 'integration-serial', include: SERIAL, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
