// The QB cache read and written as one set of records per company and entity: full-load pages
// overlaid by the records changed (or deleted) since. Lookup tables built from it (by id, name,
// customer...) are kept in memory per context and dropped whenever this context writes.
import { parseQueryPage } from '../qbo/client';
import type { EntityName } from '../qbo/schemas';
import { db, type QbRecord } from './index';

type Row = Record<string, unknown> & { Id: string };

const merged = new Map<string, Promise<Map<string, Row>>>();
const key = (realmId: string, entity: string) => `${realmId}:${entity}`;

/** Forgets what this context has read of a company (all of it, or one entity). */
export function forgetCache(realmId?: string, entity?: string) {
  for (const k of [...merged.keys()]) if (!realmId || (entity ? k === key(realmId, entity) : k.startsWith(`${realmId}:`))) merged.delete(k);
}

/** Every current record of an entity, by Id. */
export function recordsOf(realmId: string, entity: string): Promise<Map<string, Row>> {
  const k = key(realmId, entity);
  let m = merged.get(k);
  if (!m) {
    m = (async () => {
      const [pages, changes] = await Promise.all([
        db.qbPages.where('[realmId+entity+page]').between([realmId, entity, 0], [realmId, entity, Infinity]).toArray(),
        db.qbRecords.where('[realmId+entity]').equals([realmId, entity]).toArray(),
      ]);
      const byId = new Map<string, Row>();
      for (const p of pages) for (const r of parseQueryPage(entity as EntityName, p.text) as Row[]) byId.set(r.Id, r);
      for (const c of changes) {
        if (c.deleted) byId.delete(c.id);
        else if (c.data) byId.set(c.id, c.data as Row);
      }
      return byId;
    })();
    merged.set(k, m);
    m.catch(() => merged.delete(k));
  }
  return m;
}

export async function recordOf(realmId: string, entity: string, id: string): Promise<Row | undefined> {
  return (await recordsOf(realmId, entity)).get(id);
}

/**
 * The name of the record a reference points at. QuickBooks leaves the name off many references
 * (terms, tax codes, often payment methods and accounts): the cached record has it.
 */
export async function refName(realmId: string, entity: string, ref: { value?: string; name?: string } | undefined): Promise<string | undefined> {
  if (!ref?.value) return undefined;
  if (ref.name) return ref.name;
  const rec = await recordOf(realmId, entity, ref.value);
  const name = rec?.Name ?? rec?.DisplayName ?? rec?.FullyQualifiedName;
  return typeof name === 'string' ? name : undefined;
}

/** Stores one page of a full load, as QuickBooks sent it. */
export async function putLoadPage(realmId: string, entity: string, page: number, text: string, rows: number, pulledAt: number) {
  await db.qbPages.put({ realmId, entity, page, text, rows, pulledAt });
  forgetCache(realmId, entity);
}

/**
 * Ends a full load: pages past its last one are dropped, and changes older than the load are
 * dropped too (the pages are fresher). Changes that arrived during the load stay.
 */
export async function finishLoad(realmId: string, entity: string, pages: number, loadStartedAt: number) {
  await db.qbPages.where('[realmId+entity+page]').between([realmId, entity, pages + 1], [realmId, entity, Infinity]).delete();
  await db.qbRecords.where('[realmId+entity]').equals([realmId, entity]).filter((r) => r.pulledAt < loadStartedAt).delete();
  forgetCache(realmId, entity);
}

/** Records changed in QuickBooks since the load. With none, what this context has read stays. */
export async function putChanges(realmId: string, entity: string, rows: Record<string, unknown>[], at: number) {
  if (rows.length === 0) return;
  await db.qbRecords.bulkPut(rows.map((data): QbRecord => ({ realmId, entity, id: String(data.Id), pulledAt: at, data })));
  forgetCache(realmId, entity);
}

/** Records deleted in QuickBooks since the load. With none, what this context has read stays. */
export async function putDeletions(realmId: string, entity: string, ids: string[], at: number) {
  if (ids.length === 0) return;
  await db.qbRecords.bulkPut(ids.map((id): QbRecord => ({ realmId, entity, id, pulledAt: at, deleted: true })));
  forgetCache(realmId, entity);
}

/** How many records the cache holds for a company (for tests and progress). */
export async function countRecords(realmId: string, entities: string[]): Promise<number> {
  let n = 0;
  for (const e of entities) n += (await recordsOf(realmId, e)).size;
  return n;
}
