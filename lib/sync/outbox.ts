// The outbox: every write the product makes, to QuickBooks or to a host app, is first an entry
// here (DESIGN.md, "The write path"). An entry is an intent with a stable requestid derived from
// what the write is, so the same write from two browsers carries the same id, and a marker naming
// its origin, which goes on what it creates so that look-before-create can find it. Entries are
// written by whatever context asks (the worker, an extension page); the worker pushes them
// (lib/sync/push.ts). Retry, cancel and undo are here too.
import { db, type HostRef, type OutboxEntry, type OutboxState } from '../db';
import { withLock } from '../locks';

export type { OutboxEntry, OutboxState };

/**
 * A write to enqueue. `intent` may name another entry's result: `{ "$entry": id }` becomes a
 * QuickBooks reference (`{ "value": "123" }`), `{ "$id": id }` the bare id (a LinkedTxn's TxnId);
 * an id of `"#i"` is the i-th write of the same call. `{ "$link": "vendor/123" }` becomes the
 * reference of the QuickBooks record the app's vendor 123 is linked to when the write is first
 * sent: a bill waits for nobody, fails with "Match vendor … first" while its vendor is not
 * linked, and goes on Re-try once it is.
 */
export interface NewWrite {
  realmId: string;
  target?: string;
  operation: OutboxEntry['operation'];
  entity: string;
  qbId?: string;
  host?: HostRef;
  /** The app's name, for the marker a person reads in QuickBooks ("from Spotlight bill 4411"). */
  appName?: string;
  intent: Record<string, unknown>;
  /** What makes this write differ from an earlier one of the same record (a version, a hash of the change). */
  version?: string;
  origin: OutboxEntry['origin'];
  /** Entries that must be done first (ids, or "#i" for the i-th write of the same call). */
  dependsOn?: string[];
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of the parts, hex. */
export async function digest(...parts: string[]): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u001f'))));
}

/** A digest shaped as a UUID (36 characters: QuickBooks' requestid fits 50, a batch's 36). */
export const asUuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;

/** JSON with keys in order, so the same intent always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * What a record says, without what QuickBooks changes on its own (its version, timestamps,
 * balances, and the payments linked to it), hashed: equal fingerprints mean nobody edited it.
 */
export async function fingerprintOf(rec: Record<string, unknown>): Promise<string> {
  const VOLATILE = new Set(['SyncToken', 'MetaData', 'Balance', 'BalanceWithJobs', 'HomeBalance', 'LinkedTxn', 'UnappliedAmt', 'domain', 'sparse', 'status']);
  return (await digest(canonical(Object.fromEntries(Object.entries(rec).filter(([k]) => !VOLATILE.has(k)))))).slice(0, 32);
}

/** The field that names a record of a name list. */
export const NAME_FIELD = (entity: string) => (['Vendor', 'Customer', 'Employee'].includes(entity) ? 'DisplayName' : 'Name');

export const ACTION_WORDS: Record<OutboxEntry['operation'], string> = { create: 'Create', update: 'Update', delete: 'Delete', void: 'Void', deactivate: 'Make inactive' };

/** The name (or number) of the record an entry writes, when it has one. */
export function entryName(entry: OutboxEntry): string | undefined {
  const data = (entry.body ?? entry.intent) as Record<string, unknown>;
  // A write into an app: its record, and the fields it writes.
  if (entry.target !== 'qbo' && entry.host) {
    const fields = Object.keys((data.fields ?? {}) as Record<string, unknown>).filter((k) => k !== 'quickbooksId');
    return `${entry.host.hostId || 'new record'}${fields.length ? `: ${fields.slice(0, 4).join(', ')}${fields.length > 4 ? '…' : ''}` : ''}`;
  }
  const name = entry.result?.name ?? data[NAME_FIELD(entry.entity)] ?? data.DocNumber;
  return typeof name === 'string' && name ? name : undefined;
}

/** A kind or entity in words: "BillPayment" and "billPayment" are "bill payment". */
export const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** An entry in words: 'vendor "Roku Advertising"', 'bill 1045'. */
export function describeEntry(entry: OutboxEntry): string {
  const name = entryName(entry);
  const kind = words(entry.entity);
  return `${kind}${name ? ` "${name}"` : entry.qbId ? ` ${entry.qbId}` : ''}`;
}

export const hostKeyOf = (h: HostRef) => `${h.profileId} ${h.origin} ${h.kind} ${h.hostId}`;

/** What identifies the record a write is about, whichever browser writes it. */
function subjectOf(w: NewWrite, action: string, intentHash: string): string {
  // A record made in an app from a QuickBooks record (an imported payment) has no app id yet: it is
  // the QuickBooks record's, in that app (the same profile on two sites is two apps).
  if (w.host && !w.host.hostId && w.qbId) return `import ${w.host.profileId} ${w.host.origin} ${w.host.kind} ${w.qbId}`;
  if (w.host) return `host ${hostKeyOf(w.host)}`;
  if (w.qbId) return `qbo ${w.entity} ${w.qbId}`;
  // A record with no home but this action (made in the side panel, say): this action's.
  return `action ${action} ${w.entity} ${intentHash}`;
}

/**
 * The requestid of a write: company, target, the record it is about, operation and version. A
 * create has one per record (the second create of the same app record is the same write); an
 * update's version defaults to its change.
 */
export async function requestIdOf(w: NewWrite, action: string): Promise<string> {
  const intentHash = await digest(canonical(w.intent));
  const version = w.version ?? (w.operation === 'create' ? '' : intentHash);
  return asUuid(await digest(w.realmId, w.target ?? 'qbo', subjectOf(w, action, intentHash), w.operation, w.entity, version));
}

/** The marker put on what a write creates: who made it, from what, and a key look-before-create finds. */
export async function markerOf(w: NewWrite, requestId: string): Promise<string> {
  const key = w.host ? (await digest(w.realmId, hostKeyOf(w.host))).slice(0, 16) : requestId.replace(/-/g, '').slice(0, 16);
  const from = w.host ? ` from ${w.appName ?? w.host.profileId} ${words(w.host.kind)} ${w.host.hostId}` : '';
  return `Created by QuickBooks Companion${from} [qbc:${key}]`;
}

/** The key inside a marker ("[qbc:…]"), to find it in a memo or note. */
export const markerKey = (marker: string) => /\[qbc:[0-9a-f]{16}\]/.exec(marker)?.[0];

/** What a placeholder (`{"$entry": id}`, `{"$id": id}`, `{"$link": "kind/hostId"}`) stands for, if the value is one. */
export function placeholder(value: unknown): { id: string; as: 'ref' | 'id' | 'link' | 'linkId' } | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const v = (value as Record<string, unknown>)[keys[0]];
  if (typeof v !== 'string') return undefined;
  return keys[0] === '$entry' ? { id: v, as: 'ref' } : keys[0] === '$id' ? { id: v, as: 'id' } : keys[0] === '$link' ? { id: v, as: 'link' } : keys[0] === '$linkId' ? { id: v, as: 'linkId' } : undefined;
}

/**
 * A workflow that builds a write's fields when it is first sent, from the records and settings of
 * that moment (DESIGN.md: "The body is built when the entry is first sent"): an intent of
 * `{ "$build": name, ... }` is handed to the builder registered under that name, with ways to read
 * QuickBooks' preferences and company info and to read some of its lists again (what was added since the last sync). What it throws fails the entry with its words, and Re-try builds it anew.
 */
export type IntentBuilder = (
  entry: OutboxEntry,
  read: { preferences(): Promise<Record<string, unknown>>; companyInfo(): Promise<Record<string, unknown>>; refresh(entities: string[]): Promise<void> },
) => Promise<Record<string, unknown>>;
const builders = new Map<string, IntentBuilder>();
export const registerIntentBuilder = (name: string, build: IntentBuilder) => void builders.set(name, build);
export const intentBuilder = (name: unknown) => (typeof name === 'string' ? builders.get(name) : undefined);

/** Stands for the QuickBooks record an app record (of the write's own app) is linked to when the write is sent: a reference, or (`bare`) its id. */
export const linkRef = (kind: string, hostId: string, bare = false) => (bare ? { $linkId: `${kind}/${hostId}` } : { $link: `${kind}/${hostId}` });

/** Whether a placeholder stands for an app record's link (not for another entry). */
export const isLinkPlaceholder = (p: { as: string } | undefined) => p?.as === 'link' || p?.as === 'linkId';

/** The entries an intent refers to, in order. */
export function referencedEntries(intent: unknown, into: string[] = []): string[] {
  const p = placeholder(intent);
  if (p) {
    if (!isLinkPlaceholder(p)) into.push(p.id);
  } else if (Array.isArray(intent)) for (const v of intent) referencedEntries(v, into);
  else if (intent && typeof intent === 'object') for (const v of Object.values(intent)) referencedEntries(v, into);
  return into;
}

function replaceLocalRefs(intent: unknown, ids: string[]): unknown {
  const p = placeholder(intent);
  if (p && !isLinkPlaceholder(p) && p.id.startsWith('#')) {
    const id = ids[Number(p.id.slice(1))];
    if (!id) throw new Error(`The write refers to ${p.id}, which is not one of the writes enqueued before it.`);
    return { [p.as === 'ref' ? '$entry' : '$id']: id };
  }
  if (Array.isArray(intent)) return intent.map((v) => replaceLocalRefs(v, ids));
  if (intent && typeof intent === 'object' && !p) return Object.fromEntries(Object.entries(intent).map(([k, v]) => [k, replaceLocalRefs(v, ids)]));
  return intent;
}

let lastSeq = 0;
/** A creation order that keeps increasing across contexts writing to the outbox. */
async function nextSeq(): Promise<number> {
  const last = (await db.outbox.orderBy('seq').last())?.seq ?? 0;
  lastSeq = Math.max(lastSeq, last) + 1;
  return lastSeq;
}

/** Listeners told when entries were enqueued (the worker pushes; a page asks the worker to). */
const onEnqueued = new Set<(realmId: string) => void>();
export function whenEnqueued(listener: (realmId: string) => void): () => void {
  onEnqueued.add(listener);
  return () => onEnqueued.delete(listener);
}

/**
 * Puts writes in the outbox, in order, as one action (undo takes back the whole of it). A write
 * already there is not added twice: the same write enqueued again is the entry it already is
 * (a cancelled one is taken up again). Returns the entries.
 */
export async function enqueue(writes: NewWrite[], opts: { action?: string } = {}): Promise<OutboxEntry[]> {
  const action = opts.action ?? crypto.randomUUID();
  const ids: string[] = [];
  const prepared: Omit<OutboxEntry, 'seq'>[] = [];
  for (const w of writes) {
    const intent = replaceLocalRefs(w.intent, ids) as Record<string, unknown>;
    const write = { ...w, intent };
    const requestId = await requestIdOf(write, action);
    ids.push(requestId);
    const now = Date.now();
    prepared.push({
      id: requestId,
      realmId: w.realmId,
      target: w.target ?? 'qbo',
      operation: w.operation,
      entity: w.entity,
      qbId: w.qbId,
      host: w.host,
      hostKey: w.host ? hostKeyOf(w.host) : undefined,
      origin: w.origin,
      action,
      intent,
      dependsOn: [...new Set([...(w.dependsOn ?? []).map((d) => (d.startsWith('#') ? ids[Number(d.slice(1))] : d)), ...referencedEntries(intent)])],
      requestId,
      marker: await markerOf(write, requestId),
      state: 'pending',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
  }
  const entries = await withLock('qbc-outbox-enqueue', {}, () =>
    db.transaction('rw', db.outbox, async () => {
      const out: OutboxEntry[] = [];
      for (const p of prepared) {
        const existing = await db.outbox.get(p.id);
        if (existing && existing.state !== 'cancelled') {
          out.push(existing);
          continue;
        }
        const entry: OutboxEntry = existing ? { ...existing, state: 'pending', lastError: undefined, updatedAt: Date.now() } : { ...p, seq: await nextSeq() };
        await db.outbox.put(entry);
        out.push(entry);
      }
      return out;
    }),
  );
  for (const realmId of new Set(writes.map((w) => w.realmId))) for (const l of onEnqueued) l(realmId);
  return entries;
}

/** Entries still to push for a company, in creation order (in-flight ones first: they are looked up). */
export async function pendingEntries(realmId: string): Promise<OutboxEntry[]> {
  const [inFlight, pending] = await Promise.all(
    (['in-flight', 'pending'] as const).map((state) => db.outbox.where('[realmId+state+seq]').between([realmId, state, 0], [realmId, state, Infinity]).toArray()),
  );
  return [...inFlight, ...pending];
}

/** Counts by state, for the popup and the console. */
export async function outboxCounts(realmId?: string): Promise<Record<OutboxState, number>> {
  const counts = { pending: 0, 'in-flight': 0, done: 0, failed: 0, cancelled: 0 } as Record<OutboxState, number>;
  for (const state of Object.keys(counts) as OutboxState[])
    counts[state] = realmId
      ? await db.outbox.where('[realmId+state+seq]').between([realmId, state, 0], [realmId, state, Infinity]).count()
      : await db.outbox.where('[state+seq]').between([state, 0], [state, Infinity]).count();
  return counts;
}

/**
 * Sends failed entries again (the user fixed what was wrong). Their body is built anew from the
 * intent, since what was wrong may have been in it; dependents that failed because of them go too.
 */
export async function retry(ids: string[]): Promise<OutboxEntry[]> {
  const again = await db.transaction('rw', db.outbox, async () => {
    const out: OutboxEntry[] = [];
    const queue = [...ids];
    while (queue.length) {
      const id = queue.shift()!;
      const e = await db.outbox.get(id);
      if (!e || e.state !== 'failed' || out.some((o) => o.id === id)) continue;
      const entry: OutboxEntry = { ...e, state: 'pending', body: undefined, lastError: undefined, notBefore: undefined, waiting: undefined, updatedAt: Date.now() };
      await db.outbox.put(entry);
      out.push(entry);
      // Dependents that failed because this one did.
      for (const d of await db.outbox.where('[realmId+state+seq]').between([e.realmId, 'failed', 0], [e.realmId, 'failed', Infinity]).toArray())
        if (d.dependsOn.includes(id)) queue.push(d.id);
    }
    return out;
  });
  for (const realmId of new Set(again.map((e) => e.realmId))) for (const l of onEnqueued) l(realmId);
  return again;
}

/** Cancels entries not sent yet (pending or failed); one already in flight cannot be called back. */
export async function cancel(ids: string[]): Promise<{ cancelled: string[]; refused: { id: string; why: string }[] }> {
  return db.transaction('rw', db.outbox, async () => {
    const cancelled: string[] = [];
    const refused: { id: string; why: string }[] = [];
    for (const id of ids) {
      const e = await db.outbox.get(id);
      if (!e) refused.push({ id, why: 'There is no such pending change.' });
      else if (e.state === 'pending' || e.state === 'failed') {
        await db.outbox.put({ ...e, state: 'cancelled', updatedAt: Date.now() });
        cancelled.push(id);
      } else refused.push({ id, why: e.state === 'in-flight' ? 'It is being sent to QuickBooks now; undo it once it is done.' : `It is already ${e.state}.` });
    }
    return { cancelled, refused };
  });
}

/** Deletes or voids (transactions) or makes inactive (names and lists) what a create made. */
const UNDO_OPERATION: Record<string, OutboxEntry['operation']> = {
  Vendor: 'deactivate', Customer: 'deactivate', Employee: 'deactivate', Item: 'deactivate', Account: 'deactivate',
  Class: 'deactivate', Term: 'deactivate', PaymentMethod: 'deactivate',
  // QuickBooks deletes these; a payment applied to them must be undone first.
  Bill: 'delete', Invoice: 'delete', Estimate: 'delete', CreditMemo: 'delete', VendorCredit: 'delete', PurchaseOrder: 'delete',
  SalesReceipt: 'delete', Payment: 'delete', BillPayment: 'delete',
};

/**
 * Takes back what the product created: the records made by these entries (or by their whole
 * actions), newest first so a payment goes before its bill and a bill before its vendor. Each undo
 * is itself an outbox entry that carries the version the product made; QuickBooks refuses it when
 * the record was changed since, and the log says so.
 */
export async function undo(ids: string[], opts: { wholeAction?: boolean } = {}): Promise<OutboxEntry[]> {
  const chosen = (await db.outbox.bulkGet(ids)).filter((e): e is OutboxEntry => !!e);
  const actions = opts.wholeAction ? new Set(chosen.map((e) => e.action)) : undefined;
  const all = actions ? (await Promise.all([...actions].map((a) => db.outbox.where('action').equals(a).toArray()))).flat() : chosen;
  const created = all.filter((e) => e.state === 'done' && e.operation === 'create' && e.target === 'qbo' && e.result?.qbId).sort((a, b) => b.seq - a.seq);
  if (!created.length) throw new Error('Nothing here was created in QuickBooks by the extension, so there is nothing to undo.');
  const writes: NewWrite[] = [];
  for (const e of created) {
    const operation = UNDO_OPERATION[e.entity];
    if (!operation) throw new Error(`A ${e.entity} cannot be undone from here; change it in QuickBooks.`);
    // Each undo waits for the one before it (the payment's before the bill's).
    writes.push({
      realmId: e.realmId,
      operation,
      entity: e.entity,
      qbId: e.result!.qbId,
      intent: { fingerprint: e.result!.fingerprint ?? '', undoes: e.id },
      origin: { kind: 'undo', name: `Undo: ${e.origin.name}` },
      dependsOn: writes.length ? [`#${writes.length - 1}`] : [],
    });
  }
  return enqueue(writes);
}

/**
 * Waits while an action's entries are on their way (pending, not waiting for an app's tab, or in
 * flight), at most `timeoutMs`; returns whether they all settled.
 */
export async function untilSettled(action: string, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  const busy = () => db.outbox.where('action').equals(action).filter((e) => (e.state === 'pending' && e.waiting !== 'host') || e.state === 'in-flight').count();
  while (await busy()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;
}
