// The matching console's view of one app and one kind of name record (vendors, customers, items):
// every app record and every QuickBooks record (inactive ones too), joined. Each row is Matched (a
// link a person made, or a suggestion a person accepted, or what the extension created), Ignored,
// Suggested (lib/match's best counterpart, with its score and whether it is confident), Only in the
// app, or Only in QuickBooks. Suggestions are only that: nothing is written against a record until
// a person (or a confident suggestion they accepted) links it. Runs in the side panel (a page): it
// reads the database and runs the matcher itself, with no message per row.
import { db, type HostRecord, type Link, type MatchCache, type OutboxEntry } from '../db';
import { digest } from '../sync/outbox';
import { recordsOf } from '../db/qbcache';
import { suggestMatches, type MatchInput } from '../match';
import { NAME_KINDS, RECORD_KINDS, type RecordKind } from '../hosts/profile';
import { link, type HostApp } from './index';
import { isWriteBack } from '../hosts/worker/writes';
import { hostRecordsOfKind } from '../hosts/store';

export const MATCH_STATUSES = ['matched', 'suggested', 'only-app', 'only-qb', 'ignored'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface QbSide {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  active: boolean;
}

export interface MatchRow {
  /** Stable across refreshes: the app record's id, else the QuickBooks record's. */
  key: string;
  status: MatchStatus;
  app?: HostRecord;
  qb?: QbSide;
  /** The suggestion's score (0..1) and whether it is safe to accept without looking. */
  score?: number;
  confident?: boolean;
  link?: Link;
  /** A write for the app record not done yet, or failed (an export on its way, refused...). */
  write?: OutboxEntry;
  /** The QuickBooks id's write into the app record (where the app's profile has a field for it), when it failed. */
  writeBackFailed?: OutboxEntry;
}

export interface MatchView {
  kind: RecordKind;
  entity: string;
  rows: MatchRow[];
  counts: Record<MatchStatus, number>;
}

type Rec = Record<string, any>;

function qbSide(rec: Rec): QbSide {
  return {
    id: String(rec.Id),
    name: String(rec.DisplayName ?? rec.FullyQualifiedName ?? rec.Name ?? ''),
    email: rec.PrimaryEmailAddr?.Address,
    phone: rec.PrimaryPhone?.FreeFormNumber,
    active: rec.Active !== false,
  };
}

/**
 * The matcher's suggestions for every app record of a kind against every QuickBooks record, worked
 * out once for what the records say (linked or not: links are applied by the caller), and kept:
 * opening the console, or a link made in it, does not run the matcher again while no record's
 * name, email or phone changed. Worked out in the worker after each sync too (warmMatches).
 */
export async function suggestionsFor(realmId: string, app: HostApp, kind: RecordKind, appRecords: HostRecord[], qbRecords: QbSide[]): Promise<MatchCache['suggestions']> {
  const hosts = appRecords.map((r): MatchInput => ({ id: r.hostId, name: r.name ?? r.fields.name ?? '', email: r.email ?? r.fields.email, phone: r.fields.phone }));
  const qb = qbRecords.map((q): MatchInput => ({ id: q.id, name: q.name, email: q.email, phone: q.phone })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const tuple = (m: MatchInput) => [m.id, m.name, m.email ?? null, m.phone ?? null];
  const inputs = await digest(JSON.stringify([hosts.map(tuple), qb.map(tuple)]));
  const key: [string, string, string, string] = [realmId, app.profileId, app.origin, kind];
  const kept = await db.matchCache.get(key);
  if (kept?.inputs === inputs) return kept.suggestions;
  const suggestions = suggestMatches(hosts, qb).map((s) => ({ hostId: s.hostId, qbId: s.qbId, score: s.score, confident: s.confident }));
  // Kept from a task of its own: a page's live query may ask, and Dexie refuses writes in one.
  setTimeout(() => void db.matchCache.put({ realmId, ...app, kind, inputs, suggestions }).catch(() => undefined), 0);
  return suggestions;
}

/**
 * The app records whose QuickBooks id could not be written into the app (the newest write of that
 * id failed; a later one, done or on its way, supersedes it), with the failed write.
 */
async function failedWriteBacks(realmId: string, ofApp: OutboxEntry[]): Promise<Map<string, OutboxEntry>> {
  const failed = ofApp.filter((e) => e.state === 'failed' && isWriteBack(e));
  const out = new Map<string, OutboxEntry>();
  for (const e of failed) {
    const later = await db.outbox.where('[realmId+hostKey]').equals([realmId, e.hostKey!]).filter((o) => o.seq > e.seq && o.state !== 'cancelled' && isWriteBack(o)).count();
    if (!later) out.set(e.host!.hostId, e);
  }
  return out;
}

/** The view of one app's records of one kind against the company's QuickBooks records. */
export async function matchView(realmId: string, app: HostApp, kind: RecordKind): Promise<MatchView> {
  if (!NAME_KINDS.includes(kind)) throw new Error(`Matching is for customers, vendors and items, not ${kind} records.`);
  const entity = RECORD_KINDS[kind];
  const [appRecords, links, qbRecords, writes] = await Promise.all([
    hostRecordsOfKind(realmId, app, kind),
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray(),
    recordsOf(realmId, entity),
    // failed, in-flight and pending sort together between 'failed' and 'pending'.
    db.outbox.where('[realmId+state+seq]').between([realmId, 'failed', 0], [realmId, 'pending', Infinity]).toArray(),
  ]);
  const ofApp = writes.filter((e) => e.host?.profileId === app.profileId && e.host.origin === app.origin && e.host.kind === kind);
  const writeOf = new Map(ofApp.filter((e) => e.target === 'qbo').map((e) => [e.host!.hostId, e]));
  const backOf = await failedWriteBacks(realmId, ofApp);
  const linkOf = new Map(links.map((l) => [l.hostId, l]));
  const qb = new Map([...qbRecords.values()].map((r) => [String(r.Id), qbSide(r as Rec)]));
  const linkedQb = new Set(links.filter((l) => l.state === 'linked' && l.qbId).map((l) => l.qbId!));

  // Each QuickBooks record is suggested for one app record at most (the best-scoring): the console
  // shows every record once, and its counts add up on both sides.
  const best = new Map<string, MatchCache['suggestions'][number]>();
  for (const s of await suggestionsFor(realmId, app, kind, appRecords, [...qb.values()])) {
    if (linkOf.has(s.hostId) || linkedQb.has(s.qbId)) continue;
    const held = best.get(s.qbId);
    if (!held || s.score > held.score) best.set(s.qbId, s);
  }
  const suggestions = new Map([...best.values()].map((s) => [s.hostId, s]));

  const rows: MatchRow[] = [];
  const shownQb = new Set<string>();
  for (const r of appRecords) {
    const l = linkOf.get(r.hostId);
    if (l?.state === 'ignored') rows.push({ key: `a:${r.hostId}`, status: 'ignored', app: r, link: l });
    else if (l?.state === 'linked') {
      const q = l.qbId ? qb.get(l.qbId) : undefined;
      if (q) shownQb.add(q.id);
      rows.push({ key: `a:${r.hostId}`, status: 'matched', app: r, qb: q, link: l });
    } else {
      const s = suggestions.get(r.hostId);
      const q = s ? qb.get(s.qbId) : undefined;
      if (s && q) {
        shownQb.add(q.id);
        rows.push({ key: `a:${r.hostId}`, status: 'suggested', app: r, qb: q, score: s.score, confident: s.confident });
      } else rows.push({ key: `a:${r.hostId}`, status: 'only-app', app: r, write: writeOf.get(r.hostId) });
    }
  }
  for (const row of rows) if (row.app && backOf.has(row.app.hostId)) row.writeBackFailed = backOf.get(row.app.hostId);
  for (const q of qb.values()) if (!shownQb.has(q.id) && !linkedQb.has(q.id)) rows.push({ key: `q:${q.id}`, status: 'only-qb', qb: q });
  const counts = Object.fromEntries(MATCH_STATUSES.map((s) => [s, 0])) as Record<MatchStatus, number>;
  for (const row of rows) counts[row.status]++;
  return { kind, entity, rows, counts };
}

/** Accepts suggestions (a person looked, or they are confident): each becomes a link. */
export async function acceptSuggestions(realmId: string, app: HostApp, kind: RecordKind, rows: MatchRow[]): Promise<number> {
  const entity = RECORD_KINDS[kind];
  const pairs = rows.filter((r) => r.status === 'suggested' && r.app && r.qb);
  await db.transaction('rw', db.links, async () => {
    for (const r of pairs) await link(realmId, app, kind, r.app!.hostId, { entity, id: r.qb!.id }, r.confident ? 'auto' : 'user');
  });
  return pairs.length;
}

/**
 * An export QuickBooks refused because it already has the name (6240): link the app record to the
 * QuickBooks record of that name instead, and drop the export. `find` looks the name up in
 * QuickBooks (it may be newer than the last sync).
 */
export async function linkInsteadOfExport(realmId: string, app: HostApp, kind: RecordKind, row: MatchRow, find: (entity: string, name: string) => Promise<{ Id: string } | undefined>): Promise<string> {
  const entry = row.write;
  const name = (entry?.intent as { DisplayName?: string } | undefined)?.DisplayName;
  if (!entry || entry.lastError?.kind !== 'DuplicateName' || !name || !row.app) throw new Error('This record has no refused export to replace with a link.');
  const entity = RECORD_KINDS[kind];
  const existing = await find(entity, name);
  if (!existing) throw new Error(`QuickBooks has no ${entity.toLowerCase()} named "${name}": the name it has is a customer's or an employee's. Rename one of them, then export again.`);
  await db.transaction('rw', db.links, db.outbox, async () => {
    await link(realmId, app, kind, row.app!.hostId, { entity, id: existing.Id }, 'user');
    await db.outbox.update(entry.id, { state: 'cancelled', updatedAt: Date.now() });
  });
  return `${row.app.name ?? row.app.hostId} linked to the QuickBooks ${entity.toLowerCase()} "${name}" that was already there.`;
}
