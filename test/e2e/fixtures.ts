/** Playwright fixtures: a browser-mode server per worker, a page on an empty draft per test, and an axe check. */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { startServe, type RunningServer } from '../support/browser-mode';

export const test = base.extend<{ app: Page }, { server: RunningServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const server = await startServe();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, server }, use) => {
    await page.goto(server.url);
    // The server lives for the whole worker: start every test from an empty draft.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`ws://${location.host}/api/ws`);
          ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: 'draft:clear', payload: {} }));
          ws.onmessage = () => {
            ws.close();
            resolve();
          };
          ws.onerror = () => reject(new Error('could not clear the draft'));
        }),
    );
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await use(page);
  },
});

/** Fails on any serious or critical axe violation of the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export { expect };
