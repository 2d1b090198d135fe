// The service worker: the only context that talks to QuickBooks and holds tokens.
// It can be stopped at any moment, so everything it knows lives in IndexedDB (lib/db).
import { browser } from 'wxt/browser';
import { listen } from '@/lib/messages/runtime';

export default defineBackground(() => {
  listen(
    {
      ping: async () => ({ ready: true, version: browser.runtime.getManifest().version }),
    },
    (refused) => console.warn('QuickBooks Companion refused a message:', refused.reason),
  );
});
