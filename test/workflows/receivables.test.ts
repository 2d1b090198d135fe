// The receivable side of the payments app's daily sync, against the sandbox: its mappers on every
// seeded invoice, payment and credit memo of the app; QuickBooks' open invoices (not partly or
// fully paid ones) go to the app; a payment received in the app reaches QuickBooks applied to its
// invoice in both modes; QuickBooks' payments come into the app in two-way mode only; credit memos
// each way; classes on the app's invoices only where the company tracks classes per line.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { db, type HostRecord } from '../../lib/db';
import { hostRecord as storedRecord, putHostRecords } from '../../lib/hosts/store';
import { link } from '../../lib/links';
import { runBillsAutomations, runDailySync, saveBillsSettings } from '../../lib/workflows/bills';
import { takeRecords } from '../../lib/hosts/worker/apps';
import { money } from '../../lib/workflows';
import {
  appInvoiceToQbo, creditMemoToQbo, methodWord, qboCreditMemoToApp, qboInvoiceToApp, qboReceivedPaymentToApp, receivedPaymentToQbo,
} from '../../lib/workflows/receivables';
import { seedPayments } from '../../sandbox/hosts/payments';
import { useWorkflowApp } from './harness';

const KINDS = ['vendor', 'customer', 'bill', 'invoice', 'billPayment', 'payment', 'creditMemo', 'vendorCredit'];
const { REALM, profile, app, appName, company, live, idOf, appRecords, prefs, pullNow, pushAll } = useWorkflowApp(
  'paystream', 'http://payments.localhost', 'Paystream',
  () => {
    const s = seedPayments();
    return {
      vendor: s.vendors, customer: s.customers, bill: s.bills, invoice: s.invoices, vendorCredit: s.vendorCredits, creditMemo: s.creditMemos,
      billPayment: s.payments.filter((p) => p.direction === 'Payable'), payment: s.payments.filter((p) => p.direction === 'Receivable'),
    };
  },
  KINDS,
);
type Rec = Record<string, any>;
const hostRecord = async (kind: string, hostId: string) => (await storedRecord(REALM, app, kind, hostId)) as HostRecord;

describe('mappers', () => {
  const ctx = { appName, classPerLine: true, itemIdsByName: new Map([['media planning', '5']]), classIdsByName: new Map([['digital', '12']]) };
  const inv = { hostId: 'inv1', fields: { customerId: 'c1', number: 'INV-9', date: '2026-11-02', dueDate: '2026-12-02' }, lines: [{ item: 'Media Planning', description: 'Plan', quantity: '3', price: '150', amount: '450', class: 'Digital' }] };

  it('sends an app invoice with its items by name and its classes where the company tracks them per line', () => {
    expect(appInvoiceToQbo(inv, ctx)).toEqual({
      body: {
        CustomerRef: { $link: 'customer/c1' }, TxnDate: '2026-11-02', DueDate: '2026-12-02', DocNumber: 'INV-9',
        Line: [{ Amount: 450, Description: 'Plan', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 3, UnitPrice: 150, ClassRef: { value: '12' } } }],
      },
      note: undefined,
    });
    // Per transaction only: the invoice goes without its classes, and a note says how to carry them.
    const perTxn = appInvoiceToQbo(inv, { ...ctx, classPerLine: false });
    expect((perTxn.body.Line as Rec[])[0].SalesItemLineDetail.ClassRef).toBeUndefined();
    expect(perTxn.note).toMatch(/without its classes: this company tracks classes per transaction, not per line\. To carry them, choose "One to each row in transaction"/);
    expect(() => appInvoiceToQbo({ ...inv, lines: [{ ...inv.lines[0], item: 'Skywriting' }] }, ctx)).toThrow(/QuickBooks has no active item named "Skywriting"\. Create it in QuickBooks/);
    expect(() => appInvoiceToQbo({ ...inv, lines: [{ ...inv.lines[0], class: 'Radio' }] }, ctx)).toThrow(/QuickBooks has no class named "Radio"/);
  });

  it('maps QuickBooks invoices, payments and credit memos for the app, and the app\'s payments and credit memos for QuickBooks', () => {
    const qbInv = { Id: '77', DocNumber: '1077', TxnDate: '2026-11-01', DueDate: '2026-12-01', Line: [
      { Amount: 300, Description: 'Spots', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 2, UnitPrice: 150, ClassRef: { value: '12' } } },
      { Amount: 99.99, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '6', name: 'Rush fee' }, Qty: 3, UnitPrice: 33.333 } },
      { Amount: 399.99, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
    ] };
    expect(qboInvoiceToApp(qbInv, 'c1', { item: (id) => (id === '5' ? 'Media Planning' : undefined), class: (id) => (id === '12' ? 'Digital' : undefined) })).toEqual({
      fields: { customerId: 'c1', number: '1077', date: '2026-11-01', dueDate: '2026-12-01', quickbooksId: '77' },
      lines: [
        { item: 'Media Planning', description: 'Spots', quantity: 2, price: 150, amount: 300, class: 'Digital' },
        // 3 × 33.333 is not 99.99 to the cent: one of the amount.
        { item: 'Rush fee', description: '', quantity: 1, price: 99.99, amount: 99.99 },
      ],
    });
    const pay = { hostId: 'p1', fields: { customerId: 'c1', date: '2026-11-20', number: 'R123', amount: '450' }, lines: [{ invoiceId: 'inv1', amount: '450' }] };
    expect(receivedPaymentToQbo(pay, appName)).toEqual({ CustomerRef: { $link: 'customer/c1' }, TotalAmt: 450, TxnDate: '2026-11-20', PaymentRefNum: 'R123', Line: [{ Amount: 450, LinkedTxn: [{ TxnId: { $linkId: 'invoice/inv1' }, TxnType: 'Invoice' }] }] });
    expect(() => receivedPaymentToQbo({ ...pay, lines: [] }, appName)).toThrow(/is applied to no invoice of Paystream/);
    const qbPay = { Id: '81', TxnDate: '2026-11-21', PaymentRefNum: '5521', Line: [{ Amount: 200, LinkedTxn: [{ TxnId: '77', TxnType: 'Invoice' }] }, { Amount: 50, LinkedTxn: [{ TxnId: '78', TxnType: 'Invoice' }] }] };
    expect(qboReceivedPaymentToApp(qbPay, new Map([['77', 'inv1']]), 'c1', 'Visa')).toEqual({
      fields: { customerId: 'c1', date: '2026-11-21', method: 'Credit card', number: '5521', amount: 200, quickbooksId: '81' }, lines: [{ invoiceId: 'inv1', amount: 200 }],
    });
    expect(qboReceivedPaymentToApp(qbPay, new Map(), 'c1')).toBeUndefined();
    expect([methodWord('Check'), methodWord('MasterCard'), methodWord('Wire Transfer'), methodWord('Cash'), methodWord(undefined)]).toEqual(['Check', 'Credit card', 'ACH', 'ePayment', 'ePayment']);
    expect(creditMemoToQbo({ hostId: 'm1', fields: { customerId: 'c1', number: 'CM-1', date: '2026-11-03', amount: '120', memo: 'Make-good' } }, '5', appName)).toEqual({
      CustomerRef: { $link: 'customer/c1' }, TxnDate: '2026-11-03', DocNumber: 'CM-1', PrivateNote: 'Make-good',
      Line: [{ Amount: 120, Description: 'Make-good', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 1, UnitPrice: 120 } }],
    });
    expect(() => creditMemoToQbo({ hostId: 'm1', fields: { customerId: 'c1', number: 'CM-1', date: '2026-11-03', amount: '120' } }, '', appName)).toThrow(/Choose the item credit memos use in QuickBooks/);
    expect(qboCreditMemoToApp({ Id: '90', DocNumber: 'CM-77', TxnDate: '2026-11-04', TotalAmt: 80, RemainingCredit: 30, PrivateNote: 'Billing correction\nCreated by QuickBooks Companion [qbc:0123456789abcdef]' }, 'c1')).toEqual({
      fields: { customerId: 'c1', number: 'CM-77', date: '2026-11-04', amount: 80, applied: 50, memo: 'Billing correction', quickbooksId: '90' }, lines: [],
    });
  });

  it('maps every invoice, received payment and credit memo the app holds', () => {
    const byName = new Map([...new Set(appRecords('invoice').flatMap((r) => (r.lines ?? []).map((l) => l.item.toLowerCase())))].map((n, i) => [n, String(i + 1)]));
    const classes = new Map([...new Set(appRecords('invoice').flatMap((r) => (r.lines ?? []).map((l) => (l.class ?? '').toLowerCase())).filter(Boolean))].map((n, i) => [n, String(i + 1)]));
    for (const r of appRecords('invoice')) {
      const { body } = appInvoiceToQbo(r, { appName, classPerLine: true, itemIdsByName: byName, classIdsByName: classes });
      expect(Math.round((body.Line as Rec[]).reduce((t, l) => t + l.Amount, 0) * 100) / 100).toBe(money(r.fields.amount));
      for (const l of body.Line as Rec[]) expect(Math.round(l.SalesItemLineDetail.Qty * l.SalesItemLineDetail.UnitPrice * 100) / 100).toBe(l.Amount);
    }
    for (const r of appRecords('payment')) expect((receivedPaymentToQbo(r, appName).Line as Rec[]).reduce((t, l) => t + l.Amount, 0)).toBeCloseTo(money(r.fields.amount), 2);
    for (const r of appRecords('creditMemo')) expect(creditMemoToQbo(r, '5', appName).Line).toHaveLength(1);
    expect(appRecords('invoice').length).toBeGreaterThan(30);
  });
});

/** Links the app's customer to the QuickBooks customer of the same name. */
async function matchCustomer(hostId: string) {
  const c = await hostRecord('customer', hostId);
  const qb = live('Customer').find((r) => r.DisplayName.toLowerCase() === String(c.fields.name).toLowerCase() && r.Active !== false);
  if (!qb) return undefined;
  await link(REALM, app, 'customer', hostId, { entity: 'Customer', id: String(qb.Id) }, 'user');
  return String(qb.Id);
}

const salesLine = (amount: number, item: string) => [{ Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item }, Qty: 1, UnitPrice: amount } }];

describe('the daily sync, receivable side', () => {
  async function setUp(twoWay: boolean) {
    const service = live('Item').find((i) => i.Type === 'Service' && i.Active !== false)!;
    await saveBillsSettings(REALM, app, { accountId: idOf('Account', 'Travel'), daily: { on: true, twoWay }, salesItemId: String(service.Id) });
    let customer: { hostId: string; qb: string } | undefined;
    for (const r of appRecords('customer')) {
      const qb = await matchCustomer(r.hostId);
      if (qb && !customer) customer = { hostId: r.hostId, qb };
    }
    const item = String(service.Id);
    const open = company().create('Invoice', { CustomerRef: { value: customer!.qb }, Line: salesLine(500, item), DocNumber: 'AR-OPEN' });
    const partly = company().create('Invoice', { CustomerRef: { value: customer!.qb }, Line: salesLine(400, item), DocNumber: 'AR-PART' });
    const full = company().create('Invoice', { CustomerRef: { value: customer!.qb }, Line: salesLine(300, item), DocNumber: 'AR-PAID' });
    company().create('Payment', { CustomerRef: { value: customer!.qb }, TotalAmt: 100, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: partly.Id, TxnType: 'Invoice' }] }] });
    company().create('Payment', { CustomerRef: { value: customer!.qb }, TotalAmt: 300, Line: [{ Amount: 300, LinkedTxn: [{ TxnId: full.Id, TxnType: 'Invoice' }] }] });
    await pullNow();
    return { customer: customer!, open, partly, full, item };
  }
  const daily = () => runDailySync({ realmId: REALM, app, appName, kinds: KINDS, readPrefs: prefs }, async () => void (await pushAll()));

  it('brings QuickBooks\' open invoices only, sends payments received in the app applied to their invoices, and one way keeps QuickBooks\' payments out', async () => {
    const { customer, open, partly, full } = await setUp(false);
    const r = await daily();
    const invoicesIn = r.entries.filter((e) => e.target === 'paystream' && e.entity === 'invoice').map((e) => e.qbId);
    expect(invoicesIn).toContain(String(open.Id));
    expect(invoicesIn).not.toContain(String(partly.Id));
    expect(invoicesIn).not.toContain(String(full.Id));
    expect(r.refused.filter((x) => /Skywriting|no active item/.test(x.why))).toEqual([]);
    // The open invoice is in the app now (as its import would make it), and a payment is received there.
    await link(REALM, app, 'invoice', 'PSI-NEW', { entity: 'Invoice', id: String(open.Id) }, 'created');
    await putHostRecords([{ realmId: REALM, ...app, kind: 'invoice', hostId: 'PSI-NEW', fields: { hostId: 'PSI-NEW', customerId: customer.hostId, number: 'AR-OPEN', quickbooksId: String(open.Id) }, lines: [], version: '1', source: 'api', seenAt: 1 }]);
    await putHostRecords([{ realmId: REALM, ...app, kind: 'payment', hostId: 'PSP-NEW', fields: { hostId: 'PSP-NEW', customerId: customer.hostId, date: '2026-11-25', number: 'R777', amount: '200' }, lines: [{ invoiceId: 'PSI-NEW', amount: '200' }], version: '1', source: 'api', seenAt: 1 }]);
    // And one received in QuickBooks for it: one way, it stays out.
    const theirs = company().create('Payment', { CustomerRef: { value: customer.qb }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Invoice' }] }] });
    await pullNow();
    const again = await daily();
    expect(again.entries.filter((e) => e.entity === 'Payment' && e.target === 'qbo').map((e) => e.host?.hostId)).toContain('PSP-NEW');
    expect(again.entries.filter((e) => e.target === 'paystream' && e.entity === 'payment').map((e) => e.qbId)).not.toContain(String(theirs.Id));
    await pushAll();
    const made = live('Payment').find((p) => p.PaymentRefNum === 'R777')!;
    expect(made).toMatchObject({ TotalAmt: 200, CustomerRef: { value: customer.qb }, Line: [{ Amount: 200, LinkedTxn: [{ TxnId: String(open.Id), TxnType: 'Invoice' }] }] });
    expect(live('Invoice').find((i) => i.Id === open.Id)!.Balance).toBe(250);
  });

  it('two ways: QuickBooks\' payments of the app\'s invoices come into the app; credit memos go each way', async () => {
    const { customer, open, item } = await setUp(true);
    await link(REALM, app, 'invoice', 'PSI-NEW', { entity: 'Invoice', id: String(open.Id) }, 'created');
    const theirs = company().create('Payment', { CustomerRef: { value: customer.qb }, TotalAmt: 75, PaymentRefNum: 'QB-75', Line: [{ Amount: 75, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Invoice' }] }] });
    const credit = company().create('CreditMemo', { CustomerRef: { value: customer.qb }, Line: salesLine(60, item), DocNumber: 'QB-CM-1' });
    await putHostRecords([{ realmId: REALM, ...app, kind: 'creditMemo', hostId: 'PSCM-NEW', fields: { hostId: 'PSCM-NEW', customerId: customer.hostId, number: 'CM-NEW-1', date: '2026-11-20', amount: '45.50', memo: 'Make-good' }, lines: undefined, version: '1', source: 'api', seenAt: 1 }]);
    await pullNow();
    const r = await daily();
    const payIn = r.entries.find((e) => e.target === 'paystream' && e.entity === 'payment' && e.qbId === String(theirs.Id))!;
    expect(payIn.intent).toMatchObject({ fields: { customerId: customer.hostId, amount: 75, number: 'QB-75' }, lines: [{ invoiceId: 'PSI-NEW', amount: 75 }] });
    expect(r.entries.some((e) => e.target === 'paystream' && e.entity === 'creditMemo' && e.qbId === String(credit.Id))).toBe(true);
    expect(r.entries.some((e) => e.target === 'qbo' && e.entity === 'CreditMemo' && e.host?.hostId === 'PSCM-NEW')).toBe(true);
    await pushAll();
    expect(live('CreditMemo').find((m) => m.DocNumber === 'CM-NEW-1')).toMatchObject({ TotalAmt: 45.5, CustomerRef: { value: customer.qb } });
    // Once each: the next sync sends neither again.
    await pullNow();
    const next = await daily();
    const first = new Set(r.entries.map((e) => e.id));
    expect(next.entries.filter((e) => (e.entity === 'CreditMemo' || e.entity === 'creditMemo' || e.entity === 'payment') && !first.has(e.id))).toEqual([]);
    await pushAll();
    expect(live('CreditMemo').filter((m) => m.DocNumber === 'CM-NEW-1')).toHaveLength(1);
  });

  it('sends the app\'s invoices of matched customers, without classes where QuickBooks tracks them per transaction', async () => {
    await setUp(false);
    const p = await prefs();
    const perTxn = async () => ({ ...p, AccountingInfoPrefs: { ...p.AccountingInfoPrefs, ClassTrackingPerTxnLine: false, ClassTrackingPerTxn: true } });
    const r = await runDailySync({ realmId: REALM, app, appName, kinds: KINDS, readPrefs: perTxn }, async () => void (await pushAll()));
    const sent = r.entries.filter((e) => e.target === 'qbo' && e.entity === 'Invoice');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((e) => (e.intent.Line as Rec[]).every((l) => !l.SalesItemLineDetail.ClassRef))).toBe(true);
    const notes = (await db.logs.toArray()).filter((l) => l.action === 'Daily sync');
    expect(notes.some((n) => /without its classes/.test(n.error ?? ''))).toBe(true);
  });

  it('with the payment automations on, a payment received in the app goes at once, and QuickBooks\' comes in two ways only', async () => {
    const { customer, open } = await setUp(false);
    const s = { accountId: idOf('Account', 'Travel'), paymentAccountId: idOf('Account', 'Checking'), daily: { on: true, twoWay: false } };
    await saveBillsSettings(REALM, app, { ...s, automations: { exportPayments: true, importPayments: false } });
    const c = { realmId: REALM, app, appName, readPrefs: prefs };
    await runBillsAutomations(c); // the watch starts
    await link(REALM, app, 'invoice', 'PSI-NEW', { entity: 'Invoice', id: String(open.Id) }, 'created');
    const payment = { hostId: 'PSP-AUTO', fields: { hostId: 'PSP-AUTO', customerId: customer.hostId, date: '2026-11-26', number: 'R-AUTO-1', amount: '125', updatedAt: '2026-11-26T10:00:00Z' }, lines: [{ invoiceId: 'PSI-NEW', amount: '125' }] };
    await takeRecords(REALM, { profile, origin: app.origin }, 'payment', [payment]);
    const made = await runBillsAutomations(c);
    expect(made.filter((e) => e.entity === 'Payment').map((e) => e.host?.hostId)).toEqual(['PSP-AUTO']);
    await pushAll();
    expect(live('Payment').filter((p) => p.PaymentRefNum === 'R-AUTO-1')).toHaveLength(1);
    // QuickBooks' payment: one way, never; two ways, in.
    const theirs = company().create('Payment', { CustomerRef: { value: customer.qb }, TotalAmt: 20, Line: [{ Amount: 20, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Invoice' }] }] });
    await pullNow();
    await saveBillsSettings(REALM, app, { ...s, automations: { exportPayments: true, importPayments: false } });
    expect((await runBillsAutomations(c)).filter((e) => e.qbId === String(theirs.Id))).toEqual([]);
    await saveBillsSettings(REALM, app, { ...s, daily: { on: true, twoWay: true }, automations: { exportPayments: true, importPayments: true } });
    expect((await runBillsAutomations(c)).filter((e) => e.qbId === String(theirs.Id)).map((e) => e.entity)).toEqual(['payment']);
  });
});
