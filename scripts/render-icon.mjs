// Renders build/icon.svg to build/icon.png (512x512) with Debian's Chromium. Run after editing the SVG.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const svg = readFileSync(new URL('../build/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({
  path: fileURLToPath(new URL('../build/icon.png', import.meta.url)),
  omitBackground: true,
  clip: { x: 0, y: 0, width: 512, height: 512 },
});
await browser.close();
