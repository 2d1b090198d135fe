// The service worker: the only context that runs the schedule and the OAuth exchange. It can be
// stopped at any moment, so everything it knows lives in IndexedDB (lib/db) and its alarms are
// re-created every time it starts.
import { browser } from 'wxt/browser';
import { connect, disconnect } from '@/lib/auth/connection';
import { appendLog } from '@/lib/db/logs';
import { listen } from '@/lib/messages/runtime';
import { PULL_ALARM, syncAll, syncCompany, syncIntervalMinutes } from '@/lib/sync';

async function ensureAlarms() {
  const periodInMinutes = await syncIntervalMinutes();
  const existing = await browser.alarms.get(PULL_ALARM);
  if (!existing || existing.periodInMinutes !== periodInMinutes) await browser.alarms.create(PULL_ALARM, { periodInMinutes, delayInMinutes: periodInMinutes });
}

export default defineBackground(() => {
  listen(
    {
      ping: async () => ({ ready: true, version: browser.runtime.getManifest().version }),
      'connection.connect': () => connect(),
      'connection.disconnect': ({ realmId }) => disconnect(realmId),
      'sync.now': async ({ realmId }) => {
        void (realmId ? syncCompany(realmId) : syncAll());
        return { started: true };
      },
    },
    (refused) =>
      void appendLog({
        realmId: '',
        timestamp: Date.now(),
        type: 'Security',
        action: 'Message refused',
        status: 'Not Completed',
        objectName: refused.type,
        error: `${refused.reason} Sender: ${refused.senderKind}${refused.origin ? ` (${refused.origin})` : ''}.`,
      }),
  );
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PULL_ALARM) void syncAll();
  });
  void ensureAlarms();
});
