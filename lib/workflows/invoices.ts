// Invoices and their payments to QuickBooks (the accounting portal's workflow): an app's invoice
// becomes one QuickBooks invoice, or one per month its transactions span ("Split Invoice"), with
// one line per transaction or one summing them ("One Transaction Invoice"); its payments become
// QuickBooks payments applied to it; its custom fields go into QuickBooks' custom fields; deleting
// it in the app deletes it in QuickBooks. Its settings, pure mappers, actions, automations and the
// rows the side panel's Invoices tab shows. docs/workflows.md says what was chosen and why.
import { z } from 'zod';
import { db, type HostRecord, type Link, type OutboxEntry } from '../db';
import { forgetCache, recordsOf } from '../db/qbcache';
import { keyOf, unlink, type HostApp } from '../links';
import { cancel, linkRef, registerIntentBuilder, type NewWrite } from '../sync/outbox';
import { exportWrite } from './export-names';
import { writeBackWrites } from '../hosts/worker/writes';
import { enabledProfiles } from '../hosts/worker/registry';
import {
  automationCursor, day, DOC_NUMBER_MAX, enqueueAndRetry, entriesByRecord, hostRecordsOf, lastEventSeq, linkOf, logRefused, money, moveAutomationCursor, pendingCreate,
  readWorkflowSettings, WorkflowError, writeWorkflowSettings, type Ctx, type ExportResult,
} from './index';
import { hostRecord, hostRecordsOfKind } from '../hosts/store';

export const INVOICES = 'invoices';

type Rec = Record<string, any>;

/** Which date a QuickBooks invoice gets (the portal's "Invoice Date"). */
export const INVOICE_DATES = {
  dateTo: 'Invoice Date To (the end of the period it covers)',
  created: 'Creation date',
  sync: 'Date of sync with QuickBooks',
} as const;
export type InvoiceDate = keyof typeof INVOICE_DATES;

export const DEFAULT_DESCRIPTION = 'Invoice: {invoiceNumber} / {invoiceDate} / {client}';
/** What a One Transaction description may say. */
export const DESCRIPTION_FIELDS = ['invoiceNumber', 'invoiceDate', 'client', 'periodStart', 'periodEnd', 'month'] as const;

/** Where a payment lands in QuickBooks: the account it is deposited to and its payment method. */
const PaymentTarget = z.object({ accountId: z.string().default(''), methodId: z.string().default('') });
export type PaymentTarget = z.infer<typeof PaymentTarget>;

export const InvoiceSettings = z.object({
  /** The Service/Product item every line uses. */
  itemId: z.string().default(''),
  /** One line summing the invoice's transactions, described by `description`. */
  oneTransaction: z.boolean().default(false),
  description: z.string().trim().min(1, 'The One Transaction description is empty: write one, like "Invoice: {invoiceNumber}".').max(200).default(DEFAULT_DESCRIPTION),
  /** One QuickBooks invoice per month the transactions span (months in the company's time zone). */
  split: z.boolean().default(false),
  /** The app's custom fields (by name) carried into QuickBooks' custom fields (by the names in Preferences). */
  customFields: z.boolean().default(false),
  customFieldNames: z.record(z.string(), z.string()).default({}),
  /** Invoices made in the app for synced customers go to QuickBooks by themselves. */
  autoCreate: z.boolean().default(false),
  invoiceDate: z.enum(Object.keys(INVOICE_DATES) as [InvoiceDate, ...InvoiceDate[]]).default('dateTo'),
  /** Per payment system of the app (stripe, paypal, check…): where its payments land; `defaultPayment` for the rest. */
  paymentMethods: z.record(z.string(), PaymentTarget).default({}),
  defaultPayment: PaymentTarget.default({ accountId: '', methodId: '' }),
});
export type InvoiceSettings = z.infer<typeof InvoiceSettings>;

/** The account types a payment can be deposited to (the seed: "Bank" and "Other Current Asset"). */
export const DEPOSIT_TYPES = ['Bank', 'Other Current Asset'];

/** The custom fields the company turned on for sales forms (Preferences), with their ids. */
export function salesCustomFields(prefs: Rec | undefined): { id: string; name: string }[] {
  const settings = new Map<string, Rec>();
  for (const g of prefs?.SalesFormsPrefs?.CustomField ?? []) for (const f of g.CustomField ?? []) settings.set(f.Name, f);
  const out: { id: string; name: string }[] = [];
  for (const n of ['1', '2', '3'])
    if (settings.get(`SalesFormsPrefs.UseSalesCustom${n}`)?.BooleanValue === true) out.push({ id: n, name: settings.get(`SalesFormsPrefs.SalesCustomName${n}`)?.StringValue ?? `Custom ${n}` });
  return out;
}

/** What is wrong with settings, given what QuickBooks holds (the cache, and Preferences' custom fields); nothing when they can be saved. */
export async function checkInvoiceSettings(realmId: string, s: InvoiceSettings, prefs: Rec | undefined): Promise<string[]> {
  const problems: string[] = [];
  for (const e of ['Account', 'Item', 'PaymentMethod']) forgetCache(realmId, e);
  const [accounts, items, methods] = await Promise.all(['Account', 'Item', 'PaymentMethod'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
  const item = items.get(s.itemId);
  if (!s.itemId) problems.push('Choose the Service/Product item invoice lines use.');
  else if (!item || item.Active === false) problems.push(`The item ${s.itemId} is not an active item in QuickBooks: choose another.`);
  else if (item.Type === 'Category' || !item.IncomeAccountRef?.value) problems.push(`The item "${item.Name}" has no income account, so QuickBooks cannot sell it on an invoice: give it one in QuickBooks or choose another.`);
  for (const [, name] of s.description.matchAll(/\{(\w*)\}/g))
    if (!(DESCRIPTION_FIELDS as readonly string[]).includes(name)) problems.push(`The One Transaction description names {${name}}, which is none of ${DESCRIPTION_FIELDS.map((f) => `{${f}}`).join(', ')}.`);
  const defined = new Set(salesCustomFields(prefs).map((f) => f.name));
  for (const [field, name] of Object.entries(s.customFieldNames))
    if (name && !defined.has(name))
      problems.push(`"${name}" (for ${field}) is not a custom field turned on in QuickBooks (${defined.size ? [...defined].map((n) => `"${n}"`).join(', ') : 'none is'}): turn it on in QuickBooks' Settings > Custom fields, or choose another.`);
  const targets: [string, PaymentTarget][] = [['Default', s.defaultPayment], ...Object.entries(s.paymentMethods)];
  for (const [system, t] of targets) {
    if (t.accountId) {
      const a = accounts.get(t.accountId);
      if (!a || a.Active === false) problems.push(`The account chosen for ${system} payments is not an active account in QuickBooks: choose another.`);
      else if (!DEPOSIT_TYPES.includes(a.AccountType)) problems.push(`"${a.Name}" is a ${a.AccountType} account; payments can only go to a Bank or Other Current Asset account (${system}).`);
    }
    if (t.methodId) {
      const m = methods.get(t.methodId);
      if (!m || m.Active === false) problems.push(`The payment method chosen for ${system} payments is not an active payment method in QuickBooks: choose another.`);
    }
  }
  return problems;
}

export const readInvoiceSettings = (realmId: string, app: HostApp) => readWorkflowSettings(INVOICES, InvoiceSettings, realmId, app);
export const saveInvoiceSettings = (realmId: string, app: HostApp, value: unknown, prefs: Rec | undefined) =>
  writeWorkflowSettings(INVOICES, InvoiceSettings, realmId, app, value, (s) => checkInvoiceSettings(realmId, s, prefs));

// ---- days and months (pure) --------------------------------------------------------------------------

/**
 * The calendar day of an app's date or time in a time zone: a bare day ("2026-10-31") is that day
 * wherever one is; a time ("2026-11-01T03:00:00Z") is the day it was in `timeZone` (Oct 31 in Los
 * Angeles). Undefined when it is neither.
 */
export function dayIn(value: string | undefined, timeZone: string): string | undefined {
  const text = String(value ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  if (!/^\d{4}-\d{2}-\d{2}[T\s]\d{2}:\d{2}/.test(text)) return undefined;
  const t = Date.parse(text.replace(' ', 'T'));
  if (Number.isNaN(t)) return undefined;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The last day of a month ("2026-02" -> "2026-02-28"). */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** A day as people read it on an invoice: "Feb 27, 2023". */
export const mediumDay = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

// ---- the mappers (pure) ------------------------------------------------------------------------------

export interface InvoiceContext {
  appName: string;
  /** The company's time zone (CompanyInfo.DefaultTimeZone): months and days are the company's. */
  timeZone: string;
  /** Now, for "Date of sync". */
  now: number;
  /** The company's sales custom fields (Preferences). */
  customFields: { id: string; name: string }[];
  /** The company's currency, and whether it takes others (Preferences' CurrencyPrefs). */
  homeCurrency: string;
  multiCurrency: boolean;
  /** The customer's reference: its link when sent (the default), or the export that makes it. */
  customerRef?: unknown;
}

/** One QuickBooks invoice made from an app invoice: the whole of it, or its transactions of one month. */
export interface InvoicePart {
  /** The app's invoice id, with "@<month>" when split: the key its link is kept under. */
  key: string;
  month?: string;
  amount: number;
  body: Record<string, unknown>;
}

/** The longest text QuickBooks keeps in a string custom field. */
const CUSTOM_FIELD_MAX = 31;

const cents = (n: number) => Math.round(n * 100);
const fromCents = (c: number) => c / 100;

/** The app's custom fields of an invoice (its JSON), by name. */
export function customFieldsOf(f: Record<string, string>): Record<string, string> {
  try {
    const v = JSON.parse(f.customFields ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x ?? '')])) : {};
  } catch {
    return {};
  }
}

/** What stops an app's invoice from going to QuickBooks at all (the seed's words for a missing email). */
export function invoiceProblem(inv: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, appName: string): string | undefined {
  const f = inv.fields;
  const what = `${appName} invoice ${f.number || inv.hostId}`;
  if (!f.customerId) return `${what} has no client: choose one in ${appName}.`;
  if (!(f.email ?? '').trim())
    return `${what}: the client "${f.party ?? f.customerId}" has no email. The customer email field must be filled in to enable invoice synchronization: add it in ${appName}, then sync again.`;
  if (!inv.lines?.length) return `${what} has no transactions: QuickBooks needs at least one line.`;
  return undefined;
}

/** An app's invoice as the QuickBooks invoices it becomes (one, or one per month), or what stops it. */
export function invoiceToQbo(inv: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, s: InvoiceSettings, ctx: InvoiceContext): InvoicePart[] {
  const f = inv.fields;
  const what = `${ctx.appName} invoice ${f.number || inv.hostId}`;
  const problem = invoiceProblem(inv, ctx.appName);
  if (problem) throw new WorkflowError(problem);
  const txns = inv.lines!.map((l, i) => {
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, transaction ${i + 1}: "${l.amount ?? ''}" is not an amount.`);
    const date = dayIn(l.date, ctx.timeZone) ?? dayIn(f.periodEnd, ctx.timeZone) ?? dayIn(f.date, ctx.timeZone);
    if (!date) throw new WorkflowError(`${what}, transaction ${i + 1} has no date.`);
    return { date, amount, description: (l.description ?? '').trim() };
  });
  const groups = new Map<string | undefined, typeof txns>();
  for (const t of [...txns].sort((a, b) => (s.split ? a.date.localeCompare(b.date) : 0))) {
    const month = s.split ? t.date.slice(0, 7) : undefined;
    groups.set(month, [...(groups.get(month) ?? []), t]);
  }
  const periodStart = dayIn(f.periodStart, ctx.timeZone);
  const periodEnd = dayIn(f.periodEnd, ctx.timeZone);
  const dueDate = dayIn(f.dueDate, ctx.timeZone);
  // An invoice in another currency than the company's goes only where QuickBooks takes several.
  const currency = String(f.currency ?? '').trim().toUpperCase();
  const foreign = currency && currency !== ctx.homeCurrency;
  if (foreign && !ctx.multiCurrency)
    throw new WorkflowError(`${what} is in ${currency}, and this QuickBooks company keeps its books in ${ctx.homeCurrency} only: turn on Multicurrency in QuickBooks (Settings > Account and settings > Advanced), or change the invoice's currency in ${ctx.appName}.`);
  const split = groups.size > 1;
  const customs = s.customFields ? customFieldsOf(f) : {};
  const CustomField = Object.entries(s.customFieldNames)
    .filter(([field, name]) => name && customs[field])
    .map(([field, name]) => {
      const def = ctx.customFields.find((c) => c.name === name);
      if (!def) throw new WorkflowError(`"${name}" is not a custom field turned on in QuickBooks: turn it on there, or change the custom fields in the settings.`);
      return { DefinitionId: def.id, Name: def.name, Type: 'StringType', StringValue: customs[field].slice(0, CUSTOM_FIELD_MAX) };
    });
  return [...groups].map(([month, lines], k) => {
    let txnDate: string | undefined;
    if (s.invoiceDate === 'created') txnDate = dayIn(f.date, ctx.timeZone);
    else if (s.invoiceDate === 'sync') txnDate = dayIn(new Date(ctx.now).toISOString(), ctx.timeZone);
    else if (periodEnd) {
      // A month's invoice is dated the end of what it covers: the period's end, or its month's.
      txnDate = month && monthEnd(month) < periodEnd ? monthEnd(month) : periodEnd;
      if (month && txnDate < `${month}-01`) txnDate = lines[lines.length - 1].date;
    }
    if (!txnDate) throw new WorkflowError(`${what} has no ${s.invoiceDate === 'created' ? 'creation date' : 'period end (Invoice Date To)'}: choose another Invoice Date in the settings.`);
    const number = String(f.number ?? '').trim();
    const docNumber = number ? (split ? `${number}-${k + 1}` : number) : undefined;
    if (docNumber && docNumber.length > DOC_NUMBER_MAX)
      throw new WorkflowError(`${what}: its number${split ? ' with the month part (-1, -2…)' : ''} is longer than the ${DOC_NUMBER_MAX} characters QuickBooks takes; shorten it in ${ctx.appName}.`);
    const total = fromCents(lines.reduce((t, l) => t + cents(l.amount), 0));
    const item = { ItemRef: { value: s.itemId }, Qty: 1 };
    const fill = (template: string) =>
      template.replace(/\{(\w+)\}/g, (_m, name: string) =>
        ({ invoiceNumber: number, invoiceDate: mediumDay(txnDate!), client: f.party ?? '', periodStart: periodStart ? mediumDay(periodStart) : '', periodEnd: periodEnd ? mediumDay(periodEnd) : '', month: month ?? txnDate!.slice(0, 7) })[name] ?? '',
      );
    const Line = s.oneTransaction
      ? [{ Amount: total, Description: fill(s.description).slice(0, 4000), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ...item, UnitPrice: total, ServiceDate: lines[lines.length - 1].date } }]
      : lines.map((l) => ({ Amount: l.amount, ...(l.description ? { Description: l.description.slice(0, 4000) } : {}), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ...item, UnitPrice: l.amount, ServiceDate: l.date } }));
    return {
      key: month && split ? `${inv.hostId}@${month}` : inv.hostId,
      month,
      amount: total,
      body: {
        CustomerRef: ctx.customerRef ?? linkRef('customer', f.customerId),
        TxnDate: txnDate,
        ...(dueDate ? { DueDate: dueDate < txnDate ? txnDate : dueDate } : {}),
        ...(docNumber ? { DocNumber: docNumber } : {}),
        BillEmail: { Address: f.email!.trim() },
        ...(foreign ? { CurrencyRef: { value: currency } } : {}),
        ...(CustomField.length ? { CustomField } : {}),
        Line,
      },
    };
  });
}

/** An app invoice's payment (its JSON list): id, date, amount, payment system, broker. */
interface AppPayment {
  id: string;
  date: string;
  amount: number;
  system: string;
  broker: string;
}

/**
 * The payments of an app invoice (its JSON list), or what is wrong with them: each needs an id, a
 * date and an amount; an invoice that says it is paid must list them (a list too long to read is
 * not "no payments").
 */
export function paymentsOf(f: Record<string, string>, appName = 'The app'): AppPayment[] {
  const what = `${appName} invoice ${f.number ?? ''}`.trim();
  let list: unknown;
  try {
    list = JSON.parse(f.payments ?? '[]');
  } catch {
    list = undefined;
  }
  const paid = money(f.paid);
  if (!Array.isArray(list) || (list.length === 0 && paid > 0))
    throw new WorkflowError(`${what} says ${paid} is paid, but its payments could not be read: sync it once its payments show in ${appName}, or record them in QuickBooks by hand.`);
  return list.map((p: Rec, i) => {
    const out = { id: String(p.id ?? ''), date: String(p.date ?? ''), amount: Number(p.amount), system: String(p.payment_system ?? p.system ?? ''), broker: String(p.broker_id ?? p.broker ?? '') };
    if (!out.id || !day(out.date) || !Number.isFinite(out.amount) || out.amount <= 0) throw new WorkflowError(`${what}: its payment ${out.id || i + 1} has no id, date or amount; correct it in ${appName}.`);
    return out;
  });
}

/** A payment's link key: the invoice's id and the payment's ("5012.50120"). */
export const paymentKey = (invoiceId: string, paymentId: string) => `${invoiceId}.${paymentId}`;

/**
 * The app invoice's payments not in QuickBooks yet (`sent`: their keys) as QuickBooks Payments
 * applied to the invoices it became: each, oldest first, pays the oldest month still due after what
 * the payments already in QuickBooks took (`taken`: per month, in cents). `txnId(partKey)` names each
 * invoice (its link, or the create on its way). Where a payment lands follows the settings' mapping
 * of its payment system, else the default; with neither, QuickBooks' Undeposited Funds.
 */
export function invoicePaymentsToQbo(
  inv: Pick<HostRecord, 'hostId' | 'fields'>,
  parts: Pick<InvoicePart, 'key' | 'amount'>[],
  s: InvoiceSettings,
  ctx: { appName: string; timeZone: string; txnId: (partKey: string) => unknown; customerRef?: unknown; sent?: Set<string>; taken?: Map<string, number> },
): { key: string; body: Record<string, unknown> }[] {
  const f = inv.fields;
  const what = `${ctx.appName} invoice ${f.number || inv.hostId}`;
  const due = parts.map((p) => cents(p.amount) - (ctx.taken?.get(p.key) ?? 0));
  const out: { key: string; body: Record<string, unknown> }[] = [];
  const payments = paymentsOf(f, ctx.appName).filter((p) => !ctx.sent?.has(paymentKey(inv.hostId, p.id))).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  for (const p of payments) {
    let left = cents(p.amount);
    const Line: Rec[] = [];
    for (const [i, part] of parts.entries()) {
      if (!left) break;
      const take = Math.min(left, due[i]);
      if (take <= 0) continue;
      due[i] -= take;
      left -= take;
      Line.push({ Amount: fromCents(take), LinkedTxn: [{ TxnId: ctx.txnId(part.key), TxnType: 'Invoice' }] });
    }
    if (left > 0) throw new WorkflowError(`${what}: its payments come to more than the invoice's amount; correct them in ${ctx.appName}.`);
    const mapped = s.paymentMethods[p.system];
    const accountId = mapped?.accountId || s.defaultPayment.accountId;
    const methodId = mapped?.methodId || s.defaultPayment.methodId;
    out.push({
      key: paymentKey(inv.hostId, p.id),
      body: {
        CustomerRef: ctx.customerRef ?? linkRef('customer', f.customerId),
        TotalAmt: p.amount,
        TxnDate: dayIn(p.date, ctx.timeZone),
        ...(p.broker ? { PaymentRefNum: p.broker.slice(0, DOC_NUMBER_MAX) } : {}),
        ...(methodId ? { PaymentMethodRef: { value: methodId } } : {}),
        ...(accountId ? { DepositToAccountRef: { value: accountId } } : {}),
        Line,
      },
    });
  }
  return out;
}

// ---- what the workflow does --------------------------------------------------------------------------

export interface InvoiceCtx extends Ctx {
  readPrefs: () => Promise<Rec>;
  /** QuickBooks' CompanyInfo (its DefaultTimeZone). */
  readCompany: () => Promise<Rec>;
}

/**
 * The company's time zone. QuickBooks not answering stops the action (months would be cut in the
 * wrong zone); a company that names none is taken in this computer's.
 */
async function timeZoneOf(readCompany: () => Promise<Rec>): Promise<string> {
  let info: Rec;
  try {
    info = await readCompany();
  } catch (e) {
    throw new WorkflowError(`QuickBooks' company settings could not be read (${(e as Error).message}), and invoices are dated in its time zone: try again in a moment.`);
  }
  try {
    if (info?.DefaultTimeZone) return new Intl.DateTimeFormat('en-US', { timeZone: info.DefaultTimeZone }).resolvedOptions().timeZone;
  } catch {
    // a zone this browser does not know: this computer's
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** What the mappers need of QuickBooks beyond the settings: its time zone, custom fields and currencies. */
async function invoiceContext(appName: string, prefs: Rec, readCompany: () => Promise<Rec>): Promise<Omit<InvoiceContext, 'customerRef'>> {
  return {
    appName,
    timeZone: await timeZoneOf(readCompany),
    now: Date.now(),
    customFields: salesCustomFields(prefs),
    homeCurrency: String(prefs?.CurrencyPrefs?.HomeCurrency?.value ?? 'USD'),
    multiCurrency: !!prefs?.CurrencyPrefs?.MultiCurrencyEnabled,
  };
}

/** The links of an app's invoices (each month of a split one its own) and of their payments, by the invoice's id. */
async function invoiceLinks(realmId: string, app: HostApp): Promise<{ parts: Map<string, Link[]>; payments: Map<string, Link[]> }> {
  const of = (kind: string) => db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray();
  const [invoices, payments] = await Promise.all([of('invoice'), of('payment')]);
  const group = (links: Link[], sep: string) => {
    const out = new Map<string, Link[]>();
    for (const l of links) {
      const id = l.hostId.split(sep)[0];
      out.set(id, [...(out.get(id) ?? []), l]);
    }
    return out;
  };
  return { parts: group(invoices, '@'), payments: group(payments, '.') };
}

const linked = (links: Link[] | undefined) => (links ?? []).filter((l) => l.state === 'linked' && l.qbId);

/** The invoice (or month) an outbox entry of this workflow is about: its app invoice's id. */
const invoiceIdOf = (hostId: string) => hostId.split(/[@.]/)[0];

/**
 * A create's version: a record made again after its QuickBooks record was deleted and unlinked
 * (View QB info > Delete) is a write of its own, not the finished one it would otherwise match;
 * asking twice still makes it once.
 */
async function createVersion(realmId: string, app: HostApp, kind: string, key: string, entity: string): Promise<string | undefined> {
  const entries = await db.outbox.where('[realmId+hostKey]').equals([realmId, `${app.profileId} ${app.origin} ${kind} ${key}`]).toArray();
  const done = entries.filter((e) => e.target === 'qbo' && e.operation === 'create' && e.state === 'done').sort((x, y) => y.seq - x.seq)[0];
  if (!done?.result?.qbId) return done ? `again-${done.id}` : undefined;
  return (await recordsOf(realmId, entity)).has(done.result.qbId) ? undefined : `again-${done.id}`;
}

/** What the payments already in QuickBooks applied to each month of an invoice (in cents), from QuickBooks' own payments. */
async function takenByPart(realmId: string, parts: Link[], payments: Link[]): Promise<Map<string, number>> {
  const qbPayments = (await recordsOf(realmId, 'Payment')) as Map<string, Rec>;
  const partOf = new Map(parts.map((l) => [l.qbId!, l.hostId]));
  const out = new Map<string, number>();
  for (const l of payments) {
    const p = qbPayments.get(l.qbId!);
    for (const line of p?.Line ?? [])
      for (const t of line.LinkedTxn ?? []) {
        const key = t.TxnType === 'Invoice' ? partOf.get(String(t.TxnId)) : undefined;
        if (key) out.set(key, (out.get(key) ?? 0) + cents(Number(line.Amount ?? 0)));
      }
  }
  return out;
}

/**
 * Syncs an app's invoices with QuickBooks ("Sync with QB", one or up to 30 at once): one not in
 * QuickBooks is created, its client first when the client is not synced (each client once, however
 * many of its invoices go); its payments are created applied to it. One already synced gets the
 * payments QuickBooks does not have yet, and is updated (`update`) to what the app says now. Each
 * invoice's QuickBooks fields are built when it is sent (so Re-try sends what the app says then);
 * an invoice is refused whole, before anything is enqueued, when it or one of its payments cannot go.
 */
export async function syncInvoices(c: InvoiceCtx, hostIds: string[], opts: { update?: boolean } = { update: true }): Promise<ExportResult> {
  const s = await readInvoiceSettings(c.realmId, c.app);
  const prefs = await c.readPrefs();
  const problems = await checkInvoiceSettings(c.realmId, s, prefs);
  if (problems.length) throw new WorkflowError(`Finish the settings first: ${problems.join(' ')}`);
  const base = await invoiceContext(c.appName, prefs, c.readCompany);
  const invoices = await hostRecordsOf(c.realmId, c.app, 'invoice', hostIds);
  const links = await invoiceLinks(c.realmId, c.app);
  const qbPayments = (await recordsOf(c.realmId, 'Payment')) as Map<string, Rec>;
  const customers = (await recordsOf(c.realmId, 'Customer')) as Map<string, Rec>;
  const writeBack = await hasInvoiceWriteBack(c.app);
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  const customerExports = new Map<string, number>();
  for (const inv of invoices) {
    const what = `Invoice ${inv.fields.number || inv.hostId}`;
    const own = await linkOf(c.realmId, c.app, 'invoice', inv.hostId);
    if (own?.state === 'ignored') {
      refused.push({ hostId: inv.hostId, why: `${what} is ignored: stop ignoring it to sync it.` });
      continue;
    }
    const customerId = inv.fields.customerId;
    const customerLink = customerId ? await linkOf(c.realmId, c.app, 'customer', customerId) : undefined;
    if (customerLink?.state === 'ignored') {
      refused.push({ hostId: inv.hostId, why: `${what}: its client "${inv.fields.party}" is ignored: stop ignoring it (Customers tab) to sync its invoices.` });
      continue;
    }
    if (customerLink?.state === 'linked' && customers.get(customerLink.qbId!)?.Active === false) {
      refused.push({ hostId: inv.hostId, why: `${what}: its client "${inv.fields.party}" is matched with a QuickBooks customer that is inactive: make it active in QuickBooks, or match the client with another (Customers tab).` });
      continue;
    }
    // Everything the invoice and its payments become is worked out first: a refusal sends nothing of it.
    const had = linked(links.parts.get(inv.hostId));
    const hadPayments = linked(links.payments.get(inv.hostId));
    let parts: InvoicePart[];
    let payments: { key: string; body: Record<string, unknown> }[];
    const txnIds = new Map<string, unknown>(had.map((l) => [l.hostId, l.qbId]));
    const marks: { key: string }[] = [];
    try {
      parts = invoiceToQbo(inv, s, base);
      if (had.length && had.map((l) => l.hostId).sort().join(' ') !== parts.map((p) => p.key).sort().join(' '))
        throw new WorkflowError(`${what} went to QuickBooks as ${had.length} invoice${had.length === 1 ? '' : 's'}; with today's settings it would be ${parts.length}. Delete it in QuickBooks (View QB info > Delete), then sync it again.`);
      // Payments QuickBooks has keep what they took; the others are applied to what is left. A
      // payment whose invoice is made again (deleted in QuickBooks) is applied to it anew.
      const standing = hadPayments.filter((l) => qbPayments.has(l.qbId!));
      for (const p of parts) if (!txnIds.has(p.key)) marks.push({ key: p.key });
      payments = invoicePaymentsToQbo(inv, parts, s, {
        appName: c.appName, timeZone: base.timeZone, txnId: (key) => txnIds.get(key) ?? { $id: key },
        sent: new Set(standing.map((l) => l.hostId)), taken: await takenByPart(c.realmId, had, standing),
      });
    } catch (e) {
      refused.push({ hostId: inv.hostId, why: (e as Error).message });
      continue;
    }
    // The client: synced, on its way, or created now (once per client).
    const waitFor: string[] = [];
    if (customerLink?.state !== 'linked') {
      const pending = await pendingCreate(c.realmId, c.app, 'customer', customerId);
      if (pending) waitFor.push(pending);
      else {
        if (!customerExports.has(customerId)) {
          const [client] = await hostRecordsOf(c.realmId, c.app, 'customer', [customerId]);
          if (!client) {
            refused.push({ hostId: inv.hostId, why: `${what}: its client ${customerId} is not among ${c.appName}'s clients read so far; open ${c.appName}'s Customers page, then sync again.` });
            continue;
          }
          customerExports.set(customerId, writes.length);
          writes.push({ ...exportWrite(c.realmId, c.app, c.appName, 'customer', client), origin: c.origin });
          writes.push(...(await writeBackWrites(c.realmId, c.app, 'customer', [{ hostId: customerId, qbId: { $id: `#${writes.length - 1}` } }], c.origin)));
        }
        waitFor.push(`#${customerExports.get(customerId)}`);
      }
    }
    const intent = (key: string) => ({ $build: 'portalInvoice', appName: c.appName, part: key });
    const first = writes.length;
    for (const p of parts) {
      const l = had.find((x) => x.hostId === p.key);
      const host = { ...c.app, kind: 'invoice', hostId: p.key };
      if (l) {
        if (opts.update) writes.push({ realmId: c.realmId, operation: 'update', entity: 'Invoice', qbId: l.qbId, host, appName: c.appName, intent: intent(p.key), version: inv.version ?? inv.fields.updatedAt, origin: c.origin, dependsOn: waitFor });
        continue;
      }
      txnIds.set(p.key, { $id: `#${writes.length}` });
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'Invoice', host, appName: c.appName, intent: intent(p.key), version: await createVersion(c.realmId, c.app, 'invoice', p.key, 'Invoice'), origin: c.origin, dependsOn: waitFor });
    }
    // The app's "QuickBooks InvoiceID" and "Synced At" (the first month's, when split).
    if (writes.length > first && marks.length && writeBack)
      writes.push({
        realmId: c.realmId, target: c.app.profileId, operation: 'update', entity: 'invoice', host: { ...c.app, kind: 'invoice', hostId: inv.hostId },
        intent: { fields: { quickbooksId: txnIds.get(parts[0].key) ?? null, syncedAt: new Date().toISOString() } }, version: String(Date.now()), origin: c.origin,
      });
    // Its payments QuickBooks does not have, applied to it (to a month made now through its create).
    const resolve = (v: unknown): unknown => {
      const ph = v && typeof v === 'object' && '$id' in (v as Rec) ? String((v as Rec).$id) : undefined;
      return ph !== undefined && !ph.startsWith('#') ? txnIds.get(ph) : Array.isArray(v) ? v.map(resolve) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)])) : v;
    };
    for (const p of payments) {
      const gone = hadPayments.find((l) => l.hostId === p.key && !qbPayments.has(l.qbId!));
      writes.push({
        realmId: c.realmId, operation: 'create', entity: 'Payment', host: { ...c.app, kind: 'payment', hostId: p.key }, appName: c.appName, intent: resolve(p.body) as Rec,
        version: gone ? await createVersion(c.realmId, c.app, 'payment', p.key, 'Payment') : undefined, origin: c.origin, dependsOn: waitFor,
      });
    }
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** An invoice's QuickBooks fields (one month of it, when split), built when its write is sent. */
registerIntentBuilder('portalInvoice', async (entry, read) => {
  const app = { profileId: entry.host!.profileId, origin: entry.host!.origin };
  const appName = String(entry.intent.appName ?? app.profileId);
  const key = String(entry.intent.part ?? entry.host!.hostId);
  const inv = await hostRecord(entry.realmId, app, 'invoice', invoiceIdOf(key));
  if (!inv) throw new WorkflowError(`The invoice is no longer in ${appName}.`);
  const s = await readInvoiceSettings(entry.realmId, app);
  const prefs = await read.preferences();
  const problems = await checkInvoiceSettings(entry.realmId, s, prefs);
  if (problems.length) throw new WorkflowError(`Finish the invoice settings first: ${problems.join(' ')}`);
  const part = invoiceToQbo(inv, s, await invoiceContext(appName, prefs, read.companyInfo)).find((p) => p.key === key);
  if (!part) throw new WorkflowError(`With today's settings ${appName} invoice ${inv.fields.number || inv.hostId} is not split as when it was sent: delete it in QuickBooks (View QB info > Delete), then sync it again.`);
  // A synced invoice keeps the date it was first synced on, when invoices are dated by their sync.
  if (entry.operation === 'update' && s.invoiceDate === 'sync') {
    const current = ((await recordsOf(entry.realmId, 'Invoice')) as Map<string, Rec>).get(String(entry.qbId));
    if (current?.TxnDate) part.body.TxnDate = current.TxnDate;
  }
  return part.body;
});

/** Whether the app keeps an invoice's QuickBooks id (its profile names the field). */
async function hasInvoiceWriteBack(app: HostApp): Promise<boolean> {
  const kind = (await enabledProfiles()).find((p) => p.id === app.profileId)?.api?.kinds.invoice;
  return !!kind?.update && Object.hasOwn(kind.fields, 'quickbooksId') && Object.hasOwn(kind.fields, 'syncedAt');
}

/**
 * An invoice deleted in the app: its QuickBooks invoices are deleted, the payments the product
 * made for it first (QuickBooks keeps an invoice that has payments applied); creates of it not sent
 * yet are cancelled. Returns the invoices it cannot settle now (a create on its way), to look at again.
 */
export async function deleteInQuickBooks(c: Ctx, hostIds: string[]): Promise<ExportResult & { later: string[] }> {
  const links = await invoiceLinks(c.realmId, c.app);
  const writes: NewWrite[] = [];
  const later: string[] = [];
  for (const id of hostIds) {
    // Writes of it still on their way: not sent yet, cancelled; in flight, looked at again next time.
    const open: OutboxEntry[] = [];
    for (const kind of ['invoice', 'payment']) {
      const prefix = `${c.app.profileId} ${c.app.origin} ${kind} ${id}`;
      open.push(...(await db.outbox.where('[realmId+hostKey]').between([c.realmId, prefix], [c.realmId, `${prefix}\uffff`]).toArray())
        .filter((e) => e.target === 'qbo' && invoiceIdOf(e.host!.hostId) === id && (e.state === 'pending' || e.state === 'in-flight')));
    }
    if (open.some((e) => e.state === 'in-flight')) {
      later.push(id);
      continue;
    }
    if (open.length) await cancel(open.map((e) => e.id));
    const parts = linked(links.parts.get(id));
    if (!parts.length) continue;
    const payments = linked(links.payments.get(id));
    const first = writes.length;
    for (const p of payments) writes.push({ realmId: c.realmId, operation: 'delete', entity: 'Payment', qbId: p.qbId, host: { ...c.app, kind: 'payment', hostId: p.hostId }, appName: c.appName, intent: {}, origin: c.origin });
    const paymentDeletes = payments.map((_, i) => `#${first + i}`);
    for (const p of parts) writes.push({ realmId: c.realmId, operation: 'delete', entity: 'Invoice', qbId: p.qbId, host: { ...c.app, kind: 'invoice', hostId: p.hostId }, appName: c.appName, intent: {}, origin: c.origin, dependsOn: paymentDeletes });
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused: [], later };
}

/**
 * "View QB info > Delete" for an invoice deleted in QuickBooks: the months QuickBooks no longer has
 * are unlinked, with the payments QuickBooks no longer has (one that stayed, as a credit, is applied
 * again when the invoice is synced again), and the app's QuickBooks InvoiceID is cleared when
 * nothing of it is left, so it can be synced again.
 */
export async function unlinkInvoice(c: Ctx, hostId: string): Promise<ExportResult> {
  const links = await invoiceLinks(c.realmId, c.app);
  const [qbInvoices, qbPayments] = await Promise.all([recordsOf(c.realmId, 'Invoice'), recordsOf(c.realmId, 'Payment')]);
  const parts = linked(links.parts.get(hostId));
  const gone = parts.filter((l) => !qbInvoices.has(l.qbId!));
  for (const l of gone) await unlink(c.realmId, c.app, 'invoice', l.hostId);
  for (const l of linked(links.payments.get(hostId))) if (!qbPayments.has(l.qbId!)) await unlink(c.realmId, c.app, 'payment', l.hostId);
  const writes: NewWrite[] =
    gone.length === parts.length && (await hasInvoiceWriteBack(c.app))
      ? [{ realmId: c.realmId, target: c.app.profileId, operation: 'update', entity: 'invoice', host: { ...c.app, kind: 'invoice', hostId }, intent: { fields: { quickbooksId: null, syncedAt: null } }, version: String(Date.now()), origin: c.origin }]
      : [];
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action) : [], refused: [] };
}

// ---- automations -------------------------------------------------------------------------------------

/**
 * What happened to the app's invoices since the workflow last looked: deleted ones are deleted in
 * QuickBooks (always: the integration's rule), new payments of synced invoices (or of ones on their
 * way) are created; with "auto-create" on, new invoices of synced clients are synced. Changes made
 * while the browser was closed are caught up on the next run; an event that cannot be settled yet
 * (a create in flight) is looked at again.
 */
export async function runInvoiceAutomations(c: InvoiceCtx): Promise<OutboxEntry[]> {
  const cur = await automationCursor(c.realmId, c.app, INVOICES);
  if (!cur) {
    await moveAutomationCursor(c.realmId, c.app, INVOICES, {}); // the watch starts now
    return [];
  }
  const read = await db.hostEvents.where('seq').above(cur.events).toArray();
  const events = read.filter((e) => e.realmId === c.realmId && e.profileId === c.app.profileId && e.origin === c.app.origin && e.kind === 'invoice');
  const made: OutboxEntry[] = [];
  let holdAt = Infinity;
  if (events.length) {
    const links = await invoiceLinks(c.realmId, c.app);
    const ids = (pick: (e: (typeof events)[number]) => boolean) => [...new Set(events.filter(pick).map((e) => e.hostId))];
    const deletes = await deleteInQuickBooks({ ...c, origin: { kind: 'automation', name: 'Delete deleted invoices' } }, ids((e) => e.type === 'deleted'));
    made.push(...deletes.entries);
    for (const id of deletes.later) holdAt = Math.min(holdAt, ...events.filter((e) => e.hostId === id && e.type === 'deleted').map((e) => e.seq!));
    const gone = new Set(ids((e) => e.type === 'deleted'));
    const synced = async (id: string) => linked(links.parts.get(id)).length > 0 || !!(await pendingCreate(c.realmId, c.app, 'invoice', id));
    const paidSince: string[] = [];
    for (const id of ids((e) => e.type === 'changed' && !!e.fields?.includes('payments'))) if (!gone.has(id) && (await synced(id))) paidSince.push(id);
    if (paidSince.length) {
      const r = await syncInvoices({ ...c, origin: { kind: 'automation', name: 'Carry payments' } }, paidSince, { update: false });
      made.push(...r.entries);
      await logRefused(c.realmId, 'Carry payments', c.appName, r.refused);
    }
    const s = await readInvoiceSettings(c.realmId, c.app);
    if (s.autoCreate) {
      const fresh: string[] = [];
      for (const id of ids((e) => e.type === 'created')) if (!gone.has(id) && !(await synced(id))) fresh.push(id);
      const ofSynced: string[] = [];
      for (const r of await hostRecordsOf(c.realmId, c.app, 'invoice', fresh)) if ((await linkOf(c.realmId, c.app, 'customer', r.fields.customerId))?.state === 'linked') ofSynced.push(r.hostId);
      if (ofSynced.length) {
        const r = await syncInvoices({ ...c, origin: { kind: 'automation', name: 'Auto-create invoices' } }, ofSynced, { update: false });
        made.push(...r.entries);
        await logRefused(c.realmId, 'Auto-create invoices', c.appName, r.refused);
      }
    }
  }
  const seen = Math.max(cur.events, ...read.map((e) => e.seq ?? 0));
  await moveAutomationCursor(c.realmId, c.app, INVOICES, { events: holdAt === Infinity ? seen : Math.max(cur.events, holdAt - 1) });
  return made;
}

/** Starts the automations' watch from now (auto-create turned on counts only invoices made from then). */
export async function startInvoiceWatch(realmId: string, app: HostApp) {
  if (!(await automationCursor(realmId, app, INVOICES))) await moveAutomationCursor(realmId, app, INVOICES, { events: await lastEventSeq() });
}

// ---- what the side panel shows ----------------------------------------------------------------------

export type InvoiceSync = 'Not synced' | 'Sending' | 'Synced' | 'Error' | 'Deleted in QuickBooks' | 'Ignored';
export const INVOICE_SYNCS: InvoiceSync[] = ['Not synced', 'Sending', 'Synced', 'Error', 'Deleted in QuickBooks', 'Ignored'];

export interface InvoiceRow {
  hostId: string;
  number: string;
  client: string;
  clientId: string;
  /** When it was made in the app (its day), and its status there (Paid, Not paid, Overdue, Partially paid). */
  date: string;
  status: string;
  amount: number;
  paid: number;
  due: number;
  /** The QuickBooks invoices it became (one per month when split), with their balance. */
  qb: { key: string; id: string; balance?: number; url?: string }[];
  syncedAt?: number;
  sync: InvoiceSync;
  /** Why it failed or cannot go, in words that say what to do. */
  note?: string;
  entryIds: string[];
}

const STATUS_WORDS: Record<string, string> = { paid: 'Paid', not_paid: 'Not paid', overdue: 'Overdue', partially_paid: 'Partially paid' };

/** The app's invoices with their QuickBooks state. */
export async function invoiceRows(realmId: string, app: HostApp, webUrl: (entity: string, id: string) => string | undefined, appName = ''): Promise<InvoiceRow[]> {
  const [records, links, invoiceEntries, paymentEntries, qbInvoices] = await Promise.all([
    hostRecordsOfKind(realmId, app, 'invoice'),
    invoiceLinks(realmId, app),
    entriesByRecord(realmId, app, 'invoice'),
    entriesByRecord(realmId, app, 'payment'),
    recordsOf(realmId, 'Invoice') as Promise<Map<string, Rec>>,
  ]);
  // An invoice's entries: its own, each month's, and its payments'; newest first.
  const entriesOf = new Map<string, OutboxEntry[]>();
  for (const [key, list] of [...invoiceEntries, ...paymentEntries]) {
    const id = key.split(/[@.]/)[0];
    entriesOf.set(id, [...(entriesOf.get(id) ?? []), ...list]);
  }
  return records
    .map((r): InvoiceRow => {
      const f = r.fields;
      const own = (links.parts.get(r.hostId) ?? []).find((l) => l.hostId === r.hostId);
      const parts = linked(links.parts.get(r.hostId));
      const entries = (entriesOf.get(r.hostId) ?? []).sort((a, b) => b.seq - a.seq);
      const qb = parts.map((l) => {
        const rec = qbInvoices.get(l.qbId!);
        return { key: l.hostId, id: l.qbId!, balance: rec ? Number(rec.Balance ?? 0) : undefined, url: rec ? webUrl('Invoice', l.qbId!) : undefined };
      });
      let sync: InvoiceSync = 'Not synced';
      let note: string | undefined;
      const last = entries.find((e) => e.state === 'pending' || e.state === 'in-flight' || e.state === 'failed');
      if (own?.state === 'ignored') sync = 'Ignored';
      else if (last?.state === 'failed') [sync, note] = ['Error', last.lastError?.message];
      else if (last) [sync, note] = ['Sending', last.waiting ? last.lastError?.message : undefined];
      else if (qb.length && qb.some((q) => q.balance === undefined)) [sync, note] = ['Deleted in QuickBooks', 'Deleted in QuickBooks. View QB info > Delete unlinks it here, then it can be synced again.'];
      else if (qb.length) sync = 'Synced';
      else note = invoiceProblem(r, appName || 'The app');
      return {
        hostId: r.hostId, number: f.number ?? '', client: f.party ?? '', clientId: f.customerId ?? '', date: day(f.date) ?? '', status: STATUS_WORDS[f.status] ?? f.status ?? '',
        amount: money(f.amount), paid: money(f.paid), due: money(f.balance), qb, syncedAt: parts.length ? Math.max(...parts.map((l) => l.createdAt)) : undefined, sync, note,
        entryIds: entries.map((e) => e.id),
      };
    })
    .sort((a, b) => b.date.localeCompare(a.date) || b.number.localeCompare(a.number));
}
