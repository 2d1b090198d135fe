// The service worker: the only context that runs the schedule, the push and the OAuth exchange.
// It can be stopped at any moment, so everything it knows lives in IndexedDB (lib/db) and its
// alarms are re-created every time it starts. This file wires the parts; each area's message
// handlers live in a file of their own beside it.
import { browser } from 'wxt/browser';
import { appendLog } from '@/lib/db/logs';
import { decorateOpenTabs, profileById, profilesForUrl, syncContentScripts } from '@/lib/hosts/worker/registry';
import { listApps, whenHostEvents } from '@/lib/hosts/worker/apps';
import { runAutomations } from '@/lib/workflows/run';
import { listen } from '@/lib/messages/runtime';
import { PULL_ALARM, pushAll, pushCompany, resumeLoads, scheduleSync, syncAll } from '@/lib/sync';
import { whenEnqueued } from '@/lib/sync/outbox';
import { connectionHandlers } from './connection';
import { hostHandlers } from './hosts';
import { syncHandlers } from './sync';

export default defineBackground(() => {
  listen(
    {
      ping: async () => ({ ready: true, version: browser.runtime.getManifest().version }),
      ...connectionHandlers,
      ...hostHandlers,
      ...syncHandlers,
    },
    { covering: profilesForUrl, byId: profileById },
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
    if (alarm.name === PULL_ALARM) void syncAll({ scheduled: true });
  });
  // After an update, open host app pages still run the old version: hand them over to this one.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'update') void syncContentScripts().then(decorateOpenTabs);
  });
  // A site just granted: its app's records are read at once.
  browser.permissions.onAdded.addListener(() => void syncContentScripts().then(() => listApps()));
  browser.permissions.onRemoved.addListener(() => void syncContentScripts());
  // What the worker itself enqueues (automations) goes at once; pages ask with outbox.push.
  whenEnqueued((realmId) => void pushCompany(realmId));
  // An open page of an app showed a record change its API confirmed: the app's automations look at once.
  whenHostEvents((app) => void runAutomations(app));
  void scheduleSync();
  void syncContentScripts();
  // A push a stopped worker left unfinished resumes (in-flight entries are looked up first), and
  // so does a first load, each on its own: a person's writes do not wait for a pull, and a load
  // that fails does not hold them back.
  void pushAll().catch(() => undefined);
  void resumeLoads().catch(() => undefined);
});
