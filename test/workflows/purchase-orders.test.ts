// The purchase orders workflow against the sandbox (real HTTP; IndexedDB from fake-indexeddb), on
// the ERP demo app's own POs and parts read as its API returns them: the mapper (item lines, account
// lines from the expense attribute or the default, each fee on the fees account, classes, attributes
// named exactly), settings refused by name and type, and sends through the outbox: one QuickBooks PO
// with DocNumber = the PO id and a new inventory item made once; an expense code QuickBooks lacks
// fails naming it, and Re-try after the account is added lands it once; a part becomes its item.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { patchHostRecord, putHostRecords } from '../../lib/hosts/store';
import { takeRecords } from '../../lib/hosts/worker/apps';
import { link } from '../../lib/links';
import { retry } from '../../lib/sync/outbox';
import { exportParts, exportPurchaseOrders, isInventoried, itemName, PoSettings, poToQbo, runPoAutomations, savePoSettings, type PoContext } from '../../lib/workflows/purchase-orders';
import { seedErp } from '../../sandbox/hosts/erp';
import { useWorkflowApp } from './harness';

const { REALM, profile, app, appName, company, live, idOf, appRecords, prefs, pullNow, pushAll } = useWorkflowApp(
  'forge-erp', 'http://erp.localhost', 'Forge ERP',
  () => {
    const s = seedErp();
    return { purchaseOrder: s.purchaseOrders, item: s.parts, vendor: s.suppliers };
  },
  ['vendor', 'item', 'purchaseOrder'],
);
type Rec = Record<string, any>;

const po = (id: number) => appRecords('purchaseOrder').find((p) => p.hostId === String(id))!;

const SETTINGS = () =>
  PoSettings.parse({ apAccount: 'Accounts Payable (A/P)', incomeAccount: 'Sales of Product Income', assetAccount: 'Inventory Asset', expenseAccount: 'Cost of Goods Sold', feesAccount: 'Purchase Fees' });

const ctx = (origin: 'user' | 'automation' = 'user') => ({ realmId: REALM, app, appName, readPrefs: prefs, origin: { kind: origin, name: 'Send purchase orders' } });
/** The PO as marked Ordered in the app. */
const ordered = (id: string) => patchHostRecord(REALM, app, 'purchaseOrder', id, (r) => ({ ...r, fields: { ...r.fields, status: 'Ordered' } }));

/** Links the ERP supplier to the QuickBooks vendor of the same name, or to any vendor. */
async function matchSupplier(hostId: string) {
  const name = appRecords('vendor').find((v) => v.hostId === hostId)!.fields.name;
  const qb = live('Vendor').find((v) => v.DisplayName === name) ?? live('Vendor')[0];
  await link(REALM, app, 'vendor', hostId, { entity: 'Vendor', id: String(qb.Id) }, 'user');
  return String(qb.Id);
}

describe('the PO mapper', () => {
  const ctxOf = (over: Partial<PoContext> = {}): PoContext => ({
    appName, accountId: (n) => ({ 'Cost of Goods Sold': '50', 'Purchase Fees': '51', 'Job Supplies': '52', 'Accounts Payable (A/P)': '20', Checking: '35' })[n],
    expenseAccountId: (n) => ({ 'Cost of Goods Sold': '50', 'Purchase Fees': '51', 'Job Supplies': '52' })[n], classId: (n) => ({ Fabrication: '7', Digital: '8', Overhead: '9' })[n],
    itemRef: (n) => ({ value: `item:${n}` }), classPerLine: true, multiCurrency: false, homeCurrency: 'USD', ...over,
  });

  it('makes item lines for parts, account lines from the expense attribute, a line per fee, with classes and DocNumber = the PO id', () => {
    const body = poToQbo(po(1003), SETTINGS(), ctxOf()) as Rec;
    expect(body).toMatchObject({ DocNumber: '1003', VendorRef: { $link: `vendor/${po(1003).fields.vendorId}` }, APAccountRef: { value: '20' } });
    expect(body.Line.map((l: Rec) => [l.DetailType, l.ItemBasedExpenseLineDetail?.ItemRef.value ?? l.AccountBasedExpenseLineDetail.AccountRef.value, l.Amount, l.Description])).toEqual([
      ['ItemBasedExpenseLineDetail', 'item:990001-001 Rev A', Number(po(1003).lines![0].amount), po(1003).lines![0].description],
      ['AccountBasedExpenseLineDetail', '51', Number(po(1003).lines![1].amount), po(1003).lines![1].description],
      ['AccountBasedExpenseLineDetail', '51', 620, 'Freight'],
      ['AccountBasedExpenseLineDetail', '51', 214.8, 'Customs duty'],
    ]);
    const withClasses = poToQbo(po(1001), SETTINGS(), ctxOf()) as Rec;
    expect(withClasses.Line.slice(0, 2).map((l: Rec) => l.ItemBasedExpenseLineDetail.ClassRef.value)).toEqual(['7', '7']);
    // A line with no part and no expense code goes to the inventory expense account.
    const plain = po(1004).lines![2];
    expect((poToQbo({ ...po(1004), lines: [plain], fields: { ...po(1004).fields, feeList: '[]', amount: plain.amount } }, SETTINGS(), ctxOf()) as Rec).Line[0].AccountBasedExpenseLineDetail.AccountRef.value).toBe('50');
  });

  it('takes attributes by their exact names: one that differs only in case is not the class', () => {
    expect(isInventoried(po(1003).lines![1], SETTINGS())).toBe(false);
    const body = poToQbo(po(1001), { ...SETTINGS(), classAttribute: 'class' }, ctxOf()) as Rec;
    expect(body.Line.slice(0, 2).every((l: Rec) => !l.ItemBasedExpenseLineDetail.ClassRef)).toBe(true);
    // With the expense attribute named in another case, the line is not expensed: it has no part either, so it takes the default account.
    expect((poToQbo(po(1003), { ...SETTINGS(), expenseAttribute: 'expense account' }, ctxOf()) as Rec).Line[1].AccountBasedExpenseLineDetail.AccountRef.value).toBe('50');
  });

  it('says what is out of sync, naming the value, the attribute and where to add it', () => {
    expect(() => poToQbo(po(1004), SETTINGS(), ctxOf())).toThrow('Forge ERP PO 1004, line 2: its Expense Account "Tooling & Dies" is not an account in QuickBooks. Add an account named "Tooling & Dies" in QuickBooks (chart of accounts), or change the line in Forge ERP; then Re-try.');
    expect(() => poToQbo(po(1005), SETTINGS(), ctxOf({ classId: () => undefined }))).toThrow(/its Class "Signage" is not a class in QuickBooks\. Add the class "Signage"/);
    expect(() => poToQbo(po(1001), SETTINGS(), ctxOf({ classPerLine: false }))).toThrow(/tracks no classes per line/);
    expect(() => poToQbo(po(1005), SETTINGS(), ctxOf({ classId: () => '7' }))).toThrow('Forge ERP PO 1005 is in CAD, but this QuickBooks company has one currency (USD). Turn on multicurrency in QuickBooks, or order in USD.');
    expect((poToQbo(po(1005), SETTINGS(), ctxOf({ classId: () => '7', multiCurrency: true })) as Rec).CurrencyRef).toEqual({ value: 'CAD' });
    // The app's data cannot put a line on a bank account.
    const onBank = { ...po(1004), lines: [{ ...po(1004).lines![0], attributes: JSON.stringify({ 'Expense Account': 'Checking' }) }], fields: { ...po(1004).fields, feeList: '[]', amount: po(1004).lines![0].amount } };
    expect(() => poToQbo(onBank, SETTINGS(), ctxOf())).toThrow(/"Checking" is not an expense account in QuickBooks/);
    // Lines and fees that do not add up to the PO's total: something was not read, nothing is sent.
    expect(() => poToQbo({ ...po(1003), fields: { ...po(1003).fields, feeList: '[]' } }, SETTINGS(), ctxOf())).toThrow(/totals .* but its lines and fees read add up to/);
  });
});

describe('settings', () => {
  it('are refused for an account name QuickBooks lacks or of the wrong type, naming what it should be', async () => {
    await expect(savePoSettings(REALM, app, { ...SETTINGS(), feesAccount: 'Shipping Costs' })).rejects.toThrow('QuickBooks has no account named "Shipping Costs" (Account for Fees): type its name as the chart of accounts shows it.');
    await expect(savePoSettings(REALM, app, { ...SETTINGS(), assetAccount: 'Checking' })).rejects.toThrow('"Checking" is a Bank account; the Inventory Asset Account must be of type Other Current Asset.');
    expect(await db.settings.count()).toBe(0);
    expect((await savePoSettings(REALM, app, { ...SETTINGS(), apAccount: 'accounts payable (a/p)' })).apAccount).toBe('accounts payable (a/p)');
  });
});

describe('sending', () => {
  it('makes one QuickBooks PO with DocNumber = the PO id, and the inventory item it lacked, once', async () => {
    await savePoSettings(REALM, app, SETTINGS());
    const p = po(1003);
    const vendor = await matchSupplier(p.fields.vendorId);
    const name = itemName('990001-001', 'A');
    expect(live('Item').some((i) => i.Name === name)).toBe(false);
    // A draft goes nowhere: a PO is sent once it is Ordered.
    expect((await exportPurchaseOrders(ctx(), ['1003'])).refused[0].why).toBe('PO 1003 is Draft: a purchase order goes to QuickBooks once it is Ordered.');
    await ordered('1003');
    const { entries, refused } = await exportPurchaseOrders(ctx(), ['1003']);
    expect(refused).toEqual([]);
    expect(entries.map((e) => e.entity)).toEqual(['Item', 'PurchaseOrder']);
    expect((await pushAll()).failed).toBe(0);
    const made = live('PurchaseOrder').filter((x) => x.DocNumber === '1003');
    expect(made).toHaveLength(1);
    const item = live('Item').filter((i) => i.Name === name);
    expect(item).toHaveLength(1);
    expect(item[0]).toMatchObject({ Type: 'Inventory', TrackQtyOnHand: true, QtyOnHand: 0, InvStartDate: new Date().toISOString().slice(0, 10), AssetAccountRef: { value: idOf('Account', 'Inventory Asset') }, IncomeAccountRef: { value: idOf('Account', 'Sales of Product Income') }, ExpenseAccountRef: { value: idOf('Account', 'Cost of Goods Sold') } });
    expect(made[0].VendorRef.value).toBe(vendor);
    expect(made[0].Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(String(item[0].Id));
    expect(made[0].Line.slice(1).map((l: Rec) => l.AccountBasedExpenseLineDetail.AccountRef.value)).toEqual([idOf('Account', 'Purchase Fees'), idOf('Account', 'Purchase Fees'), idOf('Account', 'Purchase Fees')]);
    // Sent again (Ordered again, or edited): the same PO is updated; the item is not made again.
    await patchHostRecord(REALM, app, 'purchaseOrder', '1003', (r) => ({ ...r, fields: { ...r.fields, notes: 'Rush' }, version: 'v2' }));
    await exportPurchaseOrders(ctx(), ['1003']);
    expect((await pushAll()).failed).toBe(0);
    expect(live('PurchaseOrder').filter((x) => x.DocNumber === '1003')).toHaveLength(1);
    expect(live('PurchaseOrder').find((x) => x.DocNumber === '1003')!.Memo).toBe('Rush');
    expect(live('Item').filter((i) => i.Name === name)).toHaveLength(1);
  });

  it('fails a PO whose expense code QuickBooks lacks, naming it; after the account is added, Re-try lands it once', async () => {
    await savePoSettings(REALM, app, SETTINGS());
    await matchSupplier(po(1004).fields.vendorId);
    await ordered('1004');
    // A person is told at once, and nothing is sent.
    const asked = await exportPurchaseOrders(ctx(), ['1004']);
    expect(asked.entries).toEqual([]);
    expect(asked.refused[0].why).toMatch(/"Tooling & Dies" is not an account in QuickBooks/);
    // The automation's entry fails with the same words when it is sent.
    const { entries } = await exportPurchaseOrders(ctx('automation'), ['1004']);
    await pushAll();
    const failed = await db.outbox.get(entries[0].id);
    expect(failed!.state).toBe('failed');
    expect(failed!.lastError!.message).toMatch(/its Expense Account "Tooling & Dies" is not an account in QuickBooks\. Add an account named "Tooling & Dies"/);
    expect(live('PurchaseOrder').some((x) => x.DocNumber === '1004')).toBe(false);
    company().create('Account', { Name: 'Tooling & Dies', AccountType: 'Expense' });
    await pullNow();
    await retry([entries[0].id]);
    expect((await pushAll()).failed).toBe(0);
    await retry([entries[0].id]);
    await pushAll();
    expect(live('PurchaseOrder').filter((x) => x.DocNumber === '1004')).toHaveLength(1);
  });

  it('makes an item two POs need once, whichever sends first', async () => {
    await savePoSettings(REALM, app, SETTINGS());
    await matchSupplier(po(1003).fields.vendorId);
    // A second PO of the same part, sent in another action while the first is on its way.
    const twin = { ...po(1003), hostId: '1903', fields: { ...po(1003).fields, hostId: '1903', number: '1903', status: 'Ordered' } };
    await putHostRecords([{ realmId: REALM, ...app, kind: 'purchaseOrder', hostId: '1903', fields: twin.fields, lines: twin.lines, source: 'api', seenAt: 1 }]);
    await ordered('1003');
    const first = await exportPurchaseOrders(ctx(), ['1003']);
    const second = await exportPurchaseOrders(ctx(), ['1903']);
    expect(second.entries.map((e) => e.entity)).toEqual(['PurchaseOrder']);
    expect(second.entries[0].dependsOn).toEqual([first.entries.find((e) => e.entity === 'Item')!.id]);
    expect((await pushAll()).failed).toBe(0);
    expect(live('Item').filter((i) => i.Name === itemName('990001-001', 'A'))).toHaveLength(1);
    expect(live('PurchaseOrder').filter((x) => x.DocNumber === '1003' || x.DocNumber === '1903')).toHaveLength(2);
  });

  it('sends a PO first seen already Ordered, watching only from when the automation was turned on', async () => {
    await matchSupplier(po(1003).fields.vendorId);
    const appObj = { profile, origin: app.origin };
    const run = () => runPoAutomations({ realmId: REALM, app, appName, readPrefs: prefs });
    // An event from before it was on is not its business.
    await takeRecords(REALM, appObj, 'purchaseOrder', [{ ...po(1002), fields: { ...po(1002).fields, status: 'Ordered', updatedAt: '2026-11-30T08:00:00.000Z' } }]);
    await savePoSettings(REALM, app, { ...SETTINGS(), automations: { exportOrdered: true } });
    // A PO made already Ordered (one listing saw it for the first time that way).
    await takeRecords(REALM, appObj, 'purchaseOrder', [{ ...po(1003), hostId: '2003', fields: { ...po(1003).fields, hostId: '2003', number: '2003', status: 'Ordered' } }]);
    const made = await run();
    expect(made.filter((e) => e.entity === 'PurchaseOrder').map((e) => e.host?.hostId)).toEqual(['2003']);
    expect((await pushAll()).failed).toBe(0);
    expect(live('PurchaseOrder').filter((x) => x.DocNumber === '2003')).toHaveLength(1);
    expect(await run()).toEqual([]);
  });

  it('makes a part its inventory item, or links the one QuickBooks has by that name', async () => {
    await savePoSettings(REALM, app, SETTINGS());
    const parts = appRecords('item');
    const missing = parts.find((p) => !live('Item').some((i) => i.Name === itemName(p.fields.partNumber, p.fields.revision)))!;
    const present = parts.find((p) => live('Item').some((i) => i.Name === itemName(p.fields.partNumber, p.fields.revision)))!;
    const before = live('Item').length;
    await exportParts(ctx(), [missing.hostId, present.hostId]);
    expect((await pushAll()).failed).toBe(0);
    expect(live('Item').length).toBe(before + 1);
    const presentLink = await db.links.get([REALM, app.profileId, app.origin, 'item', present.hostId]);
    expect(presentLink!.qbId).toBe(idOf('Item', itemName(present.fields.partNumber, present.fields.revision)));
    expect((await db.links.get([REALM, app.profileId, app.origin, 'item', missing.hostId]))!.qbId).toBe(idOf('Item', itemName(missing.fields.partNumber, missing.fields.revision)));
  });
});
