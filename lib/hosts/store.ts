import type { Table } from 'dexie';
import { db, type HostKey, type HostRecord } from '@/lib/db';
import type { HostApp } from '@/lib/links';

/**
 * The one home of host records: what the extension read of each app's records, by app (profile and
 * origin), company and kind. Nothing else touches their tables.
 */

const keyOf = (realmId: string, app: HostApp, kind: string, hostId: string): HostKey => [realmId, app.profileId, app.origin, kind, hostId];
const ofKind = (realmId: string, app: HostApp, kind: string) => db.hostRecords.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]);

/** One record, if the extension has read it. */
export const hostRecord = (realmId: string, app: HostApp, kind: string, hostId: string): Promise<HostRecord | undefined> => db.hostRecords.get(keyOf(realmId, app, kind, hostId));

/** The records of these ids the extension has read, in the order asked (ids it has not are left out). */
export const hostRecordsOf = async (realmId: string, app: HostApp, kind: string, hostIds: string[]): Promise<HostRecord[]> =>
  (await db.hostRecords.bulkGet(hostIds.map((id) => keyOf(realmId, app, kind, id)))).filter((r): r is HostRecord => !!r);

/** Every record of an app and kind (a fresh array: the caller may sort or filter it). */
export const hostRecordsOfKind = (realmId: string, app: HostApp, kind: string): Promise<HostRecord[]> => ofKind(realmId, app, kind).toArray();

/** How many records of an app and kind are kept. */
export const countOfKind = (realmId: string, app: HostApp, kind: string): Promise<number> => ofKind(realmId, app, kind).count();

/** Read inside a live query to run it again whenever any host record changes. */
export const watchHostRecords = (): Promise<unknown> => db.hostRecords.count();

/** The records of an app and kind, read and changed in one read-write transaction. */
export interface HostGroup {
  get(hostId: string): Promise<HostRecord | undefined>;
  getMany(hostIds: string[]): Promise<(HostRecord | undefined)[]>;
  all(): Promise<HostRecord[]>;
  put(records: HostRecord[]): Promise<void>;
  delete(hostIds: string[]): Promise<void>;
}

/**
 * Runs `body` in one read-write transaction over an app's records of a kind and `also` (other
 * tables it writes with them: what the body reads and writes commits or fails as one). The body
 * awaits only database calls.
 */
export function withHostGroup<T>(realmId: string, app: HostApp, kind: string, also: Table[], body: (g: HostGroup) => Promise<T>): Promise<T> {
  const g: HostGroup = {
    get: (id) => db.hostRecords.get(keyOf(realmId, app, kind, id)),
    getMany: (ids) => db.hostRecords.bulkGet(ids.map((id) => keyOf(realmId, app, kind, id))),
    all: () => ofKind(realmId, app, kind).toArray(),
    put: async (records) => void (await db.hostRecords.bulkPut(records)),
    delete: (ids) => db.hostRecords.bulkDelete(ids.map((id) => keyOf(realmId, app, kind, id))),
  };
  return db.transaction('rw', [db.hostRecords, ...also], () => body(g));
}

/** Deletes these records; returns the ones that were there. */
export const deleteHostRecords = (realmId: string, app: HostApp, kind: string, hostIds: string[]): Promise<HostRecord[]> =>
  withHostGroup(realmId, app, kind, [], async (g) => {
    const there = (await g.getMany(hostIds)).filter((r): r is HostRecord => !!r);
    await g.delete(there.map((r) => r.hostId));
    return there;
  });

// For tests, benches and tools that set up or inspect every app at once.

/** Stores records as they are (of any apps and kinds). */
export const putHostRecords = async (records: HostRecord[]): Promise<void> => void (await db.hostRecords.bulkPut(records));
/** Every host record kept, of every app. */
export const allHostRecords = (): Promise<HostRecord[]> => db.hostRecords.toArray();
/** How many host records are kept, of every app. */
export const countHostRecords = (): Promise<number> => db.hostRecords.count();
/** Forgets every host record. */
export const clearHostRecords = (): Promise<void> => db.hostRecords.clear();
/** Changes one stored record in place. */
export const patchHostRecord = (realmId: string, app: HostApp, kind: string, hostId: string, change: (r: HostRecord) => HostRecord): Promise<void> =>
  withHostGroup(realmId, app, kind, [], async (g) => {
    const r = await g.get(hostId);
    if (r) await g.put([change(r)]);
  });
