/** The "Update an existing install" page's form: what a refused scan leaves on the page once the form changes. */
import { expect, test } from './fixtures';

test("a refused scan's error goes once another platform is chosen, and comes back for the new one when it is still refused", async ({ app }) => {
  await app
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: /Update an existing install/ })
    .click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Update an existing install');
  const main = app.locator('main');
  const select = app.getByLabel('Platform');
  const values = (await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter(Boolean);
  expect(values.length).toBeGreaterThan(1);

  await app.getByRole('button', { name: 'Find the token' }).click();
  await expect(main.getByRole('alert')).toContainText('Some input is not valid');
  await expect(main.getByRole('alert')).toContainText('Give at least one file or folder');

  await select.selectOption(values.find((v) => v !== (values[0] ?? ''))!);
  await expect(main.getByRole('alert')).toHaveCount(0);
  await expect(main).not.toContainText('Some input is not valid');

  // The error is the new form's own when it is still refused.
  await app.getByRole('button', { name: 'Find the token' }).click();
  await expect(main.getByRole('alert')).toContainText('Give at least one file or folder');
  await app.getByLabel('File or folder paths of the install, on this machine').fill('/nonexistent/agent');
  await expect(main.getByRole('alert')).toHaveCount(0);
});
