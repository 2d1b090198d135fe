// Purchase orders from the ERP (Forge in the sandbox; ION's integration, ../shared/seeds): a PO
// whose status becomes Ordered is one QuickBooks PurchaseOrder with DocNumber = the PO's id, its
// supplier through the vendor link, inventoried lines on "<part> Rev <revision>" items (created
// when QuickBooks lacks them, with the configured accounts), other lines on the line's expense
// attribute or the inventory expense account, each fee on the fees account, the class attribute
// as the line's class. Settings are account NAMES, as the seed has people type them, checked
// against QuickBooks' chart of accounts with each account's type. Parts become items too.
import { z } from 'zod';
import { db, type HostRecord, type OutboxEntry } from '../db';
import { forgetCache, recordsOf } from '../db/qbcache';
import { keyOf, type HostApp } from '../links';
import { enqueue, linkRef, registerIntentBuilder, type NewWrite } from '../sync/outbox';
import { automationCursor, day, DOC_NUMBER_MAX, enqueueAndRetry, EXPENSE_TYPES, lastEventSeq, logRefused, money, moveAutomationCursor, readWorkflowSettings, WorkflowError, writeWorkflowSettings } from './index';
import { hostRecord, hostRecordsOf, hostRecordsOfKind } from '../hosts/store';

export const PURCHASE_ORDERS = 'purchaseOrders';

/** The accounts the settings name, what each is for, and the QuickBooks types it may have. */
export const PO_ACCOUNTS = [
  { key: 'apAccount', label: 'Accounts Payable', types: ['Accounts Payable'] },
  { key: 'incomeAccount', label: 'Income Account', types: ['Income'] },
  { key: 'assetAccount', label: 'Inventory Asset Account', types: ['Other Current Asset'] },
  { key: 'expenseAccount', label: 'Inventory Expense Account', types: ['Cost of Goods Sold'] },
  { key: 'feesAccount', label: 'Account for Fees', types: EXPENSE_TYPES },
] as const;
type AccountKey = (typeof PO_ACCOUNTS)[number]['key'];

export const PO_AUTOMATIONS = {
  exportOrdered: { name: 'Send purchase orders', does: 'A purchase order whose status becomes Ordered goes to QuickBooks; later changes to it update the same QuickBooks PO.' },
  exportParts: { name: 'Send parts', does: 'A part created or changed in the app becomes (or updates) its QuickBooks inventory item, "<part> Rev <revision>".' },
} as const;
export type PoAutomation = keyof typeof PO_AUTOMATIONS;

const name = z.string().trim().max(100).default('');
export const PoSettings = z.object({
  apAccount: name,
  incomeAccount: name,
  assetAccount: name,
  expenseAccount: name,
  feesAccount: name,
  /** The exact, case-sensitive names of the PO line attributes that carry the class and the expense account. */
  classAttribute: z.string().max(100).default('Class'),
  expenseAttribute: z.string().max(100).default('Expense Account'),
  automations: z.object({ exportOrdered: z.boolean().default(false), exportParts: z.boolean().default(false) }).default({ exportOrdered: false, exportParts: false }),
});
export type PoSettings = z.infer<typeof PoSettings>;

type Rec = Record<string, any>;

/** An account by the name a person typed: QuickBooks' name or full name, exactly, else the one whose name differs only in case. */
export function accountNamed(accounts: Iterable<Rec>, typed: string): Rec | undefined {
  const all = [...accounts].filter((a) => a.Active !== false);
  const exact = all.find((a) => a.Name === typed || a.FullyQualifiedName === typed);
  if (exact) return exact;
  const loose = all.filter((a) => String(a.Name).toLowerCase() === typed.toLowerCase() || String(a.FullyQualifiedName ?? '').toLowerCase() === typed.toLowerCase());
  return loose.length === 1 ? loose[0] : undefined;
}

/** What is wrong with the settings, given QuickBooks' chart of accounts; nothing when they can be saved. */
export async function checkPoSettings(realmId: string, s: PoSettings): Promise<string[]> {  const accounts = [...((await recordsOf(realmId, 'Account')) as Map<string, Rec>).values()];
  const problems: string[] = [];
  for (const role of PO_ACCOUNTS) {
    const typed = s[role.key];
    if (!typed) {
      problems.push(`Type the name of the ${role.label}.`);
      continue;
    }
    const a = accountNamed(accounts, typed);
    if (!a) problems.push(`QuickBooks has no account named "${typed}" (${role.label}): type its name as the chart of accounts shows it.`);
    else if (!(role.types as readonly string[]).includes(a.AccountType))
      problems.push(`"${a.Name}" is a${/^[AEIOU]/.test(a.AccountType) ? 'n' : ''} ${a.AccountType} account; the ${role.label} must be ${role.types.length > 1 ? `one of ${role.types.join(', ')}` : `of type ${role.types[0]}`}.`);
  }
  if (!s.classAttribute.trim()) problems.push('Type the name of the PO line attribute that carries the class.');
  if (!s.expenseAttribute.trim()) problems.push('Type the name of the PO line attribute that carries the expense account.');
  return problems;
}

export const readPoSettings = (realmId: string, app: HostApp) => readWorkflowSettings(PURCHASE_ORDERS, PoSettings, realmId, app);
/**
 * What QuickBooks holds as of the last sync, for an action asked in this context: a page's copy of
 * the cache does not hear of the worker's writes (the worker's own copy does), so it is read anew
 * once per action, never once per record.
 */
const freshLists = (realmId: string) => ['Account', 'Class', 'Item'].forEach((e) => forgetCache(realmId, e));

/** Saves the settings once QuickBooks has what they name; an automation turned on watches from this moment. */
export async function savePoSettings(realmId: string, app: HostApp, value: unknown): Promise<PoSettings> {
  freshLists(realmId);
  const before = await readPoSettings(realmId, app);
  const saved = await writeWorkflowSettings(PURCHASE_ORDERS, PoSettings, realmId, app, value, (s) => checkPoSettings(realmId, s));
  const wasOn = before.automations.exportOrdered || before.automations.exportParts;
  if (!wasOn && (saved.automations.exportOrdered || saved.automations.exportParts)) await moveAutomationCursor(realmId, app, PURCHASE_ORDERS, { events: await lastEventSeq() });
  return saved;
}

// ---- the mappers (pure) ----------------------------------------------------------------------------

/** QuickBooks' item for an ERP part: "820412-001 Rev B". */
export const itemName = (part: string, revision: string | undefined) => (revision ? `${part} Rev ${revision}` : part);

export interface PoContext {
  appName: string;
  /** The account with this name (lib/workflows: accountNamed), by id. */
  accountId(name: string): string | undefined;
  /** The same, only when it is an expense account (a line's expense code names one; the app's data picks no bank or income account). */
  expenseAccountId(name: string): string | undefined;
  classId(name: string): string | undefined;
  /** The reference of the item with this name: QuickBooks' (when sent), or, while checking before sending, the write that makes it. */
  itemRef(name: string): unknown;
  classPerLine: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
}

const parse = <T>(json: string | undefined, fallback: T): T => {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    return fallback;
  }
};

/** The attributes of a PO line, by their exact names (an own property only: a value is only a value). */
const attribute = (attrs: Record<string, unknown>, key: string): string | undefined => (Object.hasOwn(attrs, key) && typeof attrs[key] === 'string' ? (attrs[key] as string).trim() || undefined : undefined);

/** Whether a PO line is inventoried: a part and a quantity, and no expense code. */
export function isInventoried(line: Record<string, string>, s: PoSettings): boolean {
  return !!line.partNumber && Number(line.quantity) > 0 && !attribute(parse(line.attributes, {}), s.expenseAttribute);
}

/** A PO of the app as a QuickBooks PurchaseOrder (create or full update), or what stops it, in words. */
export function poToQbo(po: Pick<HostRecord, 'hostId' | 'fields' | 'lines'>, s: PoSettings, ctx: PoContext): Record<string, unknown> {
  const f = po.fields;
  const what = `${ctx.appName} PO ${f.number || po.hostId}`;
  const account = (typed: string, role: string) => {
    const id = ctx.accountId(typed);
    if (!id) throw new WorkflowError(`${what}: QuickBooks has no account named "${typed}" (${role}). Check the settings.`);
    return id;
  };
  const lines = [...(po.lines ?? [])].sort((a, b) => Number(a.lineNumber) - Number(b.lineNumber));
  const Line: Rec[] = lines.map((l, i) => {
    const n = l.lineNumber || String(i + 1);
    const attrs = parse<Record<string, unknown>>(l.attributes, {});
    const amount = money(l.amount);
    if (Number.isNaN(amount)) throw new WorkflowError(`${what}, line ${n}: "${l.amount ?? ''}" is not an amount.`);
    let ClassRef: { value: string } | undefined;
    const cls = attribute(attrs, s.classAttribute);
    if (cls) {
      if (!ctx.classPerLine)
        throw new WorkflowError(`${what}, line ${n}: it has a ${s.classAttribute}, but QuickBooks tracks no classes per line in this company: turn on "Track classes" with "One to each row in transaction" (Settings > Account and settings > Advanced).`);
      const id = ctx.classId(cls);
      if (!id) throw new WorkflowError(`${what}, line ${n}: its ${s.classAttribute} "${cls}" is not a class in QuickBooks. Add the class "${cls}" in QuickBooks (Settings > All lists > Classes), or change the line in ${ctx.appName}; then Re-try.`);
      ClassRef = { value: id };
    }
    const description = (l.description ?? '').slice(0, 4000);
    if (isInventoried(l, s)) {
      const qty = Number(l.quantity);
      const unit = money(l.unitCost);
      return {
        Amount: amount, ...(description ? { Description: description } : {}), DetailType: 'ItemBasedExpenseLineDetail',
        ItemBasedExpenseLineDetail: { ItemRef: ctx.itemRef(itemName(l.partNumber, l.revision)), Qty: qty, UnitPrice: Number.isNaN(unit) ? Math.round((amount / qty) * 100) / 100 : unit, ...(ClassRef ? { ClassRef } : {}) },
      };
    }
    const expense = attribute(attrs, s.expenseAttribute);
    const accountId = expense ? ctx.expenseAccountId(expense) : account(s.expenseAccount, 'Inventory Expense Account');
    if (!accountId && expense && ctx.accountId(expense))
      throw new WorkflowError(`${what}, line ${n}: its ${s.expenseAttribute} "${expense}" is not an expense account in QuickBooks (a line's expense code must be one of ${EXPENSE_TYPES.join(', ')}). Change the line in ${ctx.appName}, or the account's type in QuickBooks; then Re-try.`);
    if (!accountId)
      throw new WorkflowError(`${what}, line ${n}: its ${s.expenseAttribute} "${expense}" is not an account in QuickBooks. Add an account named "${expense}" in QuickBooks (chart of accounts), or change the line in ${ctx.appName}; then Re-try.`);
    return { Amount: amount, ...(description ? { Description: description } : {}), DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: accountId }, ...(ClassRef ? { ClassRef } : {}) } };
  });
  const fees = parse<{ name?: unknown; value?: unknown }[]>(f.feeList, []);
  if (fees.length) {
    const feesAccount = account(s.feesAccount, 'Account for Fees');
    for (const fee of fees) {
      const amount = money(String(fee.value ?? ''));
      if (Number.isNaN(amount)) throw new WorkflowError(`${what}: the fee "${String(fee.name ?? '')}" has no amount.`);
      Line.push({ Amount: amount, Description: String(fee.name ?? 'Fee').slice(0, 4000), DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: feesAccount } } });
    }
  }
  if (!Line.length) throw new WorkflowError(`${what} has no lines.`);
  // Lines and fees add up to the PO's total, or something of it was not read: nothing is sent.
  const total = money(f.amount);
  const sum = Math.round(Line.reduce((t, l) => t + Math.round(l.Amount * 100), 0)) / 100;
  if (!Number.isNaN(total) && total !== sum)
    throw new WorkflowError(`${what} totals ${total}, but its lines and fees read add up to ${sum}: the PO may have more than the extension could read. Check it in ${ctx.appName}, then Re-try.`);
  const currency = (f.currency ?? '').trim().toUpperCase();
  if (currency && !ctx.multiCurrency && currency !== ctx.homeCurrency.toUpperCase())
    throw new WorkflowError(`${what} is in ${currency}, but this QuickBooks company has one currency (${ctx.homeCurrency}). Turn on multicurrency in QuickBooks, or order in ${ctx.homeCurrency}.`);
  const ship = f.shipToStreet || f.shipToCity;
  return {
    DocNumber: String(f.number || po.hostId).slice(0, DOC_NUMBER_MAX),
    VendorRef: linkRef('vendor', f.vendorId),
    APAccountRef: { value: account(s.apAccount, 'Accounts Payable') },
    ...(day(f.orderedAt) ? { TxnDate: day(f.orderedAt) } : {}),
    ...(day(f.dueDate) ? { DueDate: day(f.dueDate) } : {}),
    ...(currency && ctx.multiCurrency ? { CurrencyRef: { value: currency } } : {}),
    ...(ship
      ? { ShipAddr: { ...(f.shipToName ? { Line1: f.shipToName } : {}), ...(f.shipToStreet ? { Line2: f.shipToStreet } : {}), City: f.shipToCity, CountrySubDivisionCode: f.shipToState, PostalCode: f.shipToPostalCode, Country: f.shipToCountry } }
      : {}),
    ...(f.notes ? { Memo: f.notes.slice(0, 4000) } : {}),
    Line,
  };
}

/** A part as its QuickBooks inventory item: name "<part> Rev <revision>", with the configured accounts. */
export function partToItem(part: { partNumber: string; revision?: string; description?: string; unitCost?: string }, accounts: { income: string; asset: string; expense: string }, today: string): Record<string, unknown> {
  const cost = money(part.unitCost);
  return {
    Name: itemName(part.partNumber, part.revision).slice(0, 100),
    Sku: part.partNumber.slice(0, 100),
    Type: 'Inventory',
    ...(part.description ? { Description: part.description.slice(0, 4000), PurchaseDesc: part.description.slice(0, 4000) } : {}),
    ...(Number.isNaN(cost) ? {} : { PurchaseCost: cost }),
    IncomeAccountRef: { value: accounts.income },
    ExpenseAccountRef: { value: accounts.expense },
    AssetAccountRef: { value: accounts.asset },
    TrackQtyOnHand: true,
    // QuickBooks needs a quantity and its date for an inventory item; what is on order arrives with the PO.
    QtyOnHand: 0,
    InvStartDate: today,
  };
}

// ---- what the workflow does --------------------------------------------------------------------------

interface Ctx {
  realmId: string;
  app: HostApp;
  appName: string;
  origin: OutboxEntry['origin'];
  /** QuickBooks' preferences (classes per line, currencies). */
  readPrefs: () => Promise<Rec>;
}

/** The outbox's create of an item by that name not done yet (waiting or on its way), if one is. */
async function pendingItem(realmId: string, name: string): Promise<string | undefined> {
  for (const state of ['in-flight', 'pending'] as const) {
    const open = await db.outbox.where('[realmId+state+seq]').between([realmId, state, 0], [realmId, state, Infinity]).filter((e) => e.entity === 'Item' && e.operation === 'create' && e.intent.Name === name).first();
    if (open) return open.id;
  }
  return undefined;
}

const today = () => new Date().toISOString().slice(0, 10);

export interface PoExportResult {
  entries: OutboxEntry[];
  refused: { hostId: string; why: string }[];
}

/** What the PO mapper needs to know of QuickBooks, from the QB cache and the company's preferences. */
async function poContext(realmId: string, appName: string, prefs: Rec, planned: (name: string) => unknown = () => undefined): Promise<PoContext & { hasItem(name: string): boolean }> {
  const [accounts, classes, items] = await Promise.all(['Account', 'Class', 'Item'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
  const classByName = new Map([...classes.values()].filter((x) => x.Active !== false).map((x) => [String(x.FullyQualifiedName ?? x.Name), String(x.Id)]));
  const itemByName = new Map([...items.values()].filter((x) => x.Active !== false).map((x) => [String(x.Name), String(x.Id)]));
  return {
    appName,
    accountId: (typed) => accountNamed(accounts.values(), typed)?.Id as string | undefined,
    expenseAccountId: (typed) => {
      const a = accountNamed(accounts.values(), typed);
      return a && EXPENSE_TYPES.includes(a.AccountType) ? (a.Id as string) : undefined;
    },
    classId: (n) => classByName.get(n),
    hasItem: (n) => itemByName.has(n),
    itemRef: (n) => {
      if (itemByName.has(n)) return { value: itemByName.get(n) };
      const ref = planned(n);
      if (ref) return ref;
      throw new WorkflowError(`QuickBooks has no item "${n}" and none is being made: send the part first (Send parts), then Re-try.`);
    },
    classPerLine: !!prefs?.AccountingInfoPrefs?.ClassTrackingPerTxnLine,
    multiCurrency: !!prefs?.CurrencyPrefs?.MultiCurrencyEnabled,
    homeCurrency: String(prefs?.CurrencyPrefs?.HomeCurrency?.value ?? 'USD'),
  };
}

/** A PO's QuickBooks fields, built when its write is sent (lib/sync/outbox: registerIntentBuilder). */
registerIntentBuilder('purchaseOrder', async (entry, read) => {
  const app = { profileId: entry.host!.profileId, origin: entry.host!.origin };
  const appName = String(entry.intent.appName ?? app.profileId);
  const po = await hostRecord(entry.realmId, app, 'purchaseOrder', entry.host!.hostId);
  if (!po) throw new WorkflowError(`PO ${entry.host!.hostId} is no longer in ${appName}.`);
  const s = await readPoSettings(entry.realmId, app);
  const build = async () => {
    const problems = await checkPoSettings(entry.realmId, s);
    if (problems.length) throw new WorkflowError(`Finish the settings first (side panel, Settings): ${problems.join(' ')}`);
    return poToQbo(po, s, await poContext(entry.realmId, appName, await read.preferences()));
  };
  try {
    return await build();
  } catch (e) {
    if (!(e instanceof WorkflowError)) throw e;
    // An account, class or item added in QuickBooks since the last sync: read them now, and try once more.
    await read.refresh(['Account', 'Class', 'Item']);
    return build();
  }
});

/**
 * Sends the app's purchase orders to QuickBooks: one not there yet is created, with the items it
 * needs made first; one already there is updated, never made twice. Each PO's fields are built when
 * it is sent, from the PO and the settings of that moment: what stops it (an expense code or class
 * QuickBooks lacks, a supplier not matched) fails it with those words, and Re-try after fixing
 * sends it once. A person asking is told at once, and nothing is sent for a PO that would fail.
 */
export async function exportPurchaseOrders(c: Ctx, hostIds: string[]): Promise<PoExportResult> {
  freshLists(c.realmId);
  const s = await readPoSettings(c.realmId, c.app);
  const problems = await checkPoSettings(c.realmId, s);
  if (problems.length) throw new WorkflowError(`Finish the settings first: ${problems.join(' ')}`);
  const byPerson = c.origin.kind === 'user';
  const [prefs, parts] = await Promise.all([c.readPrefs(), hostRecordsOfKind(c.realmId, c.app, 'item')]);
  const newItems = new Map<string, number>();
  const pendingRefs = new Map<string, string>();
  const ctx = await poContext(c.realmId, c.appName, prefs, (n) => (pendingRefs.has(n) ? { $entry: pendingRefs.get(n) } : newItems.has(n) ? { $entry: `#${newItems.get(n)}` } : undefined));
  const partOf = new Map(parts.map((p) => [itemName(p.fields.partNumber ?? '', p.fields.revision), p]));
  const itemAccounts = { income: ctx.accountId(s.incomeAccount)!, asset: ctx.accountId(s.assetAccount)!, expense: ctx.accountId(s.expenseAccount)! };
  const pos = await hostRecordsOf(c.realmId, c.app, 'purchaseOrder', hostIds);
  const writes: NewWrite[] = [];
  const refused: PoExportResult['refused'] = [];
  for (const po of pos) {
    const link = await db.links.get(keyOf(c.realmId, c.app, 'purchaseOrder', po.hostId));
    if (link?.state === 'ignored') {
      refused.push({ hostId: po.hostId, why: `PO ${po.fields.number ?? po.hostId} is ignored: stop ignoring it to send it.` });
      continue;
    }
    if (link?.state !== 'linked' && po.fields.status !== 'Ordered' && po.fields.status !== 'Received') {
      refused.push({ hostId: po.hostId, why: `PO ${po.fields.number ?? po.hostId} is ${po.fields.status || 'not ordered'}: a purchase order goes to QuickBooks once it is Ordered.` });
      continue;
    }
    // Items this PO needs that QuickBooks lacks: made first, once, whoever needs them.
    const before = writes.length;
    const planned: string[] = [];
    for (const l of po.lines ?? []) {
      if (!isInventoried(l, s)) continue;
      const n = itemName(l.partNumber, l.revision);
      if (ctx.hasItem(n) || newItems.has(n) || pendingRefs.has(n)) continue;
      const pending = await pendingItem(c.realmId, n);
      if (pending) {
        pendingRefs.set(n, pending);
        continue;
      }
      const part = partOf.get(n);
      newItems.set(n, writes.length);
      planned.push(n);
      writes.push({
        realmId: c.realmId, operation: 'create', entity: 'Item', appName: c.appName, origin: c.origin,
        ...(part ? { host: { ...c.app, kind: 'item', hostId: part.hostId } } : {}),
        // One create per item name: a part whose revision changed is another item.
        version: n,
        intent: partToItem({ partNumber: l.partNumber, revision: l.revision, description: part?.fields.description ?? l.description, unitCost: part?.fields.unitCost ?? l.unitCost }, itemAccounts, today()),
      });
    }
    // The items the PO waits for (made in this action, or on their way in another).
    const waitFor = [...new Set((po.lines ?? []).filter((l) => isInventoried(l, s)).map((l) => itemName(l.partNumber, l.revision)))]
      .map((n) => (newItems.has(n) ? `#${newItems.get(n)}` : pendingRefs.get(n)))
      .filter((d): d is string => !!d);
    if (byPerson)
      try {
        poToQbo(po, s, ctx); // said now, rather than as a failure later
      } catch (e) {
        for (const n of planned) newItems.delete(n);
        writes.length = before;
        refused.push({ hostId: po.hostId, why: (e as Error).message });
        continue;
      }
    const host = { ...c.app, kind: 'purchaseOrder', hostId: po.hostId };
    const intent = { $build: 'purchaseOrder', appName: c.appName };
    if (link?.state === 'linked' && link.qbId)
      writes.push({ realmId: c.realmId, operation: 'update', entity: 'PurchaseOrder', qbId: link.qbId, host, appName: c.appName, intent, version: po.version ?? po.fields.updatedAt, origin: c.origin, dependsOn: waitFor });
    else writes.push({ realmId: c.realmId, operation: 'create', entity: 'PurchaseOrder', host, appName: c.appName, intent, origin: c.origin, dependsOn: waitFor });
  }
  return { entries: writes.length ? await enqueueAndRetry(writes) : [], refused };
}

/** Sends the app's parts to QuickBooks as inventory items: the item of that name is linked (and updated) or made. */
export async function exportParts(c: Ctx, hostIds: string[]): Promise<PoExportResult> {
  freshLists(c.realmId);
  const s = await readPoSettings(c.realmId, c.app);
  const problems = await checkPoSettings(c.realmId, s);
  if (problems.length) throw new WorkflowError(`Finish the settings first: ${problems.join(' ')}`);
  const [accounts, items] = await Promise.all([recordsOf(c.realmId, 'Account') as Promise<Map<string, Rec>>, recordsOf(c.realmId, 'Item') as Promise<Map<string, Rec>>]);
  const accountId = (typed: string) => accountNamed(accounts.values(), typed)?.Id as string;
  const itemByName = new Map([...items.values()].map((x) => [String(x.Name), x]));
  const writes: NewWrite[] = [];
  const refused: PoExportResult['refused'] = [];
  for (const part of await hostRecordsOf(c.realmId, c.app, 'item', hostIds)) {
    if (!part.fields.partNumber) {
      refused.push({ hostId: part.hostId, why: `Part ${part.hostId} has no part number.` });
      continue;
    }
    const host = { ...c.app, kind: 'item', hostId: part.hostId };
    const body = partToItem(part.fields as never, { income: accountId(s.incomeAccount), asset: accountId(s.assetAccount), expense: accountId(s.expenseAccount) }, today());
    const link = await db.links.get(keyOf(c.realmId, c.app, 'item', part.hostId));
    const existing = link?.state === 'linked' ? items.get(link.qbId!) : itemByName.get(String(body.Name));
    if (existing) {
      if (link?.state !== 'linked') await db.links.put({ realmId: c.realmId, ...c.app, kind: 'item', hostId: part.hostId, state: 'linked', qbEntity: 'Item', qbId: String(existing.Id), source: 'auto', createdAt: Date.now() });
      // What the part says that QuickBooks' item does not: its description and cost.
      const change: Rec = {};
      if (body.Description && body.Description !== existing.Description) change.Description = body.Description;
      if (body.PurchaseCost !== undefined && body.PurchaseCost !== existing.PurchaseCost) change.PurchaseCost = body.PurchaseCost;
      if (Object.keys(change).length) writes.push({ realmId: c.realmId, operation: 'update', entity: 'Item', qbId: String(existing.Id), host, appName: c.appName, intent: change, version: part.version ?? part.fields.updatedAt, origin: c.origin });
    } else writes.push({ realmId: c.realmId, operation: 'create', entity: 'Item', host, appName: c.appName, intent: body, origin: c.origin });
  }
  return { entries: writes.length ? await enqueue(writes) : [], refused };
}

/**
 * The PO workflow's automations for one app: a PO that reached Ordered is sent; a sent PO that
 * changed is updated; a part created or changed becomes its item. What happened while the browser
 * was closed is caught up on the next run.
 */
export async function runPoAutomations(c: Omit<Ctx, 'origin'>): Promise<OutboxEntry[]> {
  const s = await readPoSettings(c.realmId, c.app);
  if (!s.automations.exportOrdered && !s.automations.exportParts) return [];
  const cur = await automationCursor(c.realmId, c.app, PURCHASE_ORDERS);
  if (!cur) {
    await moveAutomationCursor(c.realmId, c.app, PURCHASE_ORDERS, {});
    return [];
  }
  const events = (await db.hostEvents.where('seq').above(cur.events).toArray()).filter((e) => e.realmId === c.realmId && e.profileId === c.app.profileId && e.origin === c.app.origin);
  const made: OutboxEntry[] = [];
  if (s.automations.exportParts) {
    const ids = [...new Set(events.filter((e) => e.kind === 'item' && (e.type === 'created' || e.type === 'changed')).map((e) => e.hostId))];
    if (ids.length) {
      const r = await exportParts({ ...c, origin: { kind: 'automation', name: PO_AUTOMATIONS.exportParts.name } }, ids);
      made.push(...r.entries);
      await logRefused(c.realmId, PO_AUTOMATIONS.exportParts.name, c.appName, r.refused);
    }
  }
  if (s.automations.exportOrdered) {
    const wanted: string[] = [];
    for (const id of new Set(events.filter((x) => x.kind === 'purchaseOrder' && x.type !== 'deleted').map((x) => x.hostId))) {
      // A PO already in QuickBooks that changed is updated (whatever its status now); one not
      // there goes once it is Ordered, however it was first seen (made already ordered, or
      // ordered and received between two listings).
      const l = await db.links.get(keyOf(c.realmId, c.app, 'purchaseOrder', id));
      const now = await hostRecord(c.realmId, c.app, 'purchaseOrder', id);
      if (l?.state === 'linked' || now?.fields.status === 'Ordered' || now?.fields.status === 'Received') wanted.push(id);
    }
    if (wanted.length) {
      const r = await exportPurchaseOrders({ ...c, origin: { kind: 'automation', name: PO_AUTOMATIONS.exportOrdered.name } }, wanted);
      made.push(...r.entries);
      await logRefused(c.realmId, PO_AUTOMATIONS.exportOrdered.name, c.appName, r.refused);
    }
  }
  await moveAutomationCursor(c.realmId, c.app, PURCHASE_ORDERS, { events: Math.max(cur.events, ...events.map((e) => e.seq ?? 0)) });
  return made;
}

/** A PO row of the side panel: the app's PO with its QuickBooks state. */
export interface PoRow {
  hostId: string;
  number: string;
  supplier: string;
  status: string;
  total: number;
  qbId?: string;
  state: 'In QuickBooks' | 'Not sent' | 'Sending' | 'Error' | 'Ignored';
  note?: string;
  entryIds: string[];
}

export async function poRows(realmId: string, app: HostApp): Promise<PoRow[]> {
  const [records, links, entries] = await Promise.all([
    hostRecordsOfKind(realmId, app, 'purchaseOrder'),
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, 'purchaseOrder']).toArray(),
    db.outbox.where('[realmId+hostKey]').between([realmId, `${app.profileId} ${app.origin} purchaseOrder `], [realmId, `${app.profileId} ${app.origin} purchaseOrder \uffff`]).toArray(),
  ]);
  const linkOf = new Map(links.map((l) => [l.hostId, l]));
  return records
    .map((r) => {
      const mine = entries.filter((e) => e.host?.hostId === r.hostId).sort((a, b) => b.seq - a.seq);
      const link = linkOf.get(r.hostId);
      const last = mine[0];
      const state: PoRow['state'] =
        link?.state === 'ignored' ? 'Ignored' : last?.state === 'failed' ? 'Error' : last && (last.state === 'pending' || last.state === 'in-flight') ? 'Sending' : link?.state === 'linked' ? 'In QuickBooks' : 'Not sent';
      return {
        hostId: r.hostId, number: r.fields.number ?? r.hostId, supplier: r.fields.party ?? '', status: r.fields.status ?? '', total: money(r.fields.amount), qbId: link?.qbId,
        state, note: state === 'Error' ? last?.lastError?.message : state === 'Sending' && last?.waiting ? last.lastError?.message : undefined, entryIds: mine.map((e) => e.id),
      };
    })
    .sort((a, b) => Number(b.hostId) - Number(a.hostId));
}
