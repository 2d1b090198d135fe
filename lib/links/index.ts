// The join between host app records and QuickBooks records: link, unlink, ignore, and the state
// each host record shows. Worked out in the worker from the links and the local QB cache (never a
// QuickBooks call per page view). A host record is linked when a link says so, or, until matching
// suggests more (lib/match), when its normalized name or email, or for transactions its number,
// equals exactly one QuickBooks record of its kind. A write under way for it shows as pending, a
// write that failed as failed.
import { z } from 'zod';
import { activeCompany } from '../auth/connection';
import { db, type HostKey, type Link, type OutboxEntry } from '../db';
import { recordsOf } from '../db/qbcache';
import { readSetting, SETTINGS, writeSetting } from '../db/settings';
import { NAME_KINDS, RECORD_KINDS, type FieldName, type RecordKind } from '../hosts/profile';
import { words } from '../sync/outbox';
import { normalizeName } from '../match';
import type { Environment } from '../qbo/environments';
import { webLink } from '../qbo/links';
import { hostRecord } from '../hosts/store';

/** A host record's QuickBooks state, as its badge shows it. */
export const RecordStatus = z.object({
  hostId: z.string(),
  state: z.enum(['linked', 'suggested', 'not-in-qb', 'ignored', 'error', 'pending', 'failed']),
  qbEntity: z.string().optional(),
  qbId: z.string().optional(),
  qbName: z.string().optional(),
  /** The record's page in the QBO web app. */
  url: z.string().optional(),
  /** Why it is in error, or what "not in QuickBooks" means here, in words. */
  reason: z.string().optional(),
});
export type RecordStatus = z.infer<typeof RecordStatus>;

/** One host app: a site profile on one origin. */
export interface HostApp {
  profileId: string;
  origin: string;
}

export type Fields = Partial<Record<FieldName, string>>;

/** The company host apps are shown against, with what its links need. */
export interface HostCompany {
  realmId: string;
  environment: Environment;
  localOrigin: string;
}

/**
 * The QuickBooks company an app works with, when it is connected. Each app is bound to one company:
 * the one active when the app was first used (or chosen in the side panel). Connecting another
 * company later never moves an app: its links, matching and workflows stay with its company.
 */
export async function hostCompany(app: HostApp): Promise<HostCompany | undefined> {
  const connections = await db.connections.toArray();
  const bound = await boundCompany(app);
  const c = bound ? connections.find((x) => x.realmId === bound) : activeCompany(connections);
  if (!bound && c) await bindApp(app, c.realmId);
  if (c?.status !== 'connected') return undefined;
  return { realmId: c.realmId, environment: c.environment, localOrigin: (await readSetting(SETTINGS.connection)).localOrigin };
}

/** The company an app is bound to (its records are kept under it), if it is bound yet; reads only. */
export const boundCompany = async (app: HostApp): Promise<string | undefined> => (await readSetting(SETTINGS.appCompanies))[`${app.profileId} ${app.origin}`];

/** Binds an app to a company (the side panel's choice when several are connected). */
export async function bindApp(app: HostApp, realmId: string) {
  const all = await readSetting(SETTINGS.appCompanies);
  await writeSetting(SETTINGS.appCompanies, { ...all, [`${app.profileId} ${app.origin}`]: realmId });
}

export const NOT_CONNECTED = 'Not connected to QuickBooks. Connect a company in the extension\'s options.';

export const keyOf = (realmId: string, app: HostApp, kind: string, hostId: string): HostKey => [realmId, app.profileId, app.origin, kind, hostId];

// ---- the QuickBooks side: lookup tables over the QB cache ---------------------------------------

interface QbEntry {
  id: string;
  name: string;
  active: boolean;
}

interface QbIndex {
  byId: Map<string, QbEntry>;
  byName: Map<string, string[]>;
  byEmail: Map<string, string[]>;
  byNumber: Map<string, string[]>;
}

// Built once per set of records (the cache hands out a new set after a write).
const indexes = new WeakMap<Map<string, unknown>, QbIndex>();

function push(map: Map<string, string[]>, key: string, id: string) {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

const lowerTrim = (s: string | undefined) => (s ?? '').trim().toLowerCase();

async function qbIndex(realmId: string, entity: string): Promise<QbIndex> {
  const records = await recordsOf(realmId, entity);
  let idx = indexes.get(records);
  if (!idx) {
    idx = { byId: new Map(), byName: new Map(), byEmail: new Map(), byNumber: new Map() };
    for (const [id, d] of records as Map<string, Record<string, any>>) {
      const name = d.DisplayName ?? d.FullyQualifiedName ?? d.Name ?? '';
      idx.byId.set(id, { id, name: name || (d.DocNumber ? `${entity} ${d.DocNumber}` : `${entity} ${id}`), active: d.Active !== false });
      if (name) push(idx.byName, normalizeName(name), id);
      push(idx.byEmail, lowerTrim(d.PrimaryEmailAddr?.Address), id);
      push(idx.byNumber, lowerTrim(d.DocNumber), id);
    }
    indexes.set(records, idx);
  }
  return idx;
}

function onlyOne(map: Map<string, string[]>, key: string): string | undefined {
  const ids = key ? map.get(key) : undefined;
  return ids && ids.length === 1 ? ids[0] : undefined;
}

/** The QuickBooks record a host record is the same as, by the exact-match rule. */
function exactMatch(kind: RecordKind, fields: Fields, idx: QbIndex): string | undefined {
  if (NAME_KINDS.includes(kind)) return onlyOne(idx.byName, fields.name ? normalizeName(fields.name) : '') ?? onlyOne(idx.byEmail, lowerTrim(fields.email));
  return onlyOne(idx.byNumber, lowerTrim(fields.number));
}

function statusOf(company: HostCompany, kind: RecordKind, hostId: string, fields: Fields, link: Link | undefined, idx: QbIndex): RecordStatus {
  const entity = RECORD_KINDS[kind];
  const linkedTo = (qbId: string): RecordStatus => {
    const qb = idx.byId.get(qbId);
    if (!qb) return { hostId, state: 'error', qbEntity: entity, qbId, reason: `The QuickBooks ${entity.toLowerCase()} this was linked to no longer exists. Link it again.` };
    const url = webLink(company.environment, entity, qbId, company.realmId, company.localOrigin);
    if (!qb.active) return { hostId, state: 'error', qbEntity: entity, qbId, qbName: qb.name, url, reason: `The linked QuickBooks ${entity.toLowerCase()} "${qb.name}" is inactive. Reactivate it in QuickBooks or link another.` };
    return { hostId, state: 'linked', qbEntity: entity, qbId, qbName: qb.name, url };
  };
  if (link?.state === 'ignored') return { hostId, state: 'ignored', qbEntity: entity };
  if (link?.state === 'linked' && link.qbId) return linkedTo(link.qbId);
  // The same name (or number) as exactly one QuickBooks record is a suggestion, not a link: nothing
  // is written against it until a person links it (here, or in the side panel).
  const match = exactMatch(kind, fields, idx);
  const qb = match ? idx.byId.get(match) : undefined;
  if (match && qb) {
    const what = `QuickBooks ${words(entity)} "${qb.name}"${qb.active ? '' : ' (inactive)'}`;
    return { hostId, state: 'suggested', qbEntity: entity, qbId: match, qbName: qb.name, url: webLink(company.environment, entity, match, company.realmId, company.localOrigin), reason: `Looks like ${what}. Link them to sync this record.` };
  }
  return { hostId, state: 'not-in-qb', qbEntity: entity, reason: `No QuickBooks ${entity.toLowerCase()} has this ${NAME_KINDS.includes(kind) ? 'name or email' : 'number'}.` };
}

/**
 * The writes not done yet for this app's records of a kind, by host id (the latest one per record).
 * Few at any time: the outbox's open entries are read, not the records' history.
 */
async function openWrites(realmId: string, app: HostApp, kind: string): Promise<Map<string, OutboxEntry>> {
  // failed, in-flight and pending sort together between 'failed' and 'pending'.
  const open = await db.outbox.where('[realmId+state+seq]').between([realmId, 'failed', 0], [realmId, 'pending', Infinity]).toArray();
  const byHost = new Map<string, OutboxEntry>();
  // Writes into QuickBooks only: the QuickBooks id written back into the app is not the record's state there.
  for (const e of open) if (e.target === 'qbo' && e.host && e.host.profileId === app.profileId && e.host.origin === app.origin && e.host.kind === kind) byHost.set(e.host.hostId, e);
  return byHost;
}

/** A record's state while a write for it is under way or failed. */
function writeState(hostId: string, entity: string, e: OutboxEntry): RecordStatus {
  if (e.state === 'failed') return { hostId, state: 'failed', qbEntity: entity, reason: e.lastError?.message ?? 'Sending this to QuickBooks failed.' };
  const why = e.waiting === 'reconnect' ? ' It waits for QuickBooks to be reconnected.' : e.waiting === 'host' ? ` ${e.lastError?.message ?? ''}` : '';
  return { hostId, state: 'pending', qbEntity: entity, reason: `Being sent to QuickBooks (${e.origin.name}).${why}` };
}

/**
 * The state of each record. The app's links are counted first (an index count): with fewer than
 * there are records, all of them are read at once, and with none, nothing is; only an app with
 * many links has just these records' looked up one by one.
 */
export async function statesOf(company: HostCompany, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[]): Promise<RecordStatus[]> {
  const [idx, links, writes] = await Promise.all([
    qbIndex(company.realmId, RECORD_KINDS[kind]),
    linksOf(company.realmId, app, kind, records),
    openWrites(company.realmId, app, kind),
  ]);
  return records.map((r, i) => {
    const write = writes.get(r.hostId);
    return write ? writeState(r.hostId, RECORD_KINDS[kind], write) : statusOf(company, kind, r.hostId, r.fields, links[i], idx);
  });
}

async function linksOf(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string }[]): Promise<(Link | undefined)[]> {
  const ofApp = db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]);
  const n = await ofApp.count();
  if (n === 0) return records.map(() => undefined);
  if (n > records.length) return db.links.bulkGet(records.map((r) => keyOf(realmId, app, kind, r.hostId)));
  const byId = new Map((await ofApp.toArray()).map((l) => [l.hostId, l]));
  return records.map((r) => byId.get(r.hostId));
}

/** The state of one record the app showed before, from what was stored of it. */
export async function stateOf(company: HostCompany, app: HostApp, kind: RecordKind, hostId: string): Promise<RecordStatus> {
  const stored = await hostRecord(company.realmId, app, kind, hostId);
  const [status] = await statesOf(company, app, kind, [{ hostId, fields: (stored?.fields ?? {}) as Fields }]);
  return status;
}

/**
 * Links a host record to the QuickBooks record it is suggested to be (the person confirmed it on
 * the page), and returns its new state. Only the suggestion can be linked this way: the page names
 * the record, the worker decides which QuickBooks record it is.
 */
export async function confirmSuggestion(app: HostApp, kind: RecordKind, hostId: string): Promise<RecordStatus> {
  const company = await hostCompany(app);
  if (!company) return { hostId, state: 'error', reason: NOT_CONNECTED };
  const now = await stateOf(company, app, kind, hostId);
  if (now.state !== 'suggested' || !now.qbId) return now;
  await link(company.realmId, app, kind, hostId, { entity: RECORD_KINDS[kind], id: now.qbId }, 'user');
  return stateOf(company, app, kind, hostId);
}

/** Marks a host record ignored for QuickBooks (or not), and returns its new state. */
export async function setIgnored(app: HostApp, kind: RecordKind, hostId: string, ignored: boolean): Promise<RecordStatus> {
  const company = await hostCompany(app);
  if (!company) return { hostId, state: 'error', reason: NOT_CONNECTED };
  const key = keyOf(company.realmId, app, kind, hostId);
  await db.transaction('rw', db.links, async () => {
    const link = await db.links.get(key);
    if (ignored) await db.links.put({ realmId: company.realmId, ...app, kind, hostId, state: 'ignored', source: 'user', createdAt: Date.now() });
    else if (link?.state === 'ignored') await db.links.delete(key);
  });
  return stateOf(company, app, kind, hostId);
}

/**
 * Links an app record to a QuickBooks record (a user's choice, a confident match, or what the
 * product created for it). Inside a caller's transaction it is part of that transaction.
 */
export async function link(realmId: string, app: HostApp, kind: string, hostId: string, qb: { entity: string; id: string }, source: Link['source']) {
  await db.links.put({ realmId, ...app, kind, hostId, state: 'linked', qbEntity: qb.entity, qbId: qb.id, source, createdAt: Date.now() });
}

/** Takes a link (or an ignore) away: the record is matched afresh. */
export async function unlink(realmId: string, app: HostApp, kind: string, hostId: string) {
  await db.links.delete(keyOf(realmId, app, kind, hostId));
}
