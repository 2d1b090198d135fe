import Dexie, { type Table } from 'dexie';
import { db, HOST_CHUNK, type HostAppState, type HostChunkRow, type HostGroupKey, type HostGroupRow, type HostRecord } from '@/lib/db';
import type { HostApp } from '@/lib/links';

/**
 * The one home of host records: what the extension read of each app's records, by company, app
 * (profile and origin) and kind. Nothing else touches their tables.
 *
 * An app and kind's records (a group) are kept in chunks of at most HOST_CHUNK, in the order they
 * were first stored, plus a group row naming each chunk's revision. Each context (the worker, the
 * side panel) keeps the groups it read in memory and checks them against the group row on every
 * call (one small read): only chunks another context rewrote meanwhile are read again. Records
 * handed out are the cached objects: callers read them and never change them.
 */

interface Loaded {
  gen: string;
  rev: number;
  chunkRevs: number[];
  chunks: HostRecord[][];
  byId: Map<string, HostRecord>;
  chunkOf: Map<string, number>;
  /** The group's records ordered by id, made when first asked for. */
  sorted?: HostRecord[];
}

const EMPTY: Loaded = { gen: '', rev: 0, chunkRevs: [], chunks: [], byId: new Map(), chunkOf: new Map() };

/** At most this many records are cached per context, in whole groups (the least recently used is dropped first). */
const MAX_CACHED_RECORDS = 100_000;
const cache = new Map<string, Loaded>();

const groupKey = (realmId: string, app: HostApp, kind: string): HostGroupKey => [realmId, app.profileId, app.origin, kind];
const cacheKey = (key: HostGroupKey) => JSON.stringify(key);

function remember(key: HostGroupKey, loaded: Loaded) {
  const k = cacheKey(key);
  cache.delete(k);
  cache.set(k, loaded);
  let cached = 0;
  for (const l of cache.values()) cached += l.byId.size;
  for (const [old, l] of cache) {
    if (cached <= MAX_CACHED_RECORDS || old === k) break;
    cache.delete(old);
    cached -= l.byId.size;
  }
}

/** A group as stored now; inside a transaction over hostGroups and hostChunks. */
async function load(key: HostGroupKey): Promise<Loaded> {
  const row = await db.hostGroups.get(key);
  if (!row) {
    cache.delete(cacheKey(key));
    return EMPTY;
  }
  const had = cache.get(cacheKey(key));
  const same = had?.gen === row.gen ? had : undefined;
  if (same?.rev === row.rev) {
    remember(key, same);
    return same;
  }
  const stale = row.chunkRevs.flatMap((rev, i) => (same?.chunkRevs[i] === rev ? [] : [i]));
  const read = await db.hostChunks.bulkGet(stale.map((i) => [...key, i] as [...HostGroupKey, number]));
  const fresh = new Map(stale.map((i, j) => [i, read[j]?.records ?? []]));
  const chunks = row.chunkRevs.map((_, i) => fresh.get(i) ?? same!.chunks[i]);
  const loaded = indexed({ gen: row.gen, rev: row.rev, chunkRevs: row.chunkRevs, chunks });
  remember(key, loaded);
  return loaded;
}

function indexed(l: Pick<Loaded, 'gen' | 'rev' | 'chunkRevs' | 'chunks'>): Loaded {
  const byId = new Map<string, HostRecord>();
  const chunkOf = new Map<string, number>();
  l.chunks.forEach((c, i) => {
    for (const r of c) {
      byId.set(r.hostId, r);
      chunkOf.set(r.hostId, i);
    }
  });
  return { ...l, byId, chunkOf };
}

/** Reads a group in its own read transaction (or the caller's, when that one spans the tables). */
const reading = <T>(key: HostGroupKey, read: (l: Loaded) => T): Promise<T> => db.transaction('r', db.hostGroups, db.hostChunks, async () => read(await load(key)));

/** One record, if the extension has read it. */
export const hostRecord = (realmId: string, app: HostApp, kind: string, hostId: string): Promise<HostRecord | undefined> =>
  reading(groupKey(realmId, app, kind), (l) => l.byId.get(hostId));

/** The records of these ids the extension has read, in the order asked (ids it has not are left out). */
export const hostRecordsOf = (realmId: string, app: HostApp, kind: string, hostIds: string[]): Promise<HostRecord[]> =>
  reading(groupKey(realmId, app, kind), (l) => hostIds.map((id) => l.byId.get(id)).filter((r): r is HostRecord => !!r));

/** Every record of an app and kind, ordered by id (a fresh array: the caller may sort or filter it). */
export const hostRecordsOfKind = (realmId: string, app: HostApp, kind: string): Promise<HostRecord[]> =>
  reading(groupKey(realmId, app, kind), (l) => sortedOf(l).slice());

function sortedOf(l: Loaded): HostRecord[] {
  l.sorted ??= l.chunks.flat().sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
  return l.sorted;
}

/** How many records of an app and kind are kept. */
export const countOfKind = async (realmId: string, app: HostApp, kind: string): Promise<number> => (await db.hostGroups.get(groupKey(realmId, app, kind)))?.count ?? 0;

/** What the extension knows of a profile's apps, one row per origin: their listings, problems, records gone. */
export const appStates = (profileId: string): Promise<HostAppState[]> => db.hostApps.where('[profileId+origin]').between([profileId, ''], [profileId, '\uffff']).toArray();

/** How many records of each kind are kept of an app for a company. */
export async function countsOfApp(realmId: string, app: HostApp): Promise<Record<string, number>> {
  const groups = await db.hostGroups.where('[realmId+profileId+origin+kind]').between([realmId, app.profileId, app.origin, ''], [realmId, app.profileId, app.origin, '\uffff']).toArray();
  return Object.fromEntries(groups.map((g) => [g.kind, g.count]));
}

/** Read inside a live query to run it again whenever any host record changes (every write moves its group's row). */
export const watchHostRecords = (): Promise<unknown> => db.hostGroups.toArray();

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
 * tables written with them: all of it commits or fails as one). The body awaits only database
 * calls. Its changes are written when it returns: the chunks they touch, and the group's row.
 */
export async function withHostGroup<T>(realmId: string, app: HostApp, kind: string, also: Table[], body: (g: HostGroup) => Promise<T>): Promise<T> {
  const key = groupKey(realmId, app, kind);
  // Inside a caller's transaction nothing is committed when this returns: what it wrote is not cached.
  const nested = !!Dexie.currentTransaction;
  let next: Loaded | undefined;
  try {
    const out = await db.transaction('rw', [db.hostGroups, db.hostChunks, ...also], async () => {
      const base = await load(key);
      const staged = new Map<string, HostRecord | null>();
      const get = (id: string) => (staged.has(id) ? (staged.get(id) ?? undefined) : base.byId.get(id));
      const result = await body({
        get: async (id) => get(id),
        getMany: async (ids) => ids.map(get),
        all: async () => [...base.chunks.flat().map((r) => (staged.has(r.hostId) ? staged.get(r.hostId) : r)), ...[...staged.values()].filter((r) => r && !base.byId.has(r.hostId))].filter((r): r is HostRecord => !!r),
        put: async (records) => {
          for (const r of records) {
            if (r.realmId !== realmId || r.profileId !== app.profileId || r.origin !== app.origin || r.kind !== kind) throw new Error(`A ${r.kind} record of ${r.profileId} (${r.origin}) cannot be stored with the ${kind} records of ${app.profileId} (${app.origin}).`);
            staged.set(r.hostId, r);
          }
        },
        delete: async (ids) => {
          for (const id of ids) if (get(id)) staged.set(id, null);
        },
      });
      if (staged.size) next = await write(key, base, staged);
      return result;
    });
    if (next && !nested) remember(key, next);
    else if (next) cache.delete(cacheKey(key));
    return out;
  } catch (e) {
    cache.delete(cacheKey(key));
    throw e;
  }
}

/** Writes a group's staged changes: each chunk they touch rewritten, new records appended, and the group row. */
async function write(key: HostGroupKey, base: Loaded, staged: Map<string, HostRecord | null>): Promise<Loaded> {
  const chunks = base.chunks.slice();
  const touched = new Set<number>();
  const added: HostRecord[] = [];
  for (const [id, r] of staged) {
    const c = base.chunkOf.get(id);
    if (c !== undefined) touched.add(c);
    else if (r) added.push(r);
  }
  for (const c of touched) chunks[c] = base.chunks[c].flatMap((r) => (staged.has(r.hostId) ? (staged.get(r.hostId) ?? []) : [r]));
  for (const r of added) {
    let c = chunks.length - 1;
    if (c < 0 || chunks[c].length >= HOST_CHUNK) chunks.push([]), c++;
    if (!touched.has(c)) chunks[c] = chunks[c].slice();
    touched.add(c);
    chunks[c].push(r);
  }
  const count = chunks.reduce((n, c) => n + c.length, 0);
  const rev = base.rev + 1;
  let chunkRevs = base.chunkRevs.slice();
  let written = [...touched];
  let gone: number[] = [];
  // Deletions leave chunks part empty: once half the room is unused, the group is packed again (an emptied group keeps no chunks).
  if ((chunks.length > 2 && count < (chunks.length * HOST_CHUNK) / 2) || (count === 0 && chunks.length > 0)) {
    const packed: HostRecord[][] = [];
    const all = chunks.flat();
    for (let i = 0; i < all.length; i += HOST_CHUNK) packed.push(all.slice(i, i + HOST_CHUNK));
    gone = chunks.map((_, i) => i).filter((i) => i >= packed.length);
    chunks.splice(0, chunks.length, ...packed);
    chunkRevs = [];
    written = packed.map((_, i) => i);
  }
  for (const c of written) chunkRevs[c] = rev;
  chunkRevs.length = chunks.length;
  const [realmId, profileId, origin, kind] = key;
  const gen = base.gen || crypto.randomUUID();
  await db.hostChunks.bulkPut(written.map((c): HostChunkRow => ({ realmId, profileId, origin, kind, chunk: c, records: chunks[c] })));
  if (gone.length) await db.hostChunks.bulkDelete(gone.map((c) => [...key, c] as [...HostGroupKey, number]));
  const row: HostGroupRow = { realmId, profileId, origin, kind, gen, rev, chunkRevs, count };
  await db.hostGroups.put(row);
  return indexed({ gen, rev, chunkRevs, chunks });
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
export async function putHostRecords(records: HostRecord[]): Promise<void> {
  const groups = new Map<string, HostRecord[]>();
  for (const r of records) {
    const k = cacheKey(groupKey(r.realmId, r, r.kind));
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  for (const [first, ...rest] of groups.values()) await withHostGroup(first.realmId, first, first.kind, [], (g) => g.put([first, ...rest]));
}

/** Every host record kept, of every app, ordered by company, app, kind and id. */
export async function allHostRecords(): Promise<HostRecord[]> {
  const key = (r: HostRecord) => [r.realmId, r.profileId, r.origin, r.kind, r.hostId];
  const order = (a: HostRecord, b: HostRecord) => {
    const [x, y] = [key(a), key(b)];
    const i = x.findIndex((v, j) => v !== y[j]);
    return i < 0 ? 0 : x[i] < y[i] ? -1 : 1;
  };
  return (await db.hostChunks.toArray()).flatMap((c) => c.records).sort(order);
}

/** How many host records are kept, of every app. */
export const countHostRecords = async (): Promise<number> => (await db.hostGroups.toArray()).reduce((n, g) => n + g.count, 0);

/** Forgets every host record (and what this context had cached of them). */
export async function clearHostRecords(): Promise<void> {
  await db.transaction('rw', db.hostGroups, db.hostChunks, async () => {
    await db.hostGroups.clear();
    await db.hostChunks.clear();
  });
  cache.clear();
}

/** Changes one stored record. */
export const patchHostRecord = (realmId: string, app: HostApp, kind: string, hostId: string, change: (r: HostRecord) => HostRecord): Promise<void> =>
  withHostGroup(realmId, app, kind, [], async (g) => {
    const r = await g.get(hostId);
    if (r) await g.put([change(r)]);
  });
