// Records a host page sent: each one's QuickBooks state for its badge, and a copy kept as a host
// record (what the side panel and workflows know of the app). What a page sends is a hint from an
// untrusted page, so the copies are bounded per app and kind: a page inventing rows cannot fill
// the extension's storage, it only pushes its own oldest rows out.
//
// Answering comes first: IndexedDB spends about half a millisecond on every record it writes, so
// the copies are written once the pages have gone quiet (QUIET_MS after the last batch), never
// while a page waits for its states, and a record written unchanged within the hour is not written
// again.
import { db, type HostRecord } from '../../db';
import { hostCompany, keyOf, NOT_CONNECTED, statesOf, type Fields, type HostApp, type RecordStatus } from '../../links';
import type { RecordKind } from '../profile';

/** Host records kept per app and kind; the least recently seen go first. */
export const MAX_HOST_RECORDS = 50_000;
/** How long after the last batch of records the copies are written. */
const QUIET_MS = 1_000;
/** Written at the latest this long after the first record waiting, however busy the pages are. */
const MAX_WAIT_MS = 10_000;
/** A record seen again unchanged is written again (for its seenAt) only after this long. */
const RESEEN_MS = 60 * 60_000;
/** Records per write transaction. */
const WRITE_CHUNK = 1_000;
/** What was written lately, to skip rewriting it: at most this many records are remembered. */
const MAX_REMEMBERED = 50_000;

/** The state of each record a page sent; the records are kept as host records soon after. */
export async function statusesFor(app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[]): Promise<RecordStatus[]> {
  const company = await hostCompany();
  if (!company) return records.map((r) => ({ hostId: r.hostId, state: 'error', reason: NOT_CONNECTED }));
  const statuses = await statesOf(company, app, kind, records);
  queueHostRecords(company.realmId, app, kind, records);
  return statuses;
}

// ---- the copies, written when the pages are quiet ------------------------------------------------

const waiting = new Map<string, HostRecord>();
/** Key -> the fields last written and when, for records written lately. */
const written = new Map<string, { fields: string; seenAt: number }>();
let timer: ReturnType<typeof setTimeout> | undefined;
let firstWaitingAt = 0;
let writing: Promise<void> = Promise.resolve();

const textKey = (r: Pick<HostRecord, 'realmId' | 'profileId' | 'origin' | 'kind' | 'hostId'>) => JSON.stringify(keyOf(r.realmId, r, r.kind, r.hostId));

function queueHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[]) {
  const now = Date.now();
  for (const r of records) {
    const row: HostRecord = { realmId, ...app, kind, hostId: r.hostId, name: r.fields.name, email: r.fields.email, fields: r.fields as Record<string, string>, seenAt: now };
    const key = textKey(row);
    const last = written.get(key);
    if (last && now - last.seenAt < RESEEN_MS && last.fields === JSON.stringify(row.fields)) continue;
    waiting.set(key, row);
  }
  if (!waiting.size) return;
  if (!firstWaitingAt) firstWaitingAt = now;
  clearTimeout(timer);
  timer = setTimeout(() => void hostRecordsWritten().catch(() => undefined), Math.max(0, Math.min(QUIET_MS, firstWaitingAt + MAX_WAIT_MS - now)));
}

/** Writes the host records waiting now (before reading them back, or to finish a test). */
export function hostRecordsWritten(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  firstWaitingAt = 0;
  const rows = [...waiting.values()];
  waiting.clear();
  writing = writing.then(() => writeHostRecords(rows)).catch(() => undefined);
  return writing;
}

async function writeHostRecords(rows: HostRecord[]) {
  const apps = new Map<string, HostRecord[]>();
  for (const r of rows) {
    const app = JSON.stringify([r.realmId, r.profileId, r.origin, r.kind]);
    const list = apps.get(app);
    if (list) list.push(r);
    else apps.set(app, [r]);
  }
  for (const list of apps.values()) {
    const [{ realmId, profileId, origin, kind }] = list;
    for (let i = 0; i < list.length; i += WRITE_CHUNK) await db.hostRecords.bulkPut(list.slice(i, i + WRITE_CHUNK));
    if (written.size + list.length > MAX_REMEMBERED) written.clear();
    for (const r of list) written.set(textKey(r), { fields: JSON.stringify(r.fields), seenAt: r.seenAt });
    await keepWithinBound(realmId, { profileId, origin }, kind as RecordKind);
  }
}

/** Keeps what a page showed of its records, within `max` for the app and kind. */
export async function storeHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], max = MAX_HOST_RECORDS) {
  const now = Date.now();
  const rows: HostRecord[] = records.map((r) => ({ realmId, ...app, kind, hostId: r.hostId, name: r.fields.name, email: r.fields.email, fields: r.fields as Record<string, string>, seenAt: now }));
  await db.hostRecords.bulkPut(rows);
  await keepWithinBound(realmId, app, kind, max);
}

/** Drops the least recently seen host records of an app and kind past `max`. */
async function keepWithinBound(realmId: string, app: HostApp, kind: RecordKind, max = MAX_HOST_RECORDS) {
  const ofApp = db.hostRecords.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]);
  const over = (await ofApp.count()) - max;
  if (over <= 0) return;
  const all = await ofApp.toArray();
  all.sort((a, b) => a.seenAt - b.seenAt);
  const gone = all.slice(0, over);
  await db.hostRecords.bulkDelete(gone.map((r) => keyOf(realmId, app, kind, r.hostId)));
  for (const r of gone) written.delete(textKey(r));
}
