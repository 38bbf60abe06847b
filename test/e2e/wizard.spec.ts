import { expect, expectAccessible, test } from './fixtures';

test.describe('wizard', () => {
  test('walks every step of a platform with the mouse, with no serious axe violation on any step', async ({ app }) => {
    await expectAccessible(app, 'platform');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByTestId('step-errors')).toContainText('Platform: choose a platform');

    await app.getByTestId('platform-harness').click();
    await app.getByLabel('Docker', { exact: true }).check();
    await expectAccessible(app, 'platform chosen');
    await app.getByRole('button', { name: 'Next' }).click();

    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByTestId('step-errors')).toContainText('Account ID: is required');
    await expectAccessible(app, 'details with errors');
    await app.getByLabel('Account ID').fill('abc123');
    await app.getByLabel('Delegate name').fill('my-delegate');
    await app.getByLabel('Delegate image tag').fill('26.02.88404');
    await app.getByRole('button', { name: 'Next' }).click();

    for (const step of ['Credentials', 'Connectivity', 'Configs', 'Install', 'Export', 'Done']) {
      await expect(app.getByRole('heading', { level: 1 })).toContainText(step);
      await expectAccessible(app, step);
      if (step === 'Credentials') {
        // Next is blocked until the step holds a credential.
        await app.getByLabel('Delegate token').fill(Buffer.from('df4eb412d2f4458a61faa668a4301104').toString('base64'));
        await app.getByRole('button', { name: 'Check token' }).click();
        await expect(app.getByTestId('token-details')).toBeVisible();
      }
      if (step !== 'Done') await app.getByRole('button', { name: 'Next' }).click();
    }
    // No output folder was given on Configs: Done says so instead of claiming the agent is onboarded.
    await expect(app.getByTestId('done-lead')).toHaveText('Harness delegate (Docker): nothing is written yet.');
    await expect(app.getByTestId('done-written')).toContainText('Nothing yet: no output folder was chosen on the Configs step.');
    await expect(app.getByTestId('done-left')).toContainText('Write the files on the Configs step');
    await expect(app.locator('main')).not.toContainText('onboarded');
    await app.getByRole('button', { name: 'Onboard another agent' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Platform');
  });

  test('works with the keyboard alone, skips steps a platform does not need, and keeps the draft across a reload', async ({ app }) => {
    // Reach the platform radios by Tab, pick one with the arrow keys.
    await app.keyboard.press('Tab');
    let guard = 0;
    while (!(await app.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'platform')) && guard++ < 30)
      await app.keyboard.press('Tab');
    await app.keyboard.press('Space');
    while ((await app.evaluate(() => (document.activeElement as HTMLInputElement).value)) !== 'bamboo-elastic' && guard++ < 40)
      await app.keyboard.press('ArrowRight');
    await expect(app.getByTestId('platform-bamboo-elastic')).toHaveClass(/selected/);

    // The stepper shows only the steps this platform needs.
    const steps = app.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button');
    await expect(steps).toHaveText([/Platform/, /Details/, /Configs/, /Export/, /Done/]);

    await app.getByRole('button', { name: 'Next' }).focus();
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await expect(app.getByRole('heading', { level: 1 })).toBeFocused();
    await app.keyboard.press('Tab');
    await app.keyboard.type('arn:aws:iam::123456789012:role/bamboo');

    await app.reload();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    await expect(app.getByLabel(/Principal ARN/)).toHaveValue('arn:aws:iam::123456789012:role/bamboo');
    await app.getByRole('button', { name: 'Next' }).focus();
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Configs');
  });

  test('saves typed answers once the typing pauses, not once per keystroke (issue 14 item 5)', async ({ app }) => {
    const saves: string[] = [];
    app.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('"draft:save"')) saves.push(f.payload);
      }),
    );
    // The page's socket opens on load: reload so the listener sees it from the start.
    await app.reload();
    await app.getByTestId('platform-harness').click();
    await app.getByLabel('Docker', { exact: true }).check();
    await app.getByRole('button', { name: 'Next' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toContainText('Details');
    const before = saves.length;
    const typed = 'a-delegate-name-typed-one-key-at-a-time';
    await app.getByLabel('Delegate name').pressSequentially(typed);
    await expect.poll(() => saves.filter((p) => p.includes(typed)).length).toBe(1);
    // One save for the whole name (a few for partial names at most, if the machine stalls mid-typing).
    expect(saves.length - before).toBeLessThanOrEqual(3);
    await app.reload();
    await expect(app.getByLabel('Delegate name')).toHaveValue(typed);
  });
});
