// The receivable side of the payments app's daily sync (lib/workflows/bills.ts runs it after the
// payable side): QuickBooks' customers and open invoices into the app (invoices partly or fully
// paid in QuickBooks are not sent), the app's own invoices to QuickBooks (their classes only where
// the company tracks classes per line), payments received in the app to QuickBooks as Payments
// applied to their invoices (always), payments received in QuickBooks into the app (two ways
// only), and credit memos both ways. Pure mappers first, then what the sync does.
import { db } from '../db';
import { forgetCache, recordsOf } from '../db/qbcache';
import type { HostRecord } from '../db';
import { matchView } from '../links/matching';
import { enqueue, linkRef, type NewWrite } from '../sync/outbox';
import type { BillsSettings } from './bills';
import { writeBackWrites } from '../hosts/worker/writes';
import {
  appRecordOf, day, DOC_NUMBER_MAX, enqueueAndRetry, hostRecordsOf, ignoredQb, importWrite, linkedDocs, linkOf, money, pendingCreate, withoutMarker, WorkflowError, type Ctx, type ExportResult,
} from './index';
import { hostRecordsOfKind } from '../hosts/store';

type Rec = Record<string, any>;
type AppBody = { fields: Record<string, unknown>; lines: Record<string, unknown>[] };

const round = (n: number) => Math.round(n * 100) / 100;

// ---- the mappers (pure) ------------------------------------------------------------------------------

/** Names of QuickBooks items and classes by id (the app keeps them by name). */
export interface SalesNames {
  item(id?: string): string | undefined;
  class(id?: string): string | undefined;
}

/** A QuickBooks Invoice as the app's invoice, for its customer there: each item line with its item, quantity, price and class. */
export function qboInvoiceToApp(inv: Rec, customerHostId: string, names: SalesNames): AppBody {
  const lines = (inv.Line ?? [])
    .filter((l: Rec) => l.DetailType === 'SalesItemLineDetail' && typeof l.Amount === 'number')
    .map((l: Rec) => {
      const d = l.SalesItemLineDetail ?? {};
      const qty = Number(d.Qty);
      const price = Number(d.UnitPrice);
      // The app wants amount = quantity × price; where QuickBooks' figures do not multiply out, one of the amount.
      const exact = qty > 0 && Number.isFinite(price) && round(qty * price) === l.Amount;
      return {
        item: names.item(d.ItemRef?.value) ?? d.ItemRef?.name ?? 'Item',
        description: String(l.Description ?? ''),
        quantity: exact ? qty : 1,
        price: exact ? price : l.Amount,
        amount: l.Amount,
        ...(d.ClassRef?.value ? { class: names.class(d.ClassRef.value) ?? d.ClassRef.name ?? null } : {}),
      };
    });
  return {
    fields: { customerId: customerHostId, number: inv.DocNumber || `QB-${inv.Id}`, date: inv.TxnDate, dueDate: inv.DueDate ?? inv.TxnDate, quickbooksId: String(inv.Id) },
    lines,
  };
}

/** What the company's lists say, for an app invoice going to QuickBooks. */
export interface SalesContext {
  appName: string;
  classPerLine: boolean;
  itemIdsByName: Map<string, string>;
  classIdsByName: Map<string, string>;
}

/**
 * An app's invoice as a QuickBooks Invoice: each line's item found by name; its class carried only
 * where the company tracks classes per line (otherwise the invoice goes without them and `note`
 * says why, as Bill.com does).
 */
export function appInvoiceToQbo(inv: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, ctx: SalesContext): { body: Record<string, unknown>; note?: string } {
  const f = inv.fields;
  const what = `${ctx.appName} invoice ${f.number || inv.hostId}`;
  if (!f.customerId) throw new WorkflowError(`${what} has no customer.`);
  const date = day(f.date);
  if (!date) throw new WorkflowError(`${what} has no date.`);
  if (!inv.lines?.length) throw new WorkflowError(`${what} has no lines: QuickBooks needs at least one.`);
  let dropped = false;
  const Line = inv.lines.map((l, i) => {
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, line ${i + 1}: "${l.amount ?? ''}" is not an amount.`);
    const itemId = ctx.itemIdsByName.get(String(l.item ?? '').trim().toLowerCase());
    if (!itemId) throw new WorkflowError(`${what}, line ${i + 1}: QuickBooks has no active item named "${l.item ?? ''}". Create it in QuickBooks (or rename the line's item in ${ctx.appName}), then sync again.`);
    let ClassRef: { value: string } | undefined;
    const cls = String(l.class ?? '').trim();
    if (cls && !ctx.classPerLine) dropped = true;
    else if (cls) {
      const id = ctx.classIdsByName.get(cls.toLowerCase());
      if (!id) throw new WorkflowError(`${what}, line ${i + 1}: QuickBooks has no class named "${cls}". Create it in QuickBooks, or change the line's class in ${ctx.appName}.`);
      ClassRef = { value: id };
    }
    const qty = Number(l.quantity);
    const price = money(l.price);
    const exact = qty > 0 && !Number.isNaN(price) && round(qty * price) === amount;
    return {
      Amount: amount,
      ...(l.description ? { Description: String(l.description).slice(0, 4000) } : {}),
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: exact ? qty : 1, UnitPrice: exact ? price : amount, ...(ClassRef ? { ClassRef } : {}) },
    };
  });
  const due = day(f.dueDate);
  return {
    body: { CustomerRef: linkRef('customer', f.customerId), TxnDate: date, ...(due ? { DueDate: due } : {}), ...(f.number ? { DocNumber: String(f.number).slice(0, DOC_NUMBER_MAX) } : {}), Line },
    note: dropped
      ? `${what} went to QuickBooks without its classes: this company tracks classes per transaction, not per line. To carry them, choose "One to each row in transaction" under Track classes (QuickBooks: Settings > Account and settings > Advanced).`
      : undefined,
  };
}

/** A payment received in the app as a QuickBooks Payment applied to its invoices (linked when sent). */
export function receivedPaymentToQbo(p: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, appName: string): Record<string, unknown> {
  const f = p.fields;
  const what = `${appName} payment ${f.number || p.hostId}`;
  const date = day(f.date);
  if (!date) throw new WorkflowError(`${what} has no date.`);
  const applied = (p.lines ?? []).filter((l) => l.invoiceId);
  if (!applied.length) throw new WorkflowError(`${what} is applied to no invoice of ${appName}; apply it there first.`);
  const Line = applied.map((l, i) => {
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, invoice ${i + 1}: "${l.amount ?? ''}" is not an amount.`);
    return { Amount: amount, LinkedTxn: [{ TxnId: linkRef('invoice', l.invoiceId, true), TxnType: 'Invoice' }] };
  });
  const total = money(f.amount);
  return {
    CustomerRef: linkRef('customer', f.customerId),
    TotalAmt: Number.isNaN(total) ? round(Line.reduce((t, l) => t + l.Amount, 0)) : total,
    TxnDate: date,
    ...(f.number ? { PaymentRefNum: String(f.number).slice(0, DOC_NUMBER_MAX) } : {}),
    Line,
  };
}

/** The app's word for how a QuickBooks payment was made (its payment method's name). */
export function methodWord(methodName: string | undefined): string {
  const m = String(methodName ?? '').toLowerCase();
  if (m.includes('check') || m.includes('cheque')) return 'Check';
  if (/visa|master|amex|american express|discover|credit/.test(m)) return 'Credit card';
  if (/ach|wire|transfer|bank/.test(m)) return 'ACH';
  return 'ePayment';
}

/** A QuickBooks Payment as a payment received in the app, applied to its invoices there; undefined when it pays none of them. */
export function qboReceivedPaymentToApp(p: Rec, invoiceHostIds: Map<string, string>, customerHostId: string, methodName?: string): AppBody | undefined {
  const lines: Record<string, unknown>[] = [];
  for (const l of p.Line ?? []) for (const t of l.LinkedTxn ?? []) if (t.TxnType === 'Invoice' && invoiceHostIds.has(String(t.TxnId))) lines.push({ invoiceId: invoiceHostIds.get(String(t.TxnId)), amount: l.Amount });
  if (!lines.length) return undefined;
  return {
    fields: {
      customerId: customerHostId, date: p.TxnDate, method: methodWord(methodName ?? p.PaymentMethodRef?.name), number: String(p.PaymentRefNum || `QB-${p.Id}`).slice(0, 40),
      amount: round(lines.reduce((t, l) => t + (l.amount as number), 0)), quickbooksId: String(p.Id),
    },
    lines,
  };
}

/** An app's credit memo as a QuickBooks CreditMemo: one line of the chosen item for its amount. */
export function creditMemoToQbo(memo: Pick<HostRecord, 'hostId' | 'fields'>, itemId: string, appName: string): Record<string, unknown> {
  const f = memo.fields;
  const what = `${appName} credit memo ${f.number || memo.hostId}`;
  if (!itemId) throw new WorkflowError(`Choose the item credit memos use in QuickBooks (Settings, Credit memos) before ${what} can go there.`);
  const amount = money(f.amount);
  const date = day(f.date);
  if (Number.isNaN(amount) || amount <= 0 || !date) throw new WorkflowError(`${what} has no date or amount.`);
  return {
    CustomerRef: linkRef('customer', f.customerId),
    TxnDate: date,
    ...(f.number ? { DocNumber: String(f.number).slice(0, DOC_NUMBER_MAX) } : {}),
    ...(f.memo ? { PrivateNote: String(f.memo).slice(0, 3000) } : {}),
    Line: [{ Amount: amount, ...(f.memo ? { Description: String(f.memo).slice(0, 4000) } : {}), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: amount } }],
  };
}

/** A QuickBooks CreditMemo as the app's credit memo. */
export function qboCreditMemoToApp(cm: Rec, customerHostId: string): AppBody {
  const total = Number(cm.TotalAmt ?? 0);
  return {
    fields: {
      customerId: customerHostId, number: cm.DocNumber || `QB-${cm.Id}`, date: cm.TxnDate, amount: total,
      applied: round(total - Number(cm.RemainingCredit ?? cm.Balance ?? total)), memo: withoutMarker(cm.PrivateNote) || String(cm.CustomerMemo?.value ?? ''), quickbooksId: String(cm.Id),
    },
    lines: [],
  };
}

// ---- what the sync does ------------------------------------------------------------------------------

/**
 * Creates in QuickBooks, each followed (where the app keeps the QuickBooks id: its profile's
 * `writeBack`) by the id written back into the app, so a colleague's browser, or this one after a
 * reinstall, knows the record is QuickBooks' and never brings it back as new.
 */
async function withWriteBack(c: Ctx, creates: NewWrite[]): Promise<NewWrite[]> {
  const out: NewWrite[] = [];
  for (const w of creates) {
    out.push(w);
    out.push(...(await writeBackWrites(c.realmId, c.app, w.host!.kind, [{ hostId: w.host!.hostId, qbId: { $id: `#${out.length - 1}` } }], c.origin)));
  }
  return out;
}

/** The kinds the receivable side carries, and their QuickBooks entities (adopted by their quickbooksId). */
export const RECEIVABLE_KINDS = [
  { kind: 'customer', entity: 'Customer' },
  { kind: 'invoice', entity: 'Invoice' },
  { kind: 'payment', entity: 'Payment' },
  { kind: 'creditMemo', entity: 'CreditMemo' },
];

/** Whether an app has a receivable side: customers, invoices and payments received, each its own record. */
export const hasReceivables = (kinds: string[]) => ['customer', 'invoice', 'payment'].every((k) => kinds.includes(k));

/** QuickBooks' active customers that are in no way the app's yet (not linked, not suggested): made in the app. */
export async function customersToApp(c: Ctx): Promise<ExportResult> {
  const view = await matchView(c.realmId, c.app, 'customer');
  const rows = view.rows.filter((r) => r.status === 'only-qb' && r.qb?.active);
  const customers = (await recordsOf(c.realmId, 'Customer')) as Map<string, Rec>;
  const writes = rows.map((r) => {
    const v = customers.get(r.qb!.id) ?? {};
    const fields = { name: v.DisplayName ?? r.qb!.name, email: v.PrimaryEmailAddr?.Address ?? '', phone: v.PrimaryPhone?.FreeFormNumber ?? '', quickbooksId: r.qb!.id };
    return importWrite(c, 'customer', 'Customer', r.qb!.id, { fields, lines: [] });
  });
  return { entries: writes.length ? await enqueue(writes, { action: c.action }) : [], refused: [] };
}

const linkedIds = async (realmId: string, app: Ctx['app'], kind: string) =>
  new Map((await db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray()).filter((l) => l.state === 'linked' && l.qbId).map((l) => [l.qbId!, l.hostId]));

/** QuickBooks' open invoices (nothing paid on them) of the app's customers that are not in the app. */
export async function openInvoicesToImport(realmId: string, app: Ctx['app']): Promise<string[]> {
  const have = await linkedDocs(realmId, app, 'invoice');
  const customers = await linkedIds(realmId, app, 'customer');
  const out: string[] = [];
  for (const [id, inv] of (await recordsOf(realmId, 'Invoice')) as Map<string, Rec>)
    if (!have.has(id) && customers.has(String(inv.CustomerRef?.value)) && Number(inv.Balance) > 0 && Number(inv.Balance) === Number(inv.TotalAmt)) out.push(id);
  return out;
}

/** Imports QuickBooks invoices into the app, each for the app's customer linked to its customer. */
export async function importInvoices(c: Ctx, qbIds: string[]): Promise<ExportResult> {
  const [invoices, items, classes] = await Promise.all(['Invoice', 'Item', 'Class'].map((e) => recordsOf(c.realmId, e) as Promise<Map<string, Rec>>));
  const names: SalesNames = { item: (id) => (id ? items.get(id)?.Name : undefined), class: (id) => (id ? classes.get(id)?.Name : undefined) };
  const have = await linkedDocs(c.realmId, c.app, 'invoice');
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const id of qbIds) {
    const inv = invoices.get(id);
    if (!inv) refused.push({ hostId: id, why: `QuickBooks has no invoice ${id} (any more).` });
    else if (have.has(id)) refused.push({ hostId: id, why: `Invoice ${inv.DocNumber ?? id} is already in ${c.appName}.` });
    else {
      const customer = await appRecordOf(c.realmId, c.app, 'customer', 'Customer', String(inv.CustomerRef?.value));
      const body = customer ? qboInvoiceToApp(inv, customer, names) : undefined;
      const lines = Math.round((body?.lines ?? []).reduce((t, l) => t + Number(l.amount), 0) * 100) / 100;
      if (!customer || !body) refused.push({ hostId: id, why: `Invoice ${inv.DocNumber ?? id}: its customer "${inv.CustomerRef?.name ?? inv.CustomerRef?.value}" is not matched with a ${c.appName} customer. Match it first (Customers tab).` });
      else if (lines !== Number(inv.TotalAmt))
        refused.push({ hostId: id, why: `Invoice ${inv.DocNumber ?? id} has tax, discount or other lines ${c.appName} cannot hold (its items come to ${lines}, its total is ${inv.TotalAmt}): enter it in ${c.appName} by hand.` });
      else writes.push(importWrite(c, 'invoice', 'Invoice', id, body));
    }
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** The app's invoices QuickBooks does not have (not linked, naming no QuickBooks id) of customers that are matched. */
async function appInvoicesToExport(c: Ctx): Promise<HostRecord[]> {
  const records = await hostRecordsOfKind(c.realmId, c.app, 'invoice');
  const customers = new Set((await linkedIds(c.realmId, c.app, 'customer')).values());
  const out: HostRecord[] = [];
  for (const r of records) if (!r.fields.quickbooksId && customers.has(r.fields.customerId) && !(await linkOf(c.realmId, c.app, 'invoice', r.hostId))) out.push(r);
  return out;
}

/** Exports the app's invoices (their classes per line where the company tracks them so). */
export async function exportInvoices(c: Ctx & { readPrefs: () => Promise<Rec> }, records: HostRecord[]): Promise<ExportResult & { notes: string[] }> {
  if (!records.length) return { entries: [], refused: [], notes: [] };
  const [items, classes] = await Promise.all(['Item', 'Class'].map((e) => recordsOf(c.realmId, e) as Promise<Map<string, Rec>>));
  const byName = (m: Map<string, Rec>) => new Map([...m.values()].filter((r) => r.Active !== false).map((r) => [String(r.FullyQualifiedName ?? r.Name).toLowerCase(), String(r.Id)]));
  const ctx: SalesContext = { appName: c.appName, classPerLine: !!(await c.readPrefs())?.AccountingInfoPrefs?.ClassTrackingPerTxnLine, itemIdsByName: byName(items), classIdsByName: byName(classes) };
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  const notes: string[] = [];
  for (const r of records)
    try {
      const { body, note } = appInvoiceToQbo(r, ctx);
      if (note) notes.push(note);
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'Invoice', host: { ...c.app, kind: 'invoice', hostId: r.hostId }, appName: c.appName, intent: body, origin: c.origin });
    } catch (e) {
      refused.push({ hostId: r.hostId, why: (e as Error).message });
    }
  const all = await withWriteBack(c, writes);
  return { entries: all.length ? await enqueueAndRetry(all, c.action, c.retryFailed) : [], refused, notes };
}

/** Exports payments received in the app as QuickBooks Payments of their (synced) invoices. */
export async function exportReceivedPayments(c: Ctx, hostIds: string[]): Promise<ExportResult> {
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const p of await hostRecordsOf(c.realmId, c.app, 'payment', hostIds)) {
    const l = await linkOf(c.realmId, c.app, 'payment', p.hostId);
    if (l?.state === 'linked' || p.fields.quickbooksId) continue;
    if (l?.state === 'ignored') continue;
    try {
      const intent = receivedPaymentToQbo(p, c.appName);
      const waitFor = (await Promise.all([...(p.lines ?? []).map((x) => pendingCreate(c.realmId, c.app, 'invoice', x.invoiceId)), pendingCreate(c.realmId, c.app, 'customer', p.fields.customerId)])).filter((id): id is string => !!id);
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'Payment', host: { ...c.app, kind: 'payment', hostId: p.hostId }, appName: c.appName, intent, origin: c.origin, dependsOn: waitFor });
    } catch (e) {
      refused.push({ hostId: p.hostId, why: (e as Error).message });
    }
  }
  const all = await withWriteBack(c, writes);
  return { entries: all.length ? await enqueueAndRetry(all, c.action, c.retryFailed) : [], refused };
}

/** Payments received in QuickBooks for the app's invoices that are not in the app yet. */
export async function receivedPaymentsToImport(realmId: string, app: Ctx['app']): Promise<string[]> {
  const invoices = await linkedDocs(realmId, app, 'invoice');
  if (!invoices.size) return [];
  const have = new Set([...(await linkedDocs(realmId, app, 'payment')).keys(), ...(await ignoredQb(realmId, app, 'payment'))]);
  const out: string[] = [];
  for (const [id, p] of (await recordsOf(realmId, 'Payment')) as Map<string, Rec>)
    if (!have.has(id) && (p.Line ?? []).some((l: Rec) => (l.LinkedTxn ?? []).some((t: Rec) => t.TxnType === 'Invoice' && invoices.has(String(t.TxnId))))) out.push(id);
  return out;
}

export async function importReceivedPayments(c: Ctx, qbIds: string[]): Promise<ExportResult> {
  const [payments, methods] = await Promise.all(['Payment', 'PaymentMethod'].map((e) => recordsOf(c.realmId, e) as Promise<Map<string, Rec>>));
  const invoices = await linkedDocs(c.realmId, c.app, 'invoice');
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const id of qbIds) {
    const p = payments.get(id);
    const customer = p && (await appRecordOf(c.realmId, c.app, 'customer', 'Customer', String(p.CustomerRef?.value)));
    const body = p && customer ? qboReceivedPaymentToApp(p, invoices, customer, methods.get(String(p.PaymentMethodRef?.value))?.Name) : undefined;
    if (!body) refused.push({ hostId: id, why: `Payment ${p?.PaymentRefNum ?? id} pays no invoice that is in ${c.appName}.` });
    else writes.push(importWrite(c, 'payment', 'Payment', id, body));
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/**
 * Credit memos both ways: the app's credit memos of matched customers not in QuickBooks are
 * exported (one line of the settings' item); QuickBooks' credit memos of the app's customers with
 * credit left and not in the app are imported.
 */
export async function syncCreditMemos(c: Ctx, s: BillsSettings): Promise<ExportResult> {
  const customers = await linkedIds(c.realmId, c.app, 'customer');
  const matched = new Set(customers.values());
  const have = await linkedDocs(c.realmId, c.app, 'creditMemo');
  const records = await hostRecordsOfKind(c.realmId, c.app, 'creditMemo');
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const m of records) {
    // With no item chosen, the app's credit memos stay in the app (the settings say so).
    if (!s.salesItemId || m.fields.quickbooksId || !matched.has(m.fields.customerId) || (await linkOf(c.realmId, c.app, 'creditMemo', m.hostId))) continue;
    try {
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'CreditMemo', host: { ...c.app, kind: 'creditMemo', hostId: m.hostId }, appName: c.appName, intent: creditMemoToQbo(m, s.salesItemId, c.appName), origin: c.origin });
    } catch (e) {
      refused.push({ hostId: m.hostId, why: (e as Error).message });
    }
  }
  const all = await withWriteBack(c, writes);
  for (const [id, cm] of (await recordsOf(c.realmId, 'CreditMemo')) as Map<string, Rec>) {
    const customer = customers.get(String(cm.CustomerRef?.value));
    if (!have.has(id) && customer && Number(cm.RemainingCredit ?? cm.Balance ?? 0) > 0) all.push(importWrite(c, 'creditMemo', 'CreditMemo', id, qboCreditMemoToApp(cm, customer)));
  }
  return { entries: all.length ? await enqueueAndRetry(all, c.action, c.retryFailed) : [], refused };
}

/**
 * The receivable half of the daily sync, after QuickBooks' customers reached the app: open
 * invoices in, the app's invoices out, payments received in the app out (always), QuickBooks'
 * payments in (two ways only), credit memos both ways.
 */
export async function runReceivables(c: Ctx & { readPrefs: () => Promise<Rec> }, s: BillsSettings): Promise<ExportResult & { notes: string[] }> {
  forgetCache(c.realmId);
  const invoicesIn = await importInvoices(c, await openInvoicesToImport(c.realmId, c.app));
  const invoicesOut = await exportInvoices(c, await appInvoicesToExport(c));
  // Payments whose invoices are all in QuickBooks (or on their way): one of an invoice QuickBooks
  // cannot have (its customer not matched) waits rather than failing every day.
  const inQb = new Set([...(await linkedDocs(c.realmId, c.app, 'invoice')).values(), ...invoicesOut.entries.map((e) => e.host!.hostId)]);
  const notSent = (await hostRecordsOfKind(c.realmId, c.app, 'payment'))
    .filter((p) => !p.fields.quickbooksId && p.lines?.length && p.lines.every((l) => inQb.has(l.invoiceId)))
    .map((p) => p.hostId);
  const paymentsOut = await exportReceivedPayments(c, notSent);
  const paymentsIn = s.daily.twoWay ? await importReceivedPayments(c, await receivedPaymentsToImport(c.realmId, c.app)) : { entries: [], refused: [] };
  const credits = await syncCreditMemos(c, s);
  const all = [invoicesIn, invoicesOut, paymentsOut, paymentsIn, credits];
  // What waits for a customer to be matched is said, not left to wonder about.
  const matched = new Set((await linkedIds(c.realmId, c.app, 'customer')).values());
  const waiting = (await hostRecordsOfKind(c.realmId, c.app, 'invoice')).filter((r) => !r.fields.quickbooksId && r.fields.customerId && !matched.has(r.fields.customerId));
  const notes = [...invoicesOut.notes];
  if (waiting.length)
    notes.push(`${waiting.length} ${c.appName} invoice${waiting.length === 1 ? '' : 's'} (and the payments received for them) wait: their customers are not matched with QuickBooks. Match them on the Customers tab, then Sync now.`);
  return { entries: all.flatMap((r) => r.entries), refused: all.flatMap((r) => r.refused), notes };
}
