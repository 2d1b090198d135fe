// "Sync with QB" on a host page's rows, worked out in the worker: the QuickBooks records a person
// may link a row to (the suggestion first), linking to the one they chose, creating the row's
// record in QuickBooks (the side panel's Export, through the outbox), unsyncing, and both sides
// of a linked row. The page names its row; which QuickBooks record, and what is written, is
// decided here from the QB cache and what the app's API said of the record.
import { MAX_AT_ONCE } from '../../bulk';
import { db, type HostRecord } from '../../db';
import { recordOf, recordsOf } from '../../db/qbcache';
import { hostCompany, keyOf, link, NOT_CONNECTED, stateOf, statesOf, unlink, type HostApp, type HostCompany, type RecordStatus } from '../../links';
import { normalizeName } from '../../match';
import { webLink } from '../../qbo/links';
import { enqueue, hostKeyOf, retry } from '../../sync/outbox';
import { exportRecords } from '../../workflows/export-names';
import { kindLabel, RECORD_KINDS, shortName, type RecordKind, type SiteProfile } from '../profile';
import { confirm } from './apps';
import { hostRecordsWritten } from './records';
import { writeBackWrites } from './writes';
import { hostRecord, hostRecordsOf } from '../store';

/** At most this many rows are created in QuickBooks at once (QuickBooks' batch). */
/** QuickBooks records offered at a time in a row's picker. */
const MAX_CHOICES = 50;

export interface QbChoice {
  id: string;
  name: string;
  email?: string;
  active: boolean;
  suggested?: boolean;
}

const refuse = (message: string) => Object.assign(new Error(message), { kind: 'Refused' });

async function companyOf(app: HostApp): Promise<HostCompany> {
  const company = await hostCompany(app);
  if (!company) throw refuse(NOT_CONNECTED);
  return company;
}

type Rec = Record<string, any>;
interface Choosable extends QbChoice {
  /** The name and email as search compares them. */
  words: string;
}
// Built once per set of QuickBooks records (the cache hands out a new set after a write).
const choosable = new WeakMap<Map<string, unknown>, Choosable[]>();

async function choicesOf(realmId: string, entity: string): Promise<Choosable[]> {
  const records = await recordsOf(realmId, entity);
  let list = choosable.get(records);
  if (!list) {
    list = [...(records as Map<string, Rec>).values()]
      .map((d) => {
        const name = String(d.DisplayName ?? d.FullyQualifiedName ?? d.Name ?? '');
        const email = d.PrimaryEmailAddr?.Address as string | undefined;
        return { id: String(d.Id), name, email, active: d.Active !== false, words: `${normalizeName(name)} ${(email ?? '').toLowerCase()}` };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    choosable.set(records, list);
  }
  return list;
}

/** The QuickBooks records linked to other records of the app, among these ids. */
async function linkedElsewhere(realmId: string, app: HostApp, kind: RecordKind, hostId: string, qbIds: string[]): Promise<Set<string>> {
  const links = await db.links.where('[realmId+qbEntity+qbId]').anyOf(qbIds.map((id) => [realmId, RECORD_KINDS[kind], id])).toArray();
  return new Set(links.filter((l) => l.state === 'linked' && l.profileId === app.profileId && l.origin === app.origin && l.kind === kind && l.hostId !== hostId).map((l) => l.qbId!));
}

/**
 * The QuickBooks records of the row's kind a person may link it to, whose name or email has the
 * search in it: the suggestion first, then by name; inactive ones included (and marked), those
 * linked to another of the app's records left out.
 */
export async function qbChoices(app: HostApp, kind: RecordKind, hostId: string, search: string): Promise<{ choices: QbChoice[]; more: boolean }> {
  const company = await companyOf(app);
  // The row's state is worked out from its stored copy: what the page sent is written first.
  await hostRecordsWritten();
  const [all, status] = await Promise.all([choicesOf(company.realmId, RECORD_KINDS[kind]), stateOf(company, app, kind, hostId)]);
  const needle = search.trim() ? normalizeName(search) || search.trim().toLowerCase() : '';
  const found: Choosable[] = [];
  const suggested = status.state === 'suggested' ? all.find((c) => c.id === status.qbId) : undefined;
  if (suggested && (!needle || suggested.words.includes(needle))) found.push(suggested);
  for (const c of all) {
    if (found.length > MAX_CHOICES * 2) break;
    if (c !== suggested && (!needle || c.words.includes(needle))) found.push(c);
  }
  const taken = await linkedElsewhere(company.realmId, app, kind, hostId, found.map((c) => c.id));
  const open = found.filter((c) => !taken.has(c.id));
  return {
    choices: open.slice(0, MAX_CHOICES).map(({ id, name, email, active }) => ({ id, name, email, active, ...(id === suggested?.id ? { suggested: true } : {}) })),
    more: open.length > MAX_CHOICES,
  };
}

const PAGE_ACTION = { kind: 'user' as const, name: 'Sync with QB' };

/** Links a row to the QuickBooks record a person chose among its choices, and writes the id back into the app. */
export async function linkChosen(app: HostApp, kind: RecordKind, hostId: string, qbId: string): Promise<RecordStatus> {
  const company = await companyOf(app);
  const entity = RECORD_KINDS[kind];
  const qb = await recordOf(company.realmId, entity, qbId);
  if (!qb) throw refuse(`QuickBooks has no ${kindLabel(kind)} ${qbId} (as of the last sync). Search again and choose another.`);
  if ((await linkedElsewhere(company.realmId, app, kind, hostId, [qbId])).size)
    throw refuse(`QuickBooks' ${kindLabel(kind)} "${String(qb.DisplayName ?? qb.Name ?? qbId)}" is already linked to another record here. Unsync that one first, or choose another.`);
  await hostRecordsWritten();
  const now = await stateOf(company, app, kind, hostId);
  if (now.state === 'pending') throw refuse('This record is being created in QuickBooks now; wait for it to land.');
  await link(company.realmId, app, kind, hostId, { entity, id: qbId }, 'user');
  await writeBackLink(app, kind, hostId, qbId);
  return stateOf(company, app, kind, hostId);
}

/** Writes a row's new link back into the app (where its profile has a field for it). */
export async function writeBackLink(app: HostApp, kind: RecordKind, hostId: string, qbId: string) {
  const company = await companyOf(app);
  await enqueue(await writeBackWrites(company.realmId, app, kind, [{ hostId, qbId }], PAGE_ACTION));
}

/**
 * Creates rows' records in QuickBooks, as the side panel's Export does (lib/workflows), and links
 * each row to what it makes. What is created comes from what the app's API says of the record
 * (read again now, where the profile says how), not from what the page shows. A row whose create
 * failed before is sent again; rows linked already, or on their way, are left as they are.
 */
export async function createFromPage(profile: SiteProfile, app: HostApp, kind: RecordKind, hostIds: string[]): Promise<RecordStatus[]> {
  if (hostIds.length > MAX_AT_ONCE) throw refuse(`At most ${MAX_AT_ONCE} records can be created at once; choose fewer.`);
  const company = await companyOf(app);
  const ids = [...new Set(hostIds)];
  await hostRecordsWritten();
  if (profile.api?.kinds[kind]?.read) await confirm({ profile, origin: app.origin }, kind, ids).catch(() => undefined);
  const records = (await hostRecordsOf(company.realmId, app, kind, ids)).filter((r) => !!(r.name ?? r.fields.name));
  if (!records.length) throw refuse(`${profile.name} has no such ${kindLabel(kind)} any more. Reload the page.`);
  const states = await statesOf(company, app, kind, records.map((r) => ({ hostId: r.hostId, fields: r.fields })));
  const failedBefore: string[] = [];
  const fresh: HostRecord[] = [];
  for (const [i, r] of records.entries()) {
    const s = states[i].state;
    if (s === 'linked' || s === 'pending') continue;
    if (s === 'failed') {
      const key = hostKeyOf({ ...app, kind, hostId: r.hostId });
      const entries = await db.outbox.where('[realmId+hostKey]').equals([company.realmId, key]).toArray();
      failedBefore.push(...entries.filter((e) => e.state === 'failed' && e.target === 'qbo' && e.operation === 'create').map((e) => e.id));
    } else fresh.push(r);
  }
  if (fresh.length) await exportRecords(company.realmId, app, shortName(profile), kind, fresh);
  if (failedBefore.length) await retry(failedBefore);
  return statesOf(company, app, kind, records.map((r) => ({ hostId: r.hostId, fields: r.fields })));
}

/** Takes a row's link away (it is matched afresh), and clears the QuickBooks id written into the app. */
export async function unsyncFromPage(app: HostApp, kind: RecordKind, hostId: string): Promise<RecordStatus> {
  const company = await companyOf(app);
  await hostRecordsWritten();
  const linked = await db.links.get(keyOf(company.realmId, app, kind, hostId));
  if (linked?.state !== 'linked') return stateOf(company, app, kind, hostId);
  await unlink(company.realmId, app, kind, hostId);
  await enqueue(await writeBackWrites(company.realmId, app, kind, [{ hostId, qbId: null }], { kind: 'user', name: 'Unsync' }));
  return stateOf(company, app, kind, hostId);
}

/** Label and value pairs, as a person reads them. */
export type Facts = [label: string, value: string][];

const FIELD_LABELS: Record<string, string> = { name: 'Name', email: 'Email', phone: 'Phone', company: 'Company', status: 'Status', country: 'Country', quickbooksId: 'QuickBooks id', syncedAt: 'Synced at', updatedAt: 'Updated' };
const when = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : undefined);
const money = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US', { style: 'currency', currency: 'USD' }) : undefined);

/** Both sides of a row: what the app holds of it, and the QuickBooks record it is linked to. */
export async function recordInfo(profile: SiteProfile, app: HostApp, kind: RecordKind, hostId: string): Promise<{ appName: string; app: Facts; qb?: Facts; url?: string; status: RecordStatus }> {
  const company = await companyOf(app);
  await hostRecordsWritten();
  const [stored, status] = await Promise.all([hostRecord(company.realmId, app, kind, hostId), stateOf(company, app, kind, hostId)]);
  const appFacts: Facts = [['Id', hostId]];
  for (const [k, v] of Object.entries(stored?.fields ?? {})) if (k !== 'hostId' && v) appFacts.push([FIELD_LABELS[k] ?? k, k === 'updatedAt' || k === 'syncedAt' ? (when(v) ?? v) : v]);
  const qb = status.qbId && (status.state === 'linked' || status.state === 'error') ? ((await recordOf(company.realmId, RECORD_KINDS[kind], status.qbId)) as Rec | undefined) : undefined;
  const qbFacts: Facts | undefined = qb
    ? ([
        ['Id', String(qb.Id)],
        ['Name', String(qb.DisplayName ?? qb.FullyQualifiedName ?? qb.Name ?? '')],
        ['Company', qb.CompanyName],
        ['Email', qb.PrimaryEmailAddr?.Address],
        ['Phone', qb.PrimaryPhone?.FreeFormNumber],
        ['Balance', money(qb.Balance)],
        ['Active', qb.Active === false ? 'No' : 'Yes'],
        ['Updated', when(qb.MetaData?.LastUpdatedTime)],
      ].filter(([, v]) => typeof v === 'string' && v) as Facts)
    : undefined;
  const url = qb ? webLink(company.environment, RECORD_KINDS[kind], String(qb.Id), company.realmId, company.localOrigin) : undefined;
  return { appName: shortName(profile), app: appFacts, qb: qbFacts, url, status };
}
