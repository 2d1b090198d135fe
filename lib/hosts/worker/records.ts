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
import { stateKey } from '../read';
import { countOfKind, withHostGroup } from '../store';

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
export async function statusesFor(app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], onHints?: (hostIds: string[]) => void): Promise<RecordStatus[]> {
  const company = await hostCompany(app);
  if (!company) return records.map((r) => ({ hostId: r.hostId, state: 'error', reason: NOT_CONNECTED }));
  const statuses = await statesOf(company, app, kind, records);
  queueHostRecords(company.realmId, app, kind, records, onHints);
  void rememberStates(company.realmId, app, kind, records, statuses).catch(() => undefined);
  return statuses;
}

// ---- the states last drawn, for a page to show at once when it loads again --------------------------

/** States remembered per app and kind; the least recently drawn go first. */
export const MAX_KNOWN_STATES = 20_000;
/** Group key -> host id -> [the record's id and fields the state was worked out from (stateKey), the state]; read from IndexedDB once per worker. */
const known = new Map<string, Promise<Map<string, [number, RecordStatus]>>>();
const knownDirty = new Set<string>();
let knownTimer: ReturnType<typeof setTimeout> | undefined;

/** An app's remembered states of a kind: what this worker drew, over what an earlier one kept. */
function statesOfGroup(realmId: string, app: HostApp, kind: string): Promise<Map<string, [number, RecordStatus]>> {
  const group = groupKey(realmId, app, kind);
  let states = known.get(group);
  if (!states) {
    states = db.knownStates
      .get([realmId, app.profileId, app.origin, kind])
      .catch(() => undefined)
      .then((row) => new Map((row?.states ?? []).map(([hostId, key, status]) => [hostId, [key, status]])));
    known.set(group, states);
  }
  return states;
}

async function rememberStates(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], statuses: RecordStatus[]) {
  const states = await statesOfGroup(realmId, app, kind);
  records.forEach((r, i) => {
    states.delete(r.hostId); // drawn again: the most recent
    states.set(r.hostId, [stateKey(r.hostId, r.fields), statuses[i]]);
  });
  for (const id of states.keys()) {
    if (states.size <= MAX_KNOWN_STATES) break;
    states.delete(id);
  }
  knownDirty.add(groupKey(realmId, app, kind));
  clearTimeout(knownTimer);
  knownTimer = setTimeout(() => void knownStatesWritten().catch(() => undefined), QUIET_MS);
}

/** Writes the remembered states that changed since they were last written. */
export async function knownStatesWritten(): Promise<void> {
  clearTimeout(knownTimer);
  const groups = [...knownDirty];
  knownDirty.clear();
  for (const group of groups) {
    const [realmId, profileId, origin, kind] = JSON.parse(group) as string[];
    const states = await known.get(group);
    if (states) await db.knownStates.put({ realmId, profileId, origin, kind, states: [...states].map(([hostId, [key, status]]) => [hostId, key, status]) });
  }
}

/**
 * The states last drawn for an app's records of a kind, each under the key of the record's id and
 * fields it was worked out from (stateKey), without the id: a page draws them at once for the
 * records it shows unchanged, and asks the worker to confirm.
 */
export async function knownStates(app: HostApp, kind: RecordKind): Promise<[key: number, status: Omit<RecordStatus, 'hostId'>][]> {
  const company = await hostCompany(app);
  if (!company) return [];
  return [...(await statesOfGroup(company.realmId, app, kind)).values()].map(([key, { hostId: _, ...status }]) => [key, status]);
}

// ---- the copies, written when the pages are quiet ------------------------------------------------

interface PageRecord {
  realmId: string;
  app: HostApp;
  kind: RecordKind;
  hostId: string;
  fields: Record<string, string>;
  seenAt: number;
}
const waiting = new Map<string, PageRecord>();
/** Per app and kind, who hears of records the page showed new or changed (for the API to confirm). */
const hintsTo = new Map<string, (hostIds: string[]) => void>();
/** Key -> the fields last written and when, for records written lately. */
const written = new Map<string, { fields: string; seenAt: number }>();
let timer: ReturnType<typeof setTimeout> | undefined;
let firstWaitingAt = 0;
let writing: Promise<void> = Promise.resolve();

const textKey = (realmId: string, app: HostApp, kind: string, hostId: string) => JSON.stringify(keyOf(realmId, app, kind, hostId));
const groupKey = (realmId: string, app: HostApp, kind: string) => JSON.stringify([realmId, app.profileId, app.origin, kind]);

function queueHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields }[], onHints?: (hostIds: string[]) => void) {
  const now = Date.now();
  const ref = { profileId: app.profileId, origin: app.origin };
  for (const r of records) {
    const fields = r.fields as Record<string, string>;
    const key = textKey(realmId, ref, kind, r.hostId);
    const last = written.get(key);
    if (last && now - last.seenAt < RESEEN_MS && last.fields === JSON.stringify(fields)) continue;
    waiting.set(key, { realmId, app: ref, kind, hostId: r.hostId, fields, seenAt: now });
  }
  if (onHints) hintsTo.set(groupKey(realmId, ref, kind), onHints);
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

async function writeHostRecords(rows: PageRecord[]) {
  const groups = new Map<string, PageRecord[]>();
  for (const r of rows) {
    const group = groupKey(r.realmId, r.app, r.kind);
    const list = groups.get(group);
    if (list) list.push(r);
    else groups.set(group, [r]);
  }
  for (const [group, list] of groups) {
    const [{ realmId, app, kind }] = list;
    const hints = await storeHostRecords(realmId, app, kind, list);
    if (written.size + list.length > MAX_REMEMBERED) written.clear();
    for (const r of list) written.set(textKey(realmId, app, kind, r.hostId), { fields: JSON.stringify(r.fields), seenAt: r.seenAt });
    if (hints.length) hintsTo.get(group)?.(hints);
  }
}

/**
 * Keeps what a page showed of its records, within `max` page records for the app and kind. A record
 * the app's API described keeps what the API said (the page is only a hint). Returns the ids the
 * page showed new or changed since it was last seen: for the API to confirm.
 */
export async function storeHostRecords(realmId: string, app: HostApp, kind: RecordKind, records: { hostId: string; fields: Fields; seenAt?: number }[], max = MAX_HOST_RECORDS): Promise<string[]> {
  const now = Date.now();
  const ref = { profileId: app.profileId, origin: app.origin };
  const hints: string[] = [];
  for (let i = 0; i < records.length; i += WRITE_CHUNK) {
    const chunk = records.slice(i, i + WRITE_CHUNK);
    // Read and written in one transaction: a listing storing what the API said meanwhile is kept.
    await withHostGroup(realmId, ref, kind, [], async (g) => {
      const stored = await g.getMany(chunk.map((r) => r.hostId));
      const rows: HostRecord[] = chunk.map((r, j) => {
        const before = stored[j];
        const fields = r.fields as Record<string, string>;
        const seenAt = r.seenAt ?? now;
        const changedOnPage = before?.pageFields !== undefined && JSON.stringify(before.pageFields) !== JSON.stringify(fields);
        if (before?.source === 'api') {
          // The API said what it holds; the page changing what it shows since it was last seen is a hint.
          if (changedOnPage) hints.push(r.hostId);
          return { ...before, pageFields: fields, seenAt };
        }
        if (!before || changedOnPage) hints.push(r.hostId);
        return { realmId, ...ref, kind, hostId: r.hostId, name: fields.name, email: fields.email, fields, pageFields: fields, source: 'page', seenAt };
      });
      await g.put(rows);
    });
  }
  await keepWithinBound(realmId, ref, kind, max);
  return hints;
}

/**
 * Drops the least recently seen page records of an app and kind past `max`. What the app's API
 * described is the app's own and is not bounded here; it is counted first (one count) so
 * the usual case reads nothing more.
 */
async function keepWithinBound(realmId: string, app: HostApp, kind: RecordKind, max = MAX_HOST_RECORDS) {
  if ((await countOfKind(realmId, app, kind)) <= max) return;
  const gone = await withHostGroup(realmId, app, kind, [], async (g) => {
    const pageRows = (await g.all()).filter((r) => r.source !== 'api');
    const over = pageRows.length - max;
    if (over <= 0) return [];
    pageRows.sort((a, b) => a.seenAt - b.seenAt || (a.hostId < b.hostId ? -1 : 1));
    const oldest = pageRows.slice(0, over);
    await g.delete(oldest.map((r) => r.hostId));
    return oldest;
  });
  for (const r of gone) written.delete(textKey(realmId, app, kind, r.hostId));
}
