import { defineConfig } from 'wxt';

// A fixed public key pins the extension id (cdbjflagiponpmenikdhggjhoomnimdb) for every
// checkout, so the https://<id>.chromiumapp.org/ OAuth redirect and the broker's allowed
// origin stay the same. It is a public key: nothing secret lives in the extension.
const DEV_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6mX6mL/3COEPb9YCm2WzRhDgEU3+ySW2eSjPZqc4EVz9s9F/H63UwyrDD72hLJ5v21doFssNImqqJLx+sPKlrGe0w0aIlkxCZovgOSATClVt90yrhJjVy4Q+PAOrcL39N0tfpL8dL3Ig+BVm8ZZy6yUDSs2f7vfD6B8BCIKMbglJjkjXuDwrlQRPqU8N6GBR2OyB4Et48LmZYd30lnUHtKXF7itCd1g2tiLT1+grAWeJ3tIMtqlkYZ5VdsVgvABIpXu6rKkwZSuR71BBtuRChnvx+bMEFTZa7S5rQKnpQOsxJHPY713mE3OlQdN4Fh14M2MMNe620zynevibCORjaQIDAQAB';

// WXT sets NODE_ENV to the mode (before it reads this file) when nothing set it, so the sandbox
// and e2e builds' pages would bundle React's development build: several times slower, and not what
// ships. Their pages are built as production ones (import.meta.env.MODE still tells the builds
// apart); only the development server (`wxt`, mode "development") is not. (WXT still hands the
// content script the mode as NODE_ENV; it has no React, and reads neither.)
if (process.env.NODE_ENV === 'sandbox' || process.env.NODE_ENV === 'e2e') process.env.NODE_ENV = 'production';

/** Firefox knows an add-on by this id (it has no manifest key); its storage and permissions follow it. */
const GECKO_ID = 'quickbooks-companion@companion.invalid';

export default defineConfig({
  // webextension-polyfill behind wxt/browser: one promise-based `browser` for Chrome and Firefox.
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  // Three builds. The product (`wxt build`, .output/chrome-mv3) talks to Intuit only. The sandbox
  // build (`--mode sandbox`, chrome-mv3-sandbox; also `wxt` in development) is the product that
  // `npm start` runs: it defaults to the local sandbox and may reach it and the broker on this
  // computer. The e2e build (`--mode e2e`) is the sandbox build with the demo host apps' sites
  // declared up front, because no automation can answer Chrome's permission prompt
  // (microsoft/playwright#32755); the others ask the user per site.
  //
  // Firefox (`wxt build -b firefox --mv3`): the same extension, without what is Chrome's alone (the
  // manifest key, the side panel permission: WXT makes the side panel Firefox's sidebar_action,
  // externally_connectable: Firefox lets no web page message an add-on anyway), and with its add-on id.
  manifest: ({ mode, browser }) => ({
    name: 'QuickBooks Companion',
    description: 'QuickBooks Online badges, summaries and sync inside the web apps where your team works.',
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } } } }
      : { key: DEV_MANIFEST_KEY }),
    // cookies: a host app's CSRF cookie, read only for sites the user granted (lib/hosts/worker/executor.ts).
    permissions: ['storage', 'alarms', 'identity', ...(browser === 'firefox' ? [] : ['sidePanel']), 'scripting', 'unlimitedStorage', 'cookies', 'notifications'],
    host_permissions: [
      // QBO API (production and Intuit sandbox); in the sandbox builds the local sandbox (plain or
      // TLS) and the broker on loopback.
      'https://quickbooks.api.intuit.com/*',
      'https://sandbox-quickbooks.api.intuit.com/*',
      ...(mode === 'production' ? [] : ['http://127.0.0.1/*', 'https://127.0.0.1/*']),
      ...(mode === 'e2e' ? ['http://*.localhost/*'] : []),
    ],
    // Host apps are granted one site at a time, by the user, from the options page. Plain http is
    // asked for only for sites on this computer, or when the user confirms it (lib/hosts/profile).
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // No web page and no other extension may message the extension.
    ...(browser === 'firefox' ? {} : { externally_connectable: { ids: [], matches: [] }, side_panel: { default_path: 'sidepanel.html' } }),
    action: { default_title: 'QuickBooks Companion' },
  }),
});
