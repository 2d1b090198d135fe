// Playwright fixtures: the built extension in a fresh Chromium profile, and a sandbox QBO.
import { test as base, chromium, type BrowserContext, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QboSandbox } from '../../sandbox/qbo/server';

export const EXTENSION_DIR = resolve(import.meta.dirname, '..', '..', '.output', 'chrome-mv3');
/** Fixed by the manifest key in wxt.config.ts. */
export const EXTENSION_ID = 'cdbjflagiponpmenikdhggjhoomnimdb';

export async function launchWithExtension(): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'qbc-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
    ],
  });
  return { context, profile };
}

export const test = base.extend<{ context: BrowserContext; worker: Worker }, { sandbox: QboSandbox }>({
  sandbox: [
    async ({}, use) => {
      const sandbox = await QboSandbox.start({ limits: { enabled: false } });
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'worker' },
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
