// Records a host page sent: each one's QuickBooks state for its badge, and a copy kept as a host
// record (what the side panel and workflows know of the app). What a page sends is a hint from an
// untrusted page, so the copies are bounded per app and kind: a page inventing rows cannot fill
// the extension's storage, it only pushes its own oldest rows out.
import { db, type HostRecord } from '../../db';
import { hostCompany, keyOf, NOT_CONNECTED, statesOf, type Fields, type HostApp, type RecordStatus } from '../../links';
import type { RecordKind } from '../profile';

/** Host records kept per app and kind; the least recently seen go first. */
export const MAX_HOST_RECORDS = 50_000;

/** The state of each record a page sent; the records are stored as host records afterwards. */
export async function statusesFor(app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], onHints?: (hostIds: string[]) => void): Promise<RecordStatus[]> {
  const company = await hostCompany(app);
  if (!company) return records.map((r) => ({ hostId: r.hostId, state: 'error', reason: NOT_CONNECTED }));
  const statuses = await statesOf(company, app, kind, records);
  void storeHostRecords(company.realmId, app, kind, records)
    .then((hints) => hints.length && onHints?.(hints))
    .catch(() => undefined);
  return statuses;
}

/**
 * Keeps what a page showed of its records, within MAX_HOST_RECORDS page records for the app and
 * kind. A record the app's API described keeps what the API said (the page is only a hint). Returns
 * the ids the page showed that the API has not described as shown: for the API to confirm.
 */
export async function storeHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], max = MAX_HOST_RECORDS): Promise<string[]> {
  const now = Date.now();
  const keys = records.map((r) => keyOf(realmId, app, kind, r.hostId));
  const stored = await db.hostRecords.bulkGet(keys);
  const hints: string[] = [];
  const rows: HostRecord[] = records.map((r, i) => {
    const before = stored[i];
    const fields = r.fields as Record<string, string>;
    const changedOnPage = before?.pageFields !== undefined && JSON.stringify(before.pageFields) !== JSON.stringify(fields);
    if (before?.source === 'api') {
      // The API said what it holds; the page changing what it shows since it was last seen is a hint.
      if (changedOnPage) hints.push(r.hostId);
      return { ...before, pageFields: fields, seenAt: now };
    }
    if (!before || changedOnPage) hints.push(r.hostId);
    return { realmId, ...app, kind, hostId: r.hostId, name: fields.name, email: fields.email, fields, pageFields: fields, source: 'page', seenAt: now };
  });
  await db.hostRecords.bulkPut(rows);
  const pageRows = db.hostRecords.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).filter((r) => r.source !== 'api');
  const over = (await pageRows.count()) - max;
  if (over > 0) {
    const all = await pageRows.toArray();
    all.sort((a, b) => a.seenAt - b.seenAt);
    await db.hostRecords.bulkDelete(all.slice(0, over).map((r) => keyOf(realmId, app, kind, r.hostId)));
  }
  return hints;
}
