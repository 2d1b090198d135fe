// The payments app's receivable side in the built extension, with Sync now: QuickBooks' open
// invoice reaches the app and the partly and fully paid ones do not; a payment received in the app
// reaches QuickBooks applied to its invoice, in one-way and in two-way mode; a payment received in
// QuickBooks comes into the app only in two-way mode; a credit memo goes each way, once.
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { acceptConfident, configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, paystreamApi, syncNow, test, turnOnProfiles } from './fixtures';

type Rec = Record<string, any>;

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Paystream (AP/AR payments)']);
});

test('the payments app: open invoices in, payments received in the app out in both modes, QuickBooks\' payments in only two ways, credit memos each way', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(300_000);
  const company = sandbox.company(DEMO_REALM)!;
  const live = (entity: string): Rec[] => [...company.table(entity).values()].map((r) => r.data);
  await page.goto(`${hosts.apps.payments.url}/invoices`);
  await syncNow(context);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Paystream (AP/AR payments)');
  const tab = (name: string) => panel.getByRole('tab', { name, exact: true }).click();
  await tab('Customers');
  await acceptConfident(panel);

  const { api, list: appList } = paystreamApi(page);

  // In QuickBooks, for a customer matched with the app's: an open invoice, one partly paid, one fully paid.
  const link = ((await dumpDatabase(panel)).stores.links as Rec[]).find((l) => l.profileId === 'paystream' && l.kind === 'customer' && l.state === 'linked' && live('Customer').find((c) => c.Id === l.qbId)?.Active !== false)!;
  const customerQb = link.qbId;
  const service = live('Item').find((i) => i.Type === 'Service' && i.Active !== false)!;
  const line = (n: number) => [{ Amount: n, Description: 'Campaign reporting', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: service.Id }, Qty: 1, UnitPrice: n } }];
  const open = company.create('Invoice', { CustomerRef: { value: customerQb }, Line: line(900), DocNumber: 'AR-OPEN-1', TxnDate: '2026-11-18' });
  const partly = company.create('Invoice', { CustomerRef: { value: customerQb }, Line: line(400), DocNumber: 'AR-PART-1' });
  const full = company.create('Invoice', { CustomerRef: { value: customerQb }, Line: line(300), DocNumber: 'AR-PAID-1' });
  company.create('Payment', { CustomerRef: { value: customerQb }, TotalAmt: 100, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: partly.Id, TxnType: 'Invoice' }] }] });
  company.create('Payment', { CustomerRef: { value: customerQb }, TotalAmt: 300, Line: [{ Amount: 300, LinkedTxn: [{ TxnId: full.Id, TxnType: 'Invoice' }] }] });

  // The daily sync's settings (payments one way), then Sync now.
  await tab('Settings');
  await panel.getByLabel('Expense account').selectOption({ label: 'Utilities' });
  await panel.getByLabel('Payment account', { exact: true }).selectOption({ label: 'Checking (Bank)' });
  await panel.getByRole('checkbox', { name: 'Daily sync' }).check();
  await panel.getByLabel('Credit memo item').selectOption({ label: service.FullyQualifiedName ?? service.Name });
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  const syncDaily = async () => {
    await syncNow(context); // the app's new records are read first
    await panel.getByRole('button', { name: 'Sync now' }).click();
    await expect(panel.getByTestId('daily-progress-text')).toHaveText(/^\d+ of \d+ changes? done(, \d+ failed \(see Log\))?\.$/, { timeout: 90_000 });
  };
  await syncDaily();
  await expect.poll(async () => (await appList('/api/invoices')).some((i) => i.invoiceNumber === 'AR-OPEN-1'), { timeout: 60_000 }).toBe(true);
  const appInvoice = (await appList('/api/invoices')).find((i) => i.invoiceNumber === 'AR-OPEN-1')!;
  expect([appInvoice.customer.id, appInvoice.amount, appInvoice.externalId, appInvoice.lines[0].item]).toEqual([link.hostId, 900, String(open.Id), service.Name]);
  expect((await appList('/api/invoices')).filter((i) => ['AR-PART-1', 'AR-PAID-1'].includes(i.invoiceNumber))).toEqual([]);

  // One way: the app's received payment goes to QuickBooks applied to the invoice; QuickBooks' stays out.
  const received = (await api('POST', '/api/received-payments', { obj: { party: { id: link.hostId }, paymentDate: '2026-11-29', amount: 250, method: 'ACH', reference: 'RCV-ONE-1', appliedTo: [{ id: appInvoice.id, amount: 250 }] } })).response_data;
  expect(received.id).toBeTruthy();
  const theirs = company.create('Payment', { CustomerRef: { value: customerQb }, TotalAmt: 50, PaymentRefNum: 'QB-RCV-9', Line: [{ Amount: 50, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Invoice' }] }] });
  // A credit memo each way.
  const appMemo = (await api('POST', '/api/credit-memos', { obj: { customer: { id: link.hostId }, creditMemoNumber: 'CM-APP-1', creditDate: '2026-11-27', amount: 120, description: 'Make-good' } })).response_data;
  expect(appMemo.id).toBeTruthy();
  const qbMemo = company.create('CreditMemo', { CustomerRef: { value: customerQb }, DocNumber: 'CM-QB-1', Line: line(80) });
  await syncDaily();
  await expect.poll(() => live('Payment').filter((p) => p.PaymentRefNum === 'RCV-ONE-1').length, { timeout: 60_000 }).toBe(1);
  expect(live('Payment').find((p) => p.PaymentRefNum === 'RCV-ONE-1')!.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: String(open.Id), TxnType: 'Invoice' });
  expect(live('Invoice').find((i) => i.Id === open.Id)!.Balance).toBe(900 - 250 - 50);
  expect((await appList('/api/received-payments')).some((p) => p.externalId === String(theirs.Id))).toBe(false);
  expect(live('CreditMemo').filter((m) => m.DocNumber === 'CM-APP-1').map((m) => [m.CustomerRef.value, m.TotalAmt])).toEqual([[customerQb, 120]]);
  await expect.poll(async () => (await appList('/api/credit-memos')).filter((m) => m.externalId === String(qbMemo.Id)).map((m) => [m.creditMemoNumber, m.customer.id, m.amount]), { timeout: 60_000 }).toEqual([['CM-QB-1', link.hostId, 80]]);

  // Two ways: QuickBooks' payment comes in against the app's invoice; a new app payment still goes out, once.
  await tab('Settings');
  await panel.getByRole('radio', { name: /Payments two ways/ }).check();
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  await api('POST', '/api/received-payments', { obj: { party: { id: link.hostId }, paymentDate: '2026-11-30', amount: 100, method: 'Check', reference: 'RCV-TWO-1', appliedTo: [{ id: appInvoice.id, amount: 100 }] } });
  await syncDaily();
  await expect.poll(async () => (await appList('/api/received-payments')).find((p) => p.externalId === String(theirs.Id))?.appliedTo, { timeout: 60_000 }).toEqual([{ type: 'invoice', id: appInvoice.id, number: 'AR-OPEN-1', amount: 50 }]);
  await expect.poll(() => live('Payment').filter((p) => p.PaymentRefNum === 'RCV-TWO-1').length, { timeout: 60_000 }).toBe(1);
  await syncDaily();
  expect(live('Payment').filter((p) => ['RCV-ONE-1', 'RCV-TWO-1'].includes(p.PaymentRefNum))).toHaveLength(2);
  expect(live('CreditMemo').filter((m) => m.DocNumber === 'CM-APP-1')).toHaveLength(1);
  expect((await appList('/api/credit-memos')).filter((m) => m.externalId === String(qbMemo.Id))).toHaveLength(1);
  expect(live('Invoice').find((i) => i.Id === open.Id)!.Balance).toBe(900 - 250 - 50 - 100);
  await tab('Settings');
  await panel.screenshot({ path: 'test-results/payments-ar-settings.png', fullPage: true });
});
