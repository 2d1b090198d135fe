import { defineConfig } from 'wxt';

// A fixed public key pins the extension id (cdbjflagiponpmenikdhggjhoomnimdb) for every
// checkout, so the https://<id>.chromiumapp.org/ OAuth redirect and the broker's allowed
// origin stay the same. It is a public key: nothing secret lives in the extension.
const DEV_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6mX6mL/3COEPb9YCm2WzRhDgEU3+ySW2eSjPZqc4EVz9s9F/H63UwyrDD72hLJ5v21doFssNImqqJLx+sPKlrGe0w0aIlkxCZovgOSATClVt90yrhJjVy4Q+PAOrcL39N0tfpL8dL3Ig+BVm8ZZy6yUDSs2f7vfD6B8BCIKMbglJjkjXuDwrlQRPqU8N6GBR2OyB4Et48LmZYd30lnUHtKXF7itCd1g2tiLT1+grAWeJ3tIMtqlkYZ5VdsVgvABIpXu6rKkwZSuR71BBtuRChnvx+bMEFTZa7S5rQKnpQOsxJHPY713mE3OlQdN4Fh14M2MMNe620zynevibCORjaQIDAQAB';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // `wxt build --mode e2e` (.output/chrome-mv3-e2e) is the build the browser tests load. It
  // declares the demo host apps' sites up front, because no automation can answer Chrome's
  // permission prompt (microsoft/playwright#32755); the product build asks the user per site.
  manifest: ({ mode }) => ({
    name: 'QuickBooks Companion',
    description: 'QuickBooks Online badges, summaries and sync inside the web apps where your team works.',
    key: DEV_MANIFEST_KEY,
    permissions: ['storage', 'alarms', 'identity', 'sidePanel', 'scripting', 'unlimitedStorage'],
    host_permissions: [
      // QBO API (production and Intuit sandbox) and the local sandbox (plain or TLS) + broker on loopback.
      'https://quickbooks.api.intuit.com/*',
      'https://sandbox-quickbooks.api.intuit.com/*',
      'http://127.0.0.1/*',
      'https://127.0.0.1/*',
      ...(mode === 'e2e' ? ['http://*.localhost/*'] : []),
    ],
    // Host apps are granted one site at a time, by the user, from the options page.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    side_panel: { default_path: 'sidepanel.html' },
    action: { default_title: 'QuickBooks Companion' },
  }),
});
