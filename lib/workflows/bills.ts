// Bills and bill payments both ways (the media agency's workflow, and the AP side of the payments
// app): an app's bills exported to QuickBooks as Bills (an app edit updates the same bill), its
// payments exported as BillPayments linked to their bills, and QuickBooks' bills and bill
// payments imported into the app through its API. Its settings (line type, the account or item
// lines go to, classes per line, the payment account, alerts, automations), its pure mappers
// (host <-> QuickBooks, in the workflow's field names, which a site profile places in its app's
// JSON: docs/site-profiles.md, "Workflow fields"), its triggers, and what the side panel shows.
import { z } from 'zod';
import { db, type HostRecord, type OutboxEntry } from '../db';
import { forgetCache, recordsOf } from '../db/qbcache';
import { keyOf, link, type HostApp } from '../links';
import { matchView } from '../links/matching';
import { canonical, enqueue, linkRef, untilSettled, type NewWrite } from '../sync/outbox';
import { exportWrite } from './export-names';
import { writeBackWrites } from '../hosts/worker/writes';
import { customersToApp, exportReceivedPayments, hasReceivables, importReceivedPayments, receivedPaymentsToImport, RECEIVABLE_KINDS, runReceivables } from './receivables';
import { appendLog } from '../db/logs';
import { appRecordOf, automationCursor, day, DOC_NUMBER_MAX, withoutMarker, enqueueAndRetry, entriesByRecord, hostRecordsOf, ignoredQb, importWrite, linkedDocs, linkOf, pendingCreate, type Ctx, type ExportResult, EXPENSE_TYPES, lastEventSeq, logRefused, money, moveAutomationCursor, readWorkflowSettings, WorkflowError, writeWorkflowSettings } from './index';
import { hostRecordsOfKind } from '../hosts/store';

export const BILLS = 'bills';

/** The app's documents this workflow carries: bills, and vendor credits (the payable side's credit memos). */
export type DocKind = 'bill' | 'vendorCredit';
const DOC: Record<DocKind, { entity: 'Bill' | 'VendorCredit'; noun: string }> = {
  bill: { entity: 'Bill', noun: 'bill' },
  vendorCredit: { entity: 'VendorCredit', noun: 'vendor credit' },
};

export const AUTOMATIONS = ['exportVendors', 'exportBills', 'importBills', 'exportPayments', 'importPayments'] as const;
export type Automation = (typeof AUTOMATIONS)[number];

export const AUTOMATION_WORDS: Record<Automation, { name: string; does: string }> = {
  exportVendors: { name: 'Export vendors', does: 'A vendor named in an order is created in QuickBooks when it is not matched yet.' },
  exportBills: { name: 'Export bills', does: 'A bill created or changed in the app goes to QuickBooks.' },
  importBills: { name: 'Import bills', does: 'Bills are imported by hand (Bills tab), never on their own; with this on, each import raises a notification (with alerts on).' },
  exportPayments: { name: 'Export payments', does: 'A payment made in the app goes to QuickBooks as a bill payment (one received there, as a payment of its invoices).' },
  importPayments: { name: 'Import payments', does: 'A payment made in QuickBooks for an exported bill (or received for an invoice the app has) comes into the app.' },
};

export const BillsSettings = z.object({
  /** Each line of an exported bill is Account based (an expense account) or Item based (an item). */
  lineType: z.enum(['Account', 'Item']).default('Account'),
  accountId: z.string().default(''),
  itemId: z.string().default(''),
  /** The line field whose value picks each line's class ('' for no class), and each value's QuickBooks class. */
  classField: z.string().default(''),
  classes: z.record(z.string(), z.string()).default({}),
  /** The account payments are made from: a Bank account (a check) or a Credit Card account. */
  paymentAccountId: z.string().default(''),
  /** The item a credit memo made in the app uses in QuickBooks (a credit memo is lines of items). */
  salesItemId: z.string().default(''),
  /** Browser notifications for failed exports and for imports. */
  alerts: z.boolean().default(true),
  /**
   * The payments app's way: once a day at `at` (this computer's time) and on Sync now, QuickBooks'
   * vendors and open bills go to the app and the app's payments to QuickBooks; with `twoWay`,
   * payments made in QuickBooks come to the app too (one way: never).
   */
  daily: z
    .object({ on: z.boolean().default(false), at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'The daily sync time is like 06:30').default('06:00'), twoWay: z.boolean().default(false) })
    .default({ on: false, at: '06:00', twoWay: false }),
  automations: z
    .object(Object.fromEntries(AUTOMATIONS.map((a) => [a, z.boolean().default(false)])) as Record<Automation, z.ZodDefault<z.ZodBoolean>>)
    .default(Object.fromEntries(AUTOMATIONS.map((a) => [a, false])) as Record<Automation, boolean>),
});
export type BillsSettings = z.infer<typeof BillsSettings>;

type Rec = Record<string, any>;
const PAYMENT_TYPES = ['Bank', 'Credit Card'];

/** What is wrong with settings, given what QuickBooks holds (from the QB cache); nothing when they can be saved. */
export async function checkBillsSettings(realmId: string, s: BillsSettings): Promise<string[]> {
  const problems: string[] = [];
  // What QuickBooks holds now (the last sync), not what this page read before it.
  for (const e of ['Account', 'Item', 'Class']) forgetCache(realmId, e);
  const [accounts, items, classes] = await Promise.all(['Account', 'Item', 'Class'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
  if (s.lineType === 'Account') {
    const a = accounts.get(s.accountId);
    if (!s.accountId) problems.push('Choose the expense account bill lines go to.');
    else if (!a || a.Active === false) problems.push(`The account ${s.accountId} is not an active account in QuickBooks: choose another.`);
    else if (!EXPENSE_TYPES.includes(a.AccountType)) problems.push(`"${a.Name}" is a ${a.AccountType} account; bill lines go to an ${EXPENSE_TYPES.join(', ')} account.`);
  } else {
    const i = items.get(s.itemId);
    if (!s.itemId) problems.push('Choose the item bill lines use.');
    else if (!i || i.Active === false) problems.push(`The item ${s.itemId} is not an active item in QuickBooks: choose another.`);
    else if (i.Type === 'Category' || !i.ExpenseAccountRef?.value) problems.push(`The item "${i.Name}" has no expense account, so QuickBooks cannot put it on a bill: give it one in QuickBooks or choose another.`);
  }
  if (s.paymentAccountId) {
    const a = accounts.get(s.paymentAccountId);
    if (!a || a.Active === false) problems.push(`The payment account ${s.paymentAccountId} is not an active account in QuickBooks: choose another.`);
    else if (!PAYMENT_TYPES.includes(a.AccountType)) problems.push(`"${a.Name}" is a ${a.AccountType} account; payments are made from a Bank or Credit Card account.`);
  } else if (s.automations.exportPayments) problems.push('Choose the payment account before turning on "Export payments".');
  if (s.salesItemId) {
    const i = items.get(s.salesItemId);
    if (!i || i.Active === false) problems.push(`The credit memo item ${s.salesItemId} is not an active item in QuickBooks: choose another.`);
    else if (i.Type === 'Category' || !i.IncomeAccountRef?.value) problems.push(`The item "${i.Name}" has no income account, so QuickBooks cannot put it on a credit memo: give it one in QuickBooks or choose another.`);
  }
  if (oneWay(s) && s.automations.importPayments) problems.push('Payments go one way with the daily sync (made in the app, sent to QuickBooks): turn off "Import payments", or choose two ways.');
  for (const [value, classId] of Object.entries(s.classes))
    if (classId && !classes.has(classId)) problems.push(`The class chosen for "${value}" is not a class in QuickBooks: choose another.`);
  return problems;
}

export const readBillsSettings = (realmId: string, app: HostApp) => readWorkflowSettings(BILLS, BillsSettings, realmId, app);
/** Saves the settings once QuickBooks has what they name; a daily sync turned on waits for its first time (Sync now runs it before). */
export async function saveBillsSettings(realmId: string, app: HostApp, value: unknown): Promise<BillsSettings> {
  const before = await readBillsSettings(realmId, app);
  const saved = await writeWorkflowSettings(BILLS, BillsSettings, realmId, app, value, (s) => checkBillsSettings(realmId, s));
  if (saved.daily.on && (!before.daily.on || before.daily.at !== saved.daily.at)) await moveAutomationCursor(realmId, app, BILLS, { lastDaily: Date.now() });
  return saved;
}

// ---- the mappers (pure) ----------------------------------------------------------------------------

export type { ExportResult } from './index';

export interface BillContext {
  appName: string;
  /** Whether the company tracks classes per line (Preferences, AccountingInfoPrefs.ClassTrackingPerTxnLine). */
  classPerLine: boolean;
  /** The company's classes, id by name, for values with no class chosen in the settings. */
  classIdsByName: Map<string, string>;
  /** The vendor's reference: its link when the bill is sent, or the export that makes it. */
  vendorRef?: unknown;
  /** What the record is called ("bill", "vendor credit"). */
  noun?: string;
}


/** An app's bill as a QuickBooks Bill (create or full update), or what stops it. */
export function billToQbo(bill: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, s: BillsSettings, ctx: BillContext): Record<string, unknown> {
  const f = bill.fields;
  const what = `${ctx.appName} ${ctx.noun ?? 'bill'} ${f.number || bill.hostId}`;
  if (!f.vendorId && !ctx.vendorRef) throw new WorkflowError(`${what} has no vendor: choose one in ${ctx.appName}.`);
  const txnDate = day(f.date);
  if (!txnDate) throw new WorkflowError(`${what} has no date: add one in ${ctx.appName}.`);
  if ((f.number ?? '').length > DOC_NUMBER_MAX) throw new WorkflowError(`${what}: its Ref # is longer than the ${DOC_NUMBER_MAX} characters QuickBooks takes; shorten it in ${ctx.appName}.`);
  const source = bill.lines?.length ? bill.lines : [{ description: f.memo ?? '', amount: f.amount ?? '' }];
  const Line = source.map((l, i) => {
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, line ${i + 1}: "${l.amount ?? ''}" is not an amount.`);
    let classRef: { value: string } | undefined;
    if (s.classField) {
      const value = (l[s.classField] ?? '').trim();
      if (value) {
        if (!ctx.classPerLine)
          throw new WorkflowError(`QuickBooks tracks no classes per line in this company: turn on "Track classes" with "One to each row in transaction" (Settings > Account and settings > Advanced), or set "Class from" to none.`);
        const id = (Object.hasOwn(s.classes, value) ? s.classes[value] : '') || ctx.classIdsByName.get(value.toLowerCase());
        if (!id) throw new WorkflowError(`${what}, line ${i + 1}: its ${s.classField} "${value}" has no QuickBooks class: choose one for it in the settings.`);
        classRef = { value: id };
      }
    }
    const detail =
      s.lineType === 'Item'
        ? { DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: s.itemId }, Qty: 1, UnitPrice: amount, ...(classRef ? { ClassRef: classRef } : {}) } }
        : { DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: s.accountId }, ...(classRef ? { ClassRef: classRef } : {}) } };
    return { Amount: amount, ...(l.description ? { Description: l.description.slice(0, 4000) } : {}), ...detail };
  });
  const due = day(f.dueDate);
  return {
    VendorRef: ctx.vendorRef ?? linkRef('vendor', f.vendorId),
    TxnDate: txnDate,
    ...(due ? { DueDate: due } : {}),
    ...(f.number ? { DocNumber: f.number } : {}),
    ...(f.memo ? { PrivateNote: f.memo.slice(0, 3000) } : {}),
    Line,
  };
}

/** Names of QuickBooks accounts and classes by id (an app that keeps them by name gets the names), and an item's expense account. */
export interface BillNames {
  account(id?: string): string | undefined;
  class(id?: string): string | undefined;
  itemAccount?(itemId?: string): string | undefined;
}


/** A QuickBooks Bill as a bill of the app, for its vendor there (workflow field names). */
export function qboBillToApp(bill: Rec, vendorHostId: string, names: BillNames = { account: () => undefined, class: () => undefined }): { fields: Record<string, unknown>; lines: Record<string, unknown>[] } {
  return {
    fields: {
      vendorId: vendorHostId,
      number: bill.DocNumber || `QB-${bill.Id}`,
      date: bill.TxnDate,
      dueDate: bill.DueDate ?? bill.TxnDate,
      memo: withoutMarker(bill.PrivateNote),
      quickbooksId: String(bill.Id),
    },
    lines: (bill.Line ?? [])
      .filter((l: Rec) => typeof l.Amount === 'number' && l.DetailType !== 'SubTotalLineDetail')
      .map((l: Rec) => {
        const d = l.AccountBasedExpenseLineDetail ?? l.ItemBasedExpenseLineDetail ?? {};
        const account = names.account(d.AccountRef?.value) ?? d.AccountRef?.name ?? names.account(names.itemAccount?.(d.ItemRef?.value));
        const cls = names.class(d.ClassRef?.value) ?? d.ClassRef?.name;
        return { description: l.Description || 'Bill line', amount: l.Amount, ...(account ? { account } : {}), ...(cls ? { class: cls } : {}) };
      }),
  };
}

/** A QuickBooks VendorCredit as the app's vendor credit (workflow field names). */
export function qboVendorCreditToApp(credit: Rec, vendorHostId: string): { fields: Record<string, unknown>; lines: Record<string, unknown>[] } {
  return {
    fields: {
      vendorId: vendorHostId,
      number: credit.DocNumber || `QB-${credit.Id}`,
      date: credit.TxnDate,
      amount: credit.TotalAmt,
      // What QuickBooks already used of it (its balance is what is left).
      applied: Math.round((Number(credit.TotalAmt ?? 0) - Number(credit.Balance ?? credit.TotalAmt ?? 0)) * 100) / 100,
      memo: withoutMarker(credit.PrivateNote),
      quickbooksId: String(credit.Id),
    },
    lines: [],
  };
}

/** An app's payment as a QuickBooks BillPayment paying its bills (linked when sent), from the configured account. */
export function paymentToQbo(payment: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, s: BillsSettings, ctx: { appName: string; accountType?: string }): Record<string, unknown> {
  const f = payment.fields;
  const what = `${ctx.appName} payment ${f.refNumber || f.number || payment.hostId}`;
  if (!s.paymentAccountId || !ctx.accountType) throw new WorkflowError(`Choose the account payments are made from (side panel, Settings) before exporting ${what}.`);
  const date = day(f.date);
  if (!date) throw new WorkflowError(`${what} has no payment date.`);
  const applied = payment.lines ?? [];
  if (!applied.length) throw new WorkflowError(`${what} pays no bill in ${ctx.appName}; QuickBooks needs the bill it pays.`);
  if (applied.some((l) => !l.billId)) throw new WorkflowError(`${what} pays something that is not a bill of ${ctx.appName}; QuickBooks can only take payments of bills.`);
  const Line = applied.map((l, i) => {
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, bill ${i + 1}: "${l.amount ?? ''}" is not an amount.`);
    return { Amount: amount, LinkedTxn: [{ TxnId: linkRef('bill', l.billId, true), TxnType: 'Bill' }] };
  });
  const sum = Math.round(Line.reduce((t, l) => t + Math.round(l.Amount * 100), 0)) / 100;
  const total = money(f.amount);
  if (!Number.isNaN(total) && total !== sum)
    throw new WorkflowError(`${what} is ${total} but applies ${sum} to bills; QuickBooks needs the whole payment applied. Apply the rest in ${ctx.appName}, or correct the amount.`);
  const card = ctx.accountType === 'Credit Card';
  return {
    VendorRef: linkRef('vendor', f.vendorId),
    PayType: card ? 'CreditCard' : 'Check',
    ...(card ? { CreditCardPayment: { CCAccountRef: { value: s.paymentAccountId } } } : { CheckPayment: { BankAccountRef: { value: s.paymentAccountId } } }),
    TotalAmt: sum,
    TxnDate: date,
    ...(f.refNumber ? { DocNumber: String(f.refNumber).slice(0, DOC_NUMBER_MAX) } : {}),
    Line,
  };
}

/**
 * A QuickBooks BillPayment as a payment of the app, applied to the app's bills it paid (by their
 * QuickBooks ids); undefined when it paid none of them.
 */
export function qboPaymentToApp(payment: Rec, billHostIds: Map<string, string>, vendorHostId: string): { fields: Record<string, unknown>; lines: Record<string, unknown>[] } | undefined {
  const lines: Record<string, unknown>[] = [];
  for (const l of payment.Line ?? [])
    for (const t of l.LinkedTxn ?? []) if (t.TxnType === 'Bill' && billHostIds.has(String(t.TxnId))) lines.push({ billId: billHostIds.get(String(t.TxnId)), amount: l.Amount });
  if (!lines.length) return undefined;
  const amount = Math.round(lines.reduce((sum, l) => sum + (l.amount as number), 0) * 100) / 100;
  return {
    fields: {
      vendorId: vendorHostId,
      date: payment.TxnDate,
      method: payment.PayType === 'CreditCard' ? 'Credit Card' : 'Check',
      refNumber: payment.DocNumber ?? '',
      amount,
      quickbooksId: String(payment.Id),
    },
    lines,
  };
}

// ---- what the workflow does --------------------------------------------------------------------------


/** Whether the company tracks classes per line, and its classes by name (from QuickBooks' preferences and the cache). */
async function classContext(realmId: string, readPrefs: () => Promise<Rec>): Promise<Pick<BillContext, 'classPerLine' | 'classIdsByName'>> {
  const classes = (await recordsOf(realmId, 'Class')) as Map<string, Rec>;
  const prefs = await readPrefs();
  return {
    classPerLine: !!prefs?.AccountingInfoPrefs?.ClassTrackingPerTxnLine,
    classIdsByName: new Map([...classes.values()].filter((c) => c.Active !== false).map((c) => [String(c.FullyQualifiedName ?? c.Name).toLowerCase(), String(c.Id)])),
  };
}


/**
 * Exports an app's bills (or vendor credits): one not in QuickBooks yet is created (its vendor
 * exported first when "Export vendors" is on and it is not matched); one already there is updated,
 * never made twice. One whose vendor is not matched is still enqueued: it fails saying so, and
 * Re-try after matching sends it.
 */
export async function exportDocs(c: Ctx & { readPrefs: () => Promise<Rec> }, kind: DocKind, hostIds: string[]): Promise<ExportResult> {
  const { entity, noun } = DOC[kind];
  const s = await readBillsSettings(c.realmId, c.app);
  const problems = await checkBillsSettings(c.realmId, { ...s, paymentAccountId: '', automations: { ...s.automations, exportPayments: false } });
  if (problems.length) throw new WorkflowError(`Finish the settings first: ${problems.join(' ')}`);
  const classes = s.classField ? await classContext(c.realmId, c.readPrefs) : { classPerLine: false, classIdsByName: new Map<string, string>() };
  const docs = await hostRecordsOf(c.realmId, c.app, kind, hostIds);
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  const vendorExports = new Map<string, number>();
  for (const doc of docs) {
    const link = await linkOf(c.realmId, c.app, kind, doc.hostId);
    if (link?.state === 'ignored') {
      refused.push({ hostId: doc.hostId, why: `The ${noun} ${doc.fields.number ?? doc.hostId} is ignored: stop ignoring it to export it.` });
      continue;
    }
    let vendorRef: unknown;
    const vendorId = doc.fields.vendorId;
    if (vendorId && s.automations.exportVendors && (await linkOf(c.realmId, c.app, 'vendor', vendorId))?.state !== 'linked') {
      const [vendor] = await hostRecordsOf(c.realmId, c.app, 'vendor', [vendorId]);
      if (vendor && (await linkOf(c.realmId, c.app, 'vendor', vendorId))?.state !== 'ignored') {
        if (!vendorExports.has(vendorId)) {
          vendorExports.set(vendorId, writes.length);
          writes.push({ ...exportWrite(c.realmId, c.app, c.appName, 'vendor', vendor), origin: c.origin });
        }
        vendorRef = { $entry: `#${vendorExports.get(vendorId)}` };
      }
    }
    // A vendor on its way to QuickBooks (exported by another action) is waited for.
    const waitFor = !vendorRef && vendorId ? await pendingCreate(c.realmId, c.app, 'vendor', vendorId) : undefined;
    let intent: Record<string, unknown>;
    try {
      intent = billToQbo(doc, s, { appName: c.appName, ...classes, vendorRef, noun });
      if (kind === 'vendorCredit') delete intent.DueDate;
    } catch (e) {
      refused.push({ hostId: doc.hostId, why: (e as Error).message });
      continue;
    }
    const host = { ...c.app, kind, hostId: doc.hostId };
    if (link?.state === 'linked' && link.qbId)
      // Every version of the app's record is its own update; the same version twice is one.
      writes.push({ realmId: c.realmId, operation: 'update', entity, qbId: link.qbId, host, appName: c.appName, intent, version: doc.version ?? doc.fields.updatedAt, origin: c.origin, dependsOn: waitFor ? [waitFor] : [] });
    else {
      writes.push({ realmId: c.realmId, operation: 'create', entity, host, appName: c.appName, intent, origin: c.origin, dependsOn: waitFor ? [waitFor] : [] });
      // Where the app keeps the QuickBooks id (its profile's writeBack), it is written back.
      writes.push(...(await writeBackWrites(c.realmId, c.app, kind, [{ hostId: doc.hostId, qbId: { $id: `#${writes.length - 1}` } }], c.origin)));
    }
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** Exports an app's bills (exportDocs). */
export const exportBills = (c: Ctx & { readPrefs: () => Promise<Rec> }, hostIds: string[]) => exportDocs(c, 'bill', hostIds);

/** Exports an app's payments as BillPayments of their (exported) bills. */
export async function exportPayments(c: Ctx, hostIds: string[]): Promise<ExportResult> {
  const s = await readBillsSettings(c.realmId, c.app);
  const account = s.paymentAccountId ? ((await recordsOf(c.realmId, 'Account')) as Map<string, Rec>).get(s.paymentAccountId) : undefined;
  const payments = await hostRecordsOf(c.realmId, c.app, 'billPayment', hostIds);
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const p of payments) {
    const link = await linkOf(c.realmId, c.app, 'billPayment', p.hostId);
    if (link?.state === 'linked') {
      refused.push({ hostId: p.hostId, why: `Payment ${p.fields.refNumber || p.hostId} is already in QuickBooks.` });
      continue;
    }
    if (link?.state === 'ignored') {
      refused.push({ hostId: p.hostId, why: `Payment ${p.fields.refNumber || p.hostId} is ignored: stop ignoring it to export it.` });
      continue;
    }
    try {
      const intent = paymentToQbo(p, s, { appName: c.appName, accountType: account?.AccountType });
      // Bills (and the vendor) still on their way to QuickBooks are waited for.
      const waitFor = (await Promise.all([...(p.lines ?? []).map((l) => pendingCreate(c.realmId, c.app, 'bill', l.billId)), pendingCreate(c.realmId, c.app, 'vendor', p.fields.vendorId)])).filter((id): id is string => !!id);
      writes.push({ realmId: c.realmId, operation: 'create', entity: 'BillPayment', host: { ...c.app, kind: 'billPayment', hostId: p.hostId }, appName: c.appName, intent, origin: c.origin, dependsOn: waitFor });
    } catch (e) {
      refused.push({ hostId: p.hostId, why: (e as Error).message });
    }
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** Whether payments go one way only (made in the app, sent to QuickBooks): the payments app's daily sync without "two ways". */
export const oneWay = (s: BillsSettings) => s.daily.on && !s.daily.twoWay;




/**
 * Links the app's records that name a QuickBooks record in their `quickbooksId` and are not linked
 * yet (made by a colleague's browser, or by this one before a reinstall), where QuickBooks has it.
 */
export async function adoptLinks(realmId: string, app: HostApp, kinds: { kind: string; entity: string }[] = ADOPTED) {
  for (const { kind, entity } of kinds) {
    const records = (await hostRecordsOfKind(realmId, app, kind)).filter((r) => r.fields.quickbooksId);
    if (!records.length) continue;
    const qb = await recordsOf(realmId, entity);
    for (const r of records) if (qb.has(r.fields.quickbooksId) && !(await linkOf(realmId, app, kind, r.hostId))) await link(realmId, app, kind, r.hostId, { entity, id: r.fields.quickbooksId }, 'auto');
  }
}
export const ADOPTED = [
  { kind: 'vendor', entity: 'Vendor' },
  { kind: 'bill', entity: 'Bill' },
  { kind: 'billPayment', entity: 'BillPayment' },
  { kind: 'vendorCredit', entity: 'VendorCredit' },
];


/** The company's account and class names by id, from the QB cache. */
async function billNames(realmId: string): Promise<BillNames> {
  const [accounts, classes, items] = await Promise.all(['Account', 'Class', 'Item'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
  return {
    account: (id) => (id ? accounts.get(id)?.Name : undefined),
    class: (id) => (id ? classes.get(id)?.Name : undefined),
    itemAccount: (id) => (id ? items.get(id)?.ExpenseAccountRef?.value : undefined),
  };
}

/** What a person chose for an imported bill where the app has orders (the seed's dialog): its order and service period. */
export interface ImportChoice {
  orderNumber?: string;
  servicePeriodStart?: string;
  servicePeriodEnd?: string;
}

/** A body for the app with the person's choices on it: the order on the bill and on each line, the service period on each line. */
export function withChoice(body: { fields: Record<string, unknown>; lines: Record<string, unknown>[] }, choice: ImportChoice | undefined) {
  if (!choice) return body;
  const line = Object.fromEntries(Object.entries(choice).filter(([, v]) => v));
  return { fields: { ...body.fields, ...(choice.orderNumber ? { orderNumber: choice.orderNumber } : {}) }, lines: body.lines.map((l) => ({ ...l, ...line })) };
}

/** Imports QuickBooks bills (or vendor credits) into the app, each for the app's vendor linked to its vendor. */
export async function importDocs(c: Ctx, kind: DocKind, qbIds: string[], choices: Record<string, ImportChoice> = {}): Promise<ExportResult> {
  const { entity, noun } = DOC[kind];
  const docs = (await recordsOf(c.realmId, entity)) as Map<string, Rec>;
  const linked = await linkedDocs(c.realmId, c.app, kind);
  const names = await billNames(c.realmId);
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const id of qbIds) {
    const doc = docs.get(id);
    const what = `The ${noun} ${doc?.DocNumber ?? id}`;
    if (!doc) refused.push({ hostId: id, why: `QuickBooks has no ${noun} ${id} (any more).` });
    else if (linked.has(id)) refused.push({ hostId: id, why: `${what} is already in ${c.appName}.` });
    else {
      const vendor = await appRecordOf(c.realmId, c.app, 'vendor', 'Vendor', String(doc.VendorRef?.value));
      if (!vendor) refused.push({ hostId: id, why: `${what}: its vendor "${doc.VendorRef?.name ?? doc.VendorRef?.value}" is not matched with a ${c.appName} vendor. Match it first (Vendors tab).` });
      else writes.push(importWrite(c, kind, entity, id, withChoice(kind === 'bill' ? qboBillToApp(doc, vendor, names) : qboVendorCreditToApp(doc, vendor), choices[id])));
    }
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** Imports QuickBooks bills into the app (importDocs). */
export const importBills = (c: Ctx, qbIds: string[]) => importDocs(c, 'bill', qbIds);

/** Imports QuickBooks bill payments into the app, each applied to the app's bills it paid. */
export async function importPayments(c: Ctx, qbIds: string[]): Promise<ExportResult> {
  const s = await readBillsSettings(c.realmId, c.app);
  if (oneWay(s))
    throw new WorkflowError(`Payments go one way with ${c.appName} (made in ${c.appName}, sent to QuickBooks), so QuickBooks' payments are not brought in. To bring them in, choose "two ways" in Settings.`);
  const payments = (await recordsOf(c.realmId, 'BillPayment')) as Map<string, Rec>;
  const bills = await linkedDocs(c.realmId, c.app, 'bill');
  const have = new Set([...(await linkedDocs(c.realmId, c.app, 'billPayment')).keys(), ...(await ignoredQb(c.realmId, c.app, 'billPayment'))]);
  const writes: NewWrite[] = [];
  const refused: ExportResult['refused'] = [];
  for (const id of qbIds) {
    const p = payments.get(id);
    if (!p) {
      refused.push({ hostId: id, why: `QuickBooks has no bill payment ${id} (any more).` });
      continue;
    }
    if (have.has(id)) {
      refused.push({ hostId: id, why: `Payment ${p.DocNumber ?? id} is already in ${c.appName}.` });
      continue;
    }
    const vendor = await appRecordOf(c.realmId, c.app, 'vendor', 'Vendor', String(p.VendorRef?.value));
    const body = vendor ? qboPaymentToApp(p, bills, vendor) : undefined;
    if (!body) refused.push({ hostId: id, why: `Payment ${p.DocNumber ?? id} pays no bill that is in ${c.appName}: import or export its bill first.` });
    else writes.push(importWrite(c, 'billPayment', 'BillPayment', id, body));
  }
  return { entries: writes.length ? await enqueueAndRetry(writes, c.action, c.retryFailed) : [], refused };
}

/** QuickBooks bill payments that pay the app's linked bills and are not in the app yet. */
export async function paymentsToImport(realmId: string, app: HostApp): Promise<string[]> {
  const bills = await linkedDocs(realmId, app, 'bill');
  if (!bills.size || oneWay(await readBillsSettings(realmId, app))) return [];
  const have = new Set([...(await linkedDocs(realmId, app, 'billPayment')).keys(), ...(await ignoredQb(realmId, app, 'billPayment'))]);
  const out: string[] = [];
  for (const [id, p] of (await recordsOf(realmId, 'BillPayment')) as Map<string, Rec>) {
    if (have.has(id)) continue;
    if ((p.Line ?? []).some((l: Rec) => (l.LinkedTxn ?? []).some((t: Rec) => t.TxnType === 'Bill' && bills.has(String(t.TxnId))))) out.push(id);
  }
  return out;
}

/** Rows without links to QuickBooks' web pages (for counting and choosing, not showing). */
const noUrl = () => undefined;

// ---- what the side panel shows ----------------------------------------------------------------------

export type TxnStatus = 'Exported' | 'Imported' | 'Not exported' | 'Sending' | 'Ignored' | 'Error' | 'Only in QuickBooks';
export const TXN_STATUSES: TxnStatus[] = ['Not exported', 'Sending', 'Exported', 'Imported', 'Error', 'Ignored', 'Only in QuickBooks'];

export interface TxnRow {
  /** The app's id, or "qb:<id>" for a QuickBooks record not in the app. */
  key: string;
  hostId?: string;
  qbId?: string;
  vendor: string;
  date: string;
  dueDate?: string;
  number: string;
  method?: string;
  /** What the app says (the bill's reconciled amount, the payment's amount). */
  amount?: number;
  /** What QuickBooks says: a bill's balance, a payment's amount. */
  qb?: number;
  updatedAt?: string;
  status: TxnStatus;
  /** Why it failed, in words that say what to do; or what it waits for. */
  note?: string;
  /** The outbox entries about it, newest first (the Log action opens them). */
  entryIds: string[];
  url?: string;
}


function statusOf(link: { state: string; qbId?: string; source?: string } | undefined, entries: OutboxEntry[] = [], qbExists: boolean): { status: TxnStatus; note?: string } {
  if (link?.state === 'ignored') return { status: 'Ignored' };
  const last = entries[0];
  if (last?.state === 'failed') return { status: 'Error', note: last.lastError?.message };
  if (last && (last.state === 'pending' || last.state === 'in-flight')) return { status: 'Sending', note: last.waiting ? last.lastError?.message : undefined };
  if (link?.state === 'linked') {
    if (!qbExists) return { status: 'Error', note: 'Its QuickBooks record no longer exists: export it again.' };
    return { status: entries.some((e) => e.target !== 'qbo' && e.operation === 'create') || (!entries.length && link.source !== 'created') ? 'Imported' : 'Exported' };
  }
  return { status: 'Not exported' };
}

/** The app's bills (or vendor credits) with their QuickBooks state, and QuickBooks' of matched vendors that are not in the app. */
export async function docRows(realmId: string, app: HostApp, kind: DocKind, webUrl: (entity: string, id: string) => string | undefined): Promise<TxnRow[]> {
  const { entity } = DOC[kind];
  const [records, links, entries, qbBills, vendors] = await Promise.all([
    hostRecordsOfKind(realmId, app, kind),
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray(),
    entriesByRecord(realmId, app, kind),
    recordsOf(realmId, entity) as Promise<Map<string, Rec>>,
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, 'vendor']).toArray(),
  ]);
  const linkOfBill = new Map(links.map((l) => [l.hostId, l]));
  const inApp = new Set([...records.filter((r) => r.fields.quickbooksId).map((r) => r.fields.quickbooksId), ...links.filter((l) => l.state === 'linked').map((l) => l.qbId)]);
  const rows: TxnRow[] = records.map((r) => {
    const link = linkOfBill.get(r.hostId);
    const qb = link?.state === 'linked' && link.qbId ? qbBills.get(link.qbId) : undefined;
    const mine = entries.get(r.hostId);
    return {
      key: r.hostId, hostId: r.hostId, qbId: link?.qbId, vendor: r.fields.party ?? '', date: day(r.fields.date) ?? '', dueDate: day(r.fields.dueDate), number: r.fields.number ?? '',
      amount: money(r.fields.amount), qb: qb ? Number(qb.Balance ?? 0) : undefined, updatedAt: r.fields.updatedAt,
      ...statusOf(link, mine, !!qb), entryIds: (mine ?? []).map((e) => e.id), url: qb ? webUrl(entity, String(qb.Id)) : undefined,
    };
  });
  // QuickBooks' records of the app's matched vendors, not in the app yet: the ones to import.
  const matchedVendors = new Map(vendors.filter((v) => v.state === 'linked' && v.qbId).map((v) => [v.qbId!, v.hostId]));
  for (const [id, b] of qbBills) {
    if (inApp.has(id) || !matchedVendors.has(String(b.VendorRef?.value))) continue;
    const mine = entries.get(`qb:${id}`);
    const st = mine?.[0] ? statusOf(undefined, mine, true) : { status: 'Only in QuickBooks' as const };
    rows.push({
      key: `qb:${id}`, qbId: id, vendor: b.VendorRef?.name ?? '', date: b.TxnDate ?? '', dueDate: b.DueDate, number: b.DocNumber ?? '', qb: Number(b.Balance ?? 0),
      ...(st.status === 'Not exported' ? { status: 'Only in QuickBooks' } : st), entryIds: (mine ?? []).map((e) => e.id), url: webUrl(entity, id),
    });
  }
  return rows.sort((a, b) => b.date.localeCompare(a.date) || a.number.localeCompare(b.number));
}

export const billRows = (realmId: string, app: HostApp, webUrl: (entity: string, id: string) => string | undefined) => docRows(realmId, app, 'bill', webUrl);

/** The app's payments with their QuickBooks state, and QuickBooks' payments of the app's bills that are not in the app. */
export async function paymentRows(realmId: string, app: HostApp, webUrl: (entity: string, id: string) => string | undefined): Promise<TxnRow[]> {
  const [records, links, entries, qbPayments] = await Promise.all([
    hostRecordsOfKind(realmId, app, 'billPayment'),
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, 'billPayment']).toArray(),
    entriesByRecord(realmId, app, 'billPayment'),
    recordsOf(realmId, 'BillPayment') as Promise<Map<string, Rec>>,
  ]);
  const linkOfPayment = new Map(links.map((l) => [l.hostId, l]));
  const rows: TxnRow[] = records.map((r) => {
    const link = linkOfPayment.get(r.hostId);
    const qb = link?.state === 'linked' && link.qbId ? qbPayments.get(link.qbId) : undefined;
    const mine = entries.get(r.hostId);
    return {
      key: r.hostId, hostId: r.hostId, qbId: link?.qbId, vendor: r.fields.party ?? '', date: day(r.fields.date) ?? '', number: r.fields.refNumber || r.fields.number || '', method: r.fields.method,
      amount: money(r.fields.amount), qb: qb ? Number(qb.TotalAmt ?? 0) : undefined, updatedAt: r.fields.updatedAt,
      ...statusOf(link, mine, !!qb), entryIds: (mine ?? []).map((e) => e.id), url: qb ? webUrl('BillPayment', String(qb.Id)) : undefined,
    };
  });
  for (const id of await paymentsToImport(realmId, app)) {
    const p = qbPayments.get(id)!;
    const mine = entries.get(`qb:${id}`);
    const st = mine?.[0] ? statusOf(undefined, mine, true) : { status: 'Only in QuickBooks' as const };
    rows.push({
      key: `qb:${id}`, qbId: id, vendor: p.VendorRef?.name ?? '', date: p.TxnDate ?? '', number: p.DocNumber ?? '', method: p.PayType === 'CreditCard' ? 'Credit card' : 'Check',
      qb: Number(p.TotalAmt ?? 0), ...(st.status === 'Not exported' ? { status: 'Only in QuickBooks' } : st), entryIds: (mine ?? []).map((e) => e.id), url: webUrl('BillPayment', id),
    });
  }
  return rows.sort((a, b) => b.date.localeCompare(a.date) || a.number.localeCompare(b.number));
}

// ---- automations -------------------------------------------------------------------------------------

/** What turning an automation on does at once, counted: "12 bills will be exported now". */
export async function automationBacklog(realmId: string, app: HostApp, automation: Automation): Promise<{ count: number; words: string }> {
  switch (automation) {
    case 'exportBills': {
      const n = (await billRows(realmId, app, noUrl)).filter((r) => r.hostId && (r.status === 'Not exported' || r.status === 'Error')).length;
      return { count: n, words: n ? `${n} bill${n === 1 ? '' : 's'} not in QuickBooks will be exported now.` : 'Every bill is in QuickBooks already; new ones will follow.' };
    }
    case 'exportPayments': {
      const n = (await paymentRows(realmId, app, noUrl)).filter((r) => r.hostId && (r.status === 'Not exported' || r.status === 'Error')).length;
      return { count: n, words: n ? `${n} payment${n === 1 ? '' : 's'} not in QuickBooks will be exported now.` : 'Every payment is in QuickBooks already; new ones will follow.' };
    }
    case 'importPayments': {
      const n = (await paymentsToImport(realmId, app)).length;
      return { count: n, words: n ? `${n} QuickBooks payment${n === 1 ? '' : 's'} of exported bills will be imported now.` : 'No QuickBooks payment waits to be imported; new ones will follow.' };
    }
    case 'exportVendors':
      return { count: 0, words: 'Vendors are exported as orders name them, from now on.' };
    case 'importBills':
      return { count: 0, words: 'Nothing happens on its own: import bills from the Bills tab.' };
  }
}

/**
 * Runs what turning an automation on does at once (after the person confirmed the count), and
 * starts the automations' watch from now.
 */
export async function startAutomation(c: Omit<Ctx, 'origin'> & { readPrefs: () => Promise<Rec> }, automation: Automation): Promise<ExportResult> {
  // The watch starts from this moment when nothing else was watching (what happened while all were
  // off is what the person just confirmed); with others on, it goes on where they are.
  const on = (await readBillsSettings(c.realmId, c.app)).automations;
  const others = AUTOMATIONS.filter((a) => a !== automation && on[a]);
  if (!others.length || !(await automationCursor(c.realmId, c.app, BILLS))) await moveAutomationCursor(c.realmId, c.app, BILLS, { events: await lastEventSeq() });
  // The person confirmed what it would do, failures included: those are sent again.
  const origin = { kind: 'automation' as const, name: AUTOMATION_WORDS[automation].name };
  c = { ...c, retryFailed: true } as typeof c;
  switch (automation) {
    case 'exportBills':
      return exportBills({ ...c, origin }, (await billRows(c.realmId, c.app, noUrl)).filter((r) => r.hostId && (r.status === 'Not exported' || r.status === 'Error')).map((r) => r.hostId!));
    case 'exportPayments':
      return exportPayments({ ...c, origin }, (await paymentRows(c.realmId, c.app, noUrl)).filter((r) => r.hostId && (r.status === 'Not exported' || r.status === 'Error')).map((r) => r.hostId!));
    case 'importPayments':
      return importPayments({ ...c, origin }, await paymentsToImport(c.realmId, c.app));
    default:
      return { entries: [], refused: [] };
  }
}


/**
 * What a bill says, to compare one sent with one that would be sent: its vendor as the QuickBooks
 * id (however it was named when enqueued: a link, another entry's result), its note without the
 * product's marker.
 */
function comparable(body: Rec, vendorQbId?: string): string {
  const { PrivateNote, VendorRef, ...rest } = body;
  const note = withoutMarker(PrivateNote);
  return canonical({ ...rest, VendorRef: { value: vendorQbId ?? VendorRef?.value ?? null }, ...(note ? { PrivateNote: note } : {}) });
}

/** The bill last sent for an app record (as sent, references resolved), to tell an edit from an echo. */
async function lastSent(realmId: string, app: HostApp, kind: string, hostId: string): Promise<string | undefined> {
  const entries = await db.outbox.where('[realmId+hostKey]').equals([realmId, `${app.profileId} ${app.origin} ${kind} ${hostId}`]).toArray();
  const sent = entries.filter((e) => e.target === 'qbo' && e.state === 'done' && e.body).sort((a, b) => b.seq - a.seq)[0];
  return sent ? comparable(sent.body!) : undefined;
}

/**
 * The automations that are on, for one app: what happened in the app since they last looked
 * (bills and payments created or changed, vendors named in orders) and what QuickBooks brought
 * (payments of exported bills) becomes outbox entries. Nothing fires while its toggle is off, and
 * changes made while the browser was closed are caught up here on the next run.
 */
export async function runBillsAutomations(c: Omit<Ctx, 'origin'> & { readPrefs: () => Promise<Rec> }): Promise<OutboxEntry[]> {
  const s = await readBillsSettings(c.realmId, c.app);
  const on = s.automations;
  if (!on.exportBills && !on.exportPayments && !on.exportVendors && !on.importPayments) return [];
  const cur = await automationCursor(c.realmId, c.app, BILLS);
  if (!cur) {
    await moveAutomationCursor(c.realmId, c.app, BILLS, {}); // the watch starts now
    return [];
  }
  // The app's records that name a QuickBooks record are linked first, so none of them looks new.
  await adoptLinks(c.realmId, c.app);
  const read = await db.hostEvents.where('seq').above(cur.events).toArray();
  const events = read.filter((e) => e.realmId === c.realmId && e.profileId === c.app.profileId && e.origin === c.app.origin);
  const made: OutboxEntry[] = [];
  const as = (a: Automation) => ({ ...c, origin: { kind: 'automation' as const, name: AUTOMATION_WORDS[a].name } });
  const ids = (kind: string, types: string[]) => [...new Set(events.filter((e) => e.kind === kind && types.includes(e.type)).map((e) => e.hostId))];
  if (on.exportVendors) {
    const orders = await hostRecordsOf(c.realmId, c.app, 'order', ids('order', ['created', 'changed', 'status']));
    const vendorIds = [...new Set(orders.map((o) => o.fields.vendorId).filter(Boolean))];
    const vendors: HostRecord[] = [];
    for (const v of await hostRecordsOf(c.realmId, c.app, 'vendor', vendorIds)) if (!(await linkOf(c.realmId, c.app, 'vendor', v.hostId))) vendors.push(v);
    if (vendors.length) made.push(...(await enqueue(vendors.map((v) => ({ ...exportWrite(c.realmId, c.app, c.appName, 'vendor', v), origin: as('exportVendors').origin })))));
  }
  if (on.exportBills) {
    const wanted: string[] = [];
    for (const id of ids('bill', ['created', 'changed', 'status'])) {
      const link = await linkOf(c.realmId, c.app, 'bill', id);
      if (!link) wanted.push(id);
      else if (link.state === 'linked') {
        // An edit in the app updates the bill; the app's echo of what the product wrote (an
        // imported bill, a QuickBooks id written back) changes nothing in QuickBooks.
        const last = await lastSent(c.realmId, c.app, 'bill', id);
        const [bill] = await hostRecordsOf(c.realmId, c.app, 'bill', [id]);
        if (!last || !bill) continue;
        try {
          const classes = s.classField ? await classContext(c.realmId, c.readPrefs) : { classPerLine: false, classIdsByName: new Map<string, string>() };
          const vendor = (await linkOf(c.realmId, c.app, 'vendor', bill.fields.vendorId))?.qbId;
          if (comparable(billToQbo(bill, s, { appName: c.appName, ...classes }), vendor) !== last) wanted.push(id);
        } catch {
          wanted.push(id); // exportBills says what is wrong
        }
      }
    }
    if (wanted.length) {
      const r = await exportBills(as('exportBills'), wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, AUTOMATION_WORDS.exportBills.name, c.appName, r.refused);
    }
  }
  if (on.exportPayments) {
    const wanted: string[] = [];
    for (const id of ids('billPayment', ['created'])) if (!(await linkOf(c.realmId, c.app, 'billPayment', id))) wanted.push(id);
    if (wanted.length) {
      const r = await exportPayments(as('exportPayments'), wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, AUTOMATION_WORDS.exportPayments.name, c.appName, r.refused);
    }
  }
  if (on.exportPayments) {
    // Payments received in the app (its receivable side), as QuickBooks payments of their invoices.
    const wanted: string[] = [];
    for (const id of ids('payment', ['created'])) if (!(await linkOf(c.realmId, c.app, 'payment', id))) wanted.push(id);
    if (wanted.length) {
      const r = await exportReceivedPayments(as('exportPayments'), wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, AUTOMATION_WORDS.exportPayments.name, c.appName, r.refused);
    }
  }
  if (on.importPayments && !oneWay(s)) {
    const wanted = await receivedPaymentsToImport(c.realmId, c.app);
    if (wanted.length) {
      const r = await importReceivedPayments(as('importPayments'), wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, AUTOMATION_WORDS.importPayments.name, c.appName, r.refused);
    }
  }
  if (on.importPayments) {
    // Every payment of an exported bill not in the app yet: those made before the automation was
    // turned on were imported then, so these are the new ones (however long the browser was closed).
    const wanted = await paymentsToImport(c.realmId, c.app);
    if (wanted.length) {
      const r = await importPayments(as('importPayments'), wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, AUTOMATION_WORDS.importPayments.name, c.appName, r.refused);
    }
  }
  await moveAutomationCursor(c.realmId, c.app, BILLS, { events: Math.max(cur.events, ...read.map((e) => e.seq ?? 0)) });
  return made;
}

// ---- the payments app's daily sync -------------------------------------------------------------------

/** Says in the log what the daily sync did with a caveat (an invoice sent without its classes). */
const logNote = (realmId: string, appName: string, note: string) =>
  appendLog({ realmId, timestamp: Date.now(), type: 'Workflow', action: 'Daily sync', objectName: appName, status: 'Completed', error: note }).catch(() => undefined);

const DAY_MS = 24 * 60 * 60_000;

/** Whether the daily sync is due: its time today (this computer's clock) has passed and it has not run since. */
export function dailyDue(s: BillsSettings, lastRun: number | undefined, now = new Date()): boolean {
  if (!s.daily.on) return false;
  const [h, m] = s.daily.at.split(':').map(Number);
  const today = new Date(now);
  today.setHours(h, m, 0, 0);
  const due = today.getTime() <= now.getTime() ? today.getTime() : today.getTime() - DAY_MS;
  return (lastRun ?? 0) < due;
}

/** QuickBooks' active vendors that are in no way the app's yet (not linked, not suggested): made in the app. */
export async function vendorsToApp(c: Ctx): Promise<ExportResult> {
  const view = await matchView(c.realmId, c.app, 'vendor');
  const rows = view.rows.filter((r) => r.status === 'only-qb' && r.qb?.active);
  const vendors = (await recordsOf(c.realmId, 'Vendor')) as Map<string, Rec>;
  const writes = rows.map((r) => {
    const v = vendors.get(r.qb!.id) ?? {};
    const fields = { name: v.DisplayName ?? r.qb!.name, email: v.PrimaryEmailAddr?.Address ?? '', phone: v.PrimaryPhone?.FreeFormNumber ?? '', quickbooksId: r.qb!.id };
    return importWrite(c, 'vendor', 'Vendor', r.qb!.id, { fields, lines: [] });
  });
  return { entries: writes.length ? await enqueue(writes, { action: c.action }) : [], refused: [] };
}

/** QuickBooks' open bills (nothing paid on them yet) of the app's vendors that are not in the app. */
export async function openBillsToImport(realmId: string, app: HostApp): Promise<string[]> {
  const linked = await linkedDocs(realmId, app, 'bill');
  const vendors = new Set((await db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, 'vendor']).toArray()).filter((l) => l.state === 'linked').map((l) => l.qbId));
  const out: string[] = [];
  for (const [id, b] of (await recordsOf(realmId, 'Bill')) as Map<string, Rec>)
    if (!linked.has(id) && vendors.has(String(b.VendorRef?.value)) && Number(b.Balance) > 0 && Number(b.Balance) === Number(b.TotalAmt)) out.push(id);
  return out;
}

/** What the daily sync did, for Sync now's progress and the log. */
export interface DailyResult extends ExportResult {
  action: string;
}

/**
 * The payments app's sync, daily and on Sync now, as one action: QuickBooks' new vendors to the
 * app (pushed first, so their bills find them), then QuickBooks' open bills to the app (bills partly
 * or fully paid in QuickBooks are not sent), the app's payments to QuickBooks, and, in two-way mode,
 * QuickBooks' payments of the app's bills to the app.
 */
export async function runDailySync(c: Omit<Ctx, 'origin'> & { kinds: string[]; readPrefs: () => Promise<Rec> }, settle: () => Promise<void>): Promise<DailyResult> {
  const action = c.action ?? crypto.randomUUID();
  const ctx: Ctx = { ...c, action, origin: { kind: 'workflow', name: 'Daily sync' } };
  const s = await readBillsSettings(c.realmId, c.app);
  const started = Date.now();
  const receivable = hasReceivables(c.kinds);
  await adoptLinks(c.realmId, c.app, receivable ? [...ADOPTED, ...RECEIVABLE_KINDS] : ADOPTED);
  const vendors = await vendorsToApp(ctx);
  const customers = receivable ? await customersToApp(ctx) : { entries: [], refused: [] };
  if (vendors.entries.length || customers.entries.length) {
    await settle();
    await untilSettled(action);
  }
  forgetCache(c.realmId);
  const bills = await importBills(ctx, await openBillsToImport(c.realmId, c.app));
  // The app's payments not in QuickBooks whose bills all are: a payment of a bill QuickBooks does
  // not have waits (its Export on the Payments tab says why) rather than failing every day.
  const billsInQb = new Set((await linkedDocs(c.realmId, c.app, 'bill')).values());
  const notSent = (await paymentRows(c.realmId, c.app, noUrl)).filter((r) => r.hostId && r.status === 'Not exported').map((r) => r.hostId!);
  const mine = (await hostRecordsOf(c.realmId, c.app, 'billPayment', notSent)).filter((p) => p.lines?.length && p.lines.every((l) => billsInQb.has(l.billId))).map((p) => p.hostId);
  const payments = mine.length ? await exportPayments(ctx, mine) : { entries: [], refused: [] };
  const theirs = s.daily.twoWay ? await importPayments(ctx, await paymentsToImport(c.realmId, c.app)) : { entries: [], refused: [] };
  const credits = c.kinds.includes('vendorCredit') ? await syncVendorCredits(ctx) : { entries: [], refused: [] };
  const ar = receivable ? await runReceivables({ ...ctx, readPrefs: c.readPrefs }, s) : { entries: [], refused: [], notes: [] };
  for (const note of ar.notes.slice(0, 20)) await logNote(c.realmId, c.appName, note);
  const all = [vendors, customers, bills, payments, theirs, credits, ar];
  // Done: the next one is tomorrow's (a sync that failed half way is run again on the next sync).
  await moveAutomationCursor(c.realmId, c.app, BILLS, { lastDaily: started });
  return { action, entries: all.flatMap((r) => r.entries), refused: all.flatMap((r) => r.refused) };
}

/**
 * Vendor credits both ways, where the app has them: the app's credits of matched vendors not in
 * QuickBooks are exported; QuickBooks' credits of the app's vendors with credit left and not in the
 * app are imported. What one side made is linked, so it never comes back as new.
 */
async function syncVendorCredits(c: Ctx): Promise<ExportResult> {
  const rows = await docRows(c.realmId, c.app, 'vendorCredit', () => undefined);
  const vendors = new Set((await db.links.where('[realmId+profileId+origin+kind]').equals([c.realmId, c.app.profileId, c.app.origin, 'vendor']).toArray()).filter((l) => l.state === 'linked').map((l) => l.hostId));
  const mine = (await hostRecordsOf(c.realmId, c.app, 'vendorCredit', rows.filter((r) => r.hostId && r.status === 'Not exported').map((r) => r.hostId!))).filter((v) => vendors.has(v.fields.vendorId)).map((v) => v.hostId);
  // Credits carry no classes, so QuickBooks' preferences are not needed.
  const out = mine.length ? await exportDocs({ ...c, readPrefs: async () => ({}) }, 'vendorCredit', mine) : { entries: [], refused: [] };
  const theirs = rows.filter((r) => r.status === 'Only in QuickBooks' && (r.qb ?? 0) > 0).map((r) => r.qbId!);
  const back = theirs.length ? await importDocs(c, 'vendorCredit', theirs) : { entries: [], refused: [] };
  return { entries: [...out.entries, ...back.entries], refused: [...out.refused, ...back.refused] };
}
