// The built extension loads in Chromium: its worker answers messages and its pages render.
import { rmSync } from 'node:fs';
import { EXTENSION_ID, expect, launchWithExtension, PRODUCT_DIR, test } from './fixtures';

test('the product build loads: its worker answers a ping from an extension page and refuses an unknown message', async () => {
  const { context, profile } = await launchWithExtension(PRODUCT_DIR);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  expect(worker.url()).toBe(`chrome-extension://${EXTENSION_ID}/background.js`);
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'ping', payload: {} }));
  expect(reply).toEqual({ ok: true, data: { ready: true, version: '0.1.0' } });
  const refused = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'stealTokens', payload: {} }));
  expect(refused).toMatchObject({ ok: false, error: { kind: 'Refused' } });
  const malformed = await page.evaluate(() => chrome.runtime.sendMessage('not an envelope'));
  expect(malformed).toMatchObject({ ok: false, error: { kind: 'Refused', message: 'Malformed message.' } });
  await context.close();
  rmSync(profile, { recursive: true, force: true });
});

test('the popup renders, and offers to connect when nothing is connected', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await expect(page.getByRole('heading', { name: 'QuickBooks Companion' })).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveText('Not connected to QuickBooks');
  await expect(page.getByRole('button', { name: 'Connect to QuickBooks' })).toBeVisible();
  await expect(page.getByTestId('activity')).toHaveText('Nothing yet.');
});
