// npm start: the whole product on the sandbox. Starts the QBO emulator, builds the extension
// if needed, and opens Chromium with the extension loaded and the sandbox's pages open.
// Ctrl-C stops everything. Pass --headless on a machine without a display.
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { QboSandbox } from './qbo/server';
import { SEED_KINDS, type SeedKind } from './qbo/seed';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: 'default' },
    port: { type: 'string', default: '4010' },
    headless: { type: 'boolean', default: !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY },
    rebuild: { type: 'boolean', default: false },
  },
});
if (!SEED_KINDS.includes(values.seed as SeedKind)) {
  console.error(`--seed must be one of ${SEED_KINDS.join(', ')}.`);
  process.exit(2);
}

const extensionDir = join(root, '.output', 'chrome-mv3');
if (values.rebuild || !existsSync(join(extensionDir, 'manifest.json'))) {
  console.log('Building the extension…');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

const qbo = await QboSandbox.start({ port: Number(values.port), seed: values.seed as SeedKind });
console.log(`QuickBooks Online sandbox: ${qbo.url}`);
for (const c of qbo.state().companies) console.log(`  ${c.name} (realmId ${c.realmId})`);

const profile = join(root, '.sandbox-profile');
mkdirSync(profile, { recursive: true });
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: values.headless,
  viewport: null,
  args: [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ],
});
const [first] = browser.pages();
const page = first ?? (await browser.newPage());
await page.goto(qbo.url);
const options = await browser.newPage();
await options.goto('chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb/options.html');
console.log(`Chromium is running with QuickBooks Companion loaded${values.headless ? ' (headless)' : ''}. Ctrl-C stops everything.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await browser.close().catch(() => {});
  await qbo.close();
  process.exit(0);
};
browser.on('close', stop);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
