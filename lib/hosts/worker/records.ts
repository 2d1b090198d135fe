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
export async function statusesFor(app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[]): Promise<RecordStatus[]> {
  const company = await hostCompany();
  if (!company) return records.map((r) => ({ hostId: r.hostId, state: 'error', reason: NOT_CONNECTED }));
  const statuses = await statesOf(company, app, kind, records);
  void storeHostRecords(company.realmId, app, kind, records).catch(() => undefined);
  return statuses;
}

/** Keeps what a page showed of its records, within MAX_HOST_RECORDS for the app and kind. */
export async function storeHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], max = MAX_HOST_RECORDS) {
  const now = Date.now();
  const rows: HostRecord[] = records.map((r) => ({ realmId, ...app, kind, hostId: r.hostId, name: r.fields.name, email: r.fields.email, fields: r.fields as Record<string, string>, seenAt: now }));
  await db.hostRecords.bulkPut(rows);
  const ofApp = db.hostRecords.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]);
  const over = (await ofApp.count()) - max;
  if (over <= 0) return;
  const all = await ofApp.toArray();
  all.sort((a, b) => a.seenAt - b.seenAt);
  await db.hostRecords.bulkDelete(all.slice(0, over).map((r) => keyOf(realmId, app, kind, r.hostId)));
}
