// The sync schedule: an alarm pulls every connected company (CDC every few minutes, a full
// reload once a day), and "Sync now" runs the same pull at once.
import { qboFor } from '../auth/connection';
import { db } from '../db';
import { appendLog } from '../db/logs';
import { QboError } from '../qbo/errors';
import { notifyHostTabs } from '../hosts/registry';
import { pull, type PullResult } from './pull';

export const PULL_ALARM = 'qbc-pull';
/** Minutes between pulls; Chrome allows alarms every 30 seconds at most. */
export const DEFAULT_INTERVAL_MINUTES = 5;
export const MIN_INTERVAL_MINUTES = 0.5;

export async function syncIntervalMinutes(): Promise<number> {
  const v = (await db.settings.get(['', 'syncIntervalMinutes']))?.value;
  return typeof v === 'number' && v >= MIN_INTERVAL_MINUTES ? v : DEFAULT_INTERVAL_MINUTES;
}

/** Pulls one company; failures are logged and leave the connection as it is (unless QuickBooks refused it). */
export async function syncCompany(realmId: string): Promise<PullResult | 'busy' | 'failed'> {
  try {
    const result = await pull(await qboFor(realmId));
    if (result !== 'busy' && result.loaded + result.changed + result.deleted > 0) await notifyHostTabs();
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

/** Pulls every connected company. */
export async function syncAll(): Promise<void> {
  const connected = await db.connections.where('status').equals('connected').primaryKeys();
  await Promise.all(connected.map((realmId) => syncCompany(realmId)));
}
