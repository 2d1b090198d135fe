// Playwright fixtures: the built extension in a fresh Chromium profile, and a sandbox QBO.
import { test as base, chromium, type BrowserContext, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Broker } from '../../broker/server';
import { startDemoHosts, type DemoHosts } from '../../sandbox/hosts/server';
import { QboSandbox } from '../../sandbox/qbo/server';
import { CHROMIUM_PATH, EXTENSION_ID, extensionLaunchArgs } from '../../sandbox/stack';

/** The product build, and the browser tests' build (the product plus the demo hosts' sites granted). */
export const PRODUCT_DIR = resolve(import.meta.dirname, '..', '..', '.output', 'chrome-mv3');
export const EXTENSION_DIR = resolve(import.meta.dirname, '..', '..', '.output', 'chrome-mv3-e2e');
export { EXTENSION_ID };

/** The system Chromium the browser tests and benchmarks drive. */

export async function launchWithExtension(dir = EXTENSION_DIR, extraArgs: string[] = []): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'qbc-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...extensionLaunchArgs(dir), '--no-sandbox', '--disable-gpu', ...extraArgs],
  });
  return { context, profile };
}

export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

export const test = base.extend<{ context: BrowserContext; worker: Worker; fresh: void }, { sandbox: QboSandbox; broker: Broker; hosts: DemoHosts }>({
  sandbox: [
    async ({}, use) => {
      const sandbox = await QboSandbox.start({ limits: { enabled: false } });
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'worker' },
  ],
  hosts: [
    async ({}, use) => {
      const hosts = await startDemoHosts({ basePort: 0 });
      await use(hosts);
      await hosts.close();
    },
    { scope: 'worker' },
  ],
  broker: [
    async ({ sandbox }, use) => {
      const broker = await Broker.start({
        clientId: 'sandbox-client-id',
        clientSecret: 'sandbox-client-secret',
        environment: 'local',
        localOrigin: sandbox.url,
        allowedOrigins: [EXTENSION_ORIGIN],
        allowedRedirectUris: [`https://${EXTENSION_ID}.chromiumapp.org/`],
        ratePerMinute: 600,
        log: () => {},
      });
      await use(broker);
      await broker.close();
    },
    { scope: 'worker' },
  ],
  // Each test starts from the seeded companies and demo apps, with no faults: what one test created
  // (a vendor, an export) is not another's starting point.
  fresh: [
    async ({ sandbox, hosts }, use) => {
      const reset = await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!reset.ok) throw new Error(`The sandbox did not reset: ${reset.status} ${await reset.text()}`);
      hosts.reset();
      await use();
    },
    { auto: true },
  ],
  context: async ({}, use) => {
    const { context, profile } = await launchWithExtension();
    await use(context);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  },
  worker: async ({ context }, use) => {
    const worker = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`))
      ?? (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`) }));
    await use(worker);
  },
});

export const expect = test.expect;

/** Points the extension at this test's sandbox and broker through the options page's Advanced settings. */
export async function configureExtension(context: BrowserContext, sandbox: { url: string }, broker: { url: string }) {
  const page = await context.newPage();
  await page.goto(`${EXTENSION_ORIGIN}/options.html#connection`);
  await page.getByText('Advanced: where QuickBooks is').click();
  await page.locator('select[name="environment"]').selectOption('local-sandbox');
  await page.locator('input[name="localOrigin"]').fill(sandbox.url);
  await page.locator('input[name="brokerUrl"]').fill(broker.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  return page;
}

/** Clicks Connect on the options page and completes the sandbox's consent page in the window it opens. */
export async function connectThroughConsent(context: BrowserContext, options: import('@playwright/test').Page, company = 'Larkspur Media & Supply') {
  const consentPage = context.waitForEvent('page', { predicate: (p) => p.url().includes('/connect/oauth2') });
  await options.getByRole('button', { name: /Connect to QuickBooks|Connect another company|Reconnect/ }).first().click();
  const consent = await consentPage;
  await consent.getByLabel(company).check();
  await consent.getByRole('button', { name: 'Connect' }).click();
  await options.getByTestId('connection-note').filter({ hasText: `Connected to ${company}` }).waitFor();
}

/**
 * Reloads the extension as an update does, with chrome://extensions' reload button.
 */
export async function reloadExtension(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  const item = page.locator(`extensions-item#${EXTENSION_ID}`);
  // Without developer mode, Chrome turns a reloaded unpacked extension off.
  const devMode = page.locator('#devMode');
  if ((await devMode.getAttribute('aria-checked')) !== 'true') await devMode.click();
  await expect(devMode).toHaveAttribute('aria-checked', 'true');
  await item.locator('#dev-reload-button').click();
  await page.close();
}

/** What the content script says of its page (lib/hosts/content: LiveCopy.progress), as an expression for its own world. */
export const CONTENT_PROGRESS = `globalThis[Symbol.for('quickbooks-companion.host')]?.progress?.() ?? null`;
export interface ContentProgress {
  badges: number;
  checking: number;
  allShownAt?: number;
  allConfirmedAt?: number;
  fromKnown: number;
}

/**
 * The content script's progress on a page, read in the content script's isolated world through
 * the DevTools protocol (the page's own script cannot see it); null while no copy is at work.
 */
export async function contentProgress(page: import('@playwright/test').Page): Promise<ContentProgress | null> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: number[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => void ((c.auxData as { isDefault?: boolean } | undefined)?.isDefault === false && contexts.push(c.id)));
  try {
    await cdp.send('Runtime.enable');
    for (const contextId of contexts) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: CONTENT_PROGRESS, contextId, returnByValue: true }).catch(() => ({ result: { value: null } }));
      if (result.value) return result.value as ContentProgress;
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** The side panel's "Accept N confident suggestions": looked over in its preview, then linked. */
export async function acceptConfident(panel: import('@playwright/test').Page) {
  // Enabled once the matching is shown (it says 0 before).
  await panel.getByRole('button', { name: /^Accept \d+ confident suggestions?$/ }).click();
  const link = panel.getByRole('dialog', { name: 'Accept confident suggestions' }).getByRole('button', { name: /^Link \d+$/ });
  const n = (await link.textContent())!.match(/\d+/)![0];
  await link.click();
  await expect(panel.getByTestId('console-note')).toHaveText(`${n} linked.`);
}

/** Stops the extension's service worker, as Chrome does when it is idle. */
export async function stopServiceWorker(page: import('@playwright/test').Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  // The stop is done; the session may already be gone with the page's target (then nothing is left to detach).
  await cdp.detach().catch(() => undefined);
}

/** The extension's whole IndexedDB as text (binary values and keys described, not dumped), and its stores' rows; `hostRecords` lists the records of every host chunk. */
export async function dumpDatabase(page: import('@playwright/test').Page): Promise<{ text: string; stores: Record<string, unknown[]> }> {
  const text = await page.evaluate(async () => {
    const req = indexedDB.open('quickbooks-companion');
    const idb = await new Promise<IDBDatabase>((res, rej) => {
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(idb.objectStoreNames))
      out[name] = await new Promise((res) => {
        const r = idb.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => res(r.result);
      });
    idb.close();
    return JSON.stringify(out, (_k, v) =>
      v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? `[binary ${(v as ArrayBuffer).byteLength} bytes]` : v instanceof CryptoKey ? `[CryptoKey extractable=${v.extractable}]` : v,
    );
  });
  const stores = JSON.parse(text) as Record<string, unknown[]>;
  // Host records are kept in chunks (lib/hosts/store.ts); tests read them as one list.
  stores.hostRecords = (stores.hostChunks as { records: unknown[] }[]).flatMap((c) => c.records);
  return { text, stores };
}

/** Sandbox tokens look like these; nothing the extension writes or sends may contain one. */
export const TOKEN_PATTERNS = [/eyJsYW5kYm94Ijoi[A-Za-z0-9_-]{16}/, /AB11[A-Za-z0-9_-]{30}/];

/**
 * When the extension last finished a sync of any company (0 if never), read from its IndexedDB on
 * one of its pages. A string, not a function: the page must not see the bundler's helpers.
 */
export async function lastSyncAt(page: import('@playwright/test').Page): Promise<number> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const req = indexedDB.open('quickbooks-companion');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const idb = req.result;
      if (!idb.objectStoreNames.contains('connections')) {
        idb.close();
        return resolve(0);
      }
      const all = idb.transaction('connections').objectStore('connections').getAll();
      all.onsuccess = () => {
        idb.close();
        resolve(Math.max(0, ...all.result.map((c) => c.lastSyncAt ?? 0)));
      };
    };
  })`)) as number;
}

/** Syncs from the popup and waits until the pull has finished. */
export async function syncNow(context: BrowserContext) {
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  const before = await lastSyncAt(popup);
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => lastSyncAt(popup), { timeout: 60_000 }).toBeGreaterThan(before);
  await expect(popup.getByTestId('last-sync')).toHaveText('Last sync just now');
  await popup.close();
}

/** Turns on site profiles in Options > Host apps (the e2e build already holds the demo sites' permission). */
export async function turnOnProfiles(context: BrowserContext, names: string[]) {
  const page = await context.newPage();
  await page.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  for (const name of names) {
    await page.getByRole('button', { name: `Turn on ${name}` }).click();
    await expect(page.getByRole('button', { name: `Turn off ${name}` })).toBeVisible();
  }
  return page;
}

/** Saves one of the user's own site profiles in Options > Host apps and turns it on. */
export async function saveAndTurnOn(context: BrowserContext, profile: { name: string }, beforeTurnOn?: () => void) {
  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  await options.getByText('Add a site profile').click();
  await options.getByLabel('Site profile JSON').fill(JSON.stringify(profile));
  await options.getByRole('button', { name: 'Save profile' }).click();
  const turnOn = options.getByRole('button', { name: `Turn on ${profile.name}`, exact: true });
  await turnOn.waitFor();
  beforeTurnOn?.();
  await turnOn.click();
  await expect(options.getByRole('button', { name: `Turn off ${profile.name}`, exact: true })).toBeVisible();
  return options;
}

/** Makes a bill through Spotlight's own New bill form (as a person would), and waits for the app's list it returns to. */
export async function billThroughSpotlightForm(page: import('@playwright/test').Page, media: string, bill: { vendorId?: string; ref: string; date: string; due: string; description: string; amount: string }) {
  await page.goto(`${media}/bills/new`);
  await (bill.vendorId ? page.getByLabel('Vendor').selectOption(bill.vendorId) : page.getByLabel('Vendor').selectOption({ index: 0 }));
  await page.getByLabel('Ref #').fill(bill.ref);
  await page.getByLabel('Bill date').fill(bill.date);
  await page.getByLabel('Due date').fill(bill.due);
  await page.getByLabel('Description').fill(bill.description);
  await page.getByLabel('Amount').fill(bill.amount);
  await page.getByRole('button', { name: 'Save bill' }).click();
  await expect(page).toHaveURL(`${media}/bills`);
}

/**
 * Paystream's API from one of its own pages (with the page's token), as its own script calls it:
 * `api(method, path, body)` answers the JSON envelope, `list(path)` every record of a list.
 */
export function paystreamApi(page: import('@playwright/test').Page) {
  const api = (method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const token = document.querySelector<HTMLMetaElement>('meta[name="ps-request-token"]')!.content;
        const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-PS-Request-Token': token }, body: body ? JSON.stringify(body) : undefined });
        return (await res.json()) as Record<string, any>;
      },
      { method, path, body },
    );
  return { api, list: async (path: string) => (await api('GET', `${path}?max=1000`)).response_data as Record<string, any>[] };
}
