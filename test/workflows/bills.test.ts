// The bills workflow against the sandbox (real HTTP; IndexedDB from fake-indexeddb), on the media
// app's own seeded bills and payments read as its API returns them: the mappers on their own, then
// exports through the outbox: 5 bills in account mode and item mode are exactly 5 QuickBooks bills
// with the right vendor, lines, Ref #, due date and classes; an edit updates the same bill; a bill
// whose vendor is not matched fails saying so, and Re-try after matching lands it once; settings
// naming what QuickBooks does not have are refused; an app payment becomes a BillPayment linked to
// its bill, whose balance drops; a QuickBooks payment maps onto the app's bill it paid.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { db, type HostRecord } from '../../lib/db';
import { recordsOf } from '../../lib/db/qbcache';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { readItem } from '../../lib/hosts/api';
import { hostRecord as storedRecord, putHostRecords } from '../../lib/hosts/store';
import { takeRecords } from '../../lib/hosts/worker/apps';
import { link } from '../../lib/links';
import { retry } from '../../lib/sync/outbox';
import {
  billRows, billToQbo, BillsSettings, checkBillsSettings, dailyDue, exportBills, exportDocs, qboVendorCreditToApp, exportPayments, importPayments, openBillsToImport, paymentsToImport, paymentToQbo, qboBillToApp,
  qboPaymentToApp, runBillsAutomations, saveBillsSettings, importDocs, adoptLinks, runDailySync, readBillsSettings,
} from '../../lib/workflows/bills';
import { automationCursor } from '../../lib/workflows';
import { day, money, WorkflowError } from '../../lib/workflows';
import { seedMedia } from '../../sandbox/hosts/media';
import { seedPayments } from '../../sandbox/hosts/payments';
import { alertsFor } from '../../lib/workflows/run';
import { useWorkflowApp } from './harness';

const { REALM, profile, app, appName, company, live, idOf, appRecords, prefs, pullNow, pushAll } = useWorkflowApp(
  'spotlight', 'http://media.localhost', 'Spotlight',
  () => {
    const s = seedMedia();
    return { vendor: s.vendors, bill: s.bills, billPayment: s.payments, order: s.orders };
  },
  ['vendor', 'bill', 'billPayment'],
);
const user = { kind: 'user' as const, name: 'Test' };
type Rec = Record<string, any>;
const ctx = () => ({ realmId: REALM, app, appName, origin: user, readPrefs: prefs });
const hostRecord = async (kind: string, hostId: string) => (await storedRecord(REALM, app, kind, hostId)) as HostRecord;

/** Links the app's vendor to the QuickBooks vendor of the same name (as the Vendors tab would). */
async function matchVendor(hostId: string) {
  const v = await hostRecord('vendor', hostId);
  const qb = live('Vendor').find((r) => r.DisplayName.toLowerCase() === String(v.name ?? v.fields.name).toLowerCase());
  if (!qb) throw new Error(`no QuickBooks vendor named ${v.name}`);
  await link(REALM, app, 'vendor', hostId, { entity: 'Vendor', id: String(qb.Id) }, 'user');
  return String(qb.Id);
}

/** Bills of the app whose vendor is in QuickBooks under the same name. */
async function billsWithKnownVendors(n: number): Promise<HostRecord[]> {
  const names = new Set(live('Vendor').map((v) => v.DisplayName.toLowerCase()));
  const out: HostRecord[] = [];
  for (const r of appRecords('bill')) {
    const vendor = await hostRecord('vendor', r.fields.vendorId);
    if (vendor && names.has(String(vendor.name ?? vendor.fields.name).toLowerCase()) && r.lines?.length && r.fields.status === 'Open') out.push(await hostRecord('bill', r.hostId));
    if (out.length === n) break;
  }
  return out;
}

const ACCOUNT_SETTINGS = () => BillsSettings.parse({ lineType: 'Account', accountId: idOf('Account', 'Media Placement Costs') });

describe('mappers', () => {
  const classes = new Map([['broadcast', '11'], ['digital', '12']]);
  const bill = { hostId: '7', fields: { number: 'INV-77', vendorId: '3', date: '2026-05-01', dueDate: '2026-05-31', memo: 'May flight', amount: '1,500.00' }, lines: [{ description: 'Spots', amount: '1000', mediaType: 'TV' }, { description: 'Banners', amount: '500.5', mediaType: 'Digital' }] };

  it('makes an account-based bill with Ref #, dates, memo, the vendor as linked when sent, and classes per line', () => {
    const s = BillsSettings.parse({ accountId: '40', classField: 'mediaType', classes: { TV: '11' } });
    const body = billToQbo(bill, s, { appName, classPerLine: true, classIdsByName: classes }) as Rec;
    expect(body).toMatchObject({ VendorRef: { $link: 'vendor/3' }, TxnDate: '2026-05-01', DueDate: '2026-05-31', DocNumber: 'INV-77', PrivateNote: 'May flight' });
    expect(body.Line).toEqual([
      { Amount: 1000, Description: 'Spots', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '40' }, ClassRef: { value: '11' } } },
      { Amount: 500.5, Description: 'Banners', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '40' }, ClassRef: { value: '12' } } },
    ]);
  });

  it('makes item-based lines', () => {
    const body = billToQbo(bill, BillsSettings.parse({ lineType: 'Item', itemId: '9' }), { appName, classPerLine: false, classIdsByName: classes }) as Rec;
    expect(body.Line[1]).toEqual({ Amount: 500.5, Description: 'Banners', DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: '9' }, Qty: 1, UnitPrice: 500.5 } });
  });

  it('refuses what QuickBooks would refuse, saying what to do', () => {
    const s = BillsSettings.parse({ accountId: '40', classField: 'mediaType' });
    expect(() => billToQbo(bill, s, { appName, classPerLine: false, classIdsByName: classes })).toThrow(/tracks no classes per line.*Track classes/);
    expect(() => billToQbo({ ...bill, lines: [{ description: 'x', amount: '5', mediaType: 'Podcast' }] }, s, { appName, classPerLine: true, classIdsByName: classes })).toThrow(/mediaType "Podcast" has no QuickBooks class: choose one/);
    expect(() => billToQbo({ ...bill, fields: { ...bill.fields, number: 'X'.repeat(22) } }, s, { appName, classPerLine: true, classIdsByName: classes })).toThrow(/longer than the 21 characters/);
    expect(() => billToQbo({ ...bill, fields: { ...bill.fields, date: '' } }, s, { appName, classPerLine: true, classIdsByName: classes })).toThrow(WorkflowError);
    expect(() => billToQbo({ ...bill, lines: [{ description: 'x', amount: 'ten' }] }, s, { appName, classPerLine: true, classIdsByName: classes })).toThrow(/"ten" is not an amount/);
    // A line value that is a name every object has is still only a value.
    expect(() => billToQbo({ ...bill, lines: [{ description: 'x', amount: '5', mediaType: 'constructor' }] }, s, { appName, classPerLine: true, classIdsByName: classes })).toThrow(/mediaType "constructor" has no QuickBooks class/);
  });

  it('maps payments both ways, linked to the bills they pay', () => {
    const s = BillsSettings.parse({ accountId: '40', paymentAccountId: '35' });
    const pay = { hostId: '5', fields: { vendorId: '3', date: '2026-06-01', refNumber: 'CHK-1', amount: '400' }, lines: [{ billId: '7', amount: '400' }] };
    expect(paymentToQbo(pay, s, { appName, accountType: 'Bank' })).toEqual({
      VendorRef: { $link: 'vendor/3' }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: '35' } }, TotalAmt: 400, TxnDate: '2026-06-01', DocNumber: 'CHK-1',
      Line: [{ Amount: 400, LinkedTxn: [{ TxnId: { $linkId: 'bill/7' }, TxnType: 'Bill' }] }],
    });
    expect(paymentToQbo(pay, s, { appName, accountType: 'Credit Card' })).toMatchObject({ PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: '35' } } });
    expect(() => paymentToQbo({ ...pay, fields: { ...pay.fields, amount: '500' } }, s, { appName, accountType: 'Bank' })).toThrow(/is 500 but applies 400 to bills/);
    expect(() => paymentToQbo({ ...pay, lines: [{ amount: '400' }] }, s, { appName, accountType: 'Bank' })).toThrow(/pays something that is not a bill/);
    expect(() => paymentToQbo({ ...pay, lines: [] }, s, { appName, accountType: 'Bank' })).toThrow(/pays no bill/);
    const qb = { Id: '88', TxnDate: '2026-06-02', PayType: 'Check', DocNumber: '1044', Line: [{ Amount: 250, LinkedTxn: [{ TxnId: '61', TxnType: 'Bill' }] }, { Amount: 90, LinkedTxn: [{ TxnId: '62', TxnType: 'Bill' }] }] };
    expect(qboPaymentToApp(qb, new Map([['61', '7']]), '3')).toEqual({
      fields: { vendorId: '3', date: '2026-06-02', method: 'Check', refNumber: '1044', amount: 250, quickbooksId: '88' }, lines: [{ billId: '7', amount: 250 }],
    });
    expect(qboPaymentToApp(qb, new Map(), '3')).toBeUndefined();
    expect(qboBillToApp({ Id: '61', DocNumber: 'A-1', TxnDate: '2026-05-01', PrivateNote: 'hello\nCreated by QuickBooks Companion [qbc:0123456789abcdef]', Line: [{ Amount: 10, Description: 'x' }] }, '3')).toEqual({
      fields: { vendorId: '3', number: 'A-1', date: '2026-05-01', dueDate: '2026-05-01', memo: 'hello', quickbooksId: '61' }, lines: [{ description: 'x', amount: 10 }],
    });
  });

  it('maps a QuickBooks vendor credit for the app, without the product\'s marker', () => {
    expect(qboVendorCreditToApp({ Id: '70', DocNumber: 'VC-9', TxnDate: '2026-10-01', TotalAmt: 45.5, Balance: 0, PrivateNote: 'Outage\nCreated by QuickBooks Companion [qbc:0123456789abcdef]' }, '3')).toEqual({
      fields: { vendorId: '3', number: 'VC-9', date: '2026-10-01', amount: 45.5, applied: 45.5, memo: 'Outage', quickbooksId: '70' }, lines: [],
    });
  });

  it('maps every bill and payment the demo apps hold, to amounts that add up', () => {
    const s = BillsSettings.parse({ accountId: '40', paymentAccountId: '35' });
    const paystream = BUILTIN_PROFILES.find((p) => p.id === 'paystream')!;
    const seeds = [
      { profile, store: seedMedia() as unknown as Record<string, unknown[]>, bills: 'bills', payments: 'payments' },
      { profile: paystream, store: seedPayments() as unknown as Record<string, unknown[]>, bills: 'bills', payments: 'payments' },
    ];
    let bills = 0;
    let payments = 0;
    for (const { profile: p, store } of seeds) {
      for (const raw of store.bills) {
        const rec = readItem(raw, p.api!.kinds.bill)!;
        const body = billToQbo(rec, s, { appName, classPerLine: true, classIdsByName: new Map() }) as Rec;
        expect(Math.round(body.Line.reduce((sum: number, l: Rec) => sum + l.Amount, 0) * 100) / 100).toBe(money(rec.fields.amount));
        expect(body.DocNumber).toBe(rec.fields.number);
        bills++;
      }
      for (const raw of store.payments.filter((x) => (x as Rec).direction !== 'Receivable')) {
        const rec = readItem(raw, p.api!.kinds.billPayment)!;
        const body = paymentToQbo(rec, s, { appName, accountType: 'Bank' }) as Rec;
        expect(body.TotalAmt).toBe(money(rec.fields.amount));
        expect(body.Line.map((l: Rec) => l.LinkedTxn[0].TxnId.$linkId)).toEqual(rec.lines!.map((l) => `bill/${l.billId}`));
        payments++;
      }
    }
    expect([bills, payments]).toEqual([34 + 42, 16 + seedPayments().payments.filter((x) => x.direction === 'Payable').length]);
  });

  it('reads amounts and days as apps write them', () => {
    expect([money('$1,250.50'), money('250'), money('-3.005'), money('12.345'), money('abc'), money(undefined)]).toEqual([1250.5, 250, -3.01, 12.35, NaN, NaN]);
    expect([day('2026-05-01'), day('2026-05-01T09:30:00Z'), day('May 1')]).toEqual(['2026-05-01', '2026-05-01', undefined]);
  });
});

describe('settings', () => {
  it('are refused when they name an account QuickBooks does not have, or one of the wrong type', async () => {
    await expect(saveBillsSettings(REALM, app, { lineType: 'Account', accountId: '99999' })).rejects.toThrow(/account 99999 is not an active account in QuickBooks/);
    await expect(saveBillsSettings(REALM, app, { lineType: 'Account', accountId: idOf('Account', 'Checking') })).rejects.toThrow(/"Checking" is a Bank account; bill lines go to an Expense/);
    await expect(saveBillsSettings(REALM, app, { lineType: 'Account', accountId: idOf('Account', 'Media Placement Costs'), paymentAccountId: idOf('Account', 'Advertising & Marketing') })).rejects.toThrow(/payments are made from a Bank or Credit Card account/);
    await expect(saveBillsSettings(REALM, app, { lineType: 'Account', accountId: idOf('Account', 'Media Placement Costs'), automations: { exportPayments: true } })).rejects.toThrow(/payment account before turning on "Export payments"/);
    expect(await db.settings.count()).toBe(0);
    const saved = await saveBillsSettings(REALM, app, { lineType: 'Account', accountId: idOf('Account', 'Media Placement Costs'), paymentAccountId: idOf('Account', 'Checking') });
    expect(saved.automations.exportBills).toBe(false);
    expect(await checkBillsSettings(REALM, saved)).toEqual([]);
  });
});

describe('exports to QuickBooks', () => {
  it('makes exactly one QuickBooks bill per app bill, in account and item mode, and an edit updates it', async () => {
    const bills = await billsWithKnownVendors(5);
    expect(bills).toHaveLength(5);
    for (const b of bills) await matchVendor(b.fields.vendorId);
    const classOf: Record<string, string> = { TV: 'Broadcast', Radio: 'Broadcast', Digital: 'Digital', Podcast: 'Digital', Print: 'Print', 'Out of Home': 'Out of Home', Production: 'Broadcast' };
    const classes = Object.fromEntries(Object.entries(classOf).map(([v, c]) => [v, idOf('Class', c)]));
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), classField: 'mediaType', classes });
    const before = live('Bill').length;
    // Three in account mode, two in item mode.
    await exportBills(ctx(), bills.slice(0, 3).map((b) => b.hostId));
    const item = live('Item').find((i) => i.ExpenseAccountRef && i.Active !== false)!;
    await saveBillsSettings(REALM, app, { lineType: 'Item', itemId: String(item.Id), classField: 'mediaType', classes });
    await exportBills(ctx(), bills.slice(3).map((b) => b.hostId));
    const r = await pushAll();
    expect(r.failed).toBe(0);
    expect(live('Bill').length).toBe(before + 5);
    for (const [i, b] of bills.entries()) {
      const l = await db.links.get([REALM, app.profileId, app.origin, 'bill', b.hostId]);
      const qb = live('Bill').find((x) => String(x.Id) === l!.qbId)!;
      expect(qb.DocNumber).toBe(b.fields.number);
      expect(qb.TxnDate).toBe(b.fields.date);
      expect(qb.DueDate).toBe(b.fields.dueDate);
      expect(qb.VendorRef.value).toBe((await db.links.get([REALM, app.profileId, app.origin, 'vendor', b.fields.vendorId]))!.qbId);
      expect(qb.TotalAmt).toBe(money(b.fields.amount));
      expect(qb.Line.map((x: Rec) => x.Amount)).toEqual(b.lines!.map((x) => money(x.amount)));
      const detail = i < 3 ? 'AccountBasedExpenseLineDetail' : 'ItemBasedExpenseLineDetail';
      expect(qb.Line.map((x: Rec) => x.DetailType)).toEqual(b.lines!.map(() => detail));
      expect(qb.Line.map((x: Rec) => x[detail].ClassRef.value)).toEqual(b.lines!.map((x) => classes[x.mediaType]));
    }
    // The same export again sends nothing new.
    await exportBills(ctx(), bills.map((b) => b.hostId));
    await pushAll();
    expect(live('Bill').length).toBe(before + 5);
    // An edit in the app (a new version of the bill) updates its QuickBooks bill; no second bill.
    const edited = bills[0];
    await putHostRecords([{ ...edited, fields: { ...edited.fields, dueDate: '2027-01-15', updatedAt: '2026-12-01T10:00:00.000Z' }, version: '2026-12-01T10:00:00.000Z' }]);
    await exportBills(ctx(), [edited.hostId]);
    await pushAll();
    expect(live('Bill').length).toBe(before + 5);
    const qbId = (await db.links.get([REALM, app.profileId, app.origin, 'bill', edited.hostId]))!.qbId!;
    expect(live('Bill').find((x) => String(x.Id) === qbId)!.DueDate).toBe('2027-01-15');
    expect((await billRows(REALM, app, () => undefined)).filter((row) => row.status === 'Exported')).toHaveLength(5);
  });

  it('fails a bill whose vendor is not matched with the words to fix it; Re-try after matching lands it once', async () => {
    const [bill] = await billsWithKnownVendors(1);
    await saveBillsSettings(REALM, app, ACCOUNT_SETTINGS());
    const before = live('Bill').length;
    const { entries } = await exportBills(ctx(), [bill.hostId]);
    await pushAll();
    const failed = await db.outbox.get(entries[0].id);
    const vendorName = (await hostRecord('vendor', bill.fields.vendorId)).name;
    expect(failed!.state).toBe('failed');
    expect(failed!.lastError!.message).toBe(`Spotlight's vendor "${vendorName}" is not matched with QuickBooks. Match or export it first (side panel, Spotlight), then Re-try.`);
    expect(live('Bill').length).toBe(before);
    const row = (await billRows(REALM, app, () => undefined)).find((r) => r.hostId === bill.hostId)!;
    expect(row.status).toBe('Error');
    expect(row.note).toMatch(/not matched/);
    await matchVendor(bill.fields.vendorId);
    await retry([entries[0].id]);
    await pushAll();
    expect((await db.outbox.get(entries[0].id))!.state).toBe('done');
    expect(live('Bill').length).toBe(before + 1);
    await retry([entries[0].id]);
    await pushAll();
    expect(live('Bill').length).toBe(before + 1);
  });

  it('exports the vendor first when "Export vendors" is on and it is not matched', async () => {
    const vendors = appRecords('vendor');
    const qbNames = new Set(live('Vendor').map((v) => v.DisplayName.toLowerCase()));
    const bill = appRecords('bill').find((b) => !qbNames.has(String(vendors.find((v) => v.hostId === b.fields.vendorId)!.fields.name).toLowerCase()));
    expect(bill).toBeDefined();
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), automations: { exportVendors: true } });
    const { entries } = await exportBills(ctx(), [bill!.hostId]);
    expect(entries.map((e) => e.entity)).toEqual(['Vendor', 'Bill']);
    const r = await pushAll();
    expect(r.failed).toBe(0);
    const vendorLink = await db.links.get([REALM, app.profileId, app.origin, 'vendor', bill!.fields.vendorId]);
    const billLink = await db.links.get([REALM, app.profileId, app.origin, 'bill', bill!.hostId]);
    const qb = live('Bill').find((x) => String(x.Id) === billLink!.qbId)!;
    expect(qb.VendorRef.value).toBe(vendorLink!.qbId);
  });

  it('exports an app payment as a BillPayment linked to its bill, whose balance drops', async () => {
    const [bill] = await billsWithKnownVendors(1);
    await matchVendor(bill.fields.vendorId);
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), paymentAccountId: idOf('Account', 'Checking') });
    await exportBills(ctx(), [bill.hostId]);
    await pushAll();
    const qbBillId = (await db.links.get([REALM, app.profileId, app.origin, 'bill', bill.hostId]))!.qbId!;
    const total = live('Bill').find((x) => String(x.Id) === qbBillId)!.Balance;
    await putHostRecords([{ ...bill, kind: 'billPayment', hostId: '990001', fields: { hostId: '990001', vendorId: bill.fields.vendorId, party: bill.fields.party, date: '2026-06-01', method: 'Check', refNumber: 'CHK-5001', amount: '100' }, lines: [{ billId: bill.hostId, amount: '100' }] }]);
    const { entries, refused } = await exportPayments(ctx(), ['990001']);
    expect(refused).toEqual([]);
    const r = await pushAll();
    expect(r.failed).toBe(0);
    expect(entries.map((e) => e.entity)).toEqual(['BillPayment']);
    const qbPayment = live('BillPayment').find((p) => p.DocNumber === 'CHK-5001')!;
    expect(qbPayment.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: qbBillId, TxnType: 'Bill' });
    expect(qbPayment.CheckPayment.BankAccountRef.value).toBe(idOf('Account', 'Checking'));
    expect(live('Bill').find((x) => String(x.Id) === qbBillId)!.Balance).toBe(Math.round((total - 100) * 100) / 100);
    expect((await db.links.get([REALM, app.profileId, app.origin, 'billPayment', '990001']))!.qbId).toBe(String(qbPayment.Id));
  });
});

describe('one write each, whoever asks', () => {
  it('a payment asked for while its bill is still on its way waits for it, and both land once', async () => {
    const [bill] = await billsWithKnownVendors(1);
    await matchVendor(bill.fields.vendorId);
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), paymentAccountId: idOf('Account', 'Checking') });
    await putHostRecords([{ ...bill, kind: 'billPayment', hostId: '990002', fields: { hostId: '990002', vendorId: bill.fields.vendorId, date: '2026-06-01', refNumber: 'ACH-77', amount: '10' }, lines: [{ billId: bill.hostId, amount: '10' }] }]);
    const [billEntry] = (await exportBills(ctx(), [bill.hostId])).entries;
    const { entries } = await exportPayments(ctx(), ['990002']);
    expect(entries[0].dependsOn).toEqual([billEntry.id]);
    expect((await pushAll()).failed).toBe(0);
    const qbBill = (await db.links.get([REALM, app.profileId, app.origin, 'bill', bill.hostId]))!.qbId;
    expect(live('BillPayment').filter((p) => p.DocNumber === 'ACH-77').map((p) => p.Line[0].LinkedTxn[0].TxnId)).toEqual([qbBill]);
  });

  it('an app record that names its QuickBooks record (a colleague imported it) is linked, not imported again', async () => {
    const [bill] = await billsWithKnownVendors(1);
    const vendorQb = await matchVendor(bill.fields.vendorId);
    const qb = company().create('Bill', { VendorRef: { value: vendorQb }, DocNumber: 'COL-1', Line: [{ Amount: 80, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } }] });
    await pullNow();
    expect((await billRows(REALM, app, () => undefined)).find((r) => r.qbId === String(qb.Id))?.status).toBe('Only in QuickBooks');
    // The colleague's import reached the app: its copy carries the QuickBooks id.
    await putHostRecords([{ ...bill, hostId: '990003', fields: { ...bill.fields, hostId: '990003', number: 'COL-1', quickbooksId: String(qb.Id) } }]);
    expect((await billRows(REALM, app, () => undefined)).filter((r) => r.qbId === String(qb.Id) && !r.hostId)).toEqual([]);
    expect((await importDocs(ctx(), 'bill', [String(qb.Id)])).refused[0].why).toMatch(/is already in Spotlight/);
    await adoptLinks(REALM, app);
    expect((await db.links.get([REALM, app.profileId, app.origin, 'bill', '990003']))!.qbId).toBe(String(qb.Id));
  });
});

describe('the daily sync, as one action', () => {
  it('sends QuickBooks\' unmatched vendors and open bills to the app and the app\'s payments of bills QuickBooks has; one way, none of QuickBooks\' payments', async () => {
    const [bill] = await billsWithKnownVendors(1);
    const vendorQb = await matchVendor(bill.fields.vendorId);
    const checking = idOf('Account', 'Checking');
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), paymentAccountId: checking, daily: { on: true, twoWay: false } });
    const line = (n: number) => [{ Amount: n, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } }];
    const open = company().create('Bill', { VendorRef: { value: vendorQb }, Line: line(300), DocNumber: 'D-OPEN' });
    const partly = company().create('Bill', { VendorRef: { value: vendorQb }, Line: line(400), DocNumber: 'D-PART' });
    company().create('BillPayment', { VendorRef: { value: vendorQb }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 100, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: partly.Id, TxnType: 'Bill' }] }] });
    // The app's bill is in QuickBooks, paid in QuickBooks and in the app.
    await exportBills(ctx(), [bill.hostId]);
    await pushAll();
    const qbBill = (await db.links.get([REALM, app.profileId, app.origin, 'bill', bill.hostId]))!.qbId!;
    company().create('BillPayment', { VendorRef: { value: vendorQb }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 5, Line: [{ Amount: 5, LinkedTxn: [{ TxnId: qbBill, TxnType: 'Bill' }] }] });
    await putHostRecords([{ ...bill, kind: 'billPayment', hostId: '990004', fields: { hostId: '990004', vendorId: bill.fields.vendorId, date: '2026-06-01', refNumber: 'ACH-88', amount: '20' }, lines: [{ billId: bill.hostId, amount: '20' }] }]);
    await pullNow();
    let settled = 0;
    // Settling pushes: the app's writes wait for an open page of it (this test has no executor for them).
    const settle = async () => {
      settled++;
      await pushAll();
    };
    const r = await runDailySync({ realmId: REALM, app, appName, kinds: ['vendor', 'bill', 'billPayment'], readPrefs: prefs }, settle);
    const of = (entity: string) => r.entries.filter((e) => e.entity === entity);
    // Vendors QuickBooks has that the app has in no way: made in the app, first, then waited for.
    expect(of('vendor').length).toBeGreaterThan(0);
    expect(settled).toBe(1);
    expect(of('vendor').every((e) => e.target === 'spotlight' && e.operation === 'create')).toBe(true);
    const billsIn = of('bill').map((e) => e.qbId);
    expect(billsIn).toContain(String(open.Id));
    expect(billsIn).not.toContain(String(partly.Id));
    expect(of('BillPayment').map((e) => e.host?.hostId)).toEqual(['990004']);
    expect(of('billPayment')).toEqual([]);
    expect(new Set(r.entries.map((e) => e.action)).size).toBe(1);
    // Done for today.
    expect(dailyDue(await readBillsSettings(REALM, app), (await automationCursor(REALM, app, 'bills'))?.lastDaily)).toBe(false);
  });
});

describe('vendor credits', () => {
  it('go to QuickBooks as VendorCredits of the linked vendor, once, without a due date', async () => {
    const [bill] = await billsWithKnownVendors(1);
    const vendorQb = await matchVendor(bill.fields.vendorId);
    await saveBillsSettings(REALM, app, ACCOUNT_SETTINGS());
    await putHostRecords([{ ...bill, kind: 'vendorCredit', hostId: '880001', fields: { hostId: '880001', vendorId: bill.fields.vendorId, number: 'VC-301', date: '2026-11-02', amount: '75.00', memo: 'Outage credit' }, lines: undefined }]);
    const before = live('VendorCredit').length;
    await exportDocs(ctx(), 'vendorCredit', ['880001']);
    await exportDocs(ctx(), 'vendorCredit', ['880001']);
    expect((await pushAll()).failed).toBe(0);
    const made = live('VendorCredit').filter((v) => v.DocNumber === 'VC-301');
    expect(live('VendorCredit').length).toBe(before + 1);
    expect(made[0]).toMatchObject({ VendorRef: { value: vendorQb }, TxnDate: '2026-11-02', TotalAmt: 75 });
    expect(made[0].DueDate).toBeUndefined();
    expect(made[0].PrivateNote).toMatch(/^Outage credit\nCreated by QuickBooks Companion from Spotlight vendor credit 880001 \[qbc:[0-9a-f]{16}\]$/);
  });
});

describe('echoes', () => {
  it('a bill whose vendor was exported with it is not sent again when only its QuickBooks id comes back', async () => {
    const vendors = appRecords('vendor');
    const qbNames = new Set(live('Vendor').map((v) => v.DisplayName.toLowerCase()));
    const raw = appRecords('bill').find((b) => !qbNames.has(String(vendors.find((v) => v.hostId === b.fields.vendorId)!.fields.name).toLowerCase()))!;
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), automations: { exportVendors: true, exportBills: true } });
    const run = () => runBillsAutomations({ realmId: REALM, app, appName, readPrefs: prefs });
    await run();
    const appObj = { profile, origin: app.origin };
    await takeRecords(REALM, appObj, 'bill', [{ ...raw, fields: { ...raw.fields, memo: 'Reconciled', updatedAt: '2026-11-30T10:00:00.000Z' } }]);
    expect((await run()).map((e) => e.entity)).toEqual(['Vendor', 'Bill']);
    await pushAll();
    await takeRecords(REALM, appObj, 'bill', [{ ...raw, fields: { ...raw.fields, memo: 'Reconciled', quickbooksId: '1', updatedAt: '2026-11-30T11:00:00.000Z' } }]);
    expect(await run()).toEqual([]);
  });
});

describe('alerts', () => {
  it('raise one notification for failed exports and one for imports, and none when alerts are off', async () => {
    const appObj = { profile, origin: app.origin };
    const entry = (over: Record<string, unknown>) => ({
      id: String(Math.random()), seq: 1, realmId: REALM, target: 'qbo', operation: 'create', entity: 'Bill', host: { ...app, kind: 'bill', hostId: '1' }, origin: user, action: 'a',
      intent: { DocNumber: 'B-1' }, dependsOn: [], requestId: 'r', marker: '', state: 'failed', attempts: 1, createdAt: 1, updatedAt: 1, lastError: { kind: 'Unmatched', message: 'Match it first.' }, ...over,
    }) as never;
    const changed = [entry({}), entry({ id: 'x2' }), entry({ target: 'spotlight', entity: 'billPayment', state: 'done', result: { qbId: '9' } })];
    await saveBillsSettings(REALM, app, ACCOUNT_SETTINGS());
    const on = await alertsFor(changed, [appObj]);
    expect(on.map((a) => a.title)).toEqual(['2 changes from Spotlight did not reach QuickBooks', '1 record imported from QuickBooks into Spotlight']);
    expect(on[0].message).toBe('bill "B-1": Match it first. See the side panel\'s Log to re-try.');
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), alerts: false });
    expect(await alertsFor(changed, [appObj])).toEqual([]);
  });
});

describe('automations', () => {
  it('export a vendor named in an order once "Export vendors" is on, and not one already matched', async () => {
    const appObj = { profile, origin: app.origin };
    const orders = appRecords('order');
    const [matched, unmatched] = [orders[0], orders.find((o) => o.fields.vendorId !== orders[0].fields.vendorId)!];
    await link(REALM, app, 'vendor', matched.fields.vendorId, { entity: 'Vendor', id: idOf('Vendor', 'WGN Radio') }, 'user');
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), automations: { exportVendors: true } });
    const run = () => runBillsAutomations({ realmId: REALM, app, appName, readPrefs: prefs });
    expect(await run()).toEqual([]);
    await takeRecords(REALM, appObj, 'order', [matched, unmatched].map((o) => ({ ...o, fields: { ...o.fields, status: 'Live', updatedAt: '2026-11-30T09:00:00.000Z' } })));
    const made = await run();
    expect(made.map((e) => [e.entity, e.host?.hostId, e.origin.name])).toEqual([['Vendor', unmatched.fields.vendorId, 'Export vendors']]);
    expect(await run()).toEqual([]);
  });

  it('do nothing while off; once on, an app bill that changed is exported and its echo is not', async () => {
    const [bill] = await billsWithKnownVendors(1);
    await matchVendor(bill.fields.vendorId);
    await saveBillsSettings(REALM, app, ACCOUNT_SETTINGS());
    const appObj = { profile, origin: app.origin };
    const run = () => runBillsAutomations({ realmId: REALM, app, appName, readPrefs: prefs });
    const changed = (dueDate: string, at: string) => {
      const raw = appRecords('bill').find((b) => b.hostId === bill.hostId)!;
      return takeRecords(REALM, appObj, 'bill', [{ ...raw, fields: { ...raw.fields, dueDate, updatedAt: at } }]);
    };
    await changed('2026-12-20', '2026-11-30T10:00:00.000Z');
    expect(await run()).toEqual([]);
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), automations: { exportBills: true } });
    // The first run starts the watch from now: what happened before was for "turn on" to count.
    expect(await run()).toEqual([]);
    await changed('2026-12-21', '2026-11-30T11:00:00.000Z');
    const made = await run();
    expect(made.map((e) => [e.entity, e.operation, e.origin.kind])).toEqual([['Bill', 'create', 'automation']]);
    await pushAll();
    // The app writes the QuickBooks id back: a new version whose bill says the same, so nothing is sent.
    const raw = appRecords('bill').find((b) => b.hostId === bill.hostId)!;
    await takeRecords(REALM, appObj, 'bill', [{ ...raw, fields: { ...raw.fields, dueDate: '2026-12-21', quickbooksId: 'x', updatedAt: '2026-11-30T12:00:00.000Z' } }]);
    expect(await run()).toEqual([]);
    await changed('2026-12-24', '2026-11-30T13:00:00.000Z');
    expect((await run()).map((e) => e.operation)).toEqual(['update']);
    await pushAll();
    const qbId = (await db.links.get([REALM, app.profileId, app.origin, 'bill', bill.hostId]))!.qbId!;
    expect(live('Bill').find((x) => String(x.Id) === qbId)!.DueDate).toBe('2026-12-24');
    expect((await recordsOf(REALM, 'Bill')).get(qbId)).toBeDefined();
  });
});

describe('the payments app\'s daily sync', () => {
  it('is due once a day, after its time', () => {
    const s = BillsSettings.parse({ daily: { on: true, at: '06:30' } });
    const at = (h: number, m: number, dayOffset = 0) => new Date(2026, 10, 30 + dayOffset, h, m);
    // Last run yesterday at 06:29: yesterday's 06:30 sync is still owed.
    expect(dailyDue(s, at(6, 29, -1).getTime(), at(6, 29))).toBe(true);
    // Last run yesterday after its time: nothing owed until today's 06:30, then today's.
    expect(dailyDue(s, at(6, 31, -1).getTime(), at(6, 29))).toBe(false);
    expect(dailyDue(s, at(6, 31, -1).getTime(), at(6, 31))).toBe(true);
    expect(dailyDue(s, at(6, 31).getTime(), at(23, 0))).toBe(false);
    expect(dailyDue({ ...s, daily: { ...s.daily, on: false } }, 0, at(23, 0))).toBe(false);
  });

  it('sends only open bills (nothing paid on them in QuickBooks); one way keeps QuickBooks\' payments out', async () => {
    const [bill] = await billsWithKnownVendors(1);
    const vendorQb = await matchVendor(bill.fields.vendorId);
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), paymentAccountId: idOf('Account', 'Checking'), daily: { on: true, twoWay: false } });
    const checking = idOf('Account', 'Checking');
    const line = (n: number) => [{ Amount: n, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } }];
    const open = company().create('Bill', { VendorRef: { value: vendorQb }, Line: line(300), DocNumber: 'OPEN-1' });
    const partly = company().create('Bill', { VendorRef: { value: vendorQb }, Line: line(400), DocNumber: 'PART-1' });
    company().create('BillPayment', { VendorRef: { value: vendorQb }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 100, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: partly.Id, TxnType: 'Bill' }] }] });
    await pullNow();
    const ids = await openBillsToImport(REALM, app);
    expect(ids).toContain(String(open.Id));
    expect(ids).not.toContain(String(partly.Id));
    // A QuickBooks payment of a bill that is in the app: one way, it stays out.
    await link(REALM, app, 'bill', bill.hostId, { entity: 'Bill', id: String(open.Id) }, 'created');
    const paid = company().create('BillPayment', { VendorRef: { value: vendorQb }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 300, Line: [{ Amount: 300, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Bill' }] }] });
    await pullNow();
    expect(await paymentsToImport(REALM, app)).toEqual([]);
    await expect(importPayments(ctx(), [String(paid.Id)])).rejects.toThrow(/Payments go one way with Spotlight .* choose "two ways" in Settings/);
    await saveBillsSettings(REALM, app, { ...ACCOUNT_SETTINGS(), paymentAccountId: checking, daily: { on: true, twoWay: true } });
    expect(await paymentsToImport(REALM, app)).toEqual([String(paid.Id)]);
  });
});
