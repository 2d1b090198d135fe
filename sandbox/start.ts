// npm start: the whole product on the sandbox. Starts the QBO emulator, the token broker and
// the demo host apps, builds the extension if needed, and opens Chromium with the extension
// loaded, a demo host app and the extension's options page open.
// Ctrl-C stops everything. Pass --headless on a machine without a display.
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitOnSignals } from '../broker/http';
import { parseSeedKind } from './qbo/seed';
import { CHROMIUM_PATH, DEFAULT_STACK_PORT, EXTENSION_ID, extensionLaunchArgs, parseBasePort, startStack } from './stack';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: 'default' },
    port: { type: 'string', default: String(DEFAULT_STACK_PORT) },
    headless: { type: 'boolean', default: !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY },
    rebuild: { type: 'boolean', default: false },
  },
});
const seed = parseSeedKind(values.seed);
if ('error' in seed) {
  console.error(`--${seed.error}`);
  process.exit(2);
}

const port = parseBasePort(values.port);
if ('error' in port) {
  console.error(`--${port.error}`);
  process.exit(2);
}

// The sandbox build: the product, pointed at the local sandbox (wxt.config.ts).
const extensionDir = join(root, '.output', 'chrome-mv3-sandbox');
if (values.rebuild || !existsSync(join(extensionDir, 'manifest.json'))) {
  console.log('Building the extension…');
  execSync('npm run build:sandbox', { cwd: root, stdio: 'inherit' });
}

const stack = await startStack({ basePort: port.port, seed: seed.seed });
for (const line of stack.describe()) console.log(line);

const profile = join(root, '.sandbox-profile');
mkdirSync(profile, { recursive: true });
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless: values.headless,
  viewport: null,
  args: [...extensionLaunchArgs(extensionDir), ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
});
const [first] = browser.pages();
const page = first ?? (await browser.newPage());
await page.goto(stack.hosts.apps.media.url);
const options = await browser.newPage();
await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
console.log(`Chromium is running with QuickBooks Companion loaded${values.headless ? ' (headless)' : ''}. Ctrl-C stops everything.`);

// The servers first (they close at once), then the browser, which may take a moment.
exitOnSignals(async () => {
  await stack.close();
  await browser.close().catch(() => {});
}, 3_000);
browser.on('close', () => void stack.close().then(() => process.exit(0)));
