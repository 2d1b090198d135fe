// The outbox's executors for host apps (lib/sync/push.ts, HostExecutor): a create or an update of
// an app's record through its API. An entry's intent is `{ fields, lines? }` in the profile's field
// names. An app write has no requestid: after a failure whose outcome is unknown, the record is
// looked for in the app, by the QuickBooks id the write put in it, before anything is sent again.
import type { OutboxEntry } from '../../db';
import { link, type HostApp } from '../../links';
import type { NewWrite } from '../../sync/outbox';
import type { HostExecutor } from '../../sync/push';
import { takeRecords } from './apps';
import { AppClient, canWrite, HostError, type App } from './executor';
import { enabledProfiles } from './registry';
import { shortName } from '../profile';

export interface HostIntent {
  fields: Record<string, unknown>;
  /** A write of the QuickBooks id (or none) into the app's field for it (writeBackWrites). */
  writeBack?: true;
  lines?: Record<string, unknown>[];
  /** The field of the app's record that holds the QuickBooks id (found again after a lost answer). */
  qbIdField?: string;
}

async function appOf(entry: OutboxEntry): Promise<App> {
  const profile = (await enabledProfiles()).find((p) => p.id === entry.target);
  if (!profile || !entry.host) throw new HostError('NoApi', `The app ${entry.target} is not turned on.`);
  return { profile, origin: entry.host.origin };
}

/** Looks through the app's records for the one a lost create made (it carries the QuickBooks id). */
async function findMade(client: AppClient, entry: OutboxEntry, intent: HostIntent): Promise<string | undefined> {
  const field = intent.qbIdField;
  const want = field ? intent.fields[field] : undefined;
  if (!field || want === undefined) return undefined;
  const since = new Date((entry.firstSentAt ?? entry.createdAt) - 10 * 60_000).toISOString();
  for await (const page of client.list(entry.entity, since)) {
    const hit = page.records.find((r) => r.fields[field] === String(want));
    if (hit) return hit.hostId;
  }
  return undefined;
}

/** One executor per app target: available when the app can be written to now. */
export const hostExecutor: HostExecutor = {
  async available(entry) {
    try {
      return await canWrite(await appOf(entry));
    } catch {
      return false;
    }
  },
  async run(entry) {
    const app = await appOf(entry);
    // The body holds the intent with what it depends on filled in (a QuickBooks id written back).
    const intent = (entry.body ?? entry.intent) as unknown as HostIntent;
    const client = new AppClient(app, { forWrite: true });
    if (entry.operation === 'create') {
      let hostId = entry.ambiguous ? await findMade(client, entry, intent) : undefined;
      let made: Awaited<ReturnType<AppClient['create']>> | undefined;
      if (!hostId) {
        made = await client.create(entry.entity, intent.fields, intent.lines);
        hostId = made.hostId;
      }
      // Linked before the app's record is taken in: an automation that sees it created sees it is
      // QuickBooks' (and one found by a listing first is linked by its quickbooksId, lib/workflows).
      if (entry.qbId) await link(entry.realmId, { profileId: app.profile.id, origin: app.origin }, entry.entity, hostId, { entity: String(entry.intent.qbEntity ?? ''), id: entry.qbId }, 'created');
      if (made) await takeRecords(entry.realmId, app, entry.entity, [made]);
      return { hostId };
    }
    if (entry.operation === 'update') {
      const hostId = entry.host!.hostId;
      const made = await client.update(entry.entity, hostId, intent.fields, intent.lines);
      if (made.fields.hostId) await takeRecords(entry.realmId, app, entry.entity, [made]);
      return { hostId };
    }
    throw new HostError('NoApi', `The extension does not ${entry.operation} records in ${app.profile.name}.`);
  },
};

/** Executors for every enabled app with an API, by profile id; and the apps' names. */
export async function hostExecutors(): Promise<{ executors: Record<string, HostExecutor>; names: Record<string, string> }> {
  const profiles = (await enabledProfiles()).filter((p) => p.api);
  return {
    executors: Object.fromEntries(profiles.map((p) => [p.id, hostExecutor])),
    names: Object.fromEntries(profiles.map((p) => [p.id, shortName(p)])),
  };
}

/** Whether an outbox entry writes a QuickBooks id into an app (writeBackWrites). */
export const isWriteBack = (e: OutboxEntry) => e.target !== 'qbo' && (e.intent as Partial<HostIntent> | undefined)?.writeBack === true;

/** The field of a kind where the app keeps the QuickBooks id the extension writes into it, if its profile has one. */
export async function writeBackField(app: HostApp, kind: string): Promise<string | undefined> {
  return (await enabledProfiles()).find((p) => p.id === app.profileId)?.api?.kinds[kind]?.writeBack?.qbId;
}

/**
 * The writes that put QuickBooks ids back into an app's records, where its profile declares a
 * field for them (`api.kinds.<kind>.writeBack`; Ledgerly's "QuickBooks CustomerID"); none where
 * it does not. `qbId` is an id, `{ $id: "#i" }` for what the i-th write of the same enqueue creates,
 * or null when a record is unsynced. Each is a write of its own (a person may link, unsync and link
 * again), so its version is the moment it was asked for.
 */
export async function writeBackWrites(
  realmId: string,
  app: HostApp,
  kind: string,
  items: { hostId: string; qbId: string | { $id: string } | null }[],
  origin: OutboxEntry['origin'],
): Promise<NewWrite[]> {
  const field = await writeBackField(app, kind);
  if (!field) return [];
  const at = String(Date.now());
  return items.map(({ hostId, qbId }) => ({
    realmId,
    target: app.profileId,
    operation: 'update',
    entity: kind,
    host: { ...app, kind, hostId },
    intent: { fields: { [field]: qbId }, writeBack: true },
    version: at,
    origin,
  }));
}
