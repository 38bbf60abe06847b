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
    expect(await invokeFromPage(page, 'draft:clear', {})).toMatchObject({ ok: true });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await use(page);
  },
});

/** One call of the app's own IPC channel over the page's browser-mode socket (the cookie and the tab secret in sessionStorage authenticate it). */
export async function invokeFromPage(
  page: Page,
  channel: string,
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const answer = await page.evaluate(
    ({ c, p }) =>
      new Promise<string>((resolve, reject) => {
        const secret = sessionStorage.getItem('ao-session') ?? '';
        const ws = new WebSocket(`ws://${location.host}/api/ws`, ['agent-onboard', `ao-session.${secret}`]);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: c, payload: p }));
        ws.onmessage = (m) => {
          resolve(String(m.data));
          ws.close();
        };
        ws.onerror = () => reject(new Error('websocket failed'));
      }),
    { c: channel, p: payload },
  );
  const parsed = JSON.parse(answer) as { id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
  expect(parsed.id).toBe(1);
  return parsed.result;
}

/** Fails on any serious or critical axe violation of the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export { expect };
