// Pull sync: QuickBooks into the local QB cache. The first load of each entity reads every row
// (inactive ones too) in parallel pages of 1,000; after that, change data capture on a schedule;
// once a day a full reload that also drops copies QuickBooks no longer has. Every page is stored
// together with the cursor that records it, so a worker stopped mid-load resumes where it was.
import { db, type SyncCursor } from '../db';
import { finishLoad, putChanges, putDeletions, putLoadPage, recordOf } from '../db/qbcache';
import { withLock } from '../locks';
import { fullReadQuery, PAGE, type QboClient } from '../qbo/client';
import { CUSTOMER_TRANSACTIONS, VENDOR_TRANSACTIONS, type EntityName } from '../qbo/schemas';
import { DAY } from '../time';

/** What the extension keeps a copy of, in the order a first load fetches it. */
export const PULLED_ENTITIES: EntityName[] = [
  'Customer', 'Vendor', 'Item', 'Account', 'Class', 'PaymentMethod', 'Term',
  'Invoice', 'Payment', 'Estimate', 'SalesReceipt', 'CreditMemo', 'Bill', 'BillPayment', 'PurchaseOrder', 'VendorCredit',
];
/** QBO keeps changes for 30 days; older cursors reload instead. */
const CDC_WINDOW_MS = 29 * DAY;
/** Overlap between one change query and the next, for clocks that disagree a little. */
const OVERLAP_MS = 5 * 60_000;
export const FULL_RELOAD_EVERY_MS = DAY;

export interface PullResult {
  loaded: number;
  changed: number;
  deleted: number;
  fullLoads: EntityName[];
}

function freshCursor(realmId: string, entity: string, now: number, previous?: SyncCursor): SyncCursor {
  return {
    realmId,
    entity,
    phase: 'initial',
    loaded: 0,
    pagesDone: [],
    loadStartedAt: now,
    changedSince: new Date(now - OVERLAP_MS).toISOString(),
    lastFullLoadAt: previous?.lastFullLoadAt,
  };
}

async function cursorsFor(realmId: string, now: number): Promise<SyncCursor[]> {
  const existing = new Map((await db.syncCursors.where('realmId').equals(realmId).toArray()).map((c) => [c.entity, c]));
  const fresh: SyncCursor[] = [];
  const cursors = PULLED_ENTITIES.map((entity) => {
    const c = existing.get(entity);
    const stale =
      c?.phase === 'incremental' &&
      (!c.changedSince || now - Date.parse(c.changedSince) > CDC_WINDOW_MS || now - (c.lastFullLoadAt ?? 0) > FULL_RELOAD_EVERY_MS);
    if (c && !stale) return c;
    fresh.push(freshCursor(realmId, entity, now, c));
    return fresh[fresh.length - 1];
  });
  await db.syncCursors.bulkPut(fresh);
  return cursors;
}

/** Stores one page (as QuickBooks sent it) and records it in the cursor, in one transaction. */
async function storePage(realmId: string, entity: EntityName, page: number, text: string, rows: number, total: number | undefined, pulledAt: number) {
  await db.transaction('rw', db.qbPages, db.syncCursors, async () => {
    await putLoadPage(realmId, entity, page, text, rows, pulledAt);
    const c = (await db.syncCursors.get([realmId, entity]))!;
    if (!c.pagesDone.includes(page)) c.pagesDone.push(page);
    c.loaded += rows;
    if (total !== undefined) c.total = total;
    await db.syncCursors.put(c);
  });
}

/** The full load of one entity: resumes from the pages already stored. */
async function fullLoad(client: QboClient, cursor: SyncCursor): Promise<number> {
  const { realmId } = cursor;
  const entity = cursor.entity as EntityName;
  const pulledAt = cursor.loadStartedAt ?? Date.now();
  const q = fullReadQuery(entity);
  let loaded = 0;
  let total = cursor.total;
  if (!cursor.pagesDone.includes(1)) {
    const first = await client.queryPageText(q, 1, PAGE);
    if (first.count < PAGE) total = first.count;
    await storePage(realmId, entity, 1, first.text, first.count, total, pulledAt);
    loaded += first.count;
  }
  if (total === undefined) {
    total = await client.count(q);
    await db.syncCursors.update([realmId, entity], { total });
  }
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const done = new Set((await db.syncCursors.get([realmId, entity]))!.pagesDone);
  const missing = Array.from({ length: pages }, (_, i) => i + 1).filter((p) => !done.has(p));
  const sizes = await Promise.all(
    missing.map(async (p) => {
      const page = await client.queryPageText(q, (p - 1) * PAGE + 1, PAGE);
      await storePage(realmId, entity, p, page.text, page.count, total, pulledAt);
      loaded += page.count;
      return [p, page.count] as const;
    }),
  );
  // More rows than counted on the last page: keep going until a short page.
  let last = sizes.find(([p]) => p === pages)?.[1];
  let stored = pages;
  for (let p = pages + 1; last === PAGE && total % PAGE !== 0; p++) {
    const page = await client.queryPageText(q, (p - 1) * PAGE + 1, PAGE);
    await storePage(realmId, entity, p, page.text, page.count, undefined, pulledAt);
    loaded += page.count;
    last = page.count;
    stored = p;
  }
  // Pages and changes this load did not see are no longer in QuickBooks.
  await db.transaction('rw', db.qbPages, db.qbRecords, db.syncCursors, async () => {
    await finishLoad(realmId, entity, stored, pulledAt);
    await db.syncCursors.update([realmId, entity], { phase: 'incremental', lastFullLoadAt: Date.now(), pagesDone: [] });
  });
  return loaded;
}

/** Change data capture for every entity past its first load; a truncated answer is re-read by query. */
async function applyChanges(client: QboClient, cursors: SyncCursor[]): Promise<{ changed: number; deleted: number }> {
  if (cursors.length === 0) return { changed: 0, deleted: 0 };
  const realmId = cursors[0].realmId;
  const since = cursors.map((c) => c.changedSince!).sort()[0];
  const entities = cursors.map((c) => c.entity as EntityName);
  const now = Date.now();
  const result = await client.cdc(entities, since);
  // QuickBooks' clock against this computer's, to compare its times with an app's.
  // (And how far its changes have been read, on its own clock: a customer sync's watch follows it.)
  if (result.time && !Number.isNaN(Date.parse(result.time))) await db.connections.update(realmId, { clockOffsetMs: Date.parse(result.time) - Date.now(), changesReadTo: Date.parse(result.time) });
  let changedRows: [EntityName, Record<string, any>[]][] = entities.map((e) => [e, (result.changed[e] ?? []) as Record<string, any>[]]);
  if (result.truncated) {
    // QuickBooks answered with at most 1,000 objects: read each entity's changes by query instead.
    changedRows = await Promise.all(
      entities.map(async (e) => [e, (await client.queryAll(e, (q) => q.where('MetaData.LastUpdatedTime', '>=', since))) as Record<string, any>[]] as [EntityName, Record<string, any>[]]),
    );
  }
  const touchedCustomers = new Set<string>();
  const touchedVendors = new Set<string>();
  let changed = 0;
  let deleted = 0;
  const partyOf = (r: Record<string, any> | undefined) => (r?.CustomerRef?.value ?? r?.VendorRef?.value) as string | undefined;
  for (const entity of entities)
    for (const id of result.deleted[entity] ?? []) {
      const party = partyOf(await recordOf(realmId, entity, id));
      if (party && CUSTOMER_TRANSACTIONS.includes(entity)) touchedCustomers.add(party);
      if (party && VENDOR_TRANSACTIONS.includes(entity)) touchedVendors.add(party);
    }
  await db.transaction('rw', db.qbRecords, db.syncCursors, async () => {
    for (const [entity, rows] of changedRows) {
      for (const r of rows) {
        if (CUSTOMER_TRANSACTIONS.includes(entity) && partyOf(r)) touchedCustomers.add(partyOf(r)!);
        if (VENDOR_TRANSACTIONS.includes(entity) && partyOf(r)) touchedVendors.add(partyOf(r)!);
      }
      await putChanges(realmId, entity, rows, now);
      changed += rows.length;
    }
    for (const entity of entities) {
      const ids = result.deleted[entity] ?? [];
      await putDeletions(realmId, entity, ids, now);
      deleted += ids.length;
    }
    const next = result.time ? new Date(Date.parse(result.time) - OVERLAP_MS).toISOString() : new Date(now - OVERLAP_MS).toISOString();
    for (const c of cursors) await db.syncCursors.update([realmId, c.entity], { changedSince: next });
  });
  // A payment changes its customer's balance without changing the customer: read them again.
  for (const [entity, ids] of [['Customer', touchedCustomers], ['Vendor', touchedVendors]] as const) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += 500) {
      const rows = await client.queryAll(entity, (q) => q.where('Id', 'IN', list.slice(i, i + 500)));
      await putChanges(realmId, entity, rows as Record<string, unknown>[], now);
    }
  }
  return { changed, deleted };
}

/**
 * One pull for one company: finishes (or starts) full loads, then applies changes for everything
 * already loaded. Runs at most once at a time per company across every context.
 */
export async function pull(client: QboClient): Promise<PullResult | 'busy'> {
  const realmId = client.realmId;
  const run = async (): Promise<PullResult> => {
    const now = Date.now();
    const cursors = await cursorsFor(realmId, now);
    const initial = cursors.filter((c) => c.phase === 'initial');
    // Every load ends before the pull does (and lets go of its lock), even when one fails.
    const loads = await Promise.allSettled(initial.map((c) => fullLoad(client, c)));
    for (const r of loads) if (r.status === 'rejected') throw r.reason;
    const loaded = loads.reduce((a, r) => a + (r.status === 'fulfilled' ? r.value : 0), 0);
    const incremental = cursors.filter((c) => c.phase === 'incremental');
    const { changed, deleted } = await applyChanges(client, incremental);
    await db.connections.update(realmId, { lastSyncAt: Date.now() });
    return { loaded, changed, deleted, fullLoads: initial.map((c) => c.entity as EntityName) };
  };
  return withLock(`qbc-pull-${realmId}`, { ifAvailable: true }, async (held) => (held ? run() : 'busy'));
}

export interface PullProgress {
  loading: boolean;
  /** Lists (entities) in this load, and how many are done. */
  lists: number;
  listsDone: number;
  /** Records stored so far, and how many there are (once every list's size is known). */
  loaded: number;
  total: number | undefined;
}

/**
 * How far the current full load has come, for a progress bar: the lists still loading and those
 * that finished since it started. A list's size is known from its first page (or its count).
 */
export function progressOf(cursors: SyncCursor[]): PullProgress {
  const initial = cursors.filter((c) => c.phase === 'initial');
  if (!initial.length) return { loading: false, lists: 0, listsDone: 0, loaded: 0, total: 0 };
  const startedAt = Math.min(...initial.map((c) => c.loadStartedAt ?? 0));
  const done = cursors.filter((c) => c.phase === 'incremental' && (c.lastFullLoadAt ?? 0) >= startedAt);
  const all = [...initial, ...done];
  const known = initial.every((c) => c.total !== undefined);
  return {
    loading: true,
    lists: all.length,
    listsDone: done.length,
    loaded: all.reduce((a, c) => a + c.loaded, 0),
    total: known ? all.reduce((a, c) => a + (c.phase === 'initial' ? c.total! : c.loaded), 0) : undefined,
  };
}
