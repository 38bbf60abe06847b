import { expect, expectAccessible, test } from './fixtures';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { BAMBOO_ROLE, BAMBOO_SESSION, SEED_POLICY, text } from '../support/scp-policies';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';

/** The server (and its saved draft) lives for the whole file: start each test at the Platform step. */
async function chooseElastic(app: Page): Promise<void> {
  await app
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: /Platform/ })
    .click();
  await app.getByTestId('platform-bamboo-elastic').click();
  await app.getByRole('button', { name: 'Next' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
}

test.describe('Bamboo elastic agents: policy analysis', () => {
  test('analyses a pasted SCP: verdict, deciding statement and condition, both fixes with the policy diff and risk', async ({ app }) => {
    await chooseElastic(app);
    await app.getByLabel('Principal ARN Bamboo uses').fill(BAMBOO_ROLE);
    await app.getByLabel('Instance metadata HttpTokens').selectOption('optional');
    await app.getByLabel('Metadata hop limit').fill('5');
    await app.getByRole('button', { name: 'Next' }).click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await expect(app.getByTestId('scp-settings')).toContainText(BAMBOO_ROLE);
    await expectAccessible(app, 'scp step, empty');

    // A malformed policy gets a clear error, not a verdict.
    await app
      .getByLabel('Policy 1 (JSON)')
      .fill(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringNotEqual": {"ec2:MetadataHttpTokens": "required"}}}]}',
      );
    await app.getByRole('button', { name: 'Check the policies' }).click();
    await expect(app.getByRole('alert')).toContainText('"StringNotEqual" is not an IAM condition operator (did you mean StringNotEquals?)');

    await app.getByLabel('Policy 1 (JSON)').fill(text(SEED_POLICY));
    await app.getByRole('button', { name: 'Check the policies' }).click();
    await expect(app.getByTestId('scp-verdict')).toHaveText('Launching elastic agents is denied');
    await expect(app.getByTestId('scp-verdict')).toBeFocused();

    const run = app.getByRole('region', { name: 'ec2:RunInstances: denied' });
    const instanceRow = run.getByRole('row', { name: /^instance/ });
    await expect(instanceRow).toContainText('Policy 1, statement 1 (RequireImdsV2)');
    await expect(instanceRow).toContainText('StringNotEquals ec2:MetadataHttpTokens "required": the request has "optional"');
    await expect(instanceRow).toContainText('Policy 1, statement 2 (MaxImdsHopLimit)');
    await expect(app.getByRole('region', { name: 'ec2:ModifyInstanceMetadataOptions: denied' })).toContainText('statement 3 (NoImdsChanges)');

    const imds = app.getByTestId('fix-imdsv2');
    await expect(imds).toContainText('Launch with HttpTokens=required and a hop limit of 3 (the policies deny 5)');
    await expect(imds).toContainText('Risk:');
    await expect(imds).toContainText('HttpTokens=required,HttpPutResponseHopLimit=3');
    const exemption = app.getByTestId('fix-exemption');
    await expect(exemption).toContainText('StringNotLike aws:PrincipalARN');
    await expect(exemption.getByRole('region', { name: 'Changes to Policy 1' }).or(exemption.getByLabel('Changes to Policy 1'))).toContainText(
      `+            "${BAMBOO_ROLE}"`,
    );
    await expect(exemption).toContainText('It weakens the guardrail');
    await expectAccessible(app, 'scp step, report');
  });

  test('reads the decoded authorization failure and uses its settings', async ({ app }) => {
    await chooseElastic(app);
    await app.getByLabel('Principal ARN Bamboo uses').fill(BAMBOO_ROLE);
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');

    const decoded = JSON.stringify({
      DecodedMessage: JSON.stringify({
        allowed: false,
        explicitDeny: true,
        matchedStatements: { items: [] },
        context: {
          principal: { arn: BAMBOO_SESSION },
          action: 'ec2:RunInstances',
          resource: 'arn:aws:ec2:eu-west-1:123456789012:instance/*',
          conditions: {
            items: [
              { key: 'ec2:MetadataHttpTokens', values: { items: [{ value: 'optional' }] } },
              { key: 'ec2:MetadataHttpPutResponseHopLimit', values: { items: [{ value: '2' }] } },
            ],
          },
        },
      }),
    });
    await app.getByText('Start from the error instead (optional)').click();
    await app.getByLabel("Decoded authorization failure, or the agent's error").fill(decoded);
    await app.getByRole('button', { name: 'Read it' }).click();
    await expect(app.getByText('a service control policy (explicit deny, statement not disclosed)')).toBeVisible();
    await app.getByRole('button', { name: 'Use these settings' }).click();
    await expect(app.getByTestId('scp-settings')).toContainText(BAMBOO_SESSION);
    await expect(app.getByTestId('scp-settings')).toContainText('hop limit 2, region eu-west-1');

    await app.getByLabel('Policy 1 (JSON)').fill(text(SEED_POLICY));
    await app.getByRole('button', { name: 'Check the policies' }).click();
    await expect(app.getByTestId('scp-verdict')).toHaveText('Launching elastic agents is denied');
    await expect(app.getByTestId('fix-exemption')).toContainText('arn:aws:iam::123456789012:role/bamboo-elastic');
  });

  test("from the agent's error on the Diagnostics page straight to the analysis, with the principal read from it", async ({ app }) => {
    await app.getByRole('button', { name: 'Diagnostics' }).click();
    await app
      .getByLabel('Log or error message')
      .fill(
        `2026-03-02 10:15:01,442 ERROR [elasticInstanceManagementThread] Elastic Bamboo Error: EC2 Instance failed to start: EC2 instance order for image ami-0abc1234def567890 failed.\nUser: ${BAMBOO_SESSION} is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-west-2:123456789012:instance/* with an explicit deny in a service control policy. Encoded authorization failure message: AbCdEf0123456789_-AbCdEf0123456789xyz`,
      );
    await app.getByRole('button', { name: 'Diagnose' }).click();
    await expect(app.getByRole('heading', { name: 'A service control policy denies launching the elastic agent' })).toBeVisible();
    await app.getByRole('button', { name: 'Check the service control policies' }).first().click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
    await expect(app.getByText('ami-0abc1234def567890', { exact: true })).toBeVisible();
    await expect(
      app.getByText(
        'aws sts decode-authorization-message --encoded-message AbCdEf0123456789_-AbCdEf0123456789xyz --query DecodedMessage --output text | jq .',
        { exact: true },
      ),
    ).toBeVisible();
    await app.getByRole('button', { name: 'Use these settings' }).click();
    await expect(app.getByTestId('scp-settings')).toContainText(BAMBOO_SESSION);
    await expect(app.getByTestId('scp-settings')).toContainText('region us-west-2');
    await expectAccessible(app, 'scp step from diagnostics');
  });
});

test.describe('Bamboo remote agent: new install through the wizard', () => {
  test('server URL and security token → installer script, systemd unit and the 0600 token file, written', async ({ app }) => {
    const out = mkdtempSync(path.join(tmpdir(), 'ao-e2e-bamboo-'));
    try {
      const next = app.getByRole('button', { name: 'Next' });
      await app
        .getByRole('navigation', { name: 'Wizard steps' })
        .getByRole('button', { name: /Platform/ })
        .click();
      await app.getByTestId('platform-bamboo-remote').click();
      await app.getByRole('radio', { name: 'New install (installer command)', exact: true }).check();
      await next.click();
      await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
      await app.getByLabel('Bamboo server URL').fill('https://bamboo.example.com/$(reboot)');
      await next.click();
      await expect(app.getByTestId('step-errors')).toContainText('Bamboo server URL:');
      await app.getByLabel('Bamboo server URL').fill('https://bamboo.example.com');
      await app.getByLabel('Agent home on the agent host').fill('/srv/bamboo agent');
      await next.click();
      // The installer jar must match the server's version: none is assumed.
      await expect(app.getByTestId('step-errors')).toContainText('Bamboo server version: is required');
      await app.getByLabel('Bamboo server version').fill('9.6.2');
      await next.click();

      await expect(app.getByRole('heading', { level: 1 })).toContainText('Credentials');
      await app.getByLabel('Security token').fill(`  ${TOKEN.slice(0, 39)}  `);
      await app.getByRole('button', { name: 'Check token' }).click();
      await expect(app.getByRole('alert')).toContainText('39 hexadecimal characters');
      await app.getByLabel('Security token').fill(`  ${TOKEN}\n`);
      await app.getByRole('button', { name: 'Check token' }).click();
      await expect(app.getByTestId('token-details')).toBeVisible();
      await next.click();
      await expect(app.getByRole('heading', { level: 1 })).toContainText('Connectivity');
      // The endpoints to check come from the platform: the server over HTTPS and the broker port.
      await expect(app.locator('#reach-desc')).toContainText('bamboo.example.com:443');
      await expect(app.locator('#reach-desc')).toContainText('bamboo.example.com:54663');
      await next.click();

      await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
      await app.getByLabel('Output folder').fill(out);
      await expect(app.getByRole('row', { name: /install-bamboo-agent\.sh/ })).toContainText('new');
      await app.getByRole('button', { name: 'Preview install-bamboo-agent.sh' }).click();
      await expect(app.getByLabel('Contents of install-bamboo-agent.sh', { exact: true })).toContainText("AGENT_HOME='/srv/bamboo agent'");
      await expect(app.locator('body')).not.toContainText(TOKEN);
      await expectAccessible(app, 'bamboo configs preview');
      await app.getByRole('button', { name: 'Write 3 files…' }).click();
      await app.getByRole('button', { name: 'Write now' }).click();
      await expect(app.getByTestId('write-summary')).toHaveText(`Wrote 3 of 3 files to ${out}.`);
      expect(readdirSync(out).sort()).toEqual(['bamboo-agent.service', 'install-bamboo-agent.sh', 'security-token']);
      expect(readFileSync(path.join(out, 'security-token'), 'utf8')).toBe(`${TOKEN}\n`);
      expect(statSync(path.join(out, 'security-token')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
