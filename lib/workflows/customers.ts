// Two-way customer sync with a CRM (the CRM's workflow, BigContacts' way): each app contact field
// against a QuickBooks Customer field through a mapping chart, with a direction per field (two-way,
// QuickBooks wins, the app wins, not synced). What the product wrote is remembered per record and
// field (normalised: a phone's digits, an email in lower case), so its own echo never comes back as a
// change, whatever format the app stores it in; a field changed on both sides between syncs goes to
// the later change, by each side's own clock set against this computer's. docs/workflows.md says
// what was chosen and why.
import { z } from 'zod';
import { db, type FieldSync, type HostEvent, type HostRecord, type OutboxEntry } from '../db';
import { recordsOf } from '../db/qbcache';
import { readSetting, SETTINGS } from '../db/settings';
import { keyOf, type HostApp } from '../links';
import { acceptSuggestions, matchView } from '../links/matching';
import { cancel, canonical, digest, type NewWrite } from '../sync/outbox';
import { mergeParts } from '../sync/push';
import { withLock } from '../locks';
import { writeBackField, writeBackWrites } from '../hosts/worker/writes';
import {
  automationCursor, enqueueAndRetry, importWrite, lastEventSeq, logRefused, moveAutomationCursor, readWorkflowSettings, WorkflowError, writeWorkflowSettings, type Ctx, type ExportResult,
} from './index';
import { hostRecord, hostRecordsOfKind } from '../hosts/store';

export const CUSTOMER_SYNC = 'customerSync';

type Rec = Record<string, any>;

/** QuickBooks Customer fields the chart can map: where each is, and what it is. */
export const QB_FIELDS = {
  DisplayName: { label: 'Display name' },
  CompanyName: { label: 'Company' },
  GivenName: { label: 'First name' },
  FamilyName: { label: 'Last name' },
  'PrimaryEmailAddr.Address': { label: 'Email', kind: 'email' },
  'PrimaryPhone.FreeFormNumber': { label: 'Phone', kind: 'phone' },
  'Mobile.FreeFormNumber': { label: 'Mobile', kind: 'phone' },
  'Fax.FreeFormNumber': { label: 'Fax', kind: 'phone' },
  'WebAddr.URI': { label: 'Website' },
  'BillAddr.Line1': { label: 'Billing street' },
  'BillAddr.City': { label: 'Billing city' },
  'BillAddr.CountrySubDivisionCode': { label: 'Billing state' },
  'BillAddr.PostalCode': { label: 'Billing ZIP' },
  'BillAddr.Country': { label: 'Billing country' },
  'ShipAddr.Line1': { label: 'Shipping street' },
  'ShipAddr.City': { label: 'Shipping city' },
  'ShipAddr.CountrySubDivisionCode': { label: 'Shipping state' },
  'ShipAddr.PostalCode': { label: 'Shipping ZIP' },
  'ShipAddr.Country': { label: 'Shipping country' },
  Notes: { label: 'Notes' },
  SalesTermRef: { label: 'Terms', ref: 'Term' },
  PaymentMethodRef: { label: 'Payment method', ref: 'PaymentMethod' },
  PreferredDeliveryMethod: { label: 'Preferred delivery' },
  Balance: { label: 'Balance', kind: 'money', readOnly: true },
  BalanceWithJobs: { label: 'Open balance', kind: 'money', readOnly: true },
} as const satisfies Record<string, { label: string; kind?: 'email' | 'phone' | 'money'; ref?: string; readOnly?: boolean }>;
export type QbField = keyof typeof QB_FIELDS;
const QB_KEYS = Object.keys(QB_FIELDS) as QbField[];
const info = (k: QbField) => QB_FIELDS[k] as { label: string; kind?: 'email' | 'phone' | 'money'; ref?: string; readOnly?: boolean };

export const DIRECTIONS = { 'two-way': 'Two-way (the latest change wins)', qb: 'QuickBooks wins', app: 'The app wins', none: 'Not synced' } as const;
export type Direction = keyof typeof DIRECTIONS;

/** The app's virtual field for a display name: its company, or the person's first and last name. */
export const DISPLAY_NAME = 'displayName';

/** The app field a QuickBooks field maps to by default (when the app's profile has it), and its direction. */
const DEFAULTS: Record<QbField, [string, Direction]> = {
  DisplayName: [DISPLAY_NAME, 'two-way'],
  CompanyName: ['company', 'two-way'],
  GivenName: ['firstName', 'two-way'],
  FamilyName: ['lastName', 'two-way'],
  'PrimaryEmailAddr.Address': ['email', 'two-way'],
  'PrimaryPhone.FreeFormNumber': ['phone', 'two-way'],
  'Mobile.FreeFormNumber': ['mobile', 'two-way'],
  'Fax.FreeFormNumber': ['fax', 'two-way'],
  'WebAddr.URI': ['website', 'two-way'],
  'BillAddr.Line1': ['street', 'two-way'],
  'BillAddr.City': ['city', 'two-way'],
  'BillAddr.CountrySubDivisionCode': ['state', 'two-way'],
  'BillAddr.PostalCode': ['zip', 'two-way'],
  'BillAddr.Country': ['country', 'two-way'],
  'ShipAddr.Line1': ['shipStreet', 'two-way'],
  'ShipAddr.City': ['shipCity', 'two-way'],
  'ShipAddr.CountrySubDivisionCode': ['shipState', 'two-way'],
  'ShipAddr.PostalCode': ['shipZip', 'two-way'],
  'ShipAddr.Country': ['shipCountry', 'two-way'],
  Notes: ['notes', 'none'],
  SalesTermRef: ['terms', 'qb'],
  PaymentMethodRef: ['paymentMethod', 'qb'],
  PreferredDeliveryMethod: ['deliveryMethod', 'qb'],
  Balance: ['balance', 'qb'],
  BalanceWithJobs: ['openBalance', 'qb'],
};

const Row = z.object({ qb: z.enum(QB_KEYS as [QbField, ...QbField[]]), app: z.string().max(60).default(''), direction: z.enum(Object.keys(DIRECTIONS) as [Direction, ...Direction[]]).default('two-way') });
export type MapRow = z.infer<typeof Row>;

export const CustomerSyncSettings = z.object({
  /** The sync runs (on each change, and while a tab of the app is open, every few seconds). */
  on: z.boolean().default(false),
  /** The chart; empty: the defaults for the app's fields. */
  rows: z.array(Row).max(QB_KEYS.length).default([]),
});
export type CustomerSyncSettings = z.infer<typeof CustomerSyncSettings>;

/** The chart for an app: the saved one, else each QuickBooks field with its default app field (where the app has it) and direction. */
export function chartFor(s: CustomerSyncSettings, appFields: string[]): MapRow[] {
  const has = (f: string) => f === DISPLAY_NAME ? ['company', 'firstName', 'lastName'].some((x) => appFields.includes(x)) : appFields.includes(f);
  return QB_KEYS.map((qb) => {
    const saved = s.rows.find((r) => r.qb === qb);
    if (saved) return saved;
    const [app, direction] = DEFAULTS[qb];
    return { qb, app: has(app) ? app : '', direction: has(app) ? direction : 'none' };
  });
}

/** What is wrong with a chart for an app (a field it does not have, one field written from two QuickBooks fields the same way). */
export function checkChart(rows: MapRow[], appFields: string[]): string[] {
  const problems: string[] = [];
  for (const r of rows) {
    if (r.app && r.app !== DISPLAY_NAME && !appFields.includes(r.app)) problems.push(`${info(r.qb).label} is mapped to "${r.app}", which the app's site profile does not have: choose one of ${appFields.join(', ')}.`);
    if (r.direction !== 'none' && !r.app) problems.push(`${info(r.qb).label} has a direction but no app field: choose one, or "Not synced".`);
    if (info(r.qb).readOnly && (r.direction === 'app' || r.direction === 'two-way') && r.app) problems.push(`${info(r.qb).label} is kept by QuickBooks alone: it can only be "QuickBooks wins" or "Not synced".`);
  }
  return problems;
}

export const readCustomerSync = (realmId: string, app: HostApp) => readWorkflowSettings(CUSTOMER_SYNC, CustomerSyncSettings, realmId, app);
export async function saveCustomerSync(realmId: string, app: HostApp, appFields: string[], value: unknown): Promise<CustomerSyncSettings> {
  const before = await readCustomerSync(realmId, app);
  const loading = await db.syncCursors.get([realmId, 'Customer']);
  if ((value as { on?: boolean })?.on && !before.on && (!loading || loading.phase !== 'incremental'))
    throw new WorkflowError('QuickBooks\' customers are still loading: turn the sync on once the first sync has finished (the popup shows its progress).');
  const saved = await writeWorkflowSettings(CUSTOMER_SYNC, CustomerSyncSettings, realmId, app, value, async (s) => checkChart(chartFor(s, appFields), appFields));
  // Turned on: the watch starts now (a contact's first sync starts with its first change).
  if (saved.on && !before.on) await startWatch(realmId, app);
  return saved;
}

// ---- values (pure) -----------------------------------------------------------------------------------

/** A value as the sync compares it: a phone's digits (no US 1), an email in lower case, an amount to the cent, text trimmed. */
export function norm(field: QbField, value: unknown): string {
  const text = String(value ?? '').trim().replace(/\s+/g, ' ');
  switch (info(field).kind) {
    case 'phone': {
      const digits = text.replace(/\D/g, '');
      return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    }
    case 'email':
      return text.toLowerCase();
    case 'money':
      return text === '' || Number.isNaN(Number(text)) ? '' : Number(text).toFixed(2);
    default:
      return text;
  }
}

const at = (obj: Rec | undefined, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Rec)[k] : undefined), obj);

/** A QuickBooks customer's value for a field; references by name (the cache's lists). */
export function qbValue(customer: Rec, field: QbField, names: { Term: Map<string, string>; PaymentMethod: Map<string, string> }): string {
  const ref = info(field).ref as 'Term' | 'PaymentMethod' | undefined;
  if (ref) {
    const r = customer[field] as Rec | undefined;
    return r?.value ? (names[ref].get(String(r.value)) ?? String(r.name ?? '')) : '';
  }
  const v = at(customer, field);
  return v === undefined || v === null ? '' : String(v);
}

/** An app contact's value for a field (undefined: the record as read does not say, so the field is left alone this time). */
export function appValue(fields: Record<string, string | undefined>, field: string): string | undefined {
  if (field === DISPLAY_NAME) {
    const company = (fields.company ?? '').trim();
    return company || `${fields.firstName ?? ''} ${fields.lastName ?? ''}`.trim();
  }
  return fields[field] ?? (field in fields ? '' : undefined);
}

export interface Decision {
  field: QbField;
  app: string;
  /** Which side is written, with what (the other side's value as it is there). */
  to: 'qb' | 'app';
  value: string;
  /** The normalised value both sides agree on once it lands. */
  agreed: string;
}

/** Where the memory keeps the app's own display name (its company, or its person's name) as last seen. */
const APP_DISPLAY = 'DisplayName@app';

/** Changes made within this many milliseconds of each other are a tie (each clock is known to about a second); QuickBooks wins a tie. */
export const TIE_MS = 2_000;

/**
 * What to write for a linked pair, field by field. A field both sides agree on is agreed; one only
 * one side changed since the last agreement goes to the other (as its direction allows); one both
 * changed (or the first sync of a record) goes to the later change, by `times` (each side's last
 * change on this computer's clock), QuickBooks winning a tie; a one-way field goes its way. A field
 * with a write on its way is left until it lands.
 */
export function decide(
  rows: MapRow[],
  app: Record<string, string | undefined>,
  qb: Record<string, string>,
  mem: Pick<FieldSync, 'values' | 'pending'> | undefined,
  times: { app: number; qb: number },
): { writes: Decision[]; agreed: Record<string, string> } {
  const writes: Decision[] = [];
  const agreed: Record<string, string> = {};
  for (const r of rows) {
    if (r.direction === 'none' || !r.app || mem?.pending[r.qb]) continue;
    const rawApp = app[r.qb];
    if (rawApp === undefined) continue;
    const a = norm(r.qb, rawApp);
    const q = norm(r.qb, qb[r.qb]);
    const m = mem?.values[r.qb];
    // The app's display name is its company (or its person's name): QuickBooks' may be worded
    // otherwise. It goes to QuickBooks only when the app's changes, never back, and a first sync
    // leaves QuickBooks' as it is.
    if (r.app === DISPLAY_NAME) {
      const mine = mem?.values[APP_DISPLAY];
      agreed[APP_DISPLAY] = a;
      if (a !== q && mine !== undefined && a !== mine && r.direction !== 'qb' && a) writes.push({ field: r.qb, app: r.app, to: 'qb', value: rawApp, agreed: a });
      continue;
    }
    if (a === q) {
      agreed[r.qb] = a;
      continue;
    }
    let winner: 'qb' | 'app';
    if (r.direction === 'qb') winner = 'qb';
    else if (r.direction === 'app') winner = 'app';
    else if (m !== undefined && a !== m && q === m) winner = 'app';
    else if (m !== undefined && q !== m && a === m) winner = 'qb';
    else winner = times.app > times.qb + TIE_MS ? 'app' : 'qb';
    // Before the sides ever agreed (a record's first sync), a blank never wipes out a value of a two-way field.
    if (r.direction === 'two-way' && m === undefined && (winner === 'app' ? a : q) === '') winner = winner === 'app' ? 'qb' : 'app';
    // A field QuickBooks keeps alone (a balance), or the app's display name (its company or names), is written one way only.
    if (winner === 'app' && (info(r.qb).readOnly || r.direction === 'qb')) winner = 'qb';
    writes.push(winner === 'qb' ? { field: r.qb, app: r.app, to: 'app', value: qb[r.qb] ?? '', agreed: q } : { field: r.qb, app: r.app, to: 'qb', value: rawApp, agreed: a });
  }
  return { writes, agreed };
}

const ADDRESS = /^(Bill|Ship)Addr\./;

/**
 * The sparse QuickBooks update that writes the decisions: nested objects whole (an address with all
 * its parts, as QuickBooks replaces it whole), references by id. A reference QuickBooks has no record
 * of by that name is refused with the name.
 */
export function qbPatch(decisions: Decision[], ids: { Term: Map<string, string>; PaymentMethod: Map<string, string> }): Rec {
  const patch: Rec = {};
  for (const d of decisions) {
    const ref = info(d.field).ref as 'Term' | 'PaymentMethod' | undefined;
    if (ref) {
      const id = ids[ref].get(d.value.trim().toLowerCase());
      if (!id && d.value.trim()) throw new WorkflowError(`QuickBooks has no ${info(d.field).label.toLowerCase()} named "${d.value}": add it in QuickBooks, or set ${info(d.field).label} to "QuickBooks wins".`);
      if (id) patch[d.field] = { value: id };
      continue;
    }
    const [top, sub] = d.field.split('.');
    if (!sub) patch[top] = d.value;
    // An address is merged into QuickBooks' record as it is when the write is sent (lib/sync/push: mergeParts).
    else if (ADDRESS.test(d.field)) patch[top] = { $merge: { ...(patch[top]?.$merge ?? {}), [sub]: d.value } };
    else patch[top] = { ...(patch[top] ?? {}), [sub]: d.value };
  }
  return patch;
}

/** The app update that writes the decisions: its fields by name (an address with all its parts, which the app takes whole). */
export function appPatch(decisions: Decision[], fields: Record<string, string | undefined>, moneyFields: Set<string>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const d of decisions) patch[d.app] = moneyFields.has(d.app) ? (d.value === '' ? null : Number(d.value)) : d.value === '' ? null : d.value;
  // An address goes whole: the parts not written keep what the app has.
  const parts = ['street', 'city', 'state', 'zip', 'country'];
  if (parts.some((p) => p in patch)) for (const p of parts) if (!(p in patch)) patch[p] = fields[p] ?? '';
  return patch;
}

// ---- what the sync does ------------------------------------------------------------------------------

export interface SyncCtx extends Ctx {
  /** The app's fields as its site profile names them (the chart's choices). */
  appFields: string[];
  /** How far each side's clock is ahead of this computer's. */
  clocks: { app: number; qb: number };
}

const memKey = (realmId: string, app: HostApp, hostId: string): [string, string, string, string] => [realmId, app.profileId, app.origin, hostId];

/** The company's terms and payment methods, by id and by name. */
async function refNames(realmId: string) {
  const [terms, methods] = await Promise.all([recordsOf(realmId, 'Term'), recordsOf(realmId, 'PaymentMethod')]) as Map<string, Rec>[];
  const byId = (m: Map<string, Rec>) => new Map([...m.values()].map((r) => [String(r.Id), String(r.Name)]));
  const byName = (m: Map<string, Rec>) => new Map([...m.values()].filter((r) => r.Active !== false).map((r) => [String(r.Name).toLowerCase(), String(r.Id)]));
  return { names: { Term: byId(terms), PaymentMethod: byId(methods) }, ids: { Term: byName(terms), PaymentMethod: byName(methods) } };
}

/** Settles a record's writes that have landed (their values are agreed) or failed (forgotten: the sides are compared afresh). */
async function settle(mem: FieldSync): Promise<FieldSync> {
  const ids = Object.values(mem.pending).map((p) => p.entryId);
  if (!ids.length) return mem;
  const entries = new Map((await db.outbox.bulkGet(ids)).filter((e): e is OutboxEntry => !!e).map((e) => [e.id, e]));
  const values = { ...mem.values };
  const pending = { ...mem.pending };
  for (const [field, p] of Object.entries(mem.pending)) {
    const e = entries.get(p.entryId);
    if (!e || e.state === 'done') values[field] = p.value;
    if (!e || e.state === 'done' || e.state === 'failed' || e.state === 'cancelled') delete pending[field];
  }
  return { ...mem, values, pending };
}

const HISTORY_MAX = 50;

/**
 * Syncs linked pairs (app id -> QuickBooks id): what each side changed goes to the other as the chart
 * says, as one write per side and record (a sparse update of the customer, with its SyncToken; an
 * update of the contact through the app's API). Returns the entries made.
 */
export async function syncPairs(c: SyncCtx, pairs: { hostId: string; qbId: string }[]): Promise<ExportResult> {
  const s = await readCustomerSync(c.realmId, c.app);
  const rows = chartFor(s, c.appFields);
  const customers = (await recordsOf(c.realmId, 'Customer')) as Map<string, Rec>;
  const { names, ids } = await refNames(c.realmId);
  const moneyFields = new Set(rows.filter((r) => info(r.qb).kind === 'money').map((r) => r.app));
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  const plans: { hostId: string; mem: FieldSync; qbIndex?: number; appIndex?: number; decisions: Decision[]; sides: Record<string, { qb: string; app: string }> }[] = [];
  for (const { hostId, qbId } of pairs) {
    const record = await hostRecord(c.realmId, c.app, 'customer', hostId);
    const customer = customers.get(qbId);
    if (!record || !customer) continue;
    const stored = await db.fieldSync.get(memKey(c.realmId, c.app, hostId));
    const mem = await settle(stored && stored.qbId === qbId ? stored : { realmId: c.realmId, profileId: c.app.profileId, origin: c.app.origin, hostId, qbId, values: {}, pending: {}, history: [] });
    const appVals: Record<string, string | undefined> = {};
    const qbVals: Record<string, string> = {};
    for (const r of rows) {
      if (!r.app) continue;
      appVals[r.qb] = appValue(record.fields, r.app);
      qbVals[r.qb] = qbValue(customer, r.qb, names);
    }
    // A write still waiting (not sent yet) whose side changed that field since is stale: it is
    // cancelled, and the field decided again from both sides as they are now.
    const stale = new Set<string>();
    for (const [field, p] of Object.entries(mem.pending)) {
      const row = rows.find((r) => r.qb === field);
      const entry = await db.outbox.get(p.entryId);
      if (!row || entry?.state !== 'pending') continue;
      const side = entry.target === 'qbo' ? norm(row.qb, qbVals[field]) : appVals[field] === undefined ? undefined : norm(row.qb, appVals[field]);
      if (side !== undefined && p.was !== undefined && side !== p.was && side !== p.value) stale.add(p.entryId);
    }
    if (stale.size) {
      await cancel([...stale]);
      for (const [field, p] of Object.entries(mem.pending)) if (stale.has(p.entryId)) delete mem.pending[field];
    }
    const times = {
      app: Date.parse(record.fields.updatedAt ?? '') - c.clocks.app || 0,
      qb: Date.parse(customer.MetaData?.LastUpdatedTime ?? '') - c.clocks.qb || 0,
    };
    const decided = decide(rows, appVals, qbVals, mem, times);
    mem.values = { ...mem.values, ...decided.agreed };
    mem.qbToken = String(customer.SyncToken);
    // A display name QuickBooks has for another record (customers, vendors and employees share them) is not sent; the rest goes.
    let decisions = decided.writes;
    const renamed = decisions.find((d) => d.field === 'DisplayName');
    if (renamed && (await takenNames(c.realmId)).has(renamed.value.trim().toLowerCase()) && String(customer.DisplayName).trim().toLowerCase() !== renamed.value.trim().toLowerCase()) {
      decisions = decisions.filter((d) => d !== renamed);
      refused.push({ hostId, why: `QuickBooks already has another customer, vendor or employee named "${renamed.value}", so the contact's new name is not given to its QuickBooks customer: rename one of them.` });
    }
    const toQb = decisions.filter((d) => d.to === 'qb');
    const toApp = decisions.filter((d) => d.to === 'app');
    const sides = Object.fromEntries(decisions.map((d) => [d.field, { qb: norm(d.field, qbVals[d.field]), app: norm(d.field, appVals[d.field] ?? '') }]));
    const plan: (typeof plans)[number] = { hostId, mem, decisions, sides };
    // One write per side and state of the pair: the same state asked about twice is one write.
    const version = (await digest(canonical({ d: decisions, a: record.version ?? record.fields.updatedAt, q: customer.SyncToken }))).slice(0, 16);
    if (toQb.length)
      try {
        plan.qbIndex = writes.length;
        writes.push({ realmId: c.realmId, operation: 'update', entity: 'Customer', qbId, host: { ...c.app, kind: 'customer', hostId }, appName: c.appName, intent: qbPatch(toQb, ids), version, origin: c.origin });
      } catch (e) {
        plan.qbIndex = undefined;
        refused.push({ hostId, why: (e as Error).message });
      }
    if (toApp.length) {
      plan.appIndex = writes.length;
      writes.push({ realmId: c.realmId, target: c.app.profileId, operation: 'update', entity: 'customer', host: { ...c.app, kind: 'customer', hostId }, intent: { fields: appPatch(toApp, record.fields, moneyFields) }, version, origin: c.origin });
    }
    plans.push(plan);
  }
  const entries = writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [];
  // What is on its way is remembered with its entry: agreed once it lands, never taken as a change meanwhile.
  const now = Date.now();
  await db.fieldSync.bulkPut(
    plans.map((p) => {
      const pending = { ...p.mem.pending };
      const history = [...p.mem.history];
      for (const d of p.decisions) {
        const index = d.to === 'qb' ? p.qbIndex : p.appIndex;
        if (index === undefined || !entries[index]) continue;
        pending[d.field] = { value: d.agreed, entryId: entries[index].id, was: p.sides[d.field]?.[d.to] };
        history.push({ at: now, field: info(d.field).label, to: d.to === 'qb' ? 'QuickBooks' : 'app', from: d.to === 'qb' ? 'app' : 'QuickBooks', value: d.value });
      }
      return { ...p.mem, pending, history: history.slice(-HISTORY_MAX) };
    }),
  );
  return { entries, refused };
}

/** A QuickBooks customer made from an app contact (the chart's fields that go to QuickBooks), its display name the contact's. */
export function customerFromApp(record: HostRecord, rows: MapRow[], ids: { Term: Map<string, string>; PaymentMethod: Map<string, string> }): Rec {
  const decisions: Decision[] = [];
  for (const r of rows) {
    if (!r.app || r.direction === 'none' || r.direction === 'qb' || info(r.qb).readOnly) continue;
    const v = appValue(record.fields, r.app);
    if (v) decisions.push({ field: r.qb, app: r.app, to: 'qb', value: v, agreed: norm(r.qb, v) });
  }
  const body = mergeParts(qbPatch(decisions, ids), {});
  body.DisplayName ??= appValue(record.fields, DISPLAY_NAME);
  if (!String(body.DisplayName ?? '').trim()) throw new WorkflowError(`The contact ${record.hostId} has no company and no name: QuickBooks needs a display name.`);
  return body;
}

/** An app contact made from a QuickBooks customer (the chart's fields that go to the app), a customer in the app's stages. */
export function contactFromQb(customer: Rec, rows: MapRow[], names: { Term: Map<string, string>; PaymentMethod: Map<string, string> }, moneyFields: Set<string>): Record<string, unknown> {
  const decisions: Decision[] = [];
  for (const r of rows) {
    if (!r.app || r.app === DISPLAY_NAME || r.direction === 'none' || r.direction === 'app') continue;
    const v = qbValue(customer, r.qb, names);
    if (v) decisions.push({ field: r.qb, app: r.app, to: 'app', value: v, agreed: norm(r.qb, v) });
  }
  const fields = appPatch(decisions, {}, moneyFields);
  // A customer with neither a company nor a person's name keeps its display name as its company.
  if (!fields.company && !fields.firstName && !fields.lastName) fields.company = customer.DisplayName;
  for (const [k, v] of Object.entries(fields)) if (v === null || v === '') delete fields[k];
  return { ...fields, stage: 'Customer', quickbooksId: String(customer.Id) };
}

/** The QuickBooks customer (or app contact) a record is suggested to match, if the matcher suggests one. */
async function suggestions(c: Ctx): Promise<{ app: Map<string, string>; qb: Map<string, string> }> {
  const view = await matchView(c.realmId, c.app, 'customer');
  const rows = view.rows.filter((r) => r.status === 'suggested' && r.app && r.qb);
  return { app: new Map(rows.map((r) => [r.app!.hostId, r.qb!.name])), qb: new Map(rows.map((r) => [r.qb!.id, String(r.app!.name ?? r.app!.hostId)])) };
}

/**
 * Creates each side's new records on the other: an app contact that is a customer (its stage) and
 * is in no way QuickBooks' yet becomes a QuickBooks customer (a display name QuickBooks has fails
 * with the offer to link, never a suffix); a QuickBooks customer the app has in no way becomes an
 * app contact. One only suggested to match is left for a person (refused, saying so).
 */
export async function createNew(c: SyncCtx, appIds: string[], qbIds: string[]): Promise<ExportResult> {
  const rows = chartFor(await readCustomerSync(c.realmId, c.app), c.appFields);
  const { names, ids } = await refNames(c.realmId);
  const moneyFields = new Set(rows.filter((r) => info(r.qb).kind === 'money').map((r) => r.app));
  const sugg = await suggestions(c);
  const customers = (await recordsOf(c.realmId, 'Customer')) as Map<string, Rec>;
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  const taken = await takenNames(c.realmId);
  const appName = (r: HostRecord) => `the contact ${appValue(r.fields, DISPLAY_NAME) || r.hostId}`;
  for (const hostId of appIds) {
    const record = await hostRecord(c.realmId, c.app, 'customer', hostId);
    if (!record || (record.fields.stage && record.fields.stage !== 'Customer') || record.fields.quickbooksId || (await db.links.get(keyOf(c.realmId, c.app, 'customer', hostId)))) continue;
    if (sugg.app.has(hostId)) {
      refused.push({ hostId, why: `${c.appName} contact ${appValue(record.fields, DISPLAY_NAME)} looks like QuickBooks' "${sugg.app.get(hostId)}": match them on the Customers tab (or export it there), then it syncs.` });
      continue;
    }
    try {
      const intent = customerFromApp(record, rows, ids);
      // QuickBooks' display names are unique (customers, vendors, employees): a taken one is offered as a link, never suffixed.
      const name = String(intent.DisplayName).trim().toLowerCase();
      if (taken.has(name)) {
        refused.push({ hostId, why: `QuickBooks already has a customer, vendor or employee named "${intent.DisplayName}": match ${appName(record)} with it on the Customers tab, or give it another name in ${c.appName}.` });
        continue;
      }
      taken.add(name);
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'Customer', host: { ...c.app, kind: 'customer', hostId }, appName: c.appName, intent, origin: c.origin });
      writes.push(...(await writeBackWrites(c.realmId, c.app, 'customer', [{ hostId, qbId: { $id: `#${writes.length - 1}` } }], c.origin)));
    } catch (e) {
      refused.push({ hostId, why: (e as Error).message });
    }
  }
  const linkedQb = new Set((await db.links.where('[realmId+profileId+origin+kind]').equals([c.realmId, c.app.profileId, c.app.origin, 'customer']).toArray()).map((l) => l.qbId));
  const named = new Set((await hostRecordsOfKind(c.realmId, c.app, 'customer')).map((r) => r.fields.quickbooksId).filter(Boolean));
  for (const qbId of qbIds) {
    const customer = customers.get(qbId);
    if (!customer || customer.Active === false || linkedQb.has(qbId) || named.has(qbId)) continue;
    if (sugg.qb.has(qbId)) {
      refused.push({ hostId: qbId, why: `QuickBooks customer "${customer.DisplayName}" looks like ${c.appName}'s ${sugg.qb.get(qbId)}: match them on the Customers tab, then it syncs.` });
      continue;
    }
    writes.push(importWrite(c, 'customer', 'Customer', qbId, { fields: contactFromQb(customer, rows, names, moneyFields), lines: [] }));
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** The display names QuickBooks has (customers, vendors and employees share them), in lower case. */
async function takenNames(realmId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of ['Customer', 'Vendor', 'Employee']) for (const r of ((await recordsOf(realmId, e)) as Map<string, Rec>).values()) if (r.DisplayName) out.add(String(r.DisplayName).trim().toLowerCase());
  return out;
}

/** The linked pairs of an app's contacts: app id -> QuickBooks id, and back. */
async function pairsOf(c: Ctx): Promise<{ byApp: Map<string, string>; byQb: Map<string, string> }> {
  const links = (await db.links.where('[realmId+profileId+origin+kind]').equals([c.realmId, c.app.profileId, c.app.origin, 'customer']).toArray()).filter((l) => l.state === 'linked' && l.qbId);
  return { byApp: new Map(links.map((l) => [l.hostId, l.qbId!])), byQb: new Map(links.map((l) => [l.qbId!, l.hostId])) };
}

/**
 * How far QuickBooks' customers have been looked at: up to what change data capture has read (on
 * QuickBooks' clock, to the second before it: its times are to the second), and the versions of the
 * records changed from then, which are not news when seen again.
 */
async function qbWatermark(realmId: string, customers: Map<string, Rec>): Promise<{ qbAt: number; qbSeen: Record<string, string> }> {
  const timeOf = (r: Rec) => Date.parse(r.MetaData?.LastUpdatedTime ?? '') || 0;
  const readTo = (await db.connections.get(realmId))?.changesReadTo ?? [...customers.values()].reduce((m, r) => Math.max(m, timeOf(r)), 0);
  const qbAt = Math.floor(readTo / 1000) * 1000 - 1000;
  return { qbAt, qbSeen: Object.fromEntries([...customers.values()].filter((r) => timeOf(r) >= qbAt).map((r) => [String(r.Id), String(r.SyncToken)])) };
}

/** Starts watching both sides from now: what changed before is not a change to sync. */
async function startWatch(realmId: string, app: HostApp) {
  await moveAutomationCursor(realmId, app, CUSTOMER_SYNC, { events: await lastEventSeq(), ...(await qbWatermark(realmId, (await recordsOf(realmId, 'Customer')) as Map<string, Rec>)) });
}

/**
 * The sync's run (on each sync, on the app's changes, and every few seconds while a tab of the app is
 * open): the app's contacts changed since the last run and QuickBooks' customers changed since then
 * are synced (a contact never changed on either side is not: its first sync starts with its first
 * change); new records on either side are made on the other. Changes made while the browser was
 * closed are caught up on the next run.
 */
export function runCustomerSync(c: SyncCtx): Promise<OutboxEntry[]> {
  // One run at a time per app (the schedule, an open tab's rhythm and the app's events may meet).
  return withLock(`qbc-customer-sync-${c.realmId}-${c.app.profileId}-${c.app.origin}`, {}, () => runCustomerSyncNow(c));
}

async function runCustomerSyncNow(c: SyncCtx): Promise<OutboxEntry[]> {
  const s = await readCustomerSync(c.realmId, c.app);
  if (!s.on) return [];
  const cur = await automationCursor(c.realmId, c.app, CUSTOMER_SYNC);
  if (!cur) {
    await startWatch(c.realmId, c.app);
    return [];
  }
  const read = await db.hostEvents.where('seq').above(cur.events).toArray();
  // The QuickBooks id the extension wrote into a contact (a link's write-back) coming back is not a
  // change of the contact: alone, it does not start the contact's first sync.
  const own = await writeBackField(c.app, 'customer');
  const echo = (e: HostEvent) => e.type === 'changed' && !!own && !!e.fields?.length && e.fields.every((f) => f === own);
  const events = read.filter((e) => e.realmId === c.realmId && e.profileId === c.app.profileId && e.origin === c.app.origin && e.kind === 'customer' && e.type !== 'deleted' && !echo(e));
  const customers = (await recordsOf(c.realmId, 'Customer')) as Map<string, Rec>;
  // QuickBooks' changes since the watch last looked, as far as change data capture has read them
  // (the product's own writes land in the cache sooner, and do not move the watch); a record of the
  // watch's last second is new only in another version than the one seen then.
  const since = cur.qbAt ?? 0;
  const seen = cur.qbSeen ?? {};
  const timeOf = (r: Rec) => Date.parse(r.MetaData?.LastUpdatedTime ?? '') || 0;
  const changedQb = [...customers.values()].filter((r) => timeOf(r) >= since && seen[String(r.Id)] !== String(r.SyncToken));
  const { byApp, byQb } = await pairsOf(c);
  const pairs = new Map<string, string>();
  for (const e of events) if (byApp.has(e.hostId)) pairs.set(e.hostId, byApp.get(e.hostId)!);
  for (const r of changedQb) if (byQb.has(String(r.Id))) pairs.set(byQb.get(String(r.Id))!, String(r.Id));
  // A pair synced before is changed in QuickBooks when its version is new, whatever QuickBooks' clock says.
  for (const m of await db.fieldSync.where('[realmId+profileId+origin+hostId]').between([c.realmId, c.app.profileId, c.app.origin, ''], [c.realmId, c.app.profileId, c.app.origin, '\uffff']).toArray())
    if (byApp.get(m.hostId) === m.qbId && m.qbToken !== undefined && String(customers.get(m.qbId)?.SyncToken ?? m.qbToken) !== m.qbToken) pairs.set(m.hostId, m.qbId);
  const origin = { kind: 'automation' as const, name: 'Customer sync' };
  const synced = await syncPairs({ ...c, origin }, [...pairs].map(([hostId, qbId]) => ({ hostId, qbId })));
  const newApp = [...new Set(events.filter((e) => !byApp.has(e.hostId)).map((e) => e.hostId))];
  const newQb = changedQb.filter((r) => !byQb.has(String(r.Id)) && (Date.parse(r.MetaData?.CreateTime ?? '') || 0) >= since).map((r) => String(r.Id));
  const made = newApp.length || newQb.length ? await createNew({ ...c, origin }, newApp, newQb) : { entries: [], refused: [] };
  await logRefused(c.realmId, 'Customer sync', c.appName, [...synced.refused, ...made.refused]);
  await moveAutomationCursor(c.realmId, c.app, CUSTOMER_SYNC, { events: Math.max(cur.events, ...read.map((e) => e.seq ?? 0)), ...(await qbWatermark(c.realmId, customers)) });
  return [...synced.entries, ...made.entries];
}

/** What "Sync all now" would do, counted, for the confirmation. */
export async function syncAllPlan(c: Ctx): Promise<{ link: number; pairs: number; toQb: number; toApp: number; taken: number; words: string }> {
  const view = await matchView(c.realmId, c.app, 'customer');
  const link = view.rows.filter((r) => r.status === 'suggested' && r.confident).length;
  const pairs = view.rows.filter((r) => r.status === 'matched').length;
  const names = await takenNames(c.realmId);
  const candidates = view.rows.filter((r) => r.status === 'only-app' && r.app && (!r.app.fields.stage || r.app.fields.stage === 'Customer') && !r.app.fields.quickbooksId);
  const fresh = new Set<string>();
  let taken = 0;
  for (const r of candidates) {
    const name = String(appValue(r.app!.fields, DISPLAY_NAME)).trim().toLowerCase();
    if (!name) continue;
    if (names.has(name) || fresh.has(name)) taken++;
    else fresh.add(name);
  }
  const toQb = fresh.size;
  const toApp = view.rows.filter((r) => r.status === 'only-qb' && r.qb?.active).length;
  const words =
    `${link} confident suggestions will be linked, ${pairs + link} linked contacts synced, ${toQb} contacts created in QuickBooks and ${toApp} QuickBooks customers created in the app.` +
    (taken ? ` ${taken} contact${taken === 1 ? ' has a name' : 's have names'} QuickBooks already has: match ${taken === 1 ? 'it' : 'them'} on the Customers tab.` : '');
  return { link, pairs, toQb, toApp, taken, words };
}

/**
 * "Sync all now": confident suggestions are linked, every linked pair synced, and the records on
 * one side only made on the other, each once (as one action, for its progress).
 */
export function syncAll(c: SyncCtx): Promise<ExportResult> {
  return withLock(`qbc-customer-sync-${c.realmId}-${c.app.profileId}-${c.app.origin}`, {}, () => syncAllNow(c));
}

async function syncAllNow(c: SyncCtx): Promise<ExportResult> {
  const view = await matchView(c.realmId, c.app, 'customer');
  await acceptSuggestions(c.realmId, c.app, 'customer', view.rows.filter((r) => r.status === 'suggested' && r.confident));
  const { byApp } = await pairsOf(c);
  const synced = await syncPairs(c, [...byApp].map(([hostId, qbId]) => ({ hostId, qbId })));
  const after = await matchView(c.realmId, c.app, 'customer');
  const made = await createNew(
    c,
    after.rows.filter((r) => r.status === 'only-app' && r.app).map((r) => r.app!.hostId),
    after.rows.filter((r) => r.status === 'only-qb' && r.qb?.active).map((r) => r.qb!.id),
  );
  if (!(await automationCursor(c.realmId, c.app, CUSTOMER_SYNC))) await startWatch(c.realmId, c.app);
  return { entries: [...synced.entries, ...made.entries], refused: [...synced.refused, ...made.refused] };
}

/** A contact's sync history (what changed, which side, when), newest first. */
export async function historyOf(realmId: string, app: HostApp, hostId: string): Promise<FieldSync['history']> {
  return [...((await db.fieldSync.get(memKey(realmId, app, hostId)))?.history ?? [])].reverse();
}

/** The sync schedule while a customer sync is on: QuickBooks' changes reach the app within two minutes, no tab open. */
export const CUSTOMER_SYNC_MINUTES = 1;

/** Whether an app of a company has its customer sync on. */
export async function customerSyncOn(realmId: string): Promise<boolean> {
  return Object.values(await readSetting(SETTINGS.workflows, realmId)).some((app) => !!(app as Record<string, Rec>)?.[CUSTOMER_SYNC]?.on);
}

/** Whether any app of any connected company has its customer sync on. */
export async function anyCustomerSyncOn(): Promise<boolean> {
  for (const realmId of await db.connections.toCollection().primaryKeys())
    for (const app of Object.values(await readSetting(SETTINGS.workflows, String(realmId))))
      if ((app as Record<string, Rec>)?.[CUSTOMER_SYNC]?.on) return true;
  return false;
}
