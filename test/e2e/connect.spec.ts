// Connecting to QuickBooks in the real browser: consent page, tokens through the broker, a
// connection that survives a stopped worker, expired tokens, a storm of calls at expiry, a
// refused refresh token, a disconnect that revokes, messages from content scripts refused, and a
// first load's progress and resumption after a stopped worker.
import type { Page } from '@playwright/test';
import {
  configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, lastSyncAt, stopServiceWorker, test, TOKEN_PATTERNS,
} from './fixtures';
import { PULLED_ENTITIES } from '../../lib/sync/pull';
import { DEMO_REALM } from '../../sandbox/qbo/seed';

async function testConnection(options: Page) {
  await options.getByRole('button', { name: 'Test connection' }).click();
  return options.getByTestId('connection-note');
}

test('connect, survive a stopped worker, sync from the popup', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await expect(options.getByTestId('connection-status').first()).toHaveText('Connected to Larkspur Media & Supply');

  await stopServiceWorker(options);
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await expect(popup.getByTestId('connection-status')).toHaveText('Connected to Larkspur Media & Supply');
  // Connecting started the first load.
  await expect(popup.getByTestId('last-sync')).toHaveText('Last sync just now', { timeout: 30_000 });
  // The worker starts again for the message and pulls QuickBooks' changes. (What is checked is
  // that a sync ended after the click, never the "Syncing…" a fast sync may skip.)
  const firstSync = await lastSyncAt(popup);
  await stopServiceWorker(popup);
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => lastSyncAt(popup), { timeout: 30_000 }).toBeGreaterThan(firstSync);
  await expect(popup.getByTestId('last-sync')).toHaveText('Last sync just now');
  // The activity is what a person acts on: each sync one line, the connection, and none of the
  // sync's many reads (the full log in the options page has those).
  const activity = popup.getByTestId('activity').locator('tbody tr');
  await expect(activity.filter({ hasText: /Synced/ })).toHaveCount(2);
  await expect(activity.filter({ hasText: /Synced [\d,]+ records? in \d+\.\d s/ }).first()).toBeVisible();
  await expect(activity.filter({ hasText: 'Connected to Larkspur Media & Supply' })).toHaveCount(1);
  await expect(activity.filter({ hasText: /Query|Count|Changes/ })).toHaveCount(0);
  await popup.screenshot({ path: 'test-results/popup-connected.png' });
  await expect(await testConnection(options)).toContainText('The connection to Larkspur Media & Supply works');
});

test('an expired access token is refreshed once for 20 calls from four pages at once', async ({ context, sandbox, broker }) => {
  const first = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, first);
  const pages = [first];
  for (let i = 0; i < 3; i++) {
    const p = await context.newPage();
    await p.goto(`${EXTENSION_ORIGIN}/options.html#connection`);
    await expect(p.getByRole('button', { name: 'Test connection' })).toBeVisible();
    pages.push(p);
  }
  const before = broker.stats.refreshes;
  await fetch(`${sandbox.url}/_sandbox/tokens/expire`, { method: 'POST', body: JSON.stringify({ realmId: DEMO_REALM }) });
  // Four pages, five QuickBooks calls each, all at the moment the token has expired.
  await Promise.all(pages.map((p) => p.getByRole('button', { name: 'Test connection' }).click()));
  for (const p of pages) await expect(p.getByTestId('connection-note')).toContainText('works', { timeout: 20_000 });
  expect(broker.stats.refreshes - before).toBe(1);
});

test('a refresh token QuickBooks refuses shows Reconnect with the reason, and reconnecting works', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  // The user disconnected the app inside QuickBooks: every token of the company is revoked.
  await fetch(`${sandbox.url}/_sandbox/tokens/revoke`, { method: 'POST', body: JSON.stringify({ realmId: DEMO_REALM }) });
  await expect(await testConnection(options)).toContainText('Reconnect to QuickBooks');
  await expect(options.getByTestId('connection-status').first()).toHaveText('Reconnect Larkspur Media & Supply');
  await expect(options.getByTestId(`connection-${DEMO_REALM}`).getByRole('alert')).toContainText('QuickBooks no longer accepts this connection');
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await expect(popup.getByTestId('connection-status')).toHaveText('Reconnect Larkspur Media & Supply');
  await expect(popup.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await options.screenshot({ path: 'test-results/options-reconnect.png', fullPage: true });

  await connectThroughConsent(context, options);
  await expect(options.getByTestId('connection-status').first()).toHaveText('Connected to Larkspur Media & Supply');
  await expect(await testConnection(options)).toContainText('works');
});

test('with two companies, the popup never hides one that QuickBooks stopped accepting', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options, 'Cedar Ridge Manufacturing');
  await connectThroughConsent(context, options, 'Larkspur Media & Supply');
  await fetch(`${sandbox.url}/_sandbox/tokens/revoke`, { method: 'POST', body: JSON.stringify({ realmId: DEMO_REALM }) });
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await popup.getByRole('button', { name: 'Sync now' }).click();
  // The company that still works is the one shown; the refused one asks to be reconnected below it.
  await expect(popup.getByTestId('connection-status').first()).toHaveText('Connected to Cedar Ridge Manufacturing');
  await expect(popup.getByTestId(`connection-${DEMO_REALM}`).getByTestId('connection-status')).toHaveText('Reconnect Larkspur Media & Supply', { timeout: 15_000 });
  await expect(popup.getByRole('button', { name: 'Reconnect' })).toBeVisible();
});

test('disconnect revokes the connection at QuickBooks', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  const before = sandbox.oauth.stats.revocations;
  await options.getByRole('button', { name: 'Disconnect' }).click();
  await expect(options.getByTestId('connection-note')).toHaveText('Disconnected from Larkspur Media & Supply. QuickBooks revoked the connection.');
  expect(sandbox.oauth.stats.revocations - before).toBe(1);
  await expect(options.getByTestId('connection-status').first()).toHaveText('Disconnected from Larkspur Media & Supply');
  const { stores } = await dumpDatabase(options);
  const conn = (stores.connections as { realmId: string; accessToken?: unknown; refreshToken?: unknown }[]).find((c) => c.realmId === DEMO_REALM)!;
  expect(conn.accessToken ?? conn.refreshToken).toBeUndefined();
});

test('content scripts cannot send page-only or malformed messages, and no token leaks anywhere', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  const host = await context.newPage();
  await host.goto(sandbox.url);
  const replies = await options.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url: `${url}/*` });
    const [result] = await chrome.scripting.executeScript({
      target: { tabId: tab.id! },
      func: async (realmId: string) => ({
        disconnect: await chrome.runtime.sendMessage({ type: 'connection.disconnect', payload: { realmId } }),
        malformed: await chrome.runtime.sendMessage({ type: 'ping', payload: { realmId, extra: '<script>' } }),
        unknown: await chrome.runtime.sendMessage({ kind: 'tokens' }),
        ping: await chrome.runtime.sendMessage({ type: 'ping', payload: {} }),
      }),
      args: ['9341453050298166'],
    });
    return result.result;
  }, sandbox.url);
  expect(replies.disconnect).toMatchObject({ ok: false, error: { kind: 'Refused', message: '"connection.disconnect" may not be sent from a content-script.' } });
  expect(replies.malformed).toMatchObject({ ok: false, error: { kind: 'Refused', message: expect.stringMatching(/Invalid "ping" message/) } });
  expect(replies.unknown).toMatchObject({ ok: false, error: { kind: 'Refused', message: 'Malformed message.' } });
  expect(replies.ping).toMatchObject({ ok: true, data: { ready: true } });
  // Still connected: the refused disconnect changed nothing.
  await options.reload();
  await expect(options.getByTestId('connection-status').first()).toHaveText('Connected to Larkspur Media & Supply');
  // Each refusal is in the log.
  await options.getByRole('tab', { name: 'Logs' }).click();
  await options.getByLabel('Type').selectOption('Security');
  await expect(options.getByTestId('log-table').locator('tbody tr')).toHaveCount(3);
  await options.getByTestId('log-table').locator('tbody tr').first().click();
  await expect(options.getByTestId('log-viewer')).toContainText('Sender: content-script');
  // An exchange with QuickBooks opens with its request and response.
  await options.getByLabel('Type').selectOption('CompanyInfo');
  await options.getByTestId('log-table').locator('tbody tr').first().click();
  await expect(options.getByTestId('log-viewer')).toContainText(`GET ${sandbox.url}/v3/company/${DEMO_REALM}/companyinfo/${DEMO_REALM}`);
  await expect(options.getByTestId('log-viewer')).toContainText('"CompanyName": "Larkspur Media & Supply"');
  await options.screenshot({ path: 'test-results/options-logs.png', fullPage: true });

  const { text, stores } = await dumpDatabase(options);
  for (const p of TOKEN_PATTERNS) {
    expect(JSON.stringify(stores.logs)).not.toMatch(p);
    expect(JSON.stringify(replies)).not.toMatch(p);
    expect(text).not.toMatch(p);
  }
  const conn = (stores.connections as Record<string, unknown>[]).find((c) => c.realmId === DEMO_REALM)!;
  expect(conn.refreshToken).toEqual({ iv: expect.stringMatching(/binary 12 bytes/), data: expect.stringMatching(/binary \d+ bytes/) });
  expect(JSON.stringify(stores.settings)).toContain('[CryptoKey extractable=false]');
  const local = await options.evaluate(() => chrome.storage.local.get(null));
  for (const p of TOKEN_PATTERNS) expect(JSON.stringify(local)).not.toMatch(p);
});

test('the connection says "reconnect within N days" as the refresh token\'s 100 days run out', async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  const later = await context.newPage();
  // Ninety days on with no sync: ten days of the refresh token's rolling 100 are left.
  await later.clock.setFixedTime(new Date(Date.now() + 90 * 86_400_000));
  await later.goto(`${EXTENSION_ORIGIN}/options.html#connection`);
  await expect(later.getByTestId(`connection-${DEMO_REALM}`).getByRole('alert')).toHaveText(/^Reconnect within (9|10) days: QuickBooks ends this connection after that\.$/);
  await expect(later.getByTestId('connection-status').first()).toHaveText('Connected to Larkspur Media & Supply');
});

test('connecting starts the first load with its progress in the popup; a stopped worker resumes it to exactly what QuickBooks holds', async ({ context, sandbox, broker }) => {
  // QuickBooks answers slowly, so the load takes a few rounds of several seconds: long enough to
  // be watched, whatever the machine's load.
  sandbox.faults = { ...sandbox.faults, latencyMs: 2500 };
  try {
    const options = await configureExtension(context, sandbox, broker);
    await connectThroughConsent(context, options);
    const popup = await context.newPage();
    await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
    const bar = popup.getByRole('progressbar', { name: 'Loading QuickBooks records' });
    await expect(bar).toBeVisible();
    await expect(popup.getByTestId('pull-progress')).toContainText(/Loading QuickBooks records: [\d,]+ (of [\d,]+|so far) \(\d+ of 16 lists\)/);
    // Part of it is stored; the worker stops with requests in flight.
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0);
    await stopServiceWorker(popup);
    await expect(popup.getByTestId('last-sync')).toHaveText('Last sync never');
    await expect(bar).toBeVisible();

    // The worker starts again (for any reason: here a ping) and finishes the load by itself.
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ping', payload: {} }));
    await expect(popup.getByTestId('last-sync')).toHaveText('Last sync just now', { timeout: 30_000 });
    await expect(bar).toHaveCount(0);
    // Every list's pages hold exactly QuickBooks' rows: nothing lost, nothing stored twice.
    const { stores } = await dumpDatabase(popup);
    const counts = sandbox.state().companies.find((c) => c.realmId === DEMO_REALM)!.counts as Record<string, number>;
    const rows: Record<string, number> = {};
    for (const p of stores.qbPages as { entity: string; rows: number }[]) rows[p.entity] = (rows[p.entity] ?? 0) + p.rows;
    expect(Object.keys(rows).sort()).toEqual([...PULLED_ENTITIES].sort());
    for (const e of PULLED_ENTITIES) expect(rows[e], e).toBe(counts[e] ?? 0);
  } finally {
    sandbox.faults = { ...sandbox.faults, latencyMs: 0 };
  }
});
