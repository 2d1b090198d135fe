// Push: the outbox to QuickBooks, nothing lost and nothing doubled. One push per company at a time
// (a Web Lock across the worker and pages), in creation order with dependencies first; independent
// creates of one entity go 30 to a batch. Before an entry is sent its body is built and stored with
// the entry marked in flight, so a worker stopped at any moment leaves an entry whose fate is known
// or is looked up: an in-flight entry found at start, or any write whose answer was lost, is looked
// for in QuickBooks (by its marker) before it is sent again. The result, the link to the host
// record, the QB cache and the entry's state are written in one transaction. Entries for host apps
// wait for an executor (lib/hosts/worker, next) and say "Open <app> to finish".
import { AuthError } from '../auth/broker';
import { db, type OutboxEntry } from '../db';
import { appendLog } from '../db/logs';
import { putChanges, putDeletions } from '../db/qbcache';
import { keyOf, link } from '../links';
import { kindLabel, type RecordKind } from '../hosts/profile';
import { withLock } from '../locks';
import { QboError, type QboErrorKind } from '../qbo/errors';
import { query } from '../qbo/query';
import type { BatchItem, QboClient } from '../qbo/client';
import { NAME_LIST_ENTITIES, type EntityName } from '../qbo/schemas';
import { redactText } from '../qbo/redact';
import { ACTION_WORDS, asUuid, describeEntry as describe, digest, entryName, fingerprintOf, hostKeyOf, intentBuilder, isLinkPlaceholder, markerKey, NAME_FIELD, words, pendingEntries, placeholder } from './outbox';
import { hostRecord } from '../hosts/store';

/** Runs an outbox entry meant for a host app (lib/hosts/worker provides one per app). */
export interface HostExecutor {
  /** Whether it can run now (an open tab of the app, or a worker request the app accepts). */
  available(entry: OutboxEntry): Promise<boolean>;
  run(entry: OutboxEntry): Promise<{ hostId?: string }>;
}

export interface PushOptions {
  /** Stops the push as a stopped worker does: nothing more is sent or written. */
  signal?: AbortSignal;
  /** Executors for host-app entries, by profile id. */
  hostExecutors?: Record<string, HostExecutor>;
  /** Called once per push round that changed entries (pages redraw their badges once). */
  onChanged?: (entries: OutboxEntry[]) => void;
  /** Called every 20 s while a push runs (the worker touches an extension API to stay alive). */
  heartbeat?: () => void;
  /** Names of the host apps, for "Open <app> to finish". */
  appName?: (profileId: string) => string;
}

export interface PushResult {
  done: number;
  failed: number;
  /** Entries left for later: backing off, waiting for a reconnect or for a host app. */
  waiting: number;
  requests: number;
  batches: number;
}

/** At most this many creates in one batch (QuickBooks' limit). */
export const BATCH_SIZE = 30;
/** Requests a push keeps in flight (QuickBooks allows 10 per company). */
const PARALLEL = 10;
/** A push waits in place for an entry backing off at most this long; longer ones wait for the next push. */
const WAIT_IN_PLACE_MS = 30_000;
/** Clocks disagree: a record created up to this long before the write was first sent may be its. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** A name-list record with the name a create meant, made this close to the write, is taken as the write's own. */
const NAME_ADOPT_WINDOW_MS = 60 * 60_000;

/** Where each entity carries the marker of what the product created (names without a note field carry none). */
const MARKER_FIELD: Partial<Record<string, { field: string; max: number }>> = {
  Customer: { field: 'Notes', max: 2000 },
  ...Object.fromEntries(
    ['Bill', 'BillPayment', 'Invoice', 'Payment', 'PurchaseOrder', 'CreditMemo', 'VendorCredit', 'Estimate', 'SalesReceipt'].map((e) => [e, { field: 'PrivateNote', max: 4000 }]),
  ),
};
const isNameList = (entity: string) => NAME_LIST_ENTITIES.includes(entity as EntityName);

type Rec = Record<string, any>;

/** An entry's error, in words that say what to do. */
function failure(entry: OutboxEntry, e: unknown): NonNullable<OutboxEntry['lastError']> {
  if (e instanceof QboError) {
    if (e.kind === 'DuplicateName') {
      const name = (entry.body as Rec | undefined)?.[NAME_FIELD(entry.entity)] ?? '';
      const what = ['Vendor', 'Customer', 'Employee'].includes(entry.entity) ? 'vendor, customer or employee' : words(entry.entity);
      return { kind: e.kind, code: e.code, message: `QuickBooks already has a ${what} named "${name}" (perhaps inactive): link to it or rename one.` };
    }
    const said = [e.message, e.detail].filter(Boolean).join(': ');
    return { kind: e.kind, code: e.code, message: `${said}. ${e.advice}` };
  }
  if (e instanceof AuthError) return { kind: 'Auth', message: e.message };
  if (e instanceof UnlinkedError) return { kind: 'Unmatched', message: e.message };
  return { kind: 'Unknown', message: (e as Error).message ?? String(e) };
}

/** Replaces placeholders with what the entries they name made (a reference, or a bare id), and app records with their links. */
function resolveRefs(value: unknown, results: Map<string, OutboxEntry>, links: Map<string, string>): unknown {
  const p = placeholder(value);
  if (p) {
    const qbId = isLinkPlaceholder(p) ? links.get(p.id) : results.get(p.id)?.result?.qbId;
    if (!qbId) throw new Error('The write it depends on has no QuickBooks record yet.');
    return p.as === 'id' || p.as === 'linkId' ? qbId : { value: qbId };
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results, links));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, results, links)]));
  return value;
}

/** Placeholders of an intent that stand for app records' links ("vendor/123"). */
function linkPlaceholders(value: unknown, into: string[] = []): string[] {
  const p = placeholder(value);
  if (isLinkPlaceholder(p)) into.push(p!.id);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) linkPlaceholders(v, into);
  return into;
}

/**
 * The QuickBooks ids of the app records an entry's intent names, as linked now. An app record
 * that is not linked stops the entry with what to do: match it (or export it), then Re-try.
 */
async function linkedIds(entry: OutboxEntry, appName: (profileId: string) => string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = linkPlaceholders(entry.intent);
  if (!wanted.length) return out;
  if (!entry.host) throw new Error('The write names an app record but not its app.');
  const { profileId, origin } = entry.host;
  for (const id of wanted) {
    const [kind, hostId] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
    const l = await db.links.get(keyOf(entry.realmId, { profileId, origin }, kind, hostId));
    if (l?.state === 'linked' && l.qbId) {
      out.set(id, l.qbId);
      continue;
    }
    const rec = await hostRecord(entry.realmId, { profileId, origin }, kind, hostId);
    const name = rec?.name ?? rec?.fields.name ?? hostId;
    const app = appName(profileId);
    throw new UnlinkedError(
      `${app}'s ${kindLabel(kind as RecordKind)} "${name}" is not matched with QuickBooks${l?.state === 'ignored' ? ' (it is ignored)' : ''}. Match or export it first (side panel, ${app}), then Re-try.`,
    );
  }
  return out;
}

class UnlinkedError extends Error {}

/** The body of a create or update as first sent: references resolved, the marker on what is created. */
function buildBody(entry: OutboxEntry, deps: Map<string, OutboxEntry>, links: Map<string, string> = new Map()): Rec {
  if (entry.operation !== 'create' && entry.operation !== 'update') return {};
  const body = resolveRefs(entry.intent, deps, links) as Rec;
  const place = MARKER_FIELD[entry.entity];
  if (entry.operation === 'create' && place) {
    const own = typeof body[place.field] === 'string' ? (body[place.field] as string) : '';
    const room = place.max - entry.marker.length - 1;
    body[place.field] = own ? `${own.slice(0, Math.max(0, room))}\n${entry.marker}` : entry.marker;
  }
  return body;
}

/** Whether a record in QuickBooks is the one this create made (or a colleague's same write made). */
function isOwn(entry: OutboxEntry, rec: Rec): boolean {
  const key = markerKey(entry.marker);
  const place = MARKER_FIELD[entry.entity];
  if (place) return !!key && typeof rec[place.field] === 'string' && rec[place.field].includes(key);
  // Names with nowhere to carry a marker: the same name, the same kind of record, made around the write.
  const name = (entry.body as Rec | undefined)?.[NAME_FIELD(entry.entity)];
  const created = Date.parse(rec.MetaData?.CreateTime ?? '');
  return !!name && rec[NAME_FIELD(entry.entity)] === name && created >= (entry.firstSentAt ?? entry.createdAt) - NAME_ADOPT_WINDOW_MS;
}

/** A change to a memo or note keeps the marker the record carries, so its origin stays findable. */
function keepMarker(entity: string, patch: Rec, rec: Rec | undefined): Rec {
  const place = MARKER_FIELD[entity];
  const mine = place && rec && typeof rec[place.field] === 'string' ? (rec[place.field] as string).split('\n').find((l) => markerKey(l)) : undefined;
  if (!place || !mine || typeof patch[place.field] !== 'string' || patch[place.field].includes(markerKey(mine)!)) return patch;
  return { ...patch, [place.field]: `${(patch[place.field] as string).slice(0, Math.max(0, place.max - mine.length - 1))}\n${mine}` };
}

const qboTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Finds, for creates whose answer was lost, the records they made: one query per entity, not per entry. */
async function findCreated(client: QboClient, entity: EntityName, entries: OutboxEntry[]): Promise<Map<string, Rec>> {
  const found = new Map<string, Rec>();
  const pool: Rec[] = [];
  if (MARKER_FIELD[entity]) {
    const since = Math.min(...entries.map((e) => e.firstSentAt ?? e.createdAt)) - CLOCK_SKEW_MS;
    pool.push(...((await client.queryAll(entity, (q) => q.where('MetaData.CreateTime', '>=', qboTime(since)))) as Rec[]));
  } else {
    const names = [...new Set(entries.map((e) => (e.body as Rec | undefined)?.[NAME_FIELD(entity)]).filter((n): n is string => typeof n === 'string'))];
    for (let i = 0; i < names.length; i += 100)
      pool.push(...((await client.queryAll(entity, (q) => q.where(NAME_FIELD(entity), 'IN', names.slice(i, i + 100)))) as Rec[]));
  }
  for (const e of entries) {
    const rec = lowestFirst(pool.filter((r) => isOwn(e, r)))[0];
    if (rec) found.set(e.id, rec);
  }
  return found;
}

/** The app record a create came from is linked to what it made. */
function linkCreated(entry: OutboxEntry, qbId: string) {
  const { kind, hostId, ...app } = entry.host!;
  return link(entry.realmId, app, kind, hostId, { entity: entry.entity, id: qbId }, 'created');
}

/** What an entry keeps of the record QuickBooks answered with. */
async function resultOf(entity: string, rec: Rec): Promise<NonNullable<OutboxEntry['result']>> {
  return { qbId: String(rec.Id), syncToken: rec.SyncToken, name: rec[NAME_FIELD(entity)] ?? rec.DocNumber, fingerprint: await fingerprintOf(rec) };
}

const lowestFirst = (recs: Rec[]) => [...recs].sort((a, b) => Number(a.Id) - Number(b.Id));

/** The record's current version in QuickBooks, or undefined when it is gone. */
async function current(client: QboClient, entity: EntityName, id: string): Promise<Rec | undefined> {
  try {
    return (await client.read(entity, id)) as Rec;
  } catch (e) {
    if (e instanceof QboError && (e.kind === 'NotFound' || (e.kind === 'Validation' && /not found|does not exist|deleted/i.test(`${e.message} ${e.detail}`)))) return undefined;
    throw e;
  }
}

/** Whether a record already shows every field of a change (so the change was applied). */
function shows(rec: Rec, patch: Rec): boolean {
  return Object.entries(patch).every(([k, v]) => JSON.stringify(rec[k]) === JSON.stringify(v));
}

const isVoided = (rec: Rec) => /^Voided/.test(String(rec.PrivateNote ?? '')) || (rec.TotalAmt === 0 && /void/i.test(String(rec.PrivateNote ?? '')));

/**
 * A sparse update's nested objects given as `{ "$merge": {...parts} }` (an address whose city
 * changed) are merged into the record as it is when the write is sent, since QuickBooks replaces a
 * nested object whole: parts changed there since stay.
 */
export function mergeParts(change: Rec, current: Rec): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(change)) {
    const parts = v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$merge' in v ? (v as Rec).$merge : undefined;
    if (parts && typeof parts === 'object') {
      const { Id: _id, ...base } = (current[k] ?? {}) as Rec;
      out[k] = { ...base, ...parts };
    } else out[k] = v;
  }
  return out;
}

/** What was done, for an entry: the record QuickBooks answered with (or, for a delete, its id). */
type Outcome = { record?: Rec; deletedId?: string };

class Pusher {
  private readonly counts = { done: 0, failed: 0, requests: 0, batches: 0 };
  /** QuickBooks stopped accepting the connection: everything waits for the reconnect. */
  authFailed = false;
  private changed: OutboxEntry[] = [];

  constructor(
    private readonly client: QboClient,
    private readonly opts: PushOptions,
  ) {}

  private get stopped() {
    return !!this.opts.signal?.aborted;
  }

  /** An entry is done: its state, its link, the QB cache, in one transaction; then the log. */
  private async finish(entry: OutboxEntry, outcome: Outcome) {
    if (this.stopped) return;
    const rec = outcome.record;
    const result = rec ? await resultOf(entry.entity, rec) : entry.qbId ? { qbId: entry.qbId } : undefined;
    // A create's record is checked for a colleague's copy before anything builds on it (settle).
    const unsettled = entry.operation === 'create' && entry.target === 'qbo' && MARKER_FIELD[entry.entity] ? (1 as const) : undefined;
    const done: OutboxEntry = { ...entry, state: 'done', ambiguous: false, waiting: undefined, lastError: undefined, result, unsettled, updatedAt: Date.now() };
    await db.transaction('rw', db.outbox, db.links, db.qbRecords, async () => {
      await db.outbox.put(done);
      if (entry.host && entry.target === 'qbo' && entry.operation === 'create' && result) await linkCreated(entry, result.qbId);
      if (rec) await putChanges(entry.realmId, entry.entity, [rec], Date.now());
      if (outcome.deletedId) await putDeletions(entry.realmId, entry.entity, [outcome.deletedId], Date.now());
    });
    this.counts.done++;
    this.changed.push(done);
    void appendLog({
      realmId: entry.realmId, timestamp: Date.now(), type: this.logType(entry), objectId: result?.qbId, objectName: entry.target === 'qbo' ? (result?.name ?? entryName(entry)) : entryName(entry),
      action: ACTION_WORDS[entry.operation], status: 'Completed', outboxId: entry.id, origin: entry.origin.name,
      request: redactText(JSON.stringify(entry.body ?? entry.intent)), response: rec ? redactText(JSON.stringify(rec)) : undefined,
    }).catch(() => undefined);
  }

  /** A log line's type: QuickBooks' entity, or the app and its record's kind ("Rolodeck CRM customer"). */
  private logType(entry: OutboxEntry): string {
    return entry.target === 'qbo' ? entry.entity : `${this.opts.appName?.(entry.target) ?? entry.target} ${words(entry.entity)}`;
  }

  private async fail(entry: OutboxEntry, error: NonNullable<OutboxEntry['lastError']>) {
    if (this.stopped) return;
    const failed: OutboxEntry = { ...entry, state: 'failed', lastError: error, updatedAt: Date.now() };
    await db.outbox.put(failed);
    this.counts.failed++;
    this.changed.push(failed);
    void appendLog({
      realmId: entry.realmId, timestamp: Date.now(), type: this.logType(entry), objectId: entry.qbId, objectName: entryName(entry), action: ACTION_WORDS[entry.operation],
      status: 'Not Completed', outboxId: entry.id, origin: entry.origin.name, error: `${error.kind}${error.code ? ` · code ${error.code}` : ''} · ${error.message}`,
      request: redactText(JSON.stringify(entry.body ?? entry.intent)),
    }).catch(() => undefined);
  }

  /** A failure that may pass: the entry goes back to pending, to be looked up (if it may have landed) and sent again later. */
  private async later(entry: OutboxEntry, e: unknown, ambiguous: boolean) {
    if (this.stopped) return;
    const err = failure(entry, e);
    const reconnect = err.kind === 'Auth';
    if (reconnect) this.authFailed = true;
    const delay = reconnect ? 0 : Math.min(5 * 60_000, 1_000 * 2 ** Math.min(entry.attempts, 8));
    await db.outbox.put({
      ...entry, state: 'pending', ambiguous: entry.ambiguous || ambiguous, waiting: reconnect ? 'reconnect' : undefined,
      notBefore: reconnect ? undefined : Date.now() + delay, lastError: err, updatedAt: Date.now(),
    });
  }

  /** The fields of a write whose workflow builds them when it is sent. */
  private async build(entry: OutboxEntry): Promise<Record<string, unknown>> {
    const builder = intentBuilder(entry.intent.$build);
    if (!builder) throw new Error(`Nothing here builds a "${String(entry.intent.$build)}" write; update the extension.`);
    // One read of the preferences per push, however many writes it builds.
    this.prefs ??= this.client.read('Preferences', '1').catch((e) => {
      this.prefs = undefined;
      throw e;
    }) as Promise<Record<string, unknown>>;
    return builder(entry, {
      preferences: () => this.prefs!,
      companyInfo: () =>
        (this.company ??= this.client.read('CompanyInfo', entry.realmId).catch((e) => {
          this.company = undefined;
          throw e;
        }) as Promise<Record<string, unknown>>),
      refresh: async (entities) => {
        for (const e of entities) {
          this.counts.requests++;
          await putChanges(entry.realmId, e, (await this.client.queryAll(e as EntityName)) as Rec[], Date.now());
        }
      },
    });
  }
  private prefs?: Promise<Record<string, unknown>>;
  private company?: Promise<Record<string, unknown>>;

  /** Marks entries in flight with their bodies, before anything is sent. */
  private async launch(entries: OutboxEntry[], deps: Map<string, OutboxEntry>): Promise<OutboxEntry[]> {
    const now = Date.now();
    const launched: OutboxEntry[] = [];
    for (const e of entries) {
      try {
        // A workflow's write is built now, from what the records and settings say at this moment.
        const built = e.body || !('$build' in e.intent) ? e : { ...e, intent: await this.build(e) };
        const body = e.body ?? buildBody(built, deps, await linkedIds(built, this.opts.appName ?? ((id) => id)));
        launched.push({ ...e, body, state: 'in-flight', attempts: e.attempts + 1, firstSentAt: e.firstSentAt ?? now, notBefore: undefined, waiting: undefined, updatedAt: now });
      } catch (err) {
        await this.fail(e, failure(e, err));
      }
    }
    if (this.stopped) throw new Error('stopped');
    await db.outbox.bulkPut(launched);
    return launched;
  }

  /** Handles what QuickBooks said no to, where saying no can still mean the write is there. */
  private async refused(entry: OutboxEntry, e: unknown) {
    if (e instanceof QboError && entry.operation === 'create') {
      // Someone (a colleague's browser, or this one before it lost the answer) made it already.
      if (e.kind === 'DuplicateName' || e.kind === 'DuplicateDocNumber') {
        const holder = /TxnId=(\d+)/.exec(e.detail ?? '')?.[1];
        const rec = holder ? await current(this.client, entry.entity as EntityName, holder) : (await findCreated(this.client, entry.entity as EntityName, [entry])).get(entry.id);
        if (rec && isOwn(entry, rec)) return this.finish(entry, { record: rec });
      }
    }
    if (e instanceof QboError && (e.kind === 'Transient' || e.kind === 'Throttled')) return this.later(entry, e, e.kind === 'Transient');
    if (e instanceof QboError && e.kind === 'Auth') return this.later(entry, e, false);
    if (e instanceof AuthError) return this.later(entry, e, false);
    return this.fail(entry, failure(entry, e));
  }

  /** Creates of one entity, in one batch. */
  private async sendBatch(entries: OutboxEntry[]) {
    const items: BatchItem[] = entries.map((e, i) => ({ bId: String(i + 1), operation: 'create', entity: e.entity as EntityName, body: e.body! }));
    this.counts.batches++;
    this.counts.requests++;
    let results;
    try {
      results = await this.client.batch(items, { requestId: async (text) => asUuid(await digest(text)), noBlindRetry: true });
    } catch (e) {
      for (const entry of entries) await this.refused(entry, e);
      return;
    }
    for (const [i, r] of results.entries()) {
      if (r.ok) await this.finish(entries[i], { record: r.data as Rec });
      else await this.refused(entries[i], r.error);
    }
  }

  /** One entry on its own: a lookup first when it may have landed, then the write. */
  private async sendOne(entry: OutboxEntry) {
    const entity = entry.entity as EntityName;
    const body = entry.body as Rec;
    try {
      if (entry.ambiguous) {
        const done = await this.lookUp(entry);
        if (done) return this.finish(entry, done);
      }
      this.counts.requests++;
      switch (entry.operation) {
        case 'create': {
          const rec = await this.client.create(entity, body, {
            requestId: entry.requestId,
            lookup: async () => (await findCreated(this.client, entity, [entry])).get(entry.id) as never,
          });
          return this.finish(entry, { record: rec as Rec });
        }
        case 'update':
          return this.finish(entry, { record: await this.update(entry, body) });
        case 'deactivate':
          return this.finish(entry, { record: await this.update(entry, { Active: false }) });
        case 'delete':
          return this.finish(entry, await this.remove(entry));
        case 'void':
          return this.finish(entry, { record: await this.voidIt(entry) });
      }
    } catch (e) {
      return this.refused(entry, e);
    }
  }

  /** Whether an entry whose answer was lost has landed, by looking at QuickBooks. */
  private async lookUp(entry: OutboxEntry): Promise<Outcome | undefined> {
    const entity = entry.entity as EntityName;
    if (entry.operation === 'create') {
      const rec = (await findCreated(this.client, entity, [entry])).get(entry.id);
      return rec ? { record: rec } : undefined;
    }
    const rec = await current(this.client, entity, entry.qbId!);
    if (entry.operation === 'delete') return rec ? undefined : { deletedId: entry.qbId };
    if (!rec) return undefined; // gone: the write below says so
    if (entry.operation === 'update' && shows(rec, entry.body as Rec)) return { record: rec };
    if (entry.operation === 'deactivate' && rec.Active === false) return { record: rec };
    if (entry.operation === 'void' && isVoided(rec)) return { record: rec };
    return undefined;
  }

  /**
   * A sparse update on the record's current version. When QuickBooks says it changed meanwhile
   * (5010), read again and apply the same change to the new version, with a requestid of its own
   * (the body differs). An undo never re-applies: a record changed since is not the product's to take back.
   */
  private async update(entry: OutboxEntry, change: Rec): Promise<Rec> {
    const entity = entry.entity as EntityName;
    const undo = entry.origin.kind === 'undo';
    for (let attempt = 1; ; attempt++) {
      const rec = await current(this.client, entity, entry.qbId!);
      if (!rec) throw new QboError({ kind: 'NotFound', message: `The QuickBooks ${describe(entry)} no longer exists` });
      if (undo) await this.untouched(entry, rec);
      const token = String(rec.SyncToken);
      // Accounts need their name repeated in a sparse update.
      const extra = entity === 'Account' ? { Name: rec.Name } : {};
      const patch = mergeParts(keepMarker(entity, change, rec), rec);
      const requestId = attempt === 1 ? entry.requestId : asUuid(await digest(entry.requestId, token));
      try {
        return (await this.client.update(entity, { ...extra, ...patch, Id: entry.qbId, SyncToken: token }, { requestId, lookup: async () => this.landed(entry, change) })) as Rec;
      } catch (e) {
        if (!(e instanceof QboError) || e.kind !== 'StaleObject') throw e;
        if (undo) throw this.changedSince(entry, e.code);
        if (attempt >= 3) throw e;
      }
    }
  }

  /**
   * An undo takes back only what nobody has touched since the product made it: the record must
   * still say what it said then (QuickBooks' own changes aside: balances, versions, payments).
   */
  private async untouched(entry: OutboxEntry, rec: Rec) {
    if (entry.intent.fingerprint && (await fingerprintOf(rec)) !== entry.intent.fingerprint) throw this.changedSince(entry);
  }

  private changedSince(entry: OutboxEntry, code?: string) {
    return new QboError({ kind: 'StaleObject', code, message: `QuickBooks changed this ${describe(entry)} after the extension made it, so it is not undone. Change it in QuickBooks if it should go` });
  }

  private async landed(entry: OutboxEntry, patch: Rec) {
    const rec = await current(this.client, entry.entity as EntityName, entry.qbId!);
    return rec && shows(rec, patch) ? (rec as never) : undefined;
  }

  private async remove(entry: OutboxEntry): Promise<Outcome> {
    const entity = entry.entity as EntityName;
    const undo = entry.origin.kind === 'undo';
    for (let attempt = 1; ; attempt++) {
      const rec = await current(this.client, entity, entry.qbId!);
      if (!rec) return { deletedId: entry.qbId };
      if (undo) await this.untouched(entry, rec);
      const token = String(rec.SyncToken);
      try {
        await this.client.delete(entity, { Id: entry.qbId!, SyncToken: token }, { requestId: attempt === 1 ? entry.requestId : asUuid(await digest(entry.requestId, token)) });
        return { deletedId: entry.qbId };
      } catch (e) {
        if (e instanceof QboError && e.kind === 'StaleObject' && undo) throw this.changedSince(entry, e.code);
        if (!(e instanceof QboError) || e.kind !== 'StaleObject' || attempt >= 3) throw e;
      }
    }
  }

  private async voidIt(entry: OutboxEntry): Promise<Rec> {
    const entity = entry.entity as EntityName;
    for (let attempt = 1; ; attempt++) {
      const rec = await current(this.client, entity, entry.qbId!);
      if (!rec) throw new QboError({ kind: 'NotFound', message: `The QuickBooks ${describe(entry)} no longer exists` });
      if (isVoided(rec)) return rec;
      try {
        return (await this.client.void(entity, { Id: entry.qbId!, SyncToken: String(rec.SyncToken) }, { requestId: attempt === 1 ? entry.requestId : asUuid(await digest(entry.requestId, String(rec.SyncToken))) })) as Rec;
      } catch (e) {
        if (!(e instanceof QboError) || e.kind !== 'StaleObject' || attempt >= 3) throw e;
      }
    }
  }

  /** One pass over the outbox: what can go now, goes; returns whether anything was sent. */
  async round(realmId: string): Promise<{ sent: boolean; soonest?: number; waiting: number }> {
    await this.settle(realmId);
    const entries = await pendingEntries(realmId);
    if (!entries.length) return { sent: false, waiting: 0 };
    const now = Date.now();
    const byId = new Map<string, OutboxEntry>();
    const depIds = [...new Set(entries.flatMap((e) => e.dependsOn))];
    for (const d of await db.outbox.bulkGet(depIds)) if (d) byId.set(d.id, d);
    const runnable: OutboxEntry[] = [];
    let soonest: number | undefined;
    let waiting = 0;
    for (const e of entries) {
      // An in-flight entry found here was sent by a push that stopped: its fate is unknown.
      const entry = e.state === 'in-flight' ? { ...e, ambiguous: true } : e;
      const deps = entry.dependsOn.map((id) => byId.get(id));
      const broken = deps.find((d) => !d || d.state === 'failed' || d.state === 'cancelled');
      if (broken || deps.some((d) => d === undefined)) {
        const why = broken ? `${describe(broken)}, which ${broken.state === 'cancelled' ? 'was cancelled' : `failed: ${broken.lastError?.message ?? ''}`}` : 'a change that is no longer in the outbox';
        await this.fail(entry, { kind: 'Dependency', message: `It needs the ${why}` });
        continue;
      }
      // A dependency not settled yet may still turn out to be a colleague's copy: wait for it.
      if (deps.some((d) => d!.state !== 'done' || d!.unsettled)) {
        waiting++;
        continue;
      }
      // Waiting for a reconnect: a push runs only with a connection, so they go again, unless
      // this very push found the connection refused.
      if (entry.waiting === 'reconnect' && this.authFailed) {
        waiting++;
        continue;
      }
      if (entry.notBefore && entry.notBefore > now) {
        waiting++;
        soonest = Math.min(soonest ?? Infinity, entry.notBefore);
        continue;
      }
      if (entry.target !== 'qbo') {
        const executor = this.opts.hostExecutors?.[entry.target];
        if (!executor || !(await executor.available(entry))) {
          if (entry.waiting !== 'host') {
            const app = this.opts.appName?.(entry.target) ?? entry.target;
            await db.outbox.put({ ...entry, waiting: 'host', lastError: { kind: 'Waiting', message: `Open ${app} to finish.` }, updatedAt: Date.now() });
          }
          waiting++;
          continue;
        }
      }
      runnable.push(entry);
    }
    if (!runnable.length) return { sent: false, soonest, waiting };

    // Creates of one entity that need no lookup go together, 30 a batch; the rest one by one.
    const depMap = new Map([...byId].filter(([, d]) => d.state === 'done'));
    const groups: OutboxEntry[][] = [];
    const batchable = new Map<string, OutboxEntry[]>();
    for (const e of runnable) {
      if (e.target === 'qbo' && e.operation === 'create' && !e.ambiguous) {
        const list = batchable.get(e.entity) ?? [];
        list.push(e);
        batchable.set(e.entity, list);
      } else groups.push([e]);
    }
    for (const list of batchable.values()) for (let i = 0; i < list.length; i += BATCH_SIZE) groups.push(list.slice(i, i + BATCH_SIZE));
    // Lost answers are looked up together per entity before anything is sent again.
    await this.lookUpTogether(groups.filter((g) => g.length === 1 && g[0].ambiguous && g[0].operation === 'create').map((g) => g[0]), depMap);

    let next = 0;
    const work = async () => {
      while (next < groups.length && !this.stopped) {
        const group = groups[next++];
        const live = (await db.outbox.bulkGet(group.map((e) => e.id))).filter((e): e is OutboxEntry => !!e && (e.state === 'pending' || e.state === 'in-flight'));
        if (!live.length) continue;
        const launched = await this.launch(
          live.map((l) => ({ ...l, ambiguous: l.ambiguous || l.state === 'in-flight' })),
          depMap,
        );
        if (!launched.length) continue;
        if (launched[0].target !== 'qbo') await this.runHost(launched[0]);
        else if (launched.length > 1) await this.sendBatch(launched);
        else await this.sendOne(launched[0]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, groups.length) }, work));
    await this.settle(realmId);
    return { sent: true, soonest, waiting };
  }

  /**
   * Two browsers that push the same write at the same moment, where QuickBooks does not replay
   * the requestid and nothing in the record is unique, each make it: each then sees two records
   * with the same marker. The rule everyone follows: the one QuickBooks numbered first stays, the
   * others are deleted, and every link points at the one that stays. Whoever created later sees
   * the earlier one, so the copies never outlive the pushes that made them.
   */
  private async settle(realmId: string) {
    if (this.stopped) return;
    const created = await db.outbox.where('[realmId+unsettled]').equals([realmId, 1]).toArray();
    if (!created.length) return;
    const byEntity = new Map<string, OutboxEntry[]>();
    for (const e of created) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e]);
    for (const [entity, entries] of byEntity) {
      const since = Math.min(...entries.map((e) => e.firstSentAt ?? e.createdAt)) - CLOCK_SKEW_MS;
      let pool: Rec[];
      try {
        this.counts.requests++;
        pool = (await this.client.queryAll(entity as EntityName, (q) => q.where('MetaData.CreateTime', '>=', qboTime(since)))) as Rec[];
      } catch {
        continue; // settled by the next round
      }
      for (const entry of entries) {
        const [keep, ...extra] = lowestFirst(pool.filter((r) => isOwn(entry, r)));
        if (this.stopped) return;
        for (const dup of extra) {
          try {
            this.counts.requests++;
            await this.client.delete(entity as EntityName, { Id: String(dup.Id), SyncToken: String(dup.SyncToken) }, { requestId: asUuid(await digest('settle', entry.id, String(dup.Id))) });
          } catch (e) {
            if (!(e instanceof QboError) || (e.kind !== 'NotFound' && e.kind !== 'StaleObject')) continue;
          }
          await putDeletions(entry.realmId, entity, [String(dup.Id)], Date.now());
        }
        if (this.stopped) return;
        // Gone (deleted in QuickBooks meanwhile): nothing to settle.
        const moved = !!keep && entry.result?.qbId !== String(keep.Id);
        const settled: OutboxEntry = { ...entry, result: moved ? await resultOf(entity, keep) : entry.result, unsettled: undefined, updatedAt: Date.now() };
        await db.transaction('rw', db.outbox, db.links, db.qbRecords, async () => {
          await db.outbox.put(settled);
          if (!moved) return;
          if (entry.host) await linkCreated(entry, String(keep!.Id));
          await putChanges(entry.realmId, entity, [keep!], Date.now());
        });
        if (moved) this.changed.push(settled);
      }
    }
  }

  /** Looks up, one query per entity, the creates whose answers were lost; those found are done. */
  private async lookUpTogether(entries: OutboxEntry[], deps: Map<string, OutboxEntry>) {
    const byEntity = new Map<string, OutboxEntry[]>();
    for (const e of entries) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e]);
    for (const [entity, list] of byEntity) {
      try {
        const withBodies = await Promise.all(list.map(async (e) => ({ ...e, body: e.body ?? buildBody('$build' in e.intent ? { ...e, intent: await this.build(e) } : e, deps) })));
        this.counts.requests++;
        const found = await findCreated(this.client, entity as EntityName, withBodies);
        for (const e of withBodies) {
          const rec = found.get(e.id);
          if (rec) await this.finish(e, { record: rec });
        }
      } catch {
        // Looked up again one by one when sent.
      }
    }
  }

  private async runHost(entry: OutboxEntry) {
    try {
      const { hostId } = await this.opts.hostExecutors![entry.target].run(entry);
      // A record made in the app is known by its new id from now on (its row, its log).
      const host = entry.host && hostId && !entry.host.hostId ? { ...entry.host, hostId } : entry.host;
      await this.finish(host === entry.host ? entry : { ...entry, host, hostKey: hostKeyOf(host!) }, {});
    } catch (e) {
      const kind = (e as { kind?: string }).kind;
      if (kind === 'NoTab' || kind === 'SignedOut') {
        // Nothing was written: it waits for an open tab of the app, or for the person to sign in.
        if (this.stopped) return;
        await db.outbox.put({ ...entry, state: 'pending', waiting: 'host', lastError: { kind, message: (e as Error).message }, updatedAt: Date.now() });
      } else if (kind === 'Transient') await this.later(entry, e, true);
      else await this.fail(entry, { kind: kind ?? 'Unknown', message: (e as Error).message });
    }
  }

  flushChanges() {
    if (this.changed.length) this.opts.onChanged?.(this.changed);
    this.changed = [];
  }

  result(waiting: number): PushResult {
    return { ...this.counts, waiting };
  }
}

const again = new Set<string>();

/**
 * Pushes one company's outbox until nothing can go now. One push per company at a time across the
 * extension: a call while another runs asks that one to look again, and returns 'busy'.
 */
export async function push(client: QboClient, opts: PushOptions = {}): Promise<PushResult | 'busy'> {
  const realmId = client.realmId;
  return withLock(`qbc-push-${realmId}`, { ifAvailable: true }, async (held) => {
    if (!held) {
      again.add(realmId);
      return 'busy';
    }
    const pusher = new Pusher(client, opts);
    const beat = opts.heartbeat ? setInterval(opts.heartbeat, 20_000) : undefined;
    let waiting = 0;
    try {
      while (!opts.signal?.aborted) {
        again.delete(realmId);
        const r = await pusher.round(realmId).catch((e) => {
          if ((e as Error).message === 'stopped') return { sent: false, waiting: 0, soonest: undefined };
          throw e;
        });
        pusher.flushChanges();
        waiting = r.waiting;
        if (pusher.authFailed) break;
        if (r.sent || again.has(realmId)) continue;
        if (r.soonest !== undefined && r.soonest - Date.now() <= WAIT_IN_PLACE_MS) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, r.soonest! - Date.now())));
          continue;
        }
        break;
      }
    } finally {
      clearInterval(beat);
    }
    return pusher.result(waiting);
  });
}

/** Whether an error kind leaves an entry waiting rather than failed (for the console's words). */
export const WAITING_KINDS: readonly (QboErrorKind | 'Waiting')[] = ['Transient', 'Throttled', 'Auth', 'Waiting'];
