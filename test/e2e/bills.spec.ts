// The bills workflow on the media app, in the side panel of the built extension: settings saved,
// and refused while QuickBooks does not have the account they name; 5 bills exported are exactly 5
// QuickBooks bills with their vendor, Ref #, dates and lines; an edit in the app's own form updates
// the same bill; a bill whose vendor is not matched fails with the words to fix it, and Re-try
// after matching lands it once; a payment made in QuickBooks is imported into the app against its
// bill (QB balance 0); an app payment exported is a BillPayment linked to its bill; turning "Export
// bills" on says what it will do and waits for a yes; then a bill made in the app's own form
// reaches QuickBooks by itself; alerts raise a browser notification.
import type { BrowserContext, Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { acceptConfident, billThroughSpotlightForm, configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, paystreamApi, syncNow, test, turnOnProfiles } from './fixtures';

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Spotlight (media buying)']);
});

type Rec = Record<string, any>;
const tab = (panel: Page, name: string) => panel.getByRole('tab', { name, exact: true }).click();
/** A row of the Bills or Payments tab, found by searching for its Ref #. */
async function txnRow(panel: Page, kind: 'bill' | 'billPayment' | 'vendorCredit', number: string) {
  await panel.getByRole('searchbox', { name: 'Search' }).fill(number);
  return panel.getByTestId(`${kind}-table`).locator('.txn-row', { hasText: number }).first();
}
const status = (row: ReturnType<Page['locator']>) => row.getAttribute('data-status');

async function openPanel(context: BrowserContext) {
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 }); // about a side panel's size
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Spotlight (media buying)');
  return panel;
}

/** The app's API, called from its own page as its own script would (with the page's CSRF token). */
async function appApi(page: Page, method: string, path: string, body?: unknown): Promise<Rec> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
      const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: body ? JSON.stringify(body) : undefined });
      return res.json();
    },
    { method, path, body },
  );
}

async function saveSettings(panel: Page, account: string, payFrom: string) {
  await tab(panel, 'Settings');
  await panel.getByLabel('Expense account').selectOption({ label: account });
  await panel.getByLabel('Payment account', { exact: true }).selectOption({ label: payFrom });
  await panel.getByRole('button', { name: 'Save settings' }).click();
}

/** QuickBooks' records of an entity in the sandbox company, as they are now. */
const liveOf = (company: { table(entity: string): Map<string, { data: Rec }> }) => (entity: string): Rec[] => [...company.table(entity).values()].map((r) => r.data);

/**
 * The media app with its bills page open and read through its API, the side panel open on it, and
 * the matcher's confident vendor suggestions accepted.
 */
async function mediaMatched({ context, sandbox, hosts, page }: { context: BrowserContext; sandbox: { company(realm: string): unknown }; hosts: { apps: { media: { url: string } } }; page: Page }) {
  const company = sandbox.company(DEMO_REALM) as { table(entity: string): Map<string, { data: Rec }>; count(entity: string): number; create(entity: string, body: Rec): Rec; update(entity: string, body: Rec, sparse: boolean): Rec };
  const media = hosts.apps.media.url;
  await page.goto(`${media}/bills`);
  await syncNow(context); // the app's bills, payments and vendors are read through its API
  const panel = await openPanel(context);
  await acceptConfident(panel);
  return { company, live: liveOf(company), media, panel };
}

test('bills and payments go both ways between the media app and QuickBooks, once each', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(240_000);
  // Vendors first: the confident suggestions.
  const { company, live, media, panel } = await mediaMatched({ context, sandbox, hosts, page });

  // Settings naming an account QuickBooks no longer has are refused, changing nothing; then saved.
  const placement = live('Account').find((a) => a.Name === 'Media Placement Costs')!;
  await tab(panel, 'Settings');
  await panel.getByLabel('Expense account').selectOption({ label: 'Media Placement Costs' });
  company.update('Account', { Id: placement.Id, SyncToken: placement.SyncToken, Name: placement.Name, Active: false }, true);
  await syncNow(context);
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText(`The account ${placement.Id} is not an active account in QuickBooks: choose another.`);
  expect((await dumpDatabase(panel)).stores.settings.filter((s: any) => s.key === 'workflows')).toHaveLength(0);
  const inactive = live('Account').find((a) => a.Id === placement.Id)!;
  company.update('Account', { Id: inactive.Id, SyncToken: inactive.SyncToken, Name: inactive.Name, Active: true }, true);
  await syncNow(context);
  await panel.reload();
  await tab(panel, 'Settings');
  // Each line's class from its media type: the broadcast kinds to "Broadcast", the others to their namesakes.
  await panel.getByLabel('Class from').selectOption({ label: "the line's mediaType" });
  const CLASS_OF: Record<string, string> = { TV: 'Broadcast', Radio: 'Broadcast', Podcast: 'Broadcast', Production: 'Broadcast', Digital: 'Digital', Print: 'Print', 'Out of Home': 'Out of Home' };
  for (const [value, cls] of Object.entries(CLASS_OF)) {
    const select = panel.getByLabel(`Class for ${value}`, { exact: true });
    if (await select.count()) await select.selectOption({ label: cls });
  }
  await saveSettings(panel, 'Media Placement Costs', 'Checking (Bank)');
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  await panel.screenshot({ path: 'test-results/bills-settings.png', fullPage: true });

  // Five bills whose vendors are matched, exported together: exactly five QuickBooks bills.
  const db = await dumpDatabase(panel);
  const vendorLinks = new Map((db.stores.links as Rec[]).filter((l) => l.kind === 'vendor' && l.state === 'linked').map((l) => [l.hostId, l.qbId]));
  const appBills = (db.stores.hostRecords as Rec[]).filter((r) => r.kind === 'bill' && r.profileId === 'spotlight');
  const ready = appBills.filter((b) => vendorLinks.has(b.fields.vendorId) && b.fields.status === 'Open').slice(0, 5);
  const unmatched = appBills.find((b) => !vendorLinks.has(b.fields.vendorId))!;
  expect(ready).toHaveLength(5);
  expect(unmatched).toBeDefined();
  const before = company.count('Bill');
  // Three in account mode, then two in item mode.
  const exportChosen = async (bills: Rec[]) => {
    await tab(panel, 'Bills');
    for (const b of bills) await (await txnRow(panel, 'bill', b.fields.number)).getByRole('checkbox').check();
    await panel.getByRole('searchbox', { name: 'Search' }).fill('');
    await panel.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(panel.getByTestId('txn-note')).toHaveText(`${bills.length} changes sent (to QuickBooks).`);
    for (const b of bills) await expect.poll(async () => status(await txnRow(panel, 'bill', b.fields.number)), { timeout: 30_000 }).toBe('Exported');
  };
  await exportChosen(ready.slice(0, 3));
  await tab(panel, 'Settings');
  await panel.getByLabel('Line type').selectOption('Item');
  await panel.getByLabel('Item', { exact: true }).selectOption({ label: 'Shipping' });
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  await exportChosen(ready.slice(3));
  expect(company.count('Bill')).toBe(before + 5);
  const shipping = live('Item').find((i) => i.Name === 'Shipping')!;
  const classId = (name: string) => live('Class').find((c) => c.Name === name)!.Id;
  for (const [i, b] of ready.entries()) {
    const qb = live('Bill').find((x) => x.DocNumber === b.fields.number && x.VendorRef.value === vendorLinks.get(b.fields.vendorId))!;
    expect(qb).toBeDefined();
    expect([qb.TxnDate, qb.DueDate, qb.TotalAmt, qb.Line.length]).toEqual([b.fields.date, b.fields.dueDate, Number(b.fields.amount), b.lines.length]);
    const detail = i < 3 ? 'AccountBasedExpenseLineDetail' : 'ItemBasedExpenseLineDetail';
    expect(qb.Line.map((l: Rec) => (i < 3 ? l[detail].AccountRef.value : l[detail].ItemRef.value))).toEqual(b.lines.map(() => (i < 3 ? placement.Id : shipping.Id)));
    expect(qb.Line.map((l: Rec) => l[detail].ClassRef.value)).toEqual(b.lines.map((l: Rec) => classId(CLASS_OF[l.mediaType])));
  }
  await panel.getByRole('searchbox', { name: 'Search' }).fill('');
  await panel.screenshot({ path: 'test-results/bills-tab.png' });

  // An edit in the app's own form, read with the next sync, updates the same QuickBooks bill.
  const edited = ready[0];
  await page.goto(`${media}/bills/${edited.hostId}/edit`);
  await page.getByLabel('Due date').fill('2027-02-26');
  await page.getByRole('button', { name: 'Save bill' }).click();
  await expect(page).toHaveURL(`${media}/bills/${edited.hostId}`);
  await syncNow(context);
  await (await txnRow(panel, 'bill', edited.fields.number)).getByRole('button', { name: `Export ${edited.fields.number}` }).click();
  const editedQb = () => live('Bill').find((x) => x.DocNumber === edited.fields.number && x.VendorRef.value === vendorLinks.get(edited.fields.vendorId))!;
  await expect.poll(() => editedQb().DueDate, { timeout: 30_000 }).toBe('2027-02-26');
  expect(company.count('Bill')).toBe(before + 5);

  // A bill whose vendor is not matched fails with what to do; matched, Re-try lands it once.
  const row = await txnRow(panel, 'bill', unmatched.fields.number);
  await row.getByRole('button', { name: `Export ${unmatched.fields.number}` }).click();
  await expect.poll(() => status(row), { timeout: 30_000 }).toBe('Error');
  await expect(row.getByTestId('txn-why')).toHaveText(new RegExp(`^Spotlight's vendor ".+" is not matched with QuickBooks\\. Match or export it first \\(side panel, Spotlight\\), then Re-try\\.$`));
  expect(company.count('Bill')).toBe(before + 5);
  await tab(panel, 'Vendors');
  const vendorName = (db.stores.hostRecords as Rec[]).find((r) => r.kind === 'vendor' && r.hostId === unmatched.fields.vendorId)!.name;
  await panel.getByRole('searchbox', { name: 'Search' }).fill(vendorName);
  await panel.getByRole('button', { name: `Export ${vendorName} to QuickBooks` }).click();
  await expect.poll(async () => ((await dumpDatabase(panel)).stores.links as Rec[]).some((l) => l.kind === 'vendor' && l.hostId === unmatched.fields.vendorId && l.state === 'linked'), { timeout: 30_000 }).toBe(true);
  // Re-try from the app's Log: the line that did not complete, chosen.
  await tab(panel, 'Log');
  const failedLine = panel.getByTestId('app-log').getByRole('checkbox', { name: `Choose Create Bill ${unmatched.fields.number}` });
  await expect(failedLine).toHaveCount(1);
  await failedLine.check();
  await panel.getByTestId('app-log').getByRole('button', { name: /^Re-try/ }).click();
  await tab(panel, 'Bills');
  await expect.poll(async () => status(await txnRow(panel, 'bill', unmatched.fields.number)), { timeout: 30_000 }).toBe('Exported');
  expect(company.count('Bill')).toBe(before + 6);

  // A QuickBooks bill imported into the app, with the order and service period chosen in its dialog.
  const orders = (db.stores.hostRecords as Rec[]).filter((r) => r.kind === 'order' && r.profileId === 'spotlight');
  const linkedQbBills = new Set(((await dumpDatabase(panel)).stores.links as Rec[]).filter((l) => l.kind === 'bill').map((l) => l.qbId));
  const hostVendorOf = (qbId: string) => [...vendorLinks].find(([, q]) => q === qbId)?.[0];
  const qbOnly = live('Bill').find((b) => !linkedQbBills.has(String(b.Id)) && b.DocNumber && orders.some((o) => o.fields.vendorId === hostVendorOf(b.VendorRef.value)))!;
  const order = orders.find((o) => o.fields.vendorId === hostVendorOf(qbOnly.VendorRef.value))!;
  await tab(panel, 'Bills');
  await (await txnRow(panel, 'bill', qbOnly.DocNumber)).getByRole('button', { name: `Import ${qbOnly.DocNumber}` }).click();
  const dialog = panel.getByRole('dialog', { name: `Import ${qbOnly.DocNumber}` });
  await dialog.getByLabel('Order').selectOption(order.fields.number);
  await expect(dialog.getByLabel('Service period from')).toHaveValue(order.fields.servicePeriodStart);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect
    .poll(async () => ((await appApi(page, 'GET', `/api/bills?quickbooks_id=${qbOnly.Id}`)).data as Rec[]).map((b) => [b.orderNumber, b.lines[0].servicePeriodStart, b.lines[0].servicePeriodEnd, b.amount]), { timeout: 30_000 })
    .toEqual([[order.fields.number, order.fields.servicePeriodStart, order.fields.servicePeriodEnd, qbOnly.TotalAmt]]);
  await expect.poll(async () => status(await txnRow(panel, 'bill', qbOnly.DocNumber)), { timeout: 30_000 }).toBe('Imported');

  // A payment made in QuickBooks for an exported bill: imported into the app against that bill.
  const paid = ready[1];
  const paidQb = live('Bill').find((x) => x.DocNumber === paid.fields.number && x.VendorRef.value === vendorLinks.get(paid.fields.vendorId))!;
  const checking = live('Account').find((a) => a.Name === 'Checking')!;
  const qbPayment = company.create('BillPayment', {
    VendorRef: paidQb.VendorRef, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking.Id } }, TotalAmt: paidQb.Balance, DocNumber: 'QB-CHK-77',
    Line: [{ Amount: paidQb.Balance, LinkedTxn: [{ TxnId: paidQb.Id, TxnType: 'Bill' }] }],
  });
  await syncNow(context);
  await tab(panel, 'Payments');
  const imported = await txnRow(panel, 'billPayment', 'QB-CHK-77');
  await expect.poll(() => status(imported), { timeout: 30_000 }).toBe('Only in QuickBooks');
  await imported.getByRole('button', { name: 'Import QB-CHK-77' }).click();
  await expect.poll(async () => (await appApi(page, 'GET', `/api/bills/${paid.hostId}`)).data.balance, { timeout: 30_000 }).toBe(0);
  const appPayment = ((await appApi(page, 'GET', `/api/payments?quickbooks_id=${qbPayment.Id}`)).data as Rec[])[0];
  expect(appPayment.appliedTo).toEqual([{ billId: Number(paid.hostId), billNumber: paid.fields.number, amount: paidQb.Balance }]);
  await syncNow(context);
  await tab(panel, 'Bills');
  await expect((await txnRow(panel, 'bill', paid.fields.number)).getByTestId('qb-figure')).toHaveText('$0.00');

  // With "Import payments" on, the next QuickBooks payment of an exported bill comes in by itself on
  // the next sync, and a notification says so.
  await tab(panel, 'Settings');
  await panel.getByRole('checkbox', { name: 'Import payments' }).click();
  await expect(panel.getByTestId('automation-backlog')).toHaveText('No QuickBooks payment waits to be imported; new ones will follow.');
  await panel.getByRole('button', { name: 'Turn on' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Import payments' })).toBeChecked();
  const later = ready[3];
  const laterQb = live('Bill').find((x) => x.DocNumber === later.fields.number && x.VendorRef.value === vendorLinks.get(later.fields.vendorId))!;
  company.create('BillPayment', {
    VendorRef: laterQb.VendorRef, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking.Id } }, TotalAmt: 50, DocNumber: 'QB-CHK-78',
    Line: [{ Amount: 50, LinkedTxn: [{ TxnId: laterQb.Id, TxnType: 'Bill' }] }],
  });
  await syncNow(context);
  await expect.poll(async () => (await appApi(page, 'GET', `/api/bills/${later.hostId}`)).data.balance, { timeout: 30_000 }).toBe(Math.round((Number(later.fields.balance) - 50) * 100) / 100);
  const notifications = async () => panel.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
  await expect.poll(notifications).toContainEqual(expect.stringMatching(/^qbc-imported-spotlight-/));

  // A payment made in the app, exported: a BillPayment linked to its bill, whose balance drops.
  const payFor = ready[2];
  const payForQb = live('Bill').find((x) => x.DocNumber === payFor.fields.number && x.VendorRef.value === vendorLinks.get(payFor.fields.vendorId))!;
  const made = (await appApi(page, 'POST', '/api/payments', { payment: { vendorId: Number(payFor.fields.vendorId), paymentDate: '2026-11-30', method: 'ACH', refNumber: 'ACH-9001', amount: 100, appliedTo: [{ billId: Number(payFor.hostId), amount: 100 }] } })).data;
  expect(made.id).toBeGreaterThan(0);
  await syncNow(context);
  await tab(panel, 'Payments');
  const exported = await txnRow(panel, 'billPayment', 'ACH-9001');
  await exported.getByRole('button', { name: 'Export ACH-9001' }).click();
  await expect.poll(() => status(exported), { timeout: 30_000 }).toBe('Exported');
  const qbMade = live('BillPayment').find((p) => p.DocNumber === 'ACH-9001')!;
  expect(qbMade.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: payForQb.Id, TxnType: 'Bill' });
  expect(live('Bill').find((x) => x.Id === payForQb.Id)!.Balance).toBe(Math.round((payForQb.Balance - 100) * 100) / 100);
  await panel.screenshot({ path: 'test-results/bills-payments.png' });
});

test('turning "Export bills" on says what it will do and waits; then a bill made in the app reaches QuickBooks by itself, and a failure raises a notification', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(180_000);
  const { company, live, media, panel } = await mediaMatched({ context, sandbox, hosts, page });
  await saveSettings(panel, 'Media Placement Costs', 'Checking (Bank)');
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  const appBills = ((await dumpDatabase(panel)).stores.hostRecords as Rec[]).filter((r) => r.kind === 'bill');
  const before = company.count('Bill');

  // Turning it on counts what it will do at once, and does nothing until confirmed.
  await panel.getByRole('checkbox', { name: 'Export bills' }).click();
  await expect(panel.getByTestId('automation-backlog')).toHaveText(`${appBills.length} bills not in QuickBooks will be exported now.`);
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Export bills' })).not.toBeChecked();
  await page.waitForTimeout(1_000);
  expect(company.count('Bill')).toBe(before);
  expect((await dumpDatabase(panel)).stores.outbox).toHaveLength(0);

  await panel.getByRole('checkbox', { name: 'Export bills' }).click();
  await panel.getByRole('button', { name: 'Turn on' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText(`"Export bills" is on. ${appBills.length} changes sent now.`);
  // Bills of matched vendors land; the others fail saying what to do (and the alert says so once).
  await expect.poll(async () => ((await dumpDatabase(panel)).stores.outbox as Rec[]).filter((e) => e.state === 'done' || e.state === 'failed').length, { timeout: 60_000 }).toBe(appBills.length);
  const entries = (await dumpDatabase(panel)).stores.outbox as Rec[];
  const done = entries.filter((e) => e.state === 'done').length;
  expect(done).toBeGreaterThan(0);
  expect(company.count('Bill')).toBe(before + done);
  const notifications = async () => panel.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
  await expect.poll(notifications).toContainEqual(expect.stringMatching(/^qbc-failed-spotlight-/));

  // A bill made in the app's own form, with its page open, reaches QuickBooks with no click in the panel.
  const vendorId = String(entries.find((e) => e.state === 'done')!.intent.VendorRef.$link).split('/')[1];
  await billThroughSpotlightForm(page, media, { vendorId, ref: 'AUTO-4242', date: '2026-11-30', due: '2026-12-30', description: 'Late-night spots', amount: '1234.50' });
  await expect.poll(() => live('Bill').filter((b) => b.DocNumber === 'AUTO-4242').length, { timeout: 30_000 }).toBe(1);
  expect(live('Bill').find((b) => b.DocNumber === 'AUTO-4242')!.TotalAmt).toBe(1234.5);
  // Another sync finds nothing new to send: still one.
  await syncNow(context);
  expect(live('Bill').filter((b) => b.DocNumber === 'AUTO-4242')).toHaveLength(1);
});

test('the payments app: the daily sync sends QuickBooks\' new vendors and open bills to the app and its payments to QuickBooks; payments one way, then two ways', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(300_000);
  const company = sandbox.company(DEMO_REALM)!;
  const live = liveOf(company);
  const id = (entity: string, name: string) => String(live(entity).find((r) => (r.DisplayName ?? r.Name) === name)!.Id);
  await turnOnProfiles(context, ['Paystream (AP/AR payments)']);
  const pay = hosts.apps.payments.url;
  await page.goto(`${pay}/`);
  await syncNow(context);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Paystream (AP/AR payments)');
  await tab(panel, 'Vendors');
  await acceptConfident(panel);

  const { api, list: appList } = paystreamApi(page);

  // In QuickBooks: a new vendor with an open bill, and a bill of a matched vendor already paid.
  const links = (await dumpDatabase(panel)).stores.links as Rec[];
  const matchedQb = links.find((l) => l.profileId === 'paystream' && l.kind === 'vendor' && l.state === 'linked')!.qbId;
  const line = (n: number) => [{ Amount: n, Description: 'Window cleaning', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: id('Account', 'Repairs & Maintenance') } } }];
  const newVendor = company.create('Vendor', { DisplayName: 'Harborview Window Cleaning', PrimaryEmailAddr: { Address: 'ar@harborview.example' } });
  const open = company.create('Bill', { VendorRef: { value: newVendor.Id }, Line: line(640), DocNumber: 'DS-OPEN-1', TxnDate: '2026-11-20', DueDate: '2026-12-20' });
  const paid = company.create('Bill', { VendorRef: { value: matchedQb }, Line: line(210), DocNumber: 'DS-PAID-1' });
  const checking = id('Account', 'Checking');
  company.create('BillPayment', { VendorRef: { value: matchedQb }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 210, Line: [{ Amount: 210, LinkedTxn: [{ TxnId: paid.Id, TxnType: 'Bill' }] }] });

  // The daily sync at the next minute, payments one way.
  const at = await panel.evaluate(() => {
    const d = new Date(Date.now() + 60_000);
    return { hhmm: `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`, ms: new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()).getTime() };
  });
  await tab(panel, 'Settings');
  await panel.getByLabel('Expense account').selectOption({ label: 'Utilities' });
  await panel.getByLabel('Payment account', { exact: true }).selectOption({ label: 'Checking (Bank)' });
  await panel.getByRole('checkbox', { name: 'Daily sync' }).check();
  await panel.getByLabel('Daily sync time').fill(at.hhmm);
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  // Nothing happens before its time.
  await syncNow(context);
  expect((await appList('/api/vendors')).some((v) => v.name === 'Harborview Window Cleaning')).toBe(false);
  await page.waitForTimeout(Math.max(0, at.ms - Date.now()) + 500);
  await syncNow(context);
  await expect.poll(async () => (await appList('/api/bills')).some((b) => b.invoiceNumber === 'DS-OPEN-1'), { timeout: 60_000 }).toBe(true);
  const appVendor = (await appList('/api/vendors')).find((v) => v.name === 'Harborview Window Cleaning')!;
  expect(appVendor.externalId).toBe(String(newVendor.Id));
  const appBill = (await appList('/api/bills')).find((b) => b.invoiceNumber === 'DS-OPEN-1')!;
  expect([appBill.vendor.id, appBill.amount, appBill.externalId, appBill.lines[0].account]).toEqual([appVendor.id, 640, String(open.Id), 'Repairs & Maintenance']);
  expect((await appList('/api/bills')).some((b) => b.invoiceNumber === 'DS-PAID-1')).toBe(false);

  // A payment made in the app goes to QuickBooks with Sync now; one made in QuickBooks stays out (one way).
  const sent = (await api('POST', '/api/sent-payments', { obj: { party: { id: appVendor.id }, paymentDate: '2026-11-30', amount: 200, method: 'ACH', reference: 'PS-ACH-1', appliedTo: [{ id: appBill.id, amount: 200 }] } })).response_data;
  expect(sent.id).toBeTruthy();
  const theirs = company.create('BillPayment', { VendorRef: { value: newVendor.Id }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: checking } }, TotalAmt: 100, DocNumber: 'QB-CHK-9', Line: [{ Amount: 100, LinkedTxn: [{ TxnId: open.Id, TxnType: 'Bill' }] }] });
  // A vendor credit each way: one made in the app, one made in QuickBooks.
  const appCredit = (await api('POST', '/api/vendor-credits', { obj: { vendor: { id: appVendor.id }, creditNumber: 'VC-APP-1', creditDate: '2026-11-28', amount: 75, description: 'Missed visit' } })).response_data;
  expect(appCredit.id).toBeTruthy();
  const qbCredit = company.create('VendorCredit', { VendorRef: { value: newVendor.Id }, DocNumber: 'VC-QB-1', TxnDate: '2026-11-27', Line: line(40) });
  await syncNow(context); // QuickBooks' payment and the app's are read
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await expect(panel.getByTestId('daily-progress-text')).toHaveText(/^\d+ of \d+ changes? done\.$/, { timeout: 60_000 });
  await panel.screenshot({ path: 'test-results/daily-sync.png', fullPage: true });
  const qbMade = live('BillPayment').find((p) => p.DocNumber === 'PS-ACH-1')!;
  expect(qbMade.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: open.Id, TxnType: 'Bill' });
  expect(live('Bill').find((b) => b.Id === open.Id)!.Balance).toBe(640 - 200 - 100);
  expect((await appList('/api/sent-payments')).some((p) => p.externalId === String(theirs.Id))).toBe(false);
  const qbFromApp = live('VendorCredit').filter((v) => v.DocNumber === 'VC-APP-1');
  expect(qbFromApp.map((v) => [v.VendorRef.value, v.TotalAmt])).toEqual([[String(newVendor.Id), 75]]);
  expect((await appList('/api/vendor-credits')).filter((v) => v.externalId === String(qbCredit.Id)).map((v) => [v.creditNumber, v.vendor.id, v.amount])).toEqual([['VC-QB-1', appVendor.id, 40]]);
  await tab(panel, 'Credits');
  await expect((await txnRow(panel, 'vendorCredit', 'VC-APP-1')).locator('.pill')).toHaveText('Exported');
  await tab(panel, 'Settings');

  // Two ways: QuickBooks' payment comes in with the next Sync now, against the right bill.
  await panel.getByRole('radio', { name: /Payments two ways/ }).check();
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('settings-note')).toHaveText('Settings saved.');
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(async () => (await appList('/api/sent-payments')).find((p) => p.externalId === String(theirs.Id))?.appliedTo, { timeout: 60_000 }).toEqual([{ type: 'bill', id: appBill.id, number: 'DS-OPEN-1', amount: 100 }]);
});
