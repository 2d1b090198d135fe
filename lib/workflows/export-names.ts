// Export: an app's vendors and customers created in QuickBooks (the console's Export; the page's
// "Create QB vendor"), through the outbox. Each carries its origin's marker; the app record is
// linked to what QuickBooks makes when it lands. A name QuickBooks already has fails with 6240,
// and the console offers to link to the existing record instead.
import type { HostRecord } from '../db';
import { link, type HostApp } from '../links';
import { enqueue, type NewWrite } from '../sync/outbox';
import { RECORD_KINDS, type RecordKind } from '../hosts/profile';
import { writeBackWrites } from '../hosts/worker/writes';

/** What QuickBooks gets for an app's vendor or customer: its name, company, email and phone. */
export function nameBody(record: HostRecord): Record<string, unknown> {
  const f = record.fields;
  const name = (record.name ?? f.name ?? '').trim();
  return {
    DisplayName: name,
    ...(f.company && f.company !== name ? { CompanyName: f.company.slice(0, 100) } : {}),
    ...(record.email ?? f.email ? { PrimaryEmailAddr: { Address: (record.email ?? f.email)!.trim() } } : {}),
    ...(f.phone ? { PrimaryPhone: { FreeFormNumber: f.phone.slice(0, 20) } } : {}),
  };
}

export function exportWrite(realmId: string, app: HostApp, appName: string, kind: RecordKind, record: HostRecord): NewWrite {
  if (kind !== 'vendor' && kind !== 'customer') throw new Error(`Exporting ${kind} records is not supported here yet.`);
  return {
    realmId,
    operation: 'create',
    entity: RECORD_KINDS[kind],
    host: { profileId: app.profileId, origin: app.origin, kind, hostId: record.hostId },
    appName,
    intent: nameBody(record),
    origin: { kind: 'user', name: `Export ${kind === 'vendor' ? 'vendors' : 'customers'}` },
  };
}

/**
 * Enqueues the exports as one action (undone together, if need be; `action` adds them to one under
 * way), each followed, where the app's profile has a field for it, by the QuickBooks id written
 * back into the app once it is known.
 */
export async function exportRecords(realmId: string, app: HostApp, appName: string, kind: RecordKind, records: HostRecord[], action?: string) {
  const creates = records.map((r) => exportWrite(realmId, app, appName, kind, r));
  const backs = await writeBackWrites(realmId, app, kind, records.map((r, i) => ({ hostId: r.hostId, qbId: { $id: `#${i}` } })), creates[0]?.origin ?? { kind: 'user', name: 'Export' });
  const entries = await enqueue([...creates, ...backs], { action });
  // A record the extension already created in QuickBooks (then unsynced) is not created twice: its
  // finished create is found by the record's key, and the record is linked to what it made again.
  for (const e of entries)
    if (e.target === 'qbo' && e.operation === 'create' && e.state === 'done' && e.host && e.result?.qbId)
      await link(realmId, app, e.host.kind, e.host.hostId, { entity: e.entity, id: e.result.qbId }, 'created');
  return entries;
}
