// The QuickBooks state of host records, worked out in the worker from the links and the local
// QB cache (never a QuickBooks call per page view). A host record is linked when a link exists,
// or, until matching adds more (lib/match), when its normalized name or email, or for
// transactions its number, equals exactly one QuickBooks record of its kind.
import { db, type HostRecord, type Link } from '../db';
import { recordOf, recordsOf } from '../db/qbcache';
import { normalizeName } from '../match';
import type { CustomerSummary, RecordStatus, TransactionRow } from '../messages';
import { webLink } from '../qbo/links';
import { CUSTOMER_TRANSACTIONS } from '../qbo/schemas';
import { getConnectionSettings } from '../auth/settings';
import { NAME_KINDS, RECORD_KINDS, type FieldName, type PageRule, type RecordKind, type SiteProfile } from './profile';

type Fields = Partial<Record<FieldName, string>>;

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

// Lookup tables are built once per set of records (the cache hands out a new set after a write).
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

/**
 * The company the extension is shown against, in the popup and in host apps: the newest one that
 * is connected, else the newest that needs reconnecting, else the newest.
 */
export function activeCompany<C extends { status: 'connected' | 'needs-reconnect' | 'disconnected'; connectedAt: number }>(connections: readonly C[]): C | undefined {
  const newest = [...connections].sort((a, b) => b.connectedAt - a.connectedAt);
  return newest.find((c) => c.status === 'connected') ?? newest.find((c) => c.status === 'needs-reconnect') ?? newest[0];
}

function onlyOne(map: Map<string, string[]>, key: string): string | undefined {
  const ids = key ? map.get(key) : undefined;
  return ids && ids.length === 1 ? ids[0] : undefined;
}

/** Finds the QuickBooks record a host record is the same as, by the exact-match rule. */
function exactMatch(kind: RecordKind, fields: Fields, idx: QbIndex): string | undefined {
  if (NAME_KINDS.includes(kind)) {
    return onlyOne(idx.byName, fields.name ? normalizeName(fields.name) : '') ?? onlyOne(idx.byEmail, lowerTrim(fields.email));
  }
  return onlyOne(idx.byNumber, lowerTrim(fields.number));
}

interface Context {
  realmId: string;
  environment: Parameters<typeof webLink>[0];
  localOrigin: string;
}

/** The company host records are shown against, when it is connected. */
async function context(): Promise<Context | undefined> {
  const c = activeCompany(await db.connections.toArray());
  if (c?.status !== 'connected') return undefined;
  return { realmId: c.realmId, environment: c.environment, localOrigin: (await getConnectionSettings()).localOrigin };
}

function statusOf(ctx: Context, kind: RecordKind, hostId: string, fields: Fields, link: Link | undefined, idx: QbIndex): RecordStatus {
  const entity = RECORD_KINDS[kind];
  const linkedTo = (qbId: string): RecordStatus => {
    const qb = idx.byId.get(qbId);
    if (!qb) return { hostId, state: 'error', qbEntity: entity, qbId, reason: `The QuickBooks ${entity.toLowerCase()} this was linked to no longer exists. Link it again.` };
    const url = webLink(ctx.environment, entity, qbId, ctx.realmId, ctx.localOrigin);
    if (!qb.active) return { hostId, state: 'error', qbEntity: entity, qbId, qbName: qb.name, url, reason: `The linked QuickBooks ${entity.toLowerCase()} "${qb.name}" is inactive. Reactivate it in QuickBooks or link another.` };
    return { hostId, state: 'linked', qbEntity: entity, qbId, qbName: qb.name, url };
  };
  if (link?.state === 'ignored') return { hostId, state: 'ignored', qbEntity: entity };
  if (link?.state === 'linked' && link.qbId) return linkedTo(link.qbId);
  const match = exactMatch(kind, fields, idx);
  if (match) return linkedTo(match);
  return { hostId, state: 'not-in-qb', qbEntity: entity, reason: `No QuickBooks ${entity.toLowerCase()} has this ${NAME_KINDS.includes(kind) ? 'name or email' : 'number'}.` };
}

const NOT_CONNECTED = 'Not connected to QuickBooks. Connect a company in the extension\'s options.';

type HostKey = [realmId: string, profileId: string, kind: string, hostId: string];
const keyOf = (ctx: Context, profile: SiteProfile, page: PageRule, hostId: string): HostKey => [ctx.realmId, profile.id, page.kind, hostId];

/** The state of each record, with the links of just these records. */
async function statesOf(ctx: Context, profile: SiteProfile, page: PageRule, records: { hostId: string; fields: Fields }[]): Promise<RecordStatus[]> {
  const [idx, links] = await Promise.all([qbIndex(ctx.realmId, RECORD_KINDS[page.kind]), db.links.bulkGet(records.map((r) => keyOf(ctx, profile, page, r.hostId)))]);
  return records.map((r, i) => statusOf(ctx, page.kind, r.hostId, r.fields, links[i], idx));
}

/** The state of each record a page sent; the records are stored as host records afterwards. */
export async function statusesFor(profile: SiteProfile, page: PageRule, records: { hostId: string; fields: Fields }[]): Promise<RecordStatus[]> {
  const ctx = await context();
  if (!ctx) return records.map((r) => ({ hostId: r.hostId, state: 'error', reason: NOT_CONNECTED }));
  const statuses = await statesOf(ctx, profile, page, records);
  void storeHostRecords(ctx.realmId, profile.id, page.kind, records);
  return statuses;
}

async function storeHostRecords(realmId: string, profileId: string, kind: RecordKind, records: { hostId: string; fields: Fields }[]) {
  const now = Date.now();
  const rows: HostRecord[] = records.map((r) => ({ realmId, profileId, kind, hostId: r.hostId, name: r.fields.name, email: r.fields.email, fields: r.fields as Record<string, string>, seenAt: now }));
  await db.hostRecords.bulkPut(rows).catch(() => undefined);
}

/** Marks a host record ignored for QuickBooks (or not), and returns its new state. */
export async function setIgnored(profile: SiteProfile, page: PageRule, hostId: string, ignored: boolean): Promise<RecordStatus> {
  const ctx = await context();
  if (!ctx) return { hostId, state: 'error', reason: NOT_CONNECTED };
  const key = keyOf(ctx, profile, page, hostId);
  let link: Link | undefined;
  if (ignored) {
    link = { realmId: ctx.realmId, profileId: profile.id, kind: page.kind, hostId, state: 'ignored', source: 'user', createdAt: Date.now() };
    await db.links.put(link);
  } else {
    link = await db.links.get(key);
    if (link?.state === 'ignored') {
      await db.links.delete(key);
      link = undefined;
    }
  }
  const fields = ((await db.hostRecords.get(key))?.fields ?? {}) as Fields;
  const idx = await qbIndex(ctx.realmId, RECORD_KINDS[page.kind]);
  return statusOf(ctx, page.kind, hostId, fields, link, idx);
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function txnStatus(entity: string, d: Record<string, any>, today: string): string {
  if (d.PrivateNote === 'Voided' && d.TotalAmt === 0) return 'Voided';
  switch (entity) {
    case 'Invoice':
      if (num(d.Balance) === 0) return 'Paid';
      if (d.DueDate && d.DueDate < today) return 'Overdue';
      return num(d.Balance) < num(d.TotalAmt) ? 'Partially paid' : 'Open';
    case 'Payment':
      return num(d.UnappliedAmt) > 0 ? 'Partly unapplied' : 'Applied';
    case 'CreditMemo':
      return num(d.Balance) === 0 ? 'Applied' : 'Open';
    case 'SalesReceipt':
      return 'Paid';
    default:
      return d.TxnStatus ?? '';
  }
}

const TYPE_LABEL: Record<string, string> = { Invoice: 'Invoice', Payment: 'Payment', Estimate: 'Estimate', SalesReceipt: 'Sales receipt', CreditMemo: 'Credit memo' };

/** A linked customer's summary and its transactions, from the local QB cache. */
export async function customerDetail(profile: SiteProfile, page: PageRule, hostId: string): Promise<{ status: RecordStatus; summary?: CustomerSummary; transactions?: TransactionRow[] }> {
  const ctx = await context();
  if (!ctx) return { status: { hostId, state: 'error', reason: NOT_CONNECTED } };
  // The page sent this record just before (hosts.records), which stored it.
  const stored = await db.hostRecords.get(keyOf(ctx, profile, page, hostId));
  const [status] = await statesOf(ctx, profile, page, [{ hostId, fields: (stored?.fields ?? {}) as Fields }]);
  if (status.state !== 'linked' || page.kind !== 'customer') return { status };
  const customer = (await recordOf(ctx.realmId, 'Customer', status.qbId!)) as Record<string, any> | undefined;
  if (!customer) return { status };
  const today = new Date().toISOString().slice(0, 10);
  const txns: { entity: string; id: string; data: Record<string, any> }[] = [];
  for (const entity of CUSTOMER_TRANSACTIONS)
    for (const [id, d] of (await recordsOf(ctx.realmId, entity)) as Map<string, Record<string, any>>)
      if (d.CustomerRef?.value === status.qbId) txns.push({ entity, id, data: d });
  const transactions: TransactionRow[] = txns
    .map((r) => {
      const d = r.data;
      return {
        type: TYPE_LABEL[r.entity],
        id: r.id,
        date: String(d.TxnDate ?? ''),
        number: String(d.DocNumber ?? d.PaymentRefNum ?? ''),
        amount: num(d.TotalAmt),
        balance: r.entity === 'Invoice' || r.entity === 'CreditMemo' ? num(d.Balance) : undefined,
        status: txnStatus(r.entity, d, today),
        url: webLink(ctx.environment, r.entity, r.id, ctx.realmId, ctx.localOrigin),
      };
    })
    .sort((a, b) => b.date.localeCompare(a.date) || Number(b.id) - Number(a.id));
  const overdue = txns
    .filter((r) => r.entity === 'Invoice')
    .reduce((sum, r) => {
      const d = r.data;
      return d.DueDate && d.DueDate < today ? sum + num(d.Balance) : sum;
    }, 0);
  return {
    status,
    summary: {
      name: customer.DisplayName ?? '',
      url: status.url,
      balance: num(customer.BalanceWithJobs ?? customer.Balance),
      openBalance: num(customer.Balance),
      overdue: Math.round(overdue * 100) / 100,
      terms: customer.SalesTermRef?.name,
      paymentMethod: customer.PaymentMethodRef?.name,
      deliveryMethod: customer.PreferredDeliveryMethod,
      email: customer.PrimaryEmailAddr?.Address,
    },
    transactions,
  };
}
