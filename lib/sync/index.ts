// The sync schedule: an alarm pulls every connected company (CDC every few minutes, a full
// reload once a day), and "Sync now" runs the same pull at once.
import { browser } from 'wxt/browser';
import { qboFor } from '../auth/connection';
import { db, type OutboxEntry } from '../db';
import { appendLog, syncToLog } from '../db/logs';
import { readSetting, SETTINGS, writeSetting } from '../db/settings';
import { QboError } from '../qbo/errors';
import { knownApps, listApp, listApps, warmMatches } from '../hosts/worker/apps';
import { hostCompany } from '../links';
import { anyCustomerSyncOn, CUSTOMER_SYNC_MINUTES, customerSyncOn, readCustomerSync } from '../workflows/customers';
import type { App } from '../hosts/worker/executor';
import { alertsFor, runAutomations } from '../workflows/run';
import { notifyHostTabs } from '../hosts/worker/registry';
import { hostExecutors } from '../hosts/worker/writes';
import { sendToWorker } from '../messages/send';
import { pull, type PullResult } from './pull';
import { push, type PushResult } from './push';

export const PULL_ALARM = 'qbc-pull';

/**
 * Sets the pull alarm to the sync interval, unless it already runs at it. The worker calls it
 * whenever it starts; extension pages may call it too (alarms belong to the extension, and fire
 * in the worker).
 */
export async function scheduleSync(): Promise<void> {
  // With a customer sync on, QuickBooks' changes reach the app within two minutes with no tab open.
  const periodInMinutes = Math.min(await readSetting(SETTINGS.syncIntervalMinutes), (await anyCustomerSyncOn()) ? CUSTOMER_SYNC_MINUTES : Infinity);
  const existing = await browser.alarms.get(PULL_ALARM);
  if (!existing || existing.periodInMinutes !== periodInMinutes) await browser.alarms.create(PULL_ALARM, { periodInMinutes, delayInMinutes: periodInMinutes });
}

/** Saves the sync interval (refused below 30 seconds) and moves the alarm to it at once. */
export async function setSyncIntervalMinutes(minutes: number): Promise<void> {
  await writeSetting(SETTINGS.syncIntervalMinutes, minutes);
  await scheduleSync();
}

/** Pulls one company; failures are logged and leave the connection as it is (unless QuickBooks refused it). */
export async function syncCompany(realmId: string): Promise<PullResult | 'busy' | 'failed'> {
  try {
    const started = Date.now();
    const result = await pull(await qboFor(realmId));
    if (result === 'busy') return result;
    // One line in the log for the whole sync, whatever the number of requests it took.
    const records = result.loaded + result.changed + result.deleted;
    await appendLog(syncToLog(realmId, (await db.connections.get(realmId))?.companyName, records, Date.now() - started));
    if (records > 0) await notifyHostTabs();
    return result;
  } catch (e) {
    const err = e instanceof QboError ? e : new QboError({ kind: 'Unknown', message: (e as Error).message });
    const c = await db.connections.get(realmId);
    await appendLog({ realmId, timestamp: Date.now(), type: 'Sync', action: 'Pull', status: 'Not Completed', objectName: c?.companyName, error: `${err.kind} · ${err.message}` });
    return 'failed';
  }
}

/**
 * Finishes full loads a stopped worker (or a closed browser) left half done; runs whenever the
 * worker starts. Stored pages are kept, so only what is missing is read.
 */
export async function resumeLoads(): Promise<void> {
  const connected = new Set(await db.connections.where('status').equals('connected').primaryKeys());
  const unfinished = new Set((await db.syncCursors.toArray()).filter((c) => c.phase === 'initial' && connected.has(c.realmId)).map((c) => c.realmId));
  await Promise.all([...unfinished].map((realmId) => syncCompany(realmId)));
}

/**
 * Pulls every connected company, reads the host apps' changes through their APIs, then pushes
 * what waits in the outboxes.
 */
export async function syncAll(opts: { scheduled?: boolean } = {}): Promise<void> {
  const connected = await db.connections.where('status').equals('connected').primaryKeys();
  // On the schedule, a company is pulled only when its own interval came (the schedule runs every
  // minute while a customer sync is on) and no open tab pulled it just now.
  const interval = (await readSetting(SETTINGS.syncIntervalMinutes)) * 60_000;
  const due = async (realmId: string) => {
    if (!opts.scheduled) return true;
    const since = Date.now() - ((await db.connections.get(realmId))?.lastSyncAt ?? 0);
    return since >= (await customerSyncOn(realmId) ? CUSTOMER_SYNC_MINUTES * 60_000 : interval) - 5_000;
  };
  await Promise.all(connected.map(async (realmId) => ((await due(String(realmId))) ? syncCompany(realmId) : undefined)));
  await listApps().catch(() => undefined);
  // What the apps and QuickBooks brought becomes the automations' outbox entries, pushed next.
  await runAutomations(undefined, pushCompany).catch(() => undefined);
  await pushAll();
  await warmMatches().catch(() => undefined);
}

/**
 * Pushes one company's outbox (in the worker). A long push keeps the worker alive by touching an
 * extension API now and then; open host pages are told once per round that changed something.
 */
export async function pushCompany(realmId: string): Promise<PushResult | 'busy' | 'failed'> {
  try {
    const c = await db.connections.get(realmId);
    if (c?.status !== 'connected') return 'failed'; // its entries wait for the reconnect
    const { executors, names } = await hostExecutors();
    const changed: OutboxEntry[] = [];
    const result = await push(await qboFor(realmId), {
      heartbeat: () => void browser.runtime.getPlatformInfo(),
      onChanged: (entries) => {
        changed.push(...entries);
        void notifyHostTabs();
      },
      hostExecutors: executors,
      appName: (id) => names[id] ?? id,
    });
    if (changed.length) void raiseAlerts(changed);
    return result;
  } catch (e) {
    const err = e instanceof QboError ? e : new QboError({ kind: 'Unknown', message: (e as Error).message });
    await appendLog({ realmId, timestamp: Date.now(), type: 'Sync', action: 'Push', status: 'Not Completed', error: `${err.kind} · ${err.message}` });
    return 'failed';
  }
}

/** Browser notifications for failed exports and for imports, where the app's settings ask for them. */
async function raiseAlerts(entries: OutboxEntry[]) {
  if (!browser.notifications) return;
  for (const a of await alertsFor(entries, await knownApps()).catch(() => []))
    await browser.notifications.create(a.id, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title: a.title, message: a.message }).catch(() => undefined);
}

/** Pushes every connected company's outbox (at worker start, on the alarm). */
export async function pushAll(): Promise<void> {
  const connected = await db.connections.where('status').equals('connected').primaryKeys();
  await Promise.all(connected.map((realmId) => pushCompany(realmId)));
}

/** From an extension page: asks the worker to push now (it wakes the worker if it was stopped). */
export async function requestPush(realmId?: string): Promise<void> {
  await sendToWorker('outbox.push', { realmId });
}

/** A tab of a host app opened: pushes the companies with changes waiting for that app. */
export async function pushWaitingFor(profileId: string): Promise<void> {
  const waiting = await db.outbox.where('[state+seq]').between(['pending', 0], ['pending', Infinity]).filter((e) => e.target === profileId && e.waiting === 'host').toArray();
  for (const realmId of new Set(waiting.map((e) => e.realmId))) await pushCompany(realmId);
}

/** While a tab of an app with the customer sync on is open, QuickBooks' changes are read this often. */
export const FRESH_MS = 15_000;
const freshAt = new Map<string, number>();

/**
 * An open page of an app asks for QuickBooks' fresh changes: where the app's customer sync is on,
 * one change data capture call for the company (at most every FRESH_MS, however many tabs ask), the
 * app's own changes, then its automations (what they enqueue is pushed at once). Returns when to ask
 * again (0: the app needs no fresh changes).
 */
export async function freshen(app: App): Promise<number> {
  const ref = { profileId: app.profile.id, origin: app.origin };
  const company = await hostCompany(ref);
  if (!company || !app.profile.api?.kinds.customer || !(await readCustomerSync(company.realmId, ref)).on) return 0;
  // One pull per company per rhythm, whoever asks (several tabs, several apps, the schedule).
  const key = `${app.profile.id} ${app.origin}`;
  if (Date.now() - (freshAt.get(key) ?? 0) < FRESH_MS - 1_000) return FRESH_MS;
  freshAt.set(key, Date.now());
  const pulled = (await db.connections.get(company.realmId))?.lastSyncAt ?? 0;
  if (Date.now() - pulled >= FRESH_MS - 1_000) await syncCompany(company.realmId);
  await listApp(app).catch(() => undefined);
  await runAutomations(app, pushCompany).catch(() => undefined);
  return FRESH_MS;
}
